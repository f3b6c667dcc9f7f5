// The AM335x hardware path without software in the loop: the AES fed and drained by two
// EDMA3 channels (event 5: memory -> DATA_IN, event 6: DATA_OUT -> memory, both on queue /
// TC 0), programmed the way Linux's edma driver programs them for omap-aes (AB-sync, ACNT 4,
// BCNT 4, the FIFO address with index 0). The bytes equal OpenSSL; the data-path time, from
// the AES's first input request to the completion interrupt of the output channel, equals
// the closed form derived here for accurate mode. The memory side of each TR is contiguous
// (BIDX = ACNT = 4): one 16-byte command (TRM command optimisation); the FIFO side is four
// 4-byte commands one command time c4 apart (reads in flight, writes posted):
//   I = TR cost of one input block  = tr + (c16 + hop + DRAM read of 16 bytes)
//                                        + 3 c4 + (c4 + hop + L4 + AES access) + completion
//   O = TR cost of one output block = tr + 3 c4 + (c4 + hop + L4 + AES access)
//                                        + (c16 + hop + DRAM write of 16 bytes) + completion
//   DMA-bound (core <= I): both channels share TC 0, whose queue runs in(1), in(2), out(1),
//     in(3), out(2), ..., in(N), out(N-1), out(N) back to back: T = N x (I + O).
//   AES-bound (core >= I + O): T = a_in + N x core + O, with a_in the time from the start of
//     an input TR to its block's arrival in the AES (its last write).
#include "models/aes/omap_aes.h"
#include "models/aes/omap_aes_regs.h"
#include "models/aes/tests/openssl_refs.h"
#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/edma3/edma3.h"
#include "models/edma3/edma3_regs.h"
#include "models/memory/memory.h"
#include "models/testing/sc_test.h"
#include "models/testing/tlm_test_devices.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace aesvp {
namespace {

namespace r = edma3;
namespace regs = omap_aes;
using sc_core::sc_time;
using sc_core::SC_NS;

constexpr std::uint64_t kDram = 0x80000000;
constexpr std::uint64_t kAes = 0x53500000;  // AM335x AES0
constexpr unsigned kIn = 5, kOut = 6;       // AM335x DT: rx = 5 (DATA_IN), tx = 6 (DATA_OUT)

struct Bench : sc_core::sc_module {
  BusParams busp;
  Edma3Params ep;
  AesParams ap;
  testing::TestCpu cpu{"cpu"};
  Interconnect bus;
  Memory dram;
  Edma3 dma;
  OmapAes aes;
  LevelSignal req_in{"req_in"}, req_out{"req_out"}, aes_irq{"aes_irq"};
  LevelSignal ccint{"ccint"}, ccerrint{"ccerrint"};
  sc_core::sc_vector<LevelSignal> tcerr{"tcerr", 3};
  sc_time first_request, done;
  bool armed = false, requested = false;
  bool input_interrupts = false;  // the input channel interrupts too: `done` is its completion

  static DramParams small() {
    DramParams d;
    d.size_mib = 1;
    return d;
  }
  sc_time l3(double n) const { return sc_time(1000.0 / busp.l3_clock_mhz, SC_NS) * n; }
  sc_time hop() const { return l3(busp.l3_hop_cycles); }
  sc_time l4() const { return l3(busp.l4_bridge_cycles); }
  sc_time dcyc(double n) const { return sc_time(1000.0 / ep.clock_mhz, SC_NS) * n; }
  sc_time command(unsigned len) const {
    return dcyc(ep.command_cycles + ep.beat_cycles * ((len + ep.bus_bytes - 1) / ep.bus_bytes));
  }
  sc_time aes_access() const { return sc_time(1000.0 / ap.clock_mhz, SC_NS) * ap.reg_access_cycles; }
  sc_time core() const { return sc_time(1000.0 / ap.clock_mhz, SC_NS) * ap.cycles_per_block_128; }
  sc_time aes_side() const { return 3.0 * command(4) + command(4) + hop() + l4() + aes_access(); }
  sc_time a_in() const { return dcyc(ep.tr_cycles) + command(16) + hop() + dram.read_time(16) + aes_side(); }
  sc_time in_tr() const { return a_in() + dcyc(ep.completion_cycles); }
  sc_time out_tr() const {
    return dcyc(ep.tr_cycles) + aes_side() + command(16) + hop() + dram.write_time(16) +
           dcyc(ep.completion_cycles);
  }

