// Runtime PM: resume cost on get_sync, autosuspend after the delay of inactivity.
#include "driver/kernel/runtime_pm.h"
#include "driver/kernel/tests/kernel_test_support.h"

#include <gtest/gtest.h>

namespace aesvp::kernel::testing {
namespace {

TEST(RuntimePmTest, ResumeOnGetAutosuspendAfterDelay) {
  Bench b;
  Kernel& k = b.k();
  RuntimePm pm(k, "aes1", 0);
  int resumed = 0, suspended = 0;
  ContextClass suspend_cls = ContextClass::HardIrq;
  pm.set_callbacks([&] { ++suspended; suspend_cls = k.current()->context_class(); return 0; },
                   [&] { ++resumed; return 0; });
  sc_time t_get, t_put, t_get2;
  RpmStatus before_delay = RpmStatus::Suspended, after_delay = RpmStatus::Active;
  k.spawn_thread("driver", ContextClass::Thread, 1, [&] {
    const sc_time t0 = k.now();
    EXPECT_EQ(pm.pm_runtime_get_sync(), 0);
    t_get = k.now() - t0;
    k.sleep(us(10));
    pm.pm_runtime_put_autosuspend();
    t_put = k.now();
    k.sleep(pm.autosuspend_delay() - us(1));
    before_delay = pm.status();
    k.sleep(us(100));
    after_delay = pm.status();
    const sc_time t1 = k.now();
    pm.pm_runtime_get_sync();  // resumes again
    t_get2 = k.now() - t1;
  });
  sc_core::sc_start(sc_time(2, SC_MS) + sc_time(1000, SC_MS));
  const KernelParams& p = b.kp();
  EXPECT_EQ(pm.autosuspend_delay(), sc_time(p.autosuspend_delay_ms, SC_MS));
  EXPECT_EQ(t_get, b.cyc(p.rpm_get_cycles + p.rpm_resume_cycles));
  EXPECT_EQ(before_delay, RpmStatus::Active);
  EXPECT_EQ(after_delay, RpmStatus::Suspended);
  EXPECT_EQ(pm.last_busy(), t_put);
  // Suspended by the PM thread at last_busy + delay, after its suspend cost.
  EXPECT_EQ(pm.suspended_at(), t_put + pm.autosuspend_delay() + b.cyc(p.rpm_suspend_cycles));
  EXPECT_EQ(suspend_cls, ContextClass::Thread);
  EXPECT_EQ(t_get2, b.cyc(p.rpm_get_cycles + p.rpm_resume_cycles));
  EXPECT_EQ(pm.resumes(), 2u);
  EXPECT_EQ(pm.suspends(), 1u);
  EXPECT_EQ(resumed, 2);
  EXPECT_EQ(suspended, 1);
  EXPECT_EQ(pm.usage_count(), 1);
}

// Activity within the delay keeps the device active; the timer restarts at each put.
TEST(RuntimePmTest, ActivityPostponesAutosuspend) {
  Bench b;
  Kernel& k = b.k();
  RuntimePm pm(k, "aes1", 0);
  pm.set_autosuspend_delay(us(100));
  RpmStatus mid = RpmStatus::Suspended;
  sc_time last_put;
  k.spawn_thread("driver", ContextClass::Thread, 1, [&] {
    for (int i = 0; i < 5; ++i) {
      pm.pm_runtime_get_sync();
      k.sleep(us(10));
      pm.pm_runtime_put_autosuspend();
      last_put = k.now();
      k.sleep(us(60));  // less than the delay
    }
    mid = pm.status();
  });
  sc_core::sc_start(us(1000));
  EXPECT_EQ(mid, RpmStatus::Active);
  EXPECT_EQ(pm.resumes(), 1u);
  EXPECT_EQ(pm.suspends(), 1u);
  EXPECT_TRUE(pm.suspended());
  EXPECT_EQ(pm.suspended_at(), pm.last_busy() + us(100) + b.cyc(b.kp().rpm_suspend_cycles));
}

}  // namespace
}  // namespace aesvp::kernel::testing
