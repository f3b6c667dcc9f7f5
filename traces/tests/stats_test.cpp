#include "traces/core/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace aesvp::traces {
namespace {

using nlohmann::json;

TEST(traces_latency, EmptyIsAllZero) {
  LatencyRecorder r;
  EXPECT_EQ(r.count(), 0u);
  EXPECT_EQ(r.min(), 0u);
  EXPECT_EQ(r.max(), 0u);
  EXPECT_EQ(r.percentile(50), 0u);
  EXPECT_EQ(r.mean(), 0.0);
  EXPECT_TRUE(r.histogram().empty());
  const json j = r.to_json();
  EXPECT_EQ(j.at("count"), 0);
  EXPECT_TRUE(j.at("histogram").at("buckets").empty());
}

TEST(traces_latency, NearestRankPercentilesOneToHundred) {
  LatencyRecorder r;
  std::vector<Time> v(100);
  std::iota(v.begin(), v.end(), Time{1});
  std::shuffle(v.begin(), v.end(), std::mt19937(7));
  for (Time x : v) r.add(x);
  EXPECT_EQ(r.min(), 1u);
  EXPECT_EQ(r.max(), 100u);
  EXPECT_DOUBLE_EQ(r.mean(), 50.5);
  EXPECT_EQ(r.percentile(0), 1u);
  EXPECT_EQ(r.percentile(1), 1u);
  EXPECT_EQ(r.percentile(50), 50u);
  EXPECT_EQ(r.percentile(50.5), 51u);
  EXPECT_EQ(r.percentile(90), 90u);
  EXPECT_EQ(r.percentile(99), 99u);
  EXPECT_EQ(r.percentile(99.9), 100u);  // ceil(99.9) = 100th
  EXPECT_EQ(r.percentile(100), 100u);
  // Population stddev of 1..100 = sqrt((100^2 - 1) / 12).
  EXPECT_NEAR(r.stddev(), std::sqrt(9999.0 / 12.0), 1e-9);
}

TEST(traces_latency, PointNinePercentileOfThousandIsExact) {
  LatencyRecorder r;
  for (Time x = 1000; x >= 1; --x) r.add(x * 1000);  // 1 ns .. 1 us, reversed
  EXPECT_EQ(r.percentile(99.9), 999000u);             // rank 999, not 1000
  EXPECT_EQ(r.percentile(99), 990000u);
  EXPECT_EQ(r.percentile(90), 900000u);
  EXPECT_EQ(r.percentile(50), 500000u);
  r.add(1);  // adding after a query re-sorts
  EXPECT_EQ(r.min(), 1u);
  EXPECT_EQ(r.percentile(50), 500000u);  // rank ceil(500.5) = 501 -> 500th of old set
}

TEST(traces_latency, SmallSetsHandComputed) {
  LatencyRecorder r;
  for (Time x : {30u, 10u, 20u, 40u}) r.add(x);
  EXPECT_EQ(r.percentile(25), 10u);
  EXPECT_EQ(r.percentile(26), 20u);
  EXPECT_EQ(r.percentile(50), 20u);
  EXPECT_EQ(r.percentile(75), 30u);
  EXPECT_EQ(r.percentile(90), 40u);
  EXPECT_DOUBLE_EQ(r.mean(), 25.0);
  LatencyRecorder one;
  one.add(7);
  EXPECT_EQ(one.percentile(99.9), 7u);
  EXPECT_EQ(one.stddev(), 0.0);
  LatencyRecorder m;
  m.merge(r);
  m.merge(one);
  EXPECT_EQ(m.count(), 5u);
  EXPECT_EQ(m.min(), 7u);
  EXPECT_DOUBLE_EQ(m.mean(), 107.0 / 5.0);
}

TEST(traces_latency, LogLinearHistogramBuckets) {
  LatencyRecorder r;
  for (Time x : {0u, 1u, 3u, 4u, 5u, 7u, 8u, 9u, 15u, 16u, 100u}) r.add(x);
  const auto h = r.histogram(2);  // width-1 below 4, then 4 buckets per octave
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.front().lower, 0u);
  EXPECT_EQ(h.front().upper, 1u);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    total += h[i].count;
    EXPECT_LT(h[i].lower, h[i].upper);
    if (i > 0) {
      EXPECT_EQ(h[i].lower, h[i - 1].upper);  // contiguous
    }
    if (h[i].lower >= 4) {
      EXPECT_LE((h[i].upper - h[i].lower) * 4, h[i].lower);
    }
  }
  EXPECT_EQ(total, r.count());
  for (Time s : r.samples()) {
    const auto it = std::find_if(h.begin(), h.end(),
                                 [&](const auto& b) { return s >= b.lower && s < b.upper; });
    ASSERT_NE(it, h.end());
  }
  // Explicit buckets: [4,5) [5,6) [6,7) [7,8) then [8,10) [10,12) ...
  EXPECT_EQ(h[4].lower, 4u);
  EXPECT_EQ(h[4].count, 1u);
  EXPECT_EQ(h[8].lower, 8u);
  EXPECT_EQ(h[8].upper, 10u);
  EXPECT_EQ(h[8].count, 2u);  // 8, 9
  EXPECT_EQ(h.back().lower, 96u);
  EXPECT_EQ(h.back().upper, 112u);
  EXPECT_EQ(h.back().count, 1u);

  LatencyRecorder big;
  big.add(kTimeMax);
  big.add(kTimeMax - 1);
  const auto hb = big.histogram(3);
  ASSERT_EQ(hb.size(), 1u);
  EXPECT_EQ(hb[0].upper, kTimeMax);
  EXPECT_EQ(hb[0].count, 2u);
}

