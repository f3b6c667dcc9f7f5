// Feeds the engine group of a traces::WaveformRecorder from a running Stack: after each
// driver step, the requests queued in the crypto engines (engine.queue_depth, summed over AES
// instances) and the requests handed to the hardware and not yet finalized
// (engine.in_flight: from do_one_request to finalize). Installed only with a recorder.
#pragma once

#include "testbench/stack/stack.h"
#include "traces/sc/waveform.h"

#include <cstdint>
#include <unordered_set>

namespace aesvp::testbench {

class WaveformProbe {
 public:
  WaveformProbe(traces::WaveformRecorder& recorder, Stack& stack);
  WaveformProbe(const WaveformProbe&) = delete;
  WaveformProbe& operator=(const WaveformProbe&) = delete;

 private:
  void on_driver_step(const driver::DriverTraceEvent& e);

  traces::WaveformRecorder& rec_;
  Stack& stack_;
  std::unordered_set<std::uint64_t> in_flight_;
};

}  // namespace aesvp::testbench
