// Interrupt controller: a simplified ARM GIC (architecture v1/v2) as in the OMAP4430's
// Cortex-A9 MPCore: a distributor (enable, pending, active, priority, target core per
// interrupt) and one CPU interface per core (enable, priority mask, acknowledge, end of
// interrupt, running priority). Shared peripheral interrupts (SPIs) come in as
// level-sensitive lines; each core gets one IRQ output. Details and deviations from the
// architecture: docs/cpu-intc-model.md.
#pragma once

#include "models/core/clock.h"
#include "models/core/level_signal.h"
#include "models/core/params.h"
#include "models/core/register_bank.h"
#include "models/core/target_socket.h"

#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace aesvp {

#define AESVP_INTC_PARAMS(X)                                                                   \
  X(std::uint32_t, spi_count, 128, "lines",                                                    \
    "OMAP4430 TRM (MPU interrupt mapping): 128 shared peripheral interrupts on the "           \
    "Cortex-A9 MPCore GIC (GICD_TYPER.ITLinesNumber = 4)",                                     \
    "number of shared peripheral interrupt inputs (IDs 32 ..)", AESVP_RANGE(1, 988))                                \
  X(double, clock_mhz, 500.0, "MHz",                                                           \
    "Linux arch/arm/mach-omap2 OMAP4 clock data: mpu_periphclk = dpll_mpu_ck / 2 clocks the "  \
    "A9 MPCore private peripherals (GIC, SCU, private timers); MPU at 1 GHz",                  \
    "GIC clock (PERIPHCLK)")                                                                   \
  X(std::uint32_t, delivery_cycles, 4, "cycles",                                               \
    "estimate: input synchroniser (2) + distributor prioritisation (1) + CPU interface (1)",   \
    "from a pending, enabled, unmasked interrupt to the core's IRQ output going high")         \
  X(std::uint32_t, access_cycles, 10, "cycles",                                                \
    "estimate: a Cortex-A9 access to its private peripheral region through the SCU takes "     \
    "some 20 CPU cycles (about 10 PERIPHCLK cycles)",                                          \
    "latency of one register access (distributor or CPU interface)")

AESVP_PARAM_GROUP(IntcParams, "intc", AESVP_INTC_PARAMS);

class Gic : public sc_core::sc_module {
 public:
  TargetSocket<Gic> dist;    // distributor, 4 KiB window
  TargetSocket<Gic> cpu_if;  // CPU interfaces, core n at n * 0x100
  sc_core::sc_vector<sc_core::sc_in<bool>> spi;  // SPI n = interrupt ID 32 + n; unbound = low
  sc_core::sc_vector<sc_core::sc_out<bool>> irq;  // one per core

  // `cores`: 1 .. 8 CPU interfaces and IRQ outputs.
  SC_HAS_PROCESS(Gic);
  Gic(sc_core::sc_module_name name, const IntcParams& params, unsigned cores);

  unsigned cores() const { return cores_; }
  unsigned interrupt_count() const { return static_cast<unsigned>(irqs_.size()); }
  sc_core::sc_time delivery_latency() const { return latency_; }

  // Model-side views (no side effects), for tests and statistics.
  bool pending(unsigned id) const;
  bool active(unsigned id) const;
  bool enabled(unsigned id) const;
  std::uint32_t running_priority(unsigned core) const;
  unsigned long acknowledged() const { return acks_; }  // interrupts acknowledged so far

  // Hard reset (power-on): distributor and CPU interfaces as after construction; the IRQ
  // outputs fall one delta later. Call it from the simulation (not during elaboration).
  void reset();

  // Fault injection (aesvp run --inject-*, docs/errors.md). A lost interrupt: the next rising
  // edge of interrupt `id`'s line is not seen, and the line counts as low until it falls again.
  // A spurious interrupt: `id` becomes pending as a GICD_ISPENDR write makes it, with no
  // device asking. Both count in injected_faults().
  void lose_next_assertion(unsigned id);
  void make_pending(unsigned id);
  unsigned long injected_faults() const { return injected_; }

