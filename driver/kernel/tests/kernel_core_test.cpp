// Contexts, kthread worker, IRQ layer, tasklets, completions, MMIO faults.
#include "driver/kernel/completion.h"
#include "driver/kernel/kernel.h"
#include "driver/kernel/kthread_worker.h"
#include "driver/kernel/tests/kernel_test_support.h"
#include "models/aes/omap_aes_regs.h"
#include "models/intc/gic_regs.h"
#include "models/platform/omap4_map.h"

#include <gtest/gtest.h>

#include <vector>

namespace aesvp::kernel::testing {
namespace {

class WorkerTest : public ::testing::TestWithParam<const char*> {};

// Posted work runs FIFO, one item at a time, in the worker's RtThread context on its core;
// simulated time advances by exactly the configured costs.
TEST_P(WorkerTest, RunsPostedWorkFifoAndChargesCosts) {
  Bench b(GetParam());
  Kernel& k = b.k();
  KthreadWorker worker(k, "crypto_engine", 0);
  const double work_cycles = 1000;
  struct Run {
    int id;
    ContextClass cls;
    unsigned core;
    sc_time start, end;
    bool in_worker;
    std::uint64_t now_ns;
  };
  std::vector<Run> runs;
  bool poster_in_worker = true;
  int concurrent = 0, max_concurrent = 0;
  k.spawn_thread("poster", ContextClass::Thread, 1, [&] {
    for (int i = 0; i < 3; ++i) {
      worker.post([&, i] {
        ++concurrent;
        max_concurrent = std::max(max_concurrent, concurrent);
        ExecContext* c = k.current();
        Run r{i, c->context_class(), c->core(), k.now(), {}, worker.in_worker(), worker.now_ns()};
        c->charge_cycles(work_cycles);
        r.end = k.now();
        runs.push_back(r);
        --concurrent;
      });
    }
    poster_in_worker = worker.in_worker();
    worker.flush();
  });
  sc_core::sc_start(us(100));

  ASSERT_EQ(runs.size(), 3u);
  EXPECT_FALSE(poster_in_worker);
  EXPECT_EQ(max_concurrent, 1);
  EXPECT_EQ(worker.executed(), 3u);
  const KernelParams& p = b.kp();
  // The first post wakes the sleeping worker; the others find it running.
  sc_time expect = b.cyc(p.kthread_queue_work_cycles + p.wakeup_cycles);
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(runs[i].id, i);
    EXPECT_EQ(runs[i].cls, ContextClass::RtThread);
    EXPECT_EQ(runs[i].core, 0u);
    EXPECT_TRUE(runs[i].in_worker);
    expect += b.cyc(p.kthread_work_dispatch_cycles);
    EXPECT_EQ(runs[i].start, expect);
    EXPECT_EQ(runs[i].now_ns, static_cast<std::uint64_t>(expect / ns(1) + 0.5));
    expect += b.cyc(work_cycles);
    EXPECT_EQ(runs[i].end, expect);
  }
  // Busy time of the worker: dispatch + work per item, nothing else.
  EXPECT_EQ(worker.context().busy_time(),
            3 * b.cyc(p.kthread_work_dispatch_cycles + work_cycles));
}

INSTANTIATE_TEST_SUITE_P(Modes, WorkerTest, ::testing::Values("accurate", "fast"));

TEST(KernelTest, PostNeverRunsWorkSynchronously) {
  Bench b;
  Kernel& k = b.k();
  KthreadWorker worker(k, "w", 0);
  bool ran = false, ran_inside_post = true;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    worker.post([&] { ran = true; });
    ran_inside_post = ran;
  });
  sc_core::sc_start(us(10));
  EXPECT_FALSE(ran_inside_post);
  EXPECT_TRUE(ran);
}

TEST(KernelTest, CurrentIsTheSpawnedContextAndNullElsewhere) {
  Bench b;
  Kernel& k = b.k();
  ExecContext* seen = nullptr;
  ExecContext& t = k.spawn_thread("t", ContextClass::Thread, 1, [&] { seen = k.current(); });
  bool outside_null = false;
  sc_core::sc_spawn([&] { outside_null = k.current() == nullptr; }, "plain");
  EXPECT_EQ(k.current(), nullptr);
  sc_core::sc_start(us(1));
  EXPECT_EQ(seen, &t);
  EXPECT_TRUE(outside_null);
}

constexpr unsigned kTestSpi = 100;  // an SPI no device drives; raised through GICD_ISPENDR

