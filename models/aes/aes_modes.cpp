#include "models/aes/aes_modes.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace aesvp {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the XTS tweak is read as two host-order 64-bit words: little-endian hosts only");

const char* to_string(AesChaining c) {
  switch (c) {
    case AesChaining::Ecb: return "ecb";
    case AesChaining::Cbc: return "cbc";
    case AesChaining::Ctr: return "ctr";
    case AesChaining::Xts: return "xts";
  }
  return "?";
}

void xts_mul_alpha(AesBlock& t) {
  // The tweak is a little-endian 128-bit number (IEEE 1619): shift it left by one and reduce
  // by x^128 = x^7 + x^2 + x + 1. Two 64-bit halves (little-endian hosts only).
  std::uint64_t lo, hi;
  std::memcpy(&lo, t.data(), 8);
  std::memcpy(&hi, t.data() + 8, 8);
  const std::uint64_t carry = hi >> 63;
  hi = (hi << 1) | (lo >> 63);
  lo = (lo << 1) ^ (carry * 0x87);
  std::memcpy(t.data(), &lo, 8);
  std::memcpy(t.data() + 8, &hi, 8);
}

void ctr_increment(AesBlock& ctr, unsigned width_bits) {
  const std::size_t bytes = width_bits / 8;
  for (std::size_t i = 0; i < bytes; ++i) {
    std::uint8_t& b = ctr[15 - i];
    if (++b != 0) return;
  }
}

AesBlock unit_iv_block(UnitIvKind kind, std::uint64_t n) {
  AesBlock iv{};
  switch (kind) {
    case UnitIvKind::Plain:
      for (unsigned i = 0; i < 4; ++i) iv[i] = static_cast<std::uint8_t>(n >> (8 * i));
      break;
    case UnitIvKind::Plain64:
    case UnitIvKind::Essiv:
      for (unsigned i = 0; i < 8; ++i) iv[i] = static_cast<std::uint8_t>(n >> (8 * i));
      break;
    case UnitIvKind::Plain64Be:
      for (unsigned i = 0; i < 8; ++i) iv[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
      break;
  }
  return iv;
}

void AesModeEngine::start(const AesModeSpec& spec, const AesBlock& iv) {
  spec_ = spec;
  iv_ = iv;
  tweak_started_ = false;
  units_ = AesUnitSpec{};
}

bool AesModeEngine::start_units(const AesUnitSpec& units) {
  units_ = AesUnitSpec{};
  if (!units.enabled || units.unit_blocks == 0 || units.step_log2 > 63) return false;
  if (spec_.chaining != AesChaining::Cbc && spec_.chaining != AesChaining::Xts) return false;
  units_ = units;
  unit_block_ = 0;
  unit_no_ = units.first_unit;
  return true;
}

void AesModeEngine::begin_unit() {
  iv_ = unit_iv_block(units_.iv_kind, unit_no_);
  if (spec_.chaining == AesChaining::Xts) {
    key2_.encrypt(iv_.data(), iv_.data());  // T = E_K2(IV of the unit), j = 0
    tweak_started_ = true;
  } else if (units_.iv_kind == UnitIvKind::Essiv) {
    key2_.encrypt(iv_.data(), iv_.data());  // E_salt(plain64 of the unit)
  }
}

void AesModeEngine::start_tweak() {
  if (spec_.xts_mode != 1) {
    key2_.encrypt(iv_.data(), iv_.data());  // T = E_K2(n)
    if (spec_.xts_mode == 2) {
      for (std::uint32_t i = 0; i < spec_.xts_j; ++i) xts_mul_alpha(iv_);
    }
  }
  tweak_started_ = true;
}

// dst ^= a over n bytes; n is a whole number of 16-byte blocks, so 64-bit words cover it.
static void xor_blocks(std::uint8_t* dst, const std::uint8_t* a, std::size_t n) {
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, dst + i, 8);
    std::memcpy(&y, a + i, 8);
    x ^= y;
    std::memcpy(dst + i, &x, 8);
  }
}

void AesModeEngine::process(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks) {
  if (!units_.enabled) {
    process_run(in, out, blocks);
    return;
  }
  constexpr std::size_t B = AesBlockCipher::kBlock;
  while (blocks > 0) {
    if (unit_block_ == 0) begin_unit();
    const std::size_t run = std::min<std::size_t>(blocks, units_.unit_blocks - unit_block_);
    process_run(in, out, run);
    in += run * B;
    out += run * B;
    blocks -= run;
    unit_block_ += static_cast<std::uint32_t>(run);
    if (unit_block_ == units_.unit_blocks) {
      unit_block_ = 0;
      unit_no_ += std::uint64_t{1} << units_.step_log2;
    }
  }
}

void AesModeEngine::process_run(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks) {
  constexpr std::size_t B = AesBlockCipher::kBlock;
  if (blocks == 0) return;
  switch (spec_.chaining) {
    case AesChaining::Ecb:
      if (spec_.encrypt) key1_.encrypt(in, out, blocks);
      else key1_.decrypt(in, out, blocks);
      return;
    case AesChaining::Cbc:
      if (spec_.encrypt) {
        for (std::size_t k = 0; k < blocks; ++k) {
          AesBlock x;
          std::memcpy(x.data(), in + k * B, B);
          xor_blocks(x.data(), iv_.data(), B);
          key1_.encrypt(x.data(), out + k * B);
          std::memcpy(iv_.data(), out + k * B, B);
        }
      } else {
        // P_k = D(C_k) ^ C_{k-1}: decrypt all, then chain (copy the ciphertext first: aliasing).
        scratch_.assign(in, in + blocks * B);
        key1_.decrypt(in, out, blocks);
        xor_blocks(out, iv_.data(), B);
        for (std::size_t k = 1; k < blocks; ++k) xor_blocks(out + k * B, &scratch_[(k - 1) * B], B);
        std::memcpy(iv_.data(), &scratch_[(blocks - 1) * B], B);
      }
      return;
    case AesChaining::Ctr: {
      // Same for both directions: out = in ^ E(counter), counter += 1 within the width.
      scratch_.resize(blocks * B);
      for (std::size_t k = 0; k < blocks; ++k) {
        std::memcpy(&scratch_[k * B], iv_.data(), B);
        ctr_increment(iv_, spec_.ctr_width_bits);
      }
      key1_.encrypt(scratch_.data(), scratch_.data(), blocks);
      if (out != in) std::memmove(out, in, blocks * B);
      xor_blocks(out, scratch_.data(), blocks * B);
      return;
    }
    case AesChaining::Xts: {
      if (!tweak_started_) start_tweak();
      // Tweaks T_k for each block; out = E/D_K1(in ^ T_k) ^ T_k.
      scratch_.resize(blocks * B);
      for (std::size_t k = 0; k < blocks; ++k) {
        std::memcpy(&scratch_[k * B], iv_.data(), B);
        xts_mul_alpha(iv_);
      }
      if (out != in) std::memmove(out, in, blocks * B);
      xor_blocks(out, scratch_.data(), blocks * B);
      if (spec_.encrypt) key1_.encrypt(out, out, blocks);
      else key1_.decrypt(out, out, blocks);
      xor_blocks(out, scratch_.data(), blocks * B);
      return;
    }
  }
  throw std::logic_error("AesModeEngine: unknown chaining mode");
}

}  // namespace aesvp
