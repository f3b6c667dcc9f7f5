#include "models/intc/omap_intc.h"

#include "models/core/sim_time.h"

#include <string>

namespace aesvp {

namespace r = omap_intc;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {
// REVISION of the AM335x AINTC: 0x50, printed by Linux at boot as "revision 5.0".
constexpr std::uint32_t kRevisionValue = 0x50;
constexpr std::uint32_t kSysconfigWritable = r::kSysconfigAutoidle;
constexpr std::uint32_t kIdleWritable = r::kIdleFuncIdle | r::kIdleTurbo;
constexpr std::uint32_t kIlrWritable = r::kIlrFiqNirq | r::kIlrPriorityMask;
}  // namespace

OmapIntc::OmapIntc(sc_core::sc_module_name name, const OmapIntcParams& params)
    : sc_core::sc_module(name),
      regs("regs"),
      line("line", r::kLines),
      irq("irq"),
      fiq("fiq"),
      params_(params),
      clock_(params.clock_mhz),
      bank_(*this, r::kWindowSize) {
  regs.register_b_transport<&OmapIntc::b_transport>(this);
  regs.register_transport_dbg(this, &OmapIntc::transport_dbg);
  bank_.set_access_latency(clock_.cycles(std::uint64_t{params_.access_cycles}));
  mir_.fill(~0u);
  declare_registers();

  SC_METHOD(update);
  sensitive << update_;
  for (auto& in : line) sensitive << in;
  dont_initialize();
}

void OmapIntc::before_end_of_elaboration() {
  for (auto& in : line)
    if (in.bind_count() == 0) in.bind(tie_low_);
}

void OmapIntc::end_of_elaboration() {
  // A sort looks at masks, not at 32 reads per bank.
  for (unsigned b = 0; b < r::kBanks; ++b) line_levels_[b].follow(line, b * 32, 32);
}

std::uint32_t OmapIntc::levels(unsigned b) const {
  return static_cast<std::uint32_t>(line_levels_[b].levels());
}

// --- registers --------------------------------------------------------------------------

void OmapIntc::declare_registers() {
  bank_.add("REVISION", r::kRevision, Access::ReadOnly, kRevisionValue);
  bank_.add("SYSCONFIG", r::kSysconfig, Access::ReadWrite)
      .writable(kSysconfigWritable)
      .on_write([this](RegAccess& a) {
        if ((a.data & r::kSysconfigSoftreset) == 0) return a.merged();
        soft_reset();  // every register back to its reset value, this one included
        return bank_.at(r::kSysconfig).reset_value();
      });
  bank_.add("SYSSTATUS", r::kSysstatus, Access::ReadOnly, r::kSysstatusResetDone)
      .value([this] {
        return sim_now() >= reset_done_at_ ? r::kSysstatusResetDone : 0u;
      });
  bank_.add("SIR_IRQ", r::kSirIrq, Access::ReadOnly, r::kSpuriousFlag)
      .value([this] { return sir(false); });
  bank_.add("SIR_FIQ", r::kSirFiq, Access::ReadOnly, r::kSpuriousFlag)
      .value([this] { return sir(true); });
  // CONTROL: write-only strobes (a read of a write-only register is a command error).
  bank_.add("CONTROL", r::kControl, Access::WriteOnly).on_write(acts_on([this](std::uint32_t v) {
    if (v & r::kControlNewIrqAgr) new_agreement(false);
    if (v & r::kControlNewFiqAgr) new_agreement(true);
  }));
  // PROTECTION is stored; a TLM payload carries no privilege level, so it is not enforced.
  bank_.add("PROTECTION", r::kProtection, Access::ReadWrite).writable(r::kProtectionOn);
  bank_.add("IDLE", r::kIdle, Access::ReadWrite).writable(kIdleWritable);
  bank_.add("IRQ_PRIORITY", r::kIrqPriority, Access::ReadOnly, r::kSpuriousFlag)
      .value([this] { return sorted_priority(false); });
  bank_.add("FIQ_PRIORITY", r::kFiqPriority, Access::ReadOnly, r::kSpuriousFlag)
      .value([this] { return sorted_priority(true); });
  bank_.add("THRESHOLD", r::kThreshold, Access::ReadWrite, r::kThresholdDisabled)
      .value([this] { return threshold_; })
      .on_write(acts_on([this](std::uint32_t v) {
        threshold_ = v & r::kThresholdMask;
        changed();
      }));
  for (unsigned b = 0; b < r::kBanks; ++b) declare_bank_registers(b);
  for (unsigned m = 0; m < r::kLines; ++m) {
    bank_.add("ILR" + std::to_string(m), r::ilr(m), Access::ReadWrite)
        .value([this, m] { return ilr_[m]; })
        .on_write(acts_on([this, m](std::uint32_t v) {
          ilr_[m] = v & kIlrWritable;
          const std::uint32_t bit = 1u << (m % 32);
          if ((ilr_[m] & r::kIlrFiqNirq) != 0) to_fiq_[m / 32] |= bit;
          else to_fiq_[m / 32] &= ~bit;
          changed();
        }));
  }
}

void OmapIntc::declare_bank_registers(unsigned b) {
  const std::string n = std::to_string(b);
  auto add = [&](const char* name, std::uint32_t reg, Access a, std::uint32_t reset = 0) -> Register& {
    return bank_.add(std::string(name) + n, r::bank_reg(b, reg), a, reset);
  };
  add("ITR", r::kItr, Access::ReadOnly).value([this, b] { return raw(b); });
  add("MIR", r::kMir, Access::ReadWrite, ~0u)
      .value([this, b] { return mir_[b]; })
      .on_write(acts_on([this, b](std::uint32_t v) {
        mir_[b] = v;
        changed();
      }));
  add("MIR_CLEAR", r::kMirClear, Access::WriteOnly).on_write(acts_on([this, b](std::uint32_t v) {
    mir_[b] &= ~v;
    changed();
  }));
  add("MIR_SET", r::kMirSet, Access::WriteOnly).on_write(acts_on([this, b](std::uint32_t v) {
    mir_[b] |= v;
    changed();
  }));
  add("ISR_SET", r::kIsrSet, Access::ReadWrite)
      .value([this, b] { return isr_[b]; })
      .on_write(acts_on([this, b](std::uint32_t v) {
        isr_[b] |= v;
        changed();
      }));
  add("ISR_CLEAR", r::kIsrClear, Access::WriteOnly).on_write(acts_on([this, b](std::uint32_t v) {
    isr_[b] &= ~v;
    changed();
  }));
  add("PENDING_IRQ", r::kPendingIrq, Access::ReadOnly)
      .value([this, b] { return pending(b, false); });
  add("PENDING_FIQ", r::kPendingFiq, Access::ReadOnly)
      .value([this, b] { return pending(b, true); });
}

void OmapIntc::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  access_delay_ = delay;  // a strobe takes effect at the access's annotated time
  bank_.b_transport(trans, delay);
  access_delay_ = SC_ZERO_TIME;
}

