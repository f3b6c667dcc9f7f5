// The memory map, interrupt numbers and DMA request lines of each SoC profile: where the
// platform puts each model and what the device description (models/core/device_tree.h)
// tells software. Facts: shared/reference/omap-aes.md, sdma.md, edma3.md, omap-intc.md.
//
// Until the EDMA3 and OMAP INTC models exist, am335x and am57x are fed by the OMAP4 sDMA and
// take interrupts through a GIC at the OMAP4 addresses (stand-ins, labelled as such by
// --print-config and docs/calibration.md); their AES instances sit at their own addresses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp {

struct SocMap {
  const char* profile;
  const char* cpu_compatible;     // "arm,cortex-a9" ...
  const char* gic_compatible;
  std::uint64_t dram_base;
  std::uint64_t gic_dist_base, gic_cpu_if_base;
  std::uint64_t sdma_base;
  unsigned sdma_irq_spi[4];       // L0..L3
  struct Aes {
    const char* name;
    std::uint64_t base;
    unsigned irq_spi;
    unsigned dma_in;   // request line memory -> DATA_IN
    unsigned dma_out;  // request line DATA_OUT -> memory
  };
  std::vector<Aes> aes;           // every instance the SoC has
  const char* stand_ins;          // what is not yet the SoC's own model ("" if none)
};

// The map of `profile`; throws std::invalid_argument for an unknown name.
const SocMap& soc_map(const std::string& profile);

}  // namespace aesvp
