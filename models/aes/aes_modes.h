// What the OMAP AES core does with a stream of 16-byte blocks, SystemC-free: ECB, CBC
// chaining, CTR with a counter width of 32/64/96/128 bits (the carry stops at the width),
// and XTS (IEEE 1619 / SP 800-38E, whole blocks, no ciphertext stealing) in the three
// hardware variants of CTRL.XTS:
//   1: IV holds the running tweak T;
//   2: T = E_K2(n) * alpha^j  (n from IV, j from AUTH_LENGTH);
//   3: T = E_K2(n)            (j = 0).
// key1 == key2 is allowed for XTS (the hardware and the Linux kernel accept it).
#pragma once

#include "models/aes/aes_block_cipher.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace aesvp {

using AesBlock = std::array<std::uint8_t, 16>;

enum class AesChaining { Ecb, Cbc, Ctr, Xts };

const char* to_string(AesChaining c);

struct AesModeSpec {
  AesChaining chaining = AesChaining::Ecb;
  bool encrypt = true;
  unsigned ctr_width_bits = 128;  // CTR: 32, 64, 96 or 128
  unsigned xts_mode = 3;          // XTS: 1, 2 or 3 (CTRL.XTS)
  std::uint32_t xts_j = 0;        // XTS mode 2: block index j inside the data unit
};

// --- Bulk extension (beyond TI silicon, off by default; see docs/omap-aes-model.md) ---------
// The core derives each data unit's IV from a data-unit number, as inline-encryption engines
// do: unit i of a request uses number n + i * 2^step_log2.
enum class UnitIvKind : std::uint8_t { Plain = 1, Plain64 = 2, Plain64Be = 3, Essiv = 4 };

struct AesUnitSpec {
  bool enabled = false;
  std::uint32_t unit_blocks = 0;  // 16-byte blocks per data unit (> 0 when enabled)
  std::uint64_t first_unit = 0;   // n
  unsigned step_log2 = 0;         // the number advances by 2^step_log2 per unit
  UnitIvKind iv_kind = UnitIvKind::Plain64;
};

// The 16-byte IV block of data-unit number `n` (dm-crypt's plain / plain64 / plain64be; ESSIV
// encrypts the plain64 block with the salt key afterwards).
AesBlock unit_iv_block(UnitIvKind kind, std::uint64_t n);

// Multiplies an XTS tweak by alpha in GF(2^128) (IEEE 1619: byte 0 is least significant,
// reduction polynomial x^128 + x^7 + x^2 + x + 1).
void xts_mul_alpha(AesBlock& t);

// Adds one to the big-endian counter held in the last width_bits/8 bytes of `ctr`; the
// carry stops at the width (the bytes above it never change).
void ctr_increment(AesBlock& ctr, unsigned width_bits);

class AesModeEngine {
 public:
  // Key sizes 16/24/32 bytes; false (and no key) otherwise.
  bool set_key1(const std::uint8_t* key, std::size_t len) { return key1_.set_key(key, len); }
  bool set_key2(const std::uint8_t* key, std::size_t len) { return key2_.set_key(key, len); }
  unsigned key1_bits() const { return key1_.key_bits(); }
  unsigned key2_bits() const { return key2_.key_bits(); }

  // Loads a context: mode and IV (CBC chaining value, CTR counter, XTS n or T).
  void start(const AesModeSpec& spec, const AesBlock& iv);
  const AesModeSpec& spec() const { return spec_; }

  // The chaining value as the IV registers show it: after CBC the last ciphertext block,
  // after CTR the next counter, for XTS n until the first block, then the running tweak.
  const AesBlock& iv() const { return iv_; }
  // An IV write in the middle of a context replaces the chaining value (XTS: n before the
  // first block, the running tweak after it).
  void set_iv(const AesBlock& iv) { iv_ = iv; }

  // XTS modes 2 and 3 compute the initial tweak before the first block (it costs the core
  // one more block time).
  bool initial_tweak_pending() const {
    return spec_.chaining == AesChaining::Xts && !tweak_started_ && spec_.xts_mode != 1 &&
           !units_.enabled;
  }

  // Processes `blocks` whole blocks (in and out may alias). Throws std::logic_error when
  // a needed key is missing.
  void process(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks);

  // Bulk extension: after start(), derive the IV of every data unit (CBC: the chaining value,
  // ESSIV encrypted with key2 as the salt key; XTS: T = E_K2(IV) per unit, j = 0). Only CBC
  // and XTS; false (units off) for other modes or a zero unit size.
  bool start_units(const AesUnitSpec& units);
  bool units_active() const { return units_.enabled; }
  // The block `ahead` blocks after the next one (0: the next) starts a unit whose IV costs
  // the core one block time (XTS tweak, ESSIV): a caller that computes a run of blocks in
  // one process() call times each block of it beforehand.
  bool unit_iv_pending(std::uint64_t ahead = 0) const {
    return units_.enabled && (unit_block_ + ahead) % units_.unit_blocks == 0 &&
           (spec_.chaining == AesChaining::Xts || units_.iv_kind == UnitIvKind::Essiv);
  }
  // The number of the unit the next block belongs to (or follows, at a unit boundary).
  std::uint64_t next_unit() const { return unit_no_; }

 private:
  void start_tweak();
  void process_run(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks);
  void begin_unit();

  AesUnitSpec units_;
  std::uint32_t unit_block_ = 0;  // block index inside the current unit
  std::uint64_t unit_no_ = 0;

  AesBlockCipher key1_, key2_;
  AesModeSpec spec_;
  AesBlock iv_{};
  bool tweak_started_ = false;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace aesvp
