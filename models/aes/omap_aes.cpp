#include "models/aes/omap_aes.h"

#include "models/core/level_signal.h"
#include "models/core/sim_time.h"
#include "models/core/observe.h"

#include "models/core/report.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace aesvp {

namespace regs = omap_aes;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

std::uint32_t block_word(const AesBlock& b, unsigned w) {
  std::uint32_t v;
  std::memcpy(&v, b.data() + 4 * w, 4);  // little-endian word of the byte string
  return v;
}

void set_block_word(AesBlock& b, unsigned w, std::uint32_t v) { std::memcpy(b.data() + 4 * w, &v, 4); }

}  // namespace

OmapAes::OmapAes(sc_core::sc_module_name name, const AesParams& params, TimingMode mode)
    : sc_core::sc_module(name),
      socket("socket"),
      irq("irq"),
      dma_req_in("dma_req_in"),
      dma_req_out("dma_req_out"),
      params_(params),
      mode_(mode),
      clock_(params.clock_mhz),
      latency_(clock_.cycles(std::uint64_t{params.reg_access_cycles})),
      bank_(*this, regs::kWindowSize) {
  if (!(params.clock_mhz > 0.0)) {
    SC_REPORT_ERROR(kReportConfig, (std::string(this->name()) + ": aes.clock_mhz must be > 0").c_str());
  }
  bank_.set_access_latency(latency_);
  declare_registers();
  set_key_bits(0);
  ctrl_reg_ = &bank_.at(regs::kCtrl);
  sysconfig_reg_ = &bank_.at(regs::kSysconfig);
  irqenable_reg_ = &bank_.at(regs::kIrqEnable);
  socket.register_b_transport<&OmapAes::b_transport>(this);
  socket.register_transport_dbg(this, &OmapAes::transport_dbg);
  SC_METHOD(settle);
  sensitive << wake_;
  dont_initialize();
}

void OmapAes::end_of_elaboration() {
  // Request lines can be announced ahead only on LevelSignal wires (accurate mode).
  if (mode_ != TimingMode::Accurate) return;
  in_wire_ = dynamic_cast<LevelSignal*>(dma_req_in.get_interface());
  out_wire_ = dynamic_cast<LevelSignal*>(dma_req_out.get_interface());
}

sc_time OmapAes::core_time_per_block(unsigned key_bits) const {
  const std::uint32_t cycles = key_bits == 256   ? params_.cycles_per_block_256
                               : key_bits == 192 ? params_.cycles_per_block_192
                                                 : params_.cycles_per_block_128;
  return clock_.cycles(std::uint64_t{cycles});
}

// --- Registers ------------------------------------------------------------------------------

