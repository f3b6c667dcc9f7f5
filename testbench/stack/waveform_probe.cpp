#include "testbench/stack/waveform_probe.h"

#include <cstring>

namespace aesvp::testbench {

WaveformProbe::WaveformProbe(traces::WaveformRecorder& recorder, Stack& stack)
    : rec_(recorder), stack_(stack) {
  stack.driver().add_trace_hook([this](const driver::DriverTraceEvent& e) { on_driver_step(e); });
}

void WaveformProbe::on_driver_step(const driver::DriverTraceEvent& e) {
  driver::OmapAesDriver& drv = stack_.driver();
  std::size_t queued = 0;
  for (std::size_t d = 0; d < drv.device_count(); ++d) queued += drv.device(d).engine().queue_length();
  rec_.set_queue_depth(static_cast<std::uint32_t>(queued));
  if (std::strcmp(e.step, "do_one_req") == 0) in_flight_.insert(e.id);
  else if (std::strcmp(e.step, "finalize") == 0) in_flight_.erase(e.id);
  rec_.set_in_flight(static_cast<std::uint32_t>(in_flight_.size()));
}

}  // namespace aesvp::testbench
