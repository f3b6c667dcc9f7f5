// The EDMA3 dmaengine provider (Edma) on an AM335x-like bench: one Cortex-A8-like core, a
// GIC in place of the INTC (the IRQ layer is tested on its own), the EDMA3 with three TPTCs
// and an AES at the AM335x address on events 5 (DATA_IN) and 6 (DATA_OUT). Bytes against
// OpenSSL; scatterlists longer than one batch of 20 PaRAM sets; the residue against the
// ciphertext already in memory; terminate_all; TPTC bus errors; prep and config limits.
#include "driver/kernel/edma.h"
#include "driver/kernel/tests/dma_aes_rig.h"
#include "models/aes/omap_aes.h"
#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/cpu/cpu.h"
#include "models/edma3/edma3.h"
#include "models/edma3/edma3_regs.h"
#include "models/intc/gic.h"
#include "models/intc/gic_regs.h"
#include "models/memory/memory.h"
#include "models/platform/omap4_map.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace aesvp::kernel::testing {
namespace {

using sc_core::SC_NS;
using sc_core::SC_US;
namespace e = edma3;

constexpr std::uint64_t kAesBase = 0x53500000;  // AM335x AES0
constexpr unsigned kCcInt = 12, kCcErrInt = 14, kTcErrInt0 = 112, kAesIrq = 103;  // AM335x lines
constexpr unsigned kIn = 5, kOut = 6;

sc_time us(double v) { return sc_time(v, SC_US); }

struct Soc : sc_core::sc_module {
  TimingMode mode;
  BusParams busp;
  Edma3Params ep;
  Interconnect bus;
  Memory dram;
  Cpu cpu;
  Gic gic;
  Edma3 edma;
  OmapAes aes;
  LevelSignal low{"low"}, cpu_irq{"cpu_irq"}, aes_irq{"aes_irq"}, req_in{"req_in"},
      req_out{"req_out"}, ccint{"ccint"}, ccerrint{"ccerrint"};
  sc_core::sc_vector<LevelSignal> tcerr{"tcerr", 3};
  DeviceTree dt;

  static DramParams dram_params() {
    DramParams d;
    d.size_mib = 8;
    return d;
  }
  static CpuParams one_core() {
    CpuParams c;
    c.cores = 1;
    return c;
  }
  sc_time l3(double n) const { return sc_time(1000.0 / busp.l3_clock_mhz, SC_NS) * n; }

