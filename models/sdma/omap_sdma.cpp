#include "models/sdma/omap_sdma.h"

#include "models/core/sim_time.h"
#include "models/core/observe.h"

#include "models/core/level_signal.h"
#include "models/core/report.h"
#include "models/core/unit_burst.h"

#include <algorithm>
#include <array>
#include <sstream>

namespace aesvp {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;
namespace r = sdma;

namespace {

std::uint32_t clamp_channels(std::uint32_t n) {
  if (n == 0 || n > r::kMaxChannels) {
    std::ostringstream msg;
    msg << "sdma.channels = " << n << " is outside 1.." << r::kMaxChannels << "; using "
        << r::kMaxChannels;
    SC_REPORT_WARNING(kReportConfig, msg.str().c_str());
    return r::kMaxChannels;
  }
  return n;
}

std::uint32_t clamp_lines(std::uint32_t n) {
  if (n > r::kMaxRequestLines) {
    std::ostringstream msg;
    msg << "sdma.request_lines = " << n << " is more than the CCR field holds ("
        << r::kMaxRequestLines << "); using " << r::kMaxRequestLines;
    SC_REPORT_WARNING(kReportConfig, msg.str().c_str());
    return r::kMaxRequestLines;
  }
  return n;
}

SdmaParams checked(SdmaParams p) {
  p.channels = clamp_channels(p.channels);
  p.request_lines = clamp_lines(p.request_lines);
  return p;
}

}  // namespace

OmapSdma::OmapSdma(sc_core::sc_module_name name, const SdmaParams& params, TimingMode mode)
    : sc_core::sc_module(name),
      regs("regs"),
      bus("bus"),
      dma_req("dma_req", std::min(params.request_lines, r::kMaxRequestLines) + 1),
      irq("irq", r::kIrqLines),
      params_(checked(params)),
      mode_(mode),
      clock_(params.clock_mhz),
      unit_overhead_(clock_.cycles(std::uint64_t{params_.frame_overhead_cycles})),
      bank_(*this, r::kWindowSize),
      ch_(params_.channels),
      cregs_(params_.channels),
      stats_(params_.channels) {
  regs.register_b_transport<&OmapSdma::b_transport>(this);
  regs.register_transport_dbg(this, &OmapSdma::transport_dbg);
  bus.register_invalidate_direct_mem_ptr(this, &OmapSdma::invalidate_direct_mem_ptr);
  bank_.set_access_latency(clock_.cycles(static_cast<std::uint64_t>(params_.reg_access_cycles)));
  declare_registers();

  SC_METHOD(port_method);
  SC_METHOD(watch_requests);  // its first run arms it on watch_on_ (end_of_elaboration)
  SC_METHOD(rise_due);  // announced rises while the port is idle
  sensitive << rise_ev_;
  dont_initialize();
  SC_METHOD(update_irq_lines);  // an error of a start written ahead, at the write's time
  sensitive << lines_ev_;
  dont_initialize();
}

void OmapSdma::end_of_elaboration() {
  // A LevelSignal line is followed edge by edge in the writer's delta, as the watcher one
  // delta later would see it: no event and no watcher activation per edge (four per AES
  // block), and the port samples without a delta wait where nothing else is due.
  followed_.assign(dma_req.size(), false);
  watch_on_ |= drop_ev_;
  wake_on_ |= wake_;
  for (unsigned n = 0; n < dma_req.size(); ++n) {
    if (auto* wire = dynamic_cast<LevelSignal*>(dma_req[n].get_interface())) {
      followed_[n] = true;
      wire->add_edge_listener([this, n](bool level) { request_edge(n, level); },
                              [this, n](bool announced, const sc_time& at) {
                                return rise_announced(n, announced, at);
                              });
    } else {
      watch_on_ |= dma_req[n]->value_changed_event();
      wake_on_ |= dma_req[n]->value_changed_event();
    }
  }
}

// ---------------------------------------------------------------------------------------
// Registers

void OmapSdma::declare_registers() {
  bank_.add("REVISION", r::kRevision, Access::ReadOnly, r::kRevisionValue);
  for (unsigned x = 0; x < r::kIrqLines; ++x) {
    const std::string l = std::to_string(x);
    bank_.add("IRQSTATUS_L" + l, r::irqstatus(x), Access::ReadWrite)
        .on_write([](RegAccess& a) { return a.stored & ~a.data; })  // write 1 to clear
        .after_write([this](const RegAccess&) { update_irq_lines(); });
    bank_.add("IRQENABLE_L" + l, r::irqenable(x), Access::ReadWrite)
        .after_write([this](const RegAccess&) { update_irq_lines(); });
  }
  bank_.add("SYSSTATUS", r::kSysStatus, Access::ReadOnly, r::kSysStatusResetDone)
      .value([this] {
        return sim_now() >= reset_done_at_ ? r::kSysStatusResetDone : 0u;
      });
  bank_.add("OCP_SYSCONFIG", r::kOcpSysconfig, Access::ReadWrite)
      .writable(r::kSysconfigWritable)
      .on_write([this](RegAccess& a) {
        if ((a.data & r::kSysconfigSoftReset) == 0) return a.merged();
        soft_reset(a.time);  // every register back to its reset value, this one included
        return bank_.at(r::kOcpSysconfig).reset_value();
      });
  // Capabilities: descriptor lists (types 1-3 as the bit says; the model runs 2 and 3) when
  // enabled; nothing else optional (no constant fill, no transparent copy).
  bank_.add("CAPS_0", r::kCaps0, Access::ReadOnly, params_.linked_list ? r::kCaps0SupportLl123 : 0u);
  bank_.add("CAPS_2", r::kCaps2, Access::ReadOnly, 0);
  bank_.add("CAPS_3", r::kCaps3, Access::ReadOnly, 0);
  bank_.add("CAPS_4", r::kCaps4, Access::ReadOnly, 0);
  bank_.add("GCR", r::kGcr, Access::ReadWrite, r::kGcrReset);
  for (unsigned x = 0; x < r::kIrqLines; ++x) {
    irqstatus_[x] = &bank_.at(r::irqstatus(x));
    irqenable_[x] = &bank_.at(r::irqenable(x));
  }
  for (unsigned ch = 0; ch < params_.channels; ++ch) declare_channel_registers(ch);
}

void OmapSdma::declare_channel_registers(unsigned ch) {
  const std::string n = "[" + std::to_string(ch) + "]";
  auto add = [&](const char* reg, std::uint32_t off, Access a) -> Register& {
    return bank_.add(std::string(reg) + n, r::channel_reg(ch, off), a);
  };
  ChannelRegs& cr = cregs_[ch];
  cr.ccr = &add("CCR", r::kCcr, Access::ReadWrite)
                .value([this, ch] {
                  std::uint32_t v = cregs_[ch].ccr->get();
                  if (in_flight_ == static_cast<int>(ch)) v |= r::kCcrRdActive | r::kCcrWrActive;
                  return v;
                })
                .writable(~(r::kCcrRdActive | r::kCcrWrActive))  // status bits: computed
                .after_write([this, ch](const RegAccess& a) { ccr_written(ch, a.time); })
                .timed();
  add("CLNK_CTRL", r::kClnkCtrl, Access::ReadWrite);  // stored only: no chaining
  cr.cicr = &add("CICR", r::kCicr, Access::ReadWrite).writable(r::kCicrWritable);
  cr.csr = &add("CSR", r::kCsr, Access::ReadWrite)
                .on_write([](RegAccess& a) { return a.stored & ~a.data; });  // write 1 to clear
  cr.csdp = &add("CSDP", r::kCsdp, Access::ReadWrite);
  cr.cen = &add("CEN", r::kCen, Access::ReadWrite).writable(r::kCenMask);
  cr.cfn = &add("CFN", r::kCfn, Access::ReadWrite).writable(r::kCfnMask);
  cr.cssa = &add("CSSA", r::kCssa, Access::ReadWrite);
  cr.cdsa = &add("CDSA", r::kCdsa, Access::ReadWrite);
  cr.csei = &add("CSEI", r::kCsei, Access::ReadWrite).writable(r::kElementIndexMask);
  cr.csfi = &add("CSFI", r::kCsfi, Access::ReadWrite);
  cr.cdei = &add("CDEI", r::kCdei, Access::ReadWrite).writable(r::kElementIndexMask);
  cr.cdfi = &add("CDFI", r::kCdfi, Access::ReadWrite);
  // CSAC/CDAC are writable: the Linux driver clears CDAC before starting a channel.
  cr.csac = &add("CSAC", r::kCsac, Access::ReadWrite);
  cr.cdac = &add("CDAC", r::kCdac, Access::ReadWrite);
  cr.ccen = &add("CCEN", r::kCcen, Access::ReadOnly);
  cr.ccfn = &add("CCFN", r::kCcfn, Access::ReadOnly);
  add("COLOR", r::kColor, Access::ReadWrite).writable(r::kColorMask);
  cr.cdp = &add("CDP", r::kCdp, Access::ReadWrite).writable(r::kCdpWritable);
  cr.cndp = &add("CNDP", r::kCndp, Access::ReadWrite).writable(r::kCndpWritable);
  cr.ccdn = &add("CCDN", r::kCcdn, Access::ReadWrite).writable(r::kCcdnMask);
}

void OmapSdma::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  if (AheadWriteQuery* q = ahead_write_query(trans)) {
    bank_.answer_ahead_query(trans, *q);
    // A start sees the request lines as announced rises leave them at the call's time, and
    // observers would see the channel enabled then: not with either.
    if (!rises_.empty() || !channel_observers_.empty()) q->taken = false;
    return;
  }
  apply_due_rises();  // the registers see the channels as the rises left them
  bank_.b_transport(trans, delay);
}

