// Register-level tests of the AM335x AINTC model. Expected values come from the TRM facts
// in docs/cpu-intc-model.md (reset values, access rights, the sorting protocol), and times
// from the parameters (sorting window = sort_cycles functional-clock periods).
#include "models/core/level_signal.h"
#include "models/core/report.h"
#include "models/intc/omap_intc.h"
#include "models/intc/omap_intc_regs.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aesvp {
namespace {

using namespace omap_intc;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

struct Bench : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Bench> cpu{"cpu"};
  OmapIntcParams params;
  OmapIntc intc;
  std::vector<std::unique_ptr<LevelSignal>> lines;
  LevelSignal irq{"irq_out"}, fiq{"fiq_out"};
  std::vector<sc_time> irq_rises, fiq_rises;

  SC_HAS_PROCESS(Bench);
  explicit Bench(sc_core::sc_module_name n) : sc_core::sc_module(n), intc("intc", params) {
    cpu.bind(intc.regs);
    for (unsigned i = 0; i < kLines; ++i) {
      lines.push_back(std::make_unique<LevelSignal>(("line" + std::to_string(i)).c_str()));
      intc.line[i].bind(*lines.back());
    }
    intc.irq.bind(irq);
    intc.fiq.bind(fiq);
    SC_METHOD(watch_irq);
    sensitive << irq.posedge_event();
    dont_initialize();
    SC_METHOD(watch_fiq);
    sensitive << fiq.posedge_event();
    dont_initialize();
  }
  void watch_irq() { irq_rises.push_back(sc_core::sc_time_stamp()); }
  void watch_fiq() { fiq_rises.push_back(sc_core::sc_time_stamp()); }

  sc_time cycle() const { return sc_time(1000.0 / params.clock_mhz, SC_NS); }
  sc_time sort() const { return cycle() * static_cast<double>(params.sort_cycles); }

  tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint32_t off, void* data,
                                  unsigned len, sc_time* latency = nullptr) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(off);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    cpu->b_transport(t, delay);
    if (latency) *latency = delay;
    return t.get_response_status();
  }
  std::uint32_t rd(std::uint32_t off) {
    std::uint32_t v = 0xdeadbeef;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE) << std::hex << off;
    return v;
  }
  void wr(std::uint32_t off, std::uint32_t v) {
    EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, off, &v, 4), tlm::TLM_OK_RESPONSE) << std::hex << off;
  }
  void unmask(unsigned l) { wr(bank_reg(l / 32, kMirClear), 1u << (l % 32)); }
  void mask(unsigned l) { wr(bank_reg(l / 32, kMirSet), 1u << (l % 32)); }
  void raise(unsigned l, bool v = true) { lines[l]->write(v); }

  void run(std::function<void()> scenario) {
    sc_core::sc_spawn(std::move(scenario), "scenario");
    sc_core::sc_start();
  }
};

constexpr std::uint32_t kSpurious = 0xffffff80u;

TEST(OmapIntc, ResetValues) {
  Bench b("b");
  b.run([&] {
    EXPECT_EQ(b.rd(kRevision), 0x50u);  // Linux prints "revision 5.0" on AM335x
    EXPECT_EQ(b.rd(kSysconfig), 0u);
    EXPECT_EQ(b.rd(kSysstatus), kSysstatusResetDone);
    EXPECT_EQ(b.rd(kSirIrq), kSpurious);  // no valid sorted interrupt
    EXPECT_EQ(b.rd(kSirFiq), kSpurious);
    EXPECT_EQ(b.rd(kProtection), 0u);
    EXPECT_EQ(b.rd(kIdle), 0u);
    EXPECT_EQ(b.rd(kIrqPriority), kSpurious);
    EXPECT_EQ(b.rd(kFiqPriority), kSpurious);
    EXPECT_EQ(b.rd(kThreshold), 0xffu);
    for (unsigned n = 0; n < kBanks; ++n) {
      EXPECT_EQ(b.rd(bank_reg(n, kItr)), 0u);
      EXPECT_EQ(b.rd(bank_reg(n, kMir)), 0xffffffffu);  // every line masked
      EXPECT_EQ(b.rd(bank_reg(n, kIsrSet)), 0u);
      EXPECT_EQ(b.rd(bank_reg(n, kPendingIrq)), 0u);
      EXPECT_EQ(b.rd(bank_reg(n, kPendingFiq)), 0u);
    }
    for (unsigned m = 0; m < kLines; ++m) EXPECT_EQ(b.rd(ilr(m)), 0u) << m;
    EXPECT_TRUE(b.irq_rises.empty());
  });
}

