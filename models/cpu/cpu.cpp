#include "models/cpu/cpu.h"

#include "models/core/sim_time.h"
#include "models/core/observe.h"

#include "models/core/report.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace aesvp {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

const char* to_string(ContextClass c) {
  switch (c) {
    case ContextClass::HardIrq: return "hardirq";
    case ContextClass::SoftIrq: return "softirq";
    case ContextClass::RtThread: return "rt-thread";
    case ContextClass::Thread: return "thread";
  }
  return "?";
}

// --- ExecContext --------------------------------------------------------------------------

void ExecContext::charge(const sc_time& t) {
  if (t == SC_ZERO_TIME) return;
  if (cpu_.mode_ == TimingMode::Accurate) {
    charge_now(t);
    return;
  }
  // A thread that starts running ahead after the core ran another thread pays the switch
  // first, as in accurate mode, where it gets the core before its first step: its acts in
  // this stretch (notifications, decoupled writes) happen after the switch.
  if (offset_ == SC_ZERO_TIME) offset_ = cpu_.switch_in(cpu_.cores_[core_], *this);
  offset_ += t;
  if (offset_ - synced_ >= cpu_.global_quantum_) sync();
}

void ExecContext::charge_cycles(double cycles) { charge(cpu_.clock_.cycles(cycles)); }

// Out of line: inlined into charge(), it made fast mode's charges ~8 instructions dearer.
__attribute__((noinline)) void ExecContext::charge_now(const sc_time& t) {
  sync();  // a stall left by decoupled writes comes first (access)
  cpu_.run(*this, t);
}

void ExecContext::sync() {
  if (offset_ == SC_ZERO_TIME) return;
  const sc_time t = offset_;
  offset_ = synced_ = SC_ZERO_TIME;
  cpu_.run(*this, t);
}

void ExecContext::sync_shared() {
  if (cpu_.mode_ == TimingMode::Fast && offset_ != SC_ZERO_TIME &&
      cpu_.nothing_due_before(*this, offset_)) {
    synced_ = offset_;
    return;
  }
  sync();
}

void ExecContext::leave() {
  if (offset_ != SC_ZERO_TIME) {
    if (cpu_.mode_ == TimingMode::Fast && cpu_.detach(*this, offset_)) offset_ = synced_ = SC_ZERO_TIME;
    else sync();
  }
  // Wake-ups held back until this context gives the core up (notify_on_leave): at the end
  // of its (possibly detached) run.
  if (!on_leave_.empty()) {
    const sc_time left = detached_ ? cpu_.detached_left(core_) : SC_ZERO_TIME;
    for (sc_core::sc_event* e : on_leave_) e->notify(left);
    on_leave_.clear();
  }
}

void ExecContext::notify_on_leave(sc_core::sc_event& e) { on_leave_.push_back(&e); }

bool ExecContext::rejoin() {
  if (!detached_) return false;
  Cpu::Core& k = cpu_.cores_[core_];
  for (bool waited = false;; waited = true) {
    cpu_.settle(k);
    if (!detached_) return waited;
    // Woken before its run is over: the thread goes on only after it (a resumed run
    // notifies wake_).
    if (running_) sc_core::wait(run_end_ - sim_now(), wake_);
    else sc_core::wait(wake_);
  }
}

tlm::tlm_response_status ExecContext::access(tlm::tlm_command cmd, std::uint64_t addr,
                                             void* data, unsigned len, MmioOrder order) {
  if (cpu_.mode_ == TimingMode::Accurate) return access_accurate(cmd, addr, data, len, order);
  // Fast mode: a write can start or stop hardware, so it happens at simulated time, after
  // any interrupt that arrived while this context ran ahead (the synchronisation is
  // preemptible), as in accurate mode; without it fast mode was ~2.5 % optimistic
  // (docs/timing.md). Reads stay decoupled, served at the annotated time: synchronising
  // them too changed no simulated time in the agreement runs and cost ~15 % host time.
  // A write the device only stores (MmioOrder::Decoupled) is served like a read: nothing
  // sees it before the synchronised write that starts the device - but an interrupt
  // already pending is taken first, so that its handler never sees the new value early.
  if (cmd == tlm::TLM_WRITE_COMMAND) {
    Cpu::Core& k = cpu_.cores_[core_];
    if (decouples(order)) {
      ++k.decoupled_writes;
    } else {
      ++k.synced_writes;
      // When the wait could change nothing, the device takes the write at its annotated
      // time instead (models/core/ahead_write.h); the quantum then counts from here.
      if (len == 4 && cpu_.may_write_ahead(addr) && cpu_.nothing_due_before(*this, offset_) &&
          cpu_.takes_ahead_write(addr, data)) {
        ++k.ahead_writes;
        synced_ = offset_;
      } else {
        sync();
      }
    }
  }
  sc_time delay = offset_;
  const tlm::tlm_response_status status = transport(cmd, addr, data, len, delay);
  // The core stalls on the access: its latency is charged to this context.
  charge(delay - offset_);
  return status;
}

