// Waveforms of a known short scenario: bare-metal software on the Platform runs one DMA-driven
// AES request of a few blocks; the VCD is read back with a small parser and must be valid and
// show the expected edges. One elaborated bench per test (each test is its own process).
#include "traces/sc/waveform.h"

#include "driver/baremetal/aes_dma_program.h"
#include "models/platform/platform.h"
#include "models/testing/sc_test.h"
#include "traces/sc/tests/vcd_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace aesvp {
namespace {

using traces::WaveformOptions;
using traces::WaveformRecorder;
using testing::VcdChange;
using testing::VcdFile;
using testing::read_vcd;

std::uint64_t ps(const sc_core::sc_time& t) { return t.value(); }  // resolution is 1 ps

// ---- The scenario --------------------------------------------------------------------------

constexpr std::uint32_t kBlocks = 4;

std::string temp_path(const std::string& name) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "aesvp_" + info->name() + "_" + name + ".vcd";
}

struct Bench {
  PlatformParams params;
  Platform platform;
  baremetal::AesJobResult result;

  explicit Bench(const std::string& timing = "accurate")
      : params(make(timing)), platform("platform", params) {}
  static PlatformParams make(const std::string& timing) {
    PlatformParams p;
    p.soc.timing_mode = timing;
    return p;
  }
  // One ECB-128 encryption of kBlocks blocks; `during` runs in the software thread after it.
  void run(const std::function<void(ExecContext&)>& during = {}) {
    ExecContext& ctx = platform.cpu.create_context("baremetal", ContextClass::Thread, 0);
    sc_core::sc_spawn([this, &ctx, during] {
      baremetal::AesDmaProgram program(platform.device_tree(), platform.cpu, ctx);
      program.init();
      baremetal::AesJob job;
      job.mode = baremetal::CipherMode::Ecb;
      job.key.assign(16, 0x2b);
      job.src = platform.dram_base() + 0x1000;
      job.dst = platform.dram_base() + 0x8000;
      job.length = kBlocks * 16;
      std::vector<std::uint8_t> in(job.length, 0x11);
      ctx.write_memory(job.src, in.data(), in.size());
      result = program.run(job);
      if (during) during(ctx);
      ctx.sync();
      sc_core::sc_stop();
    });
    sc_core::sc_start();
  }
};

WaveformOptions options(const std::string& path, const std::string& groups = "all") {
  WaveformOptions o;
  o.path = path;
  o.groups = traces::parse_signal_groups(groups);
  return o;
}

void expect_valid(const VcdFile& f) {
  EXPECT_TRUE(f.errors.empty()) << ::testing::PrintToString(f.errors);
  EXPECT_EQ(f.timescale, "1ps");
  EXPECT_FALSE(f.vars.empty());
  EXPECT_FALSE(f.times.empty());
}

// ---- Tests ---------------------------------------------------------------------------------

