// The simulated CPU: N cores that run host-compiled software in execution contexts, and own
// software time. Software "runs" as SystemC threads; each thread drives one ExecContext and
// charges the cost of every step to it. A context holds its core only while it consumes
// charged time; contexts of a higher class preempt lower ones on the same core
// (hard IRQ > softirq/tasklet > real-time kthread > normal thread); contexts of the same
// class share the core first come, first served per charge. Busy time is accounted per core,
// per class and per context, exactly as charged, so that CPU load can be reported the way
// real measurements report it. Memory-mapped accesses go through the `bus` socket and stall
// the core for the returned latency. Each core takes hard IRQs from its `irq` input in a
// CPU-owned hard-IRQ context that calls the registered handler.
//
// Timing modes: accurate = every charge is a (preemptible) SystemC wait; fast = charges add
// to a per-context local time offset (temporal decoupling), consumed at the quantum, before
// blocking and on sync(). Details: docs/cpu-intc-model.md.
#pragma once

#include "models/core/ahead_write.h"
#include "models/core/sim_time.h"
#include "models/core/clock.h"
#include "models/core/level_signal.h"
#include "models/core/params.h"
#include "models/core/timing_mode.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aesvp {

#define AESVP_CPU_PARAMS(X)                                                                    \
  X(std::uint32_t, cores, 2, "cores",                                                          \
    "OMAP4430 TRM: MPU subsystem = dual-core ARM Cortex-A9 MPCore", "number of CPU cores", AESVP_RANGE(1, 8))     \
  X(double, clock_mhz, 1000.0, "MHz",                                                          \
    "PandaBoard (OMAP4430): Cortex-A9 cores at 1 GHz (OPP-Turbo 1008 MHz, rounded)",           \
    "CPU clock; software costs are given in cycles of it")                                     \
  X(double, quantum_ns, 10000.0, "ns",                                                         \
    "choice: fast mode gives the same figures at 1 to 20 us (docs/timing.md, \"The "          \
    "quantum\"; one am57x workload differs by 1.4 % at 2 us), since a context synchronises "   \
    "before every act another one can see; 10 us, "                                           \
    "about one crypto request's software cost, needs 13 thread wake-ups per 512-byte request " \
    "instead of 21 at 1 us (larger saves none)",                                               \
    "fast mode: local time a context may run ahead of simulated time before it synchronises") \
  X(std::uint32_t, irq_entry_cycles, 300, "cycles",                                            \
    "estimate: exception entry and vector (~20), __irq_svc register save (~40), "             \
    "irq_enter + handle_domain_irq + irq_desc lookup + flow handler (~240, partly cache "      \
    "misses) on a 1 GHz Cortex-A9; the GICC_IAR read and the GICC_EOIR write are separate MMIO", \
    "from taking the IRQ exception to calling the handler (charged to the hard-IRQ context)") \
  X(std::uint32_t, irq_exit_cycles, 150, "cycles",                                             \
    "estimate: irq_exit (softirq-pending check; the softirq itself runs in its own "           \
    "context), register restore and exception return on a Cortex-A9",                        \
    "from the handler's return to resuming the interrupted context")                           \
  X(std::uint32_t, context_switch_cycles, 2000, "cycles",                                      \
    "estimate: Linux __schedule + switch_to between two tasks on a 1 GHz Cortex-A9 "           \
    "(pick_next_task, register/VFP state, ASID switch without TLB flush, cache and TLB "       \
    "refill effects), ~2 us; lmbench lat_ctx on Cortex-A9 boards reports a few us",            \
    "cost of switching a core between two different thread contexts (charged to the "         \
    "incoming one when it gets the core)")

AESVP_PARAM_GROUP(CpuParams, "cpu", AESVP_CPU_PARAMS);

// Priority classes, highest first.
enum class ContextClass { HardIrq, SoftIrq, RtThread, Thread };
inline constexpr unsigned kContextClasses = 4;
const char* to_string(ContextClass c);
inline unsigned class_index(ContextClass c) { return static_cast<unsigned>(c); }
inline bool is_thread(ContextClass c) {
  return c == ContextClass::RtThread || c == ContextClass::Thread;
}

class Cpu;

