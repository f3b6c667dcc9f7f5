#include "models/platform/soc_map.h"

#include "models/platform/omap4_map.h"

#include <stdexcept>

namespace aesvp {
namespace {

const std::vector<SocMap>& maps() {
  static const std::vector<SocMap> t = {
      // OMAP4430/4460 (PandaBoard): omap4.dtsi.
      {"omap4", "arm,cortex-a9", "arm,cortex-a9-gic", omap4::kDramBase, omap4::kGicDistBase,
       omap4::kGicCpuIfBase, omap4::kSdmaBase,
       {omap4::kSdmaIrqSpi[0], omap4::kSdmaIrqSpi[1], omap4::kSdmaIrqSpi[2], omap4::kSdmaIrqSpi[3]},
       {{omap4::kAes[0].name, omap4::kAes[0].base, omap4::kAes[0].irq_spi, omap4::kAes[0].dma_tx,
         omap4::kAes[0].dma_rx},
        {omap4::kAes[1].name, omap4::kAes[1].base, omap4::kAes[1].irq_spi, omap4::kAes[1].dma_tx,
         omap4::kAes[1].dma_rx}},
       ""},
      // AM335x (am33xx.dtsi): AES0 at 0x53500000, INTC line 103, EDMA events 5 (rx: the
      // driver's input) and 6 (tx: its output). Stand-ins: the interrupt is taken as GIC
      // SPI 103 and the events as sDMA request lines 5 and 6.
      {"am335x", "arm,cortex-a8", "arm,cortex-a9-gic (stand-in for ti,am33xx-intc)",
       omap4::kDramBase, omap4::kGicDistBase, omap4::kGicCpuIfBase, omap4::kSdmaBase,
       {omap4::kSdmaIrqSpi[0], omap4::kSdmaIrqSpi[1], omap4::kSdmaIrqSpi[2], omap4::kSdmaIrqSpi[3]},
       {{"aes0", 0x53500000, 103, 5, 6}},
       "interrupt controller: GIC in place of the OMAP INTC; DMA: OMAP4 sDMA in place of EDMA3"},
      // DRA7/AM57x (dra7.dtsi): AES1 0x4B500000 (GIC_SPI 80, DMA requests 111/110), AES2
      // 0x4B700000 (GIC_SPI 59, 114/113) through the crossbars. Stand-in: the sDMA (DRA7 has
      // one, but omap-aes is wired to EDMA3 there).
      {"am57x", "arm,cortex-a15", "arm,cortex-a15-gic", omap4::kDramBase, omap4::kGicDistBase,
       omap4::kGicCpuIfBase, omap4::kSdmaBase,
       {omap4::kSdmaIrqSpi[0], omap4::kSdmaIrqSpi[1], omap4::kSdmaIrqSpi[2], omap4::kSdmaIrqSpi[3]},
       {{"aes1", 0x4b500000, 80, 111, 110}, {"aes2", 0x4b700000, 59, 114, 113}},
       "DMA: sDMA in place of EDMA3; GIC at the OMAP4 addresses"},
  };
  return t;
}

}  // namespace

const SocMap& soc_map(const std::string& profile) {
  for (const SocMap& m : maps())
    if (profile == m.profile) return m;
  throw std::invalid_argument("no memory map for profile '" + profile + "'");
}

}  // namespace aesvp