unsigned int OmapSdma::transport_dbg(tlm::tlm_generic_payload& trans) {
  return bank_.transport_dbg(trans);
}

std::uint32_t OmapSdma::peek(std::uint32_t offset) const { return bank_.peek(offset); }

void OmapSdma::ccr_written(unsigned ch, const sc_time& at) {
  const bool enable = (cregs_[ch].ccr->get() & r::kCcrEnable) != 0;
  if (enable && !ch_[ch].enabled) {
    // Written ahead of simulated time (models/core/ahead_write.h), a refused start's error
    // reaches the interrupt lines at the write's time.
    errors_at_ = at;
    start_channel(ch, at);
    errors_at_ = SC_ZERO_TIME;
  } else if (!enable && ch_[ch].enabled) {
    // Software stop: a unit already on the port completes (progress updated, no events);
    // nothing further is moved.
    set_enabled(ch, false);
  }
}

bool OmapSdma::refuse(unsigned ch, const char* why) {
  std::ostringstream msg;
  msg << name() << ": channel " << ch << " not started: " << why
      << " (not modelled); stopped with CSR.TRANS_ERR";
  SC_REPORT_WARNING(kReportModel, msg.str().c_str());
  stop_channel(ch);
  raise_status(ch, r::kIrqTransErr);
  return false;
}

