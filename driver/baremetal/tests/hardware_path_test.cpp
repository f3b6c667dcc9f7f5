// The full hardware path without a driver (issue #3): bare-metal software on the simulated
// CPU programs the AES and two sDMA channels through their registers, the sDMA channel
// interrupt signals completion, and the bytes equal an independent OpenSSL computation.
// The data path's simulated time equals the pipeline formula (docs/timing.md).
#include "driver/baremetal/aes_dma_program.h"
#include "models/aes/aes_dma_pipeline.h"
#include "models/platform/platform.h"
#include "models/sdma/omap_sdma_regs.h"
#include "models/testing/sc_test.h"
#include "testbench/dmcrypt/reference.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace aesvp {
namespace {

using baremetal::AesJob;
using baremetal::CipherMode;
using sc_core::sc_time;

dmcrypt::ChainMode chain_of(CipherMode m) {
  switch (m) {
    case CipherMode::Ecb: return dmcrypt::ChainMode::ecb;
    case CipherMode::Cbc: return dmcrypt::ChainMode::cbc;
    case CipherMode::Ctr: return dmcrypt::ChainMode::ctr;
    case CipherMode::Xts: return dmcrypt::ChainMode::xts;
  }
  return dmcrypt::ChainMode::ecb;
}

std::vector<std::uint8_t> reference(const AesJob& job, const std::vector<std::uint8_t>& in) {
  std::vector<std::uint8_t> out(in.size());
  dmcrypt::crypt_unit(chain_of(job.mode), job.key, job.iv, in.data(), out.data(), in.size(),
                      job.encrypt ? dmcrypt::Direction::encrypt : dmcrypt::Direction::decrypt);
  return out;
}

// Records the first rising edge of a wire after arm().
struct EdgeMonitor {
  sc_time first;
  bool armed = false, seen = false;
  void arm() { armed = true; seen = false; }
};

class Bench {
 public:
  explicit Bench(const std::string& mode) : params_(make_params(mode)), p_("platform", params_) {}

  // Runs `body` as the bare-metal software thread, to the end of the simulation.
  void run(const std::function<void(baremetal::AesDmaProgram&, ExecContext&)>& body) {
    ExecContext& ctx = p_.cpu.create_context("baremetal", ContextClass::Thread, 0);
    sc_core::sc_spawn([this, &ctx, body] {
      baremetal::AesDmaProgram program(p_.device_tree(), p_.cpu, ctx);
      program.init();
      body(program, ctx);
      ctx.sync();
      sc_core::sc_stop();
    });
    sc_core::sc_spawn([this] { watch(p_.aes[0]->dma_req_in, request_); });
    sc_core::sc_spawn([this] { watch(p_.sdma.irq[0], irq_); });
    sc_core::sc_start();
  }

  Platform& platform() { return p_; }
  EdgeMonitor request_, irq_;

