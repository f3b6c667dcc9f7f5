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
  EXPECT_EQ(dt.aes[0].irq, 32u + 103u);     // INTC line 103, taken as SPI 103 by the stand-in
  EXPECT_EQ(dt.aes[0].dma_in, 5u);          // edma event 5 ("rx", the driver's input)
  EXPECT_EQ(dt.aes[0].dma_out, 6u);
  EXPECT_EQ(plat.aes.size(), 1u);
  EXPECT_EQ(plat.cpu.cores(), 1u);
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