void OmapSdma::capture_sync(unsigned ch) {
  Channel& c = ch_[ch];
  const std::uint32_t ccr = cregs_[ch].ccr->get();
  c.request = r::ccr_request_number(ccr);
  const bool fs = (ccr & r::kCcrFs) != 0, bs = (ccr & r::kCcrBs) != 0;
  c.sync = c.request == 0 ? Sync::None
           : fs && bs     ? Sync::Packet
           : fs           ? Sync::Frame
           : bs           ? Sync::Block
                          : Sync::Element;
}

bool OmapSdma::load_programming(unsigned ch) {
  Channel& c = ch_[ch];
  const ChannelRegs& cr = cregs_[ch];
  const std::uint32_t ccr = cr.ccr->get();
  const std::uint32_t csdp = cr.csdp->get();
  const std::uint32_t src_amode = (ccr >> r::kCcrSrcAmodeShift) & r::kCcrAmodeMask;
  const std::uint32_t dst_amode = (ccr >> r::kCcrDstAmodeShift) & r::kCcrAmodeMask;

  capture_sync(ch);
  c.es = r::element_bytes(csdp & r::kCsdpDataTypeMask);
  c.cen = cr.cen->get();
  c.cfn = cr.cfn->get();

  if (c.es == 0) return refuse(ch, "reserved CSDP.DATA_TYPE 3");
  if (src_amode >= r::kAmodeSingleIndex || dst_amode >= r::kAmodeSingleIndex)
    return refuse(ch, "single/double-index addressing");
  if (ccr & (r::kCcrConstantFill | r::kCcrTransparentCopy))
    return refuse(ch, "constant fill / transparent copy");
  if (c.request > params_.request_lines) return refuse(ch, "request number beyond the lines");
  if (c.cen == 0 || c.cfn == 0) return refuse(ch, "CEN or CFN is 0");

  const std::uint32_t cssa = cr.cssa->get(), cdsa = cr.cdsa->get();
  if (cssa % c.es != 0 || cdsa % c.es != 0) {
    stop_channel(ch);
    raise_status(ch, r::kIrqMisalignedErr);
    return false;
  }
  c.src = cssa;
  c.dst = cdsa;
  c.src_inc = src_amode == r::kAmodePostIncrement;
  c.dst_inc = dst_amode == r::kAmodePostIncrement;
  c.src_burst = r::burst_bytes((csdp >> r::kCsdpSrcBurstShift) & r::kCsdpBurstMask, c.es);
  c.dst_burst = r::burst_bytes((csdp >> r::kCsdpDstBurstShift) & r::kCsdpBurstMask, c.es);
  c.src_burst_cost = transaction_cost(c.src_burst / c.es);
  c.dst_burst_cost = transaction_cost(c.dst_burst / c.es);
  c.elem_in_frame = 0;
  c.frames_done = 0;
  c.block_granted = false;
  cr.ccen->set(0);
  cr.ccfn->set(0);
  return true;
}

void OmapSdma::start_channel(unsigned ch, const sc_time& at) {
  Channel& c = ch_[ch];
  c = Channel{};
  c.epoch = ++epoch_counter_;
  const bool list = (cregs_[ch].cdp->get() & r::kCdpTmodeMask) != 0;
  if (list ? !start_list(ch) : !load_programming(ch)) return;
  c.last_level = line_high(ch);
  set_enabled(ch, true);
  c.eligible_at = at + clock_.cycles(std::uint64_t{params_.start_latency_cycles});
  // A channel that waits for a request line still low has nothing to do at that time: the
  // line's rise (an edge, or an announced rise) wakes the port, and an idle port that wakes
  // before eligible_at re-arms for it (enter_idle).
  if (c.sync != Sync::None && !c.fetch_pending && !c.last_level && rises_.empty()) return;
  wake_.notify(c.eligible_at - sim_now());
}

void OmapSdma::set_enabled(unsigned ch, bool on) {
  if (ch_[ch].enabled == on) return;
  ch_[ch].enabled = on;
  if (on) enabled_mask_ |= std::uint32_t{1} << ch;
  else enabled_mask_ &= ~(std::uint32_t{1} << ch);
  AESVP_OBSERVE(for (const ChannelObserver& o : channel_observers_) o(ch, on));
}

void OmapSdma::stop_channel(unsigned ch) {
  set_enabled(ch, false);
  Register& ccr = *cregs_[ch].ccr;
  ccr.set(ccr.get() & ~r::kCcrEnable);
}

void OmapSdma::reset() {
  apply_due_rises();
  clear_state();
  reset_done_at_ = SC_ZERO_TIME;
  wake_.notify(SC_ZERO_TIME);  // the port thread re-arbitrates (nothing is eligible)
}

void OmapSdma::soft_reset(const sc_time& at) {
  clear_state();
  reset_done_at_ = at + clock_.cycles(std::uint64_t{params_.reset_cycles});
}

void OmapSdma::clear_state() {
  ++generation_;
  bank_.reset();
  update_irq_lines();
  for (unsigned ch = 0; ch < ch_.size(); ++ch) set_enabled(ch, false);
  for (Channel& c : ch_) c = Channel{};
  rr_next_ = 0;
  in_flight_ = -1;
}

// ---------------------------------------------------------------------------------------
// Interrupts

void OmapSdma::raise_status(unsigned ch, std::uint32_t bits) {
  if (bits == 0) return;
  Register& csr = *cregs_[ch].csr;
  csr.set(csr.get() | bits);
  if ((bits & cregs_[ch].cicr->get()) == 0) return;
  for (Register* s : irqstatus_) s->set(s->get() | 1u << ch);
  if (errors_at_ > sim_now()) lines_ev_.notify(errors_at_ - sim_now());
  else update_irq_lines();
}

void OmapSdma::update_irq_lines() {
  for (unsigned x = 0; x < r::kIrqLines; ++x) {
    const bool level = (irqstatus_[x]->get() & irqenable_[x]->get()) != 0;
    if (level == irq_level_[x]) continue;
    irq_level_[x] = level;
    irq[x].write(level);
  }
}

