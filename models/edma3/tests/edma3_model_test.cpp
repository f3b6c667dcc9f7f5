// Register-level and transfer tests of the EDMA3 model. Reset values, field widths and
// access rights come from the TRM facts in docs/edma3-model.md; data is checked against the
// source bytes; times against formulas built here from the parameters (edma3_bench.h).
#include "models/core/report.h"
#include "models/edma3/tests/edma3_bench.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

namespace aesvp::edma3_test {
namespace {

namespace r = edma3;

std::vector<unsigned char> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::vector<unsigned char> v(n);
  for (auto& b : v) b = static_cast<unsigned char>(gen());
  return v;
}

constexpr std::uint32_t kOptAb = r::kOptSyncdim;

// ---------------------------------------------------------------------------------------
// Registers

TEST(Edma3, ResetValuesAndConfiguration) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    EXPECT_EQ(b.cpu.cc(r::kPid), 0x40015300u);
    // 64 channels (5), 8 QDMA (4), 64 completion codes (3), 256 PaRAM sets (4), 3 queues (2),
    // 8 regions (2), channel mapping present.
    EXPECT_EQ(b.cpu.cc(r::kCccfg), 0x01224345u);
    for (unsigned ch : {0u, 5u, 63u}) EXPECT_EQ(b.cpu.cc(r::dchmap(ch)), ch << 5);
    for (unsigned n = 0; n < 8; ++n) EXPECT_EQ(b.cpu.cc(r::dmaqnum(8 * n)), 0u);
    EXPECT_EQ(b.cpu.cc(r::kQuetcmap), 0x210u);
    EXPECT_EQ(b.cpu.cc(r::kQuepri), 0u);
    EXPECT_EQ(b.cpu.cc(r::kQwmthra), 0x101010u);
    for (std::uint32_t off : {r::kEmr, r::kEmrh, r::kQemr, r::kCcerr, r::kCcstat, r::qstat(0),
                              r::qstat(2), r::drae(0), r::draeh(7), r::qrae(3), r::kQdmaqnum})
      EXPECT_EQ(b.cpu.cc(off), 0u) << std::hex << off;
    for (std::uint32_t base : {r::kGlobalChannelBase, r::shadow(0), r::shadow(7)})
      for (std::uint32_t off : {r::kEr, r::kEsr, r::kCer, r::kEer, r::kSer, r::kIer, r::kIpr})
        for (std::uint32_t h : {0u, r::kHigh}) EXPECT_EQ(b.cpu.cc(base + off + h), 0u);
    for (unsigned w = 0; w < 8; ++w) EXPECT_EQ(b.cpu.cc(r::param(255) + 4 * w), 0u);
    for (unsigned t = 0; t < 3; ++t) {
      EXPECT_EQ(b.cpu.tc(t, r::kTcPid), 0x40003b00u);
      EXPECT_EQ(b.cpu.tc(t, r::kTcCfg), 0x13u);  // 256-byte FIFO (3), 64-bit port (1)
      EXPECT_EQ(b.cpu.tc(t, r::kTcStat), 0u);
      EXPECT_EQ(b.cpu.tc(t, r::kTcErrStat), 0u);
      EXPECT_EQ(b.cpu.tc(t, r::kTcErrEn), 0u);
      EXPECT_EQ(b.cpu.tc(t, r::kTcErrDet), 0u);
    }
    EXPECT_FALSE(b.ccint.read());
    EXPECT_FALSE(b.ccerrint.read());
  });
}

