#include "testbench/dmcrypt/reference.h"

#include <algorithm>
#include <string>

#include "testbench/dmcrypt/evp.h"

namespace aesvp::dmcrypt {

namespace {

void gf128_mul_x(Iv& t) {
  const std::uint8_t carry = static_cast<std::uint8_t>(t[15] >> 7);
  for (std::size_t i = 15; i > 0; --i) {
    t[i] = static_cast<std::uint8_t>((t[i] << 1) | (t[i - 1] >> 7));
  }
  t[0] = static_cast<std::uint8_t>((t[0] << 1) ^ (carry != 0 ? 0x87 : 0x00));
}

bool halves_equal(const std::vector<std::uint8_t>& key) {
  const std::size_t half = key.size() / 2;
  return std::equal(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(half),
                    key.begin() + static_cast<std::ptrdiff_t>(half));
}

}  // namespace

void xts_via_ecb(const std::vector<std::uint8_t>& tfm_key, const Iv& iv, const std::uint8_t* in,
                 std::uint8_t* out, std::size_t len, Direction dir) {
  const std::size_t half = tfm_key.size() / 2;
  if (tfm_key.size() % 2 != 0 || (half != 16 && half != 24 && half != 32)) {
    throw CryptoError("XTS key of " + std::to_string(tfm_key.size()) + " bytes");
  }
  if (len % 16 != 0) throw CryptoError("XTS length " + std::to_string(len) + " not a multiple of 16");
  const std::uint8_t* key1 = tfm_key.data();
  const std::uint8_t* key2 = tfm_key.data() + half;
  // Tweaks T_j = E_key2(iv) * x^j for every block, then one ECB pass over (data ^ T).
  std::vector<std::uint8_t> tweaks(len);
  Iv t{};
  evp::aes_ecb(key2, half, true, iv.data(), t.data(), 16);
  for (std::size_t off = 0; off < len; off += 16) {
    std::copy(t.begin(), t.end(), tweaks.begin() + static_cast<std::ptrdiff_t>(off));
    gf128_mul_x(t);
  }
  std::vector<std::uint8_t> work(len);
  for (std::size_t i = 0; i < len; ++i) work[i] = static_cast<std::uint8_t>(in[i] ^ tweaks[i]);
  evp::aes_ecb(key1, half, dir == Direction::encrypt, work.data(), work.data(), len);
  for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<std::uint8_t>(work[i] ^ tweaks[i]);
}

void crypt_unit(ChainMode mode, const std::vector<std::uint8_t>& tfm_key, const Iv& iv,
                const std::uint8_t* in, std::uint8_t* out, std::size_t len, Direction dir) {
  if (mode == ChainMode::xts && (tfm_key.size() == 48 || halves_equal(tfm_key))) {
    xts_via_ecb(tfm_key, iv, in, out, len, dir);
    return;
  }
  evp::mode_crypt(mode, tfm_key.data(), tfm_key.size(), iv.data(), dir == Direction::encrypt, in,
                  out, len);
}

Reference::Reference(VolumeKey key, SectorMapping mapping)
    : key_(std::move(key)), mapping_(mapping), ivgen_(key_) {
  mapping_.validate();
  if (mapping_.keycount != key_.keycount()) {
    throw MappingError("mapping key count " + std::to_string(mapping_.keycount) +
                       " differs from the key count " + std::to_string(key_.keycount()) +
                       " of cipher spec '" + key_.spec().canonical() + "'");
  }
  tfm_keys_.reserve(key_.keycount());
  for (std::uint32_t i = 0; i < key_.keycount(); ++i) tfm_keys_.push_back(key_.tfm_key(i));
}

Iv Reference::iv_of(std::uint64_t index) const {
  return ivgen_.generate(mapping_.iv_sector_of(index), mapping_.key_index_of(index));
}

void Reference::crypt_sector(std::uint64_t index, const std::uint8_t* in, std::uint8_t* out,
                             Direction dir) const {
  const std::uint32_t k = mapping_.key_index_of(index);
  const Iv iv = ivgen_.generate(mapping_.iv_sector_of(index), k);
  crypt_unit(spec().chain, tfm_keys_[k], iv, in, out, mapping_.sector_size, dir);
}

void Reference::crypt_sectors(std::uint64_t first_index, const std::uint8_t* in,
                              std::uint8_t* out, std::size_t bytes, Direction dir) const {
  const std::size_t ss = mapping_.sector_size;
  if (bytes % ss != 0) {
    throw MappingError(std::to_string(bytes) + " bytes are not a whole number of " +
                       std::to_string(ss) + "-byte encryption sectors");
  }
  for (std::size_t off = 0, i = 0; off < bytes; off += ss, ++i) {
    crypt_sector(first_index + i, in + off, out + off, dir);
  }
}

std::vector<std::uint8_t> Reference::encrypt(std::uint64_t first_index,
                                             const std::vector<std::uint8_t>& plain) const {
  std::vector<std::uint8_t> out(plain.size());
  crypt_sectors(first_index, plain.data(), out.data(), plain.size(), Direction::encrypt);
  return out;
}

std::vector<std::uint8_t> Reference::decrypt(std::uint64_t first_index,
                                             const std::vector<std::uint8_t>& cipher) const {
  std::vector<std::uint8_t> out(cipher.size());
  crypt_sectors(first_index, cipher.data(), out.data(), cipher.size(), Direction::decrypt);
  return out;
}

}  // namespace aesvp::dmcrypt
