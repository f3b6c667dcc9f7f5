#include "models/core/report.h"
#include "models/sdma/omap_sdma.h"
#include "models/sdma/omap_sdma_regs.h"
#include "models/sdma/tests/sdma_bench.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <array>
#include <iostream>
#include <random>
#include <vector>

namespace aesvp::sdma_test {
namespace {

namespace r = sdma;

std::vector<unsigned char> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::vector<unsigned char> v(n);
  for (auto& b : v) b = static_cast<unsigned char>(gen());
  return v;
}

// Costs derived from the parameters and the bus / memory / device latencies (not from the
// model): DMA cycles of one transaction of `len` bytes of 32-bit elements.
sc_time own(const Bench& b, unsigned len) {
  return b.cycle() * static_cast<double>(b.dmap.burst_overhead_cycles +
                                         b.dmap.element_cycles * (len / 4));
}
sc_time frame_overhead(const Bench& b) {
  return b.cycle() * static_cast<double>(b.dmap.frame_overhead_cycles);
}
sc_time start_latency(const Bench& b) {
  return b.cycle() * static_cast<double>(b.dmap.start_latency_cycles);
}
// Memory -> device unit of `len` bytes, one read and one write transaction: time from the
// unit's start to the write reaching the device, and to the unit's end.
sc_time mem_to_dev_write_at(const Bench& b, unsigned len) {
  return frame_overhead(b) + own(b, len) + b.hop() + b.dram.read_time(len) + own(b, len) +
         b.hop() + b.l4();
}
sc_time mem_to_dev_unit(const Bench& b, unsigned len) {
  return mem_to_dev_write_at(b, len) + b.dev.latency;
}
// Memory -> memory frame of `bytes` in bursts of `burst` bytes on both sides.
sc_time mem_to_mem_frame(const Bench& b, unsigned bytes, unsigned burst) {
  sc_time t = frame_overhead(b);
  for (unsigned off = 0; off < bytes; off += burst) t += own(b, burst) + b.hop() + b.dram.read_time(burst);
  for (unsigned off = 0; off < bytes; off += burst) t += own(b, burst) + b.hop() + b.dram.write_time(burst);
  return t;
}
// A CPU register write issued at t reaches the sDMA at t + hop + L4 bridge.
sc_time reg_arrival(const Bench& b) { return b.hop() + b.l4(); }

// ---------------------------------------------------------------------------------------

TEST(Sdma, ResetValuesAndRegisterLayout) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    EXPECT_EQ(b.cpu.dma(r::kRevision), 0x00010900u);
    EXPECT_EQ(b.cpu.dma(r::kSysStatus), r::kSysStatusResetDone);
    // CAPS_0: descriptor types 1-3 (bit 20), not type 4 (bit 21).
    EXPECT_EQ(b.cpu.dma(r::kCaps0), 1u << 20);
    for (unsigned x = 0; x < 4; ++x) {
      EXPECT_EQ(b.cpu.dma(r::irqstatus(x)), 0u);
      EXPECT_EQ(b.cpu.dma(r::irqenable(x)), 0u);
    }
    // Every channel register of the last channel is there, with its width.
    const unsigned last = 31;
    EXPECT_EQ(b.cpu.chan(last, r::kCcr), 0u);
    b.cpu.chan(last, r::kCen, 0xffffffffu);
    EXPECT_EQ(b.cpu.chan(last, r::kCen), r::kCenMask);
    b.cpu.chan(last, r::kCfn, 0xffffffffu);
    EXPECT_EQ(b.cpu.chan(last, r::kCfn), r::kCfnMask);
    b.cpu.chan(last, r::kCssa, 0x12345678);
    EXPECT_EQ(b.cpu.chan(last, r::kCssa), 0x12345678u);
    b.cpu.chan(last, r::kCdac, 0);  // the Linux driver clears CDAC before a start
    for (std::uint32_t reg : {r::kClnkCtrl, r::kCicr, r::kCsdp, r::kCdsa, r::kCsei, r::kCsfi,
                              r::kCdei, r::kCdfi, r::kCsac, r::kColor, r::kCdp, r::kCndp,
                              r::kCcdn, r::kCcen, r::kCcfn, r::kCsr})
      EXPECT_EQ(b.cpu.chan(last, reg), 0u) << std::hex << reg;
    // A plain write of CCR without ENABLE stores; RD/WR_ACTIVE are status bits.
    b.cpu.chan(last, r::kCcr, r::kCcrRdActive | r::kCcrWrActive | r::kCcrFs);
    EXPECT_EQ(b.cpu.chan(last, r::kCcr), r::kCcrFs);
    EXPECT_EQ(testing::take_reports().size(), 0u);
  });
}

TEST(Sdma, BadRegisterAccessesGetErrorResponses) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    std::uint32_t v = 0;
    auto acc = [&](tlm::tlm_command cmd, std::uint32_t off, unsigned len) {
      std::uint32_t buf[2] = {0, 0};
      return b.cpu.access(cmd, kSdmaBase + off, buf, len);
    };
    EXPECT_EQ(acc(tlm::TLM_READ_COMMAND, 0x04, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // hole
    EXPECT_EQ(acc(tlm::TLM_READ_COMMAND, 0x0a, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);  // misaligned
    EXPECT_EQ(acc(tlm::TLM_READ_COMMAND, 0x08, 2), tlm::TLM_BURST_ERROR_RESPONSE);    // 16-bit
    EXPECT_EQ(acc(tlm::TLM_WRITE_COMMAND, r::kRevision, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(tlm::TLM_WRITE_COMMAND, r::channel_reg(0, r::kCcen), 4),
              tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(acc(tlm::TLM_READ_COMMAND, r::channel_reg(32, r::kCcr), 4),  // no channel 32
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(acc(tlm::TLM_READ_COMMAND, r::channel_reg(0, 0x48), 4),  // hole in a channel
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // A rejected write has no effect.
    v = b.cpu.dma(r::kRevision);
    EXPECT_EQ(v, 0x00010900u);
    EXPECT_EQ(testing::take_reports(kReportBus).size(), 7u);
  });
}

TEST(Sdma, MemoryToMemoryCopyWithoutSync) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x1000, dst = kDramBase + 0x8000;
  const unsigned cen = 256, cfn = 4, bytes = cen * cfn * 4;
  const auto data = random_bytes(bytes, 1);
  std::memcpy(b.mem(src), data.data(), bytes);
  sc_time t_enable;
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1u << 5);
    ChannelSetup s{5, ccr_mem_to_mem(), csdp32_bursts(r::kBurst64, r::kBurst64), cen, cfn, src, dst,
                   r::kIrqBlock};
    program(b.cpu, s);
    t_enable = sc_core::sc_time_stamp();
    enable(b.cpu, s);
    wait(100, sc_core::SC_US);
    EXPECT_EQ(b.cpu.chan(5, r::kCcr) & r::kCcrEnable, 0u);  // cleared at the end of the block
    const std::uint32_t csr = b.cpu.chan(5, r::kCsr);
    EXPECT_TRUE(csr & r::kIrqBlock);
    EXPECT_TRUE(csr & r::kIrqFrame);
    EXPECT_TRUE(csr & r::kIrqLastFrame);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(0)), 1u << 5);
    EXPECT_EQ(b.cpu.chan(5, r::kCcfn), cfn);
    EXPECT_EQ(b.cpu.chan(5, r::kCsac), src + bytes);
    EXPECT_EQ(b.cpu.chan(5, r::kCdac), dst + bytes);
  });
  EXPECT_EQ(std::memcmp(b.mem(dst), data.data(), bytes), 0);
  EXPECT_EQ(b.mem(dst)[bytes], 0);  // nothing beyond the block
  ASSERT_EQ(b.irq_rises[0].size(), 1u);
  const sc_time expect = t_enable + reg_arrival(b) + start_latency(b) +
                         mem_to_mem_frame(b, cen * 4, 64) * static_cast<double>(cfn);
  EXPECT_EQ(b.irq_rises[0][0], expect);
  const auto st = b.dma.channel_stats(5);
  EXPECT_EQ(st.frames, cfn);
  EXPECT_EQ(st.bytes, bytes);
  EXPECT_EQ(st.transactions, 2u * bytes / 64);
  EXPECT_EQ(b.dma.port_busy_time(), mem_to_mem_frame(b, cen * 4, 64) * static_cast<double>(cfn));
}

