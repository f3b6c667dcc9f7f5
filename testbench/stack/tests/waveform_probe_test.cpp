// Waveforms of the whole stack (driver, crypto engine, hardware): eight 4 KiB CBC requests
// submitted at once, in both timing modes. The VCD is read back and checked against figures
// known independently of the recorder: the CPU's count of hard IRQs taken, the number of
// requests and of AES blocks, and the engine's one-request-at-a-time dispatch.
#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "models/testing/sc_test.h"
#include "testbench/stack/stack.h"
#include "testbench/stack/waveform_probe.h"
#include "traces/sc/tests/vcd_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace aesvp::testbench {
namespace {

using driver::Errc;

constexpr unsigned kRequests = 8;
constexpr std::size_t kBytes = 4096;

struct Result {
  aesvp::testing::VcdFile vcd;
  unsigned long irqs[2] = {0, 0};
  unsigned long acks = 0;  // interrupts the GIC delivered and a core acknowledged
  unsigned completed = 0;
};

Result run(const std::string& timing) {
  StackParams sp;
  sp.platform.soc.timing_mode = timing;
  Stack stack(sp);
  const std::string path = ::testing::TempDir() + "aesvp_waveform_probe_" + timing + ".vcd";
  traces::WaveformOptions o;
  o.path = path;
  traces::WaveformRecorder rec(stack.platform(), o);
  WaveformProbe probe(rec, stack);
  Result r;
  stack.run([&] {
    kernel::Kernel& k = stack.kernel();
    driver::CryptoSkcipher tfm(stack.driver(), driver::SkcipherMode::Cbc);
    const std::vector<std::uint8_t> key(16, 0x11);
    ASSERT_EQ(driver::crypto_skcipher_setkey(tfm, key.data(), key.size()), Errc::Ok);
    const std::uint64_t src = k.kmalloc(kBytes), dst = k.kmalloc(kBytes * kRequests);
    kernel::place_bytes(k, src, std::vector<std::uint8_t>(kBytes, 0x5a));
    std::vector<std::unique_ptr<driver::SkcipherRequest>> reqs;
    kernel::Completion all_done(k);
    const std::uint8_t iv[16] = {};
    for (unsigned id = 1; id <= kRequests; ++id) {
      reqs.push_back(std::make_unique<driver::SkcipherRequest>(tfm));
      driver::SkcipherRequest& req = *reqs.back();
      req.id = id;
      req.set_crypt(kernel::sg_init_one(src, kBytes),
                    kernel::sg_init_one(dst + (id - 1) * kBytes, kBytes), kBytes, iv);
      req.set_callback(true, [&](engine::Request&, Errc e) {
        if (e == Errc::InProgress) return;
        EXPECT_EQ(e, Errc::Ok);
        if (++r.completed == kRequests) all_done.complete();
      });
      const Errc e = driver::crypto_skcipher_encrypt(req);
      ASSERT_TRUE(e == Errc::InProgress || e == Errc::Busy) << static_cast<int>(e);
    }
    all_done.wait_for_completion();
  });
  rec.close();
  for (unsigned c = 0; c < 2; ++c) r.irqs[c] = stack.platform().cpu.irqs_taken(c);
  r.acks = stack.platform().gic.acknowledged();
  r.vcd = aesvp::testing::read_vcd(path);
  return r;
}

std::uint64_t max_value(const aesvp::testing::VcdFile& f, const std::string& name) {
  std::uint64_t m = 0;
  for (const auto& [t, v] : f.history(name)) m = std::max<std::uint64_t>(m, std::stoull(v, nullptr, 2));
  return m;
}

std::uint64_t final_value(const aesvp::testing::VcdFile& f, const std::string& name) {
  const auto h = f.history(name);
  return h.empty() ? ~std::uint64_t{0} : std::stoull(h.back().second, nullptr, 2);
}

void check_common(const Result& r) {
  const aesvp::testing::VcdFile& f = r.vcd;
  EXPECT_TRUE(f.errors.empty()) << ::testing::PrintToString(f.errors);
  ASSERT_EQ(r.completed, kRequests);
  // The engine queue moves: with eight requests submitted at once and one in the hardware,
  // up to seven wait (the engine's queue; the first may be dispatched at once).
  EXPECT_GE(max_value(f, "engine.queue_depth"), kRequests - 2);
  EXPECT_LE(max_value(f, "engine.queue_depth"), kRequests);
  EXPECT_EQ(final_value(f, "engine.queue_depth"), 0u);
  // omap-aes handles one request at a time per AES instance.
  EXPECT_EQ(max_value(f, "engine.in_flight"), 1u);
  EXPECT_EQ(final_value(f, "engine.in_flight"), 0u);
  // Each request's DMA raises the sDMA's interrupt line at least once (the output channel's
  // completion) and at most once per channel (input and output) it uses.
  std::size_t sdma = 0;
  for (int l = 0; l < 4; ++l) sdma += f.rises("irq.sdma_l" + std::to_string(l)).size();
  EXPECT_GE(sdma, kRequests);
  EXPECT_LE(sdma, 2 * kRequests);
}

TEST(WaveformProbe, AccurateModeEdgesMatchTheRun) {
  const Result r = run("accurate");
  check_common(r);
  const aesvp::testing::VcdFile& f = r.vcd;
  // Each interrupt a core acknowledged is one pulse of its GIC line (the kernel's handler
  // reads GICC_IAR until it is spurious, so one IRQ entry may acknowledge more than one).
  EXPECT_EQ(f.rises("irq.cpu0").size() + f.rises("irq.cpu1").size(), r.acks);
  EXPECT_GE(r.acks, r.irqs[0] + r.irqs[1]);
  EXPECT_GE(r.irqs[0] + r.irqs[1], kRequests);
  // Ping-pong buffers: the output request rises once per block.
  EXPECT_EQ(final_value(f, "dma.aes1_rx_requests"), kRequests * kBytes / 16);
}

TEST(WaveformProbe, FastModeIrqLinesToggleToo) {
  const Result r = run("fast");
  check_common(r);
  const aesvp::testing::VcdFile& f = r.vcd;
  // The core acknowledges in the time step the line rises; the fall is shown at the
  // acknowledge's annotated time, so every acknowledged interrupt is a pulse with a width, unless the next
  // one is raised before that time (then the two merge): at least half of them show.
  const std::size_t pulses = f.rises("irq.cpu0").size() + f.rises("irq.cpu1").size();
  EXPECT_GE(r.irqs[0] + r.irqs[1], kRequests);
  EXPECT_LE(pulses, r.acks);
  EXPECT_GE(2 * pulses, r.acks);
  std::printf("  [fast] %zu pulses, %lu acknowledged, %lu IRQ entries\n", pulses, r.acks,
              r.irqs[0] + r.irqs[1]);
}

}  // namespace
}  // namespace aesvp::testbench
