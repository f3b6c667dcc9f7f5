// Execution contexts: the stepper and the host thread.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "engine/host_context.h"
#include "engine/step_context.h"

namespace aesvp::engine {
namespace {

TEST(StepContext, RunsPostedWorkInFifoOrderOnlyWhenStepped) {
  StepContext ctx;
  std::vector<int> order;
  ctx.post([&] { order.push_back(1); });
  ctx.post([&] {
    order.push_back(2);
    EXPECT_TRUE(ctx.in_worker());
    ctx.post([&] { order.push_back(4); });  // posted from work: runs after 3
  });
  ctx.post([&] { order.push_back(3); });
  EXPECT_TRUE(order.empty());
  EXPECT_FALSE(ctx.in_worker());
  EXPECT_TRUE(ctx.run_one());
  EXPECT_EQ(order, (std::vector<int>{1}));
  EXPECT_EQ(ctx.run_all(), 3u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_FALSE(ctx.run_one());
}

TEST(StepContext, SleepRunsQueuedWorkAndAdvancesVirtualClock) {
  StepContext ctx;
  int ran = 0;
  ctx.post([&] { ++ran; });
  EXPECT_EQ(ctx.now_ns(), 0u);
  ctx.sleep_ns(20);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(ctx.now_ns(), 20u);
  ctx.advance_ns(5);
  EXPECT_EQ(ctx.now_ns(), 25u);
}

TEST(HostContext, RunsWorkInFifoOrderOnItsOwnThread) {
  std::vector<int> order;
  std::mutex m;
  std::atomic<bool> all_in_worker{true};
  {
    HostContext ctx("t");
    EXPECT_FALSE(ctx.in_worker());
    for (int i = 0; i < 100; ++i) {
      ctx.post([&, i] {
        if (!ctx.in_worker()) all_in_worker = false;
        std::lock_guard<std::mutex> lk(m);
        order.push_back(i);
      });
    }
    ctx.drain();
    std::lock_guard<std::mutex> lk(m);
    EXPECT_EQ(order.size(), 100u);
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
  EXPECT_TRUE(all_in_worker);
}

TEST(HostContext, DestructorRunsRemainingWork) {
  std::atomic<int> ran{0};
  {
    HostContext ctx;
    ctx.post([&] {
      ctx.sleep_ns(1'000'000);
      ++ran;
    });
    ctx.post([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace aesvp::engine