// An IRQ registered with request_irq reaches its handler through the GIC (acknowledge, EOI);
// a tasklet scheduled twice from the handler runs once, in SoftIrq context on that core,
// after the hard IRQ returned.
TEST(KernelTest, IrqThroughGicSchedulesTaskletOnce) {
  Bench b;
  Kernel& k = b.k();
  const unsigned id = gic::kSpiBase + kTestSpi;
  sc_time handler_start, handler_end, tasklet_start;
  ContextClass handler_cls = ContextClass::Thread, tasklet_cls = ContextClass::Thread;
  unsigned handler_core = 9, tasklet_core = 9;
  bool tasklet_sees_handler_done = false;
  bool in_handler = false;
  Tasklet t(k, "done_task", [&] {
    tasklet_cls = k.current()->context_class();
    tasklet_core = k.current()->core();
    tasklet_start = k.now();
    tasklet_sees_handler_done = !in_handler;
  });
  int rc = -1;
  k.spawn_thread("probe", ContextClass::Thread, 0, [&] {
    rc = k.request_irq(id, [&](unsigned irq) {
      in_handler = true;
      handler_start = k.now();
      handler_cls = k.current()->context_class();
      handler_core = k.current()->core();
      EXPECT_EQ(irq, id);
      t.schedule();
      t.schedule();  // already scheduled: no second run
      handler_end = k.now();
      in_handler = false;
      return IrqReturn::Handled;
    }, "test-irq", 0);
    EXPECT_EQ(k.request_irq(id, [](unsigned) { return IrqReturn::Handled; }, "again"), -kEBUSY);
    // Raise the interrupt: software-set pending in the distributor.
    k.writel(1u << (id % 32), omap4::kGicDistBase + gic::GICD_ISPENDR + 4 * (id / 32));
  });
  sc_core::sc_start(us(20));

  EXPECT_EQ(rc, 0);
  EXPECT_EQ(k.irq_count(id), 1u);
  EXPECT_EQ(k.spurious_irqs(), 0u);
  EXPECT_EQ(k.unhandled_irqs(), 0u);
  EXPECT_EQ(b.platform->gic.acknowledged(), 1u);
  EXPECT_FALSE(b.platform->gic.active(id));   // EOI written
  EXPECT_FALSE(b.platform->gic.pending(id));
  EXPECT_EQ(handler_cls, ContextClass::HardIrq);
  EXPECT_EQ(handler_core, 0u);
  EXPECT_EQ(t.runs(), 1u);
  EXPECT_EQ(t.schedules(), 2u);
  EXPECT_EQ(tasklet_cls, ContextClass::SoftIrq);
  EXPECT_EQ(tasklet_core, 0u);
  EXPECT_TRUE(tasklet_sees_handler_done);
  // After the handler: the EOI write and irq exit lie between them, then softirq entry and
  // the tasklet dispatch.
  EXPECT_GE(tasklet_start,
            handler_end + b.cyc(b.params.cpu.irq_exit_cycles + b.kp().softirq_entry_cycles +
                                b.kp().tasklet_dispatch_cycles));
  EXPECT_GT(handler_start, SC_ZERO_TIME);
}

// irq_exit -> invoke_softirq: a tasklet scheduled by a hard IRQ handler starts when the core
// has left the hard-IRQ context, also in fast mode, where the handler runs ahead of
// simulated time (the softirq must not start from the handler's scheduling time).
class IrqExitTest : public ::testing::TestWithParam<const char*> {};

TEST_P(IrqExitTest, TaskletFromAHardIrqStartsWhenTheIrqIsLeft) {
  Bench b(GetParam());
  Kernel& k = b.k();
  const unsigned id = gic::kSpiBase + kTestSpi;
  sc_time hardirq_end, tasklet_start;
  b.platform->cpu.set_run_observer([&](const ExecContext& c, const sc_time&, const sc_time& end) {
    if (c.context_class() == ContextClass::HardIrq) hardirq_end = end;
  });
  Tasklet t(k, "done_task", [&] { tasklet_start = k.now(); });
  k.spawn_thread("probe", ContextClass::Thread, 0, [&] {
    k.request_irq(id, [&](unsigned) {
      k.current()->charge_cycles(2000);  // a long handler: the tasklet would start inside it
      t.schedule();
      k.current()->charge_cycles(2000);
      return IrqReturn::Handled;
    }, "test-irq", 0);
    k.writel(1u << (id % 32), omap4::kGicDistBase + gic::GICD_ISPENDR + 4 * (id / 32));
  });
  sc_core::sc_start(us(50));
  ASSERT_EQ(t.runs(), 1u);
  ASSERT_GT(hardirq_end, SC_ZERO_TIME);
  EXPECT_EQ(tasklet_start,
            hardirq_end + b.cyc(b.kp().softirq_entry_cycles + b.kp().tasklet_dispatch_cycles));
}