void OmapAes::declare_registers() {
  for (std::uint32_t x = 0; x < regs::kKeyWords; ++x) {
    // Keys are write-only: a read answers TLM_COMMAND_ERROR_RESPONSE.
    auto write_key = [this](RegAccess& a) {
      keys_dirty_ = true;
      return a.merged();
    };
    bank_.add("KEY2_" + std::to_string(x), regs::key2_word(x), Access::WriteOnly).on_write(write_key);
    bank_.add("KEY1_" + std::to_string(x), regs::key1_word(x), Access::WriteOnly).on_write(write_key);
  }
  for (unsigned w = 0; w < 4; ++w) {
    // The IV registers are the live chaining value of the engine.
    bank_.add("IV_IN_" + std::to_string(w), regs::iv_in(w), Access::ReadWrite)
        .value([this, w] { return block_word(engine_.iv(), w); })
        .on_write([this, w](RegAccess& a) {
          AesBlock iv = engine_.iv();
          set_block_word(iv, w, a.data);
          engine_.set_iv(iv);
          return a.stored;
        });
  }
  bank_.add("CTRL", regs::kCtrl, Access::ReadWrite)
      .value([this] { return ctrl_value(); })
      .writable(~regs::kCtrlStatusBits)
      .on_write([this](RegAccess& a) { return write_ctrl(a.data); });
  for (std::uint64_t off : {regs::kCLength0, regs::kCLength1}) {
    bank_.add(off == regs::kCLength0 ? "C_LENGTH_0" : "C_LENGTH_1", off, Access::ReadWrite)
        .on_write([this, off](RegAccess& a) {
          const std::uint64_t other = bank_.at(off == regs::kCLength0 ? regs::kCLength1 : regs::kCLength0).get();
          write_length(off == regs::kCLength0 ? (other << 32) | a.data
                                              : (std::uint64_t{a.data} << 32) | other);
          return a.data;
        });
  }
  bank_.add("AUTH_LENGTH", regs::kAuthLength, Access::ReadWrite);
  for (unsigned w = 0; w < 4; ++w) {
    bank_.add("DATA_IN_OUT_" + std::to_string(w), regs::data_in_out(w), Access::ReadWrite)
        .value([this, w] { return peek_data_out(w); })
        .on_read([this, w](RegAccess& a) { return read_data_out(w, a); })
        .on_write([this, w](RegAccess& a) {
          write_data_in(w, a);
          return a.stored;
        });
  }
  bank_.on_beat(
      regs::data_in_out(0), regs::kBlockBytes,
      [this](const unsigned char* d, RegAccess& a) { return write_data_in_block(d, a); },
      [this](unsigned char* d, RegAccess& a) { return read_data_out_block(d, a); });
  bank_.on_beat_run([this](const unsigned char* d, BeatRun& run) { return write_data_in_run(d, run); },
                    [this](unsigned char* d, BeatRun& run) { return read_data_out_run(d, run); });
  for (unsigned w = 0; w < 4; ++w) {
    bank_.add("TAG_OUT_" + std::to_string(w), regs::tag_out(w), Access::ReadOnly);  // GCM/CCM: not modelled
  }
  bank_.add("REVISION", regs::kRevision, Access::ReadOnly, params_.revision);
  bank_.add("SYSCONFIG", regs::kSysconfig, Access::ReadWrite)
      .value([this] { return sysconfig_reg_->get() | (resetting_ ? regs::kSysconfigSoftreset : 0u); })
      .writable(regs::kSysconfigWritable)
      .on_write([this](RegAccess& a) { return write_sysconfig(a); })
      .after_write([this](const RegAccess&) { update_outputs(); })
      .timed();  // only when the outputs stay as they are (takes_sysconfig_ahead)
  if (params_.bulk_extension) declare_bulk_registers();
  bank_.add("SYSSTATUS", regs::kSysstatus, Access::ReadOnly, regs::kSysstatusResetDone)
      .value([this] { return resetting_ ? 0u : regs::kSysstatusResetDone; });
  // Level status: writes change nothing (Linux writes back status & ~bit).
  bank_.add("IRQSTATUS", regs::kIrqStatus, Access::ReadWrite)
      .value([this] { return irq_status(); })
      .on_write([](RegAccess& a) { return a.stored; });
  bank_.add("IRQENABLE", regs::kIrqEnable, Access::ReadWrite)
      .writable(regs::kIrqAll)
      .after_write([this](const RegAccess&) { update_outputs(); });
}

std::uint32_t OmapAes::peek(std::uint32_t offset) const { return bank_.peek(offset); }

std::uint32_t OmapAes::ctrl_value() const {
  std::uint32_t v = ctrl_reg_->get() & ~regs::kCtrlStatusBits;
  if (output_ready()) v |= regs::kCtrlOutputReady;
  if (can_take_input()) v |= regs::kCtrlInputReady;
  if (pipeline_idle() && !resetting_) v |= regs::kCtrlContextReady;
  return v;
}

std::uint32_t OmapAes::irq_status() const {
  std::uint32_t s = 0;
  if (pipeline_idle() && !resetting_) s |= regs::kIrqContextIn;
  if (can_take_input()) s |= regs::kIrqDataIn;
  if (output_ready()) s |= regs::kIrqDataOut;
  return s;
}

void OmapAes::warn_model(const std::string& what) const {
  SC_REPORT_WARNING(kReportModel, (std::string(name()) + ": " + what).c_str());
}

