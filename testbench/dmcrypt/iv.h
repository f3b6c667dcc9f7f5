// dm-crypt IV generators (drivers/md/dm-crypt.c, crypto/essiv.c) for a 16-byte-block cipher.
//   plain      low 32 bits of iv_sector, little-endian, in bytes 0..3; rest zero
//   plain64    iv_sector, 64-bit little-endian, in bytes 0..7; rest zero
//   plain64be  iv_sector, 64-bit big-endian, in bytes 8..15; rest zero
//   essiv:H    AES-ECB_salt(plain64 IV), salt = H(key of the transform), AES key = salt
//   benbi      (iv_sector << 5) + 1, 64-bit big-endian, in bytes 8..15; rest zero
//              (the kernel's shift is 9 - log2(cipher block size) = 9 - 4 for AES)
//   null       all zero
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "testbench/dmcrypt/cipher_spec.h"
#include "testbench/dmcrypt/key.h"

namespace aesvp::dmcrypt {

inline constexpr std::size_t kIvBytes = 16;
inline constexpr unsigned kBenbiShift = 5;  // 9 - log2(16): 512-byte sector -> 16-byte blocks
using Iv = std::array<std::uint8_t, kIvBytes>;

Iv iv_plain(std::uint64_t iv_sector);
Iv iv_plain64(std::uint64_t iv_sector);
Iv iv_plain64be(std::uint64_t iv_sector);
Iv iv_benbi(std::uint64_t iv_sector);
Iv iv_null();
// salt = HASH(tfm_key); its length (16 for md5, 32 for sha256) is the ESSIV AES key length.
std::vector<std::uint8_t> essiv_salt(EssivHash hash, const std::vector<std::uint8_t>& tfm_key);
Iv iv_essiv(std::uint64_t iv_sector, const std::vector<std::uint8_t>& salt);

// The IV generator of one mapping: spec and key (ESSIV salts are computed once per transform).
class IvGenerator {
public:
  explicit IvGenerator(const VolumeKey& key);

  IvMode mode() const { return mode_; }
  // IV of a request with this iv_sector on transform `key_index` (IvMode::none: all zero).
  Iv generate(std::uint64_t iv_sector, std::uint32_t key_index) const;
  // ESSIV salt of transform `key_index` (empty unless the mode is essiv).
  const std::vector<std::uint8_t>& salt(std::uint32_t key_index) const;

private:
  IvMode mode_;
  std::vector<std::vector<std::uint8_t>> salts_;  // one per transform, ESSIV only
};

}  // namespace aesvp::dmcrypt
