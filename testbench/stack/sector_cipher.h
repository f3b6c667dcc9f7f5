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
  // With `sectors` > 1 (only as sectors_per_request allows) the request covers that many
  // consecutive sectors as data units: the first one's IV, cryptlen sectors x sector size.
  void prepare(driver::SkcipherRequest& req, std::uint64_t index, const kernel::Scatterlist& src,
               const kernel::Scatterlist& dst, bool in_place, std::uint32_t sectors = 1) const;

  // aesvp submitter-side bulk (not in Linux dm-crypt; the multi-data-unit request proposals of
  // docs/bulk-mode.md): lets one request carry up to `max_bytes` of consecutive sectors when
  // the provider runs several data units for this transform and IV kind and every sector uses
  // the same key slot. Returns whether that holds; if not, requests stay one per sector (the
  // fallback), and unit_requests_refusal() says why.
  bool allow_unit_requests(std::uint32_t max_bytes);
  const char* unit_requests_refusal() const { return refusal_; }
  // Sectors the next request covers when `remaining` consecutive sectors are left: 1 unless
  // unit requests are allowed.
  std::uint32_t sectors_per_request(std::uint64_t remaining) const;
  // aesvp bulk mode: the data-unit description of sector `index` (what Request::bulk says:
  // unit size = sector size, unit number = the IV sector, its step per sector and IV kind);
  // single-unit (data_unit_size 0) for specs whose IV the hardware cannot derive.
  engine::BulkInfo bulk_info(std::uint64_t index) const;
  engine::IvKind unit_iv_kind() const;

 private:
  dmcrypt::SectorMapping mapping_;
  dmcrypt::IvGenerator ivgen_;
  std::vector<std::unique_ptr<driver::CryptoSkcipher>> tfms_;  // one per key slot
  std::uint32_t units_per_request_ = 1;  // submitter-side bulk: most sectors per request
  const char* refusal_ = "not asked for";
};

driver::SkcipherMode skcipher_mode(dmcrypt::ChainMode m);

}  // namespace aesvp::testbench
