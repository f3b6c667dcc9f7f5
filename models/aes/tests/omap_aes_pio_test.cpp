// PIO through the registers, as the Linux omap-aes PIO path drives it (no C_LENGTH),
// against published vectors: FIPS-197 C, SP 800-38A ECB/CBC/CTR, IEEE 1619 XTS.
#include "models/aes/tests/omap_aes_test_bench.h"

namespace aesvp::testing {
namespace {

TEST(OmapAesPio, Fips197AppendixC) {
  AesTestBench b;
  b.run([&] {
    const Bytes pt = hex(test_vectors::kFips197Plain);
    for (const auto& v : test_vectors::kFips197) {
      const Bytes key = hex(v.key), ct = hex(v.ct);
      write_context(b.cpu, key, {}, {}, ctrl_for(Mode::Ecb, true, static_cast<unsigned>(key.size() * 8)));
      EXPECT_EQ(pio_crypt(b, pt), ct) << v.key;
      // The same block through the FIFO address only (DATA_IN_0 / DATA_OUT_0), as an EDMA3
      // slave channel moves it.
      EXPECT_EQ(pio_crypt(b, pt, true), ct) << v.key;
      write_context(b.cpu, key, {}, {}, ctrl_for(Mode::Ecb, false, static_cast<unsigned>(key.size() * 8)));
      EXPECT_EQ(pio_crypt(b, ct), pt) << v.key;
    }
  });
  EXPECT_EQ(b.aes.blocks_processed(), 9u);
}

TEST(OmapAesPio, Sp80038aEcbCbcCtrAllKeySizesAndIvReadBack) {
  AesTestBench b;
  b.run([&] {
    const Bytes pt = hex(test_vectors::kSp80038aPlain);
    for (const auto& v : test_vectors::kSp80038a) {
      const Bytes key = hex(v.key);
      const unsigned bits = static_cast<unsigned>(key.size() * 8);
      struct Case { Mode m; const char* ct; const char* iv; } cases[] = {
          {Mode::Ecb, v.ecb, nullptr}, {Mode::Cbc, v.cbc, test_vectors::kSp80038aCbcIv},
          {Mode::Ctr, v.ctr, test_vectors::kSp80038aCtrIv}};
      for (const Case& c : cases) {
        const Bytes ct = hex(c.ct), iv = c.iv ? hex(c.iv) : Bytes{};
        for (bool enc : {true, false}) {
          write_context(b.cpu, key, {}, iv, ctrl_for(c.m, enc, bits));
          EXPECT_EQ(pio_crypt(b, enc ? pt : ct), enc ? ct : pt) << v.key << " mode " << int(c.m) << " enc " << enc;
          Bytes now(16);
          b.cpu.read_iv(now.data());
          if (c.m == Mode::Cbc) {
            // The next chaining value: the last ciphertext block.
            EXPECT_EQ(now, Bytes(ct.end() - 16, ct.end()));
          }
          if (c.m == Mode::Ctr) {
            // The next counter: f0..fdfeff + 4 = f0..fdff03.
            EXPECT_EQ(now, hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdff03"));
          }
        }
      }
    }
  });
}

TEST(OmapAesPio, Ieee1619XtsVectors) {
  AesTestBench b;
  b.run([&] {
    for (const auto& v : test_vectors::ieee1619_vectors()) {
      const Bytes k1 = hex(v.key1), k2 = hex(v.key2), pt = hex(v.pt), ct = hex(v.ct), n = hex(v.tweak);
      const unsigned bits = static_cast<unsigned>(k1.size() * 8);
      for (bool enc : {true, false}) {
        write_context(b.cpu, k1, k2, n, ctrl_for(Mode::Xts, enc, bits));
        EXPECT_EQ(pio_crypt(b, enc ? pt : ct), enc ? ct : pt) << v.name << " enc " << enc;
      }
    }
    // XTS mode 2: n and j loaded (j in AUTH_LENGTH): the data unit from block j on.
    const auto v = test_vectors::ieee1619_vectors()[3];
    const Bytes k1 = hex(v.key1), k2 = hex(v.key2), pt = hex(v.pt), ct = hex(v.ct);
    const std::uint32_t j = 7;
    write_context(b.cpu, k1, k2, hex(v.tweak), ctrl_for(Mode::Xts, true, 128, 0, regs::kXtsKey2NAndJ));
    b.cpu.write(regs::kAuthLength, j);  // after CTRL, as omap-aes orders AUTH_LENGTH
    EXPECT_EQ(pio_crypt(b, Bytes(pt.begin() + 16 * j, pt.begin() + 16 * (j + 4))),
              Bytes(ct.begin() + 16 * j, ct.begin() + 16 * (j + 4)));
  });
}

TEST(OmapAesPio, Xts2x192AndEqualKeysAgainstIndependentReference) {
  AesTestBench b;
  b.run([&] {
    std::mt19937 rng(2192);
    for (bool same : {false, true}) {
      const Bytes k1 = random_bytes(rng, 24), k2 = same ? k1 : random_bytes(rng, 24);
      const Bytes n = random_bytes(rng, 16), pt = random_bytes(rng, 16 * 9);
      for (bool enc : {true, false}) {
        write_context(b.cpu, k1, k2, n, ctrl_for(Mode::Xts, enc, 192));
        EXPECT_EQ(pio_crypt(b, pt), ref_xts(k1, k2, n, pt, enc)) << "same " << same << " enc " << enc;
      }
    }
  });
}

// CTR counter widths 32 and 64: the carry stops at the width. The expected counters are
// built here as integers and encrypted with OpenSSL ECB.
TEST(OmapAesPio, CtrWidthWrapAt32And64Bits) {
  AesTestBench b;
  b.run([&] {
    const Bytes key = hex(test_vectors::kSp80038a[2].key);
    const Bytes pt = hex(test_vectors::kSp80038aPlain);
    for (std::uint32_t wfield : {regs::kCtrWidth32, regs::kCtrWidth64}) {
      const unsigned width = wfield == regs::kCtrWidth32 ? 32 : 64;
      Bytes iv = hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
      for (unsigned i = 0; i < width / 8; ++i) iv[15 - i] = 0xff;
      iv[15] = 0xfe;
      Bytes counters;
      for (unsigned k = 0; k < 4; ++k) {
        Bytes c = iv;
        unsigned carry = k;
        for (unsigned i = 0; i < width / 8; ++i) {
          const unsigned s = c[15 - i] + carry;
          c[15 - i] = static_cast<std::uint8_t>(s);
          carry = s >> 8;
        }
        counters.insert(counters.end(), c.begin(), c.end());
      }
      const Bytes ks = evp("AES-256-ECB", key, {}, counters, true);
      Bytes want(64);
      for (int i = 0; i < 64; ++i) want[i] = pt[i] ^ ks[i];
      write_context(b.cpu, key, {}, iv, ctrl_for(Mode::Ctr, true, 256, wfield));
      EXPECT_EQ(pio_crypt(b, pt), want) << width;
      Bytes next(16);
      b.cpu.read_iv(next.data());
      EXPECT_EQ(Bytes(next.begin(), next.end() - width / 8), Bytes(iv.begin(), iv.end() - width / 8));
      EXPECT_EQ(next[15], 0x02);  // fe + 4 wrapped
    }
  });
}

// With C_LENGTH the input side stops after the length; a 16-byte burst write of the four
// DATA words is one block too.
TEST(OmapAesPio, LengthLimitsInputAndBlockBurstAccess) {
  AesTestBench b;
  b.run([&] {
    const auto& v = test_vectors::kSp80038a[0];
    const Bytes key = hex(v.key), pt = hex(test_vectors::kSp80038aPlain), ct = hex(v.ecb);
    write_context(b.cpu, key, {}, {}, ctrl_for(Mode::Ecb, true, 128));
    b.cpu.write(regs::kCLength0, 32);
    b.cpu.write(regs::kCLength1, 0);
    Bytes out(32);
    for (int k = 0; k < 2; ++k) {
      EXPECT_TRUE(b.cpu.read(regs::kCtrl) & regs::kCtrlInputReady);
      Bytes blk(pt.begin() + 16 * k, pt.begin() + 16 * (k + 1));
      ASSERT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, regs::kDataInOut0, blk.data(), 16), tlm::TLM_OK_RESPONSE);
      while (!(b.cpu.read(regs::kCtrl) & regs::kCtrlOutputReady)) sc_core::wait(10, sc_core::SC_NS);
      ASSERT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, regs::kDataInOut0, out.data() + 16 * k, 16), tlm::TLM_OK_RESPONSE);
    }
    EXPECT_EQ(out, Bytes(ct.begin(), ct.begin() + 32));
    EXPECT_FALSE(b.cpu.read(regs::kCtrl) & regs::kCtrlInputReady);
    EXPECT_FALSE(b.cpu.read(regs::kIrqStatus) & regs::kIrqDataIn);
    EXPECT_TRUE(b.cpu.read(regs::kCtrl) & regs::kCtrlContextReady);
  });
}

