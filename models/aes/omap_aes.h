// The TI OMAP4 AES accelerator (OMAP4-class register layout), register-exact for what ECB,
// CBC, CTR and XTS need. See docs/omap-aes-model.md for the register map as modelled,
// the buffers and handshake, timing and deviations from the real IP.
//
//   socket       register window (0x100 bytes; holes answer TLM_ADDRESS_ERROR_RESPONSE)
//   irq          high while (IRQSTATUS & IRQENABLE) != 0
//   dma_req_in   "DATA_IN can take a block"  (Linux DT "tx"), gated by DMA_REQ_DATA_IN_EN
//   dma_req_out  "DATA_OUT holds a block"    (Linux DT "rx"), gated by DMA_REQ_DATA_OUT_EN
// The three outputs are bound to aesvp::LevelSignal channels (docs/modelling.md).
#pragma once

#include "models/aes/aes_modes.h"
#include "models/aes/omap_aes_regs.h"
#include "models/core/clock.h"
#include "models/core/params.h"
#include "models/core/register_bank.h"
#include "models/core/target_socket.h"
#include "models/core/timing_mode.h"

#include <systemc>
#include <tlm>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aesvp {

class LevelSignal;

#define AESVP_AES_PARAMS(X)                                                                   \
  X(double, clock_mhz, 100.0, "MHz",                                                          \
    "estimate: L4PER interface clock of OMAP4 (100 MHz); the AES functional clock is not "    \
    "given in the sources found",                                                             \
    "clock of the AES core and its register interface")                                       \
  X(std::uint32_t, cycles_per_block_128, 12, "cycles",                                        \
    "OpenTitan AES (one round per cycle, 16 S-boxes: 10 rounds + 2); chosen as a comparable " \
    "open core because the TI figure is unknown",                                             \
    "AES core time per 16-byte block, 128-bit key")                                           \
  X(std::uint32_t, cycles_per_block_192, 14, "cycles",                                        \
    "OpenTitan AES (12 rounds + 2); the TI figure is unknown",                                \
    "AES core time per 16-byte block, 192-bit key")                                           \
  X(std::uint32_t, cycles_per_block_256, 16, "cycles",                                        \
    "OpenTitan AES (14 rounds + 2); the TI figure is unknown",                                \
    "AES core time per 16-byte block, 256-bit key")                                           \
  X(std::uint32_t, reg_access_cycles, 2, "cycles",                                            \
    "estimate: one address and one data phase of an OCP register target; bus latency is the " \
    "interconnect's",                                                                         \
    "latency of one register access (one beat of the streaming width) inside the AES")        \
  X(std::uint32_t, softreset_cycles, 16, "cycles",                                            \
    "estimate: not documented; Linux only polls RESETDONE",                                   \
    "time from the SOFTRESET write to RESETDONE in SYSSTATUS")                                \
  X(std::uint32_t, revision, 0x302, "",                                                       \
    "AM335x reports 3.2 (Linux omap-aes probe message, fact sheet)",                          \
    "REVISION register value: major in bits 10:8, minor in 5:0", AESVP_RANGE(0, 0xffffffffu)) \
  X(bool, bulk_extension, false, "",                                                          \
    "BEYOND TI SILICON: aesvp's modelled extension (per-data-unit IVs, as inline-encryption " \
    "engines do); no TI AES has it",                                                          \
    "add the bulk registers BULK_CTRL, DU_SIZE, DU_NUM_0/1, BULK_CAPS at 0xa0-0xb0")

AESVP_PARAM_GROUP(AesParams, "aes", AESVP_AES_PARAMS);

class OmapAes : public sc_core::sc_module {
 public:
  TargetSocket<OmapAes> socket;
  sc_core::sc_out<bool> irq;
  sc_core::sc_out<bool> dma_req_in;
  sc_core::sc_out<bool> dma_req_out;

  SC_HAS_PROCESS(OmapAes);
  OmapAes(sc_core::sc_module_name name, const AesParams& params, TimingMode mode);

  const AesParams& params() const { return params_; }
  TimingMode timing_mode() const { return mode_; }

