// The OMAP4 system DMA (sDMA / DMA4): 32 logical channels, 127 level-triggered hardware
// request lines, four interrupt lines, one DMA port (TLM initiator). Register-exact as far as
// the Linux OMAP DMA driver and the omap-aes driver use it (docs/sdma-model.md).
//
// Timing (docs/timing.md): one port; channels with work are served one synchronised unit
// (element, or frame) at a time, round-robin. A unit costs the frame overhead, then the
// source reads and the destination writes, one transaction per burst, issued in that order
// with the accumulated local delay. Accurate mode waits for each unit and samples the request
// lines one delta cycle after it ends; fast mode lets a channel keep the port while its
// request stays high, on a local time offset, synchronising before interrupts.
#pragma once

#include "models/core/clock.h"
#include "models/core/params.h"
#include "models/core/register_bank.h"
#include "models/core/sim_time.h"
#include "models/core/target_socket.h"
#include "models/core/timed_dmi.h"
#include "models/core/timing_mode.h"
#include "models/sdma/omap_sdma_regs.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <array>
#include <functional>
#include <cstdint>
#include <vector>

namespace aesvp {

#define AESVP_SDMA_PARAMS(X)                                                                  \
  X(double, clock_mhz, 200.0, "MHz",                                                          \
    "OMAP4430 TRM: the sDMA runs on the L3 interconnect clock (L3_ICLK, 200 MHz)",            \
    "sDMA clock; every cycle count below is in periods of this clock")                       \
  X(std::uint32_t, channels, 32, "",                                                          \
    "OMAP4 TRM / Linux omap-dma (dma-channels = 32); at most 32 (one IRQSTATUS bit each)",    \
    "logical channels with a register set", AESVP_RANGE(1, 32))                                                 \
  X(std::uint32_t, request_lines, 127, "",                                                    \
    "OMAP4 TRM / Linux omap-dma (dma-requests = 127)",                                        \
    "hardware request lines; dma_req has request_lines + 1 inputs (index 0 = no sync)", AESVP_RANGE(1, 127))      \
  X(std::uint32_t, start_latency_cycles, 8, "cycles",                                         \
    "estimate: channel context load and request-port arming after CCR.ENABLE, a few L3 "     \
    "cycles",                                                                                 \
    "time from the CCR write that sets ENABLE to the channel's first arbitration")          \
  X(std::uint32_t, frame_overhead_cycles, 4, "cycles",                                        \
    "estimate: arbitration and logical-channel context switch on the port (one request "     \
    "scheduling round of the DMA4 arbiter)",                                                  \
    "cost of each served unit (element or frame) before its first access")                  \
  X(std::uint32_t, burst_overhead_cycles, 1, "cycles",                                        \
    "estimate: one OCP command (address) phase per burst or single access",                  \
    "cost of each transaction (burst or single element) issued on the port, per side")      \
  X(std::uint32_t, element_cycles, 1, "cycles",                                               \
    "32-bit port: one data beat per element of up to 32 bits (no packing modelled)",         \
    "cost per element moved, per side (read and write)")                                     \
  X(std::uint32_t, reg_access_cycles, 1, "cycles",                                            \
    "estimate: the register file answers in one sDMA clock; the L4 bridge latency is the "   \
    "interconnect's",                                                                         \
    "latency of one register access")                                                        \
  X(std::uint32_t, reset_cycles, 16, "cycles",                                                \
    "estimate: soft reset of the channel contexts",                                          \
    "time from an OCP_SYSCONFIG.SOFTRESET write to SYSSTATUS.RESETDONE")                     \
  X(bool, linked_list, true, "",                                                              \
    "OMAP4 TRM: CAPS_0 LINK_LIST_CPBLTY_TYPE123; Linux omap-dma uses descriptor lists from "  \
    "OMAP3630 on",                                                                            \
    "descriptor-list (linked-list) mode, types 2 and 3, advertised in CAPS_0; off: CAPS_0 "   \
    "reads 0 and CDP linked-list mode is refused")

AESVP_PARAM_GROUP(SdmaParams, "sdma", AESVP_SDMA_PARAMS);

class OmapSdma : public sc_core::sc_module {
 public:
  TargetSocket<OmapSdma> regs;   // 4 KiB register window
  tlm_utils::simple_initiator_socket<OmapSdma> bus;  // the DMA port
  sc_core::sc_vector<sc_core::sc_in<bool>> dma_req;  // index = request number; [0] unused
  sc_core::sc_vector<sc_core::sc_out<bool>> irq;     // L0..L3

  SC_HAS_PROCESS(OmapSdma);
  OmapSdma(sc_core::sc_module_name name, const SdmaParams& params, TimingMode mode);