TEST(Sdma, ElementSyncMovesOneElementPerRequest) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x100;
  const unsigned cen = 4, cfn = 2, n = cen * cfn;
  const auto data = random_bytes(n * 4, 2);
  std::memcpy(b.mem(src), data.data(), data.size());
  b.dev.unit_bytes = 4;
  const sc_time unit = mem_to_dev_unit(b, 4);
  sc_time t0;
  b.run([&] {
    ChannelSetup s{0, ccr_mem_to_dev(0), csdp32_bursts(r::kBurstSingle, r::kBurstSingle), cen, cfn,
                   src, static_cast<std::uint32_t>(kDevBase), 0};
    program(b.cpu, s);
    b.dev.start(n, FifoDevice::Pacing::OnAccessEnd);
    const sc_time t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
    t0 = t_en + reg_arrival(b) + start_latency(b);
    // In the middle of the third element: two done, the third on the port.
    // CSAC, CDAC, CCEN, CCFN are consecutive: one burst read samples them together.
    auto progress = [&] {
      std::array<std::uint32_t, 4> p{};
      EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, kSdmaBase + r::channel_reg(0, r::kCsac),
                             p.data(), 16),
                tlm::TLM_OK_RESPONSE);
      return p;
    };
    wait(t0 + unit * 2.5 - sc_core::sc_time_stamp());
    auto p = progress();
    EXPECT_EQ(p[0], src + 8);                                   // CSAC
    EXPECT_EQ(p[1], static_cast<std::uint32_t>(kDevBase));      // CDAC (constant)
    EXPECT_EQ(p[2], 2u);                                        // CCEN
    EXPECT_EQ(p[3], 0u);                                        // CCFN
    // In the middle of the sixth element: RD/WR_ACTIVE, one frame and one element done.
    wait(t0 + unit * 5.5 - sc_core::sc_time_stamp());
    p = progress();
    EXPECT_EQ(p[0], src + 20);
    EXPECT_EQ(p[2], 1u);
    EXPECT_EQ(p[3], 1u);
    wait(t0 + unit * 6.5 - sc_core::sc_time_stamp());
    EXPECT_EQ(b.cpu.chan(0, r::kCcr) & (r::kCcrRdActive | r::kCcrWrActive),
              r::kCcrRdActive | r::kCcrWrActive);
  });
  EXPECT_EQ(b.dev.unsolicited, 0u);
  EXPECT_EQ(b.dev.units_done, n);
  ASSERT_EQ(b.dev.log.size(), n);
  for (unsigned k = 0; k < n; ++k) {
    EXPECT_EQ(b.dev.log[k].len, 4u);
    EXPECT_EQ(b.dev.log[k].at, t0 + unit * static_cast<double>(k) + mem_to_dev_write_at(b, 4))
        << "element " << k;
  }
  EXPECT_EQ(b.dev.received, data);
  EXPECT_FALSE(b.dev.req.read());
}

TEST(Sdma, FrameSyncMovesOneFramePerRequest) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x200;
  const unsigned cen = 4, cfn = 3;
  const auto data = random_bytes(cen * cfn * 4, 3);
  std::memcpy(b.mem(src), data.data(), data.size());
  b.dev.unit_bytes = 16;
  std::vector<sc_time> raised;
  b.run([&] {
    b.cpu.dma(r::irqenable(2), 1u << 7);
    ChannelSetup s{7, ccr_mem_to_dev(r::kCcrFs), csdp32_bursts(r::kBurst16, r::kBurst16), cen, cfn,
                   src, static_cast<std::uint32_t>(kDevBase), r::kIrqBlock};
    program(b.cpu, s);
    enable(b.cpu, s);
    for (unsigned k = 0; k < cfn + 1; ++k) {
      wait(1, sc_core::SC_US);
      raised.push_back(sc_core::sc_time_stamp());
      b.dev.raise();
      wait(500, SC_NS);
      // Exactly one frame per request; the request after the block is not serviced.
      EXPECT_EQ(b.dev.received.size(), 16u * std::min(k + 1, cfn)) << "request " << k;
      EXPECT_EQ(b.cpu.chan(7, r::kCcfn), std::min(k + 1, cfn));
    }
    EXPECT_TRUE(b.dev.req.read());  // the last request stays pending: channel disabled
    EXPECT_EQ(b.cpu.chan(7, r::kCsr) & (r::kIrqFrame | r::kIrqBlock), r::kIrqFrame | r::kIrqBlock);
  });
  EXPECT_EQ(b.dev.unsolicited, 0u);
  ASSERT_EQ(b.dev.log.size(), cfn);
  for (unsigned k = 0; k < cfn; ++k) {
    EXPECT_EQ(b.dev.log[k].len, 16u);
    EXPECT_EQ(b.dev.log[k].width, 16u);  // one 16-byte burst into the 16-byte window
    EXPECT_EQ(b.dev.log[k].at, raised[k] + mem_to_dev_write_at(b, 16)) << "frame " << k;
  }
  EXPECT_EQ(b.dev.received, data);
  ASSERT_EQ(b.irq_rises[2].size(), 1u);
  EXPECT_EQ(b.irq_rises[2][0], raised[cfn - 1] + mem_to_dev_unit(b, 16));
}

// The AES "rx" direction: DATA_OUT (constant source) -> memory, the request paces the
// source side (TRIGGER_SRC) and is lowered inside the read.
TEST(Sdma, SourceTriggeredFrameSyncFromDeviceToMemory) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t dst = kDramBase + 0x5000;
  const unsigned frames = 8;
  b.dev.unit_bytes = 16;
  sc_time t_en;
  b.run([&] {
    const std::uint32_t ccr = sdma::ccr_request(kDevReq) | r::kCcrFs | r::kCcrTriggerSrc |
                              sdma::ccr_src_amode(r::kAmodeConstant) |
                              sdma::ccr_dst_amode(r::kAmodePostIncrement);
    ChannelSetup s{9, ccr, csdp32_bursts(r::kBurst16, r::kBurst16), 4, frames,
                   static_cast<std::uint32_t>(kDevBase), dst, r::kIrqBlock};
    b.cpu.dma(r::irqenable(3), 1u << 9);
    program(b.cpu, s);
    b.dev.start(frames, FifoDevice::Pacing::OnAccessEnd);
    t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
  });
  EXPECT_EQ(b.dev.unsolicited, 0u);
  EXPECT_EQ(b.dev.units_done, frames);
  ASSERT_EQ(b.dev.log.size(), frames);
  // Unit: overhead, read DATA_OUT (the request is re-raised when the read ends), write memory.
  const sc_time read_at = frame_overhead(b) + own(b, 16) + b.hop() + b.l4();
  const sc_time unit = read_at + b.dev.latency + own(b, 16) + b.hop() + b.dram.write_time(16);
  const sc_time t0 = t_en + reg_arrival(b) + start_latency(b);
  for (unsigned k = 0; k < frames; ++k) {
    EXPECT_FALSE(b.dev.log[k].write);
    EXPECT_EQ(b.dev.log[k].width, 16u);
    EXPECT_EQ(b.dev.log[k].at, t0 + unit * static_cast<double>(k) + read_at) << "frame " << k;
  }
  for (unsigned i = 0; i < frames * 16; ++i) ASSERT_EQ(b.mem(dst)[i], i) << i;
  ASSERT_EQ(b.irq_rises[3].size(), 1u);
  EXPECT_EQ(b.irq_rises[3][0], t0 + unit * static_cast<double>(frames));
}