tlm::tlm_response_status ExecContext::access_accurate(tlm::tlm_command cmd, std::uint64_t addr,
                                                      void* data, unsigned len,
                                                      MmioOrder order) {
  // A read and a write that starts hardware happen at simulated time, as every other act
  // of the context (charge, block, notification). A decoupled write is issued at
  // current_time() as in fast mode, and its stall joins the local time, spent at the
  // context's next act: nothing sees the stored value before that act, and an interrupt
  // arriving meanwhile preempts that wait at its own time, so simulated times are those of
  // one wait per write.
  const bool defer = cmd == tlm::TLM_WRITE_COMMAND && decouples(order);
  if (!defer) sync();
  sc_time delay = offset_;
  const tlm::tlm_response_status status = transport(cmd, addr, data, len, delay);
  if (defer) offset_ = delay;
  else charge(delay);  // offset_ is zero here
  return status;
}

bool ExecContext::decouples(MmioOrder order) const {
  // The core's own hard-IRQ context takes the pending interrupt only after the handler it
  // runs has returned (it is the context that takes them), so a pending interrupt - the one
  // it is servicing, whose line falls a delta after the acknowledge - is no reason for it to
  // synchronise.
  return order == MmioOrder::Decoupled &&
         (cpu_.cores_[core_].hardirq == this || !cpu_.irq_pending(core_));
}

tlm::tlm_response_status ExecContext::transport(tlm::tlm_command cmd, std::uint64_t addr,
                                                void* data, unsigned len, sc_time& delay) {
  tlm::tlm_generic_payload& t = trans_;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(static_cast<unsigned char*>(data));
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  cpu_.bus->b_transport(t, delay);
  return t.get_response_status();
}

tlm::tlm_response_status ExecContext::read32(std::uint64_t addr, std::uint32_t& v) {
  return access(tlm::TLM_READ_COMMAND, addr, &v, 4);
}

tlm::tlm_response_status ExecContext::write32(std::uint64_t addr, std::uint32_t v,
                                              MmioOrder order) {
  return access(tlm::TLM_WRITE_COMMAND, addr, &v, 4, order);
}

void ExecContext::wait(const sc_core::sc_event& e) {
  leave();
  sc_core::wait(e);
  rejoin();
}

void ExecContext::wait_until(const std::function<bool()>& pred, const sc_core::sc_event& e) {
  leave();
  while (!pred()) sc_core::wait(e);
  rejoin();
}

void ExecContext::sleep(const sc_time& t) {
  sync();
  leave();  // (nothing left to consume: only the held-back wake-ups)
  sc_core::wait(t);
}

bool ExecContext::read_memory(std::uint64_t addr, void* dst, std::size_t len) {
  return cpu_.copy(false, addr, static_cast<unsigned char*>(dst), len);
}

bool ExecContext::write_memory(std::uint64_t addr, const void* src, std::size_t len) {
  // Debug transport and DMI take a non-const pointer; nothing is written through it.
  return cpu_.copy(true, addr, static_cast<unsigned char*>(const_cast<void*>(src)), len);
}

sc_time ExecContext::busy_time() const { return busy_ + cpu_.in_progress(*this); }

// --- Cpu: construction ----------------------------------------------------------------------

