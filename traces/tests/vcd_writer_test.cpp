#include "traces/core/vcd_writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace aesvp::traces {
namespace {

// The whole file of a small known sequence, written out by hand from the VCD format
// (IEEE 1364 clause 18): header, scopes from the dotted names, $dumpvars, then one stamp per
// time with only the values that differ at its end.
TEST(traces_vcd_writer, KnownSequenceGivesTheExpectedFile) {
  std::ostringstream out;
  VcdWriter w(out);
  const auto window = w.add("trace.window", 1, 1);
  const auto l0 = w.add("irq.sdma_l0", 1);
  const auto cpu0 = w.add("irq.cpu0", 1);
  const auto busy = w.add("aes.aes1.core_busy", 1);
  const auto depth = w.add("engine.queue_depth", 32);
  w.begin(VcdHeader{});
  w.change(0, depth, 2);      // at time 0, after $dumpvars: no new stamp
  w.change(1500, l0, 1);
  w.change(1500, cpu0, 1);
  w.change(1500, cpu0, 0);    // undone within the stamp: not written
  w.change(2000, busy, 1);
  w.change(2000, depth, 5);
  w.change(2500, busy, 1);    // no change: no stamp
  w.change(3000, l0, 0);
  w.end(9000);
  EXPECT_EQ(w.value(depth), 5u);
  (void)window;
  EXPECT_EQ(out.str(),
            "$version\n  aesvp\n$end\n"
            "$timescale\n  1 ps\n$end\n"
            "$scope module aesvp $end\n"
            "$scope module trace $end\n"
            "$var wire 1 ! window $end\n"
            "$upscope $end\n"
            "$scope module irq $end\n"
            "$var wire 1 \" sdma_l0 $end\n"
            "$var wire 1 # cpu0 $end\n"
            "$upscope $end\n"
            "$scope module aes $end\n"
            "$scope module aes1 $end\n"
            "$var wire 1 % core_busy $end\n"
            "$upscope $end\n"
            "$upscope $end\n"
            "$scope module engine $end\n"
            "$var wire 32 & queue_depth [31:0] $end\n"
            "$upscope $end\n"
            "$upscope $end\n"
            "$enddefinitions $end\n"
            "#0\n$dumpvars\n1!\n0\"\n0#\n0%\nb0 &\n$end\n"
            "b10 &\n"
            "#1500\n1\"\n"
            "#2000\n1%\nb101 &\n"
            "#3000\n0\"\n"
            "#9000\n");
  EXPECT_EQ(w.bytes_written(), out.str().size());
}

TEST(traces_vcd_writer, DateOnlyWhenGivenAndManyIdentifiers) {
  std::ostringstream out;
  VcdWriter w(out);
  VcdWriter::VarId last = 0;
  for (int i = 0; i < 200; ++i) last = w.add("s.v" + std::to_string(i), 1);
  VcdHeader h;
  h.date = "Thu Jan  1 00:00:00 1970";
  w.begin(h);
  w.change(5, last, 1);
  w.end(5);
  const std::string s = out.str();
  EXPECT_EQ(s.rfind("$date\n  Thu Jan  1 00:00:00 1970\n$end\n", 0), 0u);
  // Identifier codes: 93 digits '!'..'~' without '$', least significant first, shortest codes
  // first: index 92 is "~", 93 is "!!"; index 199 = 93 * 2 + 13: digit 13 is '/' (after
  // '!"#' come '%' = 37 ... so digit d >= 3 is 34 + d = 47), then digit 2 - 1 = 1, '"'.
  EXPECT_NE(s.find("$var wire 1 ~ v92 $end"), std::string::npos);
  EXPECT_NE(s.find("$var wire 1 !! v93 $end"), std::string::npos);
  EXPECT_NE(s.find("#5\n1/\"\n"), std::string::npos) << s.substr(s.size() - 40);
}

TEST(traces_vcd_writer, MisuseIsRefused) {
  std::ostringstream out;
  VcdWriter w(out);
  EXPECT_THROW(w.add("x", 0), std::invalid_argument);
  EXPECT_THROW(w.add("x", 65), std::invalid_argument);
  EXPECT_THROW(w.add("bad name", 1), std::invalid_argument);
  EXPECT_THROW(w.add("a..b", 1), std::invalid_argument);
  const auto v = w.add("a.b", 8);
  w.begin(VcdHeader{});
  EXPECT_THROW(w.add("c", 1), std::logic_error);
  w.change(10, v, 0x1ff);  // masked to the width
  EXPECT_EQ(w.value(v), 0xffu);
  EXPECT_THROW(w.change(9, v, 1), std::logic_error);  // time went back
  w.end(10);
  EXPECT_EQ(out.str().substr(out.str().size() - 16), "#10\nb11111111 !\n");
}

}  // namespace
}  // namespace aesvp::traces
