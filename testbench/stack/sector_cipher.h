// dm-crypt's per-sector request set-up on the skcipher API: one transform per key slot
// (keycount), the IV of each encryption sector from the IV generator, one request per
// encryption sector (crypt_convert_block_skcipher in Linux dm-crypt).
#pragma once

#include "driver/omap_aes/skcipher.h"
#include "testbench/dmcrypt/iv.h"
#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt/mapping.h"

#include <memory>
#include <vector>

namespace aesvp::testbench {

class SectorCipher {
 public:
  // Throws dmcrypt::Error if the driver refuses a key (should not happen for a valid key).
  SectorCipher(driver::SkcipherProvider& provider, const dmcrypt::VolumeKey& key,
               const dmcrypt::SectorMapping& mapping);

  const dmcrypt::SectorMapping& mapping() const { return mapping_; }
  std::uint32_t sector_size() const { return mapping_.sector_size; }

  // Sets up `req` for encryption sector `index` (0 = the first sector of the encrypted area):
  // the key slot's transform, the sector's IV, src -> dst (in place when src == dst is asked).
  void prepare(driver::SkcipherRequest& req, std::uint64_t index, const kernel::Scatterlist& src,
               const kernel::Scatterlist& dst, bool in_place) const;
  // aesvp bulk mode: the data-unit description of sector `index` (what Request::bulk says:
  // unit size = sector size, unit number = the IV sector, its step per sector and IV kind);
  // single-unit (data_unit_size 0) for specs whose IV the hardware cannot derive.
  engine::BulkInfo bulk_info(std::uint64_t index) const;
  engine::IvKind unit_iv_kind() const;

 private:
  dmcrypt::SectorMapping mapping_;
  dmcrypt::IvGenerator ivgen_;
  std::vector<std::unique_ptr<driver::CryptoSkcipher>> tfms_;  // one per key slot
};

driver::SkcipherMode skcipher_mode(dmcrypt::ChainMode m);

}  // namespace aesvp::testbench