TEST(Sdma, PacketSyncMovesAFramePerRequestAndFlagsPackets) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x700;
  b.dev.unit_bytes = 16;
  b.run([&] {
    ChannelSetup s{6, ccr_mem_to_dev(r::kCcrFs | r::kCcrBs),
                   csdp32_bursts(r::kBurst16, r::kBurst16), 4, 2, src,
                   static_cast<std::uint32_t>(kDevBase), 0};
    program(b.cpu, s);
    enable(b.cpu, s);
    wait(1, sc_core::SC_US);
    b.dev.raise();
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.dev.received.size(), 16u);
    EXPECT_EQ(b.cpu.chan(6, r::kCsr) & (r::kIrqPacket | r::kIrqBlock), r::kIrqPacket);
    b.dev.raise();
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.dev.received.size(), 32u);
    EXPECT_TRUE(b.cpu.chan(6, r::kCsr) & r::kIrqBlock);
  });
  EXPECT_EQ(b.dev.unsolicited, 0u);
}

TEST(Sdma, BlockSyncMovesTheWholeBlockPerRequest) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x400;
  const unsigned cen = 4, cfn = 4;
  const auto data = random_bytes(cen * cfn * 4, 4);
  std::memcpy(b.mem(src), data.data(), data.size());
  b.dev.unit_bytes = cen * cfn * 4;
  sc_time raised;
  b.run([&] {
    ChannelSetup s{3, ccr_mem_to_dev(r::kCcrBs), csdp32_bursts(r::kBurst16, r::kBurst16), cen, cfn,
                   src, static_cast<std::uint32_t>(kDevBase), 0};
    program(b.cpu, s);
    enable(b.cpu, s);
    wait(1, sc_core::SC_US);
    raised = sc_core::sc_time_stamp();
    b.dev.raise();
    wait(5, sc_core::SC_US);
    EXPECT_TRUE(b.cpu.chan(3, r::kCsr) & r::kIrqBlock);
    EXPECT_EQ(b.cpu.chan(3, r::kCcr) & r::kCcrEnable, 0u);
  });
  EXPECT_EQ(b.dev.unsolicited, 0u);
  EXPECT_EQ(b.dev.units_done, 1u);
  ASSERT_EQ(b.dev.log.size(), cfn);
  for (unsigned k = 0; k < cfn; ++k)
    EXPECT_EQ(b.dev.log[k].at,
              raised + mem_to_dev_unit(b, 16) * static_cast<double>(k) + mem_to_dev_write_at(b, 16));
  EXPECT_EQ(b.dev.received, data);
}

TEST(Sdma, StatusWriteOneToClearAndIrqLinesFollowStatusAndEnable) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x100, dst = kDramBase + 0x900;
  b.run([&] {
    b.cpu.dma(r::irqenable(1), 1u << 2);
    ChannelSetup s{2, ccr_mem_to_mem(), csdp32_bursts(r::kBurst16, r::kBurst16), 8, 2, src, dst,
                   r::kIrqBlock | r::kIrqFrame};
    program(b.cpu, s);
    enable(b.cpu, s);
    wait(5, sc_core::SC_US);
    EXPECT_TRUE(b.irq[1].read());
    EXPECT_FALSE(b.irq[0].read());  // status set on every line, only L1 enabled
    EXPECT_EQ(b.cpu.dma(r::irqstatus(0)), 1u << 2);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(1)), 1u << 2);
    const std::uint32_t csr = b.cpu.chan(2, r::kCsr);
    EXPECT_EQ(csr & (r::kIrqFrame | r::kIrqBlock | r::kIrqLastFrame | r::kIrqHalfFrame),
              r::kIrqFrame | r::kIrqBlock | r::kIrqLastFrame | r::kIrqHalfFrame);
    // CSR: write 1 to clear, writing 0 keeps.
    b.cpu.chan(2, r::kCsr, 0);
    EXPECT_EQ(b.cpu.chan(2, r::kCsr), csr);
    b.cpu.chan(2, r::kCsr, r::kIrqFrame);
    EXPECT_EQ(b.cpu.chan(2, r::kCsr), csr & ~r::kIrqFrame);
    b.cpu.chan(2, r::kCsr, ~0u);
    EXPECT_EQ(b.cpu.chan(2, r::kCsr), 0u);
    EXPECT_TRUE(b.irq[1].read());  // the line follows IRQSTATUS, not CSR
    b.cpu.dma(r::irqstatus(1), 1u << 3);  // another bit: no effect
    EXPECT_TRUE(b.irq[1].read());
    b.cpu.dma(r::irqstatus(1), 1u << 2);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(1)), 0u);
    EXPECT_FALSE(b.irq[1].read());
    // L0 still holds the status: enabling it raises line 0, disabling lowers it.
    b.cpu.dma(r::irqenable(0), 1u << 2);
    EXPECT_TRUE(b.irq[0].read());
    b.cpu.dma(r::irqenable(0), 0);
    EXPECT_FALSE(b.irq[0].read());
    b.cpu.dma(r::irqenable(0), 1u << 2);
    b.cpu.dma(r::irqstatus(0), ~0u);
    EXPECT_FALSE(b.irq[0].read());
    // An event not enabled in CICR sets CSR but no IRQSTATUS bit.
    ChannelSetup q{4, ccr_mem_to_mem(), csdp32_bursts(r::kBurst16, r::kBurst16), 4, 1, src, dst,
                   r::kIrqTransErr};
    program(b.cpu, q);
    enable(b.cpu, q);
    wait(2, sc_core::SC_US);
    EXPECT_TRUE(b.cpu.chan(4, r::kCsr) & r::kIrqBlock);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(0)), 0u);
  });
  EXPECT_EQ(b.irq_rises[1].size(), 1u);  // FRAME of frame 0 raised it; BLOCK found it high
}

TEST(Sdma, DropWhenARequestArrivesWhileOneIsPending) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t big_src = kDramBase + 0x10000, big_dst = kDramBase + 0x20000;
  const std::uint32_t src = kDramBase + 0x100;
  b.dev.unit_bytes = 16;
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1u << 1);
    // Channel 0 occupies the port with one long frame (single accesses).
    ChannelSetup busy{0, ccr_mem_to_mem(), r::kDataType32, 1024, 1, big_src, big_dst, 0};
    ChannelSetup s{1, ccr_mem_to_dev(r::kCcrFs), csdp32_bursts(r::kBurst16, r::kBurst16), 4, 4, src,
                   static_cast<std::uint32_t>(kDevBase), r::kIrqDrop};
    program(b.cpu, s);
    enable(b.cpu, s);
    program(b.cpu, busy);
    enable(b.cpu, busy);
    wait(1, sc_core::SC_US);  // channel 0's frame is on the port
    ASSERT_TRUE(b.cpu.chan(0, r::kCcr) & r::kCcrRdActive);
    b.dev.raise();
    wait(10, SC_NS);
    b.dev.req.write(false);  // a pulse: the request was latched
    wait(10, SC_NS);
    EXPECT_FALSE(b.cpu.chan(1, r::kCsr) & r::kIrqDrop);
    b.dev.raise();  // a second request before the first was serviced
    wait(10, SC_NS);
    EXPECT_TRUE(b.cpu.chan(1, r::kCsr) & r::kIrqDrop);
    EXPECT_TRUE(b.irq[0].read());
    EXPECT_EQ(b.dev.received.size(), 0u);
    wait(300, sc_core::SC_US);
  });
  EXPECT_EQ(b.dev.received.size(), 16u);  // one frame for the two requests
  EXPECT_EQ(b.dev.unsolicited, 0u);
}

