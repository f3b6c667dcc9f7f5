#include "testbench/dmcrypt/evp.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <climits>
#include <memory>
#include <string>

#include "testbench/dmcrypt/error.h"

namespace aesvp::dmcrypt::evp {

namespace {

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

[[noreturn]] void fail(const std::string& what) {
  std::string detail;
  if (const unsigned long code = ERR_get_error(); code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    detail = std::string(": ") + buf;
  }
  ERR_clear_error();
  throw CryptoError("OpenSSL " + what + " failed" + detail);
}

const EVP_CIPHER* cipher_for(ChainMode mode, std::size_t key_len) {
  switch (mode) {
    case ChainMode::ecb:
      if (key_len == 16) return EVP_aes_128_ecb();
      if (key_len == 24) return EVP_aes_192_ecb();
      if (key_len == 32) return EVP_aes_256_ecb();
      break;
    case ChainMode::cbc:
      if (key_len == 16) return EVP_aes_128_cbc();
      if (key_len == 24) return EVP_aes_192_cbc();
      if (key_len == 32) return EVP_aes_256_cbc();
      break;
    case ChainMode::ctr:
      if (key_len == 16) return EVP_aes_128_ctr();
      if (key_len == 24) return EVP_aes_192_ctr();
      if (key_len == 32) return EVP_aes_256_ctr();
      break;
    case ChainMode::xts:
      if (key_len == 32) return EVP_aes_128_xts();
      if (key_len == 64) return EVP_aes_256_xts();
      break;
  }
  throw CryptoError("no OpenSSL cipher for " + std::string(to_string(mode)) + " with a " +
                    std::to_string(key_len) + "-byte key");
}

}  // namespace

void mode_crypt(ChainMode mode, const std::uint8_t* key, std::size_t key_len,
                const std::uint8_t* iv, bool encrypt, const std::uint8_t* in, std::uint8_t* out,
                std::size_t len) {
  if (mode != ChainMode::ctr && len % 16 != 0) {
    throw CryptoError("data length " + std::to_string(len) + " not a multiple of 16");
  }
  if (len > static_cast<std::size_t>(INT_MAX)) throw CryptoError("data too long for one call");
  if (len == 0) return;
  const EVP_CIPHER* cipher = cipher_for(mode, key_len);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) fail("EVP_CIPHER_CTX_new");
  const unsigned char* ivp = mode == ChainMode::ecb ? nullptr : iv;
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key, ivp, encrypt ? 1 : 0) != 1) {
    fail("EVP_CipherInit_ex (" + std::string(to_string(mode)) + ")");
  }
  if (EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) fail("EVP_CIPHER_CTX_set_padding");
  int outl = 0;
  if (EVP_CipherUpdate(ctx.get(), out, &outl, in, static_cast<int>(len)) != 1) {
    fail("EVP_CipherUpdate (" + std::string(to_string(mode)) + ")");
  }
  int finl = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out + outl, &finl) != 1) fail("EVP_CipherFinal_ex");
  if (static_cast<std::size_t>(outl + finl) != len) fail("EVP_CipherUpdate length");
}

void aes_ecb(const std::uint8_t* key, std::size_t key_len, bool encrypt, const std::uint8_t* in,
             std::uint8_t* out, std::size_t len) {
  mode_crypt(ChainMode::ecb, key, key_len, nullptr, encrypt, in, out, len);
}

std::vector<std::uint8_t> digest(EssivHash hash, const std::uint8_t* data, std::size_t len) {
  const EVP_MD* md = nullptr;
  if (hash == EssivHash::md5) md = EVP_md5();
  else if (hash == EssivHash::sha256) md = EVP_sha256();
  else throw CryptoError("no digest for ESSIV hash '" + std::string(to_string(hash)) + "'");
  std::vector<std::uint8_t> out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int outl = 0;
  if (EVP_Digest(data, len, out.data(), &outl, md, nullptr) != 1) fail("EVP_Digest");
  out.resize(outl);
  return out;
}

std::vector<std::uint8_t> digest(const std::string& name, const std::uint8_t* data,
                                 std::size_t len) {
  const EVP_MD* md = EVP_get_digestbyname(name.c_str());
  if (md == nullptr || EVP_MD_get_size(md) <= 0)
    throw CryptoError("unknown hash '" + name + "'");
  std::vector<std::uint8_t> out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int outl = 0;
  if (EVP_Digest(data, len, out.data(), &outl, md, nullptr) != 1) fail("EVP_Digest");
  out.resize(outl);
  return out;
}

}  // namespace aesvp::dmcrypt::evp
