// Test bench of the sDMA model: a CPU-like initiator, the interconnect, DRAM, the sDMA and a
// FIFO test peripheral with a DMA request line (same handshake discipline as the AES: the
// request is lowered inside the access that services it).
#pragma once

#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/memory/memory.h"
#include "models/sdma/omap_sdma.h"

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
inline constexpr std::uint64_t kSdmaBase = sdma::kOmap4Base;
inline constexpr std::uint64_t kDevBase = 0x48100000;
inline constexpr std::uint64_t kDevSize = 0x100;
inline constexpr unsigned kDevReq = 111;  // the AES "tx" request number on OMAP4

// A register-less CPU: 32-bit accesses that wait for their latency (accurate CPU style).
struct Cpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Cpu> socket{"socket"};
  explicit Cpu(sc_core::sc_module_name n) : sc_core::sc_module(n) {}

  tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                  unsigned len, unsigned width = 0) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(width == 0 ? len : width);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    socket->b_transport(t, delay);
    wait(delay);
    return t.get_response_status();
  }
  std::uint32_t read(std::uint64_t addr) {
    std::uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, &v, 4), tlm::TLM_OK_RESPONSE) << std::hex << addr;
    return v;
  }
  void write(std::uint64_t addr, std::uint32_t v) {
    EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, addr, &v, 4), tlm::TLM_OK_RESPONSE) << std::hex << addr;
  }
  // sDMA register helpers.
  std::uint32_t dma(std::uint32_t off) { return read(kSdmaBase + off); }
  void dma(std::uint32_t off, std::uint32_t v) { write(kSdmaBase + off, v); }
  std::uint32_t chan(unsigned ch, std::uint32_t reg) { return dma(sdma::channel_reg(ch, reg)); }
  void chan(unsigned ch, std::uint32_t reg, std::uint32_t v) { dma(sdma::channel_reg(ch, reg), v); }
};

// FIFO peripheral: a 16-byte data window at offset 0 (writes are collected, reads return a
// counting byte pattern) and a request line. Each request grants one unit of `unit_bytes`;
// the first access of a unit lowers the request. An access while no request was raised and
// no unit is open is counted as unsolicited.
struct FifoDevice : sc_core::sc_module {
  enum class Pacing {
    Manual,         // the test raises the request
    OnAccessEnd,    // re-raised at the annotated end of the unit's last access
    Elastic,        // re-raised inside the unit's last access (the request stays high)
  };
  tlm_utils::simple_target_socket<FifoDevice> socket{"socket"};
  LevelSignal req{"req"};

  struct Access {
    sc_time at;  // annotated time at which the access reaches the device
    bool write;
    unsigned len, width;
  };
  std::vector<Access> log;
  std::vector<unsigned char> received;
  unsigned unsolicited = 0;
  unsigned units_done = 0;
  unsigned unit_bytes = 16;
  sc_time latency{10, SC_NS};
  Pacing pacing = Pacing::Manual;
  unsigned requests_left = 0;
  unsigned char next_out = 0;

  SC_HAS_PROCESS(FifoDevice);
  explicit FifoDevice(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_b_transport(this, &FifoDevice::b_transport);
    SC_METHOD(raise_later);
    sensitive << raise_ev_;
    dont_initialize();
  }

  // Makes `n` requests, one unit each, paced as set; the first is raised now.
  void start(unsigned n, Pacing p) {
    pacing = p;
    requests_left = n;
    raise_next();
  }
  void raise() { req.write(true); }

 private:
  void raise_next() {
    if (requests_left == 0) return;
    --requests_left;
    req.write(true);
  }
  void raise_later() { raise_next(); }

  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    const unsigned len = t.get_data_length();
    const unsigned width = t.get_streaming_width();
    if (t.get_address() + width > 16 || t.get_byte_enable_ptr() != nullptr) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    log.push_back({sc_core::sc_time_stamp() + delay, t.is_write(), len, width});
    if (!unit_open_) {
      if (!req.read()) {
        ++unsolicited;
      } else {
        req.write(false);  // serviced: lowered inside the access
        unit_open_ = true;
        unit_count_ = 0;
      }
    }
    unsigned char* d = t.get_data_ptr();
    if (t.is_write()) received.insert(received.end(), d, d + len);
    else for (unsigned i = 0; i < len; ++i) d[i] = next_out++;
    delay += latency;
    if (unit_open_) {
      unit_count_ += len;
      if (unit_count_ >= unit_bytes) {
        unit_open_ = false;
        ++units_done;
        if (pacing == Pacing::Elastic) raise_next();
        else if (pacing == Pacing::OnAccessEnd && requests_left > 0) raise_ev_.notify(delay);
      }
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  bool unit_open_ = false;
  unsigned unit_count_ = 0;
  sc_core::sc_event raise_ev_;
};

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
