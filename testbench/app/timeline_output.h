// The --timeline options shared by the commands that run the driver stack (run, crypt,
// speed): declare them, check them before anything runs, attach the probe to a Stack, and
// write the file at the end. Without --timeline nothing is attached (no cost).
#pragma once

#include "testbench/stack/stack.h"
#include "testbench/stack/timeline_probe.h"
#include "traces/core/timeline.h"

#include <boost/program_options.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aesvp {

class TimelineOutput {
 public:
  void add_options(boost::program_options::options_description& d);
  // Throws UsageError for a bad window, an unwritable file, or the limits without --timeline.
  void check(const std::vector<std::string>& args) ;
  bool enabled() const { return !file_.empty(); }
  void attach(testbench::Stack& stack);
  // Writes the file and prints the summary line (nothing without --timeline).
  void finish();

 private:
  std::string file_, window_;
  std::uint64_t requests_ = 1000;
  traces::TimelineOptions options_;
  std::unique_ptr<traces::Timeline> timeline_;
  std::unique_ptr<testbench::TimelineProbe> probe_;
};

// Throws UsageError unless `file` can be created (its directory exists, it is no directory).
void check_writable(const std::string& option, const std::string& file);

}  // namespace aesvp
