// Test bench of the sDMA model: a CPU-like initiator, the interconnect, DRAM, the sDMA and a
// FIFO test peripheral with a DMA request line (same handshake discipline as the AES: the
// request is lowered inside the access that services it).
#pragma once

#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/memory/memory.h"
#include "models/platform/omap4_map.h"
#include "models/sdma/omap_sdma.h"
#include "models/testing/tlm_test_devices.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

namespace aesvp::sdma_test {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::SC_ZERO_TIME;

inline constexpr std::uint64_t kDramBase = 0x80000000;
inline constexpr std::uint64_t kDramSize = 1u << 20;
inline constexpr std::uint64_t kSdmaBase = omap4::kSdmaBase;
inline constexpr std::uint64_t kDevBase = 0x48100000;
inline constexpr std::uint64_t kDevSize = 0x100;
inline constexpr unsigned kDevReq = 111;  // the AES "tx" request number on OMAP4

// The test CPU with sDMA register helpers.
struct Cpu : testing::TestCpu {
  using TestCpu::TestCpu;
  // sDMA register helpers.
  std::uint32_t dma(std::uint32_t off) { return read(kSdmaBase + off); }
  void dma(std::uint32_t off, std::uint32_t v) { write(kSdmaBase + off, v); }
  std::uint32_t chan(unsigned ch, std::uint32_t reg) { return dma(sdma::channel_reg(ch, reg)); }
  void chan(unsigned ch, std::uint32_t reg, std::uint32_t v) { dma(sdma::channel_reg(ch, reg), v); }
};

using testing::FifoDevice;

struct Bench : sc_core::sc_module {
  BusParams busp;
  DramParams dramp;
  SdmaParams dmap;
  Cpu cpu{"cpu"};
  Interconnect bus;
  Memory dram;
  OmapSdma dma;
  FifoDevice dev{"dev"};
  LevelSignal tie_low{"tie_low"};
  sc_core::sc_vector<LevelSignal> irq{"irq", sdma::kIrqLines};
  // Times of the rising edges of each interrupt line.
  std::vector<std::vector<sc_time>> irq_rises{sdma::kIrqLines};

  static DramParams small_dram() {
    DramParams p;
    p.size_mib = 1;
    return p;
  }
  sc_time cycle() const { return sc_time(1000.0 / dmap.clock_mhz, SC_NS); }
  sc_time hop() const { return sc_time(1000.0 / busp.l3_clock_mhz, SC_NS) * busp.l3_hop_cycles; }
  sc_time l4() const { return sc_time(1000.0 / busp.l3_clock_mhz, SC_NS) * busp.l4_bridge_cycles; }

  SC_HAS_PROCESS(Bench);
  Bench(sc_core::sc_module_name n, TimingMode mode, const SdmaParams& p = SdmaParams{})
      : sc_core::sc_module(n),
        dmap(p),
        bus("bus", hop()),
        dram("dram", small_dram()),
        dma("dma", p, mode) {
    cpu.socket.bind(bus.from_initiators);
    dma.bus.bind(bus.from_initiators);
    bus.attach(dram.socket, kDramBase, kDramSize, "dram");
    bus.attach(dma.regs, kSdmaBase, sdma::kWindowSize, "sdma", l4());
    bus.attach(dev.socket, kDevBase, kDevSize, "dev", l4());
    for (unsigned i = 0; i < dma.dma_req.size(); ++i) {
      if (i == kDevReq) dma.dma_req[i].bind(dev.req);
      else dma.dma_req[i].bind(tie_low);
    }
    for (unsigned x = 0; x < sdma::kIrqLines; ++x) {
      dma.irq[x].bind(irq[x]);
      sc_core::sc_spawn_options o;
      o.spawn_method();
      o.set_sensitivity(&irq[x].posedge_event());
      o.dont_initialize();
      sc_core::sc_spawn([this, x] { irq_rises[x].push_back(sc_core::sc_time_stamp()); },
                        sc_core::sc_gen_unique_name("irq_watch"), &o);
    }
  }

  // Runs `scenario` as a thread and simulates until nothing is left to do.
  void run(std::function<void()> scenario) {
    sc_core::sc_spawn(std::move(scenario), "scenario");
    sc_core::sc_start();
  }

  unsigned char* mem(std::uint64_t addr) { return dram.data() + (addr - kDramBase); }
};

// One channel's programming; program() writes it and sets ENABLE last.
struct ChannelSetup {
  unsigned ch = 0;
  std::uint32_t ccr = 0;  // without ENABLE
  std::uint32_t csdp = sdma::kDataType32;
  std::uint32_t cen = 1, cfn = 1;
  std::uint32_t src = 0, dst = 0;
  std::uint32_t cicr = 0;
};

inline void program(Cpu& cpu, const ChannelSetup& s) {
  cpu.chan(s.ch, sdma::kCsr, ~0u);
  cpu.chan(s.ch, sdma::kCsdp, s.csdp);
  cpu.chan(s.ch, sdma::kCen, s.cen);
  cpu.chan(s.ch, sdma::kCfn, s.cfn);
  cpu.chan(s.ch, sdma::kCssa, s.src);
  cpu.chan(s.ch, sdma::kCdsa, s.dst);
  cpu.chan(s.ch, sdma::kCicr, s.cicr);
  cpu.chan(s.ch, sdma::kCcr, s.ccr);
}
inline void enable(Cpu& cpu, const ChannelSetup& s) {
  cpu.chan(s.ch, sdma::kCcr, s.ccr | sdma::kCcrEnable);
}

// Memory -> memory, no hardware synchronisation, post-increment both sides.
inline std::uint32_t ccr_mem_to_mem() {
  return sdma::ccr_src_amode(sdma::kAmodePostIncrement) |
         sdma::ccr_dst_amode(sdma::kAmodePostIncrement);
}
// Memory -> device FIFO (constant destination), synchronised by the device's request.
inline std::uint32_t ccr_mem_to_dev(std::uint32_t sync_bits) {
  return sdma::ccr_request(kDevReq) | sync_bits | sdma::ccr_src_amode(sdma::kAmodePostIncrement) |
         sdma::ccr_dst_amode(sdma::kAmodeConstant);
}
inline std::uint32_t csdp32_bursts(std::uint32_t src_burst, std::uint32_t dst_burst) {
  return sdma::kDataType32 | sdma::csdp_src_burst(src_burst) | sdma::csdp_dst_burst(dst_burst);
}

}  // namespace aesvp::sdma_test