TEST(Waveform, AllGroupsShowTheRequestEdges) {
  Bench b;
  const std::string path = temp_path("all");
  WaveformRecorder rec(b.platform, options(path));
  b.run();
  const std::uint64_t end = ps(sc_core::sc_time_stamp());
  rec.close();

  const VcdFile f = read_vcd(path);
  expect_valid(f);
  for (const std::string& name : rec.signal_names()) EXPECT_TRUE(f.has(name)) << name;
  EXPECT_EQ(f.vars.size(), rec.signal_names().size());
  EXPECT_EQ(f.times.back(), end);  // the file ends at the close time

  // The AES DMA request lines toggle once per block: every rise is counted (the sDMA serves
  // some requests in the time step they are raised, so not every pulse has a width), and the
  // output line's pulses are visible (the block waits in DATA_OUT until the DMA reads it).
  const auto tx_n = f.history("dma.aes1_tx_requests"), rx_n = f.history("dma.aes1_rx_requests");
  ASSERT_EQ(tx_n.size(), kBlocks + 1);  // the initial 0, then 1, 2, ...
  ASSERT_EQ(rx_n.size(), kBlocks + 1);
  for (std::uint32_t k = 0; k <= kBlocks; ++k) {
    EXPECT_EQ(std::stoul(tx_n[k].second, nullptr, 2), k);
    EXPECT_EQ(std::stoul(rx_n[k].second, nullptr, 2), k);
  }
  const auto tx = f.rises("dma.aes1_tx"), rx = f.rises("dma.aes1_rx");
  EXPECT_LE(tx.size(), kBlocks);
  EXPECT_EQ(rx.size(), kBlocks);
  EXPECT_EQ(f.falls("dma.aes1_rx").size(), kBlocks);
  ASSERT_FALSE(rx.empty());
  for (std::uint32_t k = 0; k < kBlocks; ++k) EXPECT_EQ(rx[k], rx_n[k + 1].first);
  EXPECT_LT(tx_n[1].first, rx.front());  // a block goes in before one comes out
  EXPECT_LT(tx_n[kBlocks].first, rx.back());

  // The output channel runs until its last element; then the sDMA raises L0.
  const auto l0 = f.rises("irq.sdma_l0");
  ASSERT_EQ(l0.size(), 1u);
  const auto rx_falls = f.falls("dma.aes1_rx");
  ASSERT_FALSE(rx_falls.empty());
  EXPECT_GE(l0[0], rx_falls.back());
  EXPECT_GT(l0[0], rx.back());
  const auto out_active = f.rises("dma.ch1_active"), out_done = f.falls("dma.ch1_active");
  ASSERT_EQ(out_active.size(), 1u);
  ASSERT_EQ(out_done.size(), 1u);
  EXPECT_LT(out_active[0], tx_n[1].first);
  EXPECT_EQ(out_done[0], l0[0]);  // block done: channel stops and interrupts together
  EXPECT_EQ(f.falls("dma.ch0_active").size(), 1u);
  // The sDMA interrupt reaches a core through the GIC, and its hard-IRQ context runs.
  const auto cpu_irq = f.rises("irq.cpu0");
  ASSERT_EQ(cpu_irq.size(), 1u);
  EXPECT_GT(cpu_irq[0], l0[0]);
  const auto hardirq = f.rises("cpu.cpu0.hardirq");
  ASSERT_FALSE(hardirq.empty());
  EXPECT_GE(hardirq.back(), cpu_irq[0]);
  EXPECT_LE(f.falls("irq.sdma_l0").size(), 1u);  // the handler clears it
  // Software ran as a thread on core 0; the request's data passed through the core.
  EXPECT_FALSE(f.rises("cpu.cpu0.thread").empty());
  EXPECT_FALSE(f.rises("aes.aes1.core_busy").empty());
  EXPECT_GE(f.rises("aes.aes1.input_ready").size() + 1, kBlocks);
  EXPECT_FALSE(f.rises("aes.aes1.output_ready").empty());
  EXPECT_EQ(f.value_at("aes.aes1.core_busy", end), "0");
  EXPECT_EQ(f.value_at("trace.window", 0), "1");
  std::printf("  [scenario] first tx %.3f us, L0 %.3f us, end %.3f us, %zu time steps, %zu changes\n",
              tx_n[1].first / 1e6, l0[0] / 1e6, end / 1e6, f.times.size(), f.changes.size());
}

TEST(Waveform, WindowDropsChangesOutsideIt) {
  // Two files of the same run: everything, and a window; the window file must be the full
  // file cut to [begin, end), starting with the state at begin.
  Bench b;
  const std::string full_path = temp_path("full"), win_path = temp_path("window");
  WaveformRecorder full(b.platform, options(full_path));
  WaveformOptions wo = options(win_path);
  wo.window = traces::parse_time_window("3us:6us");
  const std::uint64_t w0 = ps(wo.window.begin), w1 = ps(wo.window.end);
  WaveformRecorder win(b.platform, wo);
  b.run();
  full.close();
  win.close();
  const VcdFile f = read_vcd(full_path), w = read_vcd(win_path);
  expect_valid(f);
  expect_valid(w);
  ASSERT_EQ(w.vars.size(), f.vars.size());

  // The full run has activity before, inside and after the window (the test means something).
  std::size_t before = 0, inside = 0, after = 0;
  for (const VcdChange& c : f.changes) {
    if (c.time == 0) continue;
    (c.time < w0 ? before : c.time < w1 ? inside : after)++;
  }
  ASSERT_GT(before, 0u);
  ASSERT_GT(inside, 0u);
  ASSERT_GT(after, 0u);

  // Time stamps: initial values at 0, then only [w0, w1), and the closing stamp at w1.
  ASSERT_GE(w.times.size(), 3u);
  EXPECT_EQ(w.times.front(), 0u);
  for (std::size_t k = 1; k + 1 < w.times.size(); ++k) {
    EXPECT_GE(w.times[k], w0);
    EXPECT_LT(w.times[k], w1);
  }
  EXPECT_EQ(w.times[1], w0);
  EXPECT_EQ(w.times.back(), w1);
  for (const VcdChange& c : w.changes) {
    EXPECT_TRUE(c.time == 0 || (c.time >= w0 && c.time < w1)) << c.time;
  }
  EXPECT_EQ(w.history("trace.window"),
            (std::vector<std::pair<std::uint64_t, std::string>>{{0, "0"}, {w0, "1"}}));

  for (const auto& [id, var] : f.vars) {
    if (var.name == "trace.window") continue;
    // State at begin, and every change inside the window, are the full file's.
    EXPECT_EQ(w.value_at(var.name, w0), f.value_at(var.name, w0)) << var.name;
    std::vector<std::pair<std::uint64_t, std::string>> expected, got;
    std::string last = f.value_at(var.name, w0);
    for (const auto& [t, v] : f.history(var.name)) {
      if (t > w0 && t < w1 && v != last) expected.emplace_back(t, v);
      if (t > w0 && t < w1) last = v;
    }
    for (const auto& [t, v] : w.history(var.name))
      if (t > w0) got.emplace_back(t, v);
    EXPECT_EQ(got, expected) << var.name;
  }
}

