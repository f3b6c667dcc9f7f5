#include "testbench/app/param_table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace aesvp {
namespace {

#define TEST_GROUP_PARAMS(X)                                                    \
  X(double, clock_mhz, 100.0, "MHz", "a source", "a clock")                     \
  X(std::uint32_t, cycles, 12, "cycles", "another source", "cycles per block")  \
  X(bool, enabled, true, "", "choice", "a switch")                              \
  X(std::string, mode, "accurate", "", "choice", "a word")

AESVP_PARAM_GROUP(TestGroup, "test", TEST_GROUP_PARAMS);

TEST(ParamTable, SetsTypedValuesByKey) {
  TestGroup g;
  ParamTable t;
  t.add_group(g);
  ASSERT_EQ(t.entries().size(), 4u);
  t.set("test.clock_mhz", "96.5");
  t.set("test.cycles", "0x20");
  t.set("test.enabled", "false");
  t.set("test.mode", "fast");
  EXPECT_DOUBLE_EQ(g.clock_mhz, 96.5);
  EXPECT_EQ(g.cycles, 32u);
  EXPECT_FALSE(g.enabled);
  EXPECT_EQ(g.mode, "fast");
}

TEST(ParamTable, RefusesBadValuesWithOnePreciseMessage) {
  TestGroup g;
  ParamTable t;
  t.add_group(g);
  auto message = [&](const std::string& key, const std::string& text) {
    try {
      t.set(key, text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("test.clock_mhz", "fast"), "test.clock_mhz: 'fast' is not a number");
  EXPECT_EQ(message("test.clock_mhz", "1e999"), "test.clock_mhz: '1e999' is not a number");
  EXPECT_EQ(message("test.cycles", "-3"), "test.cycles: '-3' is not a non-negative integer");
  EXPECT_EQ(message("test.cycles", "99999999999"),
            "test.cycles: '99999999999' is not a non-negative integer in range");
  EXPECT_EQ(message("test.enabled", "maybe"), "test.enabled: 'maybe' is not a boolean (true/false)");
  EXPECT_EQ(message("test.nothing", "1"), "unknown parameter 'test.nothing'");
  EXPECT_DOUBLE_EQ(g.clock_mhz, 100.0);  // nothing changed by a refused value
  EXPECT_EQ(g.cycles, 12u);
}

TEST(ParamTable, PrintedConfigReadsBackToTheSameValues) {
  TestGroup a;
  a.clock_mhz = 1.0 / 3.0;  // needs all 17 digits to round-trip
  a.cycles = 7;
  a.enabled = false;
  ParamTable ta;
  ta.add_group(a);
  std::ostringstream os;
  ta.print(os);
  EXPECT_NE(os.str().find("[test]"), std::string::npos);
  EXPECT_NE(os.str().find("#   source: a source"), std::string::npos);

  TestGroup b;
  ParamTable tb;
  tb.add_group(b);
  std::istringstream in(os.str());
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    const auto eq = line.find(" = ");
    tb.set("test." + line.substr(0, eq), line.substr(eq + 3));
  }
  EXPECT_EQ(b.clock_mhz, a.clock_mhz);
  EXPECT_EQ(b.cycles, 7u);
  EXPECT_FALSE(b.enabled);
}

}  // namespace
}  // namespace aesvp
