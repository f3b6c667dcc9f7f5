// dm-crypt sector arithmetic (drivers/md/dm-crypt.c) and cryptsetup plain-mode area arithmetic.
//
// All positions are counted in 512-byte units ("512-byte sectors") from the start of the
// encrypted area, as the kernel counts bio sectors relative to the dm target.
//   cc_sector  = position512 + skip                      (ctx->cc_sector)
//   iv_sector  = cc_sector >> log2(sector_size / 512)    with iv_large_sectors
//              = cc_sector                               without
//   key index  = cc_sector & (keycount - 1)              (always the unshifted value)
#pragma once

#include <cstdint>

#include "testbench/dmcrypt/error.h"

namespace aesvp::dmcrypt {

inline constexpr std::uint32_t kSectorBytes = 512;  // the kernel's SECTOR_SIZE

struct SectorMapping {
  std::uint32_t sector_size = 512;  // encryption sector: 512..4096, power of two
  bool iv_large_sectors = false;    // IV counts sector_size units instead of 512-byte units
  std::uint64_t skip = 0;           // IV offset (dm table iv_offset, cryptsetup --skip), 512 B units
  std::uint32_t keycount = 1;       // power of two (from the cipher spec)

  // Throws MappingError: sector size not a power of two in 512..4096; keycount not a power of
  // two; skip not a multiple of sector_size / 512 (the kernel: "Invalid iv_offset sector").
  void validate() const;

  // log2(sector_size / 512): 0 for 512, 3 for 4096.
  unsigned sector_shift() const;
  // 512-byte units per encryption sector.
  std::uint64_t units_per_sector() const { return sector_size / kSectorBytes; }

  // 512-byte position of encryption sector `index` (counted from the start of the area).
  std::uint64_t position512(std::uint64_t index) const { return index * units_per_sector(); }

  // The formulas above, for a 512-byte position. Throw MappingError when position512 is not
  // the start of an encryption sector (the kernel kills such bios).
  std::uint64_t cc_sector(std::uint64_t position512) const;
  std::uint64_t iv_sector(std::uint64_t position512) const;
  std::uint32_t key_index(std::uint64_t position512) const;

  // The same by encryption-sector index.
  std::uint64_t iv_sector_of(std::uint64_t index) const { return iv_sector(position512(index)); }
  std::uint32_t key_index_of(std::uint64_t index) const { return key_index(position512(index)); }
};

// cryptsetup plain-mode options that shape the area (`cryptsetup open --type plain`).
struct PlainOptions {
  std::uint64_t offset = 0;  // --offset: start of the encrypted area, 512-byte sectors
  std::uint64_t skip = 0;    // --skip: IV offset, 512-byte sectors
  std::uint64_t size = 0;    // --size: length in 512-byte sectors; 0 = to the end of the device
  std::uint32_t sector_size = 512;  // --sector-size
  bool iv_large_sectors = false;    // --iv-large-sectors
};

// The processed area of a device or image of `device_bytes` bytes.
struct PlainArea {
  std::uint64_t offset_bytes = 0;        // first byte of the area in the device
  std::uint64_t length_bytes = 0;        // bytes processed (the output size of `aesvp crypt`)
  std::uint64_t sectors512 = 0;          // length in 512-byte sectors
  std::uint64_t encryption_sectors = 0;  // length in sector_size units
  // Bytes after the last whole 512-byte sector of the device: cryptsetup (and the kernel) see
  // only whole 512-byte sectors, so these are never part of the area.
  std::uint64_t ignored_tail_bytes = 0;
  SectorMapping mapping;                 // skip, sector size, iv_large_sectors, keycount
};

// Throws MappingError with one precise line for: invalid sector size / skip / keycount (see
// SectorMapping::validate), --iv-large-sectors with 512-byte sectors (cryptsetup refuses it), a device smaller than one 512-byte sector, --offset at or past the
// end, --offset + --size past the end (or overflowing), an area that is not a whole number of
// encryption sectors.
PlainArea plain_area(std::uint64_t device_bytes, const PlainOptions& options,
                     std::uint32_t keycount = 1);

}  // namespace aesvp::dmcrypt