TEST(OmapIntc, RegisterWidthsAndStorage) {
  Bench b("b");
  b.run([&] {
    b.wr(kSysconfig, 0xffffffffu & ~kSysconfigSoftreset);
    EXPECT_EQ(b.rd(kSysconfig), kSysconfigAutoidle);
    b.wr(kProtection, 0xffffffffu);
    EXPECT_EQ(b.rd(kProtection), kProtectionOn);
    b.wr(kIdle, 0xffffffffu);
    EXPECT_EQ(b.rd(kIdle), kIdleFuncIdle | kIdleTurbo);
    b.wr(kThreshold, 0x1234u);
    EXPECT_EQ(b.rd(kThreshold), 0x34u);
    b.wr(kThreshold, kThresholdDisabled);
    b.wr(ilr(127), 0xffffffffu);
    EXPECT_EQ(b.rd(ilr(127)), 0xfdu);  // PRIORITY [7:2] | FIQNIRQ
    b.wr(ilr(127), 0);
    b.wr(bank_reg(2, kMir), 0x0000ffffu);
    EXPECT_EQ(b.rd(bank_reg(2, kMir)), 0x0000ffffu);
    b.wr(bank_reg(2, kMirSet), 0x00ff0000u);
    EXPECT_EQ(b.rd(bank_reg(2, kMir)), 0x00ffffffu);
    b.wr(bank_reg(2, kMirClear), 0x000000ffu);
    EXPECT_EQ(b.rd(bank_reg(2, kMir)), 0x00ffff00u);
    b.wr(bank_reg(1, kIsrSet), 0x5u);
    b.wr(bank_reg(1, kIsrSet), 0x8u);
    EXPECT_EQ(b.rd(bank_reg(1, kIsrSet)), 0xdu);
    b.wr(bank_reg(1, kIsrClear), 0x4u);
    EXPECT_EQ(b.rd(bank_reg(1, kIsrSet)), 0x9u);
    EXPECT_EQ(testing::take_reports().size(), 0u);
  });
}

