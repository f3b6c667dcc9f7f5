#include "driver/kernel/completion.h"

#include "models/core/sim_time.h"

#include <algorithm>

namespace aesvp::kernel {

using sc_core::sc_time;

void Completion::complete() {
  k_.charge_cycles(k_.params().complete_cycles);
  if (waiters_ > 0) k_.charge_cycles(k_.params().wakeup_cycles);
  if (done_ != UINT_MAX) ++done_;
  done_at_ = k_.now();
  k_.notify_at_current(ev_);
}

void Completion::complete_all() {
  k_.charge_cycles(k_.params().complete_cycles);
  if (waiters_ > 0) k_.charge_cycles(k_.params().wakeup_cycles);
  done_ = UINT_MAX;
  done_at_ = k_.now();
  k_.notify_at_current(ev_);
}

bool Completion::ready() const { return done_ > 0 && sim_now() >= done_at_; }

void Completion::consume() {
  if (done_ != UINT_MAX) --done_;
}

bool Completion::try_wait_for_completion() {
  if (done_ == 0) return false;
  consume();
  return true;
}

void Completion::wait_for_completion() {
  k_.charge_cycles(k_.params().wait_for_completion_cycles);
  ExecContext* c = k_.current();
  if (c != nullptr) c->leave();
  ++waiters_;
  while (!ready()) {
    if (done_ > 0) sc_core::wait(done_at_ - sim_now());  // waker ran ahead
    else sc_core::wait(ev_);
  }
  --waiters_;
  consume();
  if (c != nullptr) c->rejoin();
}

bool Completion::wait_for_completion_timeout(const sc_time& timeout) {
  k_.charge_cycles(k_.params().wait_for_completion_cycles);
  ExecContext* c = k_.current();
  if (c != nullptr) c->sync();
  const sc_time deadline = sim_now() + timeout;
  ++waiters_;
  while (!ready()) {
    const sc_time now = sim_now();
    if (now >= deadline) break;
    if (done_ > 0) sc_core::wait(std::min(done_at_, deadline) - now);
    else sc_core::wait(deadline - now, ev_);
  }
  --waiters_;
  if (!ready()) return false;
  consume();
  return true;
}

}  // namespace aesvp::kernel
