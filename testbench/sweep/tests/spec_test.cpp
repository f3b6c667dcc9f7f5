// Sweep specs and plans against hand-worked grids: point counts, order, ranges, zipped axes,
// exclusions, samples, option words, refusals.
#include "testbench/sweep/spec.h"

#include <gtest/gtest.h>

#include <set>

namespace aesvp::sweep {
namespace {

std::vector<Point> plan_of(const char* text) { return plan(parse_spec(Json::parse(text))); }

TEST(SweepSpec, ProductInFileOrderLastAxisFastest) {
  const auto p = plan_of(R"({"command": "run", "options": {"size-mib": 1},
      "axes": {"queue-depth": [1, 4], "cipher": ["aes-ecb", "aes-cbc-plain", "aes-xts-plain64"]}})");
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p[0].id, "p0000");
  EXPECT_EQ(p[5].id, "p0005");
  EXPECT_EQ(p[1].args, (std::vector<std::string>{"--size-mib=1", "--queue-depth=1", "--cipher=aes-cbc-plain"}));
  EXPECT_EQ(p[3].values["queue-depth"], 4);
  EXPECT_EQ(p[3].values["cipher"], "aes-ecb");
}

TEST(SweepSpec, RangesArithmeticAndGeometric) {
  const auto p = plan_of(R"({"command": "run", "axes": {"queue-depth": {"from": 1, "to": 16, "times": 2},
                              "cpu.clock_mhz": {"from": 500, "to": 1000, "step": 250.0}}})");
  ASSERT_EQ(p.size(), 5u * 3u);
  std::set<std::string> seen;
  for (const Point& x : p) seen.insert(x.args[0] + " " + x.args[1]);
  EXPECT_TRUE(seen.count("--queue-depth=16 --cpu.clock_mhz=1000.0"));
  EXPECT_TRUE(seen.count("--queue-depth=1 --cpu.clock_mhz=750.0"));
  EXPECT_EQ(seen.size(), 15u);
}

TEST(SweepSpec, ZipAdvancesTogetherAndExclusionsRemovePoints) {
  const auto p = plan_of(R"({"command": "run",
      "axes": {"sector-size": [512, 4096], "iv-large-sectors": [false, true]},
      "zip": [{"cipher": ["aes-cbc-plain", "aes-xts-plain64"], "key-size": [256, 512]}],
      "exclude": [{"sector-size": 512, "iv-large-sectors": true}]})");
  // 2 x 2 x 2 = 8, minus the 2 with 512-byte sectors and large IVs.
  ASSERT_EQ(p.size(), 6u);
  for (const Point& x : p) {
    EXPECT_FALSE(x.values["sector-size"] == 512 && x.values["iv-large-sectors"] == true);
    EXPECT_EQ(x.values["cipher"] == "aes-xts-plain64", x.values["key-size"] == 512);
  }
  // A false flag is left out, a true one is a bare --flag.
  EXPECT_EQ(p[0].args, (std::vector<std::string>{"--sector-size=512", "--cipher=aes-cbc-plain", "--key-size=256"}));
  EXPECT_EQ(p[4].args[1], "--iv-large-sectors");
}

TEST(SweepSpec, ExclusionWithListOfValues) {
  const auto p = plan_of(R"({"command": "hw", "axes": {"mode": ["ecb", "cbc", "xts"], "key-bits": [128, 192, 256]},
                              "exclude": [{"mode": ["xts"], "key-bits": [192]}]})");
  EXPECT_EQ(p.size(), 8u);
}

TEST(SweepSpec, SampleIsReproducibleDistinctAndRespectsExclusions) {
  const char* text = R"({"command": "run", "axes": {"seed": {"from": 0, "to": 999, "step": 1},
      "queue-depth": {"from": 1, "to": 16, "step": 1}, "sector-size": [512, 4096],
      "iv-large-sectors": [false, true]}, "exclude": [{"sector-size": 512, "iv-large-sectors": true}],
      "sample": {"points": 40, "seed": 7}})";
  const auto a = plan_of(text), b = plan_of(text);
  ASSERT_EQ(a.size(), 40u);
  std::set<std::vector<std::string>> distinct;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].args, b[i].args);
    distinct.insert(a[i].args);
    EXPECT_FALSE(a[i].values["sector-size"] == 512 && a[i].values["iv-large-sectors"] == true);
  }
  EXPECT_EQ(distinct.size(), 40u);
  // A sample at least as large as the grid is the grid.
  EXPECT_EQ(plan_of(R"({"command": "run", "axes": {"seed": [1, 2, 3]}, "sample": {"points": 10}})").size(), 3u);
}

TEST(SweepSpec, NoAxesIsOnePoint) {
  const auto p = plan_of(R"({"command": "speed", "options": {"sizes": "64,1024", "decrypt": true}})");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].args, (std::vector<std::string>{"--sizes=64,1024", "--decrypt"}));
}

TEST(SweepSpec, Refusals) {
  const char* bad[] = {
      R"([])",
      R"({"axes": {}})",
      R"({"command": "rm"})",
      R"({"command": "run", "unknown": 1})",
      R"({"command": "run", "options": {"--seed": 1}})",
      R"({"command": "run", "options": {"seed": 1}, "axes": {"seed": [1, 2]}})",
      R"({"command": "run", "axes": {"seed": []}})",
      R"({"command": "run", "axes": {"seed": {"from": 1, "to": 3}}})",
      R"({"command": "run", "axes": {"seed": {"from": 1, "to": 3, "step": 0}}})",
      R"({"command": "run", "axes": {"seed": {"from": 0, "to": 3, "times": 2}}})",
      R"({"command": "run", "axes": {"seed": [[1]]}})",
      R"({"command": "run", "zip": [{"cipher": ["a", "b"], "key-size": [1]}]})",
      R"({"command": "run", "axes": {"seed": [1]}, "exclude": [{"cipher": "x"}]})",
      R"({"command": "run", "sample": {"points": 0}})",
  };
  for (const char* t : bad) EXPECT_THROW(parse_spec(Json::parse(t)), SpecError) << t;
  EXPECT_THROW(plan_of(R"({"command": "run", "axes": {"a": {"from": 1, "to": 1000, "step": 1},
      "b": {"from": 1, "to": 1000, "step": 1}, "c": [1, 2]}})"), SpecError);
}

}  // namespace
}  // namespace aesvp::sweep
