#include "traces/core/gtkw_layout.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace aesvp::traces {
namespace {

// The zoom follows the measured span of GTKWave's window, 4.1 x 2^-z units (gtkw_layout.h):
// 5 ms = 5e9 ps (plus 5 %) needs z = -log2(5.25e9 / 4.1) = -30.254...
TEST(traces_gtkw_layout, ZoomShowsTheRange) {
  EXPECT_NEAR(gtkw_zoom(5000000000ULL), -30.2540, 1e-3);
  EXPECT_NEAR(4.1 * std::pow(2.0, -gtkw_zoom(1000000)), 1050000.0, 1.0);
  EXPECT_EQ(gtkw_zoom(0), 0.0);
}

TEST(traces_gtkw_layout, GroupsAliasesAndVectors) {
  GtkwLayout l;
  l.dumpfile = "/tmp/run.vcd";
  l.signals = {{"trace.window", 1}, {"irq.cpu0", 1}, {"cpu.cpu1.hardirq", 1},
               {"engine.queue_depth", 32}};
  l.begin = 1000;
  l.end = 5000000000ULL + 1000;
  std::ostringstream os;
  write_gtkw(os, l);
  const std::string s = os.str();
  EXPECT_NE(s.find("[dumpfile] \"/tmp/run.vcd\"\n[timestart] 1000\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\n*-30.254"), std::string::npos) << s;
  EXPECT_NE(s.find("@800200\n-irq\n@28\naesvp.irq.cpu0\n@1000200\n-irq\n"), std::string::npos) << s;
  EXPECT_NE(s.find("@28\n+{cpu1_hardirq} aesvp.cpu.cpu1.hardirq\n"), std::string::npos) << s;
  EXPECT_NE(s.find("@24\naesvp.engine.queue_depth[31:0]\n@1000200\n-engine\n"), std::string::npos) << s;
}

}  // namespace
}  // namespace aesvp::traces
