#include "driver/kernel/kernel.h"

#include "models/core/sim_time.h"
#include "models/core/report.h"

#include <iterator>
#include <sstream>

namespace aesvp::kernel {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {
constexpr const char* kReportKernel = "aesvp/kernel";

std::string process_name(const std::string& name, unsigned id) {
  std::string s = "kthread_" + std::to_string(id) + "_";
  for (char ch : name) s += (ch == '.' || ch == ' ' || ch == '/') ? '_' : ch;
  return s;
}

// Where the calling software is in simulated time, and the delay of a notification made at
// that time (no context: a model's process, which runs at the kernel's time).
sc_time time_in(const ExecContext* c) { return c ? c->current_time() : sim_now(); }
sc_time notify_delay_in(ExecContext* c) { return c ? c->notify_delay() : SC_ZERO_TIME; }
}  // namespace

// --- Tasklet ------------------------------------------------------------------------------

Tasklet::Tasklet(Kernel& k, std::string name, std::function<void()> fn)
    : k_(k), name_(std::move(name)), fn_(std::move(fn)) {}

Tasklet::~Tasklet() { k_.tasklet_unlink(*this); }

void Tasklet::schedule() { k_.tasklet_schedule(*this); }

// --- Kernel: construction -------------------------------------------------------------------

Kernel::Kernel(Cpu& cpu, const DeviceTree& dt, const KernelParams& params)
    : cpu_(cpu),
      dt_(dt),
      params_(params),
      mmio_path_(params.mmio_path_ns > 0 ? sc_time(params.mmio_path_ns, sc_core::SC_NS)
                                         : SC_ZERO_TIME),
      chip_(make_irq_chip(dt.intc, cpu.cores())),
      alloc_(dt.dram_base, dt.dram_size) {
  cpu_.set_irq_handler([this](ExecContext& c, unsigned core) { handle_irq(c, core); });
  for (unsigned core = 0; core < cpu_.cores(); ++core) {
    auto s = std::make_unique<SoftirqCpu>();
    s->ctx = &cpu_.create_context("core" + std::to_string(core) + ".softirq",
                                    ContextClass::SoftIrq, core);
    softirq_.push_back(std::move(s));
    sc_core::sc_process_handle h = sc_core::sc_spawn(
        [this, core] { softirq_thread(core); },
        ("ksoftirqd_" + std::to_string(core)).c_str());
    set_process_context(h.get_process_object(), softirq_.back()->ctx);
  }
}

Kernel::~Kernel() { cpu_.set_irq_handler(nullptr); }

// --- contexts -------------------------------------------------------------------------------

ExecContext* Kernel::look_up_current(const sc_core::sc_object* proc) const {
  if (proc == nullptr) return nullptr;
  auto it = proc_ctx_.find(proc);
  last_proc_ = proc;
  last_ctx_ = it == proc_ctx_.end() ? nullptr : it->second;
  return last_ctx_;
}

void Kernel::set_process_context(const sc_core::sc_object* proc, ExecContext* ctx) {
  if (ctx != nullptr) proc_ctx_[proc] = ctx;
  else proc_ctx_.erase(proc);
  last_proc_ = nullptr;
}

void Kernel::register_current(ExecContext& ctx) {
  sc_core::sc_process_handle h = sc_core::sc_get_current_process_handle();
  if (h.valid()) set_process_context(h.get_process_object(), &ctx);
}

ExecContext& Kernel::spawn_thread(const std::string& name, ContextClass cls, unsigned core,
                                  std::function<void()> fn) {
  ExecContext& ctx = cpu_.create_context(name, cls, core);
  sc_core::sc_process_handle h = sc_core::sc_spawn(
      [this, fn = std::move(fn)] {
        fn();
        // The process object may be reused once the thread ends.
        sc_core::sc_process_handle me = sc_core::sc_get_current_process_handle();
        set_process_context(me.get_process_object(), nullptr);
      },
      process_name(name, ctx.id()).c_str());
  set_process_context(h.get_process_object(), &ctx);
  return ctx;
}

void Kernel::charge_cycles(double n) {
  if (ExecContext* c = current()) c->charge_cycles(n);
}

sc_time Kernel::now() const { return time_in(current()); }

void Kernel::notify_at_current(sc_core::sc_event& e) const { e.notify(notify_delay_in(current())); }

void Kernel::wake_on_core(sc_core::sc_event& e, unsigned core) const {
  ExecContext* c = current();
  if (c != nullptr && !is_thread(c->context_class()) && c->core() == core) c->notify_on_leave(e);
  else e.notify(notify_delay_in(c));
}

void Kernel::wait_event(const std::function<bool()>& pred, sc_core::sc_event& e) {
  if (ExecContext* c = current()) {
    c->wait_until(pred, e);
  } else {
    while (!pred()) sc_core::wait(e);
  }
}

void Kernel::sleep(const sc_time& t) {
  if (ExecContext* c = current()) c->sleep(t);
  else sc_core::wait(t);
}

ExecContext& Kernel::softirq_context(unsigned core) { return *softirq_.at(core)->ctx; }

// --- MMIO -----------------------------------------------------------------------------------

ExecContext& Kernel::untracked_mmio_context() {
  SC_REPORT_ERROR(kReportKernel, "MMIO from a SystemC process that is no kernel context");
  // Reached only when errors do not throw: account the access to a context of its own.
  if (fallback_ == nullptr)
    fallback_ = &cpu_.create_context("kernel.untracked", ContextClass::Thread, 0);
  return *fallback_;
}

std::uint32_t Kernel::readl(std::uint64_t addr) {
  std::uint32_t v = 0;
  ExecContext& ctx = mmio_context();
  charge_mmio_path(ctx);
  if (ctx.read32(addr, v) != tlm::TLM_OK_RESPONSE) {
    count_fault(addr);
    return 0xffffffffu;
  }
  return v;
}

void Kernel::writel(std::uint32_t value, std::uint64_t addr) {
  write(value, addr, MmioOrder::Synchronised);
}

void Kernel::writel_config(std::uint32_t value, std::uint64_t addr) {
  write(value, addr, MmioOrder::Decoupled);
}

void Kernel::writel_ack(std::uint32_t value, std::uint64_t addr) {
  write(value, addr, MmioOrder::Decoupled);
}

void Kernel::write(std::uint32_t value, std::uint64_t addr, MmioOrder order) {
  ExecContext& ctx = mmio_context();
  charge_mmio_path(ctx);
  if (ctx.write32(addr, value, order) != tlm::TLM_OK_RESPONSE) count_fault(addr);
}

void Kernel::count_fault(std::uint64_t addr) {
  ++mmio_faults_;
  ++faults_at_[addr];
  fault_flag_ = true;
  last_fault_addr_ = addr;
}

unsigned long Kernel::mmio_faults_in(std::uint64_t base, std::uint64_t size) const {
  unsigned long n = 0;
  for (auto it = faults_at_.lower_bound(base); it != faults_at_.end() && it->first - base < size; ++it)
    n += it->second;
  return n;
}

bool Kernel::entry_read(ExecContext& ctx, std::uint64_t addr, std::uint32_t& value) {
  if (ctx.read32(addr, value) == tlm::TLM_OK_RESPONSE) return true;
  count_fault(addr);
  return false;
}

void Kernel::entry_write(ExecContext& ctx, std::uint64_t addr, std::uint32_t value,
                         MmioOrder order) {
  if (ctx.write32(addr, value, order) != tlm::TLM_OK_RESPONSE) count_fault(addr);
}

bool Kernel::take_mmio_fault() {
  const bool f = fault_flag_;
  fault_flag_ = false;
  return f;
}

int Kernel::readl_poll_timeout(std::uint64_t addr, std::uint32_t& value,
                               const std::function<bool(std::uint32_t)>& cond, double sleep_us,
                               double timeout_us) {
  const sc_time deadline = now() + sc_time(timeout_us, sc_core::SC_US);
  for (;;) {
    value = readl(addr);
    if (cond(value)) return 0;
    if (timeout_us > 0 && now() > deadline) {
      value = readl(addr);
      return cond(value) ? 0 : -kETIMEDOUT;
    }
    if (sleep_us > 0) sleep(sc_time(sleep_us, sc_core::SC_US));
  }
}

// --- generic IRQ layer ----------------------------------------------------------------------

void Kernel::irq_init() {
  if (irq_ready_) return;
  irq_ready_ = true;
  chip_->init(*this);
}

int Kernel::request_irq(unsigned irq, IrqHandler handler, const std::string& name,
                        unsigned core) {
  if (!chip_->valid(irq) || !handler || core >= cpu_.cores()) return -kEINVAL;
  if (irqs_.count(irq) != 0) return -kEBUSY;
  irq_init();
  IrqDesc& d = irqs_[irq];
  d.handler = std::move(handler);
  d.name = name;
  d.core = core;
  chip_->startup(*this, irq, core);
  return 0;
}

void Kernel::free_irq(unsigned irq) {
  if (irqs_.erase(irq) != 0 && current() != nullptr) chip_->mask(*this, irq);
}

void Kernel::disable_irq(unsigned irq) {
  auto it = irqs_.find(irq);
  if (it != irqs_.end()) it->second.disabled = true;
  chip_->mask(*this, irq);
}

void Kernel::enable_irq(unsigned irq) {
  auto it = irqs_.find(irq);
  if (it != irqs_.end()) it->second.disabled = false;
  chip_->unmask(*this, irq);
}

unsigned long Kernel::irq_count(unsigned irq) const {
  auto it = irqs_.find(irq);
  return it == irqs_.end() ? 0 : it->second.count;
}

void Kernel::handle_irq(ExecContext& ctx, unsigned core) {
  register_current(ctx);
  // The root handler: fetch, flow step, device handler, flow step; as long as the
  // controller has interrupts for this entry.
  for (bool first = true;; first = false) {
    unsigned id = 0;
    const IrqFetch f = chip_->fetch(*this, ctx, core, first, id);
    if (f == IrqFetch::Spurious) ++spurious_;
    if (f != IrqFetch::Irq) break;
    ctx.charge_cycles(params_.irq_dispatch_cycles);
    chip_->before_handler(*this, ctx, core, id);
    IrqReturn r = IrqReturn::None;
    auto it = irqs_.find(id);
    if (it != irqs_.end()) {
      r = it->second.handler(id);
      if (r == IrqReturn::Handled) {
        ++it->second.count;
        it->second.unhandled = 0;
      }
    }
    bool disabled = it != irqs_.end() && it->second.disabled;
    if (r == IrqReturn::None) {
      ++unhandled_;
      // No handler: mask the line (a level line would otherwise come back for ever).
      // A handler answering IRQ_NONE 1000 times in a row: "nobody cared", masked too.
      const bool mask = it == irqs_.end() || ++it->second.unhandled >= 1000;
      if (mask) {
        std::ostringstream msg;
        msg << "irq " << id << ": nobody cared, disabling it";
        SC_REPORT_WARNING(kReportKernel, msg.str().c_str());
        disable_irq(id);
        disabled = true;
      }
    }
    chip_->after_handler(*this, ctx, core, id, disabled);
  }
}

// --- softirq / tasklets ---------------------------------------------------------------------

void Kernel::tasklet_schedule(Tasklet& t) {
  // One context lookup for the charge, the time and the notification.
  ExecContext* c = current();
  if (c != nullptr) c->charge_cycles(params_.tasklet_schedule_cycles);
  ++t.schedules_;
  if (t.sched_) return;
  t.sched_ = true;
  t.queued_at_ = time_in(c);
  SoftirqCpu& s = *softirq_.at(c ? c->core() : 0);
  s.pending.push_back(&t);
  // From that core's own softirq (a tasklet scheduling another) nothing: the running loop
  // takes it before it waits again (__do_softirq re-reads the pending mask). From a hard IRQ
  // handler the softirq starts when the IRQ has been left (irq_exit -> invoke_softirq), not
  // while the handler still holds the core.
  if (c != s.ctx) wake_on_core(s.raise, s.ctx->core());
}

void Kernel::tasklet_unlink(Tasklet& t) {
  for (auto& s : softirq_) {
    for (auto it = s->pending.begin(); it != s->pending.end();) {
      it = *it == &t ? s->pending.erase(it) : std::next(it);
    }
  }
  t.sched_ = false;
}

void Kernel::tasklet_kill(Tasklet& t) {
  ++t.waiters_;
  wait_event([&t] { return !t.sched_ && !t.running_; }, t.done_);
  --t.waiters_;
}

void Kernel::softirq_thread(unsigned core) {
  SoftirqCpu& s = *softirq_[core];
  ExecContext& ctx = *s.ctx;
  auto catch_up = [&ctx](const sc_time& at) {
    // A tasklet scheduled by a context running ahead (fast mode) runs at its time.
    if (ctx.current_time() < at) ctx.sleep(at - ctx.current_time());
  };
  for (;;) {
    ctx.wait_until([&s] { return !s.pending.empty(); }, s.raise);
    catch_up(s.pending.front()->queued_at_);
    ctx.charge_cycles(params_.softirq_entry_cycles);
    while (!s.pending.empty()) {
      Tasklet* t = s.pending.front();
      catch_up(t->queued_at_);
      s.pending.pop_front();
      // Never concurrently with itself (running on another core): wait for that run.
      if (t->running_) {
        ++t->waiters_;
        ctx.wait_until([t] { return !t->running_; }, t->done_);
        --t->waiters_;
      }
      t->sched_ = false;
      t->running_ = true;
      ctx.charge_cycles(params_.tasklet_dispatch_cycles);
      t->fn_();
      ++t->runs_;
      t->running_ = false;
      if (t->waiters_ > 0) t->done_.notify(SC_ZERO_TIME);
    }
  }
}

// --- memory ----------------------------------------------------------------------------------

std::uint64_t Kernel::kmalloc(std::size_t size) {
  charge_cycles(params_.kmalloc_cycles);
  return alloc_.alloc(size, kKmallocMinAlign);
}

void Kernel::kfree(std::uint64_t addr) {
  if (addr == 0) return;
  charge_cycles(params_.kfree_cycles);
  alloc_.free(addr);
}

std::uint64_t Kernel::dma_alloc_coherent(std::size_t size, std::uint64_t* dma_handle) {
  charge_cycles(params_.dma_alloc_coherent_cycles);
  const std::size_t rounded = (size + kPageSize - 1) & ~(kPageSize - 1);
  const std::uint64_t a = alloc_.alloc(rounded, kPageSize);
  if (a != 0) coherent_[a] = true;
  if (dma_handle != nullptr) *dma_handle = a;
  return a;
}

void Kernel::dma_free_coherent(std::uint64_t addr) {
  if (addr == 0) return;
  charge_cycles(params_.dma_alloc_coherent_cycles);
  coherent_.erase(addr);
  alloc_.free(addr);
}

}  // namespace aesvp::kernel
