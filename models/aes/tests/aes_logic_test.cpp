// SystemC-free tests of the AES mode logic against published vectors and independent
// references built here from OpenSSL EVP (never against the model's own output).
#include "models/aes/aes_block_cipher.h"
#include "models/aes/aes_dma_pipeline.h"
#include "models/aes/aes_modes.h"
#include "models/aes/omap_aes_regs.h"
#include "models/aes/tests/aes_vectors.h"
#include "models/aes/tests/openssl_refs.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>

namespace aesvp {
namespace {

using test_vectors::Bytes;
using test_vectors::hex;
using test_vectors::evp;
using test_vectors::ref_xts;

AesBlock block_of(const Bytes& b) {
  AesBlock a{};
  std::memcpy(a.data(), b.data(), 16);
  return a;
}

Bytes run(AesModeEngine& e, const Bytes& in) {
  Bytes out(in.size());
  e.process(in.data(), out.data(), in.size() / 16);
  return out;
}

// Independent reference: one EVP cipher over the whole buffer.
TEST(AesBlockCipher, Fips197AppendixC) {
  for (const auto& v : test_vectors::kFips197) {
    AesBlockCipher c;
    const Bytes key = hex(v.key), pt = hex(test_vectors::kFips197Plain), ct = hex(v.ct);
    ASSERT_TRUE(c.set_key(key.data(), key.size()));
    EXPECT_EQ(c.key_bits(), key.size() * 8);
    Bytes out(16);
    c.encrypt(pt.data(), out.data());
    EXPECT_EQ(out, ct) << v.key;
    c.decrypt(ct.data(), out.data());
    EXPECT_EQ(out, pt) << v.key;
  }
}

TEST(AesBlockCipher, RejectsBadKeyLengthAndRekeys) {
  AesBlockCipher c;
  std::uint8_t key[32] = {};
  EXPECT_FALSE(c.set_key(key, 20));
  EXPECT_FALSE(c.has_key());
  std::uint8_t b[16] = {};
  EXPECT_THROW(c.encrypt(b, b), std::logic_error);
  // Re-keying with another key and size gives that key's result.
  const auto& v0 = test_vectors::kFips197[0];
  const auto& v2 = test_vectors::kFips197[2];
  const Bytes pt = hex(test_vectors::kFips197Plain);
  Bytes out(16);
  for (const auto* v : {&v0, &v2, &v0}) {
    const Bytes k = hex(v->key);
    ASSERT_TRUE(c.set_key(k.data(), k.size()));
    c.encrypt(pt.data(), out.data());
    EXPECT_EQ(out, hex(v->ct));
  }
}

TEST(AesModes, Sp80038aEcbCbcCtrAllKeySizes) {
  const Bytes pt = hex(test_vectors::kSp80038aPlain);
  for (const auto& v : test_vectors::kSp80038a) {
    const Bytes key = hex(v.key);
    struct Case { AesChaining c; const char* ct; const char* iv; } cases[] = {
        {AesChaining::Ecb, v.ecb, test_vectors::kSp80038aCbcIv},
        {AesChaining::Cbc, v.cbc, test_vectors::kSp80038aCbcIv},
        {AesChaining::Ctr, v.ctr, test_vectors::kSp80038aCtrIv}};
    for (const Case& c : cases) {
      for (bool enc : {true, false}) {
        AesModeEngine e;
        ASSERT_TRUE(e.set_key1(key.data(), key.size()));
        AesModeSpec s;
        s.chaining = c.c;
        s.encrypt = enc;
        e.start(s, block_of(hex(c.iv)));
        // One block at a time, as the hardware does.
        Bytes out;
        const Bytes& in = enc ? pt : hex(c.ct);
        for (std::size_t k = 0; k < 4; ++k) {
          Bytes blk(in.begin() + 16 * k, in.begin() + 16 * (k + 1));
          Bytes o = run(e, blk);
          out.insert(out.end(), o.begin(), o.end());
        }
        EXPECT_EQ(out, enc ? hex(c.ct) : pt) << v.key << " " << to_string(c.c) << (enc ? " enc" : " dec");
        // The chaining value after the request: CBC the last ciphertext block, CTR the next counter.
        if (c.c == AesChaining::Cbc) {
          const Bytes ct = hex(c.ct);
          EXPECT_EQ(e.iv(), block_of(Bytes(ct.end() - 16, ct.end())));
        }
        if (c.c == AesChaining::Ctr) {
          Bytes next = hex(test_vectors::kSp80038aCtrIv);
          next[15] = static_cast<std::uint8_t>(next[15] + 4);  // ...feff + 4 = ...ff03: carries
          next[14] = static_cast<std::uint8_t>(next[14] + 1);
          EXPECT_EQ(e.iv(), block_of(next));
        }
      }
    }
  }
}

TEST(AesModes, Ieee1619XtsVectorsMode3) {
  for (const auto& v : test_vectors::ieee1619_vectors()) {
    const Bytes k1 = hex(v.key1), k2 = hex(v.key2), pt = hex(v.pt), ct = hex(v.ct);
    for (bool enc : {true, false}) {
      AesModeEngine e;
      ASSERT_TRUE(e.set_key1(k1.data(), k1.size()));
      ASSERT_TRUE(e.set_key2(k2.data(), k2.size()));
      AesModeSpec s;
      s.chaining = AesChaining::Xts;
      s.encrypt = enc;
      s.xts_mode = 3;
      e.start(s, block_of(hex(v.tweak)));
      EXPECT_TRUE(e.initial_tweak_pending());
      // Mixed-size pieces: first block alone, then the rest.
      Bytes in = enc ? pt : ct;
      Bytes out = run(e, Bytes(in.begin(), in.begin() + 16));
      Bytes rest = run(e, Bytes(in.begin() + 16, in.end()));
      out.insert(out.end(), rest.begin(), rest.end());
      EXPECT_FALSE(e.initial_tweak_pending());
      EXPECT_EQ(out, enc ? ct : pt) << v.name << (enc ? " enc" : " dec");
    }
  }
}

// Bulk extension: a run of blocks computed in one call (the AES model's fast mode) is timed
// beforehand with unit_iv_pending(ahead), which must name exactly the blocks that open a data
// unit; the run's output is each unit's XTS over the unit's plain64 number (OpenSSL EVP).
TEST(AesModes, UnitIvPendingAheadNamesTheUnitStartsOfARun) {
  const Bytes k1(32, 0x11), k2(32, 0x22);
  AesModeEngine e;
  ASSERT_TRUE(e.set_key1(k1.data(), k1.size()));
  ASSERT_TRUE(e.set_key2(k2.data(), k2.size()));
  AesModeSpec s;
  s.chaining = AesChaining::Xts;
  e.start(s, AesBlock{});
  AesUnitSpec u;
  u.enabled = true;
  u.unit_blocks = 4;
  u.first_unit = 7;
  ASSERT_TRUE(e.start_units(u));
  Bytes in(16 * 11);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<std::uint8_t>(i * 13 + 5);
  Bytes out = run(e, Bytes(in.begin(), in.begin() + 16 * 2));  // blocks 0-1, then a run of 9
  for (std::uint64_t ahead = 0; ahead < 9; ++ahead)
    EXPECT_EQ(e.unit_iv_pending(ahead), (2 + ahead) % 4 == 0) << "block " << 2 + ahead;
  const Bytes rest = run(e, Bytes(in.begin() + 16 * 2, in.end()));
  out.insert(out.end(), rest.begin(), rest.end());
  for (std::uint64_t unit = 0; unit * 64 < in.size(); ++unit) {
    Bytes n(16, 0);
    n[0] = static_cast<std::uint8_t>(7 + unit);  // plain64, little-endian
    const std::size_t from = unit * 64, to = std::min<std::size_t>(in.size(), from + 64);
    EXPECT_EQ(Bytes(out.begin() + from, out.begin() + to),
              ref_xts(k1, k2, n, Bytes(in.begin() + from, in.begin() + to), true))
        << "unit " << unit;
  }
}

// XTS mode 2 (T = E_K2(n) * alpha^j) starting at block j gives the data unit's blocks from
// j on; mode 1 takes the running tweak itself.
TEST(AesModes, XtsMode2StartsAtBlockJAndMode1TakesTheTweak) {
  const auto v = test_vectors::ieee1619_vectors()[3];  // vector 4, 32 blocks
  const Bytes k1 = hex(v.key1), k2 = hex(v.key2), pt = hex(v.pt), ct = hex(v.ct);
  for (std::uint32_t j : {1u, 5u, 31u}) {
    AesModeEngine e;
    e.set_key1(k1.data(), k1.size());
    e.set_key2(k2.data(), k2.size());
    AesModeSpec s;
    s.chaining = AesChaining::Xts;
    s.xts_mode = 2;
    s.xts_j = j;
    e.start(s, block_of(hex(v.tweak)));
    EXPECT_EQ(run(e, Bytes(pt.begin() + 16 * j, pt.end())), Bytes(ct.begin() + 16 * j, ct.end())) << j;
  }
  // Mode 1: T = E_K2(n) computed independently with OpenSSL ECB.
  const Bytes t = evp("AES-128-ECB", k2, {}, hex(v.tweak), true);
  AesModeEngine e;
  e.set_key1(k1.data(), k1.size());
  AesModeSpec s;
  s.chaining = AesChaining::Xts;
  s.xts_mode = 1;
  e.start(s, block_of(t));
  EXPECT_FALSE(e.initial_tweak_pending());
  EXPECT_EQ(run(e, pt), ct);
}

TEST(AesModes, Xts2x192AndEqualKeysAgainstIndependentReference) {
  std::mt19937 rng(192);
  auto rnd = [&](std::size_t n) { Bytes b(n); for (auto& x : b) x = static_cast<std::uint8_t>(rng()); return b; };
  for (std::size_t klen : {16u, 24u, 32u}) {
    for (bool same : {false, true}) {
      const Bytes k1 = rnd(klen), k2 = same ? k1 : rnd(klen), n = rnd(16), pt = rnd(16 * 37);
      for (bool enc : {true, false}) {
        AesModeEngine e;
        ASSERT_TRUE(e.set_key1(k1.data(), k1.size()));
        ASSERT_TRUE(e.set_key2(k2.data(), k2.size()));
        AesModeSpec s;
        s.chaining = AesChaining::Xts;
        s.encrypt = enc;
        e.start(s, block_of(n));
        EXPECT_EQ(run(e, pt), ref_xts(k1, k2, n, pt, enc)) << klen << (same ? " k1==k2" : "");
      }
    }
  }
}

// CTR counter widths: the carry stops at the width. The expected counter sequence is built
// here as integers and encrypted with OpenSSL ECB.
TEST(AesModes, CtrWidthWrapsAt32And64Bits) {
  const Bytes key = hex(test_vectors::kSp80038a[0].key);
  for (unsigned width : {32u, 64u, 96u, 128u}) {
    // Low `width` bits all ones except the last two: the third block wraps them to zero.
    Bytes iv = hex("0102030405060708090a0b0c0d0e0f10");
    for (unsigned i = 0; i < width / 8; ++i) iv[15 - i] = 0xff;
    iv[15] = 0xfe;
    Bytes counters;
    for (std::uint64_t k = 0; k < 4; ++k) {
      Bytes c = iv;
      // Add k to the low `width` bits, modulo 2^width, byte by byte with carry.
      unsigned carry = static_cast<unsigned>(k);
      for (unsigned i = 0; i < width / 8; ++i) {
        const unsigned s = c[15 - i] + carry;
        c[15 - i] = static_cast<std::uint8_t>(s);
        carry = s >> 8;
      }
      counters.insert(counters.end(), c.begin(), c.end());
    }
    const Bytes ks = evp("AES-128-ECB", key, {}, counters, true);
    const Bytes pt = hex(test_vectors::kSp80038aPlain);
    Bytes want(64);
    for (int i = 0; i < 64; ++i) want[i] = pt[i] ^ ks[i];
    AesModeEngine e;
    e.set_key1(key.data(), key.size());
    AesModeSpec s;
    s.chaining = AesChaining::Ctr;
    s.ctr_width_bits = width;
    e.start(s, block_of(iv));
    EXPECT_EQ(run(e, pt), want) << width;
    // Bytes above the width never change.
    for (unsigned i = 0; i < 16 - width / 8; ++i) EXPECT_EQ(e.iv()[i], iv[i]) << width;
  }
}

TEST(AesModes, RandomBuffersMatchEvpFullModeCiphers) {
  std::mt19937 rng(7);
  auto rnd = [&](std::size_t n) { Bytes b(n); for (auto& x : b) x = static_cast<std::uint8_t>(rng()); return b; };
  const char* names[3][3] = {{"AES-128-ECB", "AES-128-CBC", "AES-128-CTR"},
                             {"AES-192-ECB", "AES-192-CBC", "AES-192-CTR"},
                             {"AES-256-ECB", "AES-256-CBC", "AES-256-CTR"}};
  for (int ks = 0; ks < 3; ++ks) {
    for (int m = 0; m < 3; ++m) {
      const Bytes key = rnd(16 + 8 * ks), iv = rnd(16), pt = rnd(16 * 101);
      for (bool enc : {true, false}) {
        AesModeEngine e;
        e.set_key1(key.data(), key.size());
        AesModeSpec s;
        s.chaining = m == 0 ? AesChaining::Ecb : m == 1 ? AesChaining::Cbc : AesChaining::Ctr;
        s.encrypt = enc;
        e.start(s, block_of(iv));
        Bytes buf = pt;  // in place
        e.process(buf.data(), buf.data(), buf.size() / 16);
        EXPECT_EQ(buf, evp(names[ks][m], key, m == 0 ? Bytes{} : iv, pt, enc)) << names[ks][m];
      }
    }
  }
  for (const char* name : {"AES-128-XTS", "AES-256-XTS"}) {
    const std::size_t half = std::string(name) == "AES-128-XTS" ? 16 : 32;
    const Bytes key = rnd(2 * half), iv = rnd(16), pt = rnd(16 * 64);
    for (bool enc : {true, false}) {
      AesModeEngine e;
      e.set_key1(key.data(), half);
      e.set_key2(key.data() + half, half);
      AesModeSpec s;
      s.chaining = AesChaining::Xts;
      s.encrypt = enc;
      e.start(s, block_of(iv));
      EXPECT_EQ(run(e, pt), evp(name, key, iv, pt, enc)) << name;
    }
  }
}

// Against the OMAP4 TRM's register summary (shared/reference/omap-aes.md), as data: the
// names of the 16 key words in address order from 0x00, and CTRL's fields by bit range.
TEST(OmapAesRegs, KeyWordOrderAndFields) {
  const char* const by_address[16] = {"KEY2_6", "KEY2_7", "KEY2_4", "KEY2_5", "KEY2_2", "KEY2_3",
                                      "KEY2_0", "KEY2_1", "KEY1_6", "KEY1_7", "KEY1_4", "KEY1_5",
                                      "KEY1_2", "KEY1_3", "KEY1_0", "KEY1_1"};
  for (unsigned x = 0; x < 8; ++x) {
    const std::string w = std::to_string(x);
    EXPECT_EQ(by_address[omap_aes::key1_word(x) / 4], "KEY1_" + w) << x;
    EXPECT_EQ(by_address[omap_aes::key2_word(x) / 4], "KEY2_" + w) << x;
  }
  auto field = [](unsigned hi, unsigned lo) { return ((2u << hi) - 1) & ~((1u << lo) - 1); };
  EXPECT_EQ(omap_aes::kCtrl, 0x50u);
  EXPECT_EQ(omap_aes::kIrqEnable, 0x90u);
  EXPECT_EQ(omap_aes::kCtrlXtsMask, field(12, 11));
  EXPECT_EQ(omap_aes::kCtrlCtrWidthMask, field(8, 7));
}

// The pipeline formula's closed forms (docs/timing.md).
TEST(AesDmaPipeline, ClosedForms) {
  AesDmaPipeline p{60000, 70000, 50000, 400000, 0};  // AES-bound
  EXPECT_EQ(aes_dma_transfer_ps(p, 256), 60000u + 256u * 400000u + 70000u);
  p.core_first_extra_ps = 400000;
  EXPECT_EQ(aes_dma_transfer_ps(p, 256), 60000u + 257u * 400000u + 70000u);
  AesDmaPipeline q{60000, 70000, 50000, 20000, 0};  // DMA-bound
  EXPECT_EQ(aes_dma_transfer_ps(q, 256), 256u * 130000u);
}

}  // namespace
}  // namespace aesvp