// PIO in a fast-mode model behaves as in accurate mode (fast mode needs DMA and a length):
// the output block is ready exactly one core time after the DATA_IN_3 access ends.
TEST(OmapAesPio, FastModelPioBehavesAsAccurate) {
  AesTestBench b(AesParams{}, TimingMode::Fast);
  bool finished = false;
  b.run([&] {
    const auto& v = test_vectors::kFips197[1];
    write_context(b.cpu, hex(v.key), {}, {}, ctrl_for(Mode::Ecb, true, 192));
    EXPECT_EQ(pio_crypt(b, hex(test_vectors::kFips197Plain)), hex(v.ct));
    const Bytes pt = hex(test_vectors::kFips197Plain);
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataOut);
    for (unsigned w = 0; w < 4; ++w) {
      std::uint32_t x;
      std::memcpy(&x, pt.data() + 4 * w, 4);
      b.cpu.write(regs::data_in_out(w), x);
    }
    const sc_core::sc_time written = sc_core::sc_time_stamp();  // end of the DATA_IN_3 access
    wait_high(b.irq_line);
    EXPECT_EQ(sc_core::sc_time_stamp(), written + b.aes.core_time_per_block(192));
    finished = true;
  });
  EXPECT_TRUE(finished);
}

}  // namespace
}  // namespace aesvp::testing
