// Test bench of the EDMA3 model: a CPU-like initiator, the interconnect, DRAM, the EDMA3
// (TPCC + 3 TPTCs, AM335x layout) and a FIFO test peripheral on channel 5's event line (the
// omap-aes DATA_IN channel on AM335x). Expected times are derived here from the parameters
// and the bus / memory / device latencies, not from the model.
#pragma once

#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/edma3/edma3.h"
#include "models/edma3/edma3_regs.h"
#include "models/memory/memory.h"
#include "models/testing/tlm_test_devices.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace aesvp::edma3_test {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;
using testing::FifoDevice;

inline constexpr std::uint64_t kDramBase = 0x80000000;
inline constexpr std::uint64_t kDramSize = 1u << 20;
inline constexpr std::uint64_t kTpcc = edma3::kAm335xTpccBase;
inline constexpr std::uint64_t kDevBase = 0x53500060;  // like the AM335x AES DATA window
inline constexpr std::uint64_t kDevSize = 0x10;
inline constexpr unsigned kDevChannel = 5;

inline std::uint64_t tptc(unsigned t) { return edma3::kAm335xTptcBase + edma3::kTptcStride * t; }

struct Cpu : testing::TestCpu {
  using TestCpu::TestCpu;
  std::uint32_t cc(std::uint32_t off) { return read(kTpcc + off); }
  void cc(std::uint32_t off, std::uint32_t v) { write(kTpcc + off, v); }
  // Global channel window.
  std::uint32_t ch_reg(std::uint32_t off) { return cc(edma3::kGlobalChannelBase + off); }
  void ch_reg(std::uint32_t off, std::uint32_t v) { cc(edma3::kGlobalChannelBase + off, v); }
  std::uint32_t tc(unsigned t, std::uint32_t off) { return read(tptc(t) + off); }
  void tc(unsigned t, std::uint32_t off, std::uint32_t v) { write(tptc(t) + off, v); }
};

// A PaRAM set as software writes it.
struct Set {
  std::uint32_t opt = 0, src = 0, acnt = 0, bcnt = 0, dst = 0;
  std::int32_t src_bidx = 0, dst_bidx = 0;
  std::uint32_t link = edma3::kNullLink, bcntrld = 0;
  std::int32_t src_cidx = 0, dst_cidx = 0;
  std::uint32_t ccnt = 0;
  std::array<std::uint32_t, 8> words() const {
    return {opt, src, edma3::ab_cnt(acnt, bcnt), dst, edma3::bidx(src_bidx, dst_bidx),
            edma3::link_bcntrld(link, bcntrld), edma3::bidx(src_cidx, dst_cidx), ccnt};
  }
};

struct Bench : sc_core::sc_module {
  BusParams busp;
  Edma3Params p;
  Cpu cpu{"cpu"};
  Interconnect bus;
  Memory dram;
  Edma3 dma;
  FifoDevice dev{"dev"};
  LevelSignal ccint{"ccint"}, ccerrint{"ccerrint"};
  sc_core::sc_vector<LevelSignal> tcerrint;
  std::vector<sc_time> ccint_rises;

  static DramParams small_dram() {
    DramParams d;
    d.size_mib = 1;
    return d;
  }
  sc_time cycle() const { return sc_time(1000.0 / p.clock_mhz, SC_NS); }
  sc_time cycles(double n) const { return cycle() * n; }
  sc_time hop() const { return sc_time(1000.0 / busp.l3_clock_mhz, SC_NS) * busp.l3_hop_cycles; }
  sc_time l4() const { return sc_time(1000.0 / busp.l3_clock_mhz, SC_NS) * busp.l4_bridge_cycles; }

  // The TC's own cycles of one command of `len` bytes.
  sc_time command(unsigned len) const {
    return cycles(p.command_cycles + p.beat_cycles * ((len + p.bus_bytes - 1) / p.bus_bytes));
  }
  sc_time mem_read(unsigned len) const { return command(len) + hop() + dram.read_time(len); }
  sc_time mem_write(unsigned len) const { return command(len) + hop() + dram.write_time(len); }
  sc_time dev_write(unsigned len) const { return command(len) + hop() + l4() + dev.latency; }
  sc_time tr_overhead() const { return cycles(p.tr_cycles); }
  sc_time completion() const { return cycles(p.completion_cycles); }

