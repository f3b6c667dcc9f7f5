#include "models/core/level_signal.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

namespace aesvp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

// A writer lowers the line inside a "transaction"; a reader that samples right after
// must see it low (an sc_signal would still show the old value in this delta).
struct Bench : sc_core::sc_module {
  LevelSignal line{"line"};
  sc_core::sc_in<bool> in{"in"};
  int posedges_seen = 0;
  bool sampled_after_lower = true;
  SC_HAS_PROCESS(Bench);
  explicit Bench(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    in.bind(line);
    SC_THREAD(writer);
    SC_METHOD(on_posedge);
    sensitive << in.pos();
    dont_initialize();
  }
  void writer() {
    wait(sc_time(10, SC_NS));
    line.write(true);
    wait(sc_time(10, SC_NS));
    line.write(false);
    sampled_after_lower = in.read();
    wait(sc_time(10, SC_NS));
    line.write(true);
  }
  void on_posedge() { ++posedges_seen; }
};

TEST(LevelSignal, ImmediateValueDeltaEvents) {
  Bench b("b");
  sc_core::sc_start(sc_time(100, SC_NS));
  EXPECT_FALSE(b.sampled_after_lower);
  EXPECT_EQ(b.posedges_seen, 2);
  EXPECT_EQ(b.line.edges(), 3u);
  EXPECT_TRUE(b.in.read());
}

}  // namespace
}  // namespace aesvp