// ---------------------------------------------------------------------------------------
// Request lines and arbitration

bool OmapSdma::line_high(unsigned ch) const {
  const unsigned req = ch_[ch].request;
  return req != 0 && req < dma_req.size() && dma_req[req].read();
}

bool OmapSdma::eligible(unsigned ch) const {
  const Channel& c = ch_[ch];
  if (!c.enabled || sim_now() < c.eligible_at) return false;
  if (c.fetch_pending) return true;  // a descriptor fetch is not paced by the request line
  if (c.sync == Sync::None || (c.sync == Sync::Block && c.block_granted)) return true;
  return c.latched || line_high(ch);
}

int OmapSdma::arbitrate() {
  // Round-robin from rr_next_ over the enabled channels only (eligible() needs ENABLE):
  // first those at or above rr_next_, then those below.
  const unsigned n = static_cast<unsigned>(ch_.size());
  const std::uint32_t from_next = enabled_mask_ & ~((std::uint32_t{1} << rr_next_) - 1u);
  for (std::uint32_t m : {from_next, enabled_mask_ & ~from_next}) {
    for (; m != 0; m &= m - 1) {
      const unsigned ch = static_cast<unsigned>(__builtin_ctz(m));
      if (eligible(ch)) {
        rr_next_ = (ch + 1) % n;
        return static_cast<int>(ch);
      }
    }
  }
  return -1;
}

void OmapSdma::request_edge(unsigned line, bool level) {
  apply_due_rises();  // an announced rise of this line came before this edge
  edge_at(line, level, sc_core::sc_delta_count(), sim_now());
}

void OmapSdma::edge_at(unsigned line, bool level, sc_dt::uint64 delta, const sc_time& now) {
  // What watch_requests, one delta after the edge, would do, decided at the edge: the
  // watcher sees the level at the end of the edge's delta against the level it saw before,
  // so edges within one delta are judged together from the state before its first edge.
  for (std::uint32_t m = enabled_mask_; m != 0; m &= m - 1) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctz(m));
    Channel& c = ch_[ch];
    if (c.request != line) continue;
    if (c.edge_delta != delta || c.edge_time != now) {
      c.edge_delta = delta;
      c.edge_time = now;
      c.base_level = c.last_level;
      c.base_latched = c.latched;
    } else if (!c.latched) {
      c.base_latched = false;  // a grant consumed the latch since this delta's last edge
    }
    const bool rise = level && !c.base_level;
    c.latched = c.base_latched || rise;
    c.drop_pending = c.base_latched && rise;
    c.last_level = level;
    if (c.drop_pending) drop_ev_.notify(SC_ZERO_TIME);  // raised when the watcher would
  }
  if (port_idle_) wake_.notify(SC_ZERO_TIME);  // as the line's change event would wake it
}

bool OmapSdma::rise_announced(unsigned line, bool announced, const sc_time& at) {
  if (!announced) {
    for (std::size_t k = 0; k < rises_.size(); ++k) {
      if (rises_[k].line != line || rises_[k].at != at) continue;
      rises_.erase(rises_.begin() + static_cast<std::ptrdiff_t>(k));
      update_next_rise();
      if (port_idle_) arm_rise_wake();
      break;
    }
    return true;
  }
  // A rise onto a latched request would be a DROP, raised one delta after the rise: that
  // needs the edge in its own delta (the writer's wake-up).
  for (std::uint32_t m = enabled_mask_; m != 0; m &= m - 1) {
    const Channel& c = ch_[static_cast<unsigned>(__builtin_ctz(m))];
    if (c.request == line && c.latched) return false;
  }
  if (rises_.empty() || at < next_rise_) next_rise_ = at;
  rises_.push_back(Rise{line, at});
  if (port_idle_) arm_rise_wake();
  return true;
}

void OmapSdma::update_next_rise() {
  for (std::size_t k = 0; k < rises_.size(); ++k)
    if (k == 0 || rises_[k].at < next_rise_) next_rise_ = rises_[k].at;
}

void OmapSdma::apply_rises(const sc_time& now) {
  for (;;) {
    // The earliest due rise first (announced in order: the first of equal times).
    std::size_t first = rises_.size();
    for (std::size_t k = 0; k < rises_.size(); ++k) {
      if (rises_[k].at <= now && (first == rises_.size() || rises_[k].at < rises_[first].at)) first = k;
    }
    if (first == rises_.size()) return;
    const Rise r = rises_[first];
    rises_.erase(rises_.begin() + static_cast<std::ptrdiff_t>(first));
    update_next_rise();
    // As the writer's wake-up would have raised it: in the first delta of its time, before
    // any thread ran then (the kernel runs a delta's methods first). Earlier times: any delta
    // number (it only groups edges of one time).
    const sc_dt::uint64 delta = r.at == now ? sc_core::sc_delta_count() - sc_core::sc_delta_count_at_current_time()
                                            : ~sc_dt::uint64{0} - 1;
    edge_at(r.line, true, delta, r.at);
  }
}

void OmapSdma::arm_rise_wake() {
  // An idle port is woken by a rise (request_edge): the earliest announced one wakes the
  // applier method at its time, as the writer's own wake-up would have run then.
  rise_ev_.cancel();
  if (!rises_.empty()) rise_ev_.notify(next_rise_ - sim_now());
}

void OmapSdma::rise_due() {
  apply_due_rises();
  if (port_idle_) arm_rise_wake();
}