// A LevelSignal request line is followed edge by edge (no watcher activation); the latch and
// DROP are what the watcher, one delta after the edges, decided: it saw the line's level at
// the end of the edges' delta. Hand-worked: a pulse inside one delta is not seen (the line is
// low again when the watcher looks) and moves nothing; a pulse over two deltas is latched
// and moves one frame; a second rise while latched is a DROP one delta after that rise.
void followed_line_pulse(bool same_delta) {
  Bench b("b", TimingMode::Accurate);
  b.dev.unit_bytes = 16;
  const std::uint32_t src = kDramBase + 0x100;
  const std::uint32_t csr1 = r::channel_reg(1, r::kCsr);
  b.run([&] {
    ChannelSetup s{1, ccr_mem_to_dev(r::kCcrFs), csdp32_bursts(r::kBurst16, r::kBurst16), 4, 4, src,
                   static_cast<std::uint32_t>(kDevBase), r::kIrqDrop};
    program(b.cpu, s);
    enable(b.cpu, s);
    wait(1, sc_core::SC_US);  // the channel is armed and idle
    b.dev.req.write(true);
    if (!same_delta) wait(sc_core::SC_ZERO_TIME);
    b.dev.req.write(false);
    wait(1, sc_core::SC_US);
    if (same_delta) return;
    // Over two deltas: latched, one frame moved, the request consumed.
    EXPECT_EQ(b.dev.received.size(), 16u);
    // Channel 0 keeps the port busy meanwhile (one long frame of single accesses).
    ChannelSetup busy{0, ccr_mem_to_mem(), r::kDataType32, 1024, 1, kDramBase + 0x10000,
                      kDramBase + 0x20000, 0};
    program(b.cpu, busy);
    enable(b.cpu, busy);
    wait(1, sc_core::SC_US);
    // Two rises with no service between them (the line falls in between): DROP, raised one
    // delta after the second rise, not in its delta.
    b.dev.req.write(true);
    wait(sc_core::SC_ZERO_TIME);
    b.dev.req.write(false);
    wait(sc_core::SC_ZERO_TIME);
    b.dev.req.write(true);
    EXPECT_FALSE(b.dma.peek(csr1) & r::kIrqDrop);
    wait(sc_core::SC_ZERO_TIME);
    EXPECT_TRUE(b.dma.peek(csr1) & r::kIrqDrop);
  });
  EXPECT_EQ(b.dev.received.size(), same_delta ? 0u : 32u);
  // (Over two deltas the latched pulse may be served after the line fell: the device then
  // counts that access as unsolicited, depending on which thread runs first in that delta.)
  if (same_delta) {
    EXPECT_EQ(b.dev.unsolicited, 0u);
  }
}

TEST(Sdma, FollowedLinePulseInsideOneDeltaIsNotSeen) { followed_line_pulse(true); }
TEST(Sdma, FollowedLinePulseOverTwoDeltasLatchesAndARiseWhileLatchedDrops) {
  followed_line_pulse(false);
}

TEST(Sdma, BusErrorStopsTheChannelOthersGoOn) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src0 = kDramBase + 0x1000, dst0 = kDramBase + 0x4000;
  const std::uint32_t src1 = kDramBase + 0x2000, dst1 = kDramBase + 0x6000;
  const unsigned bytes = 64 * 4 * 4;
  const auto data0 = random_bytes(bytes, 5), data1 = random_bytes(bytes, 6);
  std::memcpy(b.mem(src0), data0.data(), bytes);
  std::memcpy(b.mem(src1), data1.data(), bytes);
  b.run([&] {
    b.bus.inject_bus_error(dst0 + 256, 16);  // inside channel 0's second frame
    b.cpu.dma(r::irqenable(0), 0x3);
    ChannelSetup s0{0, ccr_mem_to_mem(), csdp32_bursts(r::kBurst16, r::kBurst16), 64, 4, src0, dst0,
                    r::kIrqTransErr | r::kIrqBlock};
    ChannelSetup s1{1, ccr_mem_to_mem(), csdp32_bursts(r::kBurst16, r::kBurst16), 64, 4, src1, dst1,
                    r::kIrqBlock};
    program(b.cpu, s0);
    program(b.cpu, s1);
    enable(b.cpu, s0);
    enable(b.cpu, s1);
    wait(50, sc_core::SC_US);
    const std::uint32_t csr0 = b.cpu.chan(0, r::kCsr);
    EXPECT_TRUE(csr0 & r::kIrqTransErr);
    EXPECT_FALSE(csr0 & r::kIrqBlock);
    EXPECT_EQ(b.cpu.chan(0, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(b.cpu.chan(0, r::kCcfn), 1u);  // the first frame completed
    EXPECT_TRUE(b.cpu.chan(1, r::kCsr) & r::kIrqBlock);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(0)), 0x3u);
    EXPECT_TRUE(b.irq[0].read());
  });
  EXPECT_EQ(std::memcmp(b.mem(dst1), data1.data(), bytes), 0);
  EXPECT_EQ(std::memcmp(b.mem(dst0), data0.data(), 256), 0);
  EXPECT_EQ(b.mem(dst0)[256], 0);  // the failing burst wrote nothing
  EXPECT_EQ(b.mem(dst0)[512], 0);  // nothing after the error
  EXPECT_EQ(b.dma.channel_stats(0).errors, 1u);
  EXPECT_GE(b.bus.injected_errors(), 1u);
}

TEST(Sdma, MisalignedAndUnsupportedProgrammingStopTheChannel) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    ChannelSetup mis{0, ccr_mem_to_mem(), r::kDataType32, 4, 1, kDramBase + 2, kDramBase + 0x100,
                     r::kIrqMisalignedErr};
    program(b.cpu, mis);
    enable(b.cpu, mis);
    EXPECT_TRUE(b.cpu.chan(0, r::kCsr) & r::kIrqMisalignedErr);
    EXPECT_EQ(b.cpu.chan(0, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(0)), 1u);
    EXPECT_EQ(testing::take_reports().size(), 0u);

    ChannelSetup idx{1, sdma::ccr_src_amode(r::kAmodeDoubleIndex), r::kDataType32, 4, 1, kDramBase,
                     kDramBase + 0x100, r::kIrqTransErr};
    program(b.cpu, idx);
    enable(b.cpu, idx);
    EXPECT_TRUE(b.cpu.chan(1, r::kCsr) & r::kIrqTransErr);
    EXPECT_EQ(b.cpu.chan(1, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(testing::take_reports(kReportModel).size(), 1u);
  });
}

// ---------------------------------------------------------------------------------------
// Descriptor lists (CDP linked-list mode). Descriptors are written here word by word from the
// layout the Linux omap-dma driver uses (type 2: next pointer, CEN | next-valid | type,
// address(es), CFN | CICR << 16, CDEI | CSEI << 16, CDFI, CSFI; 0xfffffffc ends the list) and
// the TRM's type-3 layout, not through the model's header helpers.

