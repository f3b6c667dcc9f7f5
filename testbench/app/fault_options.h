// The --inject-* options of aesvp run (docs/errors.md, "Injected faults"): one option per
// kind of fault, each "rate:P" or "ids:N,M,...", and --inject-seed; the summary table and
// the statistics' "faults" object.
#pragma once

#include "testbench/stack/fault_injector.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace aesvp {

class FaultOptions {
 public:
  void add_options(boost::program_options::options_description& d);
  // Builds the plan from the parsed options (throws UsageError); the seed defaults to the
  // run's --seed.
  void check(const boost::program_options::variables_map& vm, std::uint64_t run_seed);
  // Refuses (UsageError) a kind that cannot act on this configuration: the DMA kinds when
  // the driver runs the AES by PIO.
  void check_applicable(const driver::DriverParams& driver) const;
  bool enabled() const { return plan_.any(); }
  const testbench::FaultPlan& plan() const { return plan_; }

  // The summary's table: per kind injected / request failed / absorbed, and how the stack
  // handled them (driver timeouts, resets, DMA errors, dropped callbacks; kernel IRQ_NONE).
  static void print(const testbench::FaultInjector& inj, testbench::Stack& stack);
  static nlohmann::json statistics(const testbench::FaultInjector& inj, testbench::Stack& stack);

 private:
  std::array<std::string, testbench::kFaultKinds> text_;
  testbench::FaultPlan plan_;
};

}  // namespace aesvp