std::uint32_t OmapAes::write_ctrl(std::uint32_t v) {
  if (!pipeline_idle()) {
    warn_model("CTRL written while blocks are in flight: they are discarded");
    flush_pipeline();
  }
  // Writing CTRL loads a new context: mode, key (on the first block) and the IV registers.
  AesModeSpec spec;
  spec.encrypt = (v & regs::kCtrlDirection) != 0;
  const std::uint32_t ks = (v & regs::kCtrlKeySizeMask) >> regs::kCtrlKeySizeShift;
  set_key_bits(ks == regs::kKeySize128 ? 128 : ks == regs::kKeySize192 ? 192 : ks == regs::kKeySize256 ? 256 : 0);
  const std::uint32_t xts = (v & regs::kCtrlXtsMask) >> regs::kCtrlXtsShift;
  const unsigned widths[4] = {32, 64, 96, 128};
  spec.ctr_width_bits = widths[(v & regs::kCtrlCtrWidthMask) >> regs::kCtrlCtrWidthShift];
  spec.xts_mode = xts;
  spec.xts_j = bank_.at(regs::kAuthLength).get();
  const unsigned modes = ((v & regs::kCtrlCbc) != 0) + ((v & regs::kCtrlCtr) != 0) + (xts != 0);
  std::string why;
  if (key_bits_ == 0) why = "KEY_SIZE 0 is invalid";
  else if ((v & (regs::kCtrlIcm | regs::kCtrlCfb | regs::kCtrlF8 | regs::kCtrlF9 | regs::kCtrlCbcMac |
                 regs::kCtrlGcmMask | regs::kCtrlCcm)) != 0)
    why = "ICM/CFB/F8/F9/CBC-MAC/GCM/CCM are not modelled";
  else if (modes > 1) why = "more than one of CBC, CTR and XTS selected";
  if (!why.empty()) {
    std::ostringstream msg;
    msg << "CTRL 0x" << std::hex << v << " selects no mode the model supports (" << why
        << "): blocks are refused until CTRL is written again";
    warn_model(msg.str());
  }
  spec.chaining = xts != 0 ? AesChaining::Xts
                  : (v & regs::kCtrlCbc) != 0 ? AesChaining::Cbc
                  : (v & regs::kCtrlCtr) != 0 ? AesChaining::Ctr
                                              : AesChaining::Ecb;
  engine_.start(spec, engine_.iv());
  context_valid_ = why.empty();
  keys_dirty_ = true;
  units_dirty_ = true;
  blocks_in_ = blocks_out_ = 0;
  length_blocks_ = 0;
  update_outputs();
  return v & ~regs::kCtrlStatusBits;  // the status bits are computed, never stored
}

void OmapAes::write_length(std::uint64_t bytes) {
  length_blocks_ = (bytes + regs::kBlockBytes - 1) / regs::kBlockBytes;
  update_outputs();
}

std::uint32_t OmapAes::write_sysconfig(const RegAccess& a) {
  if ((a.data & regs::kSysconfigSoftreset) == 0) return a.merged();
  soft_reset(a.end);  // every register back to its reset value, SYSCONFIG included
  return sysconfig_reg_->reset_value();
}

void OmapAes::reset() {
  clear_state();
  resetting_ = false;
  wake_.cancel();  // nothing is in flight any more
  wake_at_ = SC_ZERO_TIME;
  update_outputs();
  plan_wakeup(sim_now());  // withdraws announced rises
}

void OmapAes::hang() {
  hung_ = true;
  ++injected_;
  update_outputs();
  plan_wakeup(sim_now());  // withdraws announced rises (a hung core raises no line)
}

void OmapAes::soft_reset(const sc_time& at) {
  clear_state();
  resetting_ = true;
  reset_done_at_ = at + softreset_time();
  update_outputs();
}

void OmapAes::clear_state() {
  bank_.reset();
  flush_pipeline();
  fast_core_free_ = SC_ZERO_TIME;
  engine_.start(AesModeSpec{}, AesBlock{});
  context_valid_ = false;
  keys_dirty_ = true;
  set_key_bits(0);
  length_blocks_ = blocks_in_ = blocks_out_ = 0;
  std::fill(std::begin(data_in_words_), std::end(data_in_words_), 0u);
  in_next_ = out_next_ = 0;
  hung_ = false;
}

void OmapAes::flush_pipeline() {
  out_free_at_ = core_free_at_ = SC_ZERO_TIME;
  in_state_ = InBuf::Empty;
  core_busy_ = false;
  out_state_ = OutBuf::Empty;
  fast_queue_.clear();
  fast_run_blocks_ = 0;
}

// --- Data path ---------------------------------------------------------------------------------

bool OmapAes::fast_path() const {
  const std::uint32_t sc = sysconfig_reg_->get();
  return mode_ == TimingMode::Fast && length_blocks_ != 0 &&
         (sc & regs::kSysconfigDmaReqDataInEn) != 0 && (sc & regs::kSysconfigDmaReqDataOutEn) != 0;
}