  Soc(sc_core::sc_module_name n, TimingMode m)
      : sc_core::sc_module(n), mode(m), bus("bus", l3(busp.l3_hop_cycles)),
        dram("dram", dram_params()), cpu("cpu", one_core(), m), gic("gic", IntcParams{}, 1),
        edma("edma", ep, m), aes("aes0", AesParams{}, m) {
    const sc_time l4 = l3(busp.l4_bridge_cycles);
    cpu.bus.bind(bus.from_initiators);
    for (auto& s : edma.tc_bus) s.bind(bus.from_initiators);
    bus.attach(dram.socket, omap4::kDramBase, dram.size(), "dram");
    bus.attach(gic.cpu_if, omap4::kGicCpuIfBase, gic::kCpuIfStride, "gic_cpu_if");
    bus.attach(gic.dist, omap4::kGicDistBase, gic::kDistSize, "gic_dist");
    bus.attach(edma.cc_regs, e::kAm335xTpccBase, e::kTpccWindowSize, "tpcc", l4);
    for (unsigned t = 0; t < 3; ++t)
      bus.attach(edma.tc_regs[t], tc_base(t), e::kTptcWindowSize, "tptc" + std::to_string(t), l4);
    bus.attach(aes.socket, kAesBase, omap4::kAesSize, "aes0", l4);
    aes.irq.bind(aes_irq);
    aes.dma_req_in.bind(req_in);
    aes.dma_req_out.bind(req_out);
    edma.event[kIn].bind(req_in);
    edma.event[kOut].bind(req_out);
    edma.ccint.bind(ccint);
    edma.ccerrint.bind(ccerrint);
    for (unsigned t = 0; t < 3; ++t) edma.tcerrint[t].bind(tcerr[t]);
    for (unsigned s = 0; s < gic.spi.size(); ++s) {
      LevelSignal* w = &low;
      if (s == kCcInt) w = &ccint;
      if (s == kCcErrInt) w = &ccerrint;
      if (s >= kTcErrInt0 && s < kTcErrInt0 + 3) w = &tcerr[s - kTcErrInt0];
      if (s == kAesIrq) w = &aes_irq;
      gic.spi[s].bind(*w);
    }
    gic.irq[0].bind(cpu_irq);
    cpu.irq[0].bind(cpu_irq);

    dt.model = "edma-bench";
    dt.cpus = 1;
    dt.dram_base = omap4::kDramBase;
    dt.dram_size = dram.size();
    dt.intc = {"arm,cortex-a9-gic", omap4::kGicDistBase, omap4::kGicCpuIfBase, gic::kCpuIfStride,
               gic.interrupt_count()};
    dt.dma.compatible = "ti,edma3-tpcc";
    dt.dma.base = e::kAm335xTpccBase;
    dt.dma.irqs = {gic::kSpiBase + kCcInt, gic::kSpiBase + kCcErrInt};
    for (unsigned t = 0; t < 3; ++t) {
      dt.dma.irqs.push_back(gic::kSpiBase + kTcErrInt0 + t);
      dt.dma.tc_bases.push_back(tc_base(t));
    }
    dt.dma.channels = 64;
    dt.dma.requests = 64;
    dt.dma.queue_priorities = {7, 5, 0};  // am33xx.dtsi ti,tptcs
    dt.aes.push_back({"aes0", kAesBase, omap4::kAesSize, gic::kSpiBase + kAesIrq, kIn, kOut, false});
  }
  static std::uint64_t tc_base(unsigned t) { return e::kAm335xTptcBase + e::kTptcStride * t; }
};

struct EdmaBench {
  std::unique_ptr<Soc> soc;
  std::unique_ptr<Kernel> kernel;
  std::unique_ptr<DmaEngine> engine;
  std::unique_ptr<DmaAesRig> rig;
  explicit EdmaBench(const std::string& mode = "accurate") {
    soc = std::make_unique<Soc>("soc", parse_timing_mode(mode));
    kernel = std::make_unique<Kernel>(soc->cpu, soc->dt);
    engine = make_dma_engine(*kernel);
    rig = std::make_unique<DmaAesRig>(*kernel, *engine, soc->dt.aes[0]);
  }
  Kernel& k() { return *kernel; }
  Edma& edma() { return static_cast<Edma&>(*engine); }
};

class EdmaAesTest : public ::testing::TestWithParam<const char*> {};

TEST_P(EdmaAesTest, SingleEntryEcbMatchesOpenSsl) {
  EdmaBench b(GetParam());
  Kernel& k = b.k();
  DmaAesRig& rig = *b.rig;
  const auto key = random_bytes(16, 11);
  const auto plain = random_bytes(512, 12);
  std::vector<std::uint8_t> cipher;
  DmaengineResult res;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    const std::uint64_t src = k.kmalloc(plain.size()), dst = k.kmalloc(plain.size());
    place_bytes(k, src, plain);
    Scatterlist in = sg_init_one(src, 512), out = sg_init_one(dst, 512);
    rig.aes_ecb_encrypt(key, 512);
    res = rig.run(in, out);
    cipher = fetch_bytes(k, dst, plain.size());
  });
  sc_core::sc_start(sc_time(2, SC_MS));
  EXPECT_STREQ(b.engine->name(), "edma");
  EXPECT_EQ(res.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
  EXPECT_EQ(rig.callback_cls, ContextClass::SoftIrq);
  EXPECT_EQ(rig.tx->channel(), kIn);
  EXPECT_EQ(rig.rx->channel(), kOut);
  EXPECT_EQ(rig.tx->completed(), 1u);
  EXPECT_EQ(rig.rx->completed(), 1u);
  EXPECT_EQ(rig.tx->interrupts(), 1u);  // one set each, TCINTEN on the last
  EXPECT_EQ(rig.rx->interrupts(), 1u);
  EXPECT_GE(k.irq_count(gic::kSpiBase + kCcInt), 1u);
  EXPECT_EQ(b.edma().missed_events(), 0u);
  EXPECT_EQ(b.edma().queue(), 0u);  // TC0 has the lowest priority (7): Linux's default queue
  EXPECT_EQ(k.mmio_faults(), 0u);
}