  SC_HAS_PROCESS(Bench);
  Bench(sc_core::sc_module_name n, TimingMode mode, const Edma3Params& params = Edma3Params{})
      : sc_core::sc_module(n),
        p(params),
        bus("bus", hop()),
        dram("dram", small_dram()),
        dma("dma", params, mode),
        tcerrint("tcerrint", params.queues) {
    cpu.socket.bind(bus.from_initiators);
    for (auto& s : dma.tc_bus) s.bind(bus.from_initiators);
    bus.attach(dram.socket, kDramBase, kDramSize, "dram");
    bus.attach(dma.cc_regs, kTpcc, edma3::kTpccWindowSize, "tpcc", l4());
    for (unsigned t = 0; t < params.queues; ++t)
      bus.attach(dma.tc_regs[t], tptc(t), edma3::kTptcWindowSize, "tptc" + std::to_string(t), l4());
    bus.attach(dev.socket, kDevBase, kDevSize, "dev", l4());
    dma.event[kDevChannel].bind(dev.req);
    dma.ccint.bind(ccint);
    dma.ccerrint.bind(ccerrint);
    for (unsigned t = 0; t < params.queues; ++t) dma.tcerrint[t].bind(tcerrint[t]);
    SC_METHOD(watch_ccint);
    sensitive << ccint.posedge_event();
    dont_initialize();
  }
  void watch_ccint() { ccint_rises.push_back(sc_core::sc_time_stamp()); }

  void run(std::function<void()> scenario) {
    sc_core::sc_spawn(std::move(scenario), "scenario");
    sc_core::sc_start();
  }
  unsigned char* mem(std::uint64_t addr) { return dram.data() + (addr - kDramBase); }

  void write_set(unsigned set, const Set& s) {
    const auto w = s.words();
    for (unsigned i = 0; i < 8; ++i) cpu.cc(edma3::param(set) + 4 * i, w[i]);
  }
  std::array<std::uint32_t, 8> read_set(unsigned set) {
    std::array<std::uint32_t, 8> w{};
    for (unsigned i = 0; i < 8; ++i) w[i] = cpu.cc(edma3::param(set) + 4 * i);
    return w;
  }
  // What Linux's edma driver does to own and start a channel in region 0 with its
  // completion interrupt on (DRAE, queue, IESR, then clean state and EESR for events).
  void own_channel(unsigned ch, unsigned queue = 0) {
    const bool high = ch >= 32;
    const std::uint32_t bit = 1u << (ch % 32);
    cpu.cc(high ? edma3::draeh(0) : edma3::drae(0), cpu.cc(high ? edma3::draeh(0) : edma3::drae(0)) | bit);
    const std::uint32_t q = cpu.cc(edma3::dmaqnum(ch)) & ~(0xfu << edma3::dmaqnum_shift(ch));
    cpu.cc(edma3::dmaqnum(ch), q | (queue << edma3::dmaqnum_shift(ch)));
    const std::uint32_t h = high ? edma3::kHigh : 0;
    cpu.ch_reg(edma3::kIcr + h, bit);
    cpu.ch_reg(edma3::kIesr + h, bit);
  }
  void start_events(unsigned ch) {
    const std::uint32_t h = ch >= 32 ? edma3::kHigh : 0, bit = 1u << (ch % 32);
    cpu.ch_reg(edma3::kEcr + h, bit);
    cpu.cc(ch >= 32 ? edma3::kEmcrh : edma3::kEmcr, bit);
    cpu.ch_reg(edma3::kSecr + h, bit);
    cpu.ch_reg(edma3::kEesr + h, bit);
  }
  void trigger(unsigned ch) {
    cpu.ch_reg(edma3::kEsr + (ch >= 32 ? edma3::kHigh : 0), 1u << (ch % 32));
  }
  // A register write from the test CPU arrives at the TPCC after the hop and the bridge.
  sc_time reg_arrival() const { return hop() + l4(); }
};

}  // namespace aesvp::edma3_test
