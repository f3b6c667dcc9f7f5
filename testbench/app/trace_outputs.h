// The trace outputs the commands share: --timeline (run, crypt, speed) and --vcd (run, crypt,
// speed, hw; hw has no software stack, so no timeline).
// Each declares its options, checks them before anything runs, attaches to the simulation,
// and finishes its file at the end. Without the option nothing is attached (no cost).
#pragma once

#include "testbench/app/cli.h"
#include "testbench/app/output_files.h"
#include "testbench/stack/stack.h"
#include "testbench/stack/timeline_probe.h"
#include "testbench/stack/waveform_probe.h"
#include "traces/core/timeline.h"
#include "traces/sc/waveform.h"

#include <boost/program_options.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aesvp {

class TimelineOutput {
 public:
  void add_options(boost::program_options::options_description& d);
  // Throws UsageError for a bad window, a refused file (OutputFiles::add), or the limits
  // without --timeline.
  void check(const std::vector<std::string>& args, OutputFiles& outputs);
  bool enabled() const { return !file_.empty(); }
  void attach(testbench::Stack& stack);
  // Writes the file's temporary (committed with the command's other outputs), with the
  // run described in otherData.run (command, profile, timing mode, seed, cipher, sizes).
  void write(OutputFiles& outputs, const CommandLine& cli, const CommonOptions& common);
  // Prints the summary line (nothing without --timeline).
  void finish();

 private:
  std::string file_, window_, temporary_;
  std::uint64_t requests_ = 1000;
  traces::TimelineOptions options_;
  std::unique_ptr<traces::Timeline> timeline_;
  std::unique_ptr<testbench::TimelineProbe> probe_;
};

class WaveformOutput {
 public:
  void add_options(boost::program_options::options_description& d);
  // Throws UsageError. `may_stop`: the command needs nothing of the run after the window,
  // so a window with an end stops the simulation there.
  void check(OutputFiles& outputs, bool may_stop = false);
  bool enabled() const { return !file_.empty(); }
  // With a stack, the engine group records its engines' queue depth and the requests in
  // flight (from the driver's trace hook).
  void attach(Platform& platform, testbench::Stack* stack = nullptr);
  void close();   // ends the file (before the summary)
  void finish();  // prints the summary line
  // Whether the window end stopped the simulation.
  bool stopped_simulation() const { return recorder_ && recorder_->stopped_simulation(); }
  const traces::TimeWindow& window() const { return options_.window; }
 private:
  std::string file_, signals_ = "all", window_, layout_;
  bool date_ = false;
  traces::WaveformOptions options_;
  std::unique_ptr<traces::WaveformRecorder> recorder_;
  std::unique_ptr<testbench::WaveformProbe> probe_;
};

}  // namespace aesvp
