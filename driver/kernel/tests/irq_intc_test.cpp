// The generic IRQ layer over the OMAP INTC (am335x profile): the irq-omap-intc flow
// (SIR_IRQ, mask + ack with NEWIRQAGR before the handler, unmask after), a line without a
// handler masked for good, the interrupt numbers the controller has.
#include "driver/kernel/tests/kernel_test_support.h"
#include "models/core/report.h"
#include "models/intc/omap_intc_regs.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

namespace aesvp::kernel::testing {
namespace {

namespace oi = omap_intc;
constexpr unsigned kLine = 40;  // a line nothing on the AM335x map drives

void raise(Kernel& k, unsigned line) {
  k.writel(1u << (line % 32), oi::kAm335xBase + oi::bank_reg(line / 32, oi::kIsrSet));
}
void lower(Kernel& k, unsigned line) {
  k.writel(1u << (line % 32), oi::kAm335xBase + oi::bank_reg(line / 32, oi::kIsrClear));
}

TEST(KernelIntcTest, LevelFlowHandlesTheLineAndUnmasksItAgain) {
  Bench b("accurate", {}, "am335x");
  Kernel& k = b.k();
  ContextClass cls = ContextClass::Thread;
  bool masked_in_handler = false;
  int rc = -1, bad = 0;
  k.spawn_thread("probe", ContextClass::Thread, 0, [&] {
    rc = k.request_irq(kLine, [&](unsigned irq) {
      EXPECT_EQ(irq, kLine);
      cls = k.current()->context_class();
      masked_in_handler = b.platform->omap_intc->masked(kLine);
      lower(k, kLine);  // the device's own acknowledge: the level drops
      return IrqReturn::Handled;
    }, "test-line");
    bad = k.request_irq(oi::kLines, [](unsigned) { return IrqReturn::Handled; }, "beyond");
    raise(k, kLine);
  });
  sc_core::sc_start(us(20));
  EXPECT_STREQ(k.irq_chip().name(), "INTC");
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(bad, -kEINVAL);
  EXPECT_EQ(k.irq_count(kLine), 1u);
  EXPECT_EQ(k.spurious_irqs(), 0u);
  EXPECT_EQ(k.unhandled_irqs(), 0u);
  EXPECT_EQ(cls, ContextClass::HardIrq);
  EXPECT_TRUE(masked_in_handler);                         // handle_level_irq masks first
  EXPECT_FALSE(b.platform->omap_intc->masked(kLine));     // and unmasks after the handler
  EXPECT_GE(b.platform->omap_intc->sorts(), 1u);
  EXPECT_EQ(k.mmio_faults(), 0u);
}

// An enabled line nobody registered: handled once, counted, masked (with a warning).
TEST(KernelIntcTest, LineWithoutHandlerStaysMasked) {
  Bench b("accurate", {}, "am335x");
  Kernel& k = b.k();
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    k.irq_init();
    k.enable_irq(kLine);
    raise(k, kLine);
  });
  sc_core::sc_start(us(20));
  EXPECT_EQ(aesvp::testing::take_reports("aesvp/kernel").size(), 1u);
  EXPECT_EQ(k.unhandled_irqs(), 1u);
  EXPECT_TRUE(b.platform->omap_intc->masked(kLine));
}

}  // namespace
}  // namespace aesvp::kernel::testing