void OmapSdma::watch_requests() {
  // Runs one delta after a watched request line changed. A rising edge latches a request (so
  // a short pulse is not lost); a second rising edge while the first is still latched (not
  // yet serviced) is a DROP. Followed lines were latched at their edge; only their DROP is
  // raised here, one delta after it, as for a watched line.
  // Only enabled channels (a bit each): scanning all 32 on every line change cost ~10 % of
  // an accurate-mode run.
  apply_due_rises();
  for (std::uint32_t m = enabled_mask_; m != 0; m &= m - 1) {
    const unsigned ch = static_cast<unsigned>(__builtin_ctz(m));
    Channel& c = ch_[ch];
    if (c.request == 0) continue;
    if (followed_[c.request]) {
      if (c.drop_pending) raise_status(ch, r::kIrqDrop);
      c.drop_pending = false;
      continue;
    }
    const bool level = line_high(ch);
    if (level && !c.last_level) {
      if (c.latched) raise_status(ch, r::kIrqDrop);
      c.latched = true;
    }
    c.last_level = level;
  }
  sc_core::next_trigger(watch_on_);
}

// ---------------------------------------------------------------------------------------
// The port

void OmapSdma::port_method() {
  // First the end of what the last activation started, then the sampling point and the next
  // use of the port: the steps a thread would take, one wait apart.
  switch (port_step_) {
    case PortStep::Unit:
      end_unit();
      break;
    case PortStep::RunEnd:
      finish_step(unit_.ch, unit_.res, still_current(unit_.ch, unit_.generation, unit_.epoch));
      break;
    case PortStep::RunQuantum:
      if (eligible(unit_.ch) && run_units()) return;
      break;
    case PortStep::RunTail:
      break;
    case PortStep::Fetch:
      finish_fetch(fetch_);
      break;
    case PortStep::Sample:
      apply_due_rises();
      if (start_next()) return;
      break;
    case PortStep::Idle:
      leave_idle();
      if (start_next()) return;
      break;
    case PortStep::Start:
      if (start_next()) return;
      break;
  }
  // The sampling point after a use of the port, then the next use, until one of them waits.
  while (!sample_later() && !start_next()) {
  }
}

bool OmapSdma::start_next() {
  for (;;) {
    const int ch = arbitrate();
    if (ch < 0) {
      // Idle: wait for a request edge, an ENABLE, or a channel whose start latency ends.
      enter_idle();
      port_step_ = PortStep::Idle;
      next_trigger(wake_on_);
      return true;
    }
    const unsigned u = static_cast<unsigned>(ch);
    if (ch_[u].fetch_pending) {
      if (!start_fetch(u, fetch_)) continue;  // refused: nothing went on the port
      port_step_ = PortStep::Fetch;
      next_trigger(fetch_.delay);
      return true;
    }
    if (mode_ == TimingMode::Accurate) {
      // One unit, then the defined sampling point: end of the unit + one delta cycle.
      port_step_ = PortStep::Unit;
      next_trigger(start_unit(u));
      return true;
    }
    unit_.ch = u;  // run_units begins each unit
    local_ = SC_ZERO_TIME;
    return run_units();
  }
}

bool OmapSdma::run_units() {
  // Fast mode: the chosen channel keeps the port while it has work without a new request
  // edge, moving units back to back on a local time offset.
  const unsigned u = unit_.ch;
  for (;;) {
    begin_unit(u);
    const std::uint32_t frames = run_length(u);
    unit_.res = frames > 1 ? run_frames(u, frames, local_) : run_step(u, local_);
    const StepResult& res = unit_.res;
    const std::uint32_t events = res.status | (res.error ? r::kIrqTransErr : 0u);
    if (res.error || res.block_done || (events & cregs_[u].cicr->get()) != 0)
      return spend_local(PortStep::RunEnd);  // synchronise before completion status and interrupts
    finish_step(u, res, true);
    const sc_time& quantum = tlm::tlm_global_quantum::instance().get();
    if (quantum != SC_ZERO_TIME && local_ >= quantum)
      return spend_local(PortStep::RunQuantum);  // the platform's one quantum (the CPU's too)
    if (!eligible(u)) break;
  }
  return local_ != SC_ZERO_TIME && spend_local(PortStep::RunTail);
}

bool OmapSdma::spend_local(PortStep then) {
  port_step_ = then;
  next_trigger(local_);
  local_ = SC_ZERO_TIME;
  return true;
}

void OmapSdma::begin_unit(unsigned ch) {
  unit_.ch = ch;
  unit_.generation = generation_;
  unit_.epoch = ch_[ch].epoch;
}

sc_time OmapSdma::start_unit(unsigned ch) {
  begin_unit(ch);
  sc_time delay = SC_ZERO_TIME;
  in_flight_ = static_cast<int>(ch);
  unit_.res = run_step(ch, delay);
  return delay;
}

void OmapSdma::end_unit() {
  apply_due_rises();  // rises during the unit, before its end is seen
  in_flight_ = -1;
  const unsigned ch = unit_.ch;
  finish_step(ch, unit_.res, still_current(ch, unit_.generation, unit_.epoch));
}

void OmapSdma::enter_idle() {
  // Wake-ups: a request edge, an ENABLE, or a channel whose start latency ends.
  const sc_time now = sim_now();
  bool future = false;
  sc_time next;
  for (std::uint32_t m = enabled_mask_; m != 0; m &= m - 1) {  // enabled channels only
    const Channel& c = ch_[static_cast<unsigned>(__builtin_ctz(m))];
    if (c.eligible_at > now && (!future || c.eligible_at < next)) {
      next = c.eligible_at;
      future = true;
    }
  }
  if (future) wake_.notify(next - now);
  port_idle_ = true;
  arm_rise_wake();
}

void OmapSdma::leave_idle() {
  port_idle_ = false;
  rise_ev_.cancel();
  apply_due_rises();
}