  SC_HAS_PROCESS(Bench);
  Bench(sc_core::sc_module_name n, const AesParams& a, TimingMode mode)
      : sc_core::sc_module(n), ap(a), bus("bus", hop()), dram("dram", small()),
        dma("dma", ep, mode), aes("aes", a, mode) {
    cpu.socket.bind(bus.from_initiators);
    for (auto& s : dma.tc_bus) s.bind(bus.from_initiators);
    bus.attach(dram.socket, kDram, dram.size(), "dram");
    bus.attach(dma.cc_regs, r::kAm335xTpccBase, r::kTpccWindowSize, "tpcc", l4());
    for (unsigned t = 0; t < 3; ++t)
      bus.attach(dma.tc_regs[t], r::kAm335xTptcBase + r::kTptcStride * t, r::kTptcWindowSize,
                 "tptc" + std::to_string(t), l4());
    bus.attach(aes.socket, kAes, 0x1000, "aes", l4());
    aes.dma_req_in.bind(req_in);
    aes.dma_req_out.bind(req_out);
    aes.irq.bind(aes_irq);
    dma.event[kIn].bind(req_in);
    dma.event[kOut].bind(req_out);
    dma.ccint.bind(ccint);
    dma.ccerrint.bind(ccerrint);
    for (unsigned t = 0; t < 3; ++t) dma.tcerrint[t].bind(tcerr[t]);
    SC_METHOD(on_request);
    sensitive << req_in.posedge_event();
    dont_initialize();
  }
  void on_request() {
    if (armed && !requested) {
      requested = true;
      first_request = sc_core::sc_time_stamp();
    }
  }

  void cc(std::uint32_t off, std::uint32_t v) { cpu.write(r::kAm335xTpccBase + off, v); }
  void set(unsigned slot, const std::array<std::uint32_t, 8>& w) {
    for (unsigned i = 0; i < 8; ++i) cc(r::param(slot) + 4 * i, w[i]);
  }