INSTANTIATE_TEST_SUITE_P(Modes, IrqExitTest, ::testing::Values("accurate", "fast"));

// wake_up_process from interrupt context: kthread work queued by a softirq of the worker's
// own core starts once the softirq has given the core up, in both modes (the wake-up is
// held back until then: it must be neither lost nor early).
TEST_P(IrqExitTest, WorkQueuedBySoftirqStartsWhenTheCoreIsFree) {
  Bench b(GetParam());
  Kernel& k = b.k();
  KthreadWorker worker(k, "crypto_engine", 0);
  sc_time softirq_end, work_start;
  b.platform->cpu.set_run_observer([&](const ExecContext& c, const sc_time&, const sc_time& end) {
    if (c.context_class() == ContextClass::SoftIrq) softirq_end = end;
  });
  Tasklet t(k, "done_task", [&] {
    k.current()->charge_cycles(2000);
    worker.post([&] { work_start = k.now(); });
    k.current()->charge_cycles(2000);  // the worker cannot run meanwhile
  });
  k.spawn_thread("probe", ContextClass::Thread, 0, [&] { t.schedule(); });
  sc_core::sc_start(us(50));
  ASSERT_EQ(t.runs(), 1u);
  ASSERT_GT(work_start, SC_ZERO_TIME);
  EXPECT_GE(work_start, softirq_end + b.cyc(b.kp().kthread_work_dispatch_cycles));
}

// An enabled line nobody registered: acknowledged, ended, counted, masked (with a warning).
TEST(KernelTest, IrqWithoutHandlerIsMasked) {
  Bench b;
  Kernel& k = b.k();
  const unsigned id = gic::kSpiBase + kTestSpi;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    k.irq_init();
    k.enable_irq(id);
    k.writel(1u << (id % 32), omap4::kGicDistBase + gic::GICD_ISPENDR + 4 * (id / 32));
  });
  sc_core::sc_start(us(20));
  EXPECT_EQ(aesvp::testing::take_reports("aesvp/kernel").size(), 1u);
  EXPECT_EQ(k.unhandled_irqs(), 1u);
  EXPECT_FALSE(b.platform->gic.enabled(id));
  EXPECT_FALSE(b.platform->gic.active(id));
}

TEST(KernelTest, TaskletRescheduledWhileRunningRunsAgainNotConcurrently) {
  Bench b;
  Kernel& k = b.k();
  int runs = 0, concurrent = 0, max_concurrent = 0;
  std::vector<unsigned> cores;
  Tasklet t(k, "t", [&] {
    ++concurrent;
    max_concurrent = std::max(max_concurrent, concurrent);
    ++runs;
    cores.push_back(k.current()->core());
    k.current()->charge_cycles(500);
    --concurrent;
  });
  k.spawn_thread("a", ContextClass::Thread, 0, [&] { t.schedule(); });
  k.spawn_thread("b", ContextClass::Thread, 1, [&] {
    k.current()->charge_cycles(300);  // while the tasklet runs on core 0
    t.schedule();
  });
  sc_core::sc_start(us(20));
  // Scheduled again on core 1 while running on core 0: a second run, on core 1, after the
  // first one finished.
  EXPECT_EQ(max_concurrent, 1);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(cores, (std::vector<unsigned>{0, 1}));
  EXPECT_FALSE(t.scheduled());
}

TEST(KernelTest, CompletionWakesWaiterAtCompleterTime) {
  Bench b;
  Kernel& k = b.k();
  Completion done(k);
  sc_time woke, completed_at;
  k.spawn_thread("waiter", ContextClass::Thread, 0, [&] {
    done.wait_for_completion();
    woke = k.now();
  });
  k.spawn_thread("completer", ContextClass::Thread, 1, [&] {
    k.sleep(us(5));
    done.complete();
    completed_at = k.now();
  });
  sc_core::sc_start(us(20));
  const KernelParams& p = b.kp();
  EXPECT_EQ(completed_at, us(5) + b.cyc(p.complete_cycles + p.wakeup_cycles));
  EXPECT_EQ(woke, completed_at);
  EXPECT_FALSE(done.completion_done());  // consumed by the waiter
}