TEST(Edma3, FieldWidthsAndSetClearPairs) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    b.cpu.cc(r::dchmap(7), 0xffffffffu);
    EXPECT_EQ(b.cpu.cc(r::dchmap(7)), 0x3fe0u);
    b.cpu.cc(r::dmaqnum(0), 0xffffffffu);
    EXPECT_EQ(b.cpu.cc(r::dmaqnum(0)), 0x77777777u);
    b.cpu.cc(r::kQuepri, 0xffffffffu);
    EXPECT_EQ(b.cpu.cc(r::kQuepri), 0x777u);  // three queues
    b.cpu.cc(r::param(3) + r::kOpt, 0xffffffffu);
    EXPECT_EQ(b.cpu.cc(r::param(3) + r::kOpt), 0x00f3ff0fu);
    b.cpu.cc(r::param(3) + r::kCcnt, 0xffffffffu);
    EXPECT_EQ(b.cpu.cc(r::param(3) + r::kCcnt), 0xffffu);
    b.cpu.cc(r::param(3) + r::kSrcDstBidx, 0x12345678u);
    EXPECT_EQ(b.cpu.cc(r::param(3) + r::kSrcDstBidx), 0x12345678u);
    // Enable set / clear, interrupt enable set / clear, both halves.
    b.cpu.ch_reg(r::kEesr, 0x81u);
    b.cpu.ch_reg(r::kEesr + r::kHigh, 0x80000000u);
    EXPECT_EQ(b.cpu.ch_reg(r::kEer), 0x81u);
    EXPECT_EQ(b.cpu.ch_reg(r::kEer + r::kHigh), 0x80000000u);
    b.cpu.ch_reg(r::kEecr, 0x1u);
    EXPECT_EQ(b.cpu.ch_reg(r::kEer), 0x80u);
    b.cpu.ch_reg(r::kIesr, 0xf0u);
    b.cpu.ch_reg(r::kIecr, 0x30u);
    EXPECT_EQ(b.cpu.ch_reg(r::kIer), 0xc0u);
    // Shadow region 0 sees (and touches) only the channels DRAE0 gives it.
    b.cpu.cc(r::drae(0), 0x40u);
    EXPECT_EQ(b.cpu.cc(r::shadow(0) + r::kIer), 0x40u);
    EXPECT_EQ(b.cpu.cc(r::shadow(0) + r::kEer), 0u);
    b.cpu.cc(r::shadow(0) + r::kIecr, 0xffu);
    EXPECT_EQ(b.cpu.ch_reg(r::kIer), 0x80u);
    b.cpu.cc(r::shadow(0) + r::kEesr, 0x3u);  // not owned: no effect
    EXPECT_EQ(b.cpu.ch_reg(r::kEer), 0x80u);
    b.cpu.cc(r::qrae(1), 0xffffffffu);
    EXPECT_EQ(b.cpu.cc(r::qrae(1)), 0xffu);
    b.cpu.tc(1, r::kTcErrEn, 0xffffffffu);
    EXPECT_EQ(b.cpu.tc(1, r::kTcErrEn), 0xdu);
    EXPECT_EQ(testing::take_reports().size(), 0u);
  });
}

