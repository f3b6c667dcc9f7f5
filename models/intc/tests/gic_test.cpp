#include "models/core/level_signal.h"
#include "models/core/report.h"
#include "models/intc/gic.h"
#include "models/intc/gic_regs.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <memory>
#include <string>
#include <vector>

namespace aesvp {
namespace {

using namespace gic;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::SC_ZERO_TIME;

constexpr unsigned kLines = 16;  // SPIs wired in the bench (the rest stay unbound = low)

struct Bench : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Bench> to_dist{"to_dist"};
  tlm_utils::simple_initiator_socket<Bench> to_cpu{"to_cpu"};
  IntcParams params;
  Gic gic;
  std::vector<std::unique_ptr<LevelSignal>> lines;
  std::vector<std::unique_ptr<LevelSignal>> outs;

  explicit Bench(sc_core::sc_module_name n, unsigned cores = 2)
      : sc_core::sc_module(n), gic("gic", params, cores) {
    to_dist.bind(gic.dist);
    to_cpu.bind(gic.cpu_if);
    for (unsigned i = 0; i < kLines; ++i) {
      lines.push_back(std::make_unique<LevelSignal>(("line" + std::to_string(i)).c_str()));
      gic.spi[i].bind(*lines.back());
    }
    for (unsigned c = 0; c < cores; ++c) {
      outs.push_back(std::make_unique<LevelSignal>(("irq" + std::to_string(c)).c_str()));
      gic.irq[c].bind(*outs.back());
    }
  }

  tlm::tlm_response_status access(tlm_utils::simple_initiator_socket<Bench>& s,
                                  tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                  unsigned len, sc_time* latency = nullptr) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    s->b_transport(t, delay);
    if (latency) *latency = delay;
    return t.get_response_status();
  }
  void dwrite(std::uint64_t a, std::uint32_t v) {
    ASSERT_EQ(access(to_dist, tlm::TLM_WRITE_COMMAND, a, &v, 4), tlm::TLM_OK_RESPONSE) << a;
  }
  std::uint32_t dread(std::uint64_t a) {
    std::uint32_t v = 0xdeadbeef;
    EXPECT_EQ(access(to_dist, tlm::TLM_READ_COMMAND, a, &v, 4), tlm::TLM_OK_RESPONSE) << a;
    return v;
  }
  void cwrite(unsigned core, std::uint64_t a, std::uint32_t v) {
    ASSERT_EQ(access(to_cpu, tlm::TLM_WRITE_COMMAND, core * kCpuIfStride + a, &v, 4),
              tlm::TLM_OK_RESPONSE);
  }
  std::uint32_t cread(unsigned core, std::uint64_t a) {
    std::uint32_t v = 0xdeadbeef;
    EXPECT_EQ(access(to_cpu, tlm::TLM_READ_COMMAND, core * kCpuIfStride + a, &v, 4),
              tlm::TLM_OK_RESPONSE);
    return v;
  }

