// The one OpenSSL AES wrapper of the testbench (the dm-crypt reference, the scoreboard, the
// `hw` and `speed` commands' checks; tests use it too). Thin RAII helpers over OpenSSL EVP;
// errors throw CryptoError. The driver's software fallback keeps its own thin use
// (driver/omap_aes/fallback.h says why).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "testbench/dmcrypt/cipher_spec.h"

namespace aesvp::dmcrypt::evp {

// AES-ECB over `len` bytes (multiple of 16), no padding. key_len 16, 24 or 32.
void aes_ecb(const std::uint8_t* key, std::size_t key_len, bool encrypt, const std::uint8_t* in,
             std::uint8_t* out, std::size_t len);

// Full-mode OpenSSL cipher: ECB/CBC/CTR with an AES key of 16/24/32 bytes, XTS with 32 or 64
// bytes (key1 || key2). `iv` is 16 bytes (ignored for ECB). No padding; len a multiple of 16
// (CTR: any length).
void mode_crypt(ChainMode mode, const std::uint8_t* key, std::size_t key_len,
                const std::uint8_t* iv, bool encrypt, const std::uint8_t* in, std::uint8_t* out,
                std::size_t len);

// EVP_Digest with md5 or sha256.
std::vector<std::uint8_t> digest(EssivHash hash, const std::uint8_t* data, std::size_t len);

// A digest OpenSSL knows by name (e.g. "ripemd160", "sha256"); throws CryptoError for a name
// it does not know or a digest without a fixed size (XOFs).
std::vector<std::uint8_t> digest(const std::string& name, const std::uint8_t* data,
                                 std::size_t len);

}  // namespace aesvp::dmcrypt::evp