// How an MMIO write is placed in simulated time (docs/cpu-intc-model.md, "Timing modes").
// In accurate mode both reach the target at the time a wait per access would give; a
// decoupled write's stall is only deferred to the context's next act (access_accurate).
enum class MmioOrder {
  // Synchronise first: the write may start, stop or signal hardware, so it must happen at
  // simulated time, after any interrupt taken while the context ran ahead.
  Synchronised,
  // A write the device only stores until a later synchronised write starts it (a key, an
  // IV, a length, a DMA channel's addresses): issued like a read, at current_time() as the
  // transport delay, without a synchronisation - unless an interrupt is pending on the
  // context's core, which then is taken first.
  Decoupled,
};

// One software execution context (a hard-IRQ or softirq context of a core, or a kernel or
// user thread pinned to a core). Exactly one SystemC thread calls its methods.
class ExecContext {
 public:
  ExecContext(const ExecContext&) = delete;
  ExecContext& operator=(const ExecContext&) = delete;

  const std::string& name() const { return name_; }
  ContextClass context_class() const { return cls_; }
  unsigned core() const { return core_; }
  unsigned id() const { return id_; }
  Cpu& cpu() const { return cpu_; }

  // --- software time ----------------------------------------------------------------------
  // Consumes CPU time on the context's core (see the class comment of Cpu).
  void charge(const sc_core::sc_time& t);
  void charge_cycles(double cycles);
  // Fast mode: time charged but not yet consumed (the quantum keeper's local time);
  // accurate mode: the stall of decoupled writes not yet spent (access), else zero.
  sc_core::sc_time local_time() const { return offset_; }
  // The context's notion of now: simulated time + local time.
  sc_core::sc_time current_time() const { return sim_now() + offset_; }
  // Consumes the local time now (preemptibly).
  void sync();
  // The same before a hand-off through a structure without time stamps (a work queue), which
  // another context must not see before the time it happens at - unless, in fast mode,
  // nothing else can act in the simulation before then (Cpu::nothing_due_before): then the
  // wait would change nothing, and the quantum counts from here as from a synchronisation.
  void sync_shared();
  // Before blocking: consumes the local time like sync(). In fast mode, on a core nobody
  // else wants, without waiting for it: the run goes on without the thread (detached; the
  // scheduler ends it, preempts and resumes it), which blocks at once. rejoin() after the
  // block returns waits for that run to be over if it is not (docs/cpu-intc-model.md).
  void leave();
  bool rejoin();  // true if it had to wait
  // For an interrupt context waking a thread of its own core, which cannot run before the
  // interrupt context gives the core up: `e` is notified then, when it blocks (leave()),
  // instead of now (the thread would only wait for the core, and run ahead meanwhile).
  void notify_on_leave(sc_core::sc_event& e);

