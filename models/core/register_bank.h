// Memory-mapped 32-bit registers, each declared once (name, offset, access, reset value,
// read/write behaviour), and the TLM target logic that serves them:
//   - 32-bit words only: an access is a whole number of aligned words, possibly several
//     consecutive registers in one burst, or a FIFO burst (streaming width < length)
//     that repeats a window of registers (how a DMA moves one AES block per request);
//   - holes, misaligned addresses, odd sizes, byte enables, writes to read-only and reads
//     of write-only registers get the TLM error response and one clear warning, and
//     nothing of that access takes effect.
#pragma once

#include <systemc>
#include <tlm>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace aesvp {

enum class Access { ReadOnly, WriteOnly, ReadWrite };

class Register {
 public:
  using ReadHook = std::function<std::uint32_t()>;
  using WriteHook = std::function<void(std::uint32_t)>;

  Register(std::string name, std::uint64_t offset, Access access, std::uint32_t reset)
      : name_(std::move(name)), offset_(offset), access_(access), reset_(reset), value_(reset) {}

  // A read hook computes the value a bus read returns (status registers, FIFOs). It may
  // have side effects; debug reads use the peek hook (or the stored value) instead.
  Register& on_read(ReadHook h) { read_ = std::move(h); return *this; }
  // A write hook replaces the default "store the written value" (masked).
  Register& on_write(WriteHook h) { write_ = std::move(h); return *this; }
  Register& on_peek(ReadHook h) { peek_ = std::move(h); return *this; }
  // Bits that a plain write changes; the others keep their value.
  Register& writable(std::uint32_t mask) { mask_ = mask; return *this; }

  const std::string& name() const { return name_; }
  std::uint64_t offset() const { return offset_; }
  Access access() const { return access_; }
  std::uint32_t reset_value() const { return reset_; }

  // Model-side access to the stored value: no hooks, no access checks.
  std::uint32_t get() const { return value_; }
  void set(std::uint32_t v) { value_ = v; }
  void reset() { value_ = reset_; }

  std::uint32_t bus_read() { return read_ ? read_() : value_; }
  void bus_write(std::uint32_t v) {
    if (write_) write_(v);
    else value_ = (value_ & ~mask_) | (v & mask_);
  }
  std::uint32_t peek() const { return peek_ ? peek_() : value_; }

 private:
  std::string name_;
  std::uint64_t offset_;
  Access access_;
  std::uint32_t reset_;
  std::uint32_t value_;
  std::uint32_t mask_ = 0xffffffffu;
  ReadHook read_, peek_;
  WriteHook write_;
};

class RegisterBank {
 public:
  // `owner` names the device in reports; `size` is the width of its address window.
  RegisterBank(const sc_core::sc_object& owner, std::uint64_t size);

  Register& add(std::string name, std::uint64_t offset, Access access, std::uint32_t reset = 0);
  Register& at(std::uint64_t offset);  // throws std::out_of_range for a hole
  Register* find(std::uint64_t offset);

  void reset();  // every register to its reset value (no hooks run)

  // Latency of one bus access (one beat of the streaming width), added to the delay.
  void set_access_latency(const sc_core::sc_time& t) { latency_ = t; }
  const sc_core::sc_time& access_latency() const { return latency_; }

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);

  std::uint64_t size() const { return size_; }
  const std::map<std::uint64_t, Register>& registers() const { return regs_; }

 private:
  // Checks the access shape and every register it touches; on failure rejects it.
  bool check(tlm::tlm_generic_payload& trans);

  const sc_core::sc_object& owner_;
  std::uint64_t size_;
  std::map<std::uint64_t, Register> regs_;
  sc_core::sc_time latency_{sc_core::SC_ZERO_TIME};
};

}  // namespace aesvp