// Samples bunched within 6 % of each other (1000 bio latencies from 13.8 to 14.6 ms): 3 bits
// give 2 buckets. In [2^33, 2^34) ps a bucket is 2^(33 - bits) ps wide, so the 0.8e9 ps span
// covers about 0.8e9 / 2^(33 - bits) buckets: 11.9 with 7 bits, 23.8 with 8: 8 is the
// smallest with at least 20.
TEST(traces_latency, HistogramBitsForBunchedSamples) {
  LatencyRecorder r;
  for (int i = 0; i < 1000; ++i) r.add(13'800'000'000ULL + 800'000ULL * static_cast<Time>(i));
  EXPECT_LE(r.histogram(3).size(), 2u);
  EXPECT_EQ(r.histogram_bits_for(20), 8u);
  EXPECT_GE(r.histogram(8).size(), 20u);
  EXPECT_LT(r.histogram(7).size(), 20u);
  RunStatistics rs;
  rs.latency("bio", r);
  const nlohmann::json j = rs.to_json();
  EXPECT_EQ(j.at("latency").at("bio").at("histogram").at("bits"), 8);
  // Spread-out samples keep the coarse default.
  LatencyRecorder wide;
  for (Time v = 1; v < 1'000'000'000ULL; v *= 3) wide.add(v);
  EXPECT_EQ(wide.histogram_bits_for(20), 3u);
}

TEST(traces_latency, JsonInMicroseconds) {
  LatencyRecorder r;
  for (Time x = 1; x <= 100; ++x) r.add(x * 1000000);  // 1..100 us
  const json j = r.to_json();
  EXPECT_EQ(j.at("count"), 100);
  EXPECT_DOUBLE_EQ(j.at("p50_us").get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(j.at("p90_us").get<double>(), 90.0);
  EXPECT_DOUBLE_EQ(j.at("p99_us").get<double>(), 99.0);
  EXPECT_DOUBLE_EQ(j.at("p99_9_us").get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(j.at("min_us").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j.at("max_us").get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(j.at("mean_us").get<double>(), 50.5);
  EXPECT_EQ(j.at("histogram").at("bits"), 3);
  std::uint64_t total = 0;
  for (const json& b : j.at("histogram").at("buckets")) total += b.at(2).get<std::uint64_t>();
  EXPECT_EQ(total, 100u);
}

TEST(traces_counters, AddSetGet) {
  Counters c;
  c.add("irq");
  c.add("irq", 2);
  c.set("retries", 5);
  EXPECT_EQ(c.get("irq"), 3u);
  EXPECT_EQ(c.get("none"), 0u);
  EXPECT_EQ(c.to_json().dump(), R"({"irq":3,"retries":5})");
}

TEST(traces_level, TimeWeightedMean) {
  LevelTracker q(0, 0.0);
  q.set(10, 2);
  q.set(30, 0);
  EXPECT_DOUBLE_EQ(q.mean(40), 1.0);  // 2 * 20 / 40
  EXPECT_DOUBLE_EQ(q.max(), 2.0);
  q.add(40, 3);
  EXPECT_DOUBLE_EQ(q.mean(50), (40.0 + 30.0) / 50.0);
  const json j = q.to_json(50);
  EXPECT_EQ(j.at("samples"), 3);
  EXPECT_DOUBLE_EQ(j.at("final").get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j.at("max").get<double>(), 3.0);
  EXPECT_EQ(j.at("elapsed_ps"), 50);
  LevelTracker empty(5, 1.5);
  EXPECT_DOUBLE_EQ(empty.mean(5), 1.5);
}

TEST(traces_busy, NestedIntervalsCountOnce) {
  BusyTracker b;
  b.begin(10);
  b.begin(15);
  b.end(20);
  b.end(30);  // busy [10, 30)
  b.end(35);  // unmatched: ignored
  b.begin(50);
  EXPECT_EQ(b.busy(), 20u);
  EXPECT_EQ(b.busy(60), 30u);
  EXPECT_TRUE(b.active());
  b.add(5);
  EXPECT_EQ(b.busy(), 25u);
  EXPECT_DOUBLE_EQ(utilisation(25, 100), 0.25);
  EXPECT_DOUBLE_EQ(utilisation(25, 0), 0.0);
}

RunStatistics sample_run() {
  RunStatistics s;
  LatencyRecorder lat;
  for (Time x = 1; x <= 10; ++x) lat.add(x * 1000000);
  LevelTracker q;
  q.set(0, 4);
  q.set(500000000000ULL, 0);  // depth 4 for the first half second
  s.run("run", 42, "accurate")
      .simulated_time(1000000000000ULL)  // 1 s
      .host_time(2.5)
      .bytes("write", 3000000)
      .bytes("read", 1000000)
      .latency("request", lat)
      .hardware_busy("aes", 250000000000ULL)
      .hardware_busy("dma", 100, 400)
      .cpu_cores(2)
      .cpu_busy(0, "hardirq", 100000000000ULL)
      .cpu_busy(0, "rt-thread", 300000000000ULL)
      .cpu_busy(1, "softirq", 200000000000ULL)
      .cpu_busy(0, "hardirq", 100000000000ULL)
      .queue_depth("engine", q)
      .counts({10, 9, 1, 9, 80})
      .count("fallbacks", 2)
      .configuration({{"soc", "omap4"}, {"key_bits", 256}});
  return s;
}

TEST(traces_run_statistics, SchemaFieldsAndValues) {
  const json j = sample_run().to_json();
  EXPECT_EQ(j.at("schema"), "aesvp.run-statistics");
  EXPECT_EQ(j.at("schema_version"), RunStatistics::kSchemaVersion);
  EXPECT_EQ(j.at("schema_version"), 1);
  for (const char* key : {"run", "time", "throughput", "latency", "utilisation",
                          "queue_depths", "counts", "configuration"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.at("run").at("command"), "run");
  EXPECT_EQ(j.at("run").at("seed"), 42);
  EXPECT_EQ(j.at("run").at("timing_mode"), "accurate");

  const json& t = j.at("time");
  EXPECT_EQ(t.at("simulated_ps"), 1000000000000ULL);
  EXPECT_DOUBLE_EQ(t.at("simulated_s").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(t.at("host_s").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(t.at("simulated_per_host").get<double>(), 0.4);

  const json& tp = j.at("throughput");
  EXPECT_EQ(tp.at("bytes"), 4000000);
  EXPECT_DOUBLE_EQ(tp.at("mb_per_s").get<double>(), 4.0);  // 1e6 bytes/s units
  EXPECT_DOUBLE_EQ(tp.at("parts").at("write").at("mb_per_s").get<double>(), 3.0);

  EXPECT_DOUBLE_EQ(j.at("latency").at("request").at("p90_us").get<double>(), 9.0);

  const json& hw = j.at("utilisation").at("hardware");
  EXPECT_DOUBLE_EQ(hw.at("aes").at("fraction").get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(hw.at("dma").at("fraction").get<double>(), 0.25);
  EXPECT_EQ(hw.at("dma").at("elapsed_ps"), 400);

  const json& cpu = j.at("utilisation").at("cpu");
  EXPECT_EQ(cpu.at("cores"), 2);
  EXPECT_EQ(cpu.at("busy_ps"), 700000000000ULL);
  EXPECT_DOUBLE_EQ(cpu.at("fraction").get<double>(), 0.35);
  EXPECT_DOUBLE_EQ(cpu.at("cores_equivalent").get<double>(), 0.7);
  const json& core0 = cpu.at("per_core").at(0);
  EXPECT_EQ(core0.at("core"), 0);
  EXPECT_DOUBLE_EQ(core0.at("fraction").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(core0.at("contexts").at("hardirq").at("fraction").get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(cpu.at("per_core").at(1).at("fraction").get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(cpu.at("per_context").at("softirq").at("fraction").get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(
      cpu.at("per_context").at("softirq").at("cores_equivalent").get<double>(), 0.2);

  const json& q = j.at("queue_depths").at("engine");
  EXPECT_DOUBLE_EQ(q.at("mean").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(q.at("max").get<double>(), 4.0);

  const json& c = j.at("counts");
  EXPECT_EQ(c.at("requests_submitted"), 10);
  EXPECT_EQ(c.at("requests_completed"), 9);
  EXPECT_EQ(c.at("requests_failed"), 1);
  EXPECT_EQ(c.at("requests_verified"), 9);
  EXPECT_EQ(c.at("sectors"), 80);
  EXPECT_EQ(c.at("fallbacks"), 2);
  EXPECT_EQ(j.at("configuration").at("soc"), "omap4");
}

TEST(traces_run_statistics, NormalisedHostTimeIsReproducible) {
  StatsJsonOptions o;
  o.normalise_host_time = true;
  RunStatistics a = sample_run();
  RunStatistics b = sample_run();
  b.host_time(9.75);
  EXPECT_EQ(a.to_json(o).dump(), b.to_json(o).dump());
  EXPECT_TRUE(a.to_json(o).at("time").at("host_s").is_null());
  EXPECT_TRUE(a.to_json(o).at("time").at("simulated_per_host").is_null());
  EXPECT_NE(a.to_json().dump(), b.to_json().dump());
}

// The file depends on what was recorded, not on the order it was recorded in: the same run
// fed part by part in another order (as another command or thread interleaving would) gives
// the same bytes, and the named sections list their keys sorted.
TEST(traces_run_statistics, RecordingOrderDoesNotChangeTheBytes) {
  LatencyRecorder lat;
  for (Time x = 10; x >= 1; --x) lat.add(x * 1000000);
  LevelTracker q;
  q.set(0, 4);
  q.set(500000000000ULL, 0);
  RunStatistics b;
  b.configuration({{"key_bits", 256}, {"soc", "omap4"}})
      .count("fallbacks", 2)
      .counts({10, 9, 1, 9, 80})
      .queue_depth("engine", q)
      .cpu_busy(0, "hardirq", 100000000000ULL)
      .cpu_busy(1, "softirq", 200000000000ULL)
      .cpu_busy(0, "rt-thread", 300000000000ULL)
      .cpu_busy(0, "hardirq", 100000000000ULL)
      .cpu_cores(2)
      .hardware_busy("dma", 100, 400)
      .hardware_busy("aes", 250000000000ULL)
      .latency("request", lat)
      .bytes("read", 1000000)
      .bytes("write", 3000000)
      .host_time(2.5)
      .simulated_time(1000000000000ULL)
      .run("run", 42, "accurate");
  StatsJsonOptions o;
  o.normalise_host_time = true;
  const std::string a_text = sample_run().to_json(o).dump(2);
  EXPECT_EQ(a_text, b.to_json(o).dump(2));
  // Sorted keys in the text itself: "read" before "write", "aes" before "dma".
  EXPECT_LT(a_text.find("\"read\""), a_text.find("\"write\""));
  EXPECT_LT(a_text.find("\"aes\""), a_text.find("\"dma\""));
}

TEST(traces_run_statistics, EmptyBuilderHasAllSections) {
  const json j = RunStatistics{}.to_json();
  EXPECT_EQ(j.at("schema_version"), 1);
  EXPECT_TRUE(j.at("time").at("host_s").is_null());
  EXPECT_EQ(j.at("throughput").at("mb_per_s"), 0.0);
  EXPECT_EQ(j.at("counts").at("requests_submitted"), 0);
  EXPECT_EQ(j.at("utilisation").at("cpu").at("cores"), 0);
  EXPECT_TRUE(j.at("configuration").is_object());
}

}  // namespace
}  // namespace aesvp::traces