TEST(OmapIntc, BadAccessesGetErrorResponsesAndNoEffect) {
  Bench b("b");
  b.run([&] {
    auto acc = [&](tlm::tlm_command cmd, std::uint32_t off, unsigned len = 4) {
      std::uint32_t buf[2] = {0xffffffffu, 0xffffffffu};
      return b.access(cmd, off, buf, len);
    };
    const auto R = tlm::TLM_READ_COMMAND, W = tlm::TLM_WRITE_COMMAND;
    EXPECT_EQ(acc(W, kRevision), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(W, kSysstatus), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(W, kSirIrq), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(W, kIrqPriority), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(W, bank_reg(0, kItr)), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(W, bank_reg(3, kPendingIrq)), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(R, kControl), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(R, bank_reg(0, kMirClear)), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(R, bank_reg(1, kMirSet)), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(R, bank_reg(2, kIsrClear)), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(R, 0x04), tlm::TLM_ADDRESS_ERROR_RESPONSE);   // hole
    EXPECT_EQ(acc(R, 0x7c), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // hole before the banks
    EXPECT_EQ(acc(R, ilr(127) + 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // past ILR127
    EXPECT_EQ(acc(R, kMir + 2), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // misaligned
    EXPECT_EQ(acc(W, bank_reg(0, kMir), 2), tlm::TLM_BURST_ERROR_RESPONSE);  // 16-bit
    EXPECT_EQ(testing::take_reports(kReportBus).size(), 15u);
    // Nothing of the rejected accesses took effect.
    EXPECT_EQ(b.rd(kRevision), 0x50u);
    EXPECT_EQ(b.rd(bank_reg(0, kMir)), 0xffffffffu);
  });
}

TEST(OmapIntc, SoftResetAsLinuxDoesIt) {
  Bench b("b");
  b.run([&] {
    b.wr(bank_reg(0, kMir), 0);
    b.wr(ilr(5), ilr_priority(9));
    b.wr(kThreshold, 3);
    b.wr(kSysconfig, b.rd(kSysconfig) | kSysconfigSoftreset);
    EXPECT_EQ(b.rd(kSysstatus), 0u);  // reset in progress
    unsigned polls = 0;
    while ((b.rd(kSysstatus) & kSysstatusResetDone) == 0 && polls < 100) {
      wait(b.cycle());
      ++polls;
    }
    EXPECT_EQ(polls, b.params.reset_cycles);
    b.wr(kSysconfig, kSysconfigAutoidle);
    b.wr(kProtection, b.rd(kProtection) | kProtectionOn);
    EXPECT_EQ(b.rd(bank_reg(0, kMir)), 0xffffffffu);
    EXPECT_EQ(b.rd(ilr(5)), 0u);
    EXPECT_EQ(b.rd(kThreshold), 0xffu);
    EXPECT_EQ(b.rd(kSysconfig), kSysconfigAutoidle);
    EXPECT_EQ(b.rd(kProtection), kProtectionOn);
  });
}

// The Linux flow for one interrupt: SIR_IRQ, mask, NEWIRQAGR, device handler, unmask.
TEST(OmapIntc, DeliversAfterTheSortingWindowAndHoldsUntilNewAgreement) {
  Bench b("b");
  sc_time raised;
  b.run([&] {
    b.unmask(12);
    wait(100, SC_NS);
    raised = sc_core::sc_time_stamp();
    b.raise(12);
    wait(b.irq.posedge_event());
    EXPECT_EQ(sc_core::sc_time_stamp() - raised, b.sort());
    EXPECT_EQ(b.rd(kSirIrq), 12u);
    EXPECT_EQ(b.rd(kIrqPriority), 0u);
    EXPECT_EQ(b.rd(bank_reg(0, kItr)), 1u << 12);
    EXPECT_EQ(b.rd(bank_reg(0, kPendingIrq)), 1u << 12);
    // A higher-priority line arriving now does not change the frozen result.
    b.wr(ilr(14), ilr_priority(0));
    b.wr(ilr(12), ilr_priority(1));
    b.unmask(14);
    b.raise(14);
    wait(b.sort() * 2.0);
    EXPECT_EQ(b.rd(kSirIrq), 12u);
    EXPECT_TRUE(b.irq.read());
    // Handler: mask, new agreement (the output drops at once), device clears its line.
    b.mask(12);
    b.wr(kControl, kControlNewIrqAgr);
    EXPECT_FALSE(b.irq.read());
    const sc_time agreed = sc_core::sc_time_stamp();
    b.raise(12, false);
    wait(b.irq.posedge_event());  // line 14 is still pending: a new sort
    EXPECT_EQ(sc_core::sc_time_stamp() - agreed, b.sort());
    EXPECT_EQ(b.rd(kSirIrq), 14u);
    b.mask(14);
    b.wr(kControl, kControlNewIrqAgr);
    b.raise(14, false);
    b.unmask(12);
    b.unmask(14);
    wait(b.sort() * 3.0);
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.irq_rises.size(), 2u);
    EXPECT_EQ(b.rd(kSirIrq) & kSpurious, kSpurious);  // nothing held
  });
}

TEST(OmapIntc, PriorityOrderTieBreakAndThreshold) {
  Bench b("b");
  b.run([&] {
    b.wr(ilr(103), ilr_priority(5));
    b.wr(ilr(12), ilr_priority(3));
    b.wr(ilr(14), ilr_priority(3));
    for (unsigned l : {103u, 12u, 14u}) b.unmask(l);
    for (unsigned l : {103u, 14u, 12u}) b.raise(l);
    std::vector<std::uint32_t> order;
    for (int i = 0; i < 3; ++i) {
      wait(b.irq.posedge_event());
      const std::uint32_t sir = b.rd(kSirIrq);
      order.push_back(sir);
      order.push_back(b.rd(kIrqPriority));
      b.mask(sir & kActiveIrqMask);
      b.wr(kControl, kControlNewIrqAgr);
    }
    EXPECT_EQ(order, (std::vector<std::uint32_t>{12, 3, 14, 3, 103, 5}));
    // Threshold 5: priority 5 no longer passes; 3 does.
    b.wr(kControl, kControlNewIrqAgr);
    b.wr(kThreshold, 5);
    b.unmask(103);
    wait(b.sort() * 3.0);
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.rd(bank_reg(3, kPendingIrq)), 1u << (103 - 96));  // pending, below threshold
    b.unmask(14);
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq), 14u);
  });
}

