// SoC profiles, software side: the kernel, driver and cryptodev costs that depend on the
// SoC's CPU core (Cortex-A9 defaults; A8 and A15 differ in software AES, cache maintenance
// and copies). The hardware side is models/platform/profiles.cpp; docs/calibration.md lists
// both with every value's source or fit.
#pragma once

#include "driver/kernel/kernel_params.h"
#include "driver/omap_aes/driver_params.h"
#include "testbench/app/cryptodev.h"

#include <string>

namespace aesvp {

// Resets the three groups to their defaults and applies `profile`'s values (a name
// apply_profile accepts).
void apply_software_profile(const std::string& profile, kernel::KernelParams& kernel,
                            driver::DriverParams& driver, testbench::CryptodevParams& cryptodev);

}  // namespace aesvp