  // --- memory-mapped I/O ------------------------------------------------------------------
  // One bus transaction at current_time() (the local time is the transport delay); the
  // returned latency is charged to this context. The response status is returned as is.
  // In fast mode a write synchronises first unless `order` says it need not (MmioOrder);
  // a read never does. In accurate mode every access but a decoupled write synchronises
  // first, and a decoupled write's latency joins the local time instead of being waited.
  tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                  unsigned len, MmioOrder order = MmioOrder::Synchronised);
  tlm::tlm_response_status read32(std::uint64_t addr, std::uint32_t& v);
  tlm::tlm_response_status write32(std::uint64_t addr, std::uint32_t v,
                                   MmioOrder order = MmioOrder::Synchronised);

  // --- blocking -----------------------------------------------------------------------------
  // Synchronise, then sleep until `e` (the core is idle meanwhile, not busy).
  void wait(const sc_core::sc_event& e);
  // Synchronise, then sleep until pred() holds, re-checking it each time `e` fires.
  void wait_until(const std::function<bool()>& pred, const sc_core::sc_event& e);
  // Synchronise, then sleep for `t` (no CPU time charged).
  void sleep(const sc_core::sc_time& t);

  // Wakes whoever waits on `e` at this context's current_time() (a delta later when the
  // local time is zero): how decoupled software signals another context without letting
  // it start before the signaller's own time.
  void notify(sc_core::sc_event& e) { e.notify(notify_delay()); }
  // The delay of a notification at current_time(): the local time in fast mode. In accurate
  // mode a stall left by decoupled writes (access) is spent first: there, every act of a
  // context happens at simulated time.
  sc_core::sc_time notify_delay();

  // --- memory copies ----------------------------------------------------------------------
  // Zero simulated time: the caller charges the copy cost. DMI when granted, else debug
  // transport. False if some byte could not be accessed.
  bool read_memory(std::uint64_t addr, void* dst, std::size_t len);
  bool write_memory(std::uint64_t addr, const void* src, std::size_t len);

  // --- accounting ---------------------------------------------------------------------------
  // Time this context has consumed on its core (charged time incl. context-switch costs
  // charged to it); local time not yet spent (sync) is not included.
  sc_core::sc_time busy_time() const;
  unsigned long preemptions() const { return preemptions_; }      // times it was preempted
  unsigned long switches_in() const { return switches_in_; }      // context switches charged

 private:
  friend class Cpu;
  ExecContext(Cpu& cpu, std::string name, ContextClass cls, unsigned core, unsigned id)
      : cpu_(cpu), name_(std::move(name)), cls_(cls), core_(core), id_(id) {}

  void charge_now(const sc_core::sc_time& t);  // accurate mode: one preemptible wait
  tlm::tlm_response_status access_accurate(tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                           unsigned len, MmioOrder order);
  // A decoupled write that need not synchronise: no interrupt is pending that the context
  // would take first.
  bool decouples(MmioOrder order) const;
  // The bus transaction itself, at the transport delay `delay`.
  tlm::tlm_response_status transport(tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                     unsigned len, sc_core::sc_time& delay);

  Cpu& cpu_;
  std::string name_;
  ContextClass cls_;
  unsigned core_;
  unsigned id_;
  sc_core::sc_time offset_{sc_core::SC_ZERO_TIME};
  // The part of offset_ that a write issued ahead (Cpu::takes_ahead_write) stood for a
  // synchronisation of: the quantum counts from there.
  sc_core::sc_time synced_{sc_core::SC_ZERO_TIME};
  sc_core::sc_time busy_{sc_core::SC_ZERO_TIME};
  // Scheduling state (owned by Cpu).
  std::uint64_t seq_ = 0;       // arrival order of the current charge (FIFO within a class)
  bool in_charge_ = false;      // consuming a charge (waiting for or holding the core)
  bool running_ = false;        // holding the core, in its timed wait
  sc_core::sc_time run_start_{sc_core::SC_ZERO_TIME};
  // A detached run (leave()): the charge left and, while running, when it ends.
  bool detached_ = false;
  std::vector<sc_core::sc_event*> on_leave_;  // notify_on_leave, until leave()
  sc_core::sc_time left_{sc_core::SC_ZERO_TIME};
  sc_core::sc_time run_end_{sc_core::SC_ZERO_TIME};
  sc_core::sc_event wake_;      // it got the core
  sc_core::sc_event preempt_;   // it lost the core
  bool preempt_notified_ = false;  // preempt_ notified since last cancelled (cancel only then)
  unsigned long preemptions_ = 0;
  unsigned long switches_in_ = 0;
  // Reused by every access of this context (one at a time): constructing a generic payload
  // allocates its extension array on the heap.
  tlm::tlm_generic_payload trans_;
};

// Snapshot of the CPU's busy-time counters (take one with Cpu::load()).
struct CpuLoad {
  sc_core::sc_time at{sc_core::SC_ZERO_TIME};
  std::vector<std::array<sc_core::sc_time, kContextClasses>> busy;  // [core][class]
  std::vector<sc_core::sc_time> context_busy;                       // [context id]
};

// CPU load over the interval between two snapshots. Loads are fractions (0 .. 1).
struct CpuLoadReport {
  sc_core::sc_time elapsed{sc_core::SC_ZERO_TIME};
  unsigned cores = 0;
  sc_core::sc_time busy{sc_core::SC_ZERO_TIME};         // all cores, all classes
  double total = 0;                                     // busy / (elapsed x cores)
  std::vector<double> per_core;                         // busy(core) / elapsed
  std::array<double, kContextClasses> per_class{};      // busy(class) / (elapsed x cores)
  std::array<sc_core::sc_time, kContextClasses> class_busy{};
  std::vector<sc_core::sc_time> context_busy;           // [context id] busy in the interval
};