TEST(Edma3, BadAccessesGetErrorResponsesAndNoEffect) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    auto acc = [&](tlm::tlm_command cmd, std::uint64_t addr, unsigned len = 4) {
      std::uint32_t buf[2] = {0xffffffffu, 0xffffffffu};
      return b.cpu.access(cmd, addr, buf, len);
    };
    const auto R = tlm::TLM_READ_COMMAND, W = tlm::TLM_WRITE_COMMAND;
    const std::uint64_t g = kTpcc + r::kGlobalChannelBase;
    unsigned n = 0;
    for (std::uint64_t a : {kTpcc + r::kPid, kTpcc + r::kCccfg, kTpcc + r::kEmr, kTpcc + r::kCcerr,
                            kTpcc + r::qstat(0), kTpcc + r::kCcstat, g + r::kEr, g + r::kCer,
                            g + r::kEer, g + r::kSer, g + r::kIer, g + r::kIpr + r::kHigh,
                            tptc(0) + r::kTcErrStat, tptc(2) + r::kTcErrDet}) {
      EXPECT_EQ(acc(W, a), tlm::TLM_COMMAND_ERROR_RESPONSE) << std::hex << a;
      ++n;
    }
    for (std::uint64_t a : {kTpcc + r::kEmcr, kTpcc + r::kCcerrclr, kTpcc + r::kEeval, g + r::kEcr,
                            g + r::kEecr, g + r::kEesr, g + r::kSecr, g + r::kIecr, g + r::kIesr,
                            g + r::kIcr, g + r::kIeval, tptc(1) + r::kTcErrClr}) {
      EXPECT_EQ(acc(R, a), tlm::TLM_COMMAND_ERROR_RESPONSE) << std::hex << a;
      ++n;
    }
    EXPECT_EQ(acc(R, kTpcc + 0x008), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // hole
    EXPECT_EQ(acc(R, kTpcc + r::qstat(3)), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no 4th queue
    EXPECT_EQ(acc(R, kTpcc + r::param(256)), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no set 256
    EXPECT_EQ(acc(R, kTpcc + r::kShadowBase + 0x200 * 8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(acc(R, kTpcc + r::param(0) + 2), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // misaligned
    EXPECT_EQ(acc(W, kTpcc + r::param(0), 2), tlm::TLM_BURST_ERROR_RESPONSE);  // 16-bit
    EXPECT_EQ(acc(R, tptc(0) + 0x8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    n += 7;
    EXPECT_EQ(testing::take_reports(kReportBus).size(), n);
    EXPECT_EQ(b.cpu.cc(r::kPid), 0x40015300u);
    EXPECT_EQ(b.cpu.cc(r::param(0)), 0u);
  });
}

// ---------------------------------------------------------------------------------------
// Transfers

// AB-synchronised memory copy triggered by software (ESR), one frame per trigger: data,
// PaRAM updates after each TR (SRC/DST += CIDX, CCNT - 1), intermediate and final
// completion codes, and the exact time of a TR through the FIFO in burst-size commands.
TEST(Edma3, AbSyncManualTriggerCopiesFramesWithExactTime) {
  Edma3Params big_fifo;
  big_fifo.fifo_bytes = 512;  // a whole frame fits: reads never wait for FIFO room
  Bench b("b", TimingMode::Accurate, big_fifo);
  const std::uint32_t src = kDramBase + 0x1000, dst = kDramBase + 0x8000;
  const unsigned acnt = 128, bcnt = 3, ccnt = 2;  // frames of 384 bytes
  const auto data = random_bytes(acnt * bcnt * ccnt, 3);
  std::memcpy(b.mem(src), data.data(), data.size());
  b.run([&] {
    const unsigned ch = 20;
    b.own_channel(ch);
    Set s;
    s.opt = kOptAb | r::opt_tcc(ch) | r::kOptTcinten;
    s.src = src;
    s.dst = dst;
    s.acnt = acnt;
    s.bcnt = bcnt;
    s.src_bidx = s.dst_bidx = acnt;
    s.src_cidx = s.dst_cidx = acnt * bcnt;
    s.ccnt = ccnt;
    b.write_set(ch, s);
    const sc_time issued = sc_core::sc_time_stamp();
    b.trigger(ch);
    wait(5, sc_core::SC_US);
    // After the first frame: SRC / DST advanced by CIDX, CCNT 1, no completion yet.
    const auto w = b.read_set(ch);
    EXPECT_EQ(w[1], src + acnt * bcnt);
    EXPECT_EQ(w[3], dst + acnt * bcnt);
    EXPECT_EQ(w[7], 1u);
    EXPECT_EQ(b.cpu.ch_reg(r::kIpr), 0u);
    EXPECT_TRUE(b.ccint_rises.empty());
    const sc_time second = sc_core::sc_time_stamp();
    b.trigger(ch);
    wait(5, sc_core::SC_US);
    EXPECT_EQ(std::memcmp(b.mem(dst), data.data(), data.size()), 0);
    EXPECT_EQ(b.cpu.ch_reg(r::kIpr), 1u << ch);
    EXPECT_TRUE(b.ccint.read());
    // The set was exhausted and linked to the null set.
    const auto n = b.read_set(ch);
    EXPECT_EQ(n, (std::array<std::uint32_t, 8>{0, 0, 0, 0, 0, 0xffff, 0, 0}));
    // Time: 384 bytes = six 64-byte commands each way (ACNT 128 > the burst size: no
    // 1D optimisation). Reads go back to back, one per command time c; each write goes
    // when its read returns (a write also takes c, so the write port keeps up): the TR
    // ends one write after the sixth read, tr + 5 c + read + write + completion, as long
    // as four reads and four writes in flight cover the latencies (L <= 3 c each).
    const sc_time c = b.command(64);
    ASSERT_LE(b.mem_read(64) - c, 3.0 * c);
    ASSERT_LE(b.mem_write(64) - c, 3.0 * c);
    const sc_time tr = b.tr_overhead() + 5.0 * c + b.mem_read(64) + b.mem_write(64) + b.completion();
    ASSERT_EQ(b.ccint_rises.size(), 1u);
    EXPECT_EQ(b.ccint_rises[0] - second, b.reg_arrival() + tr);
    (void)issued;
    // Interrupt service: ICR drops the line.
    b.cpu.ch_reg(r::kIcr, 1u << ch);
    EXPECT_FALSE(b.ccint.read());
    EXPECT_EQ(b.dma.tc_stats(0).trs, 2u);
    EXPECT_EQ(b.dma.tc_stats(0).bytes, data.size());
    EXPECT_EQ(b.dma.tc_stats(0).commands, 24u);
  });
}

// A-synchronised: one array per event; BCNT counts down, reloads from BCNTRLD, CCNT counts
// frames; CIDX is added to the start of the frame's last array. Intermediate completions
// (ITCINTEN) set IPR for every TR but the last, which sets it through TCINTEN.
TEST(Edma3, ASyncArraysFramesAndIntermediateCompletion) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x2000, dst = kDramBase + 0x9000;
  const unsigned acnt = 8, bcnt = 3, ccnt = 2;
  const std::int32_t sbidx = 16, scidx = 100;  // gaps in the source
  std::vector<unsigned char> expect;
  const auto data = random_bytes(0x200, 4);
  std::memcpy(b.mem(src), data.data(), data.size());
  for (unsigned c = 0; c < ccnt; ++c)
    for (unsigned a = 0; a < bcnt; ++a) {
      const unsigned off = c * (sbidx * (bcnt - 1) + scidx) + a * sbidx;
      expect.insert(expect.end(), data.begin() + off, data.begin() + off + acnt);
    }
  b.run([&] {
    const unsigned ch = 33;  // a high-half channel
    b.own_channel(ch, 1);
    Set s;
    s.opt = r::opt_tcc(ch) | r::kOptItcinten | r::kOptTcinten;
    s.src = src;
    s.dst = dst;
    s.acnt = acnt;
    s.bcnt = bcnt;
    s.bcntrld = bcnt;
    s.src_bidx = sbidx;
    s.dst_bidx = acnt;
    s.src_cidx = scidx;
    s.dst_cidx = acnt;
    s.ccnt = ccnt;
    b.write_set(ch, s);
    for (unsigned i = 0; i < bcnt * ccnt; ++i) {
      b.trigger(ch);
      wait(500, SC_NS);
      EXPECT_EQ(b.cpu.ch_reg(r::kIpr + r::kHigh), 1u << (ch - 32)) << i;
      if (i == 0) {
        const auto w = b.read_set(ch);
        EXPECT_EQ(w[1], src + sbidx);
        EXPECT_EQ(w[2], r::ab_cnt(acnt, bcnt - 1));
      }
      if (i == bcnt - 1) {
        const auto w = b.read_set(ch);  // frame done: BCNT reloaded, CCNT - 1
        EXPECT_EQ(w[1], src + sbidx * (bcnt - 1) + scidx);
        EXPECT_EQ(w[2], r::ab_cnt(acnt, bcnt));
        EXPECT_EQ(w[7], ccnt - 1);
      }
      b.cpu.ch_reg(r::kIcr + r::kHigh, 1u << (ch - 32));
    }
    EXPECT_EQ(std::memcmp(b.mem(dst), expect.data(), expect.size()), 0);
    EXPECT_EQ(b.ccint_rises.size(), bcnt * ccnt);
    EXPECT_EQ(b.dma.tc_stats(1).trs, bcnt * ccnt);  // queue 1 -> TC1
    EXPECT_EQ(b.dma.tc_stats(0).trs, 0u);
  });
}

// The omap-aes pattern: a device FIFO paced by its event line (channel 5), AB-sync ACNT 4,
// BCNT 4 (one 16-byte block per event), destination indexes 0. The device re-raises its
// event at the end of each block's last write, so TR k starts at t0 + k x D. The source
// side is contiguous (SRCBIDX = ACNT = 4): one 16-byte read; the destination side (index 0)
// four 4-byte writes, posted one command time apart once the read returned:
// D = TR overhead + memory read of 16 + 3 commands of 4 + device write + completion.
void device_pattern(TimingMode mode) {
  Bench b("b", mode);
  const std::uint32_t src = kDramBase + 0x3000;
  const unsigned blocks = 12;
  const auto data = random_bytes(16 * blocks, 5);
  std::memcpy(b.mem(src), data.data(), data.size());
  sc_time t0;
  b.run([&] {
    b.own_channel(kDevChannel);
    Set s;
    s.opt = kOptAb | r::opt_tcc(kDevChannel) | r::kOptTcinten;
    s.src = src;
    s.dst = static_cast<std::uint32_t>(kDevBase);
    s.acnt = 4;
    s.bcnt = 4;
    s.src_bidx = 4;
    s.src_cidx = 16;
    s.ccnt = blocks;
    b.write_set(kDevChannel, s);
    b.start_events(kDevChannel);
    wait(1, sc_core::SC_US);
    t0 = sc_core::sc_time_stamp();
    b.dev.start(blocks, FifoDevice::Pacing::OnAccessEnd);
    wait(b.ccint.posedge_event());
  });
  EXPECT_EQ(b.dev.received, data);
  EXPECT_EQ(b.dev.unsolicited, 0u);
  EXPECT_EQ(b.dma.missed_events(), 0u);
  const sc_time d =
      b.tr_overhead() + b.mem_read(16) + 3.0 * b.command(4) + b.dev_write(4) + b.completion();
  ASSERT_EQ(b.ccint_rises.size(), 1u);
  const sc_time expected = d * static_cast<double>(blocks);
  if (mode == TimingMode::Accurate) {
    EXPECT_EQ(b.ccint_rises[0] - t0, expected);
  } else {
    const double rel = (b.ccint_rises[0] - t0 - expected).to_seconds() / expected.to_seconds();
    EXPECT_LT(std::abs(rel), 0.01) << (b.ccint_rises[0] - t0) << " vs " << expected;
  }
}

TEST(Edma3, DevicePacedBlocksAccurateExactTime) { device_pattern(TimingMode::Accurate); }
TEST(Edma3, DevicePacedBlocksFastWithinOnePercent) { device_pattern(TimingMode::Fast); }

// Fast mode: a device that keeps its event high (elastic buffer) gets the next TR without a
// new edge.
TEST(Edma3, FastModeLevelHeldEventContinues) {
  Bench b("b", TimingMode::Fast);
  const std::uint32_t src = kDramBase + 0x3000;
  const unsigned blocks = 8;
  const auto data = random_bytes(16 * blocks, 6);
  std::memcpy(b.mem(src), data.data(), data.size());
  b.run([&] {
    b.own_channel(kDevChannel);
    Set s;
    s.opt = kOptAb | r::opt_tcc(kDevChannel) | r::kOptTcinten;
    s.src = src;
    s.dst = static_cast<std::uint32_t>(kDevBase);
    s.acnt = 4;
    s.bcnt = 4;
    s.src_bidx = 4;
    s.src_cidx = 16;
    s.ccnt = blocks;
    b.write_set(kDevChannel, s);
    b.start_events(kDevChannel);
    b.dev.start(blocks, FifoDevice::Pacing::Elastic);
    wait(b.ccint.posedge_event());
  });
  EXPECT_EQ(b.dev.received, data);
  EXPECT_EQ(b.dma.missed_events(), 0u);
}

// Linking: the exhausted set reloads from the set LINK names; a chain of two sets ends on
// the null set, and an event on the null set is a missed event (EMR, error interrupt).
TEST(Edma3, LinkingReloadsAndNullSetMissesEvents) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src1 = kDramBase + 0x1000, src2 = kDramBase + 0x1100;
  const std::uint32_t dst1 = kDramBase + 0x5000, dst2 = kDramBase + 0x5100;
  const auto d1 = random_bytes(64, 7), d2 = random_bytes(48, 8);
  std::memcpy(b.mem(src1), d1.data(), d1.size());
  std::memcpy(b.mem(src2), d2.data(), d2.size());
  b.run([&] {
    const unsigned ch = 9, linked = 70;
    b.own_channel(ch);
    Set a;
    a.opt = kOptAb | r::opt_tcc(ch) | r::kOptTcinten;
    a.src = src1;
    a.dst = dst1;
    a.acnt = 64;
    a.bcnt = 1;
    a.ccnt = 1;
    a.link = r::param(linked);
    Set c = a;
    c.src = src2;
    c.dst = dst2;
    c.acnt = 16;
    c.bcnt = 3;
    c.src_bidx = c.dst_bidx = 16;
    c.link = r::kNullLink;
    b.write_set(ch, a);
    b.write_set(linked, c);
    b.trigger(ch);
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.read_set(ch), c.words());  // reloaded from set 70
    b.trigger(ch);
    wait(1, sc_core::SC_US);
    EXPECT_EQ(std::memcmp(b.mem(dst1), d1.data(), d1.size()), 0);
    EXPECT_EQ(std::memcmp(b.mem(dst2), d2.data(), d2.size()), 0);
    EXPECT_EQ(b.read_set(linked), c.words());  // the link source is untouched
    EXPECT_FALSE(b.ccerrint.read());
    b.trigger(ch);  // the null set
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.cpu.cc(r::kEmr), 1u << ch);
    EXPECT_TRUE(b.ccerrint.read());
    EXPECT_EQ(b.dma.tc_stats(0).trs, 2u);
    b.cpu.cc(r::kEmcr, 1u << ch);
    EXPECT_FALSE(b.ccerrint.read());
  });
}

// A dummy set (Linux's: LINK 0xFFFF, CCNT 1, other counts 0): an event moves nothing and
// reports nothing, but the set is linked (here: to the null set); the next event hits the
// null set and is missed.
TEST(Edma3, DummySetIsLinkedWithoutTransferOrError) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    const unsigned ch = 12;
    b.own_channel(ch);
    Set dummy;
    dummy.ccnt = 1;
    dummy.opt = r::opt_tcc(ch) | r::kOptTcinten;
    b.write_set(ch, dummy);
    b.trigger(ch);
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.cpu.cc(r::kEmr), 0u);
    EXPECT_EQ(b.cpu.ch_reg(r::kIpr), 0u);
    EXPECT_EQ(b.read_set(ch), (std::array<std::uint32_t, 8>{0, 0, 0, 0, 0, 0xffff, 0, 0}));
    EXPECT_EQ(b.dma.tc_stats(0).trs, 0u);
    b.trigger(ch);
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.cpu.cc(r::kEmr), 1u << ch);
  });
}

