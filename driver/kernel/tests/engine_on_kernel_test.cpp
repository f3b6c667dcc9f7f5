// The crypto engine running on the simulated CPU: its pump in a KthreadWorker (RtThread),
// the driver's "hardware" completion in a tasklet that finalizes the request.
#include "driver/kernel/completion.h"
#include "driver/kernel/kthread_worker.h"
#include "driver/kernel/tests/kernel_test_support.h"
#include "engine/crypto_engine.h"
#include "engine/merge_policy.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <utility>
#include <memory>
#include <vector>

namespace aesvp::kernel::testing {
namespace {

// A driver whose do_one_request charges some cycles and "starts the hardware": a completion
// later comes as a tasklet that finalizes the request (as omap-aes's done task does).
struct FakeDriver : engine::EngineDriver {
  Kernel& k;
  engine::CryptoEngine* eng = nullptr;
  std::deque<engine::Request*> hw;
  std::vector<ContextClass> pump_classes;
  std::vector<ContextClass> finalize_classes;
  Tasklet done_task;
  explicit FakeDriver(Kernel& kernel)
      : k(kernel), done_task(kernel, "done_task", [this] {
          while (!hw.empty()) {
            engine::Request* r = hw.front();
            hw.pop_front();
            finalize_classes.push_back(k.current()->context_class());
            eng->finalize_request(*r, engine::Errc::Ok);
          }
        }) {}
  std::function<void()> on_dispatch;
  engine::Errc do_one_request(engine::CryptoEngine&, engine::Request& req) override {
    if (on_dispatch) on_dispatch();
    pump_classes.push_back(k.current()->context_class());
    k.charge_cycles(2000);
    hw.push_back(&req);
    done_task.schedule();
    return engine::Errc::Ok;
  }
};

TEST(EngineOnKernelTest, PumpRunsInRtWorkerAndRequestsComplete) {
  Bench b;
  Kernel& k = b.k();
  KthreadWorker worker(k, "aes-engine", 0);
  FakeDriver drv(k);
  engine::EngineOptions opt;
  opt.rt = true;
  engine::CryptoEngine eng(worker, drv, opt);
  drv.eng = &eng;
  std::vector<std::uint64_t> done_ids;
  std::vector<std::unique_ptr<engine::Request>> reqs;
  Completion all_done(k);
  engine::Errc stop_rc = engine::Errc::Busy;
  k.spawn_thread("submitter", ContextClass::Thread, 1, [&] {
    ASSERT_EQ(eng.start(), engine::Errc::Ok);
    for (std::uint64_t id = 1; id <= 4; ++id) {
      reqs.push_back(std::make_unique<engine::Request>(
          id, [&](engine::Request& r, engine::Errc e) {
            if (e == engine::Errc::InProgress) return;
            EXPECT_EQ(e, engine::Errc::Ok);
            done_ids.push_back(r.id);
            if (done_ids.size() == 4) all_done.complete();
          }));
      EXPECT_EQ(eng.transfer_request(*reqs.back()), engine::Errc::InProgress);
    }
    all_done.wait_for_completion();
    stop_rc = eng.stop();
  });
  // stop() polls every 20 ms (EngineOptions::stop_poll_ns) until the pump went idle.
  sc_core::sc_start(sc_time(100, SC_MS));
  EXPECT_EQ(done_ids, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(stop_rc, engine::Errc::Ok);
  ASSERT_EQ(drv.pump_classes.size(), 4u);
  for (ContextClass c : drv.pump_classes) EXPECT_EQ(c, ContextClass::RtThread);
  for (ContextClass c : drv.finalize_classes) EXPECT_EQ(c, ContextClass::SoftIrq);
  EXPECT_GT(worker.context().busy_time(), 4 * b.cyc(2000));
}

// Describes every request as one 512-byte XTS-style unit of one key; composites are plain
// requests (the fake hardware does nothing with data).
struct UnitAdapter : engine::MergeAdapter {
  int transform = 0;
  bool describe(const engine::Request& r, engine::MergeView& v) const override {
    v.transform = &transform;
    v.key_id = 1;
    v.encrypt = true;
    v.bytes = 512;
    v.segments = 1;
    v.bulk = r.bulk;
    return true;
  }
  engine::MergeLimits limits() const override {
    engine::MergeLimits l;
    l.iv_kinds = {false, true, true, true, true};
    return l;
  }
  std::unique_ptr<engine::Request> combine(const std::vector<engine::Request*>&) override {
    return std::make_unique<engine::Request>();
  }
};

// The bounded merge window on the simulated kthread: the head request waits up to T for more
// requests, then goes (with what has arrived), and a full run of N goes at once. Before the
// KthreadWorker had post_after, the engine dropped the hold and dispatched at once, so the
// bounded policy behaved like max N: request 1 went alone at about t0.
TEST(EngineOnKernelTest, BoundedMergeWindowWaitsUpToTOnTheKthread) {
  Bench b;
  Kernel& k = b.k();
  KthreadWorker worker(k, "aes-engine", 0);
  FakeDriver drv(k);
  std::vector<std::pair<sc_time, std::size_t>> dispatches;  // time, requests carried
  UnitAdapter adapter;
  engine::MergeConfig cfg;
  cfg.mode = engine::MergeMode::Bounded;
  cfg.max_requests = 4;
  cfg.max_wait_ns = 50'000;  // T = 50 us
  auto policy = std::make_unique<engine::MergePolicy>(cfg, adapter);
  engine::MergePolicy& pol = *policy;
  engine::CryptoEngine eng(worker, drv, {}, std::move(policy));
  drv.eng = &eng;
  std::vector<std::unique_ptr<engine::Request>> reqs;
  std::size_t done = 0;
  sc_time t0, t1;
  auto submit = [&](std::uint64_t unit) {
    reqs.push_back(std::make_unique<engine::Request>(
        unit + 1, [&](engine::Request&, engine::Errc e) {
          if (e != engine::Errc::InProgress) ++done;
        }));
    reqs.back()->bulk = engine::BulkInfo{512, unit, engine::IvKind::Plain64, 1};
    EXPECT_EQ(eng.transfer_request(*reqs.back()), engine::Errc::InProgress);
  };
  k.spawn_thread("submitter", ContextClass::Thread, 1, [&] {
    ASSERT_EQ(eng.start(), engine::Errc::Ok);
    k.sleep(us(5));
    t0 = k.now();
    submit(0);
    k.sleep(us(10));
    submit(1);  // joins the open window
    k.sleep(us(200));
    t1 = k.now();
    for (std::uint64_t u = 2; u < 6; ++u) submit(u);  // N reached: no wait
  });
  drv.on_dispatch = [&] { dispatches.emplace_back(k.now(), 0); };
  sc_core::sc_start(sc_time(1, SC_MS));
  const engine::MergeStats st = pol.stats();
  EXPECT_EQ(done, 6u);
  ASSERT_EQ(dispatches.size(), 2u);
  ASSERT_EQ(st.per_dispatch.size(), 5u);
  EXPECT_EQ(st.per_dispatch[2], 1u);  // units 0-1 after the window
  EXPECT_EQ(st.per_dispatch[4], 1u);  // units 2-5 at once
  // The window closes T after the head arrived; the pump then runs within a few us.
  EXPECT_GE(dispatches[0].first, t0 + us(50));
  EXPECT_LT(dispatches[0].first, t0 + us(60));
  EXPECT_LT(dispatches[1].first, t1 + us(10));
  EXPECT_EQ(st.holds, 1u);
}

}  // namespace
}  // namespace aesvp::kernel::testing
