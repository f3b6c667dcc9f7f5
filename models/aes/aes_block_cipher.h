// The AES block primitive of the model: one key, encrypt/decrypt whole 16-byte blocks
// (OpenSSL EVP AES-ECB without padding). SystemC-free.
//
// The EVP_CIPHER of each key size is fetched once per process; the encrypt and decrypt
// contexts are kept and re-keyed only when the key changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace aesvp {

class AesBlockCipher {
 public:
  static constexpr std::size_t kBlock = 16;

  AesBlockCipher();
  ~AesBlockCipher();
  AesBlockCipher(const AesBlockCipher&) = delete;
  AesBlockCipher& operator=(const AesBlockCipher&) = delete;

  // `len` is 16, 24 or 32 bytes; anything else returns false and leaves no key set.
  bool set_key(const std::uint8_t* key, std::size_t len);
  bool has_key() const { return key_bits_ != 0; }
  unsigned key_bits() const { return key_bits_; }

  // `blocks` whole blocks; in and out may be the same buffer. Throws std::logic_error
  // without a key.
  void encrypt(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks = 1);
  void decrypt(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks = 1);

 private:
  void run(EVP_CIPHER_CTX* ctx, bool& keyed, bool enc, const std::uint8_t* in,
           std::uint8_t* out, std::size_t blocks);

  std::vector<std::uint8_t> key_;
  unsigned key_bits_ = 0;
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
  bool enc_keyed_ = false, dec_keyed_ = false;  // re-keyed lazily on first use
};

}  // namespace aesvp