// Chaining: the final completion of channel 10 (TCCHEN, TCC 11) triggers channel 11 through
// CER, whose event enable is off.
TEST(Edma3, ChainingTriggersTheChannelOfTheCompletionCode) {
  Bench b("b", TimingMode::Accurate);
  const auto d1 = random_bytes(32, 9), d2 = random_bytes(32, 10);
  std::memcpy(b.mem(kDramBase + 0x100), d1.data(), 32);
  std::memcpy(b.mem(kDramBase + 0x200), d2.data(), 32);
  b.run([&] {
    b.own_channel(10);
    b.own_channel(11);
    Set a;
    a.opt = kOptAb | r::opt_tcc(11) | r::kOptTcchen;
    a.src = kDramBase + 0x100;
    a.dst = kDramBase + 0x4100;
    a.acnt = 32;
    a.bcnt = 1;
    a.ccnt = 1;
    Set c = a;
    c.opt = kOptAb | r::opt_tcc(11) | r::kOptTcinten;
    c.src = kDramBase + 0x200;
    c.dst = kDramBase + 0x4200;
    b.write_set(10, a);
    b.write_set(11, c);
    b.trigger(10);
    wait(b.ccint.posedge_event());
    EXPECT_EQ(std::memcmp(b.mem(kDramBase + 0x4100), d1.data(), 32), 0);
    EXPECT_EQ(std::memcmp(b.mem(kDramBase + 0x4200), d2.data(), 32), 0);
    EXPECT_EQ(b.cpu.ch_reg(r::kIpr), 1u << 11);
    EXPECT_EQ(b.cpu.ch_reg(r::kCer), 0u);
    EXPECT_EQ(b.cpu.ch_reg(r::kEer), 0u);
  });
}

