#include "driver/kernel/irq_chip.h"

#include "driver/kernel/kernel.h"
#include "models/intc/gic_regs.h"
#include "models/intc/omap_intc_regs.h"

#include <vector>

namespace aesvp::kernel {

namespace {

// --- GIC ----------------------------------------------------------------------------------

class GicChip : public IrqChip {
 public:
  GicChip(const IrqControllerNode& n, unsigned cores)
      : dist_(n.base), cpuif_(n.cpu_if_base), stride_(n.cpu_if_stride), interrupts_(n.lines),
        cores_(cores), iar_(cores, 0) {}

  const char* name() const override { return "GIC"; }
  bool valid(unsigned irq) const override { return irq >= gic::kSpiBase && irq < interrupts_; }

  void init(Kernel& k) override {
    // gic_dist_init / gic_dist_config: distributor off, every SPI disabled, routed to core 0
    // with priority 0xa0; then on. gic_cpu_init: priority mask 0xf0, interface on.
    k.writel(0, dist_ + gic::GICD_CTLR);
    for (unsigned id = gic::kSpiBase; id < interrupts_; id += 4) {
      k.writel(0x01010101u, dist_ + gic::GICD_ITARGETSR + id);
      k.writel(0xa0a0a0a0u, dist_ + gic::GICD_IPRIORITYR + id);
    }
    for (unsigned id = gic::kSpiBase; id < interrupts_; id += 32)
      k.writel(0xffffffffu, dist_ + gic::GICD_ICENABLER + id / 8);
    k.writel(gic::GICD_CTLR_ENABLE, dist_ + gic::GICD_CTLR);
    for (unsigned c = 0; c < cores_; ++c) {
      k.writel(0xf0, cpuif(c) + gic::GICC_PMR);
      k.writel(gic::GICC_CTLR_ENABLE, cpuif(c) + gic::GICC_CTLR);
    }
  }

  void startup(Kernel& k, unsigned irq, unsigned core) override {
    set_byte(k, dist_ + gic::GICD_IPRIORITYR, irq, 0xa0);
    set_byte(k, dist_ + gic::GICD_ITARGETSR, irq, static_cast<std::uint8_t>(1u << core));
    unmask(k, irq);
  }
  void mask(Kernel& k, unsigned irq) override {
    k.writel(1u << (irq % 32), dist_ + gic::GICD_ICENABLER + 4 * (irq / 32));
  }
  void unmask(Kernel& k, unsigned irq) override {
    k.writel(1u << (irq % 32), dist_ + gic::GICD_ISENABLER + 4 * (irq / 32));
  }

  IrqFetch fetch(Kernel& k, ExecContext& ctx, unsigned core, bool first, unsigned& irq) override {
    // gic_handle_irq: acknowledge until the CPU interface has nothing left.
    std::uint32_t iar = 0;
    if (!k.entry_read(ctx, cpuif(core) + gic::GICC_IAR, iar)) return IrqFetch::None;
    irq = iar & gic::kIdMask;
    if (irq >= gic::kSpuriousId - 3) return first ? IrqFetch::Spurious : IrqFetch::None;
    iar_[core] = iar;
    return IrqFetch::Irq;
  }
  void before_handler(Kernel&, ExecContext&, unsigned, unsigned) override {}
  void after_handler(Kernel& k, ExecContext& ctx, unsigned core, unsigned, bool) override {
    // handle_fasteoi_irq. The EOI changes only what this hard-IRQ context looks at next
    // (whether the CPU interface signals again), at its exit synchronisation: decoupled.
    k.entry_write(ctx, cpuif(core) + gic::GICC_EOIR, iar_[core], MmioOrder::Decoupled);
  }

 private:
  std::uint64_t cpuif(unsigned core) const { return cpuif_ + stride_ * core; }
  static void set_byte(Kernel& k, std::uint64_t reg_base, unsigned irq, std::uint8_t value) {
    const std::uint64_t reg = reg_base + (irq & ~3u);
    const unsigned shift = 8 * (irq % 4);
    const std::uint32_t v = k.readl(reg);
    k.writel((v & ~(0xffu << shift)) | (std::uint32_t{value} << shift), reg);
  }

