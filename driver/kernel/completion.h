// struct completion: a thread sleeps until another context signals. complete() may be called
// from any context (hard IRQ, tasklet, thread) and charges complete_cycles (+ wakeup_cycles
// when a waiter sleeps) to the caller; the waiter is charged wait_for_completion_cycles.
#pragma once

#include "driver/kernel/kernel.h"

#include <systemc>

#include <climits>

namespace aesvp::kernel {

class Completion {
 public:
  explicit Completion(Kernel& k) : k_(k) {}
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  void complete();      // one waiter (or the next wait) proceeds
  void complete_all();  // every waiter, now and later, until reinit
  void reinit() { done_ = 0; }  // reinit_completion

  void wait_for_completion();
  // wait_for_completion_timeout: true if completed, false after `timeout`.
  bool wait_for_completion_timeout(const sc_core::sc_time& timeout);
  bool try_wait_for_completion();
  bool completion_done() const { return done_ > 0; }
  unsigned waiters() const { return waiters_; }

 private:
  bool ready() const;
  void consume();

  Kernel& k_;
  unsigned done_ = 0;
  unsigned waiters_ = 0;
  sc_core::sc_time done_at_{sc_core::SC_ZERO_TIME};  // time of the latest complete()
  sc_core::sc_event ev_;
};

}  // namespace aesvp::kernel