// Descriptor word 1: CEN, next source valid (25:24), next destination valid (27:26), BLOCK_IE
// (28, type 3), next type (31:29).
std::uint32_t w1(std::uint32_t cen, std::uint32_t next_sv, std::uint32_t next_dv,
                 std::uint32_t next_type, bool block_ie = false) {
  return cen | next_sv << 24 | next_dv << 26 | (block_ie ? 1u << 28 : 0u) | next_type << 29;
}
void put_words(Bench& b, std::uint64_t addr, std::initializer_list<std::uint32_t> words) {
  for (std::uint32_t w : words) {
    std::memcpy(b.mem(addr), &w, 4);
    addr += 4;
  }
}
constexpr std::uint32_t kReload = 1, kIncrement = 0, kReuse = 2;
constexpr std::uint32_t kEnd = 0xfffffffcu;

TEST(Sdma, DescriptorListRegistersResetValuesAndAccess) {
  Bench b("b", TimingMode::Accurate);
  b.run([&] {
    for (unsigned ch : {0u, 31u}) {
      EXPECT_EQ(b.cpu.chan(ch, r::kCdp), 0u);
      EXPECT_EQ(b.cpu.chan(ch, r::kCndp), 0u);
      EXPECT_EQ(b.cpu.chan(ch, r::kCcdn), 0u);
    }
    // CDP holds bits 10:0 (FAST, TRANSFER_MODE, PAUSE, NTYPE, SRC/DST_VALID); CNDP is word
    // aligned (1:0 read 0); CCDN is 16 bits.
    b.cpu.chan(3, r::kCdp, 0xffffffffu);
    EXPECT_EQ(b.cpu.chan(3, r::kCdp), 0x7ffu);
    b.cpu.chan(3, r::kCndp, 0xffffffffu);
    EXPECT_EQ(b.cpu.chan(3, r::kCndp), 0xfffffffcu);
    b.cpu.chan(3, r::kCcdn, 0xffffffffu);
    EXPECT_EQ(b.cpu.chan(3, r::kCcdn), 0xffffu);
    // SUPER_BLOCK (14) is an interrupt enable and a write-1-to-clear status bit.
    b.cpu.chan(3, r::kCicr, 1u << 14);
    EXPECT_EQ(b.cpu.chan(3, r::kCicr), 1u << 14);
    // A soft reset returns them to 0.
    b.cpu.dma(r::kOcpSysconfig, r::kSysconfigSoftReset);
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.cpu.chan(3, r::kCdp), 0u);
    EXPECT_EQ(b.cpu.chan(3, r::kCndp), 0u);
    EXPECT_EQ(b.cpu.chan(3, r::kCcdn), 0u);
    EXPECT_EQ(testing::take_reports().size(), 0u);
  });
}

TEST(Sdma, DescriptorListOffIsNotAdvertisedAndRefused) {
  SdmaParams p;
  p.linked_list = false;
  Bench b("b", TimingMode::Accurate, p);
  b.run([&] {
    EXPECT_EQ(b.cpu.dma(r::kCaps0), 0u);
    b.cpu.chan(0, r::kCdp, 1u << 8 | 2u << 4 | 1u << 10);
    b.cpu.chan(0, r::kCndp, kDramBase + 0x400);
    b.cpu.chan(0, r::kCicr, r::kIrqTransErr);
    b.cpu.chan(0, r::kCcr, ccr_mem_to_mem() | r::kCcrEnable);
    EXPECT_TRUE(b.cpu.chan(0, r::kCsr) & r::kIrqTransErr);
    EXPECT_EQ(b.cpu.chan(0, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(testing::take_reports(kReportModel).size(), 1u);
  });
}

// A CCR write issued ahead of simulated time (models/core/ahead_write.h): CCR takes one,
// IRQSTATUS does not; a start that is refused (CEN = 0) raises its error interrupt at the
// write's annotated time, not at the time of the call.
TEST(Sdma, StartWrittenAheadRaisesItsErrorAtTheWriteTime) {
  Bench b("b", TimingMode::Fast);
  auto transaction = [&](tlm::tlm_command cmd, std::uint64_t addr, std::uint32_t& v,
                         sc_time& delay, AheadWriteQuery* q) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
    t.set_data_length(4);
    t.set_streaming_width(4);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (q != nullptr) t.set_extension(q);
    b.cpu.socket->b_transport(t, delay);
    if (q != nullptr) t.clear_extension(q);
    return t.get_response_status();
  };
  auto takes = [&](std::uint64_t addr) {
    AheadWriteQuery q;
    std::uint32_t v = 0;
    sc_time d = SC_ZERO_TIME;
    EXPECT_EQ(transaction(tlm::TLM_IGNORE_COMMAND, addr, v, d, &q), tlm::TLM_OK_RESPONSE);
    return q.taken;
  };
  sc_time called, annotated;
  b.run([&] {
    EXPECT_TRUE(takes(kSdmaBase + r::channel_reg(0, r::kCcr)));
    EXPECT_FALSE(takes(kSdmaBase + r::irqstatus(0)));
    b.cpu.dma(r::irqenable(0), 1u << 0);
    b.cpu.chan(0, r::kCicr, r::kIrqTransErr);
    b.cpu.chan(0, r::kCen, 0);  // refused at the start
    b.cpu.chan(0, r::kCfn, 1);
    wait(1, sc_core::SC_US);
    called = sc_core::sc_time_stamp();
    std::uint32_t v = ccr_mem_to_mem() | r::kCcrEnable;
    sc_time delay(2, sc_core::SC_US);
    EXPECT_EQ(transaction(tlm::TLM_WRITE_COMMAND, kSdmaBase + r::channel_reg(0, r::kCcr), v,
                          delay, nullptr),
              tlm::TLM_OK_RESPONSE);
    annotated = called + sc_time(2, sc_core::SC_US) + b.hop() + b.l4();
    EXPECT_TRUE(b.irq_rises[0].empty());  // not at the call
    wait(5, sc_core::SC_US);
  });
  EXPECT_EQ(testing::take_reports(kReportModel).size(), 1u);
  ASSERT_EQ(b.irq_rises[0].size(), 1u);
  EXPECT_EQ(b.irq_rises[0][0], annotated);
}

// Three descriptors gather three separate source buffers into one destination: the first
// (type 2, fetched at ENABLE: fast start) reloads both addresses, the second (type 2)
// reloads the source and continues the destination, the third (type 3: addresses only, no
// CFN/CICR) likewise with its BLOCK_IE bit set. One interrupt, at the end of the list.
TEST(Sdma, ThreeDescriptorListMovesThreeSeparateBuffers) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t d0 = kDramBase + 0x400, d1 = kDramBase + 0x440, d2 = kDramBase + 0x480;
  const std::uint32_t a = kDramBase + 0x1000, bb = kDramBase + 0x3000, c = kDramBase + 0x5000;
  const std::uint32_t dst = kDramBase + 0x8000;
  const auto da = random_bytes(128, 11), db = random_bytes(64, 12), dc = random_bytes(32, 13);
  std::memcpy(b.mem(a), da.data(), 128);
  std::memcpy(b.mem(bb), db.data(), 64);
  std::memcpy(b.mem(c), dc.data(), 32);
  const std::uint32_t err = r::kIrqTransErr, super = 1u << 14;
  // 0: CDSA, CSSA (both reloaded per CDP), CEN 16 x CFN 2, no BLOCK interrupt.
  put_words(b, d0, {d1, w1(16, kReload, kIncrement, 2), dst, a, 2u | err << 16, 0, 0, 0});
  // 1: CSSA only; CEN 16 x CFN 1; CICR adds SUPER_BLOCK. Next: type 3.
  put_words(b, d1, {d2, w1(16, kReload, kIncrement, 3), bb, 1u | (err | super) << 16, 0, 0, 0});
  // 2 (type 3): CSSA; CEN 8, CFN stays 1; BLOCK_IE; the end of the list.
  put_words(b, d2, {kEnd, w1(8, kIncrement, kIncrement, 0, true), c});
  sc_time t_enable;
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1u << 4);
    b.cpu.chan(4, r::kCsdp, csdp32_bursts(r::kBurst64, r::kBurst64));
    b.cpu.chan(4, r::kCdp, 1u << 10 | 1u << 8 | 2u << 4 | kReload << 2 | kReload);
    b.cpu.chan(4, r::kCndp, d0);
    b.cpu.chan(4, r::kCcdn, 0);
    b.cpu.chan(4, r::kCicr, err);
    t_enable = sc_core::sc_time_stamp();
    b.cpu.chan(4, r::kCcr, ccr_mem_to_mem() | r::kCcrEnable);
    wait(20, sc_core::SC_US);
    EXPECT_EQ(b.cpu.chan(4, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(b.cpu.chan(4, r::kCsr) & (r::kIrqBlock | super | err), r::kIrqBlock | super);
    EXPECT_EQ(b.cpu.chan(4, r::kCcdn), 3u);
    EXPECT_EQ(b.cpu.chan(4, r::kCndp), kEnd);
    EXPECT_EQ(b.cpu.chan(4, r::kCssa), c);
    EXPECT_EQ(b.cpu.chan(4, r::kCdsa), dst + 192);
    EXPECT_EQ(b.cpu.chan(4, r::kCen), 8u);
    EXPECT_EQ(b.cpu.chan(4, r::kCfn), 1u);
    EXPECT_EQ(b.cpu.chan(4, r::kCicr), err | super | r::kIrqBlock);
    EXPECT_EQ(b.cpu.chan(4, r::kCdac), dst + 224);
  });
  EXPECT_EQ(std::memcmp(b.mem(dst), da.data(), 128), 0);
  EXPECT_EQ(std::memcmp(b.mem(dst + 128), db.data(), 64), 0);
  EXPECT_EQ(std::memcmp(b.mem(dst + 192), dc.data(), 32), 0);
  EXPECT_EQ(b.mem(dst + 224)[0], 0);
  // Timing: each descriptor is one port use (unit overhead + one read of its words), then
  // its frames.
  auto fetch = [&](unsigned bytes) {
    return frame_overhead(b) + own(b, bytes) + b.hop() + b.dram.read_time(bytes);
  };
  const sc_time expect = t_enable + reg_arrival(b) + start_latency(b) + fetch(32) +
                         mem_to_mem_frame(b, 64, 64) * 2.0 + fetch(28) +
                         mem_to_mem_frame(b, 64, 64) + fetch(12) + mem_to_mem_frame(b, 32, 32);
  ASSERT_EQ(b.irq_rises[0].size(), 1u);
  EXPECT_EQ(b.irq_rises[0][0], expect);
  EXPECT_EQ(b.dma.channel_stats(4).descriptors, 3u);
  EXPECT_EQ(b.dma.channel_stats(4).frames, 4u);
}