  // Statistics for utilisation reports.
  struct ChannelStats {
    std::uint64_t units = 0;   // synchronised units (elements or frames) served
    std::uint64_t frames = 0;  // whole frames completed
    std::uint64_t bytes = 0;   // bytes written to the destination
    std::uint64_t transactions = 0;  // bus transactions issued (reads + writes)
    std::uint64_t errors = 0;        // bus error responses
    std::uint64_t descriptors = 0;   // descriptor-list entries fetched and loaded
    sc_core::sc_time busy{sc_core::SC_ZERO_TIME};  // port time spent for this channel
  };
  const ChannelStats& channel_stats(unsigned ch) const { return stats_.at(ch); }
  ChannelStats total_stats() const;
  // Port time spent moving data (sum over channels).
  sc_core::sc_time port_busy_time() const { return total_stats().busy; }

  // Cost terms of the DMA's own share of a unit (docs/sdma-model.md), for platform-level
  // formulas (e.g. the AES pipeline's in_frame / out_frame): the per-unit overhead, and the
  // DMA cycles of one transaction of `elements` elements (interconnect and target latencies
  // come on top).
  const sc_core::sc_time& unit_overhead() const { return unit_overhead_; }
  sc_core::sc_time transaction_cost(std::uint32_t elements) const {
    return clock_.cycles(std::uint64_t{params_.burst_overhead_cycles} +
                         std::uint64_t{params_.element_cycles} * elements);
  }

  const SdmaParams& params() const { return params_; }
  TimingMode timing_mode() const { return mode_; }
  const Clock& clock() const { return clock_; }
  RegisterBank& register_bank() { return bank_; }
  // Register-level view for tests and tracing (debug, no side effects).
  std::uint32_t peek(std::uint32_t offset) const;
  // Hard reset (power-on): registers, channels and interrupt lines as after construction,
  // RESETDONE already set; statistics are kept. A unit on the port completes without effect.
  // Call it from the simulation (not during elaboration).
  void reset();
  // Observation hook for timelines and waveforms: called when a channel starts (CCR.ENABLE)
  // or stops (block done, error, software stop or reset), at the simulated time of the
  // change. No behaviour depends on it.
  using ChannelObserver = std::function<void(unsigned ch, bool active)>;
  void add_channel_observer(ChannelObserver o) { channel_observers_.push_back(std::move(o)); }

 private:
  enum class Sync { None, Element, Frame, Block, Packet };

  struct Channel {
    bool enabled = false;
    sc_core::sc_time eligible_at{sc_core::SC_ZERO_TIME};
    // Programming captured when ENABLE was set.
    Sync sync = Sync::None;
    unsigned request = 0;
    unsigned es = 4;  // element bytes
    unsigned src_burst = 4, dst_burst = 4;
    // transaction_cost of a whole burst per side, computed once per block (run_step adds
    // one per transaction: ~2 per unit).
    sc_core::sc_time src_burst_cost{sc_core::SC_ZERO_TIME}, dst_burst_cost{sc_core::SC_ZERO_TIME};
    bool src_inc = true, dst_inc = true;
    std::uint32_t cen = 0, cfn = 0;
    std::uint64_t src = 0, dst = 0;  // next addresses
    // Progress.
    std::uint32_t elem_in_frame = 0;
    std::uint32_t frames_done = 0;
    bool block_granted = false;  // block sync: a request consumed, the block runs
    // Request-line tracking (DROP).
    bool latched = false;
    bool last_level = false;
    // A line followed edge by edge (request_edge): the delta of its last edge, and the
    // channel's latch and level before that delta's first edge (the watcher's view).
    sc_core::sc_time edge_time{sc_core::SC_ZERO_TIME};
    sc_dt::uint64 edge_delta = ~sc_dt::uint64{0};
    bool base_level = false;
    bool base_latched = false;
    bool drop_pending = false;  // a rise while latched: DROP one delta later (watch_requests)
    std::uint64_t epoch = 0;  // changes at each start: in-flight units of an old run are dropped
    // Descriptor lists (CDP linked-list mode).
    bool linked = false;         // the block ends by loading the next descriptor (CNDP)
    bool fetch_pending = false;  // the next port use of this channel is a descriptor fetch
  };

  // Register window.
  void declare_registers();
  void declare_channel_registers(unsigned ch);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  // The registers of one channel the model itself reads or updates.
  struct ChannelRegs {
    Register *ccr, *cicr, *csr, *csdp, *cen, *cfn, *cssa, *cdsa, *csac, *cdac, *ccen, *ccfn, *cdp;
    Register *csei, *csfi, *cdei, *cdfi, *cndp, *ccdn;
  };