bool OmapAes::can_take_input() const {
  if (!context_valid_ || resetting_ || hung_) return false;
  if (length_blocks_ != 0 && blocks_in_ >= length_blocks_) return false;
  return fast_path() || in_state_ == InBuf::Empty;
}

bool OmapAes::output_ready() const {
  return !hung_ && (!fast_queue_.empty() || out_state_ == OutBuf::Full);
}

bool OmapAes::pipeline_idle() const {
  return in_state_ == InBuf::Empty && !core_busy_ && out_state_ == OutBuf::Empty && fast_queue_.empty();
}

void OmapAes::load_keys() {
  const unsigned words = key_bits_ / 32;
  std::uint8_t k1[32], k2[32];
  for (unsigned x = 0; x < words; ++x) {
    const std::uint32_t w1 = bank_.at(regs::key1_word(x)).get();
    std::memcpy(k1 + 4 * x, &w1, 4);
  }
  const unsigned words2 = key2_bits() / 32;
  for (unsigned x = 0; x < words2; ++x) {
    const std::uint32_t w2 = bank_.at(regs::key2_word(x)).get();
    std::memcpy(k2 + 4 * x, &w2, 4);
  }
  engine_.set_key1(k1, words * 4);
  engine_.set_key2(k2, words2 * 4);
  keys_dirty_ = false;
}

sc_time OmapAes::time_block(std::uint64_t ahead) {
  if (keys_dirty_) load_keys();
  if (units_dirty_) latch_units();
  sc_time t = block_time_;
  if (ahead == 0 && engine_.initial_tweak_pending()) {
    // XTS: the core computes the initial tweak first (one more block time). j is taken
    // from AUTH_LENGTH now, so it may be written before or after CTRL.
    AesModeSpec spec = engine_.spec();
    spec.xts_j = bank_.at(regs::kAuthLength).get();
    engine_.start(spec, engine_.iv());
    t += block_time_;
  }
  // Bulk extension: a unit's XTS tweak or ESSIV IV costs one more block time (salt key size
  // taken as the data key's: the difference is below the model's resolution).
  if (engine_.unit_iv_pending(ahead)) t += block_time_;
  ++blocks_processed_;
  core_busy_time_ += t;
  return t;
}

sc_time OmapAes::compute_block(const AesBlock& in, AesBlock& out) {
  const sc_time t = time_block(0);
  engine_.process(in.data(), out.data(), 1);
  return t;
}

void OmapAes::compute_fast_run() {
  const std::uint64_t n = fast_run_blocks_;
  fast_run_blocks_ = 0;
  if (n == 0) return;
  std::uint8_t* run = fast_queue_.data(fast_queue_.size() - n);  // in place: input -> output
  engine_.process(run, run, n);
}

std::size_t OmapAes::BlockQueue::append(std::size_t n) {
  if (tail_ + n > ready_.size()) {
    if (head_ != 0) {  // the queued blocks to the front first
      std::memmove(bytes_.data(), bytes_.data() + head_ * kBytes, (tail_ - head_) * kBytes);
      std::copy(ready_.begin() + head_, ready_.begin() + tail_, ready_.begin());
      tail_ -= head_;
      head_ = 0;
    }
    if (tail_ + n > ready_.size()) {
      const std::size_t blocks = std::max(tail_ + n, 2 * ready_.size());
      ready_.resize(blocks);
      bytes_.resize(blocks * kBytes);
    }
  }
  const std::size_t k = tail_ - head_;
  tail_ += n;
  return k;
}

void OmapAes::BlockQueue::pop(std::size_t n) {
  head_ += n;
  if (head_ == tail_) head_ = tail_ = 0;  // empty: start again at the front
}

void OmapAes::write_data_in(unsigned addressed, const RegAccess& a) {
  // DATA_IN_0 is also the FIFO port: repeated writes to it walk the block's words.
  const unsigned word = addressed == 0 ? in_next_ : addressed;
  in_next_ = (word + 1) % 4;
  data_in_words_[word] = a.data;
  if (word != 3) return;
  // DATA_IN_3 completes a block; it is in the input buffer when the beat ends.
  AesBlock b;
  for (unsigned w = 0; w < 4; ++w) set_block_word(b, w, data_in_words_[w]);
  accept_block(b, a.end);
}

