// struct kthread_worker: a kernel thread (RtThread by default: the crypto engine's pump runs
// at real-time priority) on one core that runs queued work items FIFO, one at a time. It is
// the engine's execution context on the simulated CPU (engine::ExecutionContext).
#pragma once

#include "driver/kernel/kernel.h"
#include "engine/execution_context.h"

#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
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

  Kernel& k_;
  std::deque<Item> queue_;
  bool sleeping_ = true;
  bool busy_ = false;
  unsigned long executed_ = 0;
  unsigned long posted_ = 0;
  sc_core::sc_event kick_;
  sc_core::sc_event done_;
  ExecContext& ctx_;
};

}  // namespace aesvp::kernel