bool OmapSdma::sample_later() {
  // One delta after a unit ends, so that every process due at this time (the AES settling
  // its buffers) has run before the request lines are sampled. When nothing else is due at
  // this time (no runnable process, no delta notification) that delta would run the port
  // alone and change nothing: skip it.
  if (!sc_core::sc_pending_activity_at_current_time()) return false;
  port_step_ = PortStep::Sample;
  next_trigger(SC_ZERO_TIME);
  return true;
}

OmapSdma::StepResult OmapSdma::run_step(unsigned ch, sc_time& delay) {
  Channel& c = ch_[ch];
  // Consume the request that grants this unit.
  if (c.sync != Sync::None && !(c.sync == Sync::Block && c.block_granted)) {
    c.latched = false;
    if (c.sync == Sync::Block) c.block_granted = true;
  }
  StepResult res;
  res.elements = c.sync == Sync::Element ? 1u : c.cen - c.elem_in_frame;
  const unsigned bytes = res.elements * c.es;
  buffer_.resize(bytes);
  const sc_time start = delay;
  delay += unit_overhead();

  // The source reads, then the destination writes; one transaction per burst (a unit
  // smaller than a burst is one transaction).
  auto move = [&](tlm::tlm_command cmd, std::uint64_t base, bool inc, unsigned burst,
                  const sc_time& burst_cost) {
    for (unsigned off = 0; off < bytes;) {
      const unsigned chunk = std::min(burst, bytes - off);
      delay += chunk == burst ? burst_cost : transaction_cost(chunk / c.es);
      if (!access(cmd, inc ? base + off : base, buffer_.data() + off, chunk, delay, ch))
        return false;
      off += chunk;
    }
    return true;
  };
  res.error = !move(tlm::TLM_READ_COMMAND, c.src, c.src_inc, c.src_burst, c.src_burst_cost) ||
              !move(tlm::TLM_WRITE_COMMAND, c.dst, c.dst_inc, c.dst_burst, c.dst_burst_cost);
  res.duration = delay - start;
  if (res.error) return res;

  res.bytes = bytes;
  unit_status(c, res.elements, res);
  return res;
}

void OmapSdma::unit_status(const Channel& c, std::uint32_t elements, StepResult& res) const {
  const std::uint32_t before = c.elem_in_frame, after = before + elements;
  const std::uint32_t half = (c.cen + 1) / 2;
  if (before < half && after >= half) res.status |= r::kIrqHalfFrame;
  if (before == 0 && c.frames_done + 1 == c.cfn) res.status |= r::kIrqLastFrame;
  if (after == c.cen) {
    res.status |= r::kIrqFrame;
    if (c.sync == Sync::Packet) res.status |= r::kIrqPacket;
    if (c.frames_done + 1 == c.cfn) {
      res.status |= r::kIrqBlock;
      res.block_done = true;
    }
  }
}

std::uint32_t OmapSdma::run_length(unsigned ch) {
  const Channel& c = ch_[ch];
  if (mode_ != TimingMode::Fast || (c.sync != Sync::Frame && c.sync != Sync::Packet) ||
      c.elem_in_frame != 0 || c.src_inc == c.dst_inc)
    return 0;
  // Every frame raises HALF_FRAME and FRAME (and PACKET): if one of them interrupts, each
  // frame ends the chain on its own.
  const std::uint32_t every = r::kIrqHalfFrame | r::kIrqFrame | r::kIrqPacket;
  if ((cregs_[ch].cicr->get() & every) != 0) return 0;
  const std::uint32_t frames = c.cfn - c.frames_done;
  const unsigned bytes = c.cen * c.es;
  const bool to_device = c.src_inc;
  const unsigned dev_burst = to_device ? c.dst_burst : c.src_burst;
  const unsigned chunk = std::min(to_device ? c.src_burst : c.dst_burst, bytes);
  // The device side must be one transaction per frame; the memory side whole chunks
  // through DMI over the whole run.
  if (frames < 2 || dev_burst < bytes || bytes % chunk != 0) return 0;
  const std::uint64_t mem = to_device ? c.src : c.dst;
  const tlm::tlm_command cmd = to_device ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND;
  if (dmi_.latency(cmd, mem, std::uint64_t{frames} * bytes, chunk) == nullptr) return 0;
  return frames;
}

