// Shared bench for the kernel-services tests: one Platform + one Kernel per test process.
#pragma once

#include "driver/kernel/kernel.h"
#include "models/platform/platform.h"
#include "models/platform/platform_params.h"
#include "models/testing/sc_test.h"

#include <systemc>

#include <memory>
#include <string>

namespace aesvp::kernel::testing {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;
using sc_core::SC_MS;
using sc_core::SC_ZERO_TIME;

struct Bench {
  PlatformParams params;
  std::unique_ptr<Platform> platform;
  std::unique_ptr<Kernel> kernel;

  explicit Bench(const std::string& mode = "accurate", const KernelParams& kp = {},
                 const std::string& profile = "omap4", bool sdma_linked_list = true) {
    apply_profile(params, profile);
    params.soc.timing_mode = mode;
    params.sdma.linked_list = sdma_linked_list;
    params.dram.size_mib = 16;
    platform = std::make_unique<Platform>("platform", params);
    kernel = std::make_unique<Kernel>(platform->cpu, platform->device_tree(), kp);
  }
  Kernel& k() { return *kernel; }
  const KernelParams& kp() const { return kernel->params(); }
  // `n` CPU cycles as simulated time.
  sc_time cyc(double n) const { return platform->cpu.cycles(n); }
};

inline sc_time ns(double v) { return sc_time(v, SC_NS); }
inline sc_time us(double v) { return sc_time(v, SC_US); }

}  // namespace aesvp::kernel::testing
