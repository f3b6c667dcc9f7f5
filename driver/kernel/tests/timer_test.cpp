// KernelTimer: mod_timer / del_timer semantics, and lazy re-arming (a timer pushed back many
// times keeps one notification in SystemC's queue instead of one per arming).
#include "driver/kernel/timer.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <vector>

namespace aesvp::kernel {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;

struct Probe {
  std::vector<sc_time> fired;
  KernelTimer timer{"t", [this] { fired.push_back(sc_core::sc_time_stamp()); }};
};

// Runs `body` as a SystemC thread, then the simulation to the end.
template <typename F>
void simulate(F body) {
  sc_core::sc_spawn(body);
  sc_core::sc_start();
}

TEST(KernelTimer, ExpiresOnceAtItsTime) {
  Probe p;
  simulate([&] {
    sc_core::wait(5, SC_NS);
    EXPECT_FALSE(p.timer.mod_timer(sc_time(105, SC_NS)));
    EXPECT_TRUE(p.timer.timer_pending());
    EXPECT_EQ(p.timer.expires(), sc_time(105, SC_NS));
  });
  EXPECT_EQ(p.fired, std::vector<sc_time>{sc_time(105, SC_NS)});
  EXPECT_FALSE(p.timer.timer_pending());
  EXPECT_EQ(p.timer.expiries(), 1u);
}

TEST(KernelTimer, PushedBackManyTimesFiresOnceAtTheLastExpiryWithFewWakeups) {
  Probe p;
  simulate([&] {
    for (unsigned i = 0; i < 1000; ++i) {
      // A watchdog re-armed for each request: 1 us after each 10 ns step.
      p.timer.mod_timer(sc_core::sc_time_stamp() + sc_time(1, SC_US));
      sc_core::wait(10, SC_NS);
    }
  });
  // Last arming at 9990 ns -> expiry at 10990 ns.
  EXPECT_EQ(p.fired, std::vector<sc_time>{sc_time(10990, SC_NS)});
  // Lazy re-arm: one notification per elapsed 1 us window, not one per mod_timer.
  EXPECT_LE(p.timer.wakeups(), 12u);
  EXPECT_GE(p.timer.wakeups(), 2u);
}

TEST(KernelTimer, DelTimerCancelsAndReportsWhetherPending) {
  Probe p;
  simulate([&] {
    p.timer.mod_timer(sc_time(100, SC_NS));
    sc_core::wait(50, SC_NS);
    EXPECT_TRUE(p.timer.del_timer());
    EXPECT_FALSE(p.timer.del_timer());
    sc_core::wait(100, SC_NS);
    // Re-armed after a del_timer: expires at the new time only.
    EXPECT_FALSE(p.timer.mod_timer(sc_time(300, SC_NS)));
  });
  EXPECT_EQ(p.fired, std::vector<sc_time>{sc_time(300, SC_NS)});
}

TEST(KernelTimer, MovedEarlierExpiresAtTheEarlierTime) {
  Probe p;
  simulate([&] {
    p.timer.mod_timer(sc_time(1, SC_US));
    sc_core::wait(10, SC_NS);
    EXPECT_TRUE(p.timer.mod_timer(sc_time(200, SC_NS)));
    sc_core::wait(500, SC_NS);
    // An expiry in the past fires one delta later.
    p.timer.mod_timer(sc_time(100, SC_NS));
  });
  EXPECT_EQ(p.fired, (std::vector<sc_time>{sc_time(200, SC_NS), sc_time(510, SC_NS)}));
}

}  // namespace
}  // namespace aesvp::kernel
