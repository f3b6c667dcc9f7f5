// The kernel-services layer: one Kernel per Platform. It knows which simulated execution
// context (ExecContext of the CPU model) the running SystemC process is, creates kernel and
// user threads, owns the generic IRQ layer (over the SoC's IrqChip: GIC or OMAP INTC),
// knows the SoC only through its device description (DeviceTree),
// softirq and tasklets, MMIO accessors with bus-fault reporting and the DRAM allocator.
// Every software step runs in its proper context and charges its cost (KernelParams) there.
// See docs/kernel-services.md.
#pragma once

#include "driver/kernel/irq_chip.h"
#include "driver/kernel/kernel_params.h"
#include "driver/kernel/memory.h"
#include "models/core/device_tree.h"
#include "models/core/sim_time.h"
#include "models/cpu/cpu.h"

#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace aesvp::kernel {

// Linux errno values used by this layer (negative on return, as in the kernel).
inline constexpr int kEINVAL = 22, kENOMEM = 12, kEBUSY = 16, kEIO = 5, kETIMEDOUT = 110,
                     kENODEV = 19;

// irqreturn_t
enum class IrqReturn { None, Handled };
// An IRQ handler: called in the hard-IRQ context of the core that took the interrupt.
using IrqHandler = std::function<IrqReturn(unsigned irq)>;

class Kernel;

// struct tasklet_struct: deferred work run in softirq context on the core that scheduled it;
// scheduled twice before it runs, it runs once; never runs concurrently with itself.
class Tasklet {
 public:
  Tasklet(Kernel& k, std::string name, std::function<void()> fn);
  ~Tasklet();  // unlinks a still-scheduled tasklet (it does not run)
  Tasklet(const Tasklet&) = delete;
  Tasklet& operator=(const Tasklet&) = delete;

  void schedule();  // tasklet_schedule (cost charged to the caller)
  const std::string& name() const { return name_; }
  bool scheduled() const { return sched_; }   // TASKLET_STATE_SCHED
  bool running() const { return running_; }   // TASKLET_STATE_RUN
  unsigned long runs() const { return runs_; }
  unsigned long schedules() const { return schedules_; }  // tasklet_schedule calls

 private:
  friend class Kernel;
  Kernel& k_;
  std::string name_;
  std::function<void()> fn_;
  bool sched_ = false;
  bool running_ = false;
  sc_core::sc_time queued_at_{sc_core::SC_ZERO_TIME};  // caller's time at scheduling
  unsigned long runs_ = 0, schedules_ = 0;
  sc_core::sc_event done_;
  unsigned waiters_ = 0;  // processes waiting on done_ (it is notified only for them)
};

class Kernel {
 public:
  // `dt`: the SoC's device description (addresses, interrupt numbers, DMA request lines,
  // instances), built by the platform; the kernel keeps a copy.
  Kernel(Cpu& cpu, const DeviceTree& dt, const KernelParams& params = {});
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;
  ~Kernel();

  const DeviceTree& device_tree() const { return dt_; }
  Cpu& cpu() { return cpu_; }
  const KernelParams& params() const { return params_; }

  // --- contexts -------------------------------------------------------------------------
  // The context of the running SystemC process: a thread made by spawn_thread, a softirq
  // thread, or a core's hard-IRQ context while it runs an IRQ. Null for other processes
  // (a testbench process acting in zero time).
  ExecContext* current() const {
    // Inline for the common case: the same process as the last call (~100 calls a request).
    const sc_core::sc_object* proc = sim_process();
    if (proc == last_proc_ && proc != nullptr) return last_ctx_;
    return look_up_current(proc);
  }
  // A new software thread (kthread or user thread) of class `cls` pinned to `core`, running
  // `fn` as a SystemC thread; it starts at the current simulated time (at time zero when
  // called during elaboration).
  ExecContext& spawn_thread(const std::string& name, ContextClass cls, unsigned core,
                            std::function<void()> fn);
  // Charges `cycles` CPU cycles to the current context (nothing without one).
  void charge_cycles(double cycles);
  // The time as the current context sees it (simulated time + its local time).
  sc_core::sc_time now() const;
  // Makes `e` fire at the current context's time (its local time as the delay).
  void notify_at_current(sc_core::sc_event& e) const;
  // Wakes (`e`) a kernel thread or softirq context pinned to `core`: at the current
  // context's time, or - from a softirq or hard IRQ of that core, which must give the core
  // up before the woken context can run (wake_up_process / raise_softirq from interrupt
  // context) - when that context leaves it (ExecContext::notify_on_leave).
  void wake_on_core(sc_core::sc_event& e, unsigned core) const;
  // Blocks the calling context (synchronised first) until pred() holds, re-checking it at
  // each `e`; a process that is no kernel context waits plainly.
  void wait_event(const std::function<bool()>& pred, sc_core::sc_event& e);
  void sleep(const sc_core::sc_time& t);  // msleep-like: the calling context sleeps
  sc_core::sc_time cycles(double n) const { return cpu_.cycles(n); }

