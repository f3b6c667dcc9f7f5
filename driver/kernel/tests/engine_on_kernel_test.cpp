// The crypto engine running on the simulated CPU: its pump in a KthreadWorker (RtThread),
// the driver's "hardware" completion in a tasklet that finalizes the request.
#include "driver/kernel/completion.h"
#include "driver/kernel/kthread_worker.h"
#include "driver/kernel/tests/kernel_test_support.h"
#include "engine/crypto_engine.h"

#include <gtest/gtest.h>

#include <deque>
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
  engine::Errc do_one_request(engine::CryptoEngine&, engine::Request& req) override {
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

}  // namespace
}  // namespace aesvp::kernel::testing