// Missed events: a second edge while the first is still latched in ER is lost (EMR), as
// is one on a channel whose set is exhausted. EER gates queueing, not latching.
TEST(Edma3, MissedEventsWhileLatched) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    b.own_channel(kDevChannel);
    b.dev.raise();
    wait(100, SC_NS);
    EXPECT_EQ(b.cpu.ch_reg(r::kEr), 1u << kDevChannel);  // latched, not enabled
    b.dev.req.write(false);
    wait(100, SC_NS);
    b.dev.raise();
    wait(100, SC_NS);
    EXPECT_EQ(b.cpu.cc(r::kEmr), 1u << kDevChannel);
    EXPECT_TRUE(b.ccerrint.read());
    EXPECT_EQ(b.dma.missed_events(), 1u);
    // Linux's clean-up: ECR, EMCR, SECR, CCERRCLR.
    b.cpu.ch_reg(r::kEcr, 1u << kDevChannel);
    b.cpu.cc(r::kEmcr, 1u << kDevChannel);
    b.cpu.ch_reg(r::kSecr, 1u << kDevChannel);
    b.cpu.cc(r::kCcerrclr, r::kCcerrTccErr | 0x7u);
    EXPECT_EQ(b.cpu.ch_reg(r::kEr), 0u);
    EXPECT_FALSE(b.ccerrint.read());
    b.dev.req.write(false);
  });
}