// The Linux omap-dma layout for a slave transfer (memory -> device FIFO, frame sync): type-2
// descriptors with the source reloaded and the destination reused, CDP without fast start
// (the first block from the registers, then CNDP); fast mode, the device keeps its request
// high. Every byte reaches the FIFO in order; CCDN counts the descriptors loaded.
TEST(Sdma, LinuxStyleSlaveListNoFastStartFastMode) {
  Bench b("b", TimingMode::Fast);
  const std::uint32_t bufs[3] = {kDramBase + 0x2000, kDramBase + 0x6000, kDramBase + 0x9100};
  const unsigned frames[3] = {4, 2, 3};
  std::vector<unsigned char> all;
  for (unsigned k = 0; k < 3; ++k) {
    const auto d = random_bytes(16 * frames[k], 20 + k);
    std::memcpy(b.mem(bufs[k]), d.data(), d.size());
    all.insert(all.end(), d.begin(), d.end());
  }
  const std::uint32_t d1 = kDramBase + 0x500, d2 = kDramBase + 0x520;
  const std::uint32_t blk = r::kIrqBlock | r::kIrqTransErr;
  put_words(b, d1, {d2, w1(4, kReload, kReuse, 2), bufs[1], 2u | r::kIrqTransErr << 16, 0, 0, 0});
  put_words(b, d2, {kEnd, w1(4, kReload, kReuse, 2), bufs[2], 3u | blk << 16, 0, 0, 0});
  b.dev.unit_bytes = 16;
  b.run([&] {
    b.cpu.dma(r::irqenable(1), 1u << 9);
    ChannelSetup s{9, ccr_mem_to_dev(r::kCcrFs), csdp32_bursts(r::kBurst16, r::kBurst16), 4,
                   frames[0], bufs[0], static_cast<std::uint32_t>(kDevBase), r::kIrqTransErr};
    program(b.cpu, s);
    b.cpu.chan(9, r::kCdp, 1u << 8 | 2u << 4 | kReload << 2 | kReuse);
    b.cpu.chan(9, r::kCndp, d1);
    b.cpu.chan(9, r::kCcdn, 0);
    b.dev.start(9, FifoDevice::Pacing::Elastic);
    enable(b.cpu, s);
    wait(30, sc_core::SC_US);
    EXPECT_EQ(b.cpu.chan(9, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(b.cpu.chan(9, r::kCcdn), 2u);
    EXPECT_EQ(b.cpu.chan(9, r::kCdsa), static_cast<std::uint32_t>(kDevBase));
  });
  EXPECT_EQ(b.dev.received, all);
  EXPECT_EQ(b.dev.unsolicited, 0u);
  ASSERT_EQ(b.irq_rises[1].size(), 1u);
  EXPECT_EQ(b.dma.channel_stats(9).descriptors, 2u);
}

// A descriptor that cannot be read (bus error on the fetch) stops the channel with
// CSR.TRANS_ERR and its interrupt; nothing of the unread descriptor moves; nothing hangs.
TEST(Sdma, BusErrorOnDescriptorFetchStopsTheChannel) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t d0 = kDramBase + 0x400, d1 = kDramBase + 0x440;
  const std::uint32_t a = kDramBase + 0x1000, bb = kDramBase + 0x3000, dst = kDramBase + 0x8000;
  const auto da = random_bytes(64, 31), db = random_bytes(64, 32);
  std::memcpy(b.mem(a), da.data(), 64);
  std::memcpy(b.mem(bb), db.data(), 64);
  put_words(b, d0, {d1, w1(16, kReload, kIncrement, 2), dst, a, 1u | r::kIrqTransErr << 16, 0, 0, 0});
  put_words(b, d1, {kEnd, w1(16, kReload, kIncrement, 2), bb, 1u | (r::kIrqTransErr | r::kIrqBlock) << 16, 0, 0, 0});
  b.run([&] {
    b.bus.inject_bus_error(d1, 4);
    b.cpu.dma(r::irqenable(0), 1u << 2);
    b.cpu.chan(2, r::kCsdp, csdp32_bursts(r::kBurst64, r::kBurst64));
    b.cpu.chan(2, r::kCdp, 1u << 10 | 1u << 8 | 2u << 4 | kReload << 2 | kReload);
    b.cpu.chan(2, r::kCndp, d0);
    b.cpu.chan(2, r::kCicr, r::kIrqTransErr);
    b.cpu.chan(2, r::kCcr, ccr_mem_to_mem() | r::kCcrEnable);
    wait(20, sc_core::SC_US);
    EXPECT_EQ(b.cpu.chan(2, r::kCcr) & r::kCcrEnable, 0u);
    EXPECT_EQ(b.cpu.chan(2, r::kCsr) & (r::kIrqTransErr | r::kIrqBlock | (1u << 14)),
              r::kIrqTransErr | r::kIrqBlock);  // block 0 ended; the fetch of 1 failed
    EXPECT_EQ(b.cpu.chan(2, r::kCcdn), 1u);
    EXPECT_TRUE(b.irq[0].read());
  });
  EXPECT_EQ(std::memcmp(b.mem(dst), da.data(), 64), 0);
  EXPECT_EQ(b.mem(dst + 64)[0], 0);
  EXPECT_EQ(b.dma.channel_stats(2).errors, 1u);
  EXPECT_EQ(b.dma.channel_stats(2).descriptors, 1u);
  EXPECT_EQ(b.irq_rises[0].size(), 1u);
}

// Software stop (what dmaengine terminate_all does): ENABLE 1 -> 0 mid-block lets the unit on
// the port finish and moves nothing more; a new start begins again at CSSA/CDSA.
TEST(Sdma, SoftwareStopAndRestart) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x1000, dst = kDramBase + 0x10000;
  const unsigned cen = 64, cfn = 8, bytes = cen * cfn * 4;
  const auto data = random_bytes(bytes, 11);
  std::memcpy(b.mem(src), data.data(), bytes);
  const sc_time frame = mem_to_mem_frame(b, cen * 4, 4);
  b.run([&] {
    ChannelSetup s{0, ccr_mem_to_mem(), r::kDataType32, cen, cfn, src, dst, r::kIrqBlock};
    program(b.cpu, s);
    const sc_time t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
    const sc_time t0 = t_en + reg_arrival(b) + start_latency(b);
    wait(t0 + frame * 1.5 - sc_core::sc_time_stamp());
    b.cpu.chan(0, r::kCcr, s.ccr);  // ENABLE = 0 while frame 1 is on the port
    EXPECT_TRUE(b.cpu.chan(0, r::kCcr) & r::kCcrRdActive);
    wait(frame);
    EXPECT_EQ(b.cpu.chan(0, r::kCcr) & (r::kCcrRdActive | r::kCcrEnable), 0u);
    wait(frame * 4.0);
    EXPECT_EQ(b.dma.channel_stats(0).units, 2u);  // frame 0 and the in-flight frame 1
    EXPECT_EQ(b.cpu.chan(0, r::kCsr) & r::kIrqBlock, 0u);
    EXPECT_EQ(b.mem(dst)[2 * cen * 4], 0);
    // Restart: the whole block from the start addresses.
    enable(b.cpu, s);
    wait(frame * static_cast<double>(cfn + 1));
    EXPECT_TRUE(b.cpu.chan(0, r::kCsr) & r::kIrqBlock);
  });
  EXPECT_EQ(std::memcmp(b.mem(dst), data.data(), bytes), 0);
  EXPECT_EQ(b.dma.channel_stats(0).units, 2u + cfn);
}

