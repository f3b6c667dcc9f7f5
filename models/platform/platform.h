// The platform top: an OMAP-class SoC with the CPU, the L3/L4 interconnect, DRAM, the
// interrupt controller, the DMA controller and the AES instances of its profile, wired as the
// SoC's device tree says (models/platform/soc_map.h). Software (driver/, testbench/) reaches
// the hardware only through the CPU's bus port, its interrupt entry, simulated memory and
// the device description the platform builds (device_tree()).
#pragma once

#include "models/aes/omap_aes.h"
#include "models/bus/interconnect.h"
#include "models/core/device_tree.h"
#include "models/core/level_signal.h"
#include "models/core/timing_mode.h"
#include "models/cpu/cpu.h"
#include "models/edma3/edma3.h"
#include "models/intc/gic.h"
#include "models/intc/omap_intc.h"
#include "models/memory/memory.h"
#include "models/platform/soc_map.h"
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

  // Addresses and numbers software needs: the device description handed to the kernel.
  const DeviceTree& device_tree() const { return dt_; }
  const AesNode& aes_resources(unsigned instance) const { return dt_.aes.at(instance); }
  std::uint64_t dram_base() const { return dt_.dram_base; }
  std::uint64_t dram_size() const { return dram.size(); }

 private:
  PlatformParams params_;
  TimingMode mode_;
  const SocMap& map_;
  DeviceTree dt_;

 public:
  Interconnect bus;
  Memory dram;
  Cpu cpu;
  Gic gic;          // every SoC (the CPU's IRQ source unless the SoC has an OMAP INTC)
  OmapSdma sdma;    // every SoC (feeds the AES only on DmaKind::Sdma SoCs)
  std::unique_ptr<OmapIntc> omap_intc;  // SoCs with an OMAP INTC (am335x)
  std::unique_ptr<Edma3> edma3;         // SoCs whose AES is fed by EDMA3 (am335x, am57x)
  std::vector<std::unique_ptr<OmapAes>> aes;

  // Busy time of the DMA controller that feeds the AES (sDMA port, or the EDMA3 TPTCs).
  sc_core::sc_time dma_busy_time() const;

 private:
  LevelSignal tie_low_{"tie_low"};
  std::vector<std::unique_ptr<LevelSignal>> wires_;
  LevelSignal& wire(const std::string& name);
  void build_edma3(const sc_core::sc_time& l4);
  void build_device_tree();
};

}  // namespace aesvp