// 45 input entries: batches of 20, 20 and 5 PaRAM sets; the 20th set of each full batch
// interrupts early so the next batch is written while its last TR runs.
TEST_P(EdmaAesTest, LongScatterlistRunsInBatchesOfTwentySets) {
  EdmaBench b(GetParam());
  Kernel& k = b.k();
  DmaAesRig& rig = *b.rig;
  const auto key = random_bytes(32, 13);
  const auto plain = random_bytes(45 * 16, 14);
  std::vector<std::uint8_t> cipher;
  DmaengineResult res;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    Scatterlist in, out;
    for (int i = 0; i < 45; ++i) in.push_back(k.kmalloc(16), 16);
    for (std::uint32_t len : {240u, 320u, 160u}) out.push_back(k.kmalloc(len), len);
    sg_place_bytes(k, in, plain);
    rig.aes_ecb_encrypt(key, 45 * 16);
    res = rig.run(in, out);
    cipher = sg_fetch_bytes(k, out);
  });
  sc_core::sc_start(sc_time(2, SC_MS));
  EXPECT_EQ(res.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
  EXPECT_EQ(rig.tx->interrupts(), 3u);  // two early (end of batch) + the last set
  EXPECT_EQ(rig.rx->interrupts(), 1u);
  EXPECT_EQ(b.edma().missed_events(), 0u);
}

// A bus error on the destination: the TPTC abandons the TR and raises its error line; the
// output descriptor completes with a write failure and its residue, the channel halts; after
// terminate_all both channels work again.
TEST_P(EdmaAesTest, BusErrorReportsWriteFailureAndChannelRecovers) {
  EdmaBench b(GetParam());
  Kernel& k = b.k();
  DmaAesRig& rig = *b.rig;
  const auto key = random_bytes(16, 15);
  const auto plain = random_bytes(128, 16);
  DmaengineResult bad, good;
  bool halted = false;
  std::vector<std::uint8_t> cipher;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    const std::uint64_t src = k.kmalloc(128), dst = k.kmalloc(128);
    place_bytes(k, src, plain);
    b.soc->bus.inject_bus_error(dst + 64, 64);
    Scatterlist in = sg_init_one(src, 128), out = sg_init_one(dst, 128);
    rig.aes_ecb_encrypt(key, 128);
    bad = rig.run(in, out);
    halted = rig.rx->halted();
    good = rig.recover_and_rerun(in, out, key, 128, [&] { b.soc->bus.clear_bus_errors(); });
    cipher = fetch_bytes(k, dst, 128);
  });
  sc_core::sc_start(sc_time(4, SC_MS));
  EXPECT_EQ(bad.result, DmaTxResult::WriteFailed);
  // The abandoned block and the ones after it, less the blocks whose TRs the TPTC took
  // (and failed) before the driver stopped the channel: PaRAM advances at submission, so
  // how many depends on timing; the 64 bytes before the error always arrived.
  EXPECT_LE(bad.residue, 64u);
  EXPECT_EQ(bad.residue % 16, 0u);
  EXPECT_TRUE(halted);
  EXPECT_EQ(rig.rx->errors(), 1u);
  EXPECT_GE(b.edma().bus_errors(), 1u);  // a TR already queued for the channel may fail too
  EXPECT_FALSE(rig.rx->halted());
  EXPECT_EQ(good.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
}

