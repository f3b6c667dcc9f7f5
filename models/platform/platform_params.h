// Every parameter of the platform, grouped per model. The defaults are the omap4 profile;
// other SoC profiles are parameter sets applied on top (profiles.cpp).
#pragma once

#include "models/aes/omap_aes.h"
#include "models/bus/interconnect.h"
#include "models/core/params.h"
#include "models/cpu/cpu.h"
#include "models/edma3/edma3.h"
#include "models/intc/gic.h"
#include "models/intc/omap_intc.h"
#include "models/memory/memory.h"
#include "models/sdma/omap_sdma.h"

#include <string>
#include <vector>

namespace aesvp {

#define AESVP_SOC_PARAMS(X)                                                                 \
  X(std::string, profile, "omap4", "", "the SoC this parameter set describes",             \
    "SoC profile: omap4 (uncalibrated), am335x, am57x (docs/calibration.md)")               \
  X(std::string, timing_mode, "accurate", "",                                              \
    "accurate is the reference; fast is checked against it (docs/timing.md)",             \
    "timing mode: accurate or fast")                                                       \
  X(std::uint32_t, aes_instances, 1, "",                                                   \
    "OMAP4 device tree: two AES instances (aes1, aes2); one is used unless asked",                 \
    "number of AES instances (1 up to the SoC's count: omap4 2, am335x 1, am57x 2)", AESVP_RANGE(1, 2))

AESVP_PARAM_GROUP(SocParams, "soc", AESVP_SOC_PARAMS);

struct PlatformParams {
  SocParams soc;
  CpuParams cpu;
  BusParams bus;
  DramParams dram;
  IntcParams intc;
  OmapIntcParams omap_intc;
  SdmaParams sdma;
  Edma3Params edma3;
  AesParams aes;

  template <class F>
  void for_each_group(F&& f) {
    f(soc);
    f(cpu);
    f(bus);
    f(dram);
    f(intc);
    f(omap_intc);
    f(sdma);
    f(edma3);
    f(aes);
  }
};

// Names of the known SoC profiles.
std::vector<std::string> profile_names();

// Resets `p` to the defaults and applies the named profile; throws std::invalid_argument
// for an unknown name.
void apply_profile(PlatformParams& p, const std::string& name);

// One line: the profile's CPU, calibration status and any stand-in models.
std::string profile_description(const std::string& name);

}  // namespace aesvp
