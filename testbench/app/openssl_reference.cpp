#include "testbench/app/openssl_reference.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace aesvp {

std::vector<std::uint8_t> openssl_crypt(baremetal::CipherMode mode, bool encrypt,
                                        const std::vector<std::uint8_t>& key,
                                        const std::array<std::uint8_t, 16>& iv,
                                        const std::vector<std::uint8_t>& in) {
  const bool xts = mode == baremetal::CipherMode::Xts;
  const std::size_t bits = key.size() * 8 / (xts ? 2 : 1);
  const std::string name = "AES-" + std::to_string(bits) + "-" +
                           (mode == baremetal::CipherMode::Ecb   ? "ECB"
                            : mode == baremetal::CipherMode::Cbc ? "CBC"
                            : mode == baremetal::CipherMode::Ctr ? "CTR"
                                                                 : "XTS");
  std::unique_ptr<EVP_CIPHER, decltype(&EVP_CIPHER_free)> cipher(
      EVP_CIPHER_fetch(nullptr, name.c_str(), nullptr), EVP_CIPHER_free);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  if (!cipher || !ctx) throw std::runtime_error("OpenSSL has no " + name);
  std::vector<std::uint8_t> out(in.size() + 16);
  int n = 0, m = 0;
  if (EVP_CipherInit_ex2(ctx.get(), cipher.get(), key.data(),
                         mode == baremetal::CipherMode::Ecb ? nullptr : iv.data(), encrypt ? 1 : 0,
                         nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &n, in.data(), static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + n, &m) != 1) {
    throw std::runtime_error("OpenSSL refused " + name);
  }
  out.resize(static_cast<std::size_t>(n + m));
  return out;
}

}  // namespace aesvp
