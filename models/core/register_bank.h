// Memory-mapped 32-bit registers, each declared once (name, offset, access, reset value,
// read/write/peek behaviour), and the TLM target logic that serves them:
//   - 32-bit words only: an access is a whole number of aligned words, possibly several
//     consecutive registers in one burst, or a FIFO burst (streaming width < length)
//     that repeats a window of registers (how a DMA moves one AES block per request);
//   - holes, misaligned addresses, odd sizes, byte enables, writes to read-only and reads
//     of write-only registers get the TLM error response and one clear warning, and
//     nothing of that access takes effect.
// Dispatch is a flat table indexed by word offset: O(1) per word, no search.
#pragma once

#include "models/core/ahead_write.h"
#include "models/core/sim_time.h"
#include "models/core/unit_burst.h"

#include <systemc>
#include <tlm>

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace aesvp {

enum class Access { ReadOnly, WriteOnly, ReadWrite };

// One word of a bus access as a register hook sees it. Hooks keep no per-transaction state
// of their own: everything about the access is here.
struct RegAccess {
  std::uint32_t data = 0;        // write: the word written; read: unused on entry
  std::uint32_t stored = 0;      // the register's stored value before the access
  std::uint32_t byte_enables = 0xffffffffu;  // enabled bytes as a bit mask (the bank
                                             // rejects partial words, so all four today)
  std::uint32_t writable = 0xffffffffu;      // the register's writable mask
  sc_core::sc_time time;  // annotated time at which this beat starts
                          // (sc_time_stamp() + delay, plus earlier beats and stalls)
  sc_core::sc_time end;   // annotated time at which this beat ends (time + access latency)
  // A hook that has to wait (a FIFO read whose data is not ready yet) adds the wait here;
  // the bank adds it to the transport delay and to the time of every later beat.
  sc_core::sc_time stall;

  // What a plain write stores: the writable bits from `data`, the others kept.
  std::uint32_t merged() const {
    const std::uint32_t m = writable & byte_enables;
    return (stored & ~m) | (data & m);
  }
};

class Register {
 public:
  // Computes the value of a register whose content is live state (status, a counter of the
  // model): used by bus reads and debug peeks alike, so it must have no side effects.
  using ValueFn = std::function<std::uint32_t()>;
  // A read with side effects (a FIFO pop, an interrupt acknowledge): returns the value read.
  // Debug peeks use the value function (or the stored value) instead.
  using ReadHook = std::function<std::uint32_t(RegAccess&)>;
  // A write: acts on the access and returns the value to store (`a.merged()` for the
  // plain behaviour, `a.stored` to keep the register as it was).
  using WriteHook = std::function<std::uint32_t(RegAccess&)>;
  // Runs after a bus write has stored its value: for effects that depend on the new value
  // (re-evaluating an interrupt or a DMA request output).
  using AfterWrite = std::function<void(const RegAccess&)>;

  Register(std::string name, std::uint64_t offset, Access access, std::uint32_t reset)
      : name_(std::move(name)), offset_(offset), access_(access), reset_(reset), value_(reset) {}

  Register& value(ValueFn f) { value_fn_ = std::move(f); return *this; }
  Register& on_read(ReadHook h) { read_ = std::move(h); return *this; }
  Register& on_write(WriteHook h) { write_ = std::move(h); return *this; }
  Register& after_write(AfterWrite h) { after_ = std::move(h); return *this; }
  // Bits that a plain write changes; the others keep their value.
  Register& writable(std::uint32_t mask) { mask_ = mask; return *this; }
  // The write hooks act at the access's annotated time (RegAccess::time and end), never at
  // the simulated time of the call: the register takes a write issued ahead of simulated
  // time (models/core/ahead_write.h) - its device may still refuse a particular word when
  // asked (OmapAes's SYSCONFIG). A register without write hooks only stores, and takes one
  // anyway.
  Register& timed() { timed_ = true; return *this; }
  bool takes_ahead_write() const { return timed_ || (!write_ && !after_); }

  const std::string& name() const { return name_; }
  std::uint64_t offset() const { return offset_; }
  Access access() const { return access_; }
  std::uint32_t reset_value() const { return reset_; }
  std::uint32_t writable_mask() const { return mask_; }

  // Model-side access to the stored value: no hooks, no access checks.
  std::uint32_t get() const { return value_; }
  void set(std::uint32_t v) { value_ = v; }
  void reset() { value_ = reset_; }

  // The value a debug read sees: no side effects.
  std::uint32_t peek() const { return value_fn_ ? value_fn_() : value_; }
  std::uint32_t bus_read(RegAccess& a) {
    a.stored = value_;
    if (read_) return read_(a);
    return peek();
  }
  void bus_write(RegAccess& a) {
    a.stored = value_;
    a.writable = mask_;
    value_ = write_ ? write_(a) : a.merged();
    if (after_) after_(a);
  }

 private:
  std::string name_;
  std::uint64_t offset_;
  Access access_;
  std::uint32_t reset_;
  std::uint32_t value_;
  std::uint32_t mask_ = 0xffffffffu;
  ValueFn value_fn_;
  ReadHook read_;
  WriteHook write_;
  AfterWrite after_;
  bool timed_ = false;
};

// A write hook for a register whose state lives in the model (bit sets, strobes, fields
// of a model struct): `f(word)` acts on the written word; the register stores nothing.
template <typename F>
Register::WriteHook acts_on(F f) {
  return [f](RegAccess& a) {
    f(a.data);
    return a.stored;
  };
}

// A run of beats offered to a run hook (RegisterBank::on_beat_run). On entry `time` and `end`
// are the first beat's; the hook moves to each further beat it takes with next_beat(), adds a
// beat's wait with stall(), and reports the count in `beats` (at least 1 when it accepts).
struct BeatRun {
  unsigned units = 0;                     // beats on offer; the data holds units x width bytes
  const bool* line = nullptr;             // UnitBurst::line: the request line pacing the run
  sc_core::sc_time latency;               // the bank's access latency per beat
  sc_core::sc_time gap;                   // from the end of one beat to the start of the next
  sc_core::sc_time time;                  // start of the current beat (the first on entry)
  sc_core::sc_time end;                   // end of the current beat, its stall included
  unsigned beats = 0;                     // answer: beats taken
  sc_core::sc_time stalled;               // answer: their stalls summed (kept by stall())

  void next_beat() {
    time = end + gap;
    end = time + latency;
  }
  // The current beat waits `t` more (a FIFO read whose data is not ready yet).
  void stall(const sc_core::sc_time& t) {
    end += t;
    stalled += t;
  }
};

class RegisterBank {
 public:
  // `owner` names the device in reports; `size` is the width of its address window.
  RegisterBank(const sc_core::sc_object& owner, std::uint64_t size);
  RegisterBank(const RegisterBank&) = delete;
  RegisterBank& operator=(const RegisterBank&) = delete;

  // References stay valid for the bank's lifetime.
  Register& add(std::string name, std::uint64_t offset, Access access, std::uint32_t reset = 0);
  Register& at(std::uint64_t offset);  // throws std::out_of_range for a hole
  const Register& at(std::uint64_t offset) const;
  Register* find(std::uint64_t offset) {
    return offset % 4 == 0 && offset < size_ ? index_[offset / 4] : nullptr;
  }
  const Register* find(std::uint64_t offset) const {
    return offset % 4 == 0 && offset < size_ ? index_[offset / 4] : nullptr;
  }
  // Debug view of one register (its peek value); 0 for a hole.
  std::uint32_t peek(std::uint64_t offset) const {
    const Register* r = find(offset);
    return r != nullptr ? r->peek() : 0;
  }

  void reset();  // every register to its reset value (no hooks run)

  // A FIFO window of `width` bytes at `offset` (declared registers) that a device moves as
  // one beat: a transaction at `offset` whose streaming width is `width` (a DMA frame) hands
  // each beat to one hook instead of one register hook per word. A hook returns false to
  // decline a beat (the bank then runs the words' hooks), and when it accepts it does all the
  // words' hooks would have done (their stored values are left as they are). Checks, timing
  // and stalls are the bank's, as for words. One window per bank.
  using BeatWrite = std::function<bool(const unsigned char* data, RegAccess& a)>;
  using BeatRead = std::function<bool(unsigned char* data, RegAccess& a)>;
  void on_beat(std::uint64_t offset, unsigned width, BeatWrite write, BeatRead read);

  // A run of beats through the beat window in one call: a UnitBurst of the window's width
  // is offered whole to a run hook, which takes as many beats as the unit-by-unit transfer
  // would have made (it knows where the initiator's request line falls: BeatRun::line) and
  // reports them with their stalls. The beats' times are the bank's arithmetic (BeatRun's
  // beat clock): beat k + 1 starts `gap` after beat k ended, stall included. A hook returns
  // false to decline the run (the bank then goes beat by beat, asking UnitBurst::more()).
  using RunWrite = std::function<bool(const unsigned char* data, BeatRun& run)>;
  using RunRead = std::function<bool(unsigned char* data, BeatRun& run)>;
  void on_beat_run(RunWrite write, RunRead read);

  // Latency of one bus access (one beat of the streaming width), added to the delay.
  void set_access_latency(const sc_core::sc_time& t) { latency_ = t; }
  const sc_core::sc_time& access_latency() const { return latency_; }

  // Inline: the single-word test is all a register access costs before its hook, so it is
  // made in the device's own transport function.
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    if (Register* reg = single_word(trans)) {
      word_access(*reg, trans, delay);
      return;
    }
    transport(trans, delay);
  }
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  // An ignore command that asks whether the word at its address takes a write issued ahead
  // of simulated time (`q`, its AheadWriteQuery): answered from the register's declaration,
  // with an OK response. b_transport does it for such a command; a device that has already
  // looked the extension up (to refine the answer) calls it directly.
  void answer_ahead_query(tlm::tlm_generic_payload& trans, AheadWriteQuery& q) const;

  std::uint64_t size() const { return size_; }
  // Registers in declaration order.
  const std::deque<Register>& registers() const { return regs_; }

 private:
  // Checks the access shape and every register it touches; on failure rejects it.
  bool check(tlm::tlm_generic_payload& trans);
  // The register of a plain single-word access (one aligned 32-bit word read or written,
  // no byte enables, no UnitBurst, not the beat window) that its register allows; null
  // for anything else, which takes the general path (and its checks and error responses).
  Register* single_word(const tlm::tlm_generic_payload& trans) const {
    const std::uint64_t addr = trans.get_address();
    const unsigned cmd = trans.get_command();
    // (width | 4) == 4: a streaming width of 4 or 0 (none).
    if (addr >= size_ || addr % 4 != 0 || cmd > tlm::TLM_WRITE_COMMAND ||
        trans.get_data_length() != 4 || (trans.get_streaming_width() | 4u) != 4u ||
        trans.get_byte_enable_ptr() != nullptr)
      return nullptr;
    Register* reg = single_[addr / 4][cmd];
    if (reg == nullptr || trans.get_extension<UnitBurst>() != nullptr) return nullptr;
    return reg;
  }
  // Serves a single-word access as the general path would: one beat, one hook. Inline too:
  // the device's transport function then makes the hook's call itself.
  void word_access(Register& reg, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    unsigned char* data = trans.get_data_ptr();
    RegAccess a;
    a.time = sim_now() + delay;
    a.end = a.time + latency_;
    if (trans.is_write()) {
      std::memcpy(&a.data, data, 4);
      reg.bus_write(a);
    } else {
      const std::uint32_t word = reg.bus_read(a);
      std::memcpy(data, &word, 4);
    }
    delay += latency_ + a.stall;  // beats_time() of one beat
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  // Every other access: checks, bursts, FIFO windows, beat hooks and UnitBursts.
  void transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  const sc_core::sc_object& owner_;
  std::uint64_t size_;
  std::deque<Register> regs_;      // stable addresses
  std::vector<Register*> index_;   // one slot per 32-bit word of the window; null = hole
  // Per word and command (TLM_READ_COMMAND, TLM_WRITE_COMMAND), the register the single-word
  // path serves, or null where it does not (a hole, a command the register does not take,
  // the one-word beat window): decided once when declared instead of on every access.
  std::vector<std::array<Register*, 2>> single_;
  void allow_word_commands(std::uint64_t offset);
  sc_core::sc_time latency_{sc_core::SC_ZERO_TIME};
  struct Beat {
    std::uint64_t offset = 0;
    unsigned width = 0;  // 0: no window
    BeatWrite write;
    BeatRead read;
    RunWrite run_write;
    RunRead run_read;
  } beat_;
  // The time `beats` beats take: their latencies, stalls, and the gaps between them.
  sc_core::sc_time beats_time(unsigned beats, const sc_core::sc_time& stalled,
                              const sc_core::sc_time& gap) const;
  // A UnitBurst through the beat window handed to a run hook, which answers the whole
  // transaction (beats, delay, response); false when none takes it. `gap` is the run's
  // spacing (UnitBurst::spacing) as transport() found it. Out of line: it kept the per-word
  // path of every other access slower.
  [[gnu::noinline]] bool run_beats(tlm::tlm_generic_payload& trans, UnitBurst& run,
                                   const sc_core::sc_time& gap, const sc_core::sc_time& start,
                                   sc_core::sc_time& delay);
};

}  // namespace aesvp
