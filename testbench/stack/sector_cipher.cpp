#include "testbench/stack/sector_cipher.h"

#include "testbench/dmcrypt/error.h"

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
    tfms_.push_back(std::move(tfm));
  }
}

void SectorCipher::prepare(driver::SkcipherRequest& req, std::uint64_t index,
                           const kernel::Scatterlist& src, const kernel::Scatterlist& dst,
                           bool in_place) const {
  const std::uint32_t slot = mapping_.key_index_of(index);
  const dmcrypt::Iv iv = ivgen_.generate(mapping_.iv_sector_of(index), slot);
  req.tfm = tfms_.at(slot).get();
  if (in_place) req.set_crypt_inplace(src, mapping_.sector_size, iv.data());
  else req.set_crypt(src, dst, mapping_.sector_size, iv.data());
}

}  // namespace aesvp::testbench