TEST(OmapIntc, MaskedLinesAreNotDelivered) {
  Bench b("b");
  b.run([&] {
    b.raise(40);
    wait(b.sort() * 3.0);
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.rd(bank_reg(1, kItr)), 1u << 8);
    EXPECT_EQ(b.rd(bank_reg(1, kPendingIrq)), 0u);
    b.unmask(40);
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq), 40u);
  });
}

TEST(OmapIntc, SpuriousWhenTheTriggerDropsDuringTheSort) {
  Bench b("b");
  b.run([&] {
    b.unmask(20);
    b.unmask(21);
    // Alone: the line drops inside the window, nothing is left: no output.
    b.raise(20);
    wait(b.sort() / 2.0);
    b.raise(20, false);
    wait(b.sort() * 2.0);
    EXPECT_TRUE(b.irq_rises.empty());
    EXPECT_EQ(b.intc.spurious_sorts(), 1u);
    // Another line comes during the sort and the trigger drops: the output rises with the
    // spurious flag; software acks it with NEWIRQAGR and the next sort is valid.
    b.raise(20);
    wait(b.sort() / 2.0);
    b.raise(21);
    b.raise(20, false);
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq) & kSpurious, kSpurious);
    EXPECT_EQ(b.rd(kIrqPriority) & kSpurious, kSpurious);
    b.wr(kControl, kControlNewIrqAgr);
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq), 21u);
    EXPECT_EQ(b.intc.spurious_sorts(), 2u);
  });
}

// Injected faults (docs/errors.md): a lost assertion is not seen until the line has fallen
// and risen again; a spurious one is delivered once, with no input asserted, and is over
// once latched (the next agreement finds nothing).
TEST(OmapIntc, InjectedLostAndSpuriousAssertions) {
  Bench b("b");
  b.run([&] {
    b.unmask(12);
    b.intc.lose_next_assertion(12);
    b.raise(12);
    wait(b.sort() * 3.0);
    EXPECT_TRUE(b.irq_rises.empty());
    EXPECT_EQ(b.rd(bank_reg(0, kItr)), 0u);  // counts as low while it stays high
    b.raise(12, false);
    wait(b.sort());
    b.raise(12);  // the next assertion is seen
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq), 12u);
    b.mask(12);
    b.wr(kControl, kControlNewIrqAgr);
    b.raise(12, false);
    b.unmask(12);

    b.intc.make_pending(12);
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq), 12u);  // a valid sort of line 12, whose device asks nothing
    b.wr(kControl, kControlNewIrqAgr);
    wait(b.sort() * 3.0);
    EXPECT_EQ(b.irq_rises.size(), 2u);  // delivered once
    EXPECT_EQ(b.rd(bank_reg(0, kItr)), 0u);
    EXPECT_EQ(b.intc.injected_faults(), 2u);
  });
}

TEST(OmapIntc, SoftwareInterruptsAndFiqSteering) {
  Bench b("b");
  b.run([&] {
    b.unmask(103);
    b.wr(bank_reg(3, kIsrSet), 1u << 7);  // line 103 by software
    wait(b.irq.posedge_event());
    EXPECT_EQ(b.rd(kSirIrq), 103u);
    b.wr(bank_reg(3, kIsrClear), 1u << 7);
    b.wr(kControl, kControlNewIrqAgr);
    // Line 5 steered to FIQ: the FIQ output and its own registers; IRQ stays low.
    b.wr(ilr(5), kIlrFiqNirq | ilr_priority(2));
    b.unmask(5);
    b.raise(5);
    wait(b.fiq.posedge_event());
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.rd(kSirFiq), 5u);
    EXPECT_EQ(b.rd(kFiqPriority), 2u);
    EXPECT_EQ(b.rd(bank_reg(0, kPendingFiq)), 1u << 5);
    EXPECT_EQ(b.rd(bank_reg(0, kPendingIrq)), 0u);
    b.wr(kControl, kControlNewFiqAgr);
    EXPECT_FALSE(b.fiq.read());
    EXPECT_EQ(b.irq_rises.size(), 1u);
  });
}

TEST(OmapIntc, RegisterAccessLatency) {
  Bench b("b");
  b.run([&] {
    std::uint32_t v = 0;
    sc_time lat;
    ASSERT_EQ(b.access(tlm::TLM_READ_COMMAND, kSirIrq, &v, 4, &lat), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(lat, b.cycle() * static_cast<double>(b.params.access_cycles));
  });
}

}  // namespace
}  // namespace aesvp