  // SPI `spi`: enabled, priority, targets (byte accesses, as Linux does).
  void configure(unsigned spi, std::uint8_t prio, std::uint8_t targets) {
    const unsigned id = kSpiBase + spi;
    ASSERT_EQ(access(to_dist, tlm::TLM_WRITE_COMMAND, GICD_IPRIORITYR + id, &prio, 1),
              tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(access(to_dist, tlm::TLM_WRITE_COMMAND, GICD_ITARGETSR + id, &targets, 1),
              tlm::TLM_OK_RESPONSE);
    dwrite(GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
  }
  void enable_all(std::uint32_t pmr = 0xf0) {
    dwrite(GICD_CTLR, GICD_CTLR_ENABLE);
    for (unsigned c = 0; c < gic.cores(); ++c) {
      cwrite(c, GICC_CTLR, GICC_CTLR_ENABLE);
      cwrite(c, GICC_PMR, pmr);
    }
  }
  bool out(unsigned core) const { return outs[core]->read(); }
  void raise(unsigned spi) { lines[spi]->write(true); }
  void lower(unsigned spi) { lines[spi]->write(false); }
};

// Delivery latency with the default parameters: 4 cycles at 500 MHz.
const sc_time kLatency(8, SC_NS);

// sc_start(t) stops before the events due at its end time: zero-time steps run them.
void run(const sc_time& t) {
  if (t != SC_ZERO_TIME) sc_core::sc_start(t);
  while (sc_core::sc_pending_activity_at_current_time()) sc_core::sc_start(SC_ZERO_TIME);
}

TEST(Gic, IdentificationAndDefaults) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  EXPECT_EQ(b.gic.delivery_latency(), kLatency);
  EXPECT_EQ(b.gic.interrupt_count(), 160u);
  // ITLinesNumber 4 (160 IDs), CPUNumber 1 (2 cores).
  EXPECT_EQ(b.dread(GICD_TYPER), 4u | (1u << 5));
  EXPECT_EQ(b.cread(0, GICC_PMR), 0u);
  EXPECT_EQ(b.cread(1, GICC_RPR), kIdlePriority);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpuriousId);
  // Priorities keep their top 5 bits; targets keep the bits of existing cores.
  b.dwrite(GICD_IPRIORITYR + 4 * 9, 0xffa1c307u);
  EXPECT_EQ(b.dread(GICD_IPRIORITYR + 4 * 9), 0xf8a0c000u);
  b.dwrite(GICD_ITARGETSR + 4 * 9, 0xff030201u);
  EXPECT_EQ(b.dread(GICD_ITARGETSR + 4 * 9), 0x03030201u);
  std::uint8_t byte = 0;
  ASSERT_EQ(b.access(b.to_dist, tlm::TLM_READ_COMMAND, GICD_ITARGETSR + 4 * 9 + 1, &byte, 1),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(byte, 0x02);
  // Register accesses take 10 GIC cycles.
  sc_time lat;
  std::uint32_t v;
  b.access(b.to_cpu, tlm::TLM_READ_COMMAND, GICC_RPR, &v, 4, &lat);
  EXPECT_EQ(lat, sc_time(20, SC_NS));
}

TEST(Gic, OutputFollowsEnableMaskAndDeliveryLatency) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  b.configure(5, 0xa0, 0x1);
  b.enable_all();
  b.raise(5);
  run(kLatency - sc_time(1, SC_PS));
  EXPECT_FALSE(b.out(0));
  run(sc_time(1, SC_PS));
  EXPECT_TRUE(b.out(0));
  EXPECT_FALSE(b.out(1));

  // Disabling the interrupt lowers the output at once; enabling takes the latency again.
  b.dwrite(GICD_ICENABLER + 4, 1u << 5);
  run(SC_ZERO_TIME);
  EXPECT_FALSE(b.out(0));
  EXPECT_EQ(b.dread(GICD_ISENABLER + 4), 0u);
  b.dwrite(GICD_ISENABLER + 4, 1u << 5);
  run(sc_time(4, SC_NS));
  EXPECT_FALSE(b.out(0));
  run(sc_time(4, SC_NS));
  EXPECT_TRUE(b.out(0));

  // Priority mask: only priorities strictly below PMR are signalled.
  b.cwrite(0, GICC_PMR, 0xa0);
  run(kLatency);
  EXPECT_FALSE(b.out(0));
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpuriousId);
  EXPECT_EQ(b.cread(0, GICC_HPPIR), kSpiBase + 5);  // pending, but masked
  b.cwrite(0, GICC_PMR, 0xa8);
  run(kLatency);
  EXPECT_TRUE(b.out(0));

  // Either CTLR off masks everything.
  b.cwrite(0, GICC_CTLR, 0);
  run(kLatency);
  EXPECT_FALSE(b.out(0));
  b.cwrite(0, GICC_CTLR, 1);
  b.dwrite(GICD_CTLR, 0);
  run(kLatency);
  EXPECT_FALSE(b.out(0));
  b.dwrite(GICD_CTLR, 1);
  run(kLatency);
  EXPECT_TRUE(b.out(0));

  // Level-sensitive: the line going low removes the pending state.
  b.lower(5);
  run(SC_ZERO_TIME);
  EXPECT_FALSE(b.out(0));
  EXPECT_FALSE(b.gic.pending(kSpiBase + 5));
}