TEST(KernelTest, CompletionTimeout) {
  Bench b;
  Kernel& k = b.k();
  Completion done(k);
  bool got = true, got_later = false;
  sc_time after;
  k.spawn_thread("waiter", ContextClass::Thread, 0, [&] {
    got = done.wait_for_completion_timeout(us(2));
    after = k.now();
    got_later = done.wait_for_completion_timeout(us(100));
  });
  k.spawn_thread("completer", ContextClass::Thread, 1, [&] {
    k.sleep(us(10));
    done.complete();
  });
  sc_core::sc_start(us(50));
  EXPECT_FALSE(got);
  EXPECT_EQ(after, b.cyc(b.kp().wait_for_completion_cycles) + us(2));
  EXPECT_TRUE(got_later);
}

TEST(KernelTest, MmioBusErrorIsCountedAndReadsAllOnes) {
  Bench b;
  Kernel& k = b.k();
  std::uint32_t v = 0;
  bool fault = false;
  const std::uint64_t addr = b.platform->aes_resources(0).base + 0x80;  // REVISION
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    // (Injected from a process: the interconnect's sockets are bound at the end of
    // elaboration.)
    b.platform->bus.inject_bus_error(addr, 4);
    v = k.readl(addr);
    fault = k.take_mmio_fault();
  });
  sc_core::sc_start(us(1));
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_TRUE(fault);
  EXPECT_EQ(k.mmio_faults(), 1u);
  EXPECT_EQ(k.last_fault_address(), addr);
  EXPECT_FALSE(k.take_mmio_fault());
}

// Fast mode: writel_config and writel_ack are made (the value is stored, the access counted)
// without synchronising the context - it is still running ahead afterwards - while writel
// consumes the local time first (docs/cpu-intc-model.md "Which writes synchronise").
TEST(KernelTest, ConfigAndAckWritesDoNotSynchroniseInFastMode) {
  Bench b("fast");
  Kernel& k = b.k();
  Cpu& cpu = b.platform->cpu;
  const std::uint64_t aes = b.platform->aes_resources(0).base;
  sc_time ahead_after_config, ahead_after_ack, ahead_after_writel, now_after_ack;
  std::uint32_t iv = 0;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    k.charge_cycles(500);
    k.writel_config(0x01234567, aes + omap_aes::iv_in(0));
    ahead_after_config = k.current()->local_time();
    k.writel_ack(0, aes + omap_aes::kIrqStatus);
    ahead_after_ack = k.current()->local_time();
    now_after_ack = sc_core::sc_time_stamp();
    iv = k.readl(aes + omap_aes::iv_in(0));
    k.writel(0x01234567, aes + omap_aes::iv_in(1));
    ahead_after_writel = k.current()->local_time();
    k.current()->sync();
  });
  sc_core::sc_start(us(10));
  EXPECT_EQ(iv, 0x01234567u);
  EXPECT_EQ(now_after_ack, SC_ZERO_TIME);
  EXPECT_GT(ahead_after_config, b.cyc(500));  // the charge plus the access's latency
  EXPECT_GT(ahead_after_ack, ahead_after_config);
  EXPECT_LT(ahead_after_writel, ahead_after_config);  // only the latency of the last write
  EXPECT_EQ(cpu.decoupled_writes(0), 2u);
  EXPECT_EQ(cpu.synchronised_writes(0), 1u);
}

TEST(KernelTest, ReadlPollTimeout) {
  Bench b;
  Kernel& k = b.k();
  int ok = 1, timed_out = 0;
  std::uint32_t v = 0;
  sc_time t0, t1;
  const std::uint64_t rev = b.platform->aes_resources(0).base + 0x80;
  k.spawn_thread("t", ContextClass::Thread, 0, [&] {
    ok = k.readl_poll_timeout(rev, v, [](std::uint32_t) { return true; }, 1, 100);
    t0 = k.now();
    timed_out = k.readl_poll_timeout(rev, v, [](std::uint32_t) { return false; }, 1, 10);
    t1 = k.now();
  });
  sc_core::sc_start(us(100));
  EXPECT_EQ(ok, 0);
  EXPECT_EQ(timed_out, -kETIMEDOUT);
  EXPECT_GE(t1 - t0, us(10));
  EXPECT_LT(t1 - t0, us(13));
}

}  // namespace
}  // namespace aesvp::kernel::testing
