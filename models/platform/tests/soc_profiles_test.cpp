// SoC profiles: the structure each one builds and the device description it hands to
// software, against the SoCs' device trees (am33xx.dtsi, dra7.dtsi; shared/reference/edma3.md
// and omap-intc.md) and the published boards (AM335x EVM: one Cortex-A8 at 1 GHz; AM572x EVM:
// two Cortex-A15 at 1.5 GHz).
#include "models/platform/platform.h"
#include "models/platform/platform_params.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace aesvp {
namespace {

PlatformParams profile(const std::string& name) {
  PlatformParams p;
  apply_profile(p, name);
  return p;
}

TEST(SocProfiles, Am335xIsOneA8WithOneAesAtItsOwnAddress) {
  PlatformParams p = profile("am335x");
  EXPECT_EQ(p.cpu.cores, 1u);
  EXPECT_DOUBLE_EQ(p.cpu.clock_mhz, 1000.0);
  Platform plat("platform", p);
  const DeviceTree& dt = plat.device_tree();
  EXPECT_EQ(dt.model, "am335x");
  EXPECT_EQ(dt.cpus, 1u);
  ASSERT_EQ(dt.aes.size(), 1u);
  EXPECT_EQ(dt.aes[0].base, 0x53500000u);   // am33xx.dtsi aes@53500000
  EXPECT_EQ(dt.aes[0].irq, 103u);           // INTC line 103 (AES0_IRQ_P)
  EXPECT_EQ(dt.aes[0].dma_in, 5u);          // edma event 5 ("rx", the driver's input)
  EXPECT_EQ(dt.aes[0].dma_out, 6u);
  EXPECT_EQ(plat.aes.size(), 1u);
  EXPECT_EQ(plat.cpu.cores(), 1u);
  // OMAP INTC at 0x48200000 with 128 lines; EDMA3 TPCC at 0x49000000 with its interrupts
  // on INTC lines 12 (ccint), 14 (ccerrint), 112-114 (TPTC0-2), ti,tptcs <7 5 0>.
  EXPECT_EQ(dt.intc.compatible, "ti,am33xx-intc");
  EXPECT_EQ(dt.intc.base, 0x48200000u);
  EXPECT_EQ(dt.intc.lines, 128u);
  EXPECT_EQ(dt.dma.compatible, "ti,edma3-tpcc");
  EXPECT_EQ(dt.dma.base, 0x49000000u);
  EXPECT_EQ(dt.dma.irqs, (std::vector<unsigned>{12, 14, 112, 113, 114}));
  EXPECT_EQ(dt.dma.tc_bases,
            (std::vector<std::uint64_t>{0x49800000u, 0x49900000u, 0x49a00000u}));
  EXPECT_EQ(dt.dma.queue_priorities, (std::vector<unsigned>{7, 5, 0}));
  ASSERT_NE(plat.omap_intc, nullptr);
  ASSERT_NE(plat.edma3, nullptr);
  EXPECT_EQ(plat.edma3->params().queues, 3u);
  EXPECT_EQ(plat.edma3->params().param_sets, 256u);
}

TEST(SocProfiles, Am57xIsTwoA15WithTwoAes) {
  PlatformParams p = profile("am57x");
  EXPECT_EQ(p.cpu.cores, 2u);
  EXPECT_DOUBLE_EQ(p.cpu.clock_mhz, 1500.0);
  Platform plat("platform", p);
  const DeviceTree& dt = plat.device_tree();
  ASSERT_EQ(dt.aes.size(), 2u);
  EXPECT_EQ(dt.aes[0].base, 0x4b500000u);  // dra7.dtsi aes1
  EXPECT_EQ(dt.aes[1].base, 0x4b700000u);  // aes2
  EXPECT_EQ(dt.aes[0].irq, 32u + 80u);     // GIC_SPI 80
  EXPECT_EQ(dt.aes[1].irq, 32u + 59u);     // GIC_SPI 59
  EXPECT_EQ(dt.intc.lines, plat.gic.interrupt_count());
  // EDMA3 at 0x43300000 (two TPTCs, ti,tptcs <7 0>, 512 PaRAM sets) behind the GIC.
  EXPECT_EQ(dt.dma.compatible, "ti,edma3-tpcc");
  EXPECT_EQ(dt.dma.base, 0x43300000u);
  EXPECT_EQ(dt.dma.tc_bases, (std::vector<std::uint64_t>{0x43400000u, 0x43500000u}));
  EXPECT_EQ(dt.dma.queue_priorities, (std::vector<unsigned>{7, 0}));
  EXPECT_EQ(plat.omap_intc, nullptr);
  ASSERT_NE(plat.edma3, nullptr);
  EXPECT_EQ(plat.edma3->params().queues, 2u);
  EXPECT_EQ(plat.edma3->params().param_sets, 512u);
}

TEST(SocProfiles, Omap4KeepsItsDefaultsAndUnknownNamesAreRefused) {
  PlatformParams p = profile("omap4");
  EXPECT_EQ(p.cpu.cores, 2u);
  EXPECT_EQ(p.soc.profile, "omap4");
  EXPECT_NE(profile_description("omap4").find("uncalibrated"), std::string::npos);
  PlatformParams q;
  EXPECT_THROW(apply_profile(q, "am437x"), std::invalid_argument);
  // am335x has one AES: asking for two fails before anything is built.
  PlatformParams r = profile("am335x");
  r.soc.aes_instances = 2;
  EXPECT_THROW(Platform("platform", r), std::invalid_argument);
}

}  // namespace
}  // namespace aesvp
