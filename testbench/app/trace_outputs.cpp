#include "testbench/app/trace_outputs.h"

#include "testbench/app/cli.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace po = boost::program_options;

namespace aesvp {

void TimelineOutput::add_options(po::options_description& d) {
  d.add_options()
      ("timeline", po::value<std::string>(&file_),
       "write a Chrome/Perfetto trace-event timeline (JSON) to FILE: CPU contexts per core, "
       "each request's driver phases by request id, engine queue depth, AES core, sDMA channels")
      ("timeline-requests", po::value<std::uint64_t>(&requests_)->default_value(1000),
       "record the phases of the first N requests only (0 = all)")
      ("timeline-window", po::value<std::string>(&window_),
       "record only simulated time BEGIN:END, e.g. 0:2ms");
}

void TimelineOutput::check(const std::vector<std::string>& args, OutputFiles& outputs) {
  if (file_.empty()) {
    bool limits = !window_.empty();
    for (const std::string& a : args) limits = limits || a.rfind("--timeline-requests", 0) == 0;
    if (limits) throw UsageError("--timeline-requests and --timeline-window need --timeline FILE");
    return;
  }
  if (requests_ != 0) options_.max_requests = requests_;
  if (!window_.empty()) {
    try {
      const traces::TimeWindow win = traces::parse_time_window(window_);
      options_.window_begin = testbench::TimelineProbe::ps(win.begin);
      if (win.end != sc_core::sc_max_time()) options_.window_end = testbench::TimelineProbe::ps(win.end);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--timeline-window: ") + e.what());
    }
  }
  temporary_ = outputs.add("--timeline", file_);
}

void TimelineOutput::attach(testbench::Stack& stack) {
  if (file_.empty()) return;
  timeline_ = std::make_unique<traces::Timeline>(options_);
  probe_ = std::make_unique<testbench::TimelineProbe>(*timeline_, stack);
}

void TimelineOutput::write(OutputFiles& outputs, const CommandLine& cli,
                           const CommonOptions& common) {
  if (!timeline_) return;
  probe_->flush();
  timeline_->set_info("command", cli.command());
  timeline_->set_info("profile", common.params.soc.profile);
  timeline_->set_info("timing_mode", common.params.soc.timing_mode);
  timeline_->set_info("seed", std::to_string(common.seed));
  const nlohmann::json options = cli.configuration_json(common).value("options", nlohmann::json::object());
  for (const char* key : {"cipher", "size-mib", "size", "sizes", "requests", "request-bytes"}) {
    const auto it = options.find(key);
    if (it != options.end()) timeline_->set_info(key, it->is_string() ? it->get<std::string>() : it->dump());
  }
  outputs.write(temporary_, [&](std::ostream& os) { timeline_->write_json(os); });
}

void TimelineOutput::finish() {
  if (!timeline_) return;
  std::printf("  timeline            %s (%zu events; open in ui.perfetto.dev or chrome://tracing)\n",
              file_.c_str(), timeline_->event_count());
  // What the limits dropped, in the summary as in the file's otherData.dropped.
  const std::string dropped = timeline_->drop_summary();
  if (!dropped.empty()) std::printf("  timeline limits     %s\n", dropped.c_str());
}

void WaveformOutput::add_options(po::options_description& d) {
  d.add_options()
      ("vcd", po::value<std::string>(&file_),
       "write waveforms to FILE (.vcd); open with gtkwave FILE traces/gtkwave/aesvp.gtkw")
      ("vcd-signals", po::value<std::string>(&signals_)->default_value("all"),
       "signal groups: irq,dma,aes,cpu,engine or all")
      ("vcd-window", po::value<std::string>(&window_),
       "record only simulated time BEGIN:END, e.g. 0:200us (END may be empty)")
      ("vcd-date", po::bool_switch(&date_),
       "write the wall-clock date into the VCD header (default: none, so that the same run "
       "gives the same file)");
}

void WaveformOutput::check(OutputFiles& outputs, bool may_stop) {
  try {
    options_.groups = traces::parse_signal_groups(signals_);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--vcd-signals: ") + e.what());
  }
  try {
    if (!window_.empty()) options_.window = traces::parse_time_window(window_);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--vcd-window: ") + e.what());
  }
  if (file_.empty() && (signals_ != "all" || !window_.empty() || date_))
    throw UsageError("--vcd-signals, --vcd-window and --vcd-date need --vcd FILE");
  options_.stop_after_window = may_stop && options_.window.end != sc_core::sc_max_time();
  if (date_) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    options_.date = text;
  }
  if (!file_.empty() && (file_.size() <= 4 || file_.compare(file_.size() - 4, 4, ".vcd") != 0))
    throw UsageError("--vcd: '" + file_ + "' must end in .vcd");
  // The temporary ends in .vcd too (the recorder checks the name).
  if (file_.empty()) return;
  options_.path = outputs.add("--vcd", file_, ".vcd");
  // Beside it, a GTKWave layout zoomed to the recorded range that opens it.
  layout_ = file_.substr(0, file_.size() - 4) + ".gtkw";
  options_.layout_path = outputs.add("--vcd (its GTKWave layout)", layout_, ".gtkw");
  options_.layout_dumpfile = std::filesystem::absolute(file_).lexically_normal().string();
}

void WaveformOutput::attach(Platform& platform, testbench::Stack* stack) {
  if (file_.empty()) return;
  recorder_ = std::make_unique<traces::WaveformRecorder>(platform, options_);
  if (stack != nullptr && (options_.groups & traces::kGroupEngine) != 0)
    probe_ = std::make_unique<testbench::WaveformProbe>(*recorder_, *stack);
}

void WaveformOutput::close() {
  if (recorder_) recorder_->close();
}

void WaveformOutput::finish() {
  if (!recorder_) return;
  std::printf("  waveforms           %s (signals %s); layout %s: gtkwave %s\n", file_.c_str(),
              traces::to_string(options_.groups).c_str(), layout_.c_str(), layout_.c_str());
  if (recorder_->stopped_simulation())
    std::printf("  stopped             at %.3f us, the end of --vcd-window (nothing else "
                "needs the rest of the run)\n",
                options_.window.end.to_seconds() * 1e6);
}

}  // namespace aesvp
