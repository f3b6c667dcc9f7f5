// The whole simulated system: the OMAP4 platform and the software stack on it (kernel
// services, the sDMA's dmaengine driver, the omap-aes driver). Every aesvp command that goes
// through the driver builds one Stack.
#pragma once

#include "driver/kernel/dmaengine.h"
#include "driver/kernel/kernel.h"
#include "driver/omap_aes/omap_aes.h"
#include "models/platform/platform.h"

#include <functional>
#include <memory>
#include <string>

namespace aesvp::testbench {

// The message of a simulation that stopped because nothing was left to simulate while the
// job still waited (a lost completion or interrupt): a failed run, never a success.
inline constexpr const char* kSimulationStalled =
    "the simulation ran out of events with requests outstanding (a completion or interrupt was lost)";

struct StackParams {
  PlatformParams platform;
  kernel::KernelParams kernel;
  driver::DriverParams driver;
};

class Stack {
 public:
  explicit Stack(const StackParams& params);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  Platform& platform() { return *platform_; }
  kernel::Kernel& kernel() { return *kernel_; }
  kernel::DmaEngine& dma() { return *dma_; }
  driver::OmapAesDriver& driver() { return *driver_; }

  // Probes the driver, then runs `main` in a user thread (class Thread on `core`; by default
  // core 1, or core 0 on a single-core SoC, where it shares the core with every kernel
  // context); the simulation stops when `main` returns. Throws std::runtime_error if the
  // probe failed, `main` threw (its message), or the simulation ran dry before `main`
  // returned (kSimulationStalled), after the simulation has stopped.
  static constexpr unsigned kDefaultCore = ~0u;
  void run(const std::function<void()>& main, unsigned core = kDefaultCore);
  // The core a user process runs on by default: 1, or 0 with a single core.
  unsigned default_user_core() const;

 private:
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<kernel::Kernel> kernel_;
  std::unique_ptr<kernel::DmaEngine> dma_;
  std::unique_ptr<driver::OmapAesDriver> driver_;
};

}  // namespace aesvp::testbench
