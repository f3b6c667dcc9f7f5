// The bulk extension (BEYOND TI SILICON): registers absent by default, offsets, reset values
// and access rights when on, and multi-unit DMA requests (one C_LENGTH, many data units)
// against per-unit OpenSSL references (IVs built here: dm-crypt's plain / plain64 /
// plain64be / essiv; XTS tweak from the unit's IV).
#include "models/aes/tests/omap_aes_test_bench.h"

#include <openssl/sha.h>

namespace aesvp::testing {
namespace {

using sc_core::sc_time;

AesParams with_bulk() {
  AesParams p;
  p.bulk_extension = true;
  return p;
}

// dm-crypt IV bytes for sector n (written from the fact sheet, not from the model).
Bytes iv_bytes(std::uint32_t kind, std::uint64_t n) {
  Bytes iv(16, 0);
  if (kind == regs::kBulkIvPlain) {
    for (int i = 0; i < 4; ++i) iv[i] = static_cast<std::uint8_t>(n >> (8 * i));
  } else if (kind == regs::kBulkIvPlain64Be) {
    for (int i = 0; i < 8; ++i) iv[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  } else {
    for (int i = 0; i < 8; ++i) iv[i] = static_cast<std::uint8_t>(n >> (8 * i));
  }
  return iv;
}

std::string ecb_name(std::size_t key_bytes) {
  return "AES-" + std::to_string(key_bytes * 8) + "-ECB";
}

struct BulkCase {
  Mode mode;  // Cbc or Xts
  std::uint32_t iv_kind;
  std::size_t key_bytes;  // per key
  std::uint32_t du_size;
  unsigned step_log2;
  std::uint64_t first;
  std::size_t units;
  bool encrypt;
};

// Per-unit reference: unit i uses number first + i * 2^step.
Bytes reference_units(const BulkCase& c, const Bytes& k1, const Bytes& k2, const Bytes& in) {
  Bytes out;
  for (std::size_t i = 0; i < c.units; ++i) {
    const std::uint64_t n = c.first + (std::uint64_t{i} << c.step_log2);
    Bytes iv = iv_bytes(c.iv_kind, n);
    if (c.iv_kind == regs::kBulkIvEssiv) iv = evp(ecb_name(k2.size()).c_str(), k2, {}, iv, true);
    const Bytes unit(in.begin() + static_cast<long>(i * c.du_size),
                     in.begin() + static_cast<long>((i + 1) * c.du_size));
    const Bytes r = reference(c.mode, k1, k2, iv, unit, c.encrypt);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

// Programs one multi-unit request the way a driver would and runs it through the test DMA.
Bytes run_units(AesTestBench& b, const BulkCase& c, const Bytes& k1, const Bytes& k2, const Bytes& in) {
  const std::uint32_t salt_size = c.iv_kind == regs::kBulkIvEssiv ? regs::ctrl_key_size(
                                                                        static_cast<unsigned>(k2.size() * 8))
                                                                  : 0;
  b.cpu.write(regs::kBulkCtrl, regs::kBulkEnable | (c.iv_kind << regs::kBulkIvKindShift) |
                                   (c.step_log2 << regs::kBulkStepShift) |
                                   (salt_size << regs::kBulkSaltKeySizeShift));
  b.cpu.write(regs::kDuSize, c.du_size);
  b.cpu.write(regs::kDuNum0, static_cast<std::uint32_t>(c.first));
  b.cpu.write(regs::kDuNum1, static_cast<std::uint32_t>(c.first >> 32));
  write_context(b.cpu, k1, k2, {}, ctrl_for(c.mode, c.encrypt, static_cast<unsigned>(k1.size() * 8)));
  b.cpu.write(regs::kCLength0, static_cast<std::uint32_t>(in.size()));
  b.cpu.write(regs::kCLength1, 0);
  b.cpu.write(regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);
  Bytes out(in.size());
  b.dma.start(in.data(), out.data(), in.size() / 16);
  sc_core::wait(b.dma.done_event());
  b.cpu.write(regs::kSysconfig, 0);
  EXPECT_EQ(b.dma.errors(), 0u);
  // DU_NUM reads back the number after the last unit (ready to chain the next request).
  const std::uint64_t next = (std::uint64_t{b.cpu.read(regs::kDuNum1)} << 32) | b.cpu.read(regs::kDuNum0);
  EXPECT_EQ(next, c.first + (std::uint64_t{c.units} << c.step_log2));
  return out;
}

TEST(OmapAesBulk, AbsentByDefault) {
  AesTestBench b;
  b.run([&] {
    std::uint32_t v = 0;
    for (std::uint32_t off : {regs::kBulkCtrl, regs::kDuSize, regs::kDuNum0, regs::kDuNum1, regs::kBulkCaps}) {
      EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, off, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE)
          << std::hex << off;
      take_reports("aesvp/bus");
    }
  });
}

TEST(OmapAesBulk, OffsetsResetValuesAndAccessRights) {
  AesTestBench b(with_bulk());
  b.run([&] {
    EXPECT_EQ(b.cpu.read(regs::kBulkCtrl), 0u);
    EXPECT_EQ(b.cpu.read(regs::kDuSize), 0u);
    EXPECT_EQ(b.cpu.read(regs::kDuNum0), 0u);
    EXPECT_EQ(b.cpu.read(regs::kDuNum1), 0u);
    EXPECT_EQ(b.cpu.read(regs::kBulkCaps), regs::kBulkCapsValue);
    EXPECT_EQ(b.cpu.read(regs::kBulkCaps) & regs::kBulkCapsPresent, 1u);
    EXPECT_EQ(b.cpu.read(regs::kBulkCaps) >> 16, 4096u);  // 64 KiB units at most
    std::uint32_t v = 1;
    EXPECT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, regs::kBulkCaps, &v, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);
    take_reports("aesvp/bus");
    b.cpu.write(regs::kBulkCtrl, 0xffffffffu);
    EXPECT_EQ(b.cpu.read(regs::kBulkCtrl), regs::kBulkCtrlMask);  // reserved bits read 0
    b.cpu.write(regs::kDuSize, 4096);
    b.cpu.write(regs::kDuNum0, 0x89abcdefu);
    b.cpu.write(regs::kDuNum1, 0x01234567u);
    EXPECT_EQ(b.cpu.read(regs::kDuSize), 4096u);
    EXPECT_EQ(b.cpu.read(regs::kDuNum0), 0x89abcdefu);
    EXPECT_EQ(b.cpu.read(regs::kDuNum1), 0x01234567u);
    b.cpu.write(regs::kSysconfig, regs::kSysconfigSoftreset);  // soft reset clears them
    sc_core::wait(b.aes.softreset_time() + sc_time(100, sc_core::SC_NS));
    EXPECT_EQ(b.cpu.read(regs::kBulkCtrl), 0u);
    EXPECT_EQ(b.cpu.read(regs::kDuNum1), 0u);
  });
}

TEST(OmapAesBulk, MultiUnitRequestsMatchOpenSslPerUnit) {
  AesTestBench b(with_bulk());
  b.run([&] {
    std::mt19937 rng(1219);
    int cases = 0;
    for (Mode m : {Mode::Cbc, Mode::Xts}) {
      for (std::uint32_t kind : {regs::kBulkIvPlain, regs::kBulkIvPlain64, regs::kBulkIvPlain64Be, regs::kBulkIvEssiv}) {
        if (m == Mode::Xts && kind == regs::kBulkIvEssiv) continue;  // ESSIV needs KEY2 as salt key
        for (std::size_t kb : {16u, 24u, 32u}) {
          for (std::uint32_t du : {512u, 4096u}) {
            for (bool enc : {true, false}) {
              BulkCase c{m, kind, kb, du, du == 4096 ? 3u : 0u,
                         (std::uint64_t{rng()} << 32 | rng()) >> (rng() % 40), 1 + rng() % 4, enc};
              if (kind == regs::kBulkIvPlain) c.first = 0xfffffffeull;  // the 32-bit wrap
              const Bytes k1 = random_bytes(rng, kb);
              // ESSIV: salt = SHA-256(key) as a 256-bit key, whatever the data key size.
              Bytes k2 = random_bytes(rng, kb);
              if (kind == regs::kBulkIvEssiv) {
                k2.assign(32, 0);
                SHA256(k1.data(), k1.size(), k2.data());
              }
              const Bytes in = random_bytes(rng, du * c.units);
              const Bytes got = run_units(b, c, k1, k2, in);
              ASSERT_EQ(got, reference_units(c, k1, k2, in))
                  << (m == Mode::Cbc ? "cbc" : "xts") << " kind " << kind << " key " << kb * 8 << " du " << du
                  << " enc " << enc << " first " << c.first << " units " << c.units;
              ++cases;
            }
          }
        }
      }
    }
    EXPECT_EQ(cases, 84);
  });
}

TEST(OmapAesBulk, DisabledExtensionBehavesLikeTheTiCore) {
  AesTestBench b(with_bulk());
  b.run([&] {
    std::mt19937 rng(5);
    const Bytes k1 = random_bytes(rng, 32), iv = random_bytes(rng, 16), in = random_bytes(rng, 1024);
    b.cpu.write(regs::kDuSize, 512);  // settings without ENABLE change nothing
    write_context(b.cpu, k1, {}, iv, ctrl_for(Mode::Cbc, true, 256));
    b.cpu.write(regs::kCLength0, 1024);
    b.cpu.write(regs::kCLength1, 0);
    b.cpu.write(regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);
    Bytes out(in.size());
    b.dma.start(in.data(), out.data(), in.size() / 16);
    sc_core::wait(b.dma.done_event());
    EXPECT_EQ(out, evp("AES-256-CBC", k1, iv, in, true));
  });
}

TEST(OmapAesBulk, UnitIvsCostOneCoreBlockEachForXtsAndEssiv) {
  AesTestBench b(with_bulk());
  b.run([&] {
    std::mt19937 rng(8);
    const Bytes k1 = random_bytes(rng, 16), k2 = random_bytes(rng, 16), in = random_bytes(rng, 4 * 512);
    BulkCase c{Mode::Xts, regs::kBulkIvPlain64, 16, 512, 0, 100, 4, true};
    const sc_time busy0 = b.aes.core_busy_time();
    const std::uint64_t blocks0 = b.aes.blocks_processed();
    run_units(b, c, k1, k2, in);
    EXPECT_EQ(b.aes.blocks_processed() - blocks0, 128u);
    // 128 data blocks + 4 tweaks, 12 cycles each at 100 MHz
    EXPECT_EQ(b.aes.core_busy_time() - busy0, b.aes.core_time_per_block(128) * 132.0);
  });
}

TEST(OmapAesBulk, InvalidSettingsWarnAndProcessWithoutUnits) {
  AesTestBench b(with_bulk());
  b.run([&] {
    std::mt19937 rng(9);
    const Bytes k1 = random_bytes(rng, 16), iv = random_bytes(rng, 16), in = random_bytes(rng, 64);
    b.cpu.write(regs::kBulkCtrl, regs::kBulkEnable | (regs::kBulkIvPlain64 << regs::kBulkIvKindShift));
    b.cpu.write(regs::kDuSize, 24);  // not a multiple of 16
    write_context(b.cpu, k1, {}, iv, ctrl_for(Mode::Cbc, true, 128));
    b.cpu.write(regs::kCLength0, 64);
    b.cpu.write(regs::kCLength1, 0);
    b.cpu.write(regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);
    Bytes out(in.size());
    b.dma.start(in.data(), out.data(), in.size() / 16);
    sc_core::wait(b.dma.done_event());
    EXPECT_EQ(take_reports("aesvp/model").size(), 1u);
    EXPECT_EQ(out, evp("AES-128-CBC", k1, iv, in, true));
  });
}

}  // namespace
}  // namespace aesvp::testing