  // --- generic IRQ layer ------------------------------------------------------------------
  // The interrupt controller the device description names (driver/kernel/irq_chip.h).
  const IrqChip& irq_chip() const { return *chip_; }
  // Brings the controller up (GIC: gic_dist_init / gic_cpu_init, every SPI disabled, targeted
  // at core 0, priority 0xa0, priority mask 0xf0; INTC: soft reset, autoidle, protection).
  // Called by the first request_irq if not done before; MMIO from the current context.
  void irq_init();
  // request_irq: registers `handler` for interrupt `irq` (GIC interrupt ID, or INTC line)
  // and unmasks the line in the controller (GIC: priority 0xa0, target `core`, enable)
  // through MMIO. -EBUSY if taken, -EINVAL for a bad number.
  int request_irq(unsigned irq, IrqHandler handler, const std::string& name, unsigned core = 0);
  // Removes the handler and masks the line (the masking is MMIO: skipped when called
  // outside a kernel context, e.g. from a destructor after the simulation).
  void free_irq(unsigned irq);
  void disable_irq(unsigned irq);  // mask in the controller (MMIO)
  void enable_irq(unsigned irq);   // unmask in the controller (MMIO)
  unsigned long irq_count(unsigned irq) const;  // handled interrupts per ID (/proc/interrupts)
  // Entries that found nothing valid (GIC ID 1023, INTC spurious flag; Linux irq_err_count).
  unsigned long spurious_irqs() const { return spurious_; }
  unsigned long unhandled_irqs() const { return unhandled_; }  // no handler / IRQ_NONE

  // --- softirq / tasklets -------------------------------------------------------------------
  void tasklet_schedule(Tasklet& t);  // same as t.schedule()
  // tasklet_kill: waits (calling thread) until `t` is neither scheduled nor running.
  void tasklet_kill(Tasklet& t);
  ExecContext& softirq_context(unsigned core);  // ksoftirqd-like per-core SoftIrq context

  // --- MMIO --------------------------------------------------------------------------------
  // One 32-bit access from the current context (latency charged there). A response other
  // than TLM_OK counts a fault: readl then returns 0xffffffff. Drivers check mmio_faults()
  // (or take_mmio_fault()) after a sequence.
  std::uint32_t readl(std::uint64_t addr);
  void writel(std::uint32_t value, std::uint64_t addr);
  // writel to a register the device only stores until a later writel starts it (a key, an
  // IV, a length, a DMA channel's addresses and counts): the same access, cost and fault
  // accounting, but in fast mode the context does not synchronise first (MmioOrder::Decoupled,
  // docs/timing.md). A driver uses it only where its device has nothing running that reads
  // the register.
  void writel_config(std::uint32_t value, std::uint64_t addr);
  // writel from a hard-IRQ handler that acknowledges the interrupt it handles (a W1C of the
  // device's status bits for it): in fast mode not synchronised first either - the line it
  // lowers is looked at only by the hard-IRQ context, which nothing preempts, at its exit
  // synchronisation (docs/cpu-intc-model.md "Which writes synchronise").
  void writel_ack(std::uint32_t value, std::uint64_t addr);
  // readl_poll_timeout: polls until cond(value) holds; sleeps sleep_us between reads (0 =
  // busy poll); 0 on success, -ETIMEDOUT after timeout_us (last value in `value`).
  int readl_poll_timeout(std::uint64_t addr, std::uint32_t& value,
                         const std::function<bool(std::uint32_t)>& cond, double sleep_us,
                         double timeout_us);
  unsigned long mmio_faults() const { return mmio_faults_; }
  // Those at addresses in [base, base + size): one device's register window, so that a
  // driver does not take another device's bus error for its own.
  unsigned long mmio_faults_in(std::uint64_t base, std::uint64_t size) const;
  std::uint64_t last_fault_address() const { return last_fault_addr_; }
  // True if a fault happened since the last call (and clears the flag).
  bool take_mmio_fault();
  // The root IRQ handler's controller accesses, from the hard-IRQ context `ctx`: the bus
  // latency only (the entry path's cost is cpu.irq_entry_cycles); a fault counts as for
  // readl (entry_read then returns false).
  bool entry_read(ExecContext& ctx, std::uint64_t addr, std::uint32_t& value);
  // `order`: MmioOrder::Decoupled for the end of interrupt (as writel_ack).
  void entry_write(ExecContext& ctx, std::uint64_t addr, std::uint32_t value,
                   MmioOrder order = MmioOrder::Synchronised);

