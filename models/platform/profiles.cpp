// SoC profiles, hardware side: structure (cores, AES instances; the memory map, interrupt
// numbers and DMA request lines are in soc_map.cpp) and the hardware parameters that differ
// from the defaults (which are the omap4 profile). Each override names its source; values
// fitted to published figures say so (docs/calibration.md). The software side of each
// profile (kernel, driver and cryptodev costs) is applied by the program
// (testbench/app/software_profile.cpp).
#include "models/platform/platform_params.h"
#include "models/platform/soc_map.h"

#include <functional>
#include <stdexcept>

namespace aesvp {
namespace {

struct Profile {
  const char* name;
  const char* status;  // calibration status, shown by --print-config
  std::function<void(PlatformParams&)> apply;
};

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> table = {
      {"am335x",
       "calibrated against TI Processor SDK 08.02 AM335x EVM openssl speed (docs/calibration.md)",
       [](PlatformParams& p) {
         p.cpu.cores = 1;           // AM335x: one Cortex-A8 (am33xx.dtsi cpu@0)
         p.cpu.clock_mhz = 1000.0;  // AM335x EVM at OPP Nitro 1 GHz (SDK performance guide)
         p.soc.aes_instances = 1;   // one AES (aes0)
         // AM335x EVM: DDR3 at 400 MHz on a 16-bit EMIF: 1.6 GB/s peak.
         p.dram.per_byte_ns = 0.625;
         // L3 at 200 MHz (AM335x TRM, L3F). The L4 bridge latency sets the cost of the
         // EDMA3 TPTC's accesses to the AES FIFO (twice per block: the last posted write
         // into DATA_IN, the last outstanding read of DATA_OUT): fitted to the 16 KiB point
         // (30 cycles = 150 ns; calibration.md).
         p.bus.l3_clock_mhz = 200.0;
         p.bus.l4_bridge_cycles = 30;
       }},
      {"am57x",
       "calibrated against TI Processor SDK 08.02.01 AM572x EVM openssl speed (docs/calibration.md)",
       [](PlatformParams& p) {
         p.cpu.cores = 2;           // AM572x: two Cortex-A15 (dra7.dtsi)
         p.cpu.clock_mhz = 1500.0;  // AM572x EVM at OPP_HIGH 1.5 GHz (SDK performance guide)
         p.soc.aes_instances = 2;   // aes1 and aes2 (dra7.dtsi)
         // AM572x EVM: DDR3L-1066 (533 MHz) on a 32-bit EMIF: 4.26 GB/s peak.
         p.dram.per_byte_ns = 0.235;
         // L3_MAIN at 266 MHz (DRA7 TRM); the L4 bridge latency fitted like on am335x, to
         // the 16 KiB point (6 cycles = 22.6 ns).
         p.bus.l3_clock_mhz = 266.0;
         p.bus.l4_bridge_cycles = 6;
         // DRA7 EDMA3 (dra7.dtsi, DRA7xx TRM SPRUI30): 512 PaRAM sets, two TPTCs (one queue
         // each), a 128-bit TPTC port, in the L3_MAIN clock domain.
         p.edma3.param_sets = 512;
         p.edma3.queues = 2;
         p.edma3.bus_bytes = 16;
         p.edma3.clock_mhz = 266.0;
       }},
      {"omap4",
       "uncalibrated: only a 2012 anchor exists (hardware AES-CBC ~10 MB/s, BayLibre)",
       [](PlatformParams&) {}},
  };
  return table;
}

const Profile& find(const std::string& name) {
  for (const Profile& p : profiles())
    if (name == p.name) return p;
  std::string known;
  for (const std::string& n : profile_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown profile '" + name + "' (known: " + known + ")");
}

}  // namespace

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const Profile& p : profiles()) names.push_back(p.name);
  return names;
}

void apply_profile(PlatformParams& p, const std::string& name) {
  const Profile& prof = find(name);
  p = PlatformParams{};
  prof.apply(p);
  p.soc.profile = name;
}

std::string profile_description(const std::string& name) {
  const Profile& prof = find(name);
  const SocMap& m = soc_map(name);
  std::string s = std::string(prof.name) + ": " + m.cpu_compatible + ", " + prof.status;
  if (*m.stand_ins != '\0') s += "; stand-ins: " + std::string(m.stand_ins);
  return s;
}

}  // namespace aesvp
