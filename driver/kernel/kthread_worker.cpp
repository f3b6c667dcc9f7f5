#include "driver/kernel/kthread_worker.h"

#include "models/core/sim_time.h"

#include <cmath>

namespace aesvp::kernel {

using sc_core::sc_time;

KthreadWorker::KthreadWorker(Kernel& k, const std::string& name, unsigned core,
                             ContextClass cls)
    : k_(k),
      ctx_(k.spawn_thread(name, cls, core, [this] { run(); })),
      delayed_timer_(name + "_delayed", [this] { delayed_due(); }) {}

void KthreadWorker::post(std::function<void()> work) {
  k_.charge_cycles(k_.params().kthread_queue_work_cycles);
  push(std::move(work), k_.now());
}

void KthreadWorker::push(std::function<void()> work, const sc_time& at) {
  if (sleeping_) {
    // wake_up_process: this item is the reason the worker runs again (charged to the
    // current context; a timer callback has none).
    k_.charge_cycles(k_.params().wakeup_cycles);
    sleeping_ = false;
  }
  queue_.push_back({std::move(work), at});
  ++posted_;
  k_.wake_on_core(kick_, ctx_.core());
}

bool KthreadWorker::post_after(std::uint64_t delay_ns, std::function<void()> work) {
  k_.charge_cycles(k_.params().kthread_queue_work_cycles);
  const sc_time at = k_.now() + sc_time(static_cast<double>(delay_ns), sc_core::SC_NS);
  delayed_.emplace(at, std::move(work));
  if (!delayed_timer_.timer_pending() || at < delayed_timer_.expires())
    delayed_timer_.mod_timer(at);
  return true;
}

void KthreadWorker::delayed_due() {
  const sc_time now = sim_now();
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    push(std::move(delayed_.begin()->second), now);
    delayed_.erase(delayed_.begin());
  }
  if (!delayed_.empty()) delayed_timer_.mod_timer(delayed_.begin()->first);
}

void KthreadWorker::sync_caller() {
  if (ExecContext* c = k_.current()) c->sync_shared();
}

std::uint64_t KthreadWorker::now_ns() const {
  return static_cast<std::uint64_t>(std::llround(k_.now() / sc_time(1, sc_core::SC_NS)));
}

void KthreadWorker::sleep_ns(std::uint64_t ns) {
  k_.sleep(sc_time(static_cast<double>(ns), sc_core::SC_NS));
}

bool KthreadWorker::in_worker() const { return k_.current() == &ctx_; }

void KthreadWorker::flush() {
  const unsigned long target = posted_;
  ++flushers_;
  k_.wait_event([this, target] { return executed_ >= target; }, done_);
  --flushers_;
}

void KthreadWorker::run() {
  for (;;) {
    if (queue_.empty()) {
      sleeping_ = true;
      ctx_.wait_until([this] { return !queue_.empty(); }, kick_);
    }
    sleeping_ = false;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    // An item posted by a context running ahead (fast mode) starts at the poster's time.
    if (ctx_.current_time() < item.at) ctx_.sleep(item.at - ctx_.current_time());
    ctx_.charge_cycles(k_.params().kthread_work_dispatch_cycles);
    busy_ = true;
    item.fn();
    busy_ = false;
    ++executed_;
    if (flushers_ > 0) done_.notify(sc_core::SC_ZERO_TIME);
  }
}

}  // namespace aesvp::kernel
