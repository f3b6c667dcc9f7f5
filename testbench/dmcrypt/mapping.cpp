#include "testbench/dmcrypt/mapping.h"

#include <limits>
#include <string>

namespace aesvp::dmcrypt {

namespace {

bool is_pow2(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

std::string u64(std::uint64_t v) { return std::to_string(v); }

}  // namespace

void SectorMapping::validate() const {
  if (sector_size < 512 || sector_size > 4096 || !is_pow2(sector_size)) {
    throw MappingError("sector size " + u64(sector_size) +
                       " is not a power of two between 512 and 4096");
  }
  if (!is_pow2(keycount)) {
    throw MappingError("key count " + u64(keycount) + " is not a power of two");
  }
  if (skip % units_per_sector() != 0) {
    throw MappingError("IV offset (skip) " + u64(skip) +
                       " is not a multiple of the sector size (" + u64(sector_size) +
                       " bytes = " + u64(units_per_sector()) + " sectors of 512 bytes)");
  }
}

unsigned SectorMapping::sector_shift() const {
  unsigned shift = 0;
  for (std::uint64_t u = units_per_sector(); u > 1; u >>= 1) ++shift;
  return shift;
}

std::uint64_t SectorMapping::cc_sector(std::uint64_t position512) const {
  if (position512 % units_per_sector() != 0) {
    throw MappingError("512-byte position " + u64(position512) +
                       " is not the start of a " + u64(sector_size) + "-byte encryption sector");
  }
  return position512 + skip;  // wraps modulo 2^64 as the kernel's sector_t does
}

std::uint64_t SectorMapping::iv_sector(std::uint64_t position512) const {
  const std::uint64_t s = cc_sector(position512);
  return iv_large_sectors ? (s >> sector_shift()) : s;
}

std::uint32_t SectorMapping::key_index(std::uint64_t position512) const {
  return static_cast<std::uint32_t>(cc_sector(position512) & (std::uint64_t{keycount} - 1));
}

PlainArea plain_area(std::uint64_t device_bytes, const PlainOptions& options,
                     std::uint32_t keycount) {
  PlainArea area;
  area.mapping.sector_size = options.sector_size;
  area.mapping.iv_large_sectors = options.iv_large_sectors;
  area.mapping.skip = options.skip;
  area.mapping.keycount = keycount;
  area.mapping.validate();
  if (options.iv_large_sectors && options.sector_size <= kSectorBytes) {
    // cryptsetup refuses it ("Large IV sectors option is supported only for opening plain type
    // device with sector size larger than 512 bytes."); the kernel would ignore it.
    throw MappingError("--iv-large-sectors needs --sector-size larger than 512");
  }

  const std::uint64_t device_sectors = device_bytes / kSectorBytes;
  area.ignored_tail_bytes = device_bytes % kSectorBytes;
  if (device_sectors == 0) {
    throw MappingError("device of " + u64(device_bytes) +
                       " bytes has no whole 512-byte sector (zero size)");
  }
  if (options.offset >= device_sectors) {
    throw MappingError("--offset " + u64(options.offset) +
                       " is at or beyond the end of the device (" + u64(device_sectors) +
                       " sectors of 512 bytes)");
  }
  const std::uint64_t available = device_sectors - options.offset;
  std::uint64_t sectors = available;
  if (options.size != 0) {
    if (options.size > available) {
      throw MappingError("device too small: --offset " + u64(options.offset) + " + --size " +
                         u64(options.size) + " exceeds its " + u64(device_sectors) +
                         " sectors of 512 bytes");
    }
    sectors = options.size;
  }
  if (sectors % area.mapping.units_per_sector() != 0) {
    throw MappingError("area of " + u64(sectors) +
                       " sectors of 512 bytes is not a whole number of " +
                       u64(options.sector_size) + "-byte encryption sectors");
  }
  area.offset_bytes = options.offset * kSectorBytes;
  area.sectors512 = sectors;
  area.length_bytes = sectors * kSectorBytes;
  area.encryption_sectors = sectors / area.mapping.units_per_sector();
  return area;
}

}  // namespace aesvp::dmcrypt
