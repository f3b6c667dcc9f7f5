#include "driver/omap_aes/skcipher.h"

namespace aesvp::driver {

const char* to_string(SkcipherMode m) {
  switch (m) {
    case SkcipherMode::Ecb: return "ecb";
    case SkcipherMode::Cbc: return "cbc";
    case SkcipherMode::Ctr: return "ctr";
    case SkcipherMode::Xts: return "xts";
  }
  return "?";
}

std::string algorithm_name(SkcipherMode m) { return std::string(to_string(m)) + "(aes)"; }

bool valid_key_len(SkcipherMode mode, std::size_t len) {
  if (mode == SkcipherMode::Xts) return len == 32 || len == 48 || len == 64;
  return len == 16 || len == 24 || len == 32;
}

Errc crypto_skcipher_setkey(CryptoSkcipher& tfm, const std::uint8_t* key, std::size_t len) {
  if (key == nullptr || !valid_key_len(tfm.mode(), len)) {
    tfm.key_.clear();
    return Errc::Inval;
  }
  const Errc rc = tfm.provider().setkey(tfm, key, len);
  if (rc != Errc::Ok) {
    tfm.key_.clear();
    return rc;
  }
  tfm.key_.assign(key, key + len);
  return Errc::Ok;
}

namespace {
Errc crypt(SkcipherRequest& req, CryptDirection dir) {
  if (req.tfm == nullptr || !req.tfm->has_key()) return Errc::Inval;
  req.dir = dir;
  return dir == CryptDirection::Encrypt ? req.tfm->provider().encrypt(req)
                                        : req.tfm->provider().decrypt(req);
}
}  // namespace

Errc crypto_skcipher_encrypt(SkcipherRequest& req) { return crypt(req, CryptDirection::Encrypt); }
Errc crypto_skcipher_decrypt(SkcipherRequest& req) { return crypt(req, CryptDirection::Decrypt); }

}  // namespace aesvp::driver