INSTANTIATE_TEST_SUITE_P(Modes, EdmaAesTest, ::testing::Values("accurate", "fast"));

// tx_status while the output channel runs: the residue (from the channel's PaRAM slot) is a
// whole number of blocks, never grows, and agrees within one block with the ciphertext
// blocks already in memory (compared with OpenSSL's); 0 and Complete at the end.
TEST(EdmaTest, ResidueFollowsTheBytesInMemory) {
  EdmaBench b;
  Kernel& k = b.k();
  DmaAesRig& rig = *b.rig;
  constexpr std::uint32_t kLen = 2048;
  const auto key = random_bytes(16, 17);
  const auto plain = random_bytes(kLen, 18);
  const auto expect = openssl_ecb_encrypt(key, plain);
  struct Sample {
    std::uint32_t residue, done;
    DmaStatus status;
  };
  std::vector<Sample> samples;
  DmaStatus final_status = DmaStatus::InProgress;
  std::uint32_t final_residue = 1;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    const std::uint64_t src = k.kmalloc(kLen), dst = k.kmalloc(kLen);
    place_bytes(k, src, plain);
    Scatterlist in = sg_init_one(src, kLen), out = sg_init_one(dst, kLen);
    rig.aes_ecb_encrypt(key, kLen);
    DmaCookie cookie = 0;
    rig.run(in, out, [&](DmaCookie c) {
      cookie = c;
      for (int i = 0; i < 200; ++i) {
        Sample s{};
        s.status = rig.dma.dmaengine_tx_status(rig.rx, c, &s.residue);
        if (s.status != DmaStatus::InProgress) break;
        const auto now = fetch_bytes(k, dst, kLen);
        while (s.done < kLen && std::equal(now.begin() + s.done, now.begin() + s.done + 16,
                                           expect.begin() + s.done))
          s.done += 16;
        samples.push_back(s);
        k.sleep(sc_time(500, SC_NS));
      }
    });
    final_status = rig.dma.dmaengine_tx_status(rig.rx, cookie, &final_residue);
  });
  sc_core::sc_start(sc_time(2, SC_MS));
  ASSERT_GE(samples.size(), 3u);
  bool between = false;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    EXPECT_EQ(s.residue % 16, 0u);
    EXPECT_LE(s.residue, kLen);
    if (i > 0) {
      EXPECT_LE(s.residue, samples[i - 1].residue);
    }
    const long transferred = static_cast<long>(kLen - s.residue);
    EXPECT_LE(std::labs(transferred - static_cast<long>(s.done)), 16) << "sample " << i;
    between = between || (s.residue > 0 && s.residue < kLen);
  }
  EXPECT_TRUE(between);
  EXPECT_EQ(final_status, DmaStatus::Complete);
  EXPECT_EQ(final_residue, 0u);
}