 private:
  static PlatformParams make_params(const std::string& mode) {
    PlatformParams p;
    p.soc.timing_mode = mode;
    return p;
  }
  static void watch(sc_core::sc_inout<bool>& port, EdgeMonitor& m) {
    for (;;) {
      sc_core::wait(port.posedge_event());
      if (m.armed && !m.seen) {
        m.seen = true;
        m.first = sc_core::sc_time_stamp();
      }
    }
  }
  PlatformParams params_;
  Platform p_;
};

struct Outcome {
  int jobs = 0, mismatches = 0, errors = 0;
};

Outcome run_all_modes(Bench& b, std::uint32_t length, std::uint64_t seed) {
  Outcome o;
  b.run([&](baremetal::AesDmaProgram& program, ExecContext& ctx) {
    std::mt19937_64 rng(seed);
    const std::uint64_t src = b.platform().dram_base() + 0x10000;
    const std::uint64_t dst = src + 0x40000;
    for (CipherMode mode : {CipherMode::Ecb, CipherMode::Cbc, CipherMode::Ctr, CipherMode::Xts}) {
      for (unsigned bits : {128u, 192u, 256u}) {
        for (bool encrypt : {true, false}) {
          AesJob job;
          job.mode = mode;
          job.encrypt = encrypt;
          job.key.resize((mode == CipherMode::Xts ? 2 : 1) * bits / 8);
          for (auto& k : job.key) k = static_cast<std::uint8_t>(rng());
          for (auto& v : job.iv) v = static_cast<std::uint8_t>(rng());
          job.src = src;
          job.dst = dst;
          job.length = length;
          std::vector<std::uint8_t> in(length), out(length);
          for (auto& x : in) x = static_cast<std::uint8_t>(rng());
          ctx.write_memory(src, in.data(), in.size());
          const baremetal::AesJobResult r = program.run(job);
          ctx.read_memory(dst, out.data(), out.size());
          ++o.jobs;
          if ((r.out_channel_status & sdma::kIrqBlock) == 0 ||
              ((r.in_channel_status | r.out_channel_status) &
               (sdma::kIrqTransErr | sdma::kIrqMisalignedErr)) != 0)
            ++o.errors;
          if (out != reference(job, in)) {
            ++o.mismatches;
            ADD_FAILURE() << to_string(mode) << "-" << bits << (encrypt ? " encrypt" : " decrypt")
                          << ": output differs from OpenSSL";
          }
        }
      }
    }
  });
  return o;
}

TEST(HardwarePath, EveryModeAndKeySizeMatchesOpenSslAccurate) {
  Bench b("accurate");
  const Outcome o = run_all_modes(b, 4096, 1);
  EXPECT_EQ(o.jobs, 24);
  EXPECT_EQ(o.mismatches, 0);
  EXPECT_EQ(o.errors, 0);
}

TEST(HardwarePath, EveryModeAndKeySizeMatchesOpenSslFast) {
  Bench b("fast");
  const Outcome o = run_all_modes(b, 1552, 2);  // 97 blocks: not a power of two
  EXPECT_EQ(o.jobs, 24);
  EXPECT_EQ(o.mismatches, 0);
  EXPECT_EQ(o.errors, 0);
}

// The pipeline formula's inputs, from the parameters of the platform's parts: how the sDMA
// charges a frame (unit overhead, then per 16-byte transaction its own cost before the
// access), the interconnect hop (+ L4 bridge for peripherals), DRAM and AES access latency.
AesDmaPipeline pipeline_of(Platform& p, unsigned key_bits, bool xts) {
  const PlatformParams& q = p.params();
  const sc_time hop(q.bus.l3_hop_cycles * 1000.0 / q.bus.l3_clock_mhz, sc_core::SC_NS);
  const sc_time l4(q.bus.l4_bridge_cycles * 1000.0 / q.bus.l3_clock_mhz, sc_core::SC_NS);
  const sc_time aes_access = hop + l4 + p.aes[0]->access_latency();
  const sc_time side = p.sdma.transaction_cost(4);  // one 16-byte burst of 32-bit elements
  const sc_time in_frame =
      p.sdma.unit_overhead() + side + hop + p.dram.read_time(16) + side + aes_access;
  const sc_time out_release = p.sdma.unit_overhead() + side + aes_access;
  const sc_time out_frame = out_release + side + hop + p.dram.write_time(16);
  const sc_time core = p.aes[0]->core_time_per_block(key_bits);
  AesDmaPipeline f;
  f.in_frame_ps = in_frame.value();
  f.out_frame_ps = out_frame.value();
  f.out_release_ps = out_release.value();
  f.core_ps = core.value();
  f.core_first_extra_ps = xts ? core.value() : 0;
  return f;
}

struct TimedCase {
  const char* timing;
  CipherMode mode;
  unsigned key_bits;
  double tolerance;  // relative
};

class HardwarePathTiming : public ::testing::TestWithParam<TimedCase> {};

// From the AES raising its first input request to the sDMA raising the channel interrupt
// after the last output frame: exactly the formula in accurate mode.
TEST_P(HardwarePathTiming, DataPathTimeIsThePipelineFormula) {
  const TimedCase& c = GetParam();
  Bench b(c.timing);
  constexpr std::uint32_t kLength = 4096;
  b.run([&](baremetal::AesDmaProgram& program, ExecContext&) {
    AesJob job;
    job.mode = c.mode;
    job.key.assign((c.mode == CipherMode::Xts ? 2 : 1) * c.key_bits / 8, 0x5a);
    job.src = b.platform().dram_base();
    job.dst = job.src + 0x10000;
    job.length = kLength;
    b.request_.arm();
    b.irq_.arm();
    program.run(job);
  });
  ASSERT_TRUE(b.request_.seen);
  ASSERT_TRUE(b.irq_.seen);
  const std::uint64_t expected = aes_dma_transfer_ps(
      pipeline_of(b.platform(), c.key_bits, c.mode == CipherMode::Xts), kLength / 16);
  const double measured = static_cast<double>((b.irq_.first - b.request_.first).value());
  EXPECT_NEAR(measured, static_cast<double>(expected), c.tolerance * static_cast<double>(expected))
      << "formula " << expected << " ps";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HardwarePathTiming,
    ::testing::Values(TimedCase{"accurate", CipherMode::Cbc, 128, 0.0},
                      TimedCase{"accurate", CipherMode::Xts, 256, 0.0},
                      TimedCase{"accurate", CipherMode::Ctr, 192, 0.0},
                      TimedCase{"fast", CipherMode::Cbc, 128, 0.01},
                      TimedCase{"fast", CipherMode::Xts, 256, 0.01}));

}  // namespace
}  // namespace aesvp