 private:
  struct Irq {
    unsigned active_core = 0;
    std::uint8_t priority = 0;
    std::uint8_t targets = 0;
  };
  // One bit per interrupt ID, 32 IDs per word (the layout of the GICD bit registers).
  struct IdBits {
    std::vector<std::uint32_t> words;
    bool test(unsigned id) const { return (words[id / 32] >> (id % 32)) & 1u; }
    void set(unsigned id, bool on) {
      if (on) words[id / 32] |= 1u << (id % 32);
      else words[id / 32] &= ~(1u << (id % 32));
    }
    void clear() { std::fill(words.begin(), words.end(), 0u); }
  };
  struct CpuIf {
    bool enabled = false;
    std::uint32_t pmr = 0;
    std::vector<unsigned> active;  // acknowledged, not yet ended, in acknowledge order
    sc_core::sc_time since = sc_core::SC_ZERO_TIME;
    bool signalled = false;  // a deliverable interrupt exists (since `since`)
    // Annotated time of the last acknowledge (the IAR read's beat): the output line falls
    // then for observers (waveforms), though the wire changes at the delta after the read.
    sc_core::sc_time acked_at = sc_core::SC_ZERO_TIME;
  };

  void before_end_of_elaboration() override;
  void end_of_elaboration() override;
  void line_changed(unsigned spi_index);  // on every edge of an SPI input (end_of_elaboration)
  void dist_b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int dist_transport_dbg(tlm::tlm_generic_payload& trans);
  void cpu_b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int cpu_transport_dbg(tlm::tlm_generic_payload& trans);
  bool byte_field(std::uint64_t addr) const;
  void byte_access(tlm::tlm_generic_payload& trans);

  void declare_dist_registers();
  void declare_cpu_registers();
  std::uint32_t read_bits(unsigned word, bool (Gic::*bit)(unsigned) const) const;
  std::uint32_t read_bytes(std::uint64_t base, unsigned word) const;
  void write_byte(std::uint64_t addr, std::uint8_t v);
  std::uint8_t read_byte(std::uint64_t addr) const;

  bool line(unsigned id) const;
  // Highest-priority (then lowest-ID) enabled, pending, not active interrupt targeted at
  // `core`; kSpuriousId if none.
  unsigned highest_pending(unsigned core) const;
  // Keeps candidates_ (and its summary) true after any change to the state of word w's IDs.
  void refresh_word(unsigned w);
  void refresh(unsigned id) { refresh_word(id / 32); }
  void set_targets(unsigned id, std::uint8_t cores);
  // Whether that interrupt may be signalled / acknowledged now (enables, PMR, running priority).
  bool deliverable(unsigned core, unsigned id) const;
  std::uint32_t acknowledge(unsigned core, const sc_core::sc_time& at);
  void end_of_interrupt(unsigned core, std::uint32_t value);
  void deactivate(unsigned id);  // active -> inactive, off its core's active list
  void clear_state();
  void changed() { update_.notify(sc_core::SC_ZERO_TIME); }
  void update_outputs();
  void lower(unsigned core, const sc_core::sc_time& at);  // the IRQ output falls, seen at `at`

  unsigned cores_;
  Clock clock_;
  sc_core::sc_time latency_;
  std::vector<Irq> irqs_;
  // Interrupt state as bitmaps, so that finding the highest pending interrupt costs one
  // step per word plus one per candidate, not one per ID.
  IdBits enabled_, latch_, active_;  // latch_: software-set pending (GICD_ISPENDR)
  IdBits line_seen_;  // SPI lines seen high by line_changed (a hint: lines are read directly)
  IdBits lose_next_, swallowed_;  // fault injection: an assertion to lose; lost while high
  // Derived, so that highest_pending visits only words with candidates: enabled & ~active &
  // (latch | line_seen) per word, one summary bit per non-empty word (at most 32 words), and
  // per core the IDs that target it (ITARGETSR as bitmaps).
  IdBits candidates_;
  std::uint32_t candidate_words_ = 0;
  std::vector<IdBits> targeted_;
  std::vector<const bool*> spi_level_;  // each SPI's bound value, read without a virtual call
  std::vector<LevelSignal*> irq_wire_;  // the typed IRQ outputs (null: not a LevelSignal)
  unsigned long injected_ = 0;
  std::vector<CpuIf> cpus_;
  bool dist_enabled_ = false;
  unsigned long acks_ = 0;
  RegisterBank dist_regs_;
  RegisterBank cpu_regs_;
  sc_core::sc_event update_;
  LevelSignal tie_low_{"tie_low"};
};

}  // namespace aesvp
