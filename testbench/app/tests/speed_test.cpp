// aesvp speed through the built program: a short two-size sweep (fast timing) gives sane
// numbers, the JSON parses and has its fields; bad options exit 2 with one error line.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct ProgramRun {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

ProgramRun run_speed(const std::string& args, const std::string& tag) {
  const std::string dir = AESVP_TEST_TMPDIR;
  const std::string out = dir + "/speed_test_" + tag + ".out", err = dir + "/speed_test_" + tag + ".err";
  const std::string cmd = std::string("'") + AESVP_PROGRAM + "' speed " + args + " >'" + out +
                          "' 2>'" + err + "'";
  const int rc = std::system(cmd.c_str());
  ProgramRun r;
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

int lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

void expect_usage_error(const std::string& args, const std::string& tag, const std::string& what) {
  const ProgramRun r = run_speed(args, tag);
  EXPECT_EQ(r.status, 2) << args;
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("aesvp speed: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Speed, UnknownCipher) { expect_usage_error("--cipher aes-128-gcm", "cipher", "--cipher"); }
TEST(Speed, NoXts192) { expect_usage_error("--cipher aes-192-xts", "xts192", "--cipher"); }
TEST(Speed, BadSizeList) {
  expect_usage_error("--sizes 16,abc", "sizes1", "--sizes");
  expect_usage_error("--sizes 16,,64", "sizes2", "--sizes");
  expect_usage_error("--sizes 17", "sizes3", "--sizes");
  expect_usage_error("--sizes 0", "sizes4", "--sizes");
  expect_usage_error("--sizes=-16", "sizes5", "--sizes");
  expect_usage_error("--sizes 64,", "sizes6", "--sizes");
}
TEST(Speed, ZeroDuration) {
  expect_usage_error("--seconds-per-size 0", "dur0", "--seconds-per-size");
  expect_usage_error("--seconds-per-size -1", "dur1", "--seconds-per-size");
}

TEST(Speed, UnwritableJson) {
  expect_usage_error("--json /nonexistent-dir/x.json", "json", "--json");
}

TEST(Speed, HelpMentionsOptions) {
  const ProgramRun r = run_speed("--help", "help");
  EXPECT_EQ(r.status, 0);
  for (const char* o : {"--cipher", "--sizes", "--seconds-per-size", "--json"})
    EXPECT_NE(r.out.find(o), std::string::npos) << o;
}

// One fallback size and two hardware sizes, 2 ms each, fast timing.
TEST(Speed, ShortSweepIsSaneAndJsonHasTheFields) {
  const std::string json = std::string(AESVP_TEST_TMPDIR) + "/speed_test.json";
  std::remove(json.c_str());
  const ProgramRun r = run_speed("--sizes 64,1024,8192 --seconds-per-size 0.002 --soc.timing_mode=fast --json '" +
                              json + "'",
                          "sweep");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("run-average CPU load"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("am335x"), std::string::npos) << r.out;  // aes-128-cbc has published figures
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(j.at("command"), "speed");
  EXPECT_EQ(j.at("cipher"), "aes-128-cbc");
  for (const char* f : {"timing_mode", "seconds_per_size", "cores", "fallback_below_bytes", "cryptodev",
                        "run_average_cpu_load", "run_elapsed_s", "verified", "operations", "host_seconds"})
    EXPECT_TRUE(j.contains(f)) << f;
  const auto& sizes = j.at("sizes");
  ASSERT_EQ(sizes.size(), 3u);
  double min_load = 2, max_load = -1, prev_hw_kbps = 0;
  for (const auto& s : sizes) {
    for (const char* f : {"bytes", "operations", "hardware_operations", "software_operations", "aes_blocks",
                          "verified", "errors", "elapsed_s", "kB_per_s", "cpu_load", "cpu_load_per_core", "process_cpu_load",
                          "cpu_load_per_class", "published"})
      EXPECT_TRUE(s.contains(f)) << f;
    const unsigned bytes = s.at("bytes");
    const std::uint64_t ops = s.at("operations");
    EXPECT_GT(ops, 0u);
    EXPECT_EQ(s.at("verified").get<std::uint64_t>(), ops);
    EXPECT_EQ(s.at("errors").get<std::uint64_t>(), 0u);
    EXPECT_GT(s.at("kB_per_s").get<double>(), 0.0);
    EXPECT_GE(s.at("elapsed_s").get<double>(), 0.002);
    const double load = s.at("cpu_load");
    EXPECT_GT(load, 0.0);
    EXPECT_LE(load, 1.0);
    min_load = std::min(min_load, load);
    max_load = std::max(max_load, load);
    if (bytes < 200) {  // software fallback: no AES block, no sleep
      EXPECT_EQ(s.at("aes_blocks").get<std::uint64_t>(), 0u);
      EXPECT_EQ(s.at("software_operations").get<std::uint64_t>(), ops);
    } else {
      EXPECT_EQ(s.at("aes_blocks").get<std::uint64_t>(), ops * bytes / 16);
      EXPECT_EQ(s.at("hardware_operations").get<std::uint64_t>(), ops);
      EXPECT_GT(s.at("kB_per_s").get<double>(), prev_hw_kbps) << bytes;  // larger -> faster
      prev_hw_kbps = s.at("kB_per_s");
    }
    EXPECT_TRUE(s.at("published").contains("am335x"));
  }
  const double avg_proc = j.at("run_average_process_cpu_load");
  double min_proc = 2, max_proc = -1;
  for (const auto& s : sizes) {
    min_proc = std::min(min_proc, s.at("process_cpu_load").get<double>());
    max_proc = std::max(max_proc, s.at("process_cpu_load").get<double>());
  }
  EXPECT_GE(avg_proc, min_proc - 1e-9);
  EXPECT_LE(avg_proc, max_proc + 1e-9);
  EXPECT_NEAR(sizes[0].at("process_cpu_load").get<double>(), 1.0, 0.01);  // fallback: all on the CPU
  // 64 B is below the fallback threshold: each operation costs, with the default parameters
  // (cryptodev.h, driver_params.h) at 1000 MHz, user 500 + syscall 200 + 200 + ioctl 1500 +
  // request set-up 200 + one page pinned 600 + crypt entry 250 + fallback call 600 + 40 x 64 B
  // of software AES = 6610 cycles = 6.61 us, so 64 B / 6.61 us = 9682 kB/s.
  EXPECT_NEAR(sizes[0].at("kB_per_s").get<double>(), 9682.3, 9682.3 * 0.01);
  // Throughput is bytes x operations over the size's own elapsed time.
  for (const auto& s : sizes)
    EXPECT_NEAR(s.at("kB_per_s").get<double>(),
                s.at("bytes").get<double>() * s.at("operations").get<double>() /
                    s.at("elapsed_s").get<double>() / 1000.0,
                s.at("kB_per_s").get<double>() * 1e-9);
  const double avg = j.at("run_average_cpu_load");
  EXPECT_GE(avg, min_load - 1e-9);
  EXPECT_LE(avg, max_load + 1e-9);
  EXPECT_LT(min_load, max_load);  // the fallback size loads the CPU more
}

}  // namespace

namespace aesvp {
namespace {

// A single-core SoC: the user process, the engine kthread, softirqs and hard IRQs share core
// 0, so the process alone can never have more than the whole core and the core's total load
// is at least the process's.
TEST(Speed, SingleCoreProfileRunsAndRecordsTheProfile) {
  const std::string json = std::string(AESVP_TEST_TMPDIR) + "/speed_test_am335x.json";
  std::remove(json.c_str());
  const ProgramRun r = run_speed("--profile am335x --sizes 16,1024 --seconds-per-size 0.001 --json '" +
                                     json + "'",
                                 "am335x");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(j.at("profile"), "am335x");
  EXPECT_EQ(j.at("cores"), 1);
  const auto& sizes = j.at("sizes");
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_GT(sizes[0].at("kB_per_s").get<double>(), 0.0);
  EXPECT_GT(sizes[1].at("hardware_operations").get<int>(), 0);
  const double core = sizes[1].at("cpu_load").get<double>();
  const double proc = sizes[1].at("process_cpu_load").get<double>();
  EXPECT_LE(proc, core + 1e-9);
  EXPECT_LE(core, 1.0 + 1e-9);
  EXPECT_GT(core, proc);  // kthread, softirq and IRQ time share the core too
  EXPECT_TRUE(j.contains("run_average_process_cpu_load"));
}

TEST(Speed, CompareNeedsPublishedFigures) {
  expect_usage_error("--compare", "compare_omap4", "--compare");
}

}  // namespace
}  // namespace aesvp

namespace aesvp {
namespace {

// The calibration guard (docs/calibration.md): aes-128-cbc on each calibrated profile stays
// within 15% of TI's published figures at every size (16 B to 16 KiB, fitted and held-back
// points alike), and the process CPU load of the whole sweep (0.01 s per size, as
// docs/calibration.md) within 5 points of the published one.
void expect_calibrated(const std::string& profile) {
  const std::string json = std::string(AESVP_TEST_TMPDIR) + "/speed_calib_" + profile + ".json";
  std::remove(json.c_str());
  const ProgramRun r = run_speed("--profile " + profile +
                                     " --cipher aes-128-cbc --seconds-per-size 0.01 --json '" +
                                     json + "'",
                                 "calib_" + profile);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  for (const auto& s : j.at("sizes")) {
    const unsigned bytes = s.at("bytes");
    const double pub = s.at("published").at(profile).at("kB_per_s");
    const double ratio = s.at("kB_per_s").get<double>() / pub;
    EXPECT_NEAR(ratio, 1.0, 0.15) << profile << " " << bytes << " B";
  }
  EXPECT_EQ(j.at("sizes").size(), 6u);
  const double proc = j.at("run_average_process_cpu_load");
  // Published aes-128-cbc process CPU load: 42% on both boards (shared/reference/calibration.md).
  EXPECT_NEAR(proc, 0.42, 0.05) << profile;
}

TEST(SpeedCalibration, Am335xWithinFifteenPercentAtEverySize) { expect_calibrated("am335x"); }
TEST(SpeedCalibration, Am57xWithinFifteenPercentAtEverySize) { expect_calibrated("am57x"); }

}  // namespace
}  // namespace aesvp