  // Timing facts for tests and the platform.
  sc_core::sc_time access_latency() const { return latency_; }  // per beat
  sc_core::sc_time core_time_per_block(unsigned key_bits) const;  // 128, 192 or 256
  sc_core::sc_time softreset_time() const { return clock_.cycles(std::uint64_t{params_.softreset_cycles}); }

  // Statistics (utilisation reports): blocks through the core and the core's busy time
  // (per-block core time, plus the initial XTS tweak).
  std::uint64_t blocks_processed() const { return blocks_processed_; }
  sc_core::sc_time core_busy_time() const { return core_busy_time_; }

  // Register-level view for tests and tracing (debug, no side effects).
  std::uint32_t peek(std::uint32_t offset) const;

  // Hard reset (power-on, e.g. the power domain cycled): registers and data path as after
  // construction, RESETDONE already set; statistics are kept. Takes no simulated time; the
  // outputs follow at once. Call it from the simulation (not during elaboration).
  void reset();

  // Fault injection (aesvp run --inject-stuck-aes, docs/errors.md): the core hangs - it takes
  // no input and releases no output (no DMA requests, no data interrupts) until a soft or
  // hard reset. Counts in injected_faults().
  void hang();
  bool hung() const { return hung_; }
  unsigned long injected_faults() const { return injected_; }

  // Observation hook for waveforms (traces/sc/waveform.h): the CTRL status bits and the
  // core's state. Refreshed whenever the outputs are (every settle and register write) while
  // someone observes; no behaviour depends on them.
  struct Observed {
    bool context_ready = false;  // CTRL.CONTEXT_READY
    bool input_ready = false;    // CTRL.INPUT_READY
    bool output_ready = false;   // CTRL.OUTPUT_READY
    bool core_busy = false;      // a block in the core (fast mode: the core runs ahead)
  };
  const Observed& observed() const { return observed_; }
  // Observers call this first: the flags are only kept up to date while someone looks
  // (refreshing them on every register access would cost ~3 % of a run's host time).
  void enable_observation() {
    observing_ = true;
    replan_ = true;  // observed lines are raised by wake-ups, not announced
    refresh_observed();
  }
  // Observation hook for waveforms: called with the flags whenever one of them changed (at
  // the simulated time the model notices it). No behaviour depends on it.
  using FlagsObserver = std::function<void(const Observed&)>;
  void add_flags_observer(FlagsObserver o) {
    flags_observers_.push_back(std::move(o));
    enable_observation();
  }
  // Observation hook for timelines: called when the core starts or stops holding a block
  // (at the simulated time the model notices it). No behaviour depends on it.
  using BusyObserver = std::function<void(bool busy)>;
  void set_busy_observer(BusyObserver o) {
    busy_observer_ = std::move(o);
    enable_observation();
  }

 private:
  enum class InBuf { Empty, Loading, Full };
  enum class OutBuf { Empty, Full, Reading };
  // Fast mode's elastic queue of blocks and their ready times, contiguous so that a run of
  // blocks goes in, through the engine and out with one copy each (no node per block).
  class BlockQueue {
   public:
    bool empty() const { return head_ == tail_; }
    std::size_t size() const { return tail_ - head_; }
    // Appends `n` blocks (data and times to be filled in); returns the first one's index.
    std::size_t append(std::size_t n);
    std::uint8_t* data(std::size_t k) { return &bytes_[(head_ + k) * kBytes]; }  // k-th queued
    const std::uint8_t* data(std::size_t k) const { return &bytes_[(head_ + k) * kBytes]; }
    sc_core::sc_time& ready(std::size_t k) { return ready_[head_ + k]; }
    void pop(std::size_t n);
    void clear() { head_ = tail_ = 0; }

   private:
    static constexpr std::size_t kBytes = 16;
    std::vector<std::uint8_t> bytes_;  // grows only: no fill per block
    std::vector<sc_core::sc_time> ready_;
    std::size_t head_ = 0, tail_ = 0;
  };

