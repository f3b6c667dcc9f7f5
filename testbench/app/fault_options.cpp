#include "testbench/app/fault_options.h"

#include "testbench/app/cli.h"

#include <cstdio>
#include <stdexcept>

namespace po = boost::program_options;

namespace aesvp {

namespace {

std::string option_name(std::size_t k) {
  return std::string("inject-") + testbench::to_string(static_cast<testbench::FaultKind>(k));
}

struct HandlingCounts {
  std::uint64_t timeouts = 0, resets = 0, dma_errors = 0, dropped = 0, unhandled_irqs = 0,
                bus_errors = 0;
};

HandlingCounts handling(testbench::Stack& stack) {
  HandlingCounts h;
  for (std::size_t d = 0; d < stack.driver().device_count(); ++d) {
    const driver::OmapAesDevStats& s = stack.driver().device(d).stats();
    h.timeouts += s.timeouts;
    h.resets += s.resets;
    h.dma_errors += s.dma_errors;
    h.dropped += s.dropped_callbacks;
  }
  h.unhandled_irqs = stack.kernel().unhandled_irqs();
  h.bus_errors = stack.platform().bus.injected_errors();
  return h;
}

void print_outcome_row(const char* name, const testbench::FaultOutcomes& o) {
  std::printf("    %-20s %10llu %10llu %10llu %10llu\n", name,
              static_cast<unsigned long long>(o.injected), static_cast<unsigned long long>(o.failed),
              static_cast<unsigned long long>(o.absorbed),
              static_cast<unsigned long long>(o.collateral));
}

}  // namespace

void FaultOptions::add_options(po::options_description& d) {
  for (std::size_t k = 0; k < testbench::kFaultKinds; ++k) {
    const std::string help = std::string("fault injection: ") +
                             testbench::describe(static_cast<testbench::FaultKind>(k)) +
                             "; rate:P (each request, 0..1) or ids:N,M,... (request ids)";
    d.add_options()(option_name(k).c_str(), po::value<std::string>(&text_[k]), help.c_str());
  }
  d.add_options()("inject-seed", po::value<std::uint64_t>(),
                  "seed of the --inject-* rate draws (default: --seed)");
}

void FaultOptions::check(const po::variables_map& vm, std::uint64_t run_seed) {
  plan_ = testbench::FaultPlan{};
  plan_.seed = vm.count("inject-seed") ? vm["inject-seed"].as<std::uint64_t>() : run_seed;
  for (std::size_t k = 0; k < testbench::kFaultKinds; ++k) {
    if (text_[k].empty()) continue;
    try {
      plan_.kinds[k] = testbench::parse_fault_selector(text_[k]);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--" + option_name(k) + ": " + e.what());
    }
  }
}

void FaultOptions::check_applicable(const driver::DriverParams& driver) const {
  if (driver.use_dma) return;
  for (std::size_t k = 0; k < testbench::kFaultKinds; ++k) {
    const auto kind = static_cast<testbench::FaultKind>(k);
    if (plan_.kinds[k].active() && testbench::needs_dma(kind))
      throw UsageError("--" + option_name(k) + ": the AES is not fed by DMA (--driver.use_dma=false)");
  }
}

void FaultOptions::print(const testbench::FaultInjector& inj, testbench::Stack& stack) {
  std::printf("  injected faults     seed %llu; outcome of the request each fault was injected into\n",
              static_cast<unsigned long long>(inj.plan().seed));
  std::printf("    %-20s %10s %10s %10s %10s\n", "kind", "injected", "failed", "absorbed",
              "collateral");
  for (std::size_t k = 0; k < testbench::kFaultKinds; ++k) {
    const auto kind = static_cast<testbench::FaultKind>(k);
    if (!inj.plan().kinds[k].active()) continue;
    print_outcome_row(testbench::to_string(kind), inj.outcomes(kind));
  }
  print_outcome_row("total", inj.total());
  const HandlingCounts h = handling(stack);
  std::printf("  fault handling      driver: %llu timeouts, %llu resets, %llu DMA errors, %llu "
              "dropped callbacks; %llu bus error responses; kernel: %llu IRQ_NONE; %llu failures "
              "without an injected fault\n",
              static_cast<unsigned long long>(h.timeouts), static_cast<unsigned long long>(h.resets),
              static_cast<unsigned long long>(h.dma_errors), static_cast<unsigned long long>(h.dropped),
              static_cast<unsigned long long>(h.bus_errors),
              static_cast<unsigned long long>(h.unhandled_irqs),
              static_cast<unsigned long long>(inj.unfaulted_failures()));
}

nlohmann::json FaultOptions::statistics(const testbench::FaultInjector& inj, testbench::Stack& stack) {
  nlohmann::json kinds = nlohmann::json::object();
  for (std::size_t k = 0; k < testbench::kFaultKinds; ++k) {
    const auto kind = static_cast<testbench::FaultKind>(k);
    const testbench::FaultSelector& s = inj.plan().kinds[k];
    if (!s.active()) continue;
    const testbench::FaultOutcomes& o = inj.outcomes(kind);
    kinds[testbench::to_string(kind)] = {{"rate", s.rate},
                                         {"ids", s.ids.size()},
                                         {"injected", o.injected},
                                         {"request_failed", o.failed},
                                         {"absorbed", o.absorbed},
                                         {"collateral_failed", o.collateral}};
  }
  const testbench::FaultOutcomes t = inj.total();
  const HandlingCounts h = handling(stack);
  return {{"seed", inj.plan().seed},
          {"kinds", std::move(kinds)},
          {"injected", t.injected},
          {"request_failed", t.failed},
          {"absorbed", t.absorbed},
          {"collateral_failed", t.collateral},
          {"unfaulted_failures", inj.unfaulted_failures()},
          {"handling",
           {{"driver_timeouts", h.timeouts},
            {"driver_resets", h.resets},
            {"dma_errors", h.dma_errors},
            {"dropped_callbacks", h.dropped},
            {"bus_error_responses", h.bus_errors},
            {"kernel_irq_none", h.unhandled_irqs}}}};
}

}  // namespace aesvp