TEST(Gic, AcknowledgesInPriorityThenIdOrderWithPreemption) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  b.configure(3, 0x80, 1);
  b.configure(7, 0x40, 1);
  b.configure(9, 0x40, 1);
  b.configure(12, 0xc0, 1);
  b.enable_all(0xff);
  for (unsigned s : {3u, 7u, 9u, 12u}) b.raise(s);
  run(kLatency);
  ASSERT_TRUE(b.out(0));
  EXPECT_EQ(b.cread(0, GICC_HPPIR), kSpiBase + 7);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 7);  // 0x40, lower ID than 9
  EXPECT_EQ(b.cread(0, GICC_RPR), 0x40u);
  // The same priority does not preempt the running one.
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpuriousId);
  run(kLatency);
  EXPECT_FALSE(b.out(0));
  b.lower(7);
  b.cwrite(0, GICC_EOIR, kSpiBase + 7);
  EXPECT_EQ(b.cread(0, GICC_RPR), kIdlePriority);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 9);
  b.lower(9);
  b.cwrite(0, GICC_EOIR, kSpiBase + 9);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 3);
  EXPECT_EQ(b.cread(0, GICC_RPR), 0x80u);
  // A higher-priority interrupt preempts an active lower-priority one (nesting).
  b.configure(1, 0x20, 1);
  b.raise(1);
  run(kLatency);
  EXPECT_TRUE(b.out(0));
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 1);
  EXPECT_EQ(b.cread(0, GICC_RPR), 0x20u);
  b.lower(1);
  b.cwrite(0, GICC_EOIR, kSpiBase + 1);
  EXPECT_EQ(b.cread(0, GICC_RPR), 0x80u);  // back to the interrupted one
  b.lower(3);
  b.cwrite(0, GICC_EOIR, kSpiBase + 3);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 12);
  EXPECT_EQ(b.gic.acknowledged(), 5u);
}

TEST(Gic, LevelLineStillHighAfterEoiIsPendingAgain) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  b.configure(4, 0xa0, 1);
  b.enable_all();
  b.raise(4);
  run(kLatency);
  ASSERT_TRUE(b.out(0));
  const unsigned id = kSpiBase + 4;
  EXPECT_EQ(b.cread(0, GICC_IAR), id);
  run(SC_ZERO_TIME);
  EXPECT_FALSE(b.out(0));  // active: no longer signalled
  EXPECT_TRUE(b.gic.active(id));
  EXPECT_EQ(b.dread(GICD_ISACTIVER + 4), 1u << 4);
  EXPECT_EQ(b.dread(GICD_ISPENDR + 4), 1u << 4);  // active and pending: the line is high
  run(sc_time(100, SC_NS));
  EXPECT_FALSE(b.out(0));
  // EOI while the line is still high: pending again, signalled after the latency.
  b.cwrite(0, GICC_EOIR, id);
  EXPECT_EQ(b.dread(GICD_ISACTIVER + 4), 0u);
  run(kLatency - sc_time(1, SC_PS));
  EXPECT_FALSE(b.out(0));
  run(sc_time(1, SC_PS));
  EXPECT_TRUE(b.out(0));
  EXPECT_EQ(b.cread(0, GICC_IAR), id);
  // The device lowers its line (the handler cleared its status), then EOI: idle.
  b.lower(4);
  b.cwrite(0, GICC_EOIR, id);
  run(sc_time(100, SC_NS));
  EXPECT_FALSE(b.out(0));
  EXPECT_EQ(b.dread(GICD_ISPENDR + 4), 0u);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpuriousId);
}

TEST(Gic, TargetsSelectTheCore) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  b.configure(2, 0xa0, 0x2);  // core 1 only
  b.enable_all();
  b.raise(2);
  run(kLatency);
  EXPECT_FALSE(b.out(0));
  EXPECT_TRUE(b.out(1));
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpuriousId);
  EXPECT_EQ(b.cread(1, GICC_IAR), kSpiBase + 2);
  b.lower(2);
  b.cwrite(1, GICC_EOIR, kSpiBase + 2);

  // Both cores targeted (1-of-N): both signalled, the first to acknowledge takes it.
  std::uint8_t both = 0x3;
  ASSERT_EQ(b.access(b.to_dist, tlm::TLM_WRITE_COMMAND, GICD_ITARGETSR + kSpiBase + 2, &both, 1),
            tlm::TLM_OK_RESPONSE);
  b.raise(2);
  run(kLatency);
  EXPECT_TRUE(b.out(0));
  EXPECT_TRUE(b.out(1));
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 2);
  run(SC_ZERO_TIME);
  EXPECT_FALSE(b.out(0));
  EXPECT_FALSE(b.out(1));
  EXPECT_EQ(b.cread(1, GICC_IAR), kSpuriousId);
  // EOI from the wrong core is ignored with a warning.
  b.cwrite(1, GICC_EOIR, kSpiBase + 2);
  EXPECT_EQ(testing::take_reports(kReportModel).size(), 1u);
  EXPECT_TRUE(b.gic.active(kSpiBase + 2));
  b.cwrite(0, GICC_EOIR, kSpiBase + 2);
  EXPECT_FALSE(b.gic.active(kSpiBase + 2));
}

