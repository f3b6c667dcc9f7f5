// The SoC as software sees it: a device description (what a flattened device tree or board
// platform data gives Linux) - base addresses, interrupt numbers, DMA request lines, instance
// counts. Plain data: the platform builds it for its profile (models/platform) and hands it
// to the kernel layer (driver/kernel), so the driver never reaches into a model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp {

// The interrupt controller the CPU's IRQ input comes from.
struct IrqControllerNode {
  std::string compatible;           // "arm,cortex-a9-gic", "arm,cortex-a15-gic", "ti,am33xx-intc"
  std::uint64_t base = 0;           // GIC: distributor; OMAP INTC: its register block
  std::uint64_t cpu_if_base = 0;    // GIC: CPU interface of core 0 (0 for the INTC)
  std::uint64_t cpu_if_stride = 0;  // GIC: distance between the cores' CPU interfaces
  unsigned lines = 0;               // interrupt numbers the controller implements
};

// The DMA controller the slave peripherals' requests go to.
struct DmaControllerNode {
  std::string compatible;       // "ti,omap4430-sdma", "ti,edma3-tpcc"
  std::uint64_t base = 0;
  std::vector<unsigned> irqs;   // interrupt numbers of its output lines (sDMA: L0..L3;
                                // EDMA3: region-0 completion, CC error, then TPTC n error)
  unsigned channels = 0;        // logical channels
  unsigned requests = 0;        // request lines (sDMA: 1-based, EDMA3: event numbers)
  std::vector<unsigned> queue_priorities;  // EDMA3 "ti,tptcs": per queue, 0 = highest
  std::vector<std::uint64_t> tc_bases;     // EDMA3: transfer controller n's registers
};

// One AES instance ("ti,omap4-aes").
struct AesNode {
  std::string name;       // "aes1", "aes0", ...
  std::uint64_t base = 0;
  std::uint64_t size = 0;
  unsigned irq = 0;       // interrupt number at the controller
  unsigned dma_in = 0;    // request line memory -> DATA_IN (the driver's input channel)
  unsigned dma_out = 0;   // request line DATA_OUT -> memory (the driver's output channel)
  bool bulk_units = false;  // aesvp's bulk extension (beyond TI silicon) is present
};

struct DeviceTree {
  std::string model;          // the SoC profile, e.g. "am335x"
  unsigned cpus = 1;          // cores the kernel may use
  std::uint64_t dram_base = 0, dram_size = 0;
  IrqControllerNode intc;
  DmaControllerNode dma;
  std::vector<AesNode> aes;   // instances present (status = "okay")
};

}  // namespace aesvp