void OmapAes::accept_block(const AesBlock& in, const sc_time& arrival) {
  if (!context_valid_) {
    warn_model("DATA_IN block written without a valid context (write CTRL first): dropped");
    return;
  }
  if (!can_take_input()) {
    warn_model(length_blocks_ != 0 && blocks_in_ >= length_blocks_
                   ? "DATA_IN block beyond C_LENGTH: dropped"
                   : "DATA_IN written while the input buffer is full (overrun): block dropped");
    return;
  }
  ++blocks_in_;
  if (fast_path()) {
    const bool was_empty = fast_queue_.empty();
    queue_fast_block(in.data(), arrival);
    // The outputs change only with the first block queued or the last one C_LENGTH allows.
    if (!was_empty && blocks_in_ != length_blocks_ && !observing_) return;
  } else {
    in_block_ = in;
    in_state_ = InBuf::Loading;
    in_arrival_ = arrival;
  }
  update_outputs();  // lowers dma_req_in inside the servicing write
}

void OmapAes::queue_fast_block(const std::uint8_t* in, const sc_time& arrival) {
  // Elastic buffers: the core runs the blocks back to back. Inside a DATA_IN burst the
  // data waits for the burst's end (compute_fast_run), the time does not.
  const std::size_t k = fast_queue_.append(1);
  if (fast_run_open_) {
    time_fast_block(k, arrival, fast_run_blocks_++);
    std::memcpy(fast_queue_.data(k), in, regs::kBlockBytes);
  } else {
    time_fast_block(k, arrival, 0);
    engine_.process(in, fast_queue_.data(k), 1);
  }
}

void OmapAes::time_fast_block(std::size_t k, const sc_time& arrival, std::uint64_t ahead) {
  fast_core_free_ = std::max(arrival, fast_core_free_) + time_block(ahead);
  fast_queue_.ready(k) = fast_core_free_;
}

std::uint32_t OmapAes::peek_data_out(unsigned word) const {
  if (!fast_queue_.empty()) {
    std::uint32_t v;
    std::memcpy(&v, fast_queue_.data(0) + 4 * word, 4);
    return v;
  }
  if (out_state_ != OutBuf::Empty) return block_word(out_block_, word);
  return 0;
}

std::uint32_t OmapAes::read_data_out(unsigned addressed, RegAccess& a) {
  // DATA_OUT_0 is also the FIFO port: repeated reads of it walk the block's words.
  const unsigned word = addressed == 0 ? out_next_ : addressed;
  out_next_ = (word + 1) % 4;
  const std::uint32_t v = peek_data_out(word);
  if (word == 3) consume_output_block(a);
  return v;
}

bool OmapAes::write_data_in_block(const unsigned char* data, const RegAccess& a) {
  if (in_next_ != 0) return false;
  std::memcpy(data_in_words_, data, regs::kBlockBytes);  // as the four word writes leave them
  AesBlock b;
  std::memcpy(b.data(), data, regs::kBlockBytes);
  accept_block(b, a.end);
  return true;
}

bool OmapAes::read_data_out_block(unsigned char* data, RegAccess& a) {
  if (out_next_ != 0) return false;
  for (unsigned w = 0; w < 4; ++w) {
    const std::uint32_t v = peek_data_out(w);
    std::memcpy(data + 4 * w, &v, 4);
  }
  consume_output_block(a);
  return true;
}

bool OmapAes::write_data_in_run(const unsigned char* data, BeatRun& run) {
  // The frame-by-frame run goes on while dma_req_in is high: until C_LENGTH (fast path).
  if (!fast_run_open_ || in_next_ != 0 || observing_ || run.line != &dma_req_in.read() ||
      !can_take_input())
    return false;
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(run.units, length_blocks_ - blocks_in_));
  const std::size_t first = fast_queue_.append(n);
  std::memcpy(fast_queue_.data(first), data, n * regs::kBlockBytes);  // computed at the burst's end
  std::memcpy(data_in_words_, data + (n - 1) * regs::kBlockBytes, regs::kBlockBytes);
  for (std::size_t k = 0; k < n; ++k) {
    if (k != 0) run.next_beat();
    ++blocks_in_;
    time_fast_block(first + k, run.end, fast_run_blocks_++);  // arrives at its beat's end
    // The outputs change with the first block queued and the last one C_LENGTH allows only.
    if (first + k == 0 || blocks_in_ == length_blocks_) update_outputs();
  }
  run.beats = static_cast<unsigned>(n);
  return true;
}