  void declare_registers();
  // Bulk extension (beyond TI silicon, omap_aes_bulk.cpp).
  void declare_bulk_registers();
  void latch_units();          // BULK_CTRL/DU_* -> the mode engine, at a context's first block
  unsigned key2_bits();  // the salt key's size for ESSIV, else the key size
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);

  // Register behaviour: each write returns the value the register stores.
  std::uint32_t write_ctrl(std::uint32_t v);
  std::uint32_t write_sysconfig(const RegAccess& a);
  void write_length(std::uint64_t bytes);
  void write_data_in(unsigned word, const RegAccess& a);
  std::uint32_t read_data_out(unsigned word, RegAccess& a);
  void consume_output_block(RegAccess& a);  // what reading DATA_OUT_3 does after the word
  // A whole block as one beat of the data window (a DMA frame); false when the FIFO pointer
  // is inside a block (the words then go one by one).
  bool write_data_in_block(const unsigned char* data, const RegAccess& a);
  bool read_data_out_block(unsigned char* data, RegAccess& a);
  // Fast mode: a DMA run of frames (UnitBurst) through the data window in one call, as many
  // blocks as the frame-by-frame run would move; false where that run needs the per-block
  // path (FIFO pointer inside a block, another request line, observers, nothing to move).
  bool write_data_in_run(const unsigned char* data, BeatRun& run);
  bool read_data_out_run(unsigned char* data, BeatRun& run);
  // Queues one block of the fast path (its time now, its data in the open run or computed).
  void queue_fast_block(const std::uint8_t* in, const sc_core::sc_time& arrival);
  // The k-th queued block's ready time: it arrives at `arrival`, the core takes it when free.
  void time_fast_block(std::size_t k, const sc_core::sc_time& arrival, std::uint64_t ahead);
  std::uint32_t peek_data_out(unsigned word) const;
  std::uint32_t ctrl_value() const;
  std::uint32_t irq_status() const;
  void soft_reset(const sc_core::sc_time& at);  // SYSCONFIG.SOFTRESET written, beat ends `at`
  void clear_state();  // what both resets clear

  // Data path.
  bool fast_path() const;
  bool can_take_input() const;
  bool output_ready() const;
  // The levels dma_req_in / dma_req_out should have, with SYSCONFIG as stored or as `sysconfig`.
  bool requests_input() const { return requests_input(sysconfig_reg_->get()); }
  bool requests_output() const { return requests_output(sysconfig_reg_->get()); }
  bool requests_input(std::uint32_t sysconfig) const;
  bool requests_output(std::uint32_t sysconfig) const;
  // Whether SYSCONFIG can take `word` written ahead of simulated time (ahead_write.h).
  bool takes_sysconfig_ahead(std::uint32_t word) const;
  bool pipeline_idle() const;
  void accept_block(const AesBlock& in, const sc_core::sc_time& arrival);
  // Core time of the block `ahead` blocks after the engine's next one (keys, units and the
  // XTS initial tweak made ready first); counts it in the statistics.
  sc_core::sc_time time_block(std::uint64_t ahead);
  sc_core::sc_time compute_block(const AesBlock& in, AesBlock& out);  // returns its core time
  void compute_fast_run();  // the open run's blocks (the queue's last ones) in one engine call
  void load_keys();
  void flush_pipeline();

  // Settles every state change due now, updates the outputs, re-arms the wake-up event.
  void settle();
  void settle_pipeline(const sc_core::sc_time& now);  // settle() without the re-arming
  bool nothing_to_settle() const;  // settle() would change nothing (fast mode, pipeline idle)
  // A transition of the accurate pipeline or the soft reset is due at `now`: without one, a
  // settle before an access changes nothing (the one after the last access armed the rest).
  bool transition_due(const sc_core::sc_time& now) const;
  void update_outputs();
  void end_of_elaboration() override;  // finds the request lines' wires
  // After a settle: announces the request lines' next rises on their wires ahead (accurate
  // mode, nothing else to see, the wires accept), else arms the wake-up at the next transition.
  void plan_wakeup(const sc_core::sc_time& now);
  bool announce_rises(const sc_core::sc_time& now);  // false: withdrawn, wake up instead
  // Whether and when dma_req_in / dma_req_out would rise with no further access.
  void next_rises(const sc_core::sc_time& now, bool& in_rises, sc_core::sc_time& in_at, bool& out_rises,
                  sc_core::sc_time& out_at) const;
  sc_core::sc_time next_block_time() const;  // time_block(0)'s result, without its effects
  // wake_.notify at `at` (> now) unless a notification at or before it is pending, which
  // sc_event would keep anyway (most settles re-arm the same time: ~130 library calls per
  // request in accurate mode).
  void arm_wake(const sc_core::sc_time& at, const sc_core::sc_time& now);
  // The context's key size and the core time of one of its blocks, kept together.
  void set_key_bits(unsigned bits);
  void warn_model(const std::string& what) const;

  AesParams params_;
  TimingMode mode_;
  Clock clock_;
  sc_core::sc_time latency_;
  RegisterBank bank_;
  Register* ctrl_reg_ = nullptr;  // registers the data path reads often
  Register* sysconfig_reg_ = nullptr;
  Register* irqenable_reg_ = nullptr;
  AesModeEngine engine_;

  // Context.
  bool context_valid_ = false;
  bool keys_dirty_ = true;
  bool units_dirty_ = true;  // bulk registers not yet latched for this context
  unsigned key_bits_ = 0;
  sc_core::sc_time block_time_;  // core_time_per_block(key_bits_): both set by set_key_bits
  std::uint64_t length_blocks_ = 0;  // 0: no length written since CTRL (blocks as written)
  std::uint64_t blocks_in_ = 0;      // blocks accepted since the last CTRL write
  std::uint64_t blocks_out_ = 0;     // blocks read out since the last CTRL write
  std::uint32_t data_in_words_[4] = {0, 0, 0, 0};
  // The data window is also a FIFO port: DATA_x_0 accessed again and again walks through
  // the block's words (an EDMA3 slave channel writes and reads the FIFO address only).
  unsigned in_next_ = 0, out_next_ = 0;

  // Accurate pipeline: input buffer, core, output buffer.
  InBuf in_state_ = InBuf::Empty;
  sc_core::sc_time in_arrival_;
  AesBlock in_block_{};
  bool core_busy_ = false;
  sc_core::sc_time core_done_;
  AesBlock core_block_{};
  OutBuf out_state_ = OutBuf::Empty;
  sc_core::sc_time out_release_;
  AesBlock out_block_{};
  // The request lines' wires when they are LevelSignals (accurate mode), and whether a rise
  // may be announced on them (announce_rises).
  LevelSignal* in_wire_ = nullptr;
  LevelSignal* out_wire_ = nullptr;
  bool announced_ = false;
  bool replan_ = false;  // the state changed since the last plan_wakeup
  // When the output buffer last emptied and the core last handed a block over: a settle after
  // the transitions' times (the lines were announced ahead) still times each at its own time.
  sc_core::sc_time out_free_at_, core_free_at_;

  // Fast mode: elastic queue of computed blocks with their ready times.
  BlockQueue fast_queue_;
  sc_core::sc_time fast_core_free_;
  // Fast mode, a write burst into DATA_IN (a DMA run of frames): the blocks are timed as they
  // arrive but computed together, in one engine call, when the transaction ends. Until then
  // the last fast_run_blocks_ entries of fast_queue_ hold their input.
  bool fast_run_open_ = false;
  std::uint64_t fast_run_blocks_ = 0;

  // Soft reset.
  bool resetting_ = false;
  bool hung_ = false;  // fault injection: hang()
  unsigned long injected_ = 0;
  sc_core::sc_time reset_done_at_;

  sc_core::sc_event wake_;
  // The pending notification's time when wake_at_ > now: a timed notification fires before
  // any process runs at its time, so one at or before now has fired (reset() cancels).
  sc_core::sc_time wake_at_;
  Observed observed_;
  BusyObserver busy_observer_;
  std::vector<FlagsObserver> flags_observers_;
  bool observing_ = false;
  void refresh_observed();

  // Statistics.
  std::uint64_t blocks_processed_ = 0;
  sc_core::sc_time core_busy_time_;
};

}  // namespace aesvp