// Candidates in several 32-ID words: the highest priority wins wherever it is, then the
// lowest ID; retargeting, disabling and acknowledging a candidate each change the choice.
TEST(Gic, HighestPendingAcrossWordsFollowsTargetsAndEnables) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  const unsigned high = kSpiBase + 100;  // word 4, no line: pending by GICD_ISPENDR only
  b.configure(5, 0x80, 1);
  b.configure(high - kSpiBase, 0x40, 1);
  b.configure(3, 0x40, 1);
  b.enable_all(0xff);
  b.raise(5);
  b.dwrite(GICD_ISPENDR + 4 * (high / 32), 1u << (high % 32));
  run(kLatency);
  EXPECT_EQ(b.cread(0, GICC_HPPIR), high);  // 0x40 beats the lower ID's 0x80
  EXPECT_EQ(b.cread(1, GICC_HPPIR), kSpuriousId);
  b.raise(3);
  run(SC_ZERO_TIME);
  EXPECT_EQ(b.cread(0, GICC_HPPIR), kSpiBase + 3);  // same priority: the lower ID
  // Moved to core 1: core 0 sees the next one, core 1 sees it.
  std::uint8_t core1 = 0x2;
  ASSERT_EQ(b.access(b.to_dist, tlm::TLM_WRITE_COMMAND, GICD_ITARGETSR + kSpiBase + 3, &core1, 1),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.cread(0, GICC_HPPIR), high);
  EXPECT_EQ(b.cread(1, GICC_HPPIR), kSpiBase + 3);
  b.dwrite(GICD_ICENABLER + 4 * (high / 32), 1u << (high % 32));
  EXPECT_EQ(b.cread(0, GICC_HPPIR), kSpiBase + 5);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpiBase + 5);
  EXPECT_EQ(b.cread(0, GICC_HPPIR), kSpuriousId);  // the only candidate is active
  b.dwrite(GICD_ISENABLER + 4 * (high / 32), 1u << (high % 32));
  EXPECT_EQ(b.cread(0, GICC_HPPIR), high);
  // A line that falls in the current delta is no longer pending, though not yet seen low.
  b.lower(3);
  EXPECT_EQ(b.cread(1, GICC_HPPIR), kSpuriousId);
}

TEST(Gic, SoftwarePendingAndActiveReadBack) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  const unsigned id = kSpiBase + 40;  // no line wired: software pending only
  b.configure(40, 0x90, 1);
  b.enable_all();
  b.dwrite(GICD_ISPENDR + 4 * (id / 32), 1u << (id % 32));
  EXPECT_EQ(b.dread(GICD_ICPENDR + 4 * (id / 32)), 1u << (id % 32));
  run(kLatency);
  EXPECT_TRUE(b.out(0));
  b.dwrite(GICD_ICPENDR + 4 * (id / 32), 1u << (id % 32));
  run(SC_ZERO_TIME);
  EXPECT_FALSE(b.out(0));
  EXPECT_EQ(b.dread(GICD_ISPENDR + 4 * (id / 32)), 0u);

  // Acknowledging clears a software pending state.
  b.dwrite(GICD_ISPENDR + 4 * (id / 32), 1u << (id % 32));
  EXPECT_EQ(b.cread(0, GICC_IAR), id);
  EXPECT_FALSE(b.gic.pending(id));
  EXPECT_EQ(b.dread(GICD_ISACTIVER + 4 * (id / 32)), 1u << (id % 32));
  // Clear-active deactivates it without an EOI.
  b.dwrite(GICD_ICACTIVER + 4 * (id / 32), 1u << (id % 32));
  EXPECT_EQ(b.dread(GICD_ISACTIVER + 4 * (id / 32)), 0u);
  EXPECT_EQ(b.cread(0, GICC_RPR), kIdlePriority);

  // A level line keeps an interrupt pending whatever ICPENDR says.
  b.configure(6, 0xa0, 1);
  b.raise(6);
  run(SC_ZERO_TIME);
  b.dwrite(GICD_ICPENDR + 4, 1u << 6);
  EXPECT_EQ(b.dread(GICD_ISPENDR + 4), 1u << 6);
}