bool OmapAes::read_data_out_run(unsigned char* data, BeatRun& run) {
  // The frame-by-frame run goes on while dma_req_out is high: until the queue is empty.
  if (out_next_ != 0 || observing_ || fast_queue_.empty() || !requests_output() ||
      run.line != &dma_req_out.read())
    return false;
  const std::size_t n = std::min<std::size_t>(run.units, fast_queue_.size());
  std::memcpy(data, fast_queue_.data(0), n * regs::kBlockBytes);
  for (std::size_t k = 0; k < n; ++k) {
    if (k != 0) run.next_beat();
    const sc_time& ready = fast_queue_.ready(k);
    if (ready > run.time) run.stall(ready - run.time);  // the beat waits for its block
  }
  fast_queue_.pop(n);
  blocks_out_ += n;
  // Reading changes the outputs only when the queue runs empty, which can only be at the
  // run's last block: one update instead of one per block.
  update_outputs();
  run.beats = static_cast<unsigned>(n);
  return true;
}

void OmapAes::consume_output_block(RegAccess& a) {
  // Reading DATA_OUT_3 consumes the output block.
  if (!fast_queue_.empty()) {
    const sc_time ready = fast_queue_.ready(0);
    if (ready > a.time) a.stall += ready - a.time;  // the beat waits for the block
    fast_queue_.pop(1);
    ++blocks_out_;
  } else if (out_state_ == OutBuf::Full) {
    out_state_ = OutBuf::Reading;
    out_release_ = a.end;
    ++blocks_out_;
  } else {
    warn_model("DATA_OUT_3 read with no output block ready: returns 0");
  }
  update_outputs();  // lowers dma_req_out inside the servicing read
}

// --- Transport and settling ----------------------------------------------------------------------

bool OmapAes::nothing_to_settle() const {
  // Fast mode with the accurate pipeline idle: nothing changes with time that an output or a
  // register shows (the fast queue's blocks are there, ready or not), and every register hook
  // that changes an output updates it. Observers want the core's idle time: settle then.
  return mode_ == TimingMode::Fast && !observing_ && !resetting_ && in_state_ == InBuf::Empty &&
         !core_busy_ && out_state_ == OutBuf::Empty;
}

bool OmapAes::transition_due(const sc_time& now) const {
  return (resetting_ && reset_done_at_ <= now) || (out_state_ == OutBuf::Reading && out_release_ <= now) ||
         (in_state_ == InBuf::Loading && in_arrival_ <= now) || (core_busy_ && core_done_ <= now) ||
         (!core_busy_ && in_state_ == InBuf::Full);
}

void OmapAes::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
  if (AheadWriteQuery* q = ahead_write_query(trans)) {  // models/core/ahead_write.h
    bank_.answer_ahead_query(trans, *q);
    if (q->taken && trans.get_address() == regs::kSysconfig) q->taken = takes_sysconfig_ahead(q->word);
    return;
  }
  // The access sees the settled state of now. Every pending transition is armed by the settle
  // after the previous access (or by a wake-up's): with none due, there is nothing to do,
  // unless observers follow the time-dependent busy flag.
  if (!nothing_to_settle() && (observing_ || transition_due(sim_now()))) {
    const sc_time now = sim_now();
    settle_pipeline(now);
    if (!announced_) plan_wakeup(now);  // else the settle after the access announces
  }
  // A write burst that only touches DATA_IN (a DMA run of frames, or one block): its blocks
  // are computed in one engine call at its end. No other register runs a hook meanwhile.
  const std::uint64_t addr = trans.get_address();
  const unsigned width = trans.get_streaming_width();
  // (The address test first: most accesses are to other registers.)
  fast_run_open_ = trans.is_write() && width != 0 && addr >= regs::data_in_out(0) &&
                   addr + width <= regs::data_in_out(0) + regs::kBlockBytes && fast_path();
  try {
    bank_.b_transport(trans, delay);
  } catch (...) {
    fast_run_open_ = false;
    fast_run_blocks_ = 0;
    throw;
  }
  fast_run_open_ = false;
  compute_fast_run();
  if (!nothing_to_settle()) settle();
}

unsigned int OmapAes::transport_dbg(tlm::tlm_generic_payload& trans) { return bank_.transport_dbg(trans); }

void OmapAes::settle() {
  const sc_time now = sim_now();
  settle_pipeline(now);
  // Announced rises stay right until the state changes (~2 of 3 settles change nothing).
  if (!announced_ || replan_) plan_wakeup(now);
}