OmapSdma::StepResult OmapSdma::run_frames(unsigned ch, std::uint32_t frames, sc_time& delay) {
  Channel& c = ch_[ch];
  const bool to_device = c.src_inc;
  const unsigned bytes = c.cen * c.es;
  const unsigned chunk = std::min(to_device ? c.src_burst : c.dst_burst, bytes);
  const std::uint64_t mem = to_device ? c.src : c.dst, dev = to_device ? c.dst : c.src;
  const tlm::tlm_command mem_cmd = to_device ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND;
  // One frame's memory side (its transactions at the learned latency) and device cost; a
  // frame-by-frame transfer spends them between two device accesses.
  const sc_time mem_side =
      (transaction_cost(chunk / c.es) + *dmi_.latency(mem_cmd, mem, std::uint64_t{frames} * bytes, chunk)) *
      static_cast<double>(bytes / chunk);
  const sc_time dev_cost = transaction_cost(c.cen);
  buffer_.resize(std::size_t{frames} * bytes);
  auto copy_memory = [&](std::uint32_t n) {
    // The frames' chunks are contiguous in one grant (run_length): one copy, timed through
    // mem_side.
    dmi_.copy(mem_cmd, mem, buffer_.data(), std::uint64_t{n} * bytes);
  };
  if (to_device) copy_memory(frames);

  c.latched = false;  // each frame consumes the request; the line gates the next one
  UnitBurst run;
  run.units = frames;
  run.gap = unit_overhead() + mem_side + dev_cost;
  run.more = [this, ch] { return ch_[ch].enabled && line_high(ch); };
  // The channel stays enabled during the transaction, so the line alone paces the run: a
  // target that drives it may take the run in one call.
  if (c.request != 0 && c.request < dma_req.size()) run.line = &dma_req[c.request].read();
  tlm::tlm_generic_payload& t = port_trans_;
  t.set_command(to_device ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  t.set_address(dev);
  t.set_data_ptr(buffer_.data());
  t.set_data_length(bytes);  // the first frame; the run's extension holds the rest
  t.set_streaming_width(bytes);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  t.set_extension(&run);
  const sc_time start = delay;
  delay += unit_overhead() + (to_device ? mem_side : SC_ZERO_TIME) + dev_cost;
  run.issued = delay;
  bus->b_transport(t, delay);
  t.clear_extension(&run);
  StepResult res;
  if (!t.is_response_ok()) {  // the first frame's device access failed (same address for all)
    stats_[ch].transactions += bytes / chunk + 1;
    res.elements = c.cen;
    res.error = true;
    res.duration = delay - start;
    return res;
  }
  const std::uint32_t done = run.beats != 0 ? run.beats : 1;  // 0: a target that moved one frame
  if (!to_device) {
    copy_memory(done);
    delay += mem_side;  // the last frame's memory writes
  }
  stats_[ch].transactions += std::uint64_t{done} * (bytes / chunk + 1);
  finish_frames(ch, done - 1, bytes);  // frames before the last: progress and status at once
  res.elements = c.cen;
  res.bytes = bytes;
  unit_status(c, c.cen, res);
  res.duration = delay - start;
  return res;
}

void OmapSdma::finish_step(unsigned ch, const StepResult& res, bool current) {
  Channel& c = ch_[ch];
  ChannelStats& st = stats_[ch];
  // The unit's transactions happened: they count even if the channel was reset or restarted.
  ++st.units;
  st.busy += res.duration;
  st.bytes += res.bytes;
  if (res.error) ++st.errors;
  if (!current) return;  // soft reset or a new start while the unit was on the port
  if (res.error) {
    stop_channel(ch);
    raise_status(ch, r::kIrqTransErr);
    return;
  }
  if (c.src_inc) c.src += res.bytes;
  if (c.dst_inc) c.dst += res.bytes;
  c.elem_in_frame += res.elements;
  if (c.elem_in_frame == c.cen) {
    c.elem_in_frame = 0;
    ++c.frames_done;
    ++st.frames;
  }
  publish_progress(ch);
  if (!c.enabled) return;  // stopped by software: the unit drained, no further events
  std::uint32_t status = res.status;
  if (res.block_done) {
    c.block_granted = false;
    if (c.linked && next_descriptor(ch)) {
      raise_status(ch, status);  // the channel stays enabled: the next descriptor is fetched
      return;
    }
    if (c.linked) status |= r::kIrqSuperBlock;  // end of the list
    stop_channel(ch);  // ENABLE cleared by hardware at the end of the block (or list)
  }
  raise_status(ch, status);
}

void OmapSdma::publish_progress(unsigned ch) {
  const Channel& c = ch_[ch];
  const ChannelRegs& cr = cregs_[ch];
  cr.csac->set(static_cast<std::uint32_t>(c.src));
  cr.cdac->set(static_cast<std::uint32_t>(c.dst));
  cr.ccen->set(c.elem_in_frame);
  cr.ccfn->set(c.frames_done);
}

void OmapSdma::finish_frames(unsigned ch, std::uint32_t n, unsigned bytes) {
  if (n == 0) return;
  Channel& c = ch_[ch];
  ChannelStats& st = stats_[ch];
  // None of the n frames is the block's last, so each raises the same status bits (HALF_FRAME,
  // FRAME, PACKET), none of them interrupting (run_length), and takes no port time of its
  // own (the run's last frame carries the run's duration).
  StepResult frame;
  unit_status(c, c.cen, frame);
  const std::uint64_t moved = std::uint64_t{n} * bytes;
  st.units += n;
  st.frames += n;
  st.bytes += moved;
  if (c.src_inc) c.src += moved;
  if (c.dst_inc) c.dst += moved;
  c.frames_done += n;
  publish_progress(ch);
  if (c.enabled) raise_status(ch, frame.status);
}

bool OmapSdma::access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                      unsigned len, sc_time& delay, unsigned ch) {
  ++stats_[ch].transactions;  // a burst on the modelled port, however the host moves it
  if (dmi_.access(cmd, addr, data, len, delay)) return true;
  tlm::tlm_generic_payload& t = port_trans_;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  const sc_time before = delay;
  bus->b_transport(t, delay);
  if (!t.is_response_ok()) return false;
  dmi_.learn(*bus.operator->(), t, delay - before);
  return true;
}

void OmapSdma::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
  dmi_.invalidate(start, end);
}

// ---------------------------------------------------------------------------------------
// Descriptor lists (CDP linked-list mode)

bool OmapSdma::start_list(unsigned ch) {
  const ChannelRegs& cr = cregs_[ch];
  const std::uint32_t cdp = cr.cdp->get();
  if (!params_.linked_list) return refuse(ch, "descriptor-list mode with sdma.linked_list off");
  if (((cdp & r::kCdpTmodeMask) >> r::kCdpTmodeShift) != r::kTmodeLinkedList)
    return refuse(ch, "undefined CDP.TRANSFER_MODE");
  Channel& c = ch_[ch];
  c.linked = true;
  if ((cdp & r::kCdpFast) == 0) return load_programming(ch);  // first block from the registers
  // Fast start: the first block comes from the descriptor at CNDP. An "increment" address
  // in it continues from CSSA / CDSA.
  if (cr.cndp->get() == r::kEndOfList) return refuse(ch, "fast start with an empty list");
  capture_sync(ch);
  if (c.request > params_.request_lines) return refuse(ch, "request number beyond the lines");
  c.src = cr.cssa->get();
  c.dst = cr.cdsa->get();
  c.fetch_pending = true;
  return true;
}