  std::uint64_t dist_, cpuif_, stride_;
  unsigned interrupts_, cores_;
  std::vector<std::uint32_t> iar_;  // the acknowledged value per core, for its EOI
};

// --- OMAP INTC -------------------------------------------------------------------------------

namespace oi = omap_intc;

class OmapIntcChip : public IrqChip {
 public:
  OmapIntcChip(const IrqControllerNode& n) : base_(n.base), lines_(n.lines) {}

  const char* name() const override { return "INTC"; }
  bool valid(unsigned irq) const override { return irq < lines_; }

  void init(Kernel& k) override {
    // omap_init_irq: read the revision, soft reset and wait for it, autoidle on; every line
    // comes out of reset masked; then the registers are made privileged-only.
    k.readl(base_ + oi::kRevision);
    k.writel(k.readl(base_ + oi::kSysconfig) | oi::kSysconfigSoftreset, base_ + oi::kSysconfig);
    std::uint32_t status = 0;
    k.readl_poll_timeout(base_ + oi::kSysstatus, status,
                         [](std::uint32_t v) { return (v & oi::kSysstatusResetDone) != 0; }, 0,
                         1000);
    k.writel(oi::kSysconfigAutoidle, base_ + oi::kSysconfig);
    k.writel(k.readl(base_ + oi::kProtection) | oi::kProtectionOn, base_ + oi::kProtection);
  }

  void startup(Kernel& k, unsigned irq, unsigned) override { unmask(k, irq); }
  void mask(Kernel& k, unsigned irq) override { k.writel(bit(irq), mir_set(irq)); }
  void unmask(Kernel& k, unsigned irq) override { k.writel(bit(irq), mir_clear(irq)); }

  IrqFetch fetch(Kernel& k, ExecContext& ctx, unsigned, bool first, unsigned& irq) override {
    // omap_intc_handle_irq: one interrupt per entry.
    if (!first) return IrqFetch::None;
    std::uint32_t sir = 0;
    if (!k.entry_read(ctx, base_ + oi::kSirIrq, sir)) return IrqFetch::None;
    if ((sir & oi::kSpuriousFlag) == oi::kSpuriousFlag) {
      k.entry_write(ctx, base_ + oi::kControl, oi::kControlNewIrqAgr);  // release the output
      return IrqFetch::Spurious;
    }
    irq = sir & oi::kActiveIrqMask;
    return IrqFetch::Irq;
  }
  void before_handler(Kernel& k, ExecContext& ctx, unsigned, unsigned irq) override {
    // handle_level_irq -> mask_ack_irq: mask, then the chip's ack (mask again + NEWIRQAGR),
    // so the controller sorts again before the device handler runs.
    k.entry_write(ctx, mir_set(irq), bit(irq));
    k.entry_write(ctx, mir_set(irq), bit(irq));
    k.entry_write(ctx, base_ + oi::kControl, oi::kControlNewIrqAgr);
  }
  void after_handler(Kernel& k, ExecContext& ctx, unsigned, unsigned irq, bool disabled) override {
    if (!disabled) k.entry_write(ctx, mir_clear(irq), bit(irq));
  }

 private:
  static std::uint32_t bit(unsigned irq) { return 1u << (irq % 32); }
  std::uint64_t mir_set(unsigned irq) const { return base_ + oi::bank_reg(irq / 32, oi::kMirSet); }
  std::uint64_t mir_clear(unsigned irq) const {
    return base_ + oi::bank_reg(irq / 32, oi::kMirClear);
  }

  std::uint64_t base_;
  unsigned lines_;
};

}  // namespace

std::unique_ptr<IrqChip> make_irq_chip(const IrqControllerNode& node, unsigned cores) {
  if (node.compatible == "ti,am33xx-intc") return std::make_unique<OmapIntcChip>(node);
  return std::make_unique<GicChip>(node, cores);
}

}  // namespace aesvp::kernel