void OmapAes::settle_pipeline(const sc_time& now) {
  bool moved = false;  // a transition made here
  if (resetting_ && reset_done_at_ <= now) {
    resetting_ = false;
    moved = true;
  }
  // Each transition at its own time: settles run at every transition's time unless the
  // request lines were announced ahead (plan_wakeup), and then at the next access.
  for (bool changed = true; changed; moved |= changed) {
    changed = false;
    if (out_state_ == OutBuf::Reading && out_release_ <= now) {
      out_state_ = OutBuf::Empty;
      out_free_at_ = out_release_;
      changed = true;
    }
    if (in_state_ == InBuf::Loading && in_arrival_ <= now) {
      in_state_ = InBuf::Full;
      changed = true;
    }
    if (core_busy_ && core_done_ <= now && out_state_ == OutBuf::Empty) {
      core_busy_ = false;
      core_free_at_ = std::max(core_done_, out_free_at_);  // the hand-off's time
      out_block_ = core_block_;
      out_state_ = OutBuf::Full;
      changed = true;
    }
    if (!core_busy_ && in_state_ == InBuf::Full) {
      in_state_ = InBuf::Empty;
      core_busy_ = true;
      core_done_ = std::max(in_arrival_, core_free_at_) + compute_block(in_block_, core_block_);
      changed = true;
    }
  }
  // Every other change updates the outputs where it is made (register hooks, accept_block,
  // consume_output_block, the resets, hang): without a transition here they are current
  // (twice per access), unless observers follow the time-dependent fast-mode busy flag.
  if (moved || observing_) update_outputs();
}

void OmapAes::plan_wakeup(const sc_time& now) {
  replan_ = false;
  if (announce_rises(now)) return;
  // Re-arm at the earliest pending change (an sc_event keeps only its earliest notification;
  // each activation re-arms for the next one).
  sc_time next = sc_core::SC_ZERO_TIME;
  bool pending = false;
  auto consider = [&](bool cond, const sc_time& t) {
    if (cond && t > now && (!pending || t < next)) {
      next = t;
      pending = true;
    }
  };
  consider(resetting_, reset_done_at_);
  // The output buffer freed while the core still computes the next block changes nothing
  // anyone sees (no output ready either way, the pipeline busy either way): the core's own
  // wake-up settles it first, so no wake-up of its own.
  consider(out_state_ == OutBuf::Reading && !(core_busy_ && core_done_ > out_release_), out_release_);
  consider(in_state_ == InBuf::Loading, in_arrival_);
  consider(core_busy_, core_done_);
  // Observers see the fast-mode core go idle when it does, not at the next access (the sDMA
  // may have moved the whole request in one run long before). No behaviour depends on it.
  AESVP_OBSERVE(consider(observing_ && fast_core_free_ > now, fast_core_free_));
  if (pending) arm_wake(next, now);
}

bool OmapAes::announce_rises(const sc_time& now) {
  // The accurate pipeline's transitions change nothing anyone sees but the request lines
  // (rising only) unless interrupts are enabled, observers look, or a reset or hang is on;
  // with the bulk units not yet latched the next block's core time is not known yet.
  const bool quiet = mode_ == TimingMode::Accurate && irqenable_reg_->get() == 0 && !observing_ &&
                     !resetting_ && !hung_ && !(units_dirty_ && params_.bulk_extension);
  sc_time in_at, out_at;
  bool in_rises = false, out_rises = false;
  if (quiet) next_rises(now, in_rises, in_at, out_rises, out_at);
  auto announce = [](LevelSignal* wire, bool rises, const sc_time& at) {
    if (rises) return wire->schedule_rise(at);
    wire->cancel_rise();
    return true;
  };
  // Wires that cannot take announcements keep every wake-up, invisible transitions' included:
  // a timed notification fewer can reorder other processes due at the same time.
  if (quiet && in_wire_ != nullptr && out_wire_ != nullptr && in_wire_->takes_announcements() &&
      out_wire_->takes_announcements() && announce(in_wire_, in_rises, in_at) &&
      announce(out_wire_, out_rises, out_at)) {
    announced_ = true;
    return true;
  }
  // The old path: the settle at each transition's time raises the lines (also withdraws an
  // input rise announced just before the output wire refused).
  if (in_wire_ != nullptr) in_wire_->cancel_rise();
  if (out_wire_ != nullptr) out_wire_->cancel_rise();
  announced_ = false;
  return false;
}