  void ccr_written(unsigned ch, const sc_core::sc_time& at);  // `at`: annotated access time
  void start_channel(unsigned ch, const sc_core::sc_time& at);
  // Captures the block programming (CCR, CSDP, CEN, CFN, CSSA, CDSA) into the channel and
  // checks it; false (channel stopped, status raised) when it cannot run.
  bool load_programming(unsigned ch);
  void capture_sync(unsigned ch);  // request number and sync mode from CCR

  // Descriptor lists (docs/sdma-model.md "Descriptor lists").
  bool start_list(unsigned ch);         // at ENABLE with CDP linked-list mode; false: refused
  bool next_descriptor(unsigned ch);    // at the end of a block: true if one is to be fetched
  // One port use: read the descriptor at CNDP, then load it at the end of the port time.
  struct Fetch {
    unsigned ch = 0;
    bool ok = false;
    std::uint32_t type = 0, src_valid = 0, dst_valid = 0;
    std::array<std::uint32_t, 8> w{};
    std::uint64_t generation = 0, epoch = 0;
    sc_core::sc_time delay{sc_core::SC_ZERO_TIME};  // the port time
  };
  bool start_fetch(unsigned ch, Fetch& f);  // false: refused (nothing went on the port)
  void finish_fetch(const Fetch& f);
  void load_descriptor(unsigned ch, std::uint32_t type, std::uint32_t src_valid,
                       std::uint32_t dst_valid, const std::uint32_t* w);
  void stop_channel(unsigned ch);  // hardware clears ENABLE
  void set_enabled(unsigned ch, bool on);  // the enabled flag + the observer
  bool refuse(unsigned ch, const char* why);
  void soft_reset(const sc_core::sc_time& at);
  void clear_state();  // what both resets clear

  // Interrupts.
  void raise_status(unsigned ch, std::uint32_t bits);
  void update_irq_lines();

  // Request lines.
  bool line_high(unsigned ch) const;
  bool eligible(unsigned ch) const;
  int arbitrate();
  void end_of_elaboration() override;  // request lines: followed edge by edge, or watched
  void request_edge(unsigned line, bool level);  // an edge of a LevelSignal request line
  // The edge as seen in `delta` at `time` (request_edge: now; an announced rise: its own).
  void edge_at(unsigned line, bool level, sc_dt::uint64 delta, const sc_core::sc_time& time);
  // Announced rises (LevelSignal::schedule_rise): recorded, applied as edges at the first
  // look at the channels at or after their time; refused onto a latched request (a DROP).
  bool rise_announced(unsigned line, bool announced, const sc_core::sc_time& at);
  void apply_due_rises() {  // on every look at the channels: inline, mostly nothing due
    if (__builtin_expect(!rises_.empty(), 0) && next_rise_ <= sim_now()) apply_rises(sim_now());
  }
  void apply_rises(const sc_core::sc_time& now);
  void update_next_rise();  // next_rise_ from rises_
  void arm_rise_wake();  // rise_ev_ at the earliest announced rise (the port is idle)
  void rise_due();       // SC_METHOD on rise_ev_: an idle port's rise, at its time
  void watch_requests();  // SC_METHOD: edges of other lines, DROP

