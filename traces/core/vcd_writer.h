// A small VCD (IEEE 1364 value change dump) writer: one-bit wires and unsigned vectors of up
// to 64 bits, time in whole units of the timescale. Plain C++ (no SystemC): the waveform
// recorder (traces/sc/waveform.h) feeds it the changes it observes, in time order.
//
//   VcdWriter w(out);
//   const auto irq = w.add("irq.sdma_l0", 1, 0);   // scopes from the dots: irq > sdma_l0
//   w.begin(header);                               // header, then $dumpvars at time 0
//   w.change(1500, irq, 1);                        // times never decrease
//   w.end(9000);                                   // the last time stamp
//
// Within one time stamp the last value given wins, and a variable whose value at the end of
// the stamp equals the one already in the file is not written again (a change undone within
// one time stamp does not appear). A stamp with nothing to write is not written.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace aesvp::traces {

struct VcdHeader {
  std::string date;             // $date; empty: none (the file then depends only on the run)
  std::string version = "aesvp";
  std::string timescale = "1 ps";
  std::string top = "aesvp";    // the top scope holding every variable
};

class VcdWriter {
 public:
  using VarId = std::uint32_t;

  explicit VcdWriter(std::ostream& out);
  ~VcdWriter();
  VcdWriter(const VcdWriter&) = delete;
  VcdWriter& operator=(const VcdWriter&) = delete;

  // Declares a variable before begin(): `dotted_name` "a.b.c" is variable c in scope a > b;
  // width 1 is a wire, 2..64 an unsigned vector. Variables of one scope should be declared
  // together (a scope interrupted by another is opened again, which VCD allows).
  // Throws std::invalid_argument for a bad width or name, std::logic_error after begin().
  VarId add(std::string_view dotted_name, unsigned width, std::uint64_t initial = 0);
  // Sets a variable's initial value (before begin()).
  void set_initial(VarId v, std::uint64_t value);

  // Writes the header and the initial values ($dumpvars) at time `t0`.
  void begin(const VcdHeader& header, std::uint64_t t0 = 0);
  // A value change at time t (t >= the last time given; std::logic_error otherwise).
  void change(std::uint64_t t, VarId v, std::uint64_t value);
  // Writes the pending stamp and a final time stamp t (if later than the last one written),
  // and flushes. Nothing may follow.
  void end(std::uint64_t t);

  // The value the file shows for v after everything given so far.
  std::uint64_t value(VarId v) const { return vars_.at(v).pending; }
  std::size_t variables() const { return vars_.size(); }
  std::uint64_t bytes_written() const { return bytes_; }

 private:
  struct Var {
    std::string scope;  // dotted scope path ("" = directly in the top scope)
    std::string name;
    std::string code;   // identifier code
    unsigned width;
    std::uint64_t written;  // value in the file
    std::uint64_t pending;  // value at the end of the current stamp
    bool dirty = false;
  };

  void flush_stamp();
  void write_value(const Var& v, std::uint64_t value);
  void raw(std::string_view s);
  void number(std::uint64_t n);
  void flush_buffer();

  std::ostream& out_;
  std::vector<Var> vars_;
  std::vector<VarId> dirty_;
  std::string buf_;
  std::uint64_t bytes_ = 0;
  std::uint64_t stamp_ = 0;       // time of the pending changes
  std::uint64_t last_written_ = 0;
  bool began_ = false, ended_ = false;
};

}  // namespace aesvp::traces
