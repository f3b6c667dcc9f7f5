// The interrupt controller as the generic IRQ layer drives it: Linux's irq_chip callbacks
// (startup, mask, unmask) and the root handler's steps around each device handler. One
// implementation per controller, chosen from the device description (make_irq_chip):
//   - GIC (irq-gic): acknowledge through GICC_IAR until spurious, handle_fasteoi_irq
//     (device handler, then EOI);
//   - OMAP INTC (irq-omap-intc): one interrupt per entry from SIR_IRQ (spurious flag ->
//     NEWIRQAGR only), handle_level_irq (mask, ack = mask + NEWIRQAGR, device handler,
//     unmask).
// Process-context steps use the kernel's readl/writel; the root handler's steps use the
// entry accessors on the hard-IRQ context. Register constants come from the models'
// register headers only.
#pragma once

#include "models/core/device_tree.h"

#include <cstdint>
#include <memory>

namespace aesvp {
class ExecContext;
}

namespace aesvp::kernel {

class Kernel;

// What the root handler's fetch step found.
enum class IrqFetch {
  Irq,       // an interrupt to handle (its number in `irq`)
  Spurious,  // the controller had nothing valid on the entry's first fetch
  None,      // nothing more in this entry
};

class IrqChip {
 public:
  virtual ~IrqChip() = default;
  virtual const char* name() const = 0;
  // An interrupt number drivers may request on this controller.
  virtual bool valid(unsigned irq) const = 0;
  // Controller bring-up (the irqchip's init at boot), from a kernel context.
  virtual void init(Kernel& k) = 0;
  // request_irq: route the line to `core` and unmask it.
  virtual void startup(Kernel& k, unsigned irq, unsigned core) = 0;
  virtual void mask(Kernel& k, unsigned irq) = 0;
  virtual void unmask(Kernel& k, unsigned irq) = 0;
  // Root handler, hard-IRQ context `ctx` of `core`: the next interrupt of this entry.
  virtual IrqFetch fetch(Kernel& k, ExecContext& ctx, unsigned core, bool first,
                         unsigned& irq) = 0;
  // Flow handler steps around the device handler. `disabled`: the line was disabled
  // meanwhile (nobody cared) and must stay masked.
  virtual void before_handler(Kernel& k, ExecContext& ctx, unsigned core, unsigned irq) = 0;
  virtual void after_handler(Kernel& k, ExecContext& ctx, unsigned core, unsigned irq,
                             bool disabled) = 0;
};

// The chip the device description's interrupt controller names: "ti,am33xx-intc" -> the
// OMAP INTC (interrupt number = line), otherwise a GIC (interrupt ID, SPIs from 32) with
// `cores` CPU interfaces.
std::unique_ptr<IrqChip> make_irq_chip(const IrqControllerNode& node, unsigned cores);

}  // namespace aesvp::kernel