unsigned int OmapIntc::transport_dbg(tlm::tlm_generic_payload& trans) {
  return bank_.transport_dbg(trans);
}

void OmapIntc::soft_reset() {
  bank_.reset();
  mir_.fill(~0u);
  isr_.fill(0);
  ilr_.fill(0);
  to_fiq_.fill(0);
  threshold_ = r::kThresholdDisabled;
  agr_ = {};
  irq.write(false);
  fiq.write(false);
  reset_done_at_ = sim_now() + access_delay_ +
                   clock_.cycles(std::uint64_t{params_.reset_cycles});
}

// --- state ------------------------------------------------------------------------------------

bool OmapIntc::masked(unsigned l) const { return (mir_.at(l / 32) >> (l % 32)) & 1u; }

std::uint32_t OmapIntc::priority(unsigned l) const {
  return (ilr_.at(l) & r::kIlrPriorityMask) >> r::kIlrPriorityShift;
}

std::uint32_t OmapIntc::raw(unsigned b) const {
  const std::uint32_t v = levels(b);
  // A rise to be lost counts as low already, before update() has recorded it.
  const std::uint32_t losing = lose_next_[b] & v & ~seen_[b];
  return (v & ~(lost_[b] | losing)) | glitch_[b];
}

// --- injected faults ------------------------------------------------------------------------

void OmapIntc::lose_next_assertion(unsigned l) {
  if (l >= r::kLines) return;
  lose_next_[l / 32] |= 1u << (l % 32);
  ++injected_;
}

void OmapIntc::make_pending(unsigned l) {
  if (l >= r::kLines) return;
  glitch_[l / 32] |= 1u << (l % 32);
  ++injected_;
  changed();
}