TEST(Waveform, UnselectedGroupsAreAbsent) {
  Bench b;
  const std::string path = temp_path("irq_aes");
  WaveformRecorder rec(b.platform, options(path, "aes,irq"));
  b.run();
  rec.close();
  const VcdFile f = read_vcd(path);
  expect_valid(f);
  std::map<std::string, int> per_group;
  for (const auto& [id, v] : f.vars) ++per_group[v.name.substr(0, v.name.find('.'))];
  EXPECT_EQ(per_group, (std::map<std::string, int>{{"aes", 4}, {"irq", 4 + 1 + 2}, {"trace", 1}}));
  EXPECT_EQ(f.rises("irq.sdma_l0").size(), 1u);
}

TEST(Waveform, EngineQueueDepthIsRecordedWhenSet) {
  Bench b;
  const std::string path = temp_path("engine");
  WaveformRecorder rec(b.platform, options(path, "engine"));
  sc_core::sc_time t1, t2;
  b.run([&](ExecContext& ctx) {
    ctx.sync();
    t1 = sc_core::sc_time_stamp();
    rec.set_queue_depth(3);
    rec.set_in_flight(1);
    ctx.sleep(sc_core::sc_time(100, sc_core::SC_NS));
    t2 = sc_core::sc_time_stamp();
    rec.set_queue_depth(0);
  });
  rec.close();
  const VcdFile f = read_vcd(path);
  expect_valid(f);
  EXPECT_EQ(f.history("engine.queue_depth"),
            (std::vector<std::pair<std::uint64_t, std::string>>{
                {0, "0"}, {ps(t1), "11"}, {ps(t2), "0"}}));
  EXPECT_EQ(f.value_at("engine.in_flight", ps(t2)), "1");
  EXPECT_EQ(f.vars.at(f.id_of("engine.queue_depth")).width, 32u);
}

TEST(Waveform, FastModeRunGivesAValidFile) {
  Bench b("fast");
  const std::string path = temp_path("fast");
  WaveformRecorder rec(b.platform, options(path));
  b.run();
  rec.close();
  const VcdFile f = read_vcd(path);
  expect_valid(f);
  EXPECT_EQ(f.rises("irq.sdma_l0").size(), 1u);
  // In fast mode the AES's DMA request is served in the time step it rises (the DMA runs on
  // its local time), so it leaves no pulse; the channels' activity shows instead.
  std::size_t channel_rises = 0;
  for (const auto& [id, v] : f.vars)
    if (v.name.rfind("dma.ch", 0) == 0) channel_rises += f.rises(v.name).size();
  EXPECT_GE(channel_rises, 2u);  // the input and the output channel
  // The core's IRQ line shows the interrupt although, running ahead on its local time, the
  // core acknowledges it in the time step the GIC raises it: the fall is at the acknowledge's
  // annotated time, after the rise, and the hard-IRQ context runs from then.
  const auto rise = f.rises("irq.cpu0"), fall = f.falls("irq.cpu0");
  ASSERT_EQ(rise.size(), 1u);
  ASSERT_EQ(fall.size(), 1u);
  EXPECT_GT(fall[0], rise[0]);
  EXPECT_EQ(b.platform.cpu.irqs_taken(0), 1u);
  EXPECT_FALSE(f.rises("cpu.cpu0.hardirq").empty());
}