TEST(Sdma, SoftResetStopsEverything) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x1000, dst = kDramBase + 0x10000;
  const unsigned cen = 64, cfn = 16, bytes = cen * cfn * 4;
  const auto data = random_bytes(bytes, 7);
  std::memcpy(b.mem(src), data.data(), bytes);
  const sc_time frame = mem_to_mem_frame(b, cen * 4, 4);
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1);
    b.cpu.dma(r::kGcr, 0x1234);
    ChannelSetup s{0, ccr_mem_to_mem(), r::kDataType32, cen, cfn, src, dst, r::kIrqFrame};
    program(b.cpu, s);
    const sc_time t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
    const sc_time t0 = t_en + reg_arrival(b) + start_latency(b);
    wait(t0 + frame * 2.5 - sc_core::sc_time_stamp());
    EXPECT_TRUE(b.irq[0].read());
    EXPECT_EQ(b.cpu.chan(0, r::kCcfn), 2u);
    b.cpu.dma(r::kOcpSysconfig, r::kSysconfigSoftReset);
    EXPECT_EQ(b.cpu.dma(r::kSysStatus), 0u);  // reset in progress
    EXPECT_FALSE(b.irq[0].read());
    wait(1, sc_core::SC_US);
    EXPECT_EQ(b.cpu.dma(r::kSysStatus), r::kSysStatusResetDone);
    EXPECT_EQ(b.cpu.dma(r::kOcpSysconfig), 0u);
    EXPECT_EQ(b.cpu.dma(r::kGcr), 0x00010010u);
    EXPECT_EQ(b.cpu.dma(r::irqenable(0)), 0u);
    EXPECT_EQ(b.cpu.dma(r::irqstatus(0)), 0u);
    EXPECT_EQ(b.cpu.chan(0, r::kCcr), 0u);
    EXPECT_EQ(b.cpu.chan(0, r::kCsr), 0u);
    EXPECT_EQ(b.cpu.chan(0, r::kCcfn), 0u);
    EXPECT_EQ(b.cpu.chan(0, r::kCen), 0u);
    wait(100, sc_core::SC_US);
    EXPECT_EQ(b.cpu.chan(0, r::kCcfn), 0u);
  });
  // Frames 0 and 1 are complete, frame 2 was on the port at the reset (its data moved),
  // nothing after it.
  EXPECT_EQ(std::memcmp(b.mem(dst), data.data(), 3 * cen * 4), 0);
  EXPECT_EQ(b.mem(dst)[3 * cen * 4], 0);
  EXPECT_EQ(b.dma.channel_stats(0).frames, 2u);
  EXPECT_EQ(b.irq_rises[0].size(), 1u);
}

TEST(Sdma, HardResetStopsEverythingAtOnce) {
  Bench b("b", TimingMode::Accurate);
  const std::uint32_t src = kDramBase + 0x1000, dst = kDramBase + 0x10000;
  const unsigned cen = 64, cfn = 16, bytes = cen * cfn * 4;
  const auto data = random_bytes(bytes, 9);
  std::memcpy(b.mem(src), data.data(), bytes);
  const sc_time frame = mem_to_mem_frame(b, cen * 4, 4);
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1);
    b.cpu.dma(r::kOcpSysconfig, r::kSysconfigAutoidle);
    ChannelSetup s{0, ccr_mem_to_mem(), r::kDataType32, cen, cfn, src, dst, r::kIrqFrame};
    program(b.cpu, s);
    const sc_time t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
    const sc_time t0 = t_en + reg_arrival(b) + start_latency(b);
    wait(t0 + frame * 1.5 - sc_core::sc_time_stamp());
    EXPECT_TRUE(b.irq[0].read());
    b.dma.reset();
    wait(SC_ZERO_TIME);
    EXPECT_FALSE(b.irq[0].read());
    // RESETDONE at once (no reset time), every register at its reset value.
    EXPECT_EQ(b.dma.peek(r::kSysStatus), r::kSysStatusResetDone);
    EXPECT_EQ(b.dma.peek(r::kOcpSysconfig), 0u);
    EXPECT_EQ(b.dma.peek(r::kGcr), r::kGcrReset);
    EXPECT_EQ(b.dma.peek(r::irqenable(0)), 0u);
    EXPECT_EQ(b.dma.peek(r::irqstatus(0)), 0u);
    EXPECT_EQ(b.dma.peek(r::channel_reg(0, r::kCcr)), 0u);
    EXPECT_EQ(b.dma.peek(r::channel_reg(0, r::kCcfn)), 0u);
    wait(100, sc_core::SC_US);
    EXPECT_EQ(b.dma.peek(r::channel_reg(0, r::kCcfn)), 0u);
  });
  // Frame 0 completed, frame 1 was on the port at the reset (its data moved), nothing after.
  EXPECT_EQ(std::memcmp(b.mem(dst), data.data(), 2 * cen * 4), 0);
  EXPECT_EQ(b.mem(dst)[2 * cen * 4], 0);
  EXPECT_EQ(b.dma.channel_stats(0).frames, 1u);
}

