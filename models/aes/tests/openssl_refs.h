// Independent references for the AES tests: OpenSSL EVP full modes, and XTS built from
// OpenSSL ECB with its own GF(2^128) doubling (IEEE 1619 5.2) - never the model's code.
#pragma once

#include "models/aes/tests/aes_vectors.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace aesvp::test_vectors {

inline Bytes evp(const char* name, const Bytes& key, const Bytes& iv, const Bytes& in, bool enc) {
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(in.size() + 32);
  int l1 = 0, l2 = 0;
  EXPECT_EQ(EVP_CipherInit_ex2(ctx, c, key.data(), iv.empty() ? nullptr : iv.data(), enc ? 1 : 0, nullptr), 1) << name;
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EXPECT_EQ(EVP_CipherUpdate(ctx, out.data(), &l1, in.data(), static_cast<int>(in.size())), 1);
  EXPECT_EQ(EVP_CipherFinal_ex(ctx, out.data() + l1, &l2), 1);
  out.resize(static_cast<std::size_t>(l1 + l2));
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(c);
  return out;
}

inline Bytes ref_xts(const Bytes& k1, const Bytes& k2, const Bytes& n, const Bytes& in, bool enc) {
  const char* ecb = k1.size() == 16 ? "AES-128-ECB" : k1.size() == 24 ? "AES-192-ECB" : "AES-256-ECB";
  Bytes t = evp(ecb, k2, {}, n, true);
  Bytes out;
  for (std::size_t k = 0; k < in.size(); k += 16) {
    Bytes x(16);
    for (int i = 0; i < 16; ++i) x[i] = in[k + i] ^ t[i];
    x = evp(ecb, k1, {}, x, enc);
    for (int i = 0; i < 16; ++i) out.push_back(x[i] ^ t[i]);
    const bool msb = (t[15] & 0x80) != 0;
    for (int i = 15; i > 0; --i) t[i] = static_cast<std::uint8_t>((t[i] << 1) | (t[i - 1] >> 7));
    t[0] = static_cast<std::uint8_t>(t[0] << 1);
    if (msb) t[0] ^= 0x87;
  }
  return out;
}

}  // namespace aesvp::test_vectors