// Same run, same bytes: no wall-clock date unless one is given.
TEST(Waveform, SameRunSameBytesAndDateOnlyWhenAsked) {
  Bench b;
  const std::string a = temp_path("a"), c = temp_path("c"), d = temp_path("dated");
  WaveformRecorder ra(b.platform, options(a));
  WaveformRecorder rc(b.platform, options(c));
  WaveformOptions dated = options(d);
  dated.date = "2026-12-02 00:00:00 UTC";
  WaveformRecorder rd(b.platform, dated);
  b.run();
  ra.close();
  rc.close();
  rd.close();
  auto slurp = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
  };
  const std::string ta = slurp(a), tc = slurp(c), td = slurp(d);
  EXPECT_EQ(ta, tc);
  EXPECT_EQ(ta.find("$date"), std::string::npos);
  EXPECT_EQ(td.rfind("$date\n  2026-12-02 00:00:00 UTC\n$end\n", 0), 0u);
  EXPECT_EQ(td.substr(td.find("$version")), ta);
}

// A window with stop_after_window ends the run at its end.
TEST(Waveform, WindowEndStopsTheRunWhenAsked) {
  Bench b;
  const std::string path = temp_path("stop");
  WaveformOptions o = options(path);
  o.window = traces::parse_time_window("1us:2us");
  o.stop_after_window = true;
  WaveformRecorder rec(b.platform, o);
  b.run();
  EXPECT_TRUE(rec.stopped_simulation());
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(2, sc_core::SC_US));
  rec.close();
  const VcdFile f = read_vcd(path);
  expect_valid(f);
  EXPECT_EQ(f.times.back(), 2000000u);
  o.window = traces::TimeWindow{};
  EXPECT_THROW(WaveformRecorder(b.platform, o), std::invalid_argument);  // no end to stop at
}

TEST(Waveform, BadOptionsAreRejectedBeforeTheFileExists) {
  using traces::parse_signal_groups;
  using traces::parse_time_window;
  EXPECT_EQ(parse_signal_groups("irq,dma,aes,cpu,engine"), traces::kAllGroups);
  EXPECT_EQ(parse_signal_groups("all"), traces::kAllGroups);
  EXPECT_EQ(parse_signal_groups(" cpu , irq"), traces::kGroupCpu | traces::kGroupIrq);
  EXPECT_EQ(traces::to_string(parse_signal_groups("engine,irq")), "irq,engine");
  EXPECT_THROW(parse_signal_groups("irq,bogus"), std::invalid_argument);
  EXPECT_THROW(parse_signal_groups(""), std::invalid_argument);
  EXPECT_THROW(parse_signal_groups("irq,"), std::invalid_argument);

  EXPECT_EQ(parse_time_window("0:200us").end, sc_core::sc_time(200, sc_core::SC_US));
  EXPECT_EQ(parse_time_window("1.5us:2ms").begin, sc_core::sc_time(1500, sc_core::SC_NS));
  EXPECT_EQ(parse_time_window("100ns:").end, sc_core::sc_max_time());
  EXPECT_EQ(parse_time_window(":5us").begin, sc_core::SC_ZERO_TIME);
  for (const char* bad : {"", "5us", "5us:1us", "1us:1us", "1:2us", "1us:2furlongs", "a:b",
                          "1us:2us:3us", "-1us:2us"})
    EXPECT_THROW(parse_time_window(bad), std::invalid_argument) << bad;
  try {
    parse_time_window("5us:1us");
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }

  Bench b;
  const std::string path = temp_path("bad");
  std::remove(path.c_str());
  WaveformOptions o = options(path);
  o.path = path.substr(0, path.size() - 4) + ".txt";
  EXPECT_THROW(WaveformRecorder(b.platform, o), std::invalid_argument);
  o = options(path);
  o.sdma_channels = {99};
  EXPECT_THROW(WaveformRecorder(b.platform, o), std::invalid_argument);
  o = options(path);
  o.window.begin = o.window.end = sc_core::sc_time(1, sc_core::SC_US);
  EXPECT_THROW(WaveformRecorder(b.platform, o), std::invalid_argument);
  EXPECT_FALSE(std::ifstream(path).good());
  o = options("/nonexistent-dir/x.vcd");
  EXPECT_THROW(WaveformRecorder(b.platform, o), std::runtime_error);
}

TEST(Waveform, Vcd2FstAcceptsTheFile) {
  if (std::system("command -v vcd2fst > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "vcd2fst (gtkwave) is not installed";
  Bench b;
  const std::string path = temp_path("fst");
  WaveformRecorder rec(b.platform, options(path));
  b.run();
  rec.close();
  const std::string fst = path.substr(0, path.size() - 4) + ".fst";
  std::remove(fst.c_str());
  const std::string cmd = "vcd2fst '" + path + "' '" + fst + "' > /dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream out(fst, std::ios::binary | std::ios::ate);
  ASSERT_TRUE(out.good());
  EXPECT_GT(static_cast<long>(out.tellg()), 0);
}

}  // namespace
}  // namespace aesvp