Cpu::Cpu(sc_core::sc_module_name name, const CpuParams& params, TimingMode mode)
    : sc_core::sc_module(name),
      bus("bus"),
      irq("irq", params.cores),
      params_(params),
      mode_(mode),
      clock_(params.clock_mhz),
      quantum_(params.quantum_ns, sc_core::SC_NS),
      global_quantum_(tlm::tlm_global_quantum::instance().get()),
      cores_(params.cores) {
  if (params.cores == 0 || !(params.clock_mhz > 0) || !(params.quantum_ns > 0)) {
    std::ostringstream msg;
    msg << this->name() << ": cpu.cores, cpu.clock_mhz and cpu.quantum_ns must be positive";
    SC_REPORT_ERROR(kReportConfig, msg.str().c_str());
  }
  // cpu.quantum_ns is the platform's one quantum: every decoupled initiator (the contexts
  // here, the DMA engines in fast mode) reads it from tlm_global_quantum.
  tlm::tlm_global_quantum::instance().set(quantum_);
  bus.register_invalidate_direct_mem_ptr(this, &Cpu::invalidate_direct_mem_ptr);
  query_trans_.set_command(tlm::TLM_IGNORE_COMMAND);
  query_trans_.set_data_ptr(query_data_);
  query_trans_.set_data_length(4);
  query_trans_.set_streaming_width(4);
  query_trans_.set_extension(&ahead_query_);
  for (unsigned k = 0; k < cores(); ++k) {
    cores_[k].hardirq =
        &create_context("core" + std::to_string(k) + ".hardirq", ContextClass::HardIrq, k);
    sc_core::sc_spawn_options opts;
    sc_core::sc_spawn(sc_bind(&Cpu::irq_thread, this, k),
                      ("irq_thread_" + std::to_string(k)).c_str(), &opts);
  }
  sc_core::sc_spawn_options settle_opts;
  settle_opts.spawn_method();
  settle_opts.dont_initialize();
  settle_opts.set_sensitivity(&settle_ev_);
  sc_core::sc_spawn(
      [this] {
        for (Core& k : cores_) settle(k);
        arm_settle();
      },
      "settle", &settle_opts);
}

Cpu::~Cpu() { query_trans_.clear_extension(&ahead_query_); }

void Cpu::before_end_of_elaboration() {
  for (auto& in : irq)
    if (in.bind_count() == 0) in.bind(tie_low_);
}

void Cpu::end_of_elaboration() {
  for (auto& in : irq) irq_level_.push_back(&in->read());
}

ExecContext& Cpu::create_context(std::string name, ContextClass cls, unsigned core) {
  if (core >= cores()) {
    std::ostringstream msg;
    msg << this->name() << ": context " << name << " pinned to core " << core << " of "
        << cores();
    SC_REPORT_ERROR(kReportConfig, msg.str().c_str());
    core = 0;
  }
  const unsigned id = static_cast<unsigned>(contexts_.size());
  contexts_.emplace_back(new ExecContext(*this, std::move(name), cls, core, id));
  return *contexts_.back();
}

ExecContext& Cpu::hardirq_context(unsigned core) { return *cores_.at(core).hardirq; }

// --- Cpu: scheduling ------------------------------------------------------------------------

void Cpu::schedule(Core& k, const ExecContext* caller) {
  if (k.ready.empty() && k.owner == nullptr) return;  // an idle core stays idle
  ExecContext* best = nullptr;
  for (ExecContext* c : k.ready) {
    if (best == nullptr || c->cls_ < best->cls_ || (c->cls_ == best->cls_ && c->seq_ < best->seq_))
      best = c;
  }
  if (best == k.owner) return;
  if (k.owner != nullptr) {
    // Only a strictly higher class takes the core from a context that still wants it.
    if (best == nullptr || best->cls_ >= k.owner->cls_) return;
    if (k.owner->running_) {
      if (k.owner->detached_) stop_detached(k, *k.owner);
      else {
        k.owner->preempt_.notify(SC_ZERO_TIME);
        k.owner->preempt_notified_ = true;
      }
      ++k.owner->preemptions_;
      ++k.preemptions;
    }
  }
  k.owner = best;
  if (best != nullptr && best->detached_) {
    start_detached(k, *best);  // resumed without its thread
    // Nobody ends a detached run at its time: its thread back from its block (rejoin) and
    // the ones waiting for the core wait for run_end_ themselves, once woken to learn it.
    for (ExecContext* r : k.ready) r->wake_.notify(SC_ZERO_TIME);
    return;
  }
  // The calling context sees that it owns the core without being woken.
  if (best != nullptr && best != caller) best->wake_.notify(SC_ZERO_TIME);
}

bool Cpu::nothing_due_before(ExecContext& c, const sc_time& t) {
  // The synchronisation would be a wait of `t` on a free core with nothing else happening
  // in the simulation meanwhile (strictly before its end: at the same time SystemC's order
  // would decide), so no interrupt and no other context could come first. Observers would
  // see the run split at the write: not with them.
  Core& k = cores_[c.core_];
  settle(k);  // a detached run over by now gives the core back
  if (!free_for(k, c)) return false;
  if (is_thread(c.cls_) && k.last_thread != &c) return false;  // it would pay a switch
  if (run_observer_ || !class_observers_.empty()) return false;
  return sc_core::sc_time_to_pending_activity() > t;
}

