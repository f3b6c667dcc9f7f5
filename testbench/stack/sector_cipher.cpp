#include "testbench/stack/sector_cipher.h"

#include "testbench/dmcrypt/error.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace aesvp::testbench {

driver::SkcipherMode skcipher_mode(dmcrypt::ChainMode m) {
  switch (m) {
    case dmcrypt::ChainMode::ecb: return driver::SkcipherMode::Ecb;
    case dmcrypt::ChainMode::cbc: return driver::SkcipherMode::Cbc;
    case dmcrypt::ChainMode::ctr: return driver::SkcipherMode::Ctr;
    case dmcrypt::ChainMode::xts: return driver::SkcipherMode::Xts;
  }
  return driver::SkcipherMode::Ecb;
}

SectorCipher::SectorCipher(driver::SkcipherProvider& provider, const dmcrypt::VolumeKey& key,
                           const dmcrypt::SectorMapping& mapping)
    : mapping_(mapping), ivgen_(key) {
  for (std::uint32_t i = 0; i < key.keycount(); ++i) {
    auto tfm = std::make_unique<driver::CryptoSkcipher>(provider, skcipher_mode(key.spec().chain));
    const std::vector<std::uint8_t> k = key.tfm_key(i);
    if (driver::crypto_skcipher_setkey(*tfm, k.data(), k.size()) != driver::Errc::Ok) {
      throw dmcrypt::KeyError("the driver refused a key of " + std::to_string(k.size()) + " bytes");
    }
    tfm->essiv_salt = ivgen_.salt(i);  // for hardware that derives ESSIV IVs (bulk mode)
    tfms_.push_back(std::move(tfm));
  }
}

void SectorCipher::prepare(driver::SkcipherRequest& req, std::uint64_t index,
                           const kernel::Scatterlist& src, const kernel::Scatterlist& dst,
                           bool in_place, std::uint32_t sectors) const {
  if (sectors == 0 || sectors > units_per_request_)
    throw std::logic_error("SectorCipher::prepare: " + std::to_string(sectors) +
                           " sectors in one request (at most " + std::to_string(units_per_request_) + ")");
  const std::uint32_t slot = mapping_.key_index_of(index);
  const dmcrypt::Iv iv = ivgen_.generate(mapping_.iv_sector_of(index), slot);
  const std::uint32_t len = sectors * mapping_.sector_size;
  req.tfm = tfms_.at(slot).get();
  if (in_place) req.set_crypt_inplace(src, len, iv.data());
  else req.set_crypt(src, dst, len, iv.data());
  req.bulk = bulk_info(index);
}

bool SectorCipher::allow_unit_requests(std::uint32_t max_bytes) {
  units_per_request_ = 1;
  const engine::IvKind kind = unit_iv_kind();
  if (bulk_info(0).single_unit()) refusal_ = "the IV mode is not one the hardware derives";
  else if (tfms_.size() != 1) refusal_ = "several key slots (consecutive sectors use different keys)";
  else if (!tfms_.front()->provider().multi_unit(*tfms_.front(), kind))
    refusal_ = "the driver cannot run several data units for this algorithm and IV mode";
  else if (max_bytes / mapping_.sector_size < 2) refusal_ = "the request size limit is below two sectors";
  else {
    units_per_request_ = max_bytes / mapping_.sector_size;
    refusal_ = "";
    return true;
  }
  return false;
}

std::uint32_t SectorCipher::sectors_per_request(std::uint64_t remaining) const {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(remaining, units_per_request_));
}

engine::IvKind SectorCipher::unit_iv_kind() const {
  switch (ivgen_.mode()) {
    case dmcrypt::IvMode::plain: return engine::IvKind::Plain;
    case dmcrypt::IvMode::plain64: return engine::IvKind::Plain64;
    case dmcrypt::IvMode::plain64be: return engine::IvKind::Plain64Be;
    case dmcrypt::IvMode::essiv: return engine::IvKind::Essiv;
    default: return engine::IvKind::None;
  }
}

engine::BulkInfo SectorCipher::bulk_info(std::uint64_t index) const {
  engine::BulkInfo b;
  const engine::IvKind kind = unit_iv_kind();
  const driver::SkcipherMode m = tfms_.front()->mode();
  // Data units only where the IV is a function of the sector number alone (CBC/XTS).
  if (kind == engine::IvKind::None || (m != driver::SkcipherMode::Cbc && m != driver::SkcipherMode::Xts))
    return b;
  b.data_unit_size = mapping_.sector_size;
  b.first_data_unit = mapping_.iv_sector_of(index);
  b.iv_kind = kind;
  b.data_unit_step = mapping_.iv_large_sectors ? 1 : mapping_.sector_size / 512;
  return b;
}

}  // namespace aesvp::testbench
