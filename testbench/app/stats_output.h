// --stats FILE on every command: one statistics JSON ("aesvp.run-statistics", docs/traces.md)
// whose common part says how the file was made - tool version, command line, the complete
// effective configuration (profile, every model parameter, the command's options), seed,
// host - and whose figures the command adds.
#pragma once

#include "driver/omap_aes/omap_aes.h"
#include "models/cpu/cpu.h"
#include "models/platform/platform.h"
#include "testbench/app/cli.h"
#include "testbench/app/output_files.h"
#include "traces/core/stats.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aesvp {

// "0.1.0" (the CMake project version).
const char* tool_version();

class StatsOutput {
 public:
  // Declares --stats FILE (and --stats-normalise: host time and host facts written as null,
  // so that two runs with the same options give the same bytes).
  void add_options(boost::program_options::options_description& d);
  // Another option name for the same file (speed's --json).
  void add_alias(boost::program_options::options_description& d, const char* name,
                 const char* help);
  // The file to write when neither option names one (speed --compare); before check().
  void set_default_file(const std::string& f) {
    if (file_.empty() && alias_.empty()) alias_ = f;
  }
  // Declares the file with the command's outputs (OutputFiles::add: throws UsageError for a
  // refused file); call before anything runs.
  void check(OutputFiles& outputs);
  bool enabled() const { return !file_.empty() || !alias_.empty(); }
  bool normalise() const { return normalise_; }
  const std::string& file() const { return file_; }

  // Adds the common part to the command's `figures` and writes the file's temporary
  // (committed with the command's other outputs). Keys the figures already have are kept.
  void write(OutputFiles& outputs, nlohmann::json figures, const CommandLine& cli,
             const std::vector<std::string>& args, const CommonOptions& common) const;

 private:
  std::string file_, alias_, alias_name_, temporary_;
  bool normalise_ = false;
};

// The figures every simulating command shares: CPU busy time per core and context class
// between two snapshots, and the AES cores' and the sDMA port's busy time.
void add_cpu_busy(traces::RunStatistics& rs, const CpuLoad& from, const CpuLoad& to);
void add_hardware_busy(traces::RunStatistics& rs, Platform& platform);

// Engine merging (bulk mode) per AES instance with a merge policy: the summary line(s) on
// stdout, and "merging": {"aes1": {policy, dispatches, requests, composites, per_dispatch
// histogram, refusals per reason, ...}} in a statistics JSON. Nothing without a policy.
void print_merge_summary(driver::OmapAesDriver& driver);
void add_merge_statistics(nlohmann::json& figures, driver::OmapAesDriver& driver);

}  // namespace aesvp