bool Cpu::may_write_ahead(std::uint64_t addr) const {
  return std::find(never_ahead_.begin(), never_ahead_.end(), addr) == never_ahead_.end();
}

bool Cpu::takes_ahead_write(std::uint64_t addr, const void* data) {
  ahead_query_.taken = ahead_query_.declared = false;
  std::memcpy(&ahead_query_.word, data, 4);
  query_trans_.set_address(addr);
  query_trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_time delay = SC_ZERO_TIME;
  bus->b_transport(query_trans_, delay);
  const bool ok = query_trans_.is_response_ok();
  // A register that can never take one is not asked again (a handful per platform).
  if (!ok || !ahead_query_.declared) never_ahead_.push_back(addr);
  return ok && ahead_query_.taken;
}

bool Cpu::detach(ExecContext& c, const sc_time& t) {
  Core& k = cores_[c.core_];
  settle(k);
  if (!free_for(k, c)) return false;
  // A normal thread only when nothing can preempt the run: one that a real-time thread
  // preempts again and again would pay a context switch at each resume, and its detached
  // rest might never end.
  if (c.cls_ == ContextClass::Thread && !nothing_due_before(c, t)) return false;
  c.detached_ = true;
  c.left_ = t;
  c.seq_ = next_seq_++;
  k.ready.push_back(&c);
  k.owner = &c;
  // Nobody else is ready (free_for) and the caller knows its run: no one to wake.
  start_detached(k, c);
  return true;
}

void Cpu::start_detached(Core& k, ExecContext& c) {
  c.left_ += begin_run(k, c);
  c.run_end_ = c.run_start_ + c.left_;
  AESVP_OBSERVE(arm_settle());
}

sc_time Cpu::begin_run(Core& k, ExecContext& c) {
  const sc_time switch_cost = switch_in(k, c);
  c.running_ = true;
  c.run_start_ = sim_now();
  AESVP_OBSERVE(for (const ClassObserver& o : class_observers_) o(c.core_, c.cls_, true, c.run_start_));
  return switch_cost;
}

void Cpu::arm_settle() {
  // Observers see a detached run end at its time; without them it ends when the core is next
  // looked at (settle): behaviour does not depend on when. The earliest end of any core (a
  // preempted run ends later than first announced).
  if (!run_observer_ && class_observers_.empty()) return;
  const sc_time now = sim_now();
  bool any = false;
  sc_time first;
  for (const Core& k : cores_) {
    const ExecContext* c = k.owner;
    if (c == nullptr || !c->detached_ || !c->running_ || c->run_end_ < now) continue;
    if (!any || c->run_end_ < first) first = c->run_end_;
    any = true;
  }
  settle_ev_.cancel();
  if (any) settle_ev_.notify(first - now);
}

void Cpu::settle(Core& k) {
  ExecContext* c = k.owner;
  if (c == nullptr || !c->detached_ || !c->running_ || sim_now() < c->run_end_) return;
  count_run(k, *c, c->run_end_);
  c->left_ = SC_ZERO_TIME;
  c->detached_ = false;
  k.ready.erase(std::find(k.ready.begin(), k.ready.end(), c));
  k.owner = nullptr;
  schedule(k);
}

void Cpu::stop_detached(Core& k, ExecContext& c) {
  const sc_time now = sim_now();
  count_run(k, c, now);
  c.left_ = c.run_end_ - now;
}

void Cpu::count_run(Core& k, ExecContext& c, const sc_time& end) {
  const sc_time ran = end - c.run_start_;
  c.running_ = false;
  AESVP_OBSERVE(for (const ClassObserver& o : class_observers_) o(c.core_, c.cls_, false, end));
  c.busy_ += ran;
  k.busy[class_index(c.cls_)] += ran;
  AESVP_OBSERVE(if (run_observer_ && ran != SC_ZERO_TIME) run_observer_(c, c.run_start_, end));
}

sc_time Cpu::detached_left(unsigned core) const {
  const ExecContext* c = cores_[core].owner;
  if (c == nullptr || !c->detached_ || !c->running_ || sim_now() >= c->run_end_) return SC_ZERO_TIME;
  return c->run_end_ - sim_now();
}

