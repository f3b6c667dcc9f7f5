// DMA-driven transfers with the test DMA (docs/timing.md rules): random buffers in every
// mode and key size against OpenSSL EVP, handshake invariants, both programming orders,
// and the simulated time against the pipeline formula (exact in accurate mode, within a
// measured tolerance in fast mode).
#include "models/aes/aes_dma_pipeline.h"
#include "models/aes/tests/omap_aes_test_bench.h"
#include "models/core/unit_burst.h"

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

// Fast mode, a DMA run of frames (UnitBurst) paced by the AES's own request line is taken in
// one call (RegisterBank::on_beat_run): the same beats, delays, request-line edges and output
// as the frame-by-frame run that asks the line before every frame; and OpenSSL's output.
struct RunResult {
  Bytes out;
  unsigned in_beats = 0, out_beats[2] = {0, 0};
  sc_time in_delay, out_delay[2];
  unsigned long in_edges = 0, out_edges = 0;
  unsigned asked = 0;  // more() calls
};

RunResult run_request(AesTestBench& b, bool one_call, const Bytes& key1, const Bytes& key2, const Bytes& iv,
                      const Bytes& in) {
  const std::uint32_t enables = regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn;
  write_context(b.cpu, key1, key2, iv, ctrl_for(Mode::Xts, true, 8 * static_cast<unsigned>(key1.size())));
  b.cpu.write(regs::kCLength0, static_cast<std::uint32_t>(in.size()));
  b.cpu.write(regs::kCLength1, 0);
  b.cpu.write(regs::kSysconfig, enables);
  RunResult r;
  const unsigned long in_edges = b.req_in_line.edges(), out_edges = b.req_out_line.edges();
  // 12 frames offered to the writes (C_LENGTH takes 8), 5 to each read.
  auto burst = [&](tlm::tlm_command cmd, unsigned char* data, unsigned offered, LevelSignal& line,
                   sc_time& delay) {
    UnitBurst run;
    run.units = offered;
    run.gap = sc_time(30, sc_core::SC_NS);
    run.more = [&] { return ++r.asked, line.read(); };
    if (one_call) run.line = &line.read();
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(regs::data_in_out(0));
    t.set_data_ptr(data);
    t.set_data_length(16);
    t.set_streaming_width(16);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    t.set_extension(&run);
    run.issued = delay;
    b.cpu.socket->b_transport(t, delay);
    t.clear_extension(&run);
    EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
    return run.beats;
  };
  Bytes buf(16 * 12);
  std::memcpy(buf.data(), in.data(), in.size());
  r.in_beats = burst(tlm::TLM_WRITE_COMMAND, buf.data(), 12, b.req_in_line, r.in_delay);
  // The reads start at once, while the core still works: their beats stall.
  r.out.resize(in.size());
  std::size_t got = 0;
  for (unsigned k = 0; k < 2; ++k) {
    Bytes o(16 * 5);
    r.out_beats[k] = burst(tlm::TLM_READ_COMMAND, o.data(), 5, b.req_out_line, r.out_delay[k]);
    std::memcpy(r.out.data() + got, o.data(), std::min<std::size_t>(16 * r.out_beats[k], in.size() - got));
    got += 16 * r.out_beats[k];
  }
  r.in_edges = b.req_in_line.edges() - in_edges;
  r.out_edges = b.req_out_line.edges() - out_edges;
  sc_core::wait(sc_time(10, sc_core::SC_US));  // the core idle again before the next request
  b.cpu.write(regs::kSysconfig, 0);
  return r;
}

TEST(OmapAesDmaRuns, RunInOneCallMatchesFrameByFrame) {
  AesTestBench b(AesParams{}, TimingMode::Fast);
  b.run([&] {
    std::mt19937 rng(12);
    const Bytes key1 = random_bytes(rng, 32), key2 = random_bytes(rng, 32), iv = random_bytes(rng, 16);
    const Bytes in = random_bytes(rng, 16 * 8);  // C_LENGTH: 8 blocks
    const RunResult frames = run_request(b, false, key1, key2, iv, in);
    const RunResult whole = run_request(b, true, key1, key2, iv, in);
    const Bytes ref = reference(Mode::Xts, key1, key2, iv, in, true);
    EXPECT_EQ(frames.out, ref);
    EXPECT_EQ(whole.out, ref);
    // Writes: 8 of 12 frames (the line falls at C_LENGTH); reads 5 of 5, then 3 (the queue empties).
    EXPECT_EQ(whole.in_beats, 8u);
    EXPECT_EQ(whole.out_beats[0], 5u);
    EXPECT_EQ(whole.out_beats[1], 3u);
    EXPECT_EQ(frames.in_beats, whole.in_beats);
    EXPECT_EQ(frames.out_beats[0], whole.out_beats[0]);
    EXPECT_EQ(frames.out_beats[1], whole.out_beats[1]);
    EXPECT_EQ(frames.in_delay, whole.in_delay);
    EXPECT_EQ(frames.out_delay[0], whole.out_delay[0]);
    EXPECT_EQ(frames.out_delay[1], whole.out_delay[1]);
    EXPECT_EQ(frames.in_edges, whole.in_edges);
    EXPECT_EQ(frames.out_edges, whole.out_edges);
    // The reads started while the core still worked: they waited (more than 5 beats' latency
    // and gaps).
    EXPECT_GT(whole.out_delay[0], 5 * b.aes.access_latency() + 4 * sc_time(30, sc_core::SC_NS));
    EXPECT_GT(frames.asked, 0u);
    EXPECT_EQ(whole.asked, 0u);
  });
}

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
