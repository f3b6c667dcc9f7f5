#include "models/aes/aes_block_cipher.h"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace aesvp {
namespace {

// The AES-ECB EVP_CIPHER for a key size, fetched once per process (never freed: it lives
// as long as the program).
const EVP_CIPHER* ecb_cipher(unsigned key_bits) {
  static EVP_CIPHER* const ciphers[3] = {
      EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr),
      EVP_CIPHER_fetch(nullptr, "AES-192-ECB", nullptr),
      EVP_CIPHER_fetch(nullptr, "AES-256-ECB", nullptr),
  };
  const EVP_CIPHER* c = ciphers[(key_bits - 128) / 64];
  if (c == nullptr) throw std::runtime_error("OpenSSL: cannot fetch AES-ECB");
  return c;
}

}  // namespace

AesBlockCipher::AesBlockCipher() : enc_(EVP_CIPHER_CTX_new()), dec_(EVP_CIPHER_CTX_new()) {
  if (enc_ == nullptr || dec_ == nullptr) throw std::runtime_error("OpenSSL: out of memory");
}

AesBlockCipher::~AesBlockCipher() {
  EVP_CIPHER_CTX_free(enc_);
  EVP_CIPHER_CTX_free(dec_);
}

bool AesBlockCipher::set_key(const std::uint8_t* key, std::size_t len) {
  if (len != 16 && len != 24 && len != 32) {
    key_bits_ = 0;
    key_.clear();
    enc_keyed_ = dec_keyed_ = false;
    return false;
  }
  if (key_bits_ == len * 8 && std::equal(key, key + len, key_.begin())) return true;
  key_.assign(key, key + len);
  key_bits_ = static_cast<unsigned>(len * 8);
  enc_keyed_ = dec_keyed_ = false;
  return true;
}

void AesBlockCipher::run(EVP_CIPHER_CTX* ctx, bool& keyed, bool enc, const std::uint8_t* in,
                         std::uint8_t* out, std::size_t blocks) {
  if (key_bits_ == 0) throw std::logic_error("AesBlockCipher: no key");
  if (!keyed) {
    if (EVP_CipherInit_ex2(ctx, ecb_cipher(key_bits_), key_.data(), nullptr, enc ? 1 : 0,
                           nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
      throw std::runtime_error("OpenSSL: AES-ECB initialisation failed");
    }
    keyed = true;
  }
  // EVP_CipherUpdate takes an int length: split very large requests.
  constexpr std::size_t kMaxBlocks = (INT_MAX / kBlock) - 1;
  while (blocks > 0) {
    const std::size_t n = blocks < kMaxBlocks ? blocks : kMaxBlocks;
    int outl = 0;
    if (EVP_CipherUpdate(ctx, out, &outl, in, static_cast<int>(n * kBlock)) != 1 ||
        outl != static_cast<int>(n * kBlock)) {
      throw std::runtime_error("OpenSSL: AES-ECB update failed");
    }
    in += n * kBlock;
    out += n * kBlock;
    blocks -= n;
  }
}

void AesBlockCipher::encrypt(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks) {
  run(enc_, enc_keyed_, true, in, out, blocks);
}

void AesBlockCipher::decrypt(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks) {
  run(dec_, dec_keyed_, false, in, out, blocks);
}

}  // namespace aesvp