void Cpu::run(ExecContext& c, sc_time t) {
  const sc_core::sc_curr_proc_kind kind = sim_process_kind();
  if (kind != sc_core::SC_THREAD_PROC_ && kind != sc_core::SC_CTHREAD_PROC_) {
    SC_REPORT_ERROR(kReportModel, (c.name_ + ": software time can only be charged from a "
                                             "SystemC thread").c_str());
    return;
  }
  if (c.in_charge_) {
    SC_REPORT_ERROR(kReportModel,
                    (c.name_ + ": charged from two SystemC threads at once").c_str());
    return;
  }
  Core& k = cores_[c.core_];
  c.rejoin();  // a detached run of its own comes first
  settle(k);
  c.in_charge_ = true;
  c.seq_ = next_seq_++;
  k.ready.push_back(&c);
  schedule(k, &c);
  sc_time remaining = t;
  while (remaining != SC_ZERO_TIME) {
    while (k.owner != &c) {
      // A detached run is ended by whoever looks at the core after its end: this thread.
      const sc_time left = detached_left(c.core_);
      if (left != SC_ZERO_TIME) sc_core::wait(left, c.wake_);
      else sc_core::wait(c.wake_);
      settle(k);
    }
    // A preemption notified while it waited for the core again is stale.
    if (c.preempt_notified_) {
      c.preempt_.cancel();
      c.preempt_notified_ = false;
    }
    remaining += begin_run(k, c);
    // Nothing preempts the highest class: a plain timed wait, no event to register with.
    if (c.cls_ == ContextClass::HardIrq) sc_core::wait(remaining);
    else sc_core::wait(remaining, c.preempt_);
    const sc_time ran = sim_now() - c.run_start_;
    count_run(k, c, sim_now());
    remaining = ran >= remaining ? SC_ZERO_TIME : remaining - ran;
  }
  k.ready.erase(std::find(k.ready.begin(), k.ready.end(), &c));
  if (k.owner == &c) k.owner = nullptr;
  c.in_charge_ = false;
  schedule(k);
}

sc_time Cpu::switch_in(Core& k, ExecContext& c) {
  if (!is_thread(c.cls_)) return SC_ZERO_TIME;
  ExecContext* last = k.last_thread;
  k.last_thread = &c;
  if (last == nullptr || last == &c) return SC_ZERO_TIME;
  ++c.switches_in_;
  ++k.switches;
  return cycles(params_.context_switch_cycles);
}

sc_time Cpu::in_progress(const ExecContext& c) const {
  if (!c.running_) return SC_ZERO_TIME;
  const sc_time now = sim_now();
  return (c.detached_ && c.run_end_ < now ? c.run_end_ : now) - c.run_start_;
}

// --- Cpu: interrupts ------------------------------------------------------------------------

void Cpu::irq_thread(unsigned core) {
  ExecContext& ctx = *cores_[core].hardirq;
  sc_core::sc_in<bool>& line = irq[core];
  for (;;) {
    // Rises only: after a detached exit the line may still fall (the controller settles the
    // handler's acknowledge a delta later), which is no reason to wake.
    while (!line.read()) sc_core::wait(line.posedge_event());
    // The last IRQ's exit may still be running (detached): after it, look at the line again.
    if (ctx.rejoin()) continue;
    ++cores_[core].irqs;
    ctx.charge_cycles(params_.irq_entry_cycles);
    if (irq_handler_) {
      irq_handler_(ctx, core);
    } else {
      std::ostringstream msg;
      msg << name() << ": IRQ on core " << core << " with no handler registered";
      SC_REPORT_WARNING(kReportModel, msg.str().c_str());
      ctx.charge_cycles(params_.irq_exit_cycles);
      ctx.sync();
      while (line.read()) sc_core::wait(line.value_changed_event());
      continue;
    }
    ctx.charge_cycles(params_.irq_exit_cycles);
    ctx.leave();  // the IRQ is left: wake-ups its handler held back go out (notify_on_leave)
    // Let the interrupt controller settle what the handler's accesses changed, if the line
    // still reads high. A low line needs no delta: a rise made in this delta is announced by
    // value_changed_event in the next one, when the delta wait would have read it too.
    if (line.read()) sc_core::wait(SC_ZERO_TIME);
  }
}

// --- Cpu: memory copies ---------------------------------------------------------------------

