// The memory map, interrupt numbers and DMA request lines of each SoC profile: where the
// platform puts each model and what the device description (models/core/device_tree.h)
// tells software. Facts: shared/reference/omap-aes.md, sdma.md, edma3.md, omap-intc.md.
//
// omap4: GIC + sDMA. am335x: OMAP INTC + EDMA3 (AM335x TRM / am33xx.dtsi). am57x: GIC +
// EDMA3 (dra7.dtsi), the GIC at the OMAP4 addresses (its place does not matter to timing).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp {

enum class IntcKind { Gic, OmapIntc };
enum class DmaKind { Sdma, Edma3 };

struct SocMap {
  const char* profile;
  const char* cpu_compatible;     // "arm,cortex-a9" ...
  IntcKind intc;
  const char* intc_compatible;    // "arm,cortex-a9-gic", "ti,am33xx-intc", ...
  std::uint64_t dram_base;
  std::uint64_t gic_dist_base, gic_cpu_if_base;  // the GIC (built on every SoC)
  std::uint64_t omap_intc_base;                  // OMAP INTC (IntcKind::OmapIntc)
  DmaKind dma;
  std::uint64_t sdma_base;        // the sDMA (built on every SoC, idle without DmaKind::Sdma)
  unsigned sdma_irq_spi[4];       // L0..L3
  // EDMA3 (DmaKind::Edma3): TPCC, TPTCs, interrupt numbers at the SoC's controller (INTC
  // line or GIC SPI): region-0 completion, CC error, TPTC n error; "ti,tptcs" priorities.
  std::uint64_t tpcc_base;
  std::vector<std::uint64_t> tptc_bases;
  unsigned ccint, ccerrint;
  std::vector<unsigned> tcerrint;
  std::vector<unsigned> tc_priorities;
  struct Aes {
    const char* name;
    std::uint64_t base;
    unsigned irq;      // INTC line or GIC SPI
    unsigned dma_in;   // request line (sDMA, 1-based) or EDMA3 event: memory -> DATA_IN
    unsigned dma_out;  // DATA_OUT -> memory
  };
  std::vector<Aes> aes;           // every instance the SoC has
  const char* stand_ins;          // what is not yet the SoC's own model ("" if none)
};

// The map of `profile`; throws std::invalid_argument for an unknown name.
const SocMap& soc_map(const std::string& profile);

}  // namespace aesvp