  // --- memory ------------------------------------------------------------------------------
  DramAllocator& allocator() { return alloc_; }
  // kmalloc / kfree: 0 is NULL. Alignment ARCH_KMALLOC_MINALIGN (64 bytes, a cache line).
  std::uint64_t kmalloc(std::size_t size);
  void kfree(std::uint64_t addr);
  // dma_alloc_coherent: page-aligned; the DMA address equals the CPU address (no IOMMU).
  std::uint64_t dma_alloc_coherent(std::size_t size, std::uint64_t* dma_handle);
  void dma_free_coherent(std::uint64_t addr);
  static constexpr std::size_t kKmallocMinAlign = 64;
  static constexpr std::size_t kPageSize = 4096;

 private:
  friend class Tasklet;
  struct IrqDesc {
    IrqHandler handler;
    std::string name;
    unsigned core = 0;
    unsigned long count = 0;
    unsigned long unhandled = 0;
    bool disabled = false;  // masked by disable_irq / nobody cared
  };
  struct SoftirqCpu {
    ExecContext* ctx = nullptr;
    std::deque<Tasklet*> pending;
    sc_core::sc_event raise;
  };

  void handle_irq(ExecContext& ctx, unsigned core);  // Cpu::set_irq_handler
  void tasklet_unlink(Tasklet& t);
  void softirq_thread(unsigned core);
  void register_current(ExecContext& ctx);
  ExecContext& mmio_context() {  // inline: every readl/writel asks
    if (ExecContext* c = current()) return *c;
    return untracked_mmio_context();
  }
  ExecContext& untracked_mmio_context();  // MMIO from a process that is no kernel context
  void charge_mmio_path(ExecContext& ctx) const {  // KernelParams::mmio_path_ns
    if (mmio_path_ != sc_core::SC_ZERO_TIME) ctx.charge(mmio_path_);
  }
  void write(std::uint32_t value, std::uint64_t addr, MmioOrder order);
  void count_fault(std::uint64_t addr);

  Cpu& cpu_;
  const DeviceTree dt_;
  KernelParams params_;
  sc_core::sc_time mmio_path_;  // params_.mmio_path_ns, charged per readl/writel
  std::unordered_map<const sc_core::sc_object*, ExecContext*> proc_ctx_;
  void set_process_context(const sc_core::sc_object* proc, ExecContext* ctx);  // null: erase
  // current() asks for the same process many times in a row: the last answer, dropped
  // whenever proc_ctx_ changes.
  mutable const sc_core::sc_object* last_proc_ = nullptr;
  mutable ExecContext* last_ctx_ = nullptr;
  ExecContext* look_up_current(const sc_core::sc_object* proc) const;  // and remember it
  std::unique_ptr<IrqChip> chip_;
  std::map<unsigned, IrqDesc> irqs_;
  bool irq_ready_ = false;
  unsigned long spurious_ = 0, unhandled_ = 0;
  std::vector<std::unique_ptr<SoftirqCpu>> softirq_;
  unsigned long mmio_faults_ = 0;
  std::map<std::uint64_t, unsigned long> faults_at_;  // per faulting address (a few registers)
  bool fault_flag_ = false;
  std::uint64_t last_fault_addr_ = 0;
  ExecContext* fallback_ = nullptr;
  DramAllocator alloc_;
  std::unordered_map<std::uint64_t, bool> coherent_;
};

}  // namespace aesvp::kernel