// ---------------------------------------------------------------------------------------
// Timing in both modes.

class SdmaTiming : public ::testing::TestWithParam<TimingMode> {};

TEST_P(SdmaTiming, FrameSyncTransferTakesTheSumOfFrameCosts) {
  Bench b("b", GetParam());
  const std::uint32_t src = kDramBase + 0x3000;
  const unsigned frames = 32;
  const auto data = random_bytes(frames * 16, 8);
  std::memcpy(b.mem(src), data.data(), data.size());
  b.dev.unit_bytes = 16;
  sc_time t_en;
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1);
    ChannelSetup s{0, ccr_mem_to_dev(r::kCcrFs), csdp32_bursts(r::kBurst16, r::kBurst16), 4, frames,
                   src, static_cast<std::uint32_t>(kDevBase), r::kIrqBlock};
    program(b.cpu, s);
    b.dev.start(frames, FifoDevice::Pacing::OnAccessEnd);
    t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
  });
  const sc_time unit = mem_to_dev_unit(b, 16);
  ASSERT_EQ(b.irq_rises[0].size(), 1u);
  EXPECT_EQ(b.irq_rises[0][0],
            t_en + reg_arrival(b) + start_latency(b) + unit * static_cast<double>(frames));
  EXPECT_EQ(b.dev.received, data);
  EXPECT_EQ(b.dev.unsolicited, 0u);
  EXPECT_EQ(b.dma.channel_stats(0).frames, frames);
  EXPECT_EQ(b.dma.port_busy_time(), unit * static_cast<double>(frames));
}

// Two channels share the port: an elastic device channel (its request stays high) and a
// software-triggered memory copy. The port never idles, so the whole workload ends at the
// sum of all unit costs in both modes. In fast mode a channel keeps the port while it has
// work, so the individual completion times differ from the round-robin of accurate mode;
// they are printed (figures in docs/sdma-model.md).
TEST_P(SdmaTiming, TwoChannelWorkloadSameBytesAndTotalTime) {
  Bench b("b", GetParam());
  const std::uint32_t src0 = kDramBase + 0x3000, src1 = kDramBase + 0x8000,
                      dst1 = kDramBase + 0xc000;
  const unsigned frames0 = 32, cen1 = 64, cfn1 = 8, bytes1 = cen1 * cfn1 * 4;
  const auto data0 = random_bytes(frames0 * 16, 9), data1 = random_bytes(bytes1, 10);
  std::memcpy(b.mem(src0), data0.data(), data0.size());
  std::memcpy(b.mem(src1), data1.data(), data1.size());
  b.dev.unit_bytes = 16;
  sc_time t_en;
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1u << 0);
    b.cpu.dma(r::irqenable(1), 1u << 1);
    ChannelSetup s0{0, ccr_mem_to_dev(r::kCcrFs), csdp32_bursts(r::kBurst16, r::kBurst16), 4,
                    frames0, src0, static_cast<std::uint32_t>(kDevBase), r::kIrqBlock};
    ChannelSetup s1{1, ccr_mem_to_mem(), csdp32_bursts(r::kBurst64, r::kBurst64), cen1, cfn1, src1,
                    dst1, r::kIrqBlock};
    program(b.cpu, s0);
    program(b.cpu, s1);
    b.dev.start(frames0, FifoDevice::Pacing::Elastic);
    t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s0);
    enable(b.cpu, s1);
  });
  const sc_time total = mem_to_dev_unit(b, 16) * static_cast<double>(frames0) +
                        mem_to_mem_frame(b, cen1 * 4, 64) * static_cast<double>(cfn1);
  const sc_time t0 = t_en + reg_arrival(b) + start_latency(b);
  ASSERT_EQ(b.irq_rises[0].size(), 1u);
  ASSERT_EQ(b.irq_rises[1].size(), 1u);
  const sc_time end = std::max(b.irq_rises[0][0], b.irq_rises[1][0]);
  EXPECT_EQ(end, t0 + total);
  EXPECT_EQ(b.dev.received, data0);
  EXPECT_EQ(std::memcmp(b.mem(dst1), data1.data(), bytes1), 0);
  EXPECT_EQ(b.dev.unsolicited, 0u);
  std::cout << "[ timing ] " << to_string(GetParam()) << ": device channel done at "
            << (b.irq_rises[0][0] - t0) << ", memory copy done at " << (b.irq_rises[1][0] - t0)
            << ", all done at " << (end - t0) << " (expected " << total << ")\n";
}

// Interrupt points: with CICR.FRAME every frame end raises the interrupt; an interrupt
// handler clears it at once. Fast mode must synchronise before each interrupt, so the
// interrupt times are the frame ends in both modes.
TEST_P(SdmaTiming, FrameInterruptsAtFrameEnds) {
  Bench b("b", GetParam());
  const std::uint32_t src = kDramBase + 0x1000, dst = kDramBase + 0x9000;
  const unsigned cen = 32, cfn = 6;
  const auto data = random_bytes(cen * cfn * 4, 12);
  std::memcpy(b.mem(src), data.data(), data.size());
  sc_time t_en;
  std::vector<sc_time> handled;
  b.run([&] {
    b.cpu.dma(r::irqenable(0), 1);
    ChannelSetup s{0, ccr_mem_to_mem(), csdp32_bursts(r::kBurst32, r::kBurst32), cen, cfn, src, dst,
                   r::kIrqFrame};
    program(b.cpu, s);
    t_en = sc_core::sc_time_stamp();
    enable(b.cpu, s);
    while (handled.size() < cfn) {
      if (!b.irq[0].read()) wait(b.irq[0].posedge_event());
      handled.push_back(sc_core::sc_time_stamp());
      b.cpu.chan(0, r::kCsr, r::kIrqFrame);
      b.cpu.dma(r::irqstatus(0), 1);
    }
  });
  const sc_time t0 = t_en + reg_arrival(b) + start_latency(b);
  const sc_time frame = mem_to_mem_frame(b, cen * 4, 32);
  ASSERT_EQ(b.irq_rises[0].size(), cfn);
  for (unsigned k = 0; k < cfn; ++k)
    EXPECT_EQ(b.irq_rises[0][k], t0 + frame * static_cast<double>(k + 1)) << "frame " << k;
  EXPECT_EQ(std::memcmp(b.mem(dst), data.data(), data.size()), 0);
}

INSTANTIATE_TEST_SUITE_P(Modes, SdmaTiming,
                         ::testing::Values(TimingMode::Accurate, TimingMode::Fast),
                         [](const ::testing::TestParamInfo<TimingMode>& i) {
                           return std::string(to_string(i.param));
                         });

}  // namespace
}  // namespace aesvp::sdma_test
