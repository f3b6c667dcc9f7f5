// A small skcipher-like crypto API (the parts of Linux <crypto/skcipher.h> a dm-crypt-like
// user needs): a transform (algorithm + key), asynchronous requests over scatterlists in
// simulated DRAM with a 16-byte IV and a completion callback, encrypt/decrypt entry points.
//
// Linux semantics of the return values of crypto_skcipher_encrypt / _decrypt:
//   Ok          done synchronously (software fallback): the completion is NOT called;
//   InProgress  queued: the completion is called once with the final result;
//   Busy        backlogged (only with flags.may_backlog): the completion is called first
//               with InProgress ("queued now, you may send more"), then with the result;
//   other       refused (Inval, NoSpc, NoDev...): the completion is not called.
// On success the request IV holds the chaining value for the next request (CBC: the last
// ciphertext block; CTR: the counter after the last (partial) block), as Linux does.
#pragma once

#include "driver/kernel/memory.h"
#include "engine/errc.h"
#include "engine/request.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace aesvp::driver {

using engine::Errc;

enum class SkcipherMode { Ecb, Cbc, Ctr, Xts };
const char* to_string(SkcipherMode m);
// "ecb(aes)", "cbc(aes)", "ctr(aes)", "xts(aes)"
std::string algorithm_name(SkcipherMode m);

class SkcipherProvider;

// struct crypto_skcipher: one algorithm of one provider (driver) and its key.
class CryptoSkcipher {
 public:
  CryptoSkcipher(SkcipherProvider& provider, SkcipherMode mode) : provider_(provider), mode_(mode) {}

  SkcipherMode mode() const { return mode_; }
  SkcipherProvider& provider() const { return provider_; }
  const std::vector<std::uint8_t>& key() const { return key_; }
  bool has_key() const { return !key_.empty(); }
  // Bytes of one AES key (XTS: half of the transform key).
  std::size_t aes_key_len() const { return mode_ == SkcipherMode::Xts ? key_.size() / 2 : key_.size(); }
  // ESSIV salt key (Linux: the essiv(cbc(aes),hash) template derives it from the key); set by
  // the user of a transform whose requests describe ESSIV data units. Empty otherwise.
  std::vector<std::uint8_t> essiv_salt;
  static constexpr std::size_t kIvSize = 16;     // crypto_skcipher_ivsize (0 for ECB in Linux)
  static constexpr std::size_t kBlockSize = 16;  // AES block (CTR: chunk size; block size 1)

 private:
  friend Errc crypto_skcipher_setkey(CryptoSkcipher& tfm, const std::uint8_t* key, std::size_t len);
  SkcipherProvider& provider_;
  SkcipherMode mode_;
  std::vector<std::uint8_t> key_;
};

enum class CryptDirection { Encrypt, Decrypt };

// struct skcipher_request. The submitter keeps it alive until its final completion.
class SkcipherRequest : public engine::Request {
 public:
  SkcipherRequest() = default;
  explicit SkcipherRequest(CryptoSkcipher& t) : tfm(&t) {}

  // skcipher_request_set_crypt
  void set_crypt(const kernel::Scatterlist& s, const kernel::Scatterlist& d, std::uint32_t len,
                 const std::uint8_t* iv_in) {
    src = s;
    dst = d;
    in_place = false;
    cryptlen = len;
    if (iv_in != nullptr) std::copy(iv_in, iv_in + iv.size(), iv.begin());
  }
  // In place (Linux: req->src == req->dst): dst is ignored, the data is overwritten in src.
  void set_crypt_inplace(const kernel::Scatterlist& sg, std::uint32_t len, const std::uint8_t* iv_in) {
    set_crypt(sg, sg, len, iv_in);
    in_place = true;
  }
  // skcipher_request_set_callback
  void set_callback(bool may_backlog, Completion cb) {
    flags.may_backlog = may_backlog;
    complete = std::move(cb);
  }
  const kernel::Scatterlist& destination() const { return in_place ? src : dst; }

  CryptoSkcipher* tfm = nullptr;
  CryptDirection dir = CryptDirection::Encrypt;  // set by encrypt()/decrypt()
  kernel::Scatterlist src, dst;
  bool in_place = false;
  std::uint32_t cryptlen = 0;
  std::array<std::uint8_t, 16> iv{};
};

// What a driver registers for the algorithms it implements (struct skcipher_alg's
// setkey/encrypt/decrypt).
class SkcipherProvider {
 public:
  virtual ~SkcipherProvider() = default;
  virtual Errc setkey(CryptoSkcipher& tfm, const std::uint8_t* key, std::size_t len) = 0;
  virtual Errc encrypt(SkcipherRequest& req) = 0;
  virtual Errc decrypt(SkcipherRequest& req) = 0;
  // aesvp bulk mode (not in Linux): can a request of this transform carry several data units
  // (Request::bulk, cryptlen a multiple of data_unit_size) with IVs of `kind`? Users that get
  // false send one request per data unit.
  virtual bool multi_unit(const CryptoSkcipher& tfm, engine::IvKind kind) const {
    (void)tfm;
    (void)kind;
    return false;
  }
};

// crypto_skcipher_setkey: sizes 16/24/32 (XTS: 32/48/64), else Inval (the key is then unset).
// Calls the provider's setkey (which may charge its cost).
Errc crypto_skcipher_setkey(CryptoSkcipher& tfm, const std::uint8_t* key, std::size_t len);
inline Errc crypto_skcipher_setkey(CryptoSkcipher& tfm, const std::vector<std::uint8_t>& key) {
  return crypto_skcipher_setkey(tfm, key.data(), key.size());
}
// True if `len` is a valid key length for `mode`.
bool valid_key_len(SkcipherMode mode, std::size_t len);

// crypto_skcipher_encrypt / crypto_skcipher_decrypt: set req.dir and call the provider.
// Inval without a transform or key.
Errc crypto_skcipher_encrypt(SkcipherRequest& req);
Errc crypto_skcipher_decrypt(SkcipherRequest& req);

}  // namespace aesvp::driver
