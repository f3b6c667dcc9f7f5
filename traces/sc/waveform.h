// Waveforms of a Platform run: a VCD file of the value changes the models report at their
// observation points (wires, AES status flags, sDMA channel activity, CPU context classes),
// written by traces/core/vcd_writer.h, with signal groups and a simulated-time window. Only
// SystemC's public API is used. See docs/traces.md, "Waveforms (VCD)".
//
//   aesvp::traces::WaveformOptions o;
//   o.path = "run.vcd";
//   o.groups = aesvp::traces::parse_signal_groups("irq,dma");
//   aesvp::traces::WaveformRecorder rec(platform, o);  // after the Platform, before sc_start
//   sc_core::sc_start();
//   rec.close();                                        // or let the destructor do it
//
// Off means no recorder: no observer is installed, no file exists, no process or event is
// added, so a run without waveforms pays nothing.
#pragma once

#include "models/platform/platform.h"

#include <systemc>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aesvp::traces {

// Signal groups, as bits of a GroupSet.
enum SignalGroup : unsigned {
  kGroupIrq = 1u << 0,     // sDMA L0..L3, AES irq, GIC output per core
  kGroupDma = 1u << 1,     // AES DMA request lines tx/rx and their request counts,
                           // sDMA channel active flags
  kGroupAes = 1u << 2,     // AES context/input/output ready, core busy
  kGroupCpu = 1u << 3,     // per core: one bit per context class that runs
  kGroupEngine = 1u << 4,  // crypto engine queue depth and requests in flight
};
using GroupSet = unsigned;
inline constexpr GroupSet kAllGroups =
    kGroupIrq | kGroupDma | kGroupAes | kGroupCpu | kGroupEngine;

// "irq,dma,aes,cpu,engine" in any order and combination, or "all". Throws
// std::invalid_argument with a one-line message naming the bad part.
GroupSet parse_signal_groups(std::string_view text);
// The canonical list ("irq,dma,aes,cpu,engine" order) of a set.
std::string to_string(GroupSet groups);

// A simulated-time window [begin, end): end == sc_max_time() means "to the end of the run".
struct TimeWindow {
  sc_core::sc_time begin = sc_core::SC_ZERO_TIME;
  sc_core::sc_time end = sc_core::sc_max_time();
};
// "BEGIN:END" with times as <number><unit>, unit one of fs ps ns us ms s ("0" needs no unit);
// END may be empty (to the end of the run), BEGIN may be empty (from 0). Examples: "0:200us",
// "1.5us:2ms", "100us:". Throws std::invalid_argument (one line) on bad text or begin >= end.
TimeWindow parse_time_window(std::string_view text);

struct WaveformOptions {
  std::string path;  // the VCD file; must end in ".vcd"
  GroupSet groups = kAllGroups;
  TimeWindow window;
  // sDMA channels whose active flag is traced (dma group). Empty: the two channels per AES
  // instance that the bare-metal program and the driver use (0, 1 [, 2, 3]).
  std::vector<unsigned> sdma_channels;
  // Stop the simulation (sc_stop) at the window end: for callers that need nothing of the
  // run after it. Needs a bounded window.
  bool stop_after_window = false;
  // The header's $date text. Empty (the default): no $date, so the same run gives the same
  // bytes.
  std::string date;
  // A GTKWave layout written when the file ends (empty: none): the recorded signals in
  // groups, zoomed to the recorded range, opening `layout_dumpfile` (traces/core/gtkw_layout.h).
  std::string layout_path, layout_dumpfile;
};

class WaveformRecorder {
 public:
  // Records the selected groups of `platform` into options.path. Call during elaboration
  // (after the Platform, before the first sc_start). Throws std::invalid_argument for bad
  // options and std::runtime_error if the file cannot be written (nothing is left behind
  // for bad options: they are checked before the file is created).
  WaveformRecorder(Platform& platform, WaveformOptions options);
  ~WaveformRecorder();
  WaveformRecorder(const WaveformRecorder&) = delete;
  WaveformRecorder& operator=(const WaveformRecorder&) = delete;

  // Ends the file at the current simulated time (or at the window end if that came first)
  // and closes it. Idempotent; the destructor calls it. Throws std::runtime_error if the
  // file could not be written completely.
  void close();

  // Values a layer above the models reports (the crypto engine binding in the testbench):
  // recorded at the current simulated time (engine group; ignored without it).
  void set_queue_depth(std::uint32_t depth);
  void set_in_flight(std::uint32_t n);

  const WaveformOptions& options() const { return options_; }
  // Full names of the recorded variables as they appear in the file, e.g. "irq.sdma_l0",
  // plus "trace.window" (1 while the window is open).
  const std::vector<std::string>& signal_names() const { return names_; }
  // Whether the window end stopped the simulation (stop_after_window).
  bool stopped_simulation() const;
  // Bytes of VCD text written to the file so far.
  std::uint64_t bytes_written() const;

  class Impl;  // the queue of observed changes and the VCD writer (waveform.cpp)

 private:
  void attach(Platform& platform, const std::vector<unsigned>& channels);

  WaveformOptions options_;
  std::vector<std::string> names_;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<Impl*> link_;  // what observers hold: null once the recorder is gone
  std::uint32_t queue_var_ = 0, in_flight_var_ = 0;
};

}  // namespace aesvp::traces