  // ECB encryption of `blocks` blocks from src to dst through the two channels.
  void encrypt(const test_vectors::Bytes& key, std::uint64_t src, std::uint64_t dst, unsigned blocks) {
    for (unsigned x = 0; x < key.size() / 4; ++x) {
      std::uint32_t w;
      std::memcpy(&w, &key[4 * x], 4);
      cpu.write(kAes + regs::key1_word(x), w);
    }
    cpu.write(kAes + regs::kCtrl, (regs::ctrl_key_size(static_cast<std::uint32_t>(key.size() * 8))
                                   << regs::kCtrlKeySizeShift) | regs::kCtrlDirection);
    cpu.write(kAes + regs::kCLength0, blocks * 16);
    cpu.write(kAes + regs::kCLength1, 0);
    // Region 0 owns both channels; the output channel interrupts (and the input one if asked).
    cc(r::drae(0), (1u << kIn) | (1u << kOut));
    cc(r::kGlobalChannelBase + r::kIesr, (1u << kOut) | (input_interrupts ? 1u << kIn : 0u));
    const std::uint32_t fifo = static_cast<std::uint32_t>(kAes + regs::kDataInOut0);
    const std::uint32_t ab = r::kOptSyncdim | r::kOptTcinten;
    set(kIn, {ab | r::opt_tcc(kIn), static_cast<std::uint32_t>(src), r::ab_cnt(4, 4), fifo,
              r::bidx(4, 0), r::link_bcntrld(r::kNullLink, 0), r::bidx(16, 0), blocks});
    set(kOut, {ab | r::opt_tcc(kOut), fifo, r::ab_cnt(4, 4), static_cast<std::uint32_t>(dst),
               r::bidx(0, 4), r::link_bcntrld(r::kNullLink, 0), r::bidx(0, 16), blocks});
    cc(r::kGlobalChannelBase + r::kEesr, (1u << kIn) | (1u << kOut));
    armed = true;
    cpu.write(kAes + regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);
    wait(ccint.posedge_event());
    done = sc_core::sc_time_stamp();
  }
};

// `tolerance` 0: exact (accurate mode); otherwise the relative difference allowed (fast mode).
// `input_end`: time the input channel's last TR instead (DMA-bound).
void run_path(const AesParams& ap, unsigned blocks, bool dma_bound,
              TimingMode mode = TimingMode::Accurate, double tolerance = 0,
              bool input_end = false) {
  Bench b("b", ap, mode);
  b.input_interrupts = input_end;
  std::mt19937 rng(7);
  test_vectors::Bytes key(16), in(16 * blocks), out(16 * blocks);
  for (auto& x : key) x = static_cast<std::uint8_t>(rng());
  for (auto& x : in) x = static_cast<std::uint8_t>(rng());
  const std::uint64_t src = kDram + 0x1000, dst = kDram + 0x40000;
  std::memcpy(b.dram.data() + (src - kDram), in.data(), in.size());
  sc_core::sc_spawn([&] { b.encrypt(key, src, dst, blocks); }, "software");
  sc_core::sc_start();
  std::memcpy(out.data(), b.dram.data() + (dst - kDram), out.size());
  EXPECT_EQ(out, test_vectors::evp("AES-128-ECB", key, {}, in, true));
  EXPECT_EQ(b.dma.missed_events(), 0u);
  ASSERT_TRUE(b.requested);
  const sc_time t = b.done - b.first_request;
  const sc_time I = b.in_tr(), O = b.out_tr(), core = b.core();
  if (dma_bound) ASSERT_LE(core, I);
  else ASSERT_GE(core, I + O);
  sc_time expected = dma_bound ? static_cast<double>(blocks) * (I + O)
                               : b.a_in() + static_cast<double>(blocks) * core + O;
  // The queue runs in(1), in(2), out(1), in(3), out(2), ...: in(N) ends after N inputs and
  // N - 2 outputs.
  if (input_end) expected = static_cast<double>(blocks) * I + static_cast<double>(blocks - 2) * O;
  if (tolerance == 0) {
    EXPECT_EQ(t, expected) << "I " << I << " O " << O << " core " << core;
  } else {
    const double rel = (t.to_seconds() - expected.to_seconds()) / expected.to_seconds();
    EXPECT_LT(std::abs(rel), tolerance) << t << " vs " << expected;
  }
}

TEST(Edma3AesPath, DmaBoundTimeIsNTimesInPlusOutTr) { run_path(AesParams{}, 64, true); }

// Fast mode (elastic AES buffers, level-held requests) against the same closed forms.
TEST(Edma3AesPath, FastModeDmaBoundWithinOnePercent) {
  run_path(AesParams{}, 64, true, TimingMode::Fast, 0.01);
}

// The two channels alternate on the TC in both modes: the input channel's completion comes
// near the end, not after N input TRs back to back (docs/edma3-model.md, fast mode).
TEST(Edma3AesPath, InputCompletesInQueueOrder) {
  run_path(AesParams{}, 64, true, TimingMode::Accurate, 0, true);
}
TEST(Edma3AesPath, FastModeInputCompletesInQueueOrder) {
  run_path(AesParams{}, 64, true, TimingMode::Fast, 0.01, true);
}

TEST(Edma3AesPath, AesBoundTimeIsFillPlusNCoresPlusDrain) {
  AesParams slow;
  slow.cycles_per_block_128 = 400;  // 4 us per block: the core is the bottleneck
  run_path(slow, 16, false);
}

}  // namespace
}  // namespace aesvp