// `from` must be the earlier snapshot of the same CPU.
CpuLoadReport load_between(const CpuLoad& from, const CpuLoad& to);

class Cpu : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Cpu> bus;    // software's MMIO and memory port
  sc_core::sc_vector<sc_core::sc_in<bool>> irq;   // one per core (from the GIC); unbound = low

  using IrqHandler = std::function<void(ExecContext& ctx, unsigned core)>;
  // Called for each segment of time a context consumed on its core: [start, end).
  using RunObserver = std::function<void(const ExecContext& ctx, const sc_core::sc_time& start,
                                         const sc_core::sc_time& end)>;

  Cpu(sc_core::sc_module_name name, const CpuParams& params, TimingMode mode);
  ~Cpu() override;

  // A new context pinned to `core`. Hard-IRQ contexts exist already, one per core
  // (hardirq_context); creating another HardIrq context is allowed (it does not nest with
  // the core's own: same class, first come first served).
  ExecContext& create_context(std::string name, ContextClass cls, unsigned core);
  ExecContext& hardirq_context(unsigned core);
  std::size_t context_count() const { return contexts_.size(); }
  ExecContext& context(std::size_t id) { return *contexts_.at(id); }

  // The kernel's IRQ layer: called in the core's hard-IRQ context for each IRQ taken
  // (between the entry and exit costs); it acknowledges and ends the interrupt through MMIO.
  void set_irq_handler(IrqHandler h) { irq_handler_ = std::move(h); }
  void set_run_observer(RunObserver o) { run_observer_ = std::move(o); }
  // Observation hook for waveforms (traces/sc/waveform.h): called when a context of class
  // `cls` starts (running = true) or stops consuming time on `core`, at that time (the run
  // segments the run observer reports). No behaviour depends on it.
  using ClassObserver = std::function<void(unsigned core, ContextClass cls, bool running,
                                           const sc_core::sc_time& at)>;
  void add_class_observer(ClassObserver o) { class_observers_.push_back(std::move(o)); }

  unsigned cores() const { return static_cast<unsigned>(cores_.size()); }
  TimingMode mode() const { return mode_; }
  const CpuParams& params() const { return params_; }
  const Clock& clock() const { return clock_; }
  sc_core::sc_time cycles(double n) const { return clock_.cycles(n); }
  const sc_core::sc_time& quantum() const { return quantum_; }

  // --- accounting (counters since time zero; in-progress run segments included) -----------
  sc_core::sc_time busy_time(unsigned core) const;
  sc_core::sc_time busy_time(unsigned core, ContextClass cls) const;
  sc_core::sc_time idle_time(unsigned core) const;  // elapsed - busy
  unsigned long context_switches(unsigned core) const { return cores_.at(core).switches; }
  unsigned long preemptions(unsigned core) const { return cores_.at(core).preemptions; }
  unsigned long irqs_taken(unsigned core) const { return cores_.at(core).irqs; }
  // Fast mode: MMIO writes of the core's contexts that synchronised first, and decoupled
  // writes that did not (MmioOrder). Accurate mode counts neither. Of the synchronised ones,
  // those that needed no wait and went ahead (models/core/ahead_write.h).
  unsigned long synchronised_writes(unsigned core) const { return cores_.at(core).synced_writes; }
  unsigned long ahead_writes(unsigned core) const { return cores_.at(core).ahead_writes; }
  unsigned long decoupled_writes(unsigned core) const { return cores_.at(core).decoupled_writes; }
  CpuLoad load() const;                                   // snapshot now
  CpuLoadReport load_since(const CpuLoad& earlier) const { return load_between(earlier, load()); }
  CpuLoadReport load_since_start() const;                 // the run average

  std::size_t dmi_regions() const { return dmi_.size(); }  // cached DMI grants (tests)


 private:
  friend class ExecContext;
  struct Core {
    ExecContext* owner = nullptr;       // context holding the core
    std::vector<ExecContext*> ready;    // contexts in a charge (owner included)
    ExecContext* last_thread = nullptr; // last thread-class context that held the core
    ExecContext* hardirq = nullptr;
    std::array<sc_core::sc_time, kContextClasses> busy{};
    unsigned long switches = 0, preemptions = 0, irqs = 0;
    unsigned long synced_writes = 0, decoupled_writes = 0;
    unsigned long ahead_writes = 0;  // synced_writes served ahead (no wait needed)
  };

  void before_end_of_elaboration() override;
  void end_of_elaboration() override;
  void irq_thread(unsigned core);
  // Every fast-mode decoupled write asks: the bound channel's value, read without the
  // port's virtual calls (sc_signal and LevelSignal return a reference to it; the line has
  // a change-event waiter, irq_thread, so a LevelSignal never announces a rise on it).
  bool irq_pending(unsigned core) const { return *irq_level_[core]; }
  std::vector<const bool*> irq_level_;
  // Consumes `t` on the context's core (waiting for it, preemptible). Accurate-mode charge.
  void run(ExecContext& c, sc_core::sc_time t);
  // Gives the core to the ready context that should hold it, and wakes it unless it is
  // `caller` (the context whose charge is being scheduled, which checks by itself).
  void schedule(Core& k, const ExecContext* caller = nullptr);
  sc_core::sc_time in_progress(const ExecContext& c) const;
  // Detached runs (ExecContext::leave): `t` of c's time consumed on its core without its
  // thread, if the core is free; false (nothing done) otherwise.
  bool detach(ExecContext& c, const sc_core::sc_time& t);
  // Nobody holds or waits for core k, and c is in no charge of its own (detached or not).
  static bool free_for(const Core& k, const ExecContext& c) {
    return k.owner == nullptr && k.ready.empty() && !c.in_charge_ && !c.detached_;
  }
  // Fast mode, a synchronising write of c with local time `t`: true when that wait could
  // change nothing (c's core is free for it, nothing is due anywhere before its end).
  bool nothing_due_before(ExecContext& c, const sc_core::sc_time& t);
  // Whether the device at `addr` takes the word at `data` written ahead of simulated time
  // (models/core/ahead_write.h): an ignore-command query on the bus.
  bool takes_ahead_write(std::uint64_t addr, const void* data);
  bool may_write_ahead(std::uint64_t addr) const;  // not known to refuse
  std::vector<std::uint64_t> never_ahead_;
  tlm::tlm_generic_payload query_trans_;
  AheadWriteQuery ahead_query_;
  unsigned char query_data_[4] = {};
  void start_detached(Core& k, ExecContext& c);
  void arm_settle();  // with observers: settle_ev_ at the earliest detached run's end
  // Ends the core's detached run if its end has come, then gives the core on.
  void settle(Core& k);
  // The detached run loses the core now (preemption): its run so far is counted.
  void stop_detached(Core& k, ExecContext& c);
  // A run segment of c on its core, attached or detached: its start now (the context switch
  // it pays is returned, to add to what it runs) and its end at `end` (counted, observed).
  sc_core::sc_time begin_run(Core& k, ExecContext& c);
  void count_run(Core& k, ExecContext& c, const sc_core::sc_time& end);
  // The time the core's detached run still takes from now (zero without one).
  sc_core::sc_time detached_left(unsigned core) const;
  // A thread-class context takes the core: the context-switch cost it pays (zero when the
  // core last ran it, or no thread yet, or it is not a thread), counted.
  sc_core::sc_time switch_in(Core& k, ExecContext& c);
  bool copy(bool write, std::uint64_t addr, unsigned char* data, std::size_t len);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

  CpuParams params_;
  TimingMode mode_;
  Clock clock_;
  sc_core::sc_time quantum_;
  // tlm_global_quantum's value, read on every fast-mode charge (instance() is a call each).
  const sc_core::sc_time& global_quantum_;
  std::vector<Core> cores_;
  std::deque<std::unique_ptr<ExecContext>> contexts_;
  std::uint64_t next_seq_ = 0;
  IrqHandler irq_handler_;
  RunObserver run_observer_;
  std::vector<ClassObserver> class_observers_;
  std::vector<tlm::tlm_dmi> dmi_;
  tlm::tlm_generic_payload copy_trans_;  // reused by copy() (DMI look-ups, debug transport)
  LevelSignal tie_low_{"tie_low"};
  sc_core::sc_event settle_ev_;  // a detached run ends (notified only for observers)
};

inline sc_core::sc_time ExecContext::notify_delay() {
  if (offset_ != sc_core::SC_ZERO_TIME && cpu_.mode() == TimingMode::Accurate) sync();
  return offset_;
}

}  // namespace aesvp