// A bus error on a read: the TC latches BUSERR with the TR's completion code in ERRDET,
// drives its error line when enabled, and still reports the completion.
TEST(Edma3, BusErrorIsLatchedInTheTransferController) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    b.bus.inject_bus_error(kDramBase + 0x7000, 0x100);
    b.own_channel(3, 2);
    b.cpu.tc(2, r::kTcErrEn, r::kTcErrBus);
    Set s;
    s.opt = kOptAb | r::opt_tcc(3) | r::kOptTcinten;
    s.src = kDramBase + 0x7000;
    s.dst = kDramBase + 0x100;
    s.acnt = 32;
    s.bcnt = 1;
    s.ccnt = 1;
    b.write_set(3, s);
    b.trigger(3);
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.cpu.tc(2, r::kTcErrStat), r::kTcErrBus);
    EXPECT_EQ(b.cpu.tc(2, r::kTcErrDet),
              r::kErrDetReadError | (3u << r::kErrDetTccShift) | r::kErrDetTcinten);
    EXPECT_TRUE(b.tcerrint[2].read());
    EXPECT_EQ(b.cpu.ch_reg(r::kIpr), 1u << 3);
    EXPECT_EQ(b.dma.tc_stats(2).errors, 1u);
    b.cpu.tc(2, r::kTcErrClr, r::kTcErrBus);
    EXPECT_FALSE(b.tcerrint[2].read());
    EXPECT_EQ(b.cpu.tc(2, r::kTcErrDet), 0u);
  });
}