TEST(Gic, BadAccessesGetErrorResponsesAndChangeNothing) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  std::uint32_t v = 1;
  std::uint8_t byte = 1;
  EXPECT_EQ(b.access(b.to_dist, tlm::TLM_WRITE_COMMAND, GICD_TYPER, &v, 4),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.access(b.to_dist, tlm::TLM_WRITE_COMMAND, GICD_ISACTIVER, &v, 4),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.access(b.to_cpu, tlm::TLM_READ_COMMAND, GICC_EOIR, &v, 4),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.access(b.to_cpu, tlm::TLM_WRITE_COMMAND, kCpuIfStride + GICC_IAR, &v, 4),
            tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.access(b.to_dist, tlm::TLM_READ_COMMAND, 0x010, &v, 4),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);  // hole
  EXPECT_EQ(b.access(b.to_dist, tlm::TLM_WRITE_COMMAND, GICD_ISENABLER + 2, &v, 4),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);  // misaligned
  EXPECT_EQ(b.access(b.to_dist, tlm::TLM_WRITE_COMMAND, GICD_ISENABLER, &byte, 1),
            tlm::TLM_BURST_ERROR_RESPONSE);  // byte access outside the byte fields
  EXPECT_EQ(b.access(b.to_cpu, tlm::TLM_READ_COMMAND, 2 * kCpuIfStride, &v, 4),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no third core
  EXPECT_EQ(b.access(b.to_cpu, tlm::TLM_READ_COMMAND, GICC_HPPIR + 4, &v, 4),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(testing::take_reports(kReportBus).size(), 9u);
  EXPECT_EQ(b.dread(GICD_ISENABLER), 0u);
  EXPECT_EQ(b.cread(1, GICC_RPR), kIdlePriority);
}

TEST(Gic, HardResetRestoresDefaultsAndLowersTheOutputs) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);
  b.configure(3, 0x40, 0x1);
  b.enable_all();
  b.raise(3);
  run(kLatency);
  ASSERT_TRUE(b.out(0));
  ASSERT_EQ(b.cread(0, GICC_IAR), kSpiBase + 3);
  EXPECT_TRUE(b.gic.active(kSpiBase + 3));
  b.gic.reset();
  run(SC_ZERO_TIME);
  EXPECT_FALSE(b.out(0));
  EXPECT_FALSE(b.gic.active(kSpiBase + 3));
  EXPECT_FALSE(b.gic.enabled(kSpiBase + 3));
  EXPECT_TRUE(b.gic.pending(kSpiBase + 3));  // the line is still high
  EXPECT_EQ(b.gic.running_priority(0), kIdlePriority);
  EXPECT_EQ(b.dread(GICD_CTLR), 0u);
  EXPECT_EQ(b.dread(GICD_IPRIORITYR + 4 * ((kSpiBase + 3) / 4)), 0u);
  EXPECT_EQ(b.dread(GICD_ITARGETSR), 0x03030303u);  // SGIs target every core
  EXPECT_EQ(b.cread(0, GICC_PMR), 0u);
  EXPECT_EQ(b.cread(0, GICC_BPR), kBprReset);
  EXPECT_EQ(b.cread(0, GICC_IAR), kSpuriousId);
}

TEST(Gic, DebugReadsHaveNoSideEffects) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // elaborates
  b.configure(0, 0xa0, 1);
  b.enable_all();
  b.raise(0);
  run(kLatency);
  std::uint32_t v = 0;
  tlm::tlm_generic_payload t;
  t.set_command(tlm::TLM_READ_COMMAND);
  t.set_address(GICC_IAR);
  t.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
  t.set_data_length(4);
  EXPECT_EQ(b.to_cpu->transport_dbg(t), 4u);
  EXPECT_EQ(v, kSpiBase);
  EXPECT_FALSE(b.gic.active(kSpiBase));
  EXPECT_TRUE(b.out(0));
}

}  // namespace
}  // namespace aesvp
