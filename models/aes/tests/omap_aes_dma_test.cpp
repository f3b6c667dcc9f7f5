// DMA-driven transfers with the test DMA (docs/timing.md rules): random buffers in every
// mode and key size against OpenSSL EVP, handshake invariants, both programming orders,
// and the simulated time against the pipeline formula (exact in accurate mode, within a
// measured tolerance in fast mode).
#include "models/aes/aes_dma_pipeline.h"
#include "models/aes/tests/omap_aes_test_bench.h"

#include <cmath>
#include <iostream>

namespace aesvp::testing {
namespace {

using sc_core::sc_time;

// Fast mode stays within this of the accurate mode / the formula (measured: see
// FastModeWithinTolerance, the largest error seen is printed there).
constexpr double kFastTolerance = 0.02;

struct Request {
  Mode mode;
  unsigned key_bits;
  bool encrypt;
  bool dma_enables_first;  // programming order (b), DTHEv2; else (a), omap-aes
  std::size_t blocks;
};

std::uint64_t ps(const sc_time& t) { return static_cast<std::uint64_t>(t.value()); }

// Runs one request through the DMA; returns its output and checks the handshake.
Bytes dma_request(AesTestBench& b, const Request& r, const Bytes& key1, const Bytes& key2, const Bytes& iv,
                  const Bytes& in) {
  const std::uint32_t enables = regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn;
  const std::uint32_t ctrl = ctrl_for(r.mode, r.encrypt, r.key_bits);
  const unsigned long in_edges = b.req_in_line.edges(), out_edges = b.req_out_line.edges();
  const std::uint64_t in_frames = b.dma.in_frames(), out_frames = b.dma.out_frames();
  if (r.dma_enables_first) b.cpu.write(regs::kSysconfig, enables);
  write_context(b.cpu, key1, r.mode == Mode::Xts ? key2 : Bytes{}, r.mode == Mode::Ecb ? Bytes{} : iv, ctrl);
  b.cpu.write(regs::kCLength0, static_cast<std::uint32_t>(in.size()));
  b.cpu.write(regs::kCLength1, 0);
  if (!r.dma_enables_first) b.cpu.write(regs::kSysconfig, enables);
  Bytes out(in.size());
  b.dma.start(in.data(), out.data(), r.blocks);
  sc_core::wait(b.dma.done_event());
  b.cpu.write(regs::kSysconfig, 0);
  EXPECT_EQ(b.dma.errors(), 0u);
  EXPECT_EQ(b.dma.in_frames() - in_frames, r.blocks);
  EXPECT_EQ(b.dma.out_frames() - out_frames, r.blocks);
  // Never serviced twice: in accurate mode each block is one rise and one fall of each
  // request line; in fast mode a line stays high over a whole chain.
  const unsigned long din = b.req_in_line.edges() - in_edges, dout = b.req_out_line.edges() - out_edges;
  if (b.aes.timing_mode() == TimingMode::Accurate) {
    EXPECT_EQ(din, 2 * r.blocks);
    EXPECT_EQ(dout, 2 * r.blocks);
  } else {
    EXPECT_EQ(din, 2u);
    EXPECT_EQ(dout % 2, 0u);
    EXPECT_GE(dout, 2u);
    EXPECT_LE(dout, 2 * r.blocks);
  }
  EXPECT_FALSE(b.req_in_line.read());
  EXPECT_FALSE(b.req_out_line.read());
  return out;
}

void all_modes(TimingMode mode, unsigned burst) {
  AesTestBench b(AesParams{}, mode);
  b.dma.burst_blocks = burst;
  unsigned long samples = 0;
  b.dma.on_sample = [&] {
    // irq follows (IRQSTATUS & IRQENABLE) at every sample.
    ++samples;
    const bool expect = (b.aes.peek(regs::kIrqStatus) & b.aes.peek(regs::kIrqEnable)) != 0;
    ASSERT_EQ(b.irq_line.read(), expect);
  };
  b.run([&] {
    std::mt19937 rng(mode == TimingMode::Fast ? 11 : 10);
    b.cpu.write(regs::kIrqEnable, regs::kIrqDataOut);  // irq toggles with the output buffer
    int n = 0;
    for (Mode m : {Mode::Ecb, Mode::Cbc, Mode::Ctr, Mode::Xts}) {
      for (unsigned bits : {128u, 192u, 256u}) {
        for (bool enc : {true, false}) {
          const std::size_t blocks = 1 + rng() % 70;
          const Request r{m, bits, enc, (n++ % 2) == 1, blocks};
          const Bytes key1 = random_bytes(rng, bits / 8), key2 = random_bytes(rng, bits / 8);
          const Bytes iv = random_bytes(rng, 16), in = random_bytes(rng, 16 * blocks);
          const Bytes out = dma_request(b, r, key1, key2, iv, in);
          EXPECT_EQ(out, reference(m, key1, key2, iv, in, enc))
              << "mode " << int(m) << " bits " << bits << " enc " << enc << " blocks " << blocks;
          if (m == Mode::Cbc) {
            Bytes now(16);
            b.cpu.read_iv(now.data());
            const Bytes& ct = enc ? out : in;
            EXPECT_EQ(now, Bytes(ct.end() - 16, ct.end()));
          }
        }
      }
    }
  });
  EXPECT_GT(samples, 0u);
  EXPECT_GT(b.irq_line.edges(), 0u);
}

TEST(OmapAesDma, AllModesAndKeySizesAccurate) { all_modes(TimingMode::Accurate, 1); }
TEST(OmapAesDma, AllModesAndKeySizesFast) { all_modes(TimingMode::Fast, 1); }
TEST(OmapAesDma, AllModesAndKeySizesFastFifoBursts) { all_modes(TimingMode::Fast, 8); }

// A 4 KiB transfer: simulated time against aes_dma_transfer_ps().
struct TimingResult {
  std::uint64_t measured_ps;
  std::uint64_t formula_ps;
};

TimingResult time_4k(const AesParams& p, TimingMode mode, Mode m, unsigned bits) {
  const TestDmaCosts costs;
  AesTestBench b(p, mode, costs);
  TimingResult res{0, 0};
  b.run([&] {
    std::mt19937 rng(4096);
    const std::size_t blocks = 256;
    const Bytes key1 = random_bytes(rng, bits / 8), key2 = random_bytes(rng, bits / 8);
    const Bytes iv = random_bytes(rng, 16), in = random_bytes(rng, 16 * blocks);
    const Request r{m, bits, true, false, blocks};
    EXPECT_EQ(dma_request(b, r, key1, key2, iv, in), reference(m, key1, key2, iv, in, true));
    res.measured_ps = ps(b.dma.last_frame_end() - b.dma.first_frame_start());
  });
  const sc_time lat = b.aes.access_latency();
  AesDmaPipeline pipe;
  pipe.in_frame_ps = ps(costs.in_overhead + lat);
  pipe.out_frame_ps = ps(costs.out_overhead + lat + costs.out_mem_write);
  pipe.out_release_ps = ps(costs.out_overhead + lat);
  pipe.core_ps = ps(b.aes.core_time_per_block(bits));
  pipe.core_first_extra_ps = m == Mode::Xts ? pipe.core_ps : 0;
  res.formula_ps = aes_dma_transfer_ps(pipe, 256);
  EXPECT_EQ(b.aes.blocks_processed(), 256u);
  EXPECT_EQ(ps(b.aes.core_busy_time()), 256 * pipe.core_ps + pipe.core_first_extra_ps);
  return res;
}

AesParams aes_bound() {
  AesParams p;
  p.cycles_per_block_128 = 40;  // 400 ns per block > in + out frame (130 ns)
  return p;
}
AesParams dma_bound() {
  AesParams p;
  p.cycles_per_block_128 = 2;  // 20 ns per block < min(in, out frame)
  return p;
}

TEST(OmapAesDmaTiming, Accurate4KiBDefaultParamsExact) {
  ASSERT_EQ(sc_core::sc_get_time_resolution(), sc_time(1, sc_core::SC_PS));
  const TimingResult r = time_4k(AesParams{}, TimingMode::Accurate, Mode::Ecb, 128);
  EXPECT_EQ(r.measured_ps, r.formula_ps);
}
TEST(OmapAesDmaTiming, Accurate4KiBAesBoundExact) {
  const TimingResult r = time_4k(aes_bound(), TimingMode::Accurate, Mode::Cbc, 128);
  EXPECT_EQ(r.measured_ps, r.formula_ps);
  EXPECT_EQ(r.formula_ps, 60000u + 256u * 400000u + 70000u);  // closed form, docs/timing.md
}
TEST(OmapAesDmaTiming, Accurate4KiBDmaBoundExact) {
  const TimingResult r = time_4k(dma_bound(), TimingMode::Accurate, Mode::Ctr, 128);
  EXPECT_EQ(r.measured_ps, r.formula_ps);
  EXPECT_EQ(r.formula_ps, 256u * 130000u);  // closed form, docs/timing.md
}
TEST(OmapAesDmaTiming, Accurate4KiBXts256Exact) {
  const TimingResult r = time_4k(AesParams{}, TimingMode::Accurate, Mode::Xts, 256);
  EXPECT_EQ(r.measured_ps, r.formula_ps);
}

void fast_case(const AesParams& p, Mode m, unsigned bits, const char* what) {
  const TimingResult r = time_4k(p, TimingMode::Fast, m, bits);
  const double err = std::fabs(static_cast<double>(r.measured_ps) - static_cast<double>(r.formula_ps)) /
                     static_cast<double>(r.formula_ps);
  std::cout << "fast vs formula (" << what << "): " << r.measured_ps << " ps vs " << r.formula_ps
            << " ps, error " << err * 100 << " %\n";
  ::testing::Test::RecordProperty("fast_error_ppm", static_cast<int>(err * 1e6));
  EXPECT_LE(err, kFastTolerance) << what;
}

TEST(OmapAesDmaTiming, Fast4KiBDefaultParamsWithinTolerance) { fast_case(AesParams{}, Mode::Ecb, 128, "default"); }
TEST(OmapAesDmaTiming, Fast4KiBAesBoundWithinTolerance) { fast_case(aes_bound(), Mode::Cbc, 128, "AES-bound"); }
TEST(OmapAesDmaTiming, Fast4KiBDmaBoundWithinTolerance) { fast_case(dma_bound(), Mode::Ctr, 128, "DMA-bound"); }
TEST(OmapAesDmaTiming, Fast4KiBXts256WithinTolerance) { fast_case(AesParams{}, Mode::Xts, 256, "XTS-256"); }

}  // namespace
}  // namespace aesvp::testing