// Early completion (TCCMODE): the completion code is reported when the TR is submitted,
// before its data moves; queue status and the watermark show the queued entries.
TEST(Edma3, EarlyCompletionAndQueueStatus) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    for (unsigned ch = 40; ch < 44; ++ch) {
      b.own_channel(ch, 2);
      Set s;
      s.opt = kOptAb | r::opt_tcc(ch) | r::kOptTcinten | (ch == 40 ? r::kOptTccmode : 0u);
      s.src = kDramBase + 0x100 * (ch - 40);
      s.dst = kDramBase + 0x8000 + 0x100 * (ch - 40);
      s.acnt = 256;
      s.bcnt = 1;
      s.ccnt = 1;
      b.write_set(ch, s);
    }
    // All four in one write: channel 40 first (lowest number), the other three queue.
    const sc_time issued = sc_core::sc_time_stamp();
    b.cpu.ch_reg(r::kEsr + r::kHigh, 0xfu << 8);
    ASSERT_EQ(b.ccint_rises.size(), 1u);
    EXPECT_EQ(b.ccint_rises[0] - issued, b.reg_arrival());  // early: at submission
    EXPECT_EQ((b.cpu.cc(r::qstat(2)) >> r::kQstatNumvalShift) & 0x1f, 3u);
    EXPECT_NE(b.cpu.cc(r::kCcstat) & r::kCcstatActv, 0u);
    wait(5, sc_core::SC_US);
    EXPECT_EQ(b.cpu.ch_reg(r::kIpr + r::kHigh), 0xfu << 8);
    EXPECT_EQ((b.cpu.cc(r::qstat(2)) >> r::kQstatWmShift) & 0x1f, 4u);
    EXPECT_EQ(b.cpu.cc(r::kCcstat), 0u);
    EXPECT_EQ(b.dma.tc_stats(2).trs, 4u);
  });
}

}  // namespace
}  // namespace aesvp::edma3_test