void OmapAes::next_rises(const sc_time& now, bool& in_rises, sc_time& in_at, bool& out_rises,
                         sc_time& out_at) const {
  // From the settled pipeline (no transition due at `now`) and no further access: when the
  // input buffer empties (the core takes its block) and when the output buffer fills (the core
  // hands its block over). Each line rises at most once before the next access.
  const bool out_frees = out_state_ != OutBuf::Full;
  const sc_time& out_free = out_state_ == OutBuf::Reading ? out_release_ : now;
  // The core hands its block over / takes the input block (when `*_known`).
  const bool handoff_known = core_busy_ && out_frees;
  const sc_time handoff = handoff_known ? std::max(core_done_, out_free) : now;
  const bool take_known = in_state_ != InBuf::Empty && (!core_busy_ || handoff_known);
  const sc_time take = core_busy_ ? std::max(in_arrival_, handoff) : in_arrival_;
  const std::uint32_t sc = sysconfig_reg_->get();
  in_rises = take_known && (sc & regs::kSysconfigDmaReqDataInEn) != 0 && context_valid_ &&
             !(length_blocks_ != 0 && blocks_in_ >= length_blocks_);
  in_at = take;
  out_rises = false;
  if ((sc & regs::kSysconfigDmaReqDataOutEn) == 0 || !out_frees) return;
  if (core_busy_) {
    out_rises = true;
    out_at = handoff;
  } else if (take_known) {
    out_rises = true;
    out_at = std::max(take + next_block_time(), out_free);
  }
}

sc_time OmapAes::next_block_time() const {
  // time_block(0) without its effects: the initial XTS tweak or a unit's IV cost one more.
  sc_time t = block_time_;
  if (engine_.initial_tweak_pending()) t += block_time_;
  else if (engine_.unit_iv_pending(0)) t += block_time_;
  return t;
}

void OmapAes::set_key_bits(unsigned bits) {
  key_bits_ = bits;
  block_time_ = core_time_per_block(bits);
}

void OmapAes::arm_wake(const sc_time& at, const sc_time& now) {
  if (wake_at_ > now && wake_at_ <= at) return;  // sc_event would ignore this later one
  wake_.notify(at - now);
  wake_at_ = at;
}

bool OmapAes::takes_sysconfig_ahead(std::uint32_t word) const {
  // Written ahead of simulated time, SYSCONFIG would change the request lines (and a soft
  // reset the whole state) at the time of the call, not at the write's: taken only when it
  // changes no output, nothing is announced on them and no observer looks.
  if (observing_ || resetting_ || announced_ || (word & regs::kSysconfigSoftreset) != 0) return false;
  return requests_input(word) == dma_req_in.read() && requests_output(word) == dma_req_out.read();
}

bool OmapAes::requests_input(std::uint32_t sysconfig) const {
  return (sysconfig & regs::kSysconfigDmaReqDataInEn) != 0 && can_take_input();
}

bool OmapAes::requests_output(std::uint32_t sysconfig) const {
  return (sysconfig & regs::kSysconfigDmaReqDataOutEn) != 0 && output_ready();
}

void OmapAes::update_outputs() {
  replan_ = true;  // every state change the lines follow passes here
  const bool req_in = requests_input();
  const bool req_out = requests_output();
  const std::uint32_t enabled = irqenable_reg_->get();  // DMA drivers enable none
  const bool irq_level = enabled != 0 && (irq_status() & enabled) != 0;
  if (dma_req_in.read() != req_in) dma_req_in.write(req_in);
  if (dma_req_out.read() != req_out) dma_req_out.write(req_out);
  if (irq.read() != irq_level) irq.write(irq_level);
  // Observation hook (waveforms).
  AESVP_OBSERVE(if (observing_) refresh_observed());
}

void OmapAes::refresh_observed() {
  const Observed was = observed_;
  observed_.context_ready = pipeline_idle() && !resetting_;
  observed_.input_ready = can_take_input();
  observed_.output_ready = output_ready();
  const bool busy = core_busy_ || fast_core_free_ > sim_now();
  if (busy != observed_.core_busy && busy_observer_) busy_observer_(busy);
  observed_.core_busy = busy;
  if (was.context_ready != observed_.context_ready || was.input_ready != observed_.input_ready ||
      was.output_ready != observed_.output_ready || was.core_busy != observed_.core_busy) {
    for (const FlagsObserver& o : flags_observers_) o(observed_);
  }
}

}  // namespace aesvp
