#include "models/platform/soc_map.h"

#include "models/edma3/edma3_regs.h"
#include "models/intc/omap_intc_regs.h"
#include "models/platform/omap4_map.h"

#include <stdexcept>

namespace aesvp {
namespace {

const std::vector<SocMap>& maps() {
  static const std::vector<SocMap> t = {
      // OMAP4430/4460 (PandaBoard): omap4.dtsi.
      {"omap4", "arm,cortex-a9", IntcKind::Gic, "arm,cortex-a9-gic", omap4::kDramBase,
       omap4::kGicDistBase, omap4::kGicCpuIfBase, 0, DmaKind::Sdma, omap4::kSdmaBase,
       {omap4::kSdmaIrqSpi[0], omap4::kSdmaIrqSpi[1], omap4::kSdmaIrqSpi[2], omap4::kSdmaIrqSpi[3]},
       0, {}, 0, 0, {}, {},
       {{omap4::kAes[0].name, omap4::kAes[0].base, omap4::kAes[0].irq_spi, omap4::kAes[0].dma_tx,
         omap4::kAes[0].dma_rx},
        {omap4::kAes[1].name, omap4::kAes[1].base, omap4::kAes[1].irq_spi, omap4::kAes[1].dma_tx,
         omap4::kAes[1].dma_rx}},
       ""},
      // AM335x (am33xx.dtsi, AM335x TRM): INTC at 0x48200000; EDMA3 TPCC 0x49000000 (INTC
      // 12 ccint, 14 ccerrint), TPTC0-2 at 0x49800000 + 1 MiB n (INTC 112-114), ti,tptcs
      // <7 5 0>; AES0 at 0x53500000, INTC line 103, EDMA events 5 (rx: the driver's input)
      // and 6 (tx: its output).
      {"am335x", "arm,cortex-a8", IntcKind::OmapIntc, "ti,am33xx-intc", omap4::kDramBase,
       omap4::kGicDistBase, omap4::kGicCpuIfBase, omap_intc::kAm335xBase, DmaKind::Edma3,
       omap4::kSdmaBase,
       {omap4::kSdmaIrqSpi[0], omap4::kSdmaIrqSpi[1], omap4::kSdmaIrqSpi[2], omap4::kSdmaIrqSpi[3]},
       edma3::kAm335xTpccBase,
       {edma3::kAm335xTptcBase, edma3::kAm335xTptcBase + edma3::kTptcStride,
        edma3::kAm335xTptcBase + 2 * edma3::kTptcStride},
       edma3::kAm335xCcIntLine, edma3::kAm335xCcErrIntLine,
       {edma3::kAm335xTcErrIntLine0, edma3::kAm335xTcErrIntLine0 + 1, edma3::kAm335xTcErrIntLine0 + 2},
       {7, 5, 0},
       {{"aes0", 0x53500000, 103, 5, 6}},
       ""},
      // DRA7/AM57x (dra7.dtsi, dra7-l4.dtsi): EDMA3 TPCC 0x43300000, TPTC0/1 0x43400000 /
      // 0x43500000, ti,tptcs <7 0>; AES1 0x4B500000 (GIC_SPI 80), AES2 0x4B700000 (GIC_SPI
      // 59). The IRQ and DMA crossbars allocate at boot: the EDMA interrupts (crossbar inputs
      // 361 ccint, 359 ccerrint, 370/371 tcerrint) get GIC SPIs 100, 101, 102, 103 here and
      // the AES requests (rx/tx 110/111, 113/114) EDMA events 0/1 and 2/3 (first free
      // events, as dma-crossbar takes them; which SPI / event a board gets does not change
      // timing). Stand-in: the GIC at the OMAP4 addresses.
      {"am57x", "arm,cortex-a15", IntcKind::Gic, "arm,cortex-a15-gic", omap4::kDramBase,
       omap4::kGicDistBase, omap4::kGicCpuIfBase, 0, DmaKind::Edma3, omap4::kSdmaBase,
       {omap4::kSdmaIrqSpi[0], omap4::kSdmaIrqSpi[1], omap4::kSdmaIrqSpi[2], omap4::kSdmaIrqSpi[3]},
       0x43300000, {0x43400000, 0x43500000}, 100, 101, {102, 103}, {7, 0},
       {{"aes1", 0x4b500000, 80, 0, 1}, {"aes2", 0x4b700000, 59, 2, 3}},
       "GIC at the OMAP4 addresses"},
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
