// The platform top: an OMAP4-like SoC with the CPU, the L3/L4 interconnect, DRAM, the
// interrupt controller, the system DMA and one or two AES instances, wired as the OMAP4
// device tree says (models/platform/omap4_map.h). Software (driver/, testbench/) reaches
// the hardware only through the CPU's bus port, its interrupt entry and simulated memory.
#pragma once

#include "models/aes/omap_aes.h"
#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/core/timing_mode.h"
#include "models/cpu/cpu.h"
#include "models/intc/gic.h"
#include "models/memory/memory.h"
#include "models/platform/omap4_map.h"
#include "models/platform/platform_params.h"
#include "models/sdma/omap_sdma.h"

#include <systemc>

#include <memory>
#include <vector>

namespace aesvp {

class Platform : public sc_core::sc_module {
 public:
  Platform(sc_core::sc_module_name name, const PlatformParams& params);
  // The structural checks the wiring needs beyond each parameter's own range (interrupt and
  // DMA request lines of every device present, the timing mode); throws
  // std::invalid_argument with one line. Callers check before elaboration.
  static void check_params(const PlatformParams& params);

  const PlatformParams& params() const { return params_; }
  TimingMode timing_mode() const { return mode_; }

  // Addresses and numbers software needs (the "device tree").
  struct AesResources {
    std::uint64_t base;
    unsigned irq_id;  // GIC interrupt ID
    unsigned dma_tx;  // sDMA request line: memory -> DATA_IN
    unsigned dma_rx;  // sDMA request line: DATA_OUT -> memory
  };
  AesResources aes_resources(unsigned instance) const;
  unsigned sdma_irq_id(unsigned line) const { return omap4::kGicSpiBase + omap4::kSdmaIrqSpi[line]; }
  std::uint64_t dram_base() const { return omap4::kDramBase; }
  std::uint64_t dram_size() const { return dram.size(); }

 private:
  PlatformParams params_;
  TimingMode mode_;

 public:
  Interconnect bus;
  Memory dram;
  Cpu cpu;
  Gic gic;
  OmapSdma sdma;
  std::vector<std::unique_ptr<OmapAes>> aes;

 private:
  LevelSignal tie_low_{"tie_low"};
  std::vector<std::unique_ptr<LevelSignal>> wires_;
  LevelSignal& wire(const std::string& name);
};

}  // namespace aesvp