// terminate_all in the middle of a transfer: no callback, the cookie reports an error, and
// the channels run the next transfer.
TEST(EdmaTest, TerminateDropsTheDescriptorsAndTheChannelsRunAgain) {
  EdmaBench b;
  Kernel& k = b.k();
  DmaAesRig& rig = *b.rig;
  const auto key = random_bytes(16, 19);
  const auto plain = random_bytes(2048, 20);
  DmaStatus dropped = DmaStatus::Complete;
  DmaengineResult good;
  bool called = false;
  std::vector<std::uint8_t> cipher;
  k.spawn_thread("crypt", ContextClass::Thread, 0, [&] {
    rig.setup();
    rig.aes_reset();
    const std::uint64_t src = k.kmalloc(2048), dst = k.kmalloc(2048);
    place_bytes(k, src, plain);
    Scatterlist in = sg_init_one(src, 2048), out = sg_init_one(dst, 2048);
    rig.aes_ecb_encrypt(key, 2048);
    rig.expect_completion = false;
    rig.callback_core = 9;
    rig.run(in, out, [&](DmaCookie c) {
      k.sleep(us(2));
      EXPECT_EQ(rig.dma.dmaengine_terminate_sync(rig.rx), 0);
      EXPECT_EQ(rig.dma.dmaengine_terminate_sync(rig.tx), 0);
      dropped = rig.dma.dmaengine_tx_status(rig.rx, c);
    });
    called = rig.callback_core != 9;
    rig.expect_completion = true;
    rig.aes_reset();
    rig.aes_ecb_encrypt(key, 2048);
    good = rig.run(in, out);
    cipher = fetch_bytes(k, dst, 2048);
  });
  sc_core::sc_start(sc_time(5, SC_MS));
  EXPECT_EQ(dropped, DmaStatus::Error);
  EXPECT_FALSE(called);
  EXPECT_EQ(good.result, DmaTxResult::NoError);
  EXPECT_EQ(cipher, openssl_ecb_encrypt(key, plain));
  EXPECT_EQ(rig.rx->completed(), 1u);
}

// edma_slave_config and the segment limit: widths 1..4 bytes (8 refused); an AB-synchronised
// entry holds at most 65535 frames (CCNT), an A-synchronised one 65535 arrays (BCNT); one
// frame more, a partial frame or the wrong direction is refused by prep_slave_sg.
TEST(EdmaTest, ConfigAndSegmentLimits) {
  EdmaBench b;
  Kernel& k = b.k();
  DmaAesRig& rig = *b.rig;
  int wide = 0;
  std::uint32_t max_ab = 0, max_a = 0;
  bool at_limit = false, over = true, partial = true, wrong_dir = true;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    rig.setup();
    DmaSlaveConfig c;
    c.direction = DmaTransferDirection::MemToDev;
    c.dst_addr = kAesBase + omap_aes::kDataInOut0;
    c.dst_addr_width = 8;
    wide = rig.dma.dmaengine_slave_config(rig.tx, c);
    max_ab = rig.dma.dma_get_max_seg_size(rig.tx);  // the rig's config: width 4, burst 4
    const std::uint64_t buf = k.kmalloc(65536u * 16u);
    Scatterlist ok = sg_init_one(buf, 65535u * 16u);
    dma_map_sg(k, ok, DmaDataDirection::ToDevice);
    at_limit = rig.dma.dmaengine_prep_slave_sg(rig.tx, ok, DmaTransferDirection::MemToDev) != nullptr;
    Scatterlist big = sg_init_one(buf, 65536u * 16u);
    dma_map_sg(k, big, DmaDataDirection::ToDevice);
    over = rig.dma.dmaengine_prep_slave_sg(rig.tx, big, DmaTransferDirection::MemToDev) != nullptr;
    Scatterlist odd = sg_init_one(buf, 40);
    dma_map_sg(k, odd, DmaDataDirection::ToDevice);
    partial = rig.dma.dmaengine_prep_slave_sg(rig.tx, odd, DmaTransferDirection::MemToDev) != nullptr;
    wrong_dir = rig.dma.dmaengine_prep_slave_sg(rig.tx, odd, DmaTransferDirection::DevToMem) != nullptr;
    c.dst_addr_width = 4;
    c.dst_maxburst = 1;
    EXPECT_EQ(rig.dma.dmaengine_slave_config(rig.tx, c), 0);
    max_a = rig.dma.dma_get_max_seg_size(rig.tx);
  });
  sc_core::sc_start(sc_time(50, SC_MS));
  EXPECT_EQ(wide, -kEINVAL);
  EXPECT_EQ(max_ab, 65535u * 16u);
  EXPECT_EQ(max_a, 65535u * 4u);
  EXPECT_TRUE(at_limit);
  EXPECT_FALSE(over);
  EXPECT_FALSE(partial);
  EXPECT_FALSE(wrong_dir);
}

}  // namespace
}  // namespace aesvp::kernel::testing