bool OmapSdma::next_descriptor(unsigned ch) {
  if (cregs_[ch].cndp->get() == r::kEndOfList) return false;
  ch_[ch].fetch_pending = true;
  return true;
}

bool OmapSdma::start_fetch(unsigned ch, Fetch& f) {
  const ChannelRegs& cr = cregs_[ch];
  const std::uint32_t cdp = cr.cdp->get();
  f.ch = ch;
  f.type = (cdp >> r::kCdpNtypeShift) & 0x7u;
  f.src_valid = (cdp >> r::kCdpSrcValidShift) & 0x3u;
  f.dst_valid = (cdp >> r::kCdpDstValidShift) & 0x3u;
  if (f.type != r::kDescType2 && f.type != r::kDescType3) {
    return refuse(ch, "descriptor type other than 2 or 3");
  }
  if (f.src_valid == 3 || f.dst_valid == 3) {
    return refuse(ch, "undefined descriptor address-valid code 3");
  }
  const unsigned addresses =
      (f.src_valid == r::kAddrReload ? 1u : 0u) + (f.dst_valid == r::kAddrReload ? 1u : 0u);
  const unsigned bytes = r::descriptor_bytes(f.type, addresses);
  f.w = {};
  f.generation = generation_;
  f.epoch = ch_[ch].epoch;
  // One port use: the arbitration/context cost of a unit, then one read of the descriptor.
  f.delay = unit_overhead() + transaction_cost(bytes / 4);
  in_flight_ = static_cast<int>(ch);
  f.ok = access(tlm::TLM_READ_COMMAND, cr.cndp->get(), reinterpret_cast<unsigned char*>(f.w.data()),
                bytes, f.delay, ch);
  return true;
}

void OmapSdma::finish_fetch(const Fetch& f) {
  apply_due_rises();
  in_flight_ = -1;
  const unsigned ch = f.ch;
  ChannelStats& st = stats_[ch];
  st.busy += f.delay;
  if (!f.ok) ++st.errors;
  if (still_current(ch, f.generation, f.epoch) && ch_[ch].enabled) {
    if (!f.ok) {
      stop_channel(ch);  // a descriptor that cannot be read ends the list with an error
      raise_status(ch, r::kIrqTransErr);
    } else {
      ++st.descriptors;
      load_descriptor(ch, f.type, f.src_valid, f.dst_valid, f.w.data());
    }
  }
}

void OmapSdma::load_descriptor(unsigned ch, std::uint32_t type, std::uint32_t src_valid,
                               std::uint32_t dst_valid, const std::uint32_t* w) {
  Channel& c = ch_[ch];
  const ChannelRegs& cr = cregs_[ch];
  const std::uint32_t word1 = w[1];
  unsigned i = 2;
  // Reload: from the descriptor; increment: where the last block ended; reuse: unchanged.
  auto address = [&](std::uint32_t valid, std::uint64_t running, Register& start) {
    if (valid == r::kAddrReload) return w[i++];
    if (valid == r::kAddrIncrement) return static_cast<std::uint32_t>(running);
    return start.get();
  };
  const std::uint32_t dst = address(dst_valid, c.dst, *cr.cdsa);
  const std::uint32_t src = address(src_valid, c.src, *cr.cssa);
  cr.cdsa->set(dst);
  cr.cssa->set(src);
  cr.cen->set(word1 & r::kCenMask);
  if (type == r::kDescType2) {
    cr.cfn->set(w[i] & r::kCfnMask);
    cr.cicr->set((w[i] >> 16) & r::kCicrWritable);
    cr.cdei->set(w[i + 1] & r::kElementIndexMask);
    cr.csei->set(w[i + 1] >> 16);
    cr.cdfi->set(w[i + 2]);
    cr.csfi->set(w[i + 3]);
  } else {  // type 3 has no CICR: its BLOCK_IE bit switches the end-of-block interrupt
    const std::uint32_t cicr = cr.cicr->get() & ~r::kIrqBlock;
    cr.cicr->set(cicr | ((word1 & r::kDescBlockIe) != 0 ? r::kIrqBlock : 0u));
  }
  // The descriptor says what follows it: CNDP and CDP's type / address-valid fields.
  cr.cndp->set(w[0] & r::kCndpWritable);
  const std::uint32_t keep = r::kCdpTmodeMask | r::kCdpFast | r::kCdpPause;
  cr.cdp->set((cr.cdp->get() & keep) |
              r::cdp(0, word1 >> r::kDescNtypeShift, (word1 >> r::kDescNextSvShift) & 0x3u,
                     (word1 >> r::kDescNextDvShift) & 0x3u, false));
  cr.ccdn->set((cr.ccdn->get() + 1) & r::kCcdnMask);
  if (load_programming(ch)) c.fetch_pending = false;
}

OmapSdma::ChannelStats OmapSdma::total_stats() const {
  ChannelStats t;
  for (const ChannelStats& s : stats_) {
    t.units += s.units;
    t.frames += s.frames;
    t.bytes += s.bytes;
    t.transactions += s.transactions;
    t.errors += s.errors;
    t.descriptors += s.descriptors;
    t.busy += s.busy;
  }
  return t;
}

}  // namespace aesvp