  // The port: a method (a method's wake-up costs the SystemC kernel about half a thread's),
  // taking the steps a thread would, one wait apart. Accurate mode: one unit per activation.
  // Fast mode: runs of units on a local time offset (run_units), spent at the quantum and
  // before completion status.
  enum class PortStep { Start, Unit, RunEnd, RunQuantum, RunTail, Fetch, Sample, Idle };
  void port_method();
  bool start_next();    // arbitrates and starts the next use of the port; true: it waits
  bool run_units();     // fast mode: the run of unit_.ch from local_; true: it waits
  bool spend_local(PortStep then);  // waits out local_, then `then` ends the wait
  bool sample_later();  // the sampling point (docs/timing.md); true: it waits a delta for it
  void enter_idle();    // before waiting on wake_on_: wake-ups for future work armed
  void leave_idle();
  struct StepResult {
    std::uint32_t elements = 0;  // elements moved
    std::uint32_t bytes = 0;     // bytes moved (0 on error)
    std::uint32_t status = 0;    // CSR events at the end of the step
    bool block_done = false;
    bool error = false;
    sc_core::sc_time duration{sc_core::SC_ZERO_TIME};  // port time of the unit
  };
  // Moves one synchronised unit of `ch`; `delay` carries the local time offset in and
  // the end of the unit out. Progress and status are applied by finish_step() at the end of
  // the unit; `current` is false when a soft reset or a new start happened meanwhile.
  StepResult run_step(unsigned ch, sc_core::sc_time& delay);
  // The unit on the port (accurate) or the last unit of a run (fast): its result, applied at
  // its end, and what it was started under.
  struct Unit {
    unsigned ch = 0;
    StepResult res;
    std::uint64_t generation = 0, epoch = 0;
  };
  void begin_unit(unsigned ch);  // unit_ for a unit of `ch` about to go on the port
  // No soft reset or new start of the channel since begin_unit / start_fetch.
  bool still_current(unsigned ch, std::uint64_t generation, std::uint64_t epoch) const {
    return generation == generation_ && epoch == ch_[ch].epoch;
  }
  sc_core::sc_time start_unit(unsigned ch);  // accurate mode; returns the unit's port time
  void end_unit();
  // CSR events of a unit of `elements` elements that starts at the channel's progress.
  void unit_status(const Channel& c, std::uint32_t elements, StepResult& res) const;
  // Fast mode: frames that can move as one run (run_frames); 0 when the next unit cannot.
  std::uint32_t run_length(unsigned ch);
  // Moves up to `frames` frames between memory (through DMI) and a device FIFO as one FIFO
  // burst (UnitBurst) that ends when the request line falls; finishes every frame but the
  // last and returns the last one's result, as run_step would have.
  StepResult run_frames(unsigned ch, std::uint32_t frames, sc_core::sc_time& delay);
  void finish_step(unsigned ch, const StepResult& r, bool current);
  // What finish_step does for `n` whole frames of `bytes` that are not the block's last (the
  // frames of a run before its last one), applied at once.
  void finish_frames(unsigned ch, std::uint32_t n, unsigned bytes);
  void publish_progress(unsigned ch);  // CSAC/CDAC/CCEN/CCFN from the channel's progress
  bool access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, unsigned len,
              sc_core::sc_time& delay, unsigned ch);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

  SdmaParams params_;
  TimingMode mode_;
  Clock clock_;
  sc_core::sc_time unit_overhead_;  // frame_overhead_cycles, computed once
  RegisterBank bank_;
  std::vector<Channel> ch_;
  std::vector<ChannelRegs> cregs_;
  std::vector<ChannelStats> stats_;
  std::array<Register*, sdma::kIrqLines> irqstatus_{};
  std::array<Register*, sdma::kIrqLines> irqenable_{};
  std::array<bool, sdma::kIrqLines> irq_level_{};
  unsigned rr_next_ = 0;        // round-robin: first channel to look at
  std::uint32_t enabled_mask_ = 0;  // bit ch: ch_[ch].enabled (kept by set_enabled)
  int in_flight_ = -1;          // channel whose unit is on the port (RD/WR_ACTIVE)
  std::uint64_t generation_ = 0;
  std::uint64_t epoch_counter_ = 0;  // bumped by soft reset: in-flight units are dropped
  sc_core::sc_time reset_done_at_{sc_core::SC_ZERO_TIME};
  sc_core::sc_event wake_;
  sc_core::sc_event_or_list wake_on_;  // wake_ or a change of a watched (not followed) line
  // Request lines bound to a LevelSignal are followed edge by edge (request_edge) without a
  // process activation; any other is watched by watch_requests one delta after a change.
  std::vector<bool> followed_;
  sc_core::sc_event drop_ev_;           // a DROP to raise (watch_requests)
  sc_core::sc_event_or_list watch_on_;  // drop_ev_ or a change of a watched line
  bool port_idle_ = false;              // the port thread waits on wake_on_
  struct Rise {
    unsigned line;
    sc_core::sc_time at;
  };
  std::vector<Rise> rises_;  // announced, not yet applied (in announcement order)
  sc_core::sc_time next_rise_;  // the earliest of rises_ (when not empty)
  sc_core::sc_event rise_ev_;
  // While a CCR write starts a channel: the write's annotated time, when an error it raises
  // goes out on the interrupt lines (lines_ev_ -> update_irq_lines, if later than now).
  sc_core::sc_time errors_at_{sc_core::SC_ZERO_TIME};
  sc_core::sc_event lines_ev_;
  PortStep port_step_ = PortStep::Start;  // what the port's next activation ends
  Unit unit_;
  sc_core::sc_time local_{sc_core::SC_ZERO_TIME};  // fast mode: the run's local time
  Fetch fetch_;
  std::vector<unsigned char> buffer_;  // the channel FIFO of one unit
  // The port's one transaction at a time, reused (a new payload allocates on the heap).
  tlm::tlm_generic_payload port_trans_;
  // Memory through DMI at the latency b_transport would annotate (docs/sdma-model.md).
  TimedDmi dmi_;
  std::vector<ChannelObserver> channel_observers_;
};

}  // namespace aesvp