bool Cpu::copy(bool write, std::uint64_t addr, unsigned char* data, std::size_t len) {
  while (len > 0) {
    const tlm::tlm_dmi* hit = nullptr;
    for (const tlm::tlm_dmi& d : dmi_) {
      if (addr >= d.get_start_address() && addr <= d.get_end_address() &&
          (write ? d.is_write_allowed() : d.is_read_allowed())) {
        hit = &d;
        break;
      }
    }
    tlm::tlm_generic_payload& t = copy_trans_;
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    if (hit == nullptr) {
      tlm::tlm_dmi d;
      if (bus->get_direct_mem_ptr(t, d) && d.get_dmi_ptr() != nullptr &&
          addr >= d.get_start_address() && addr <= d.get_end_address() &&
          (write ? d.is_write_allowed() : d.is_read_allowed())) {
        dmi_.push_back(d);
        hit = &dmi_.back();
      }
    }
    std::size_t n;
    if (hit != nullptr) {
      n = static_cast<std::size_t>(
          std::min<std::uint64_t>(len, hit->get_end_address() - addr + 1));
      unsigned char* mem = hit->get_dmi_ptr() + (addr - hit->get_start_address());
      if (write) std::memcpy(mem, data, n);
      else std::memcpy(data, mem, n);
    } else {
      const unsigned chunk =
          static_cast<unsigned>(std::min<std::size_t>(len, std::size_t{1} << 30));
      t.set_data_ptr(data);
      t.set_data_length(chunk);
      t.set_streaming_width(chunk);
      n = bus->transport_dbg(t);
      if (n == 0) return false;
    }
    addr += n;
    data += n;
    len -= n;
  }
  return true;
}

void Cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
  dmi_.erase(std::remove_if(dmi_.begin(), dmi_.end(),
                            [&](const tlm::tlm_dmi& d) {
                              return d.get_start_address() <= end && start <= d.get_end_address();
                            }),
             dmi_.end());
}

// --- Cpu: accounting ------------------------------------------------------------------------

sc_time Cpu::busy_time(unsigned core, ContextClass cls) const {
  const Core& k = cores_.at(core);
  sc_time t = k.busy[class_index(cls)];
  // Running segments not yet ended (a preempted context ends its segment one delta after
  // losing the core, so look at every context in a charge, not only the owner).
  for (const ExecContext* c : k.ready)
    if (c->cls_ == cls) t += in_progress(*c);
  return t;
}

sc_time Cpu::busy_time(unsigned core) const {
  sc_time t = SC_ZERO_TIME;
  for (unsigned c = 0; c < kContextClasses; ++c) t += busy_time(core, ContextClass(c));
  return t;
}

sc_time Cpu::idle_time(unsigned core) const { return sim_now() - busy_time(core); }

CpuLoad Cpu::load() const {
  CpuLoad l;
  l.at = sim_now();
  l.busy.resize(cores());
  for (unsigned k = 0; k < cores(); ++k)
    for (unsigned c = 0; c < kContextClasses; ++c) l.busy[k][c] = busy_time(k, ContextClass(c));
  l.context_busy.reserve(contexts_.size());
  for (const auto& ctx : contexts_) l.context_busy.push_back(ctx->busy_time());
  return l;
}

CpuLoadReport Cpu::load_since_start() const {
  CpuLoad zero;
  zero.busy.resize(cores());
  return load_between(zero, load());
}

CpuLoadReport load_between(const CpuLoad& from, const CpuLoad& to) {
  CpuLoadReport r;
  r.cores = static_cast<unsigned>(to.busy.size());
  r.elapsed = to.at - from.at;
  const double elapsed = r.elapsed.to_seconds();
  r.per_core.assign(r.cores, 0.0);
  for (unsigned k = 0; k < r.cores; ++k) {
    sc_time core_busy = SC_ZERO_TIME;
    for (unsigned c = 0; c < kContextClasses; ++c) {
      const sc_time before = k < from.busy.size() ? from.busy[k][c] : SC_ZERO_TIME;
      const sc_time d = to.busy[k][c] - before;
      core_busy += d;
      r.class_busy[c] += d;
    }
    r.busy += core_busy;
    if (elapsed > 0) r.per_core[k] = core_busy.to_seconds() / elapsed;
  }
  if (elapsed > 0 && r.cores > 0) {
    const double capacity = elapsed * r.cores;
    r.total = r.busy.to_seconds() / capacity;
    for (unsigned c = 0; c < kContextClasses; ++c)
      r.per_class[c] = r.class_busy[c].to_seconds() / capacity;
  }
  r.context_busy.resize(to.context_busy.size());
  for (std::size_t i = 0; i < to.context_busy.size(); ++i) {
    const sc_time before = i < from.context_busy.size() ? from.context_busy[i] : SC_ZERO_TIME;
    r.context_busy[i] = to.context_busy[i] - before;
  }
  return r;
}

}  // namespace aesvp
