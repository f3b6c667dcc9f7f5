// struct kthread_worker: a kernel thread (RtThread by default: the crypto engine's pump runs
// at real-time priority) on one core that runs queued work items FIFO, one at a time. It is
// the engine's execution context on the simulated CPU (engine::ExecutionContext).
#pragma once

#include "driver/kernel/kernel.h"
#include "driver/kernel/timer.h"
#include "engine/execution_context.h"

#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>

namespace aesvp::kernel {

class KthreadWorker : public engine::ExecutionContext {
 public:
  // kthread_create_worker + sched_set_fifo: the thread starts at once and sleeps until work
  // arrives.
  KthreadWorker(Kernel& k, const std::string& name, unsigned core,
                ContextClass cls = ContextClass::RtThread);

  // kthread_queue_work: queues `work`, wakes the worker if it sleeps; never runs it here.
  // The caller is charged kthread_queue_work_cycles (+ wakeup_cycles if the worker sleeps).
  void post(std::function<void()> work) override;
  // kthread_queue_delayed_work: a kernel timer queues `work` once `delay_ns` of simulated
  // time (from the caller's time) has passed; the caller is charged
  // kthread_queue_work_cycles (arming the timer). The engine's merge window needs it: without
  // it a bounded policy's hold is dropped and the pump dispatches at once.
  bool post_after(std::uint64_t delay_ns, std::function<void()> work) override;
  // spin_lock_irqsave(&engine->queue_lock) as fast mode needs it: the calling context
  // spends its local time first, so the queue changes at simulated time.
  void sync_caller() override;
  // The simulated time in ns as the calling context sees it (its local time included).
  std::uint64_t now_ns() const override;
  // Sleeps the calling context.
  void sleep_ns(std::uint64_t ns) override;
  bool in_worker() const override;

  // kthread_flush_worker: blocks the calling context until every item queued so far ran.
  void flush();

  ExecContext& context() { return ctx_; }
  unsigned long executed() const { return executed_; }
  std::size_t queued() const { return queue_.size(); }
  bool idle() const { return sleeping_; }

 private:
  struct Item {
    std::function<void()> fn;
    sc_core::sc_time at;  // the poster's time
  };
  void run();
  void push(std::function<void()> work, const sc_core::sc_time& at);  // queue + wake
  void delayed_due();  // timer callback: queue the delayed work that is due, re-arm

  Kernel& k_;
  std::deque<Item> queue_;
  std::multimap<sc_core::sc_time, std::function<void()>> delayed_;  // by expiry
  bool sleeping_ = true;
  bool busy_ = false;
  unsigned long executed_ = 0;
  unsigned long posted_ = 0;
  sc_core::sc_event kick_;
  sc_core::sc_event done_;
  unsigned flushers_ = 0;  // contexts in flush() (done_ is notified only for them)
  ExecContext& ctx_;
  KernelTimer delayed_timer_;  // one timer for all delayed work (earliest expiry)
};

}  // namespace aesvp::kernel