void OmapIntc::track_faulted_inputs() {
  for (unsigned b = 0; b < r::kBanks; ++b) {
    const std::uint32_t v = levels(b);
    const std::uint32_t rising = v & ~seen_[b];
    lost_[b] = (lost_[b] | (rising & lose_next_[b])) & v;  // a fall ends a lost assertion
    lose_next_[b] &= ~rising;
    seen_[b] = v;
  }
}

std::uint32_t OmapIntc::pending(unsigned b, bool to_fiq) const {
  const std::uint32_t v = (raw(b) | isr_[b]) & ~mir_[b];
  return v & (to_fiq ? to_fiq_[b] : ~to_fiq_[b]);
}

int OmapIntc::best(bool to_fiq) const {
  int found = -1;
  std::uint32_t found_prio = 0;
  for (unsigned b = 0; b < r::kBanks; ++b) {
    std::uint32_t p = pending(b, to_fiq);
    while (p != 0) {
      const unsigned i = static_cast<unsigned>(__builtin_ctz(p));
      p &= p - 1;
      const unsigned l = b * 32 + i;
      const std::uint32_t prio = priority(l);
      if (threshold_ != r::kThresholdDisabled && prio >= threshold_) continue;
      if (found < 0 || prio < found_prio) {  // ties: the lower line number wins
        found = static_cast<int>(l);
        found_prio = prio;
      }
    }
  }
  return found;
}

std::uint32_t OmapIntc::sir(bool to_fiq) const {
  const Agreement& a = agr_[to_fiq ? 1 : 0];
  const std::uint32_t number = a.winner < 0 ? 0u : static_cast<std::uint32_t>(a.winner);
  const bool valid = a.phase == Phase::Held && !a.spurious;
  return (number & r::kActiveIrqMask) | (valid ? 0u : r::kSpuriousFlag);
}

std::uint32_t OmapIntc::sorted_priority(bool to_fiq) const {
  const Agreement& a = agr_[to_fiq ? 1 : 0];
  const bool valid = a.phase == Phase::Held && !a.spurious;
  return (a.winner_priority & r::kActiveIrqMask) | (valid ? 0u : r::kSpuriousFlag);
}

// --- sorting ------------------------------------------------------------------------------

void OmapIntc::new_agreement(bool to_fiq) {
  Agreement& a = agr_[to_fiq ? 1 : 0];
  if (a.phase != Phase::Held) return;  // nothing latched: the strobe has no effect
  a.phase = Phase::Idle;
  (to_fiq ? fiq : irq).write(false);
  update_.notify(access_delay_);  // a new sort may start when the write arrives
}

void OmapIntc::update() {
  const sc_time now = sim_now();
  track_faulted_inputs();
  for (unsigned o = 0; o < 2; ++o) {
    const bool to_fiq = o == 1;
    Agreement& a = agr_[o];
    if (a.phase == Phase::Idle) {
      const int cand = best(to_fiq);
      if (cand < 0) continue;
      a.phase = Phase::Sorting;
      a.trigger = cand;
      a.sort_end = now + sort_time();
      update_.notify(sort_time());
      continue;
    }
    if (a.phase != Phase::Sorting || now < a.sort_end) continue;
    // The sort ends: the result is invalid if the input that started it is no longer a
    // candidate (it dropped, or a mask / priority change took it out).
    const int w = best(to_fiq);
    bool trigger_still = false;
    if (a.trigger >= 0) {
      const unsigned t = static_cast<unsigned>(a.trigger);
      trigger_still = (pending(t / 32, to_fiq) >> (t % 32)) & 1u;
    }
    ++sorts_;
    if (w < 0 && !trigger_still) {
      // Nothing at all is pending any more: the output is not raised; the next input
      // starts a new sort.
      a.phase = Phase::Idle;
      ++spurious_;
      a.spurious = true;
      update_.notify(SC_ZERO_TIME);
      continue;
    }
    a.phase = Phase::Held;
    a.spurious = !trigger_still;
    if (a.spurious) ++spurious_;
    a.winner = a.spurious ? a.trigger : w;
    a.winner_priority = priority(static_cast<unsigned>(a.winner));
    glitch_[a.winner / 32] &= ~(1u << (a.winner % 32));  // a latched glitch is over
    (to_fiq ? fiq : irq).write(true);
  }
}

}  // namespace aesvp
