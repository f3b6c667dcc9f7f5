#include "models/intc/gic.h"

#include "models/core/sim_time.h"
#include "models/core/report.h"
#include "models/intc/gic_regs.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

namespace aesvp {

using namespace gic;

Gic::Gic(sc_core::sc_module_name name, const IntcParams& params, unsigned cores)
    : sc_core::sc_module(name),
      dist("dist"),
      cpu_if("cpu_if"),
      spi("spi", params.spi_count),
      irq("irq", cores),
      cores_(cores),
      clock_(params.clock_mhz),
      latency_(clock_.cycles(std::uint64_t{params.delivery_cycles})),
      irqs_(kSpiBase + (params.spi_count + 31) / 32 * 32),
      enabled_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      latch_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      active_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      line_seen_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      lose_next_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      swallowed_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      candidates_{std::vector<std::uint32_t>(irqs_.size() / 32)},
      targeted_(cores, IdBits{std::vector<std::uint32_t>(irqs_.size() / 32)}),
      cpus_(cores),
      dist_regs_(*this, kDistSize),
      cpu_regs_(*this, kCpuIfStride * (cores == 0 ? 1 : cores)) {
  if (cores == 0 || cores > kMaxCores || irqs_.size() > 1020) {
    std::ostringstream msg;
    msg << this->name() << ": a GIC has 1 to " << kMaxCores << " cores (not " << cores
        << ") and at most 988 SPIs (not " << params.spi_count << ")";
    SC_REPORT_ERROR(kReportConfig, msg.str().c_str());
  }
  clear_state();

  dist.register_b_transport<&Gic::dist_b_transport>(this);
  dist.register_transport_dbg(this, &Gic::dist_transport_dbg);
  cpu_if.register_b_transport<&Gic::cpu_b_transport>(this);
  cpu_if.register_transport_dbg(this, &Gic::cpu_transport_dbg);
  const sc_core::sc_time access = clock_.cycles(std::uint64_t{params.access_cycles});
  dist_regs_.set_access_latency(access);
  cpu_regs_.set_access_latency(access);
  declare_dist_registers();
  declare_cpu_registers();

  SC_METHOD(update_outputs);
  sensitive << update_;
  dont_initialize();
}

void Gic::before_end_of_elaboration() {
  // Unused SPI inputs read low, so that a platform binds only the lines it wires.
  for (auto& in : spi)
    if (in.bind_count() == 0) in.bind(tie_low_);
}

void Gic::end_of_elaboration() {
  // A level change costs O(1) plus one output update. An input wired to a LevelSignal is
  // followed by an edge listener, in the writer's own process at the change's time; any
  // other channel gets a small method of its own (one delta later, the same time).
  for (unsigned n = 0; n < spi.size(); ++n) {
    if (auto* wire = dynamic_cast<LevelSignal*>(spi[n].get_interface())) {
      wire->add_edge_listener([this, n](bool) { line_changed(n); });
    } else {
      sc_core::sc_spawn_options opts;
      opts.spawn_method();
      opts.dont_initialize();
      opts.set_sensitivity(&spi[n].value_changed_event());
      sc_core::sc_spawn([this, n] { line_changed(n); },
                        sc_core::sc_gen_unique_name("spi_changed"), &opts);
    }
    line_seen_.set(kSpiBase + n, spi[n].read());
    refresh(kSpiBase + n);
    // A channel's read() returns a reference to its current value (sc_signal, LevelSignal).
    spi_level_.push_back(&spi[n]->read());
  }
  for (auto& out : irq) irq_wire_.push_back(dynamic_cast<LevelSignal*>(out.get_interface()));
}

void Gic::line_changed(unsigned n) {
  const unsigned id = kSpiBase + n;
  const bool level = spi[n].read();
  if (level && lose_next_.test(id)) {
    lose_next_.set(id, false);
    swallowed_.set(id, true);
  }
  if (!level) swallowed_.set(id, false);
  line_seen_.set(id, level && !swallowed_.test(id));
  refresh(id);
  update_outputs();
}

void Gic::lose_next_assertion(unsigned id) {
  if (id < kSpiBase || id >= irqs_.size()) return;
  lose_next_.set(id, true);
  ++injected_;
}

void Gic::make_pending(unsigned id) {
  if (id >= irqs_.size()) return;
  latch_.set(id, true);
  refresh(id);
  ++injected_;
  changed();
}

void Gic::clear_state() {
  for (Irq& i : irqs_) i = Irq{};
  enabled_.clear();
  latch_.clear();
  active_.clear();
  // Interrupts 0-31 (SGIs, PPIs) have no input line; they target every core at reset.
  for (IdBits& t : targeted_) t.clear();
  for (unsigned id = 0; id < kSpiBase; ++id) set_targets(id, std::uint8_t((1u << cores_) - 1));
  for (unsigned w = 0; w < candidates_.words.size(); ++w) refresh_word(w);
  for (CpuIf& c : cpus_) c = CpuIf{};
  dist_enabled_ = false;
  dist_regs_.reset();
  cpu_regs_.reset();
}

void Gic::reset() {
  clear_state();
  changed();  // the IRQ outputs fall at once
}

// --- state views -------------------------------------------------------------------------

bool Gic::line(unsigned id) const {
  return id >= kSpiBase && id - kSpiBase < spi.size() && *spi_level_[id - kSpiBase] &&
         !swallowed_.test(id);
}

bool Gic::pending(unsigned id) const {
  return id < irqs_.size() && (latch_.test(id) || line(id));
}
bool Gic::active(unsigned id) const { return id < irqs_.size() && active_.test(id); }
bool Gic::enabled(unsigned id) const { return id < irqs_.size() && enabled_.test(id); }

std::uint32_t Gic::running_priority(unsigned core) const {
  std::uint32_t rp = kIdlePriority;
  for (unsigned id : cpus_.at(core).active)
    if (irqs_[id].priority < rp) rp = irqs_[id].priority;
  return rp;
}

unsigned Gic::highest_pending(unsigned core) const {
  unsigned best = kSpuriousId;
  const IdBits& mine = targeted_[core];
  for (std::uint32_t words = candidate_words_; words != 0; words &= words - 1) {
    const unsigned w = static_cast<unsigned>(__builtin_ctz(words));
    // Enabled, not active, targeted here, and possibly pending (a latch, or a line seen
    // high; the line itself is read below, as it may have changed in this delta cycle).
    for (std::uint32_t cand = candidates_.words[w] & mine.words[w]; cand != 0; cand &= cand - 1) {
      const unsigned id = w * 32 + static_cast<unsigned>(__builtin_ctz(cand));
      if (!latch_.test(id) && !line(id)) continue;
      if (best == kSpuriousId || irqs_[id].priority < irqs_[best].priority) best = id;  // ties: lower ID
    }
  }
  return best;
}

void Gic::refresh_word(unsigned w) {
  const std::uint32_t cand =
      enabled_.words[w] & ~active_.words[w] & (latch_.words[w] | line_seen_.words[w]);
  candidates_.words[w] = cand;
  if (cand != 0) candidate_words_ |= 1u << w;
  else candidate_words_ &= ~(1u << w);
}

void Gic::set_targets(unsigned id, std::uint8_t cores) {
  irqs_[id].targets = cores;
  for (unsigned c = 0; c < cores_; ++c) targeted_[c].set(id, (cores >> c) & 1u);
}

bool Gic::deliverable(unsigned core, unsigned id) const {
  if (id == kSpuriousId || !dist_enabled_ || !cpus_[core].enabled) return false;
  const std::uint32_t prio = irqs_[id].priority;
  return prio < cpus_[core].pmr && prio < running_priority(core);
}

// --- acknowledge / end of interrupt ----------------------------------------------------------

std::uint32_t Gic::acknowledge(unsigned core, const sc_core::sc_time& at) {
  const unsigned id = highest_pending(core);
  if (!deliverable(core, id)) return kSpuriousId;
  irqs_[id].active_core = core;
  active_.set(id, true);
  latch_.set(id, false);  // a level line that stays high keeps it pending (active and pending)
  refresh(id);
  cpus_[core].active.push_back(id);
  cpus_[core].acked_at = at;
  ++acks_;
  update_outputs();  // the IRQ output falls in the acknowledging access, not a delta later
  return id;
}

void Gic::deactivate(unsigned id) {
  if (!active_.test(id)) return;
  auto& act = cpus_[irqs_[id].active_core].active;
  act.erase(std::find(act.begin(), act.end(), id));
  active_.set(id, false);
  refresh(id);
}

void Gic::end_of_interrupt(unsigned core, std::uint32_t value) {
  const unsigned id = value & kIdMask;
  if (id < irqs_.size() && active_.test(id) && irqs_[id].active_core == core) {
    deactivate(id);
    update_outputs();  // the next pending interrupt is signalled from now (after the latency)
    return;
  }
  if (id == kSpuriousId) return;  // EOI of a spurious acknowledge: ignored, as the GIC does
  std::ostringstream msg;
  msg << name() << ": GICC_EOIR of core " << core << " names interrupt " << id
      << ", which is not active on that core: ignored";
  SC_REPORT_WARNING(kReportModel, msg.str().c_str());
}

// --- outputs -------------------------------------------------------------------------------

void Gic::update_outputs() {
  const sc_core::sc_time now = sim_now();
  for (unsigned c = 0; c < cores_; ++c) {
    CpuIf& cpu = cpus_[c];
    const bool want = deliverable(c, highest_pending(c));
    if (!want) {
      cpu.signalled = false;
      // Deasserted at once (e.g. on acknowledge); observers see the acknowledge's time.
      if (irq[c].read()) lower(c, std::max(now, cpu.acked_at));
      continue;
    }
    if (!cpu.signalled) {
      cpu.signalled = true;
      cpu.since = now;
    }
    const sc_core::sc_time due = cpu.since + latency_;
    if (now >= due) {
      if (!irq[c].read()) irq[c].write(true);
    } else {
      update_.notify(due - now);
    }
  }
}

void Gic::lower(unsigned core, const sc_core::sc_time& at) {
  if (LevelSignal* wire = irq_wire_[core]) wire->write_at(false, at);
  else irq[core].write(false);
}

// --- registers -------------------------------------------------------------------------------

std::uint32_t Gic::read_bits(unsigned word, bool (Gic::*bit)(unsigned) const) const {
  std::uint32_t v = 0;
  for (unsigned b = 0; b < 32; ++b)
    if ((this->*bit)(word * 32 + b)) v |= 1u << b;
  return v;
}

std::uint8_t Gic::read_byte(std::uint64_t addr) const {
  if (addr >= GICD_ITARGETSR) return irqs_.at(addr - GICD_ITARGETSR).targets;
  return irqs_.at(addr - GICD_IPRIORITYR).priority;
}

void Gic::write_byte(std::uint64_t addr, std::uint8_t v) {
  if (addr >= GICD_ITARGETSR) {
    const auto id = static_cast<unsigned>(addr - GICD_ITARGETSR);
    (void)irqs_.at(id);  // range check, as before
    set_targets(id, std::uint8_t(v & ((1u << cores_) - 1)));
  } else {
    irqs_.at(addr - GICD_IPRIORITYR).priority = std::uint8_t(v & kPriorityMask);
  }
  changed();
}

std::uint32_t Gic::read_bytes(std::uint64_t base, unsigned word) const {
  std::uint32_t v = 0;
  for (unsigned b = 0; b < 4; ++b) v |= std::uint32_t{read_byte(base + word * 4 + b)} << (8 * b);
  return v;
}

void Gic::declare_dist_registers() {
  const unsigned words = static_cast<unsigned>(irqs_.size() / 32);
  dist_regs_.add("GICD_CTLR", GICD_CTLR, Access::ReadWrite)
      .value([this] { return dist_enabled_ ? GICD_CTLR_ENABLE : 0u; })
      .on_write([this](RegAccess& a) {
        dist_enabled_ = (a.data & GICD_CTLR_ENABLE) != 0;
        changed();
        return a.stored;
      });
  dist_regs_.add("GICD_TYPER", GICD_TYPER, Access::ReadOnly,
                 (words - 1) | ((cores_ - 1) << GICD_TYPER_CPUNUMBER_SHIFT));

  for (unsigned n = 0; n < words; ++n) {
    const std::string idx = std::to_string(n);
    // Writes of 1 bits act; 0 bits leave the interrupt alone. The state lives in irqs_.
    auto bits = [this, n](auto&& f) {
      return [this, n, f](RegAccess& a) {
        for (unsigned b = 0; b < 32; ++b)
          if (a.data & (1u << b)) f(n * 32 + b);
        refresh_word(n);
        changed();
        return a.stored;
      };
    };
    auto enabled_bits = [this, n] { return read_bits(n, &Gic::enabled); };
    auto pending_bits = [this, n] { return read_bits(n, &Gic::pending); };
    auto active_bits = [this, n] { return read_bits(n, &Gic::active); };
    dist_regs_.add("GICD_ISENABLER" + idx, GICD_ISENABLER + 4 * n, Access::ReadWrite)
        .value(enabled_bits)
        .on_write(bits([this](unsigned id) { enabled_.set(id, true); }));
    dist_regs_.add("GICD_ICENABLER" + idx, GICD_ICENABLER + 4 * n, Access::ReadWrite)
        .value(enabled_bits)
        .on_write(bits([this](unsigned id) { enabled_.set(id, false); }));
    dist_regs_.add("GICD_ISPENDR" + idx, GICD_ISPENDR + 4 * n, Access::ReadWrite)
        .value(pending_bits)
        .on_write(bits([this](unsigned id) { latch_.set(id, true); }));
    // Clearing the pending state of a level interrupt whose line is high has no lasting
    // effect: the line keeps it pending.
    dist_regs_.add("GICD_ICPENDR" + idx, GICD_ICPENDR + 4 * n, Access::ReadWrite)
        .value(pending_bits)
        .on_write(bits([this](unsigned id) { latch_.set(id, false); }));
    dist_regs_.add("GICD_ISACTIVER" + idx, GICD_ISACTIVER + 4 * n, Access::ReadOnly)
        .value(active_bits);
    dist_regs_.add("GICD_ICACTIVER" + idx, GICD_ICACTIVER + 4 * n, Access::ReadWrite)
        .value(active_bits)
        .on_write(bits([this](unsigned id) { deactivate(id); }));
    // Two configuration bits per interrupt: stored, but every SPI is modelled as level.
    dist_regs_.add("GICD_ICFGR" + std::to_string(2 * n), GICD_ICFGR + 8 * n, Access::ReadWrite);
    dist_regs_.add("GICD_ICFGR" + std::to_string(2 * n + 1), GICD_ICFGR + 8 * n + 4,
                   Access::ReadWrite);
  }
  for (unsigned n = 0; n < irqs_.size() / 4; ++n) {
    const std::string idx = std::to_string(n);
    for (std::uint64_t base : {GICD_IPRIORITYR, GICD_ITARGETSR}) {
      dist_regs_.add((base == GICD_IPRIORITYR ? "GICD_IPRIORITYR" : "GICD_ITARGETSR") + idx,
                     base + 4 * n, Access::ReadWrite)
          .value([this, base, n] { return read_bytes(base, n); })
          .on_write([this, base, n](RegAccess& a) {
            for (unsigned b = 0; b < 4; ++b)
              write_byte(base + 4 * n + b, std::uint8_t(a.data >> (8 * b)));
            return a.stored;
          });
    }
  }
}

void Gic::declare_cpu_registers() {
  for (unsigned c = 0; c < cores_; ++c) {
    const std::uint64_t w = c * kCpuIfStride;
    const std::string sfx = "[" + std::to_string(c) + "]";
    CpuIf& cpu = cpus_[c];
    cpu_regs_.add("GICC_CTLR" + sfx, w + GICC_CTLR, Access::ReadWrite)
        .value([&cpu] { return cpu.enabled ? GICC_CTLR_ENABLE : 0u; })
        .on_write([this, &cpu](RegAccess& a) {
          cpu.enabled = (a.data & GICC_CTLR_ENABLE) != 0;
          changed();
          return a.stored;
        });
    cpu_regs_.add("GICC_PMR" + sfx, w + GICC_PMR, Access::ReadWrite)
        .value([&cpu] { return cpu.pmr; })
        .on_write([this, &cpu](RegAccess& a) {
          cpu.pmr = a.data & kPriorityMask;
          changed();
          return a.stored;
        });
    cpu_regs_.add("GICC_BPR" + sfx, w + GICC_BPR, Access::ReadWrite, kBprReset).writable(kBprMask);
    // A read acknowledges; a debug read shows what a read would return.
    cpu_regs_.add("GICC_IAR" + sfx, w + GICC_IAR, Access::ReadOnly, kSpuriousId)
        .value([this, c] {
          const unsigned id = highest_pending(c);
          return deliverable(c, id) ? id : kSpuriousId;
        })
        .on_read([this, c](RegAccess& a) { return acknowledge(c, a.time); });
    cpu_regs_.add("GICC_EOIR" + sfx, w + GICC_EOIR, Access::WriteOnly)
        .on_write([this, c](RegAccess& a) {
          end_of_interrupt(c, a.data);
          return a.stored;
        });
    cpu_regs_.add("GICC_RPR" + sfx, w + GICC_RPR, Access::ReadOnly)
        .value([this, c] { return running_priority(c); });
    cpu_regs_.add("GICC_HPPIR" + sfx, w + GICC_HPPIR, Access::ReadOnly)
        .value([this, c] { return std::uint32_t{highest_pending(c)}; });
  }
}

// --- transport -------------------------------------------------------------------------------

bool Gic::byte_field(std::uint64_t addr) const {
  return addr >= GICD_IPRIORITYR && addr < GICD_ICFGR &&
         (addr & 0x3ff) < irqs_.size();  // IPRIORITYR and ITARGETSR: one byte per ID
}

void Gic::byte_access(tlm::tlm_generic_payload& trans) {
  const std::uint64_t addr = trans.get_address();
  unsigned char* data = trans.get_data_ptr();
  for (unsigned b = 0; b < trans.get_data_length(); ++b) {
    if (trans.is_write()) write_byte(addr + b, data[b]);
    else data[b] = read_byte(addr + b);
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Gic::dist_b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  // Byte and halfword accesses to the byte-per-interrupt fields (as Linux's gic driver
  // writes GICD_ITARGETSR); everything else goes to the 32-bit register bank.
  const std::uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  if ((len == 1 || len == 2) && addr % len == 0 && trans.get_byte_enable_ptr() == nullptr &&
      (trans.get_streaming_width() == 0 || trans.get_streaming_width() >= len) &&
      byte_field(addr) && byte_field(addr + len - 1) &&
      (addr & ~0x3ffull) == ((addr + len - 1) & ~0x3ffull) &&
      trans.get_command() != tlm::TLM_IGNORE_COMMAND) {
    byte_access(trans);
    delay += dist_regs_.access_latency();
    return;
  }
  dist_regs_.b_transport(trans, delay);
}

unsigned int Gic::dist_transport_dbg(tlm::tlm_generic_payload& trans) {
  return dist_regs_.transport_dbg(trans);
}

void Gic::cpu_b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  cpu_regs_.b_transport(trans, delay);
}

unsigned int Gic::cpu_transport_dbg(tlm::tlm_generic_payload& trans) {
  return cpu_regs_.transport_dbg(trans);
}

}  // namespace aesvp
