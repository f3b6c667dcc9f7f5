// Waveforms of a Platform run: a VCD file written by SystemC's own VCD writer (sc_trace),
// with signal groups and a simulated-time window. See docs/traces.md, "Waveforms (VCD)".
//
//   aesvp::traces::WaveformOptions o;
//   o.path = "run.vcd";
//   o.groups = aesvp::traces::parse_signal_groups("irq,dma");
//   aesvp::traces::WaveformRecorder rec(platform, o);  // after the Platform, before sc_start
//   sc_core::sc_start();
//   rec.close();                                        // or let the destructor do it
//
// Off means no recorder: nothing is traced, no trace file exists, no process or event is
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
};

// Values a layer above the models sets (the crypto engine, later); sampled at the end of each
// simulated time step like any traced variable. Plain fields: setting one is a store.
struct EngineSignals {
  std::uint32_t queue_depth = 0;  // requests queued in the engine (crypto_engine's list)
  std::uint32_t in_flight = 0;    // requests handed to the hardware, not yet finalized
};

class WaveformRecorder {
 public:
  // Traces the selected groups of `platform` into options.path. Call during elaboration
  // (after the Platform, before the first sc_start). Throws std::invalid_argument for bad
  // options and std::runtime_error if the file cannot be written (nothing is left behind
  // for bad options: they are checked before the file is created).
  WaveformRecorder(Platform& platform, WaveformOptions options);
  ~WaveformRecorder();
  WaveformRecorder(const WaveformRecorder&) = delete;
  WaveformRecorder& operator=(const WaveformRecorder&) = delete;

  // Ends the file at the current simulated time (or at the window end if that came first)
  // and closes it. Idempotent; the destructor calls it.
  void close();

  EngineSignals& engine() { return engine_; }
  void set_queue_depth(std::uint32_t depth) { engine_.queue_depth = depth; }
  void set_in_flight(std::uint32_t n) { engine_.in_flight = n; }

  const WaveformOptions& options() const { return options_; }
  // Full names of the traced variables as they appear in the file, e.g. "irq.sdma_l0",
  // plus "trace.window" (1 while the window is open).
  const std::vector<std::string>& signal_names() const { return names_; }

 private:
  class Gate;

  void trace_bool(const bool& v, const std::string& name);
  void trace_port(const sc_core::sc_inout<bool>& port, const std::string& name);
  void trace_u32(const std::uint32_t& v, const std::string& name);
  void count_rises(const sc_core::sc_inout<bool>& port, const std::string& name);

  WaveformOptions options_;
  EngineSignals engine_;
  bool window_open_ = false;  // traced as trace.window
  sc_core::sc_trace_file* file_ = nullptr;
  std::shared_ptr<Gate> gate_;
  void spawn_window_edges();
  std::vector<std::unique_ptr<std::uint32_t>> counters_;  // rising edges of request lines
  std::vector<std::string> names_;
};

}  // namespace aesvp::traces
