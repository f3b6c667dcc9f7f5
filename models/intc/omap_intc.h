// The OMAP2/3-style interrupt controller (AINTC) as in the AM335x MPU subsystem: 128
// level-sensitive inputs in 4 banks, mask (MIR), software interrupts (ISR), a priority and
// IRQ/FIQ steering per line (ILR), a priority threshold, and the sorting protocol: after an
// input is asserted the controller sorts for a few functional-clock cycles, latches the
// winner in SIR_IRQ / IRQ_PRIORITY, raises its IRQ output and keeps all of it frozen until
// software writes CONTROL.NEWIRQAGR. A sort whose triggering input went away is flagged
// spurious. Register-exact as far as Linux's irq-omap-intc uses it; details and the
// unconfirmed points in docs/cpu-intc-model.md.
#pragma once

#include "models/core/clock.h"
#include "models/core/level_signal.h"
#include "models/core/params.h"
#include "models/core/register_bank.h"
#include "models/core/target_socket.h"
#include "models/intc/omap_intc_regs.h"

#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>

namespace aesvp {

#define AESVP_OMAP_INTC_PARAMS(X)                                                             \
  X(double, clock_mhz, 100.0, "MHz",                                                          \
    "estimate: AM335x TRM does not state the AINTC functional clock; taken as the L4 "        \
    "interconnect clock (100 MHz)",                                                           \
    "INTC functional clock; the cycle counts below are in its periods")                      \
  X(std::uint32_t, sort_cycles, 10, "cycles",                                                 \
    "OMAP36xx TRM SWPU177N 12.5.4: the sorting window is 10 INTC functional clock cycles "   \
    "after the interrupt assertion",                                                          \
    "from an input (or NEWIRQAGR with inputs pending) to the latched result and the IRQ output") \
  X(std::uint32_t, access_cycles, 2, "cycles",                                                \
    "estimate: one functional clock for the register file plus one for the MPU-side port",   \
    "latency of one register access")                                                        \
  X(std::uint32_t, reset_cycles, 8, "cycles",                                                 \
    "estimate: soft reset of the register file",                                             \
    "time from SYSCONFIG.SOFTRESET to SYSSTATUS.RESETDONE")

AESVP_PARAM_GROUP(OmapIntcParams, "omap_intc", AESVP_OMAP_INTC_PARAMS);

class OmapIntc : public sc_core::sc_module {
 public:
  TargetSocket<OmapIntc> regs;  // 4 KiB register window
  sc_core::sc_vector<sc_core::sc_in<bool>> line;   // 128 inputs; unbound = low
  sc_core::sc_out<bool> irq;                       // to the core's IRQ input
  sc_core::sc_out<bool> fiq;                       // to the core's FIQ input (unused on GP parts)

  SC_HAS_PROCESS(OmapIntc);
  OmapIntc(sc_core::sc_module_name name, const OmapIntcParams& params);

  // Model-side views (no side effects), for tests and statistics.
  bool masked(unsigned line) const;
  std::uint32_t priority(unsigned line) const;
  unsigned long sorts() const { return sorts_; }          // sorts completed
  unsigned long spurious_sorts() const { return spurious_; }  // of which flagged spurious
  const OmapIntcParams& params() const { return params_; }
  // From an input's assertion (nothing else pending) to the IRQ output: the sorting window.
  sc_core::sc_time sort_time() const { return clock_.cycles(std::uint64_t{params_.sort_cycles}); }

  // Fault injection (aesvp run --inject-*, docs/errors.md), as on the GIC. A lost interrupt:
  // the next rising edge of input `line` is not seen, and the input counts as low until it
  // falls again. A spurious interrupt: `line` is asserted with no device asking, as a glitch
  // that lasts until a sort has latched it (then the kernel finds no cause). Both count in
  // injected_faults().
  void lose_next_assertion(unsigned line);
  void make_pending(unsigned line);
  unsigned long injected_faults() const { return injected_; }

 private:
  enum class Phase { Idle, Sorting, Held };
  // One output's sorting state (IRQ or FIQ).
  struct Agreement {
    Phase phase = Phase::Idle;
    int trigger = -1;  // best candidate when the sort started
    int winner = -1;   // latched result (valid unless spurious)
    std::uint32_t winner_priority = 0;
    bool spurious = true;
    sc_core::sc_time sort_end{sc_core::SC_ZERO_TIME};
  };

  void before_end_of_elaboration() override;
  void end_of_elaboration() override;
  std::uint32_t levels(unsigned bank) const;  // the input lines of a bank as bits
  void declare_registers();
  void declare_bank_registers(unsigned bank);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);

  std::uint32_t raw(unsigned bank) const;  // input levels (ITR), lost assertions as low
  void track_faulted_inputs();  // lost assertions: edges seen, falls end them
  std::uint32_t pending(unsigned bank, bool fiq) const;  // after mask, steered to IRQ / FIQ
  // Highest-priority candidate (pending, above the threshold) for the output; ties go to
  // the lower line number. -1 if none.
  int best(bool fiq) const;
  std::uint32_t sir(bool fiq) const;
  std::uint32_t sorted_priority(bool fiq) const;
  void new_agreement(bool fiq);
  void soft_reset();
  void changed() { update_.notify(sc_core::SC_ZERO_TIME); }
  void update();  // SC_METHOD: advances both agreements, drives the outputs

  OmapIntcParams params_;
  Clock clock_;
  RegisterBank bank_;
  std::array<std::uint32_t, omap_intc::kBanks> mir_{};
  std::array<std::uint32_t, omap_intc::kBanks> isr_{};
  std::array<std::uint32_t, omap_intc::kLines> ilr_{};
  std::uint32_t threshold_ = omap_intc::kThresholdDisabled;
  std::array<Agreement, 2> agr_;  // [0] IRQ, [1] FIQ
  sc_core::sc_time reset_done_at_{sc_core::SC_ZERO_TIME};
  sc_core::sc_time access_delay_{sc_core::SC_ZERO_TIME};
  unsigned long sorts_ = 0, spurious_ = 0;
  // Injected faults, one bit per input: lose the next rising edge; lost (counts as low until
  // it falls); levels as last seen; glitches (spurious assertions) not yet latched.
  std::array<std::uint32_t, omap_intc::kBanks> lose_next_{}, lost_{}, seen_{}, glitch_{};
  // ILR's FIQnIRQ bits as masks, kept with ILR: pending() ran 32 ILR tests per bank.
  std::array<std::uint32_t, omap_intc::kBanks> to_fiq_{};
  // The inputs of each bank as a mask (LevelSignals, as all of the platform's are, followed
  // edge by edge): a bank's levels without 32 reads each time.
  std::array<LineLevels, omap_intc::kBanks> line_levels_;
  unsigned long injected_ = 0;
  sc_core::sc_event update_;
  LevelSignal tie_low_{"tie_low"};
};

}  // namespace aesvp
