// The hardware path of each EDMA3 SoC profile (am335x, am57x) as the platform builds it: the
// profile's parameters, memory map, interconnect, DMA events and interrupt controller. Bare
// software on the simulated CPU programs the AES (ECB) and two EDMA3 channels the way Linux's
// edma driver programs them for omap-aes (AB-sync, ACNT 4, BCNT 4, the FIFO with index 0, the
// events and queue from the device description); the bytes equal OpenSSL and, in accurate
// mode, the data-path time of the request equals the closed form (docs/timing.md, "The data
// path over EDMA3"): from the AES's first input request to the output channel's completion
// interrupt, DMA-bound, T = N x (I + O) with
//   I = tr + (c16 + hop + DRAM read of 16 B) + 3 c4 + (c4 + hop + L4 + AES access) + completion
//   O = tr + 3 c4 + (c4 + hop + L4 + AES access) + (c16 + hop + DRAM write of 16 B) + completion
// (c4, c16: the TC's command time for 4 and 16 bytes; hop, L4 from the bus parameters).
#include "models/aes/omap_aes_regs.h"
#include "models/aes/tests/openssl_refs.h"
#include "models/edma3/edma3_regs.h"
#include "models/platform/platform.h"
#include "models/platform/platform_params.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace aesvp {
namespace {

namespace r = edma3;
namespace regs = omap_aes;
using sc_core::sc_time;

sc_time l3_cycles(const PlatformParams& q, double n) {
  return sc_time(n * 1000.0 / q.bus.l3_clock_mhz, sc_core::SC_NS);
}

struct Result {
  test_vectors::Bytes out;
  sc_time first_request, done;
  bool requested = false, completed = false;
};

Result run_request(Platform& p, const test_vectors::Bytes& key, const test_vectors::Bytes& in) {
  Result res;
  const DeviceTree& dt = p.device_tree();
  const AesNode& aes = dt.aes.at(0);
  const std::uint64_t tpcc = dt.dma.base;
  const std::uint64_t src = dt.dram_base + 0x10000, dst = dt.dram_base + 0x40000;
  const auto blocks = static_cast<std::uint32_t>(in.size() / 16);
  ExecContext& ctx = p.cpu.create_context("baremetal", ContextClass::Thread, 0);
  sc_core::sc_spawn([&] {
    auto w = [&](std::uint64_t a, std::uint32_t v) {
      ASSERT_EQ(ctx.write32(a, v), tlm::TLM_OK_RESPONSE) << std::hex << a;
    };
    ctx.write_memory(src, in.data(), in.size());
    for (unsigned x = 0; x < key.size() / 4; ++x) {
      std::uint32_t k;
      std::memcpy(&k, &key[4 * x], 4);
      w(aes.base + regs::key1_word(x), k);
    }
    w(aes.base + regs::kCtrl, (regs::ctrl_key_size(128) << regs::kCtrlKeySizeShift) | regs::kCtrlDirection);
    w(aes.base + regs::kCLength0, blocks * 16);
    w(aes.base + regs::kCLength1, 0);
    // Region 0 owns both channels (events below 32 on both SoCs); the output channel
    // interrupts (the controllers keep the line masked: nothing is taken by the CPU).
    ASSERT_LT(aes.dma_out, 32u);
    ASSERT_LT(aes.dma_in, 32u);
    const std::uint32_t both = (1u << aes.dma_in) | (1u << aes.dma_out);
    w(tpcc + r::drae(0), both);
    w(tpcc + r::kGlobalChannelBase + r::kIesr, 1u << aes.dma_out);
    const auto fifo = static_cast<std::uint32_t>(aes.base + regs::kDataInOut0);
    const std::uint32_t ab = r::kOptSyncdim | r::kOptTcinten;
    auto set = [&](unsigned ch, const std::array<std::uint32_t, 8>& words) {
      const std::uint32_t s = ch;  // DCHMAP reset: channel n uses PaRAM set n
      for (unsigned i = 0; i < 8; ++i) w(tpcc + r::param(s) + 4 * i, words[i]);
    };
    set(aes.dma_in, {ab | r::opt_tcc(aes.dma_in), static_cast<std::uint32_t>(src), r::ab_cnt(4, 4), fifo,
                     r::bidx(4, 0), r::link_bcntrld(r::kNullLink, 0), r::bidx(16, 0), blocks});
    set(aes.dma_out, {ab | r::opt_tcc(aes.dma_out), fifo, r::ab_cnt(4, 4), static_cast<std::uint32_t>(dst),
                      r::bidx(0, 4), r::link_bcntrld(r::kNullLink, 0), r::bidx(0, 16), blocks});
    w(tpcc + r::kGlobalChannelBase + r::kEesr, both);
    w(aes.base + regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);
    ctx.sync();
    sc_core::wait(sc_core::sc_time(1, sc_core::SC_MS), p.edma3->ccint.posedge_event());
    res.completed = p.edma3->ccint.read();
    res.done = sc_core::sc_time_stamp();
    res.out.resize(in.size());
    ctx.read_memory(dst, res.out.data(), res.out.size());
    sc_core::sc_stop();
  });
  sc_core::sc_spawn([&] {
    sc_core::wait(p.aes[0]->dma_req_in.posedge_event());
    res.requested = true;
    res.first_request = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  return res;
}

void check_profile(const std::string& profile) {
  PlatformParams q;
  apply_profile(q, profile);
  q.soc.timing_mode = "accurate";
  Platform p("platform", q);
  ASSERT_TRUE(p.edma3);
  std::mt19937 rng(11);
  test_vectors::Bytes key(16), in(16 * 64);
  for (auto& x : key) x = static_cast<std::uint8_t>(rng());
  for (auto& x : in) x = static_cast<std::uint8_t>(rng());
  const Result res = run_request(p, key, in);
  ASSERT_TRUE(res.requested);
  ASSERT_TRUE(res.completed);
  EXPECT_EQ(res.out, test_vectors::evp("AES-128-ECB", key, {}, in, true));
  EXPECT_EQ(p.edma3->missed_events(), 0u);

  const Edma3& e = *p.edma3;
  const sc_time hop = l3_cycles(q, q.bus.l3_hop_cycles), l4 = l3_cycles(q, q.bus.l4_bridge_cycles);
  const sc_time c4 = e.command_cost(4), c16 = e.command_cost(16);
  const sc_time aes_side = 3.0 * c4 + c4 + hop + l4 + p.aes[0]->access_latency();
  const sc_time I = e.tr_overhead() + c16 + hop + p.dram.read_time(16) + aes_side + e.completion_delay();
  const sc_time O = e.tr_overhead() + aes_side + c16 + hop + p.dram.write_time(16) + e.completion_delay();
  ASSERT_LE(p.aes[0]->core_time_per_block(128), I);  // DMA-bound
  const sc_time expected = 64.0 * (I + O);
  EXPECT_EQ(res.done - res.first_request, expected) << "I " << I << " O " << O;
}

TEST(Edma3HardwarePath, Am335xDataPathTimeIsTheClosedForm) { check_profile("am335x"); }
TEST(Edma3HardwarePath, Am57xDataPathTimeIsTheClosedForm) { check_profile("am57x"); }

}  // namespace
}  // namespace aesvp
