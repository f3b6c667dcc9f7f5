// struct timer_list: a one-shot kernel timer with mod_timer / del_timer semantics.
//
// The callback runs at the expiry time in timer context (like TIMER_SOFTIRQ): it must not
// sleep, charge CPU time or do MMIO; it wakes a thread, completes a completion or schedules
// a tasklet, as Linux timer callbacks do.
//
// Why not one sc_event per arming: SystemC cannot take a cancelled or superseded timed
// notification out of its timed queue, so re-arming a watchdog for every request would leave
// one dead entry per request (memory and queue time growing with the run). A KernelTimer
// keeps at most one notification in the queue and re-arms lazily: moving the expiry later (the
// common case: a watchdog or an autosuspend timer pushed back by each request) only updates
// the expiry; the pending notification fires at the old time, finds the timer not yet due
// and re-arms for the new expiry. del_timer only marks the timer inactive. Only moving an
// armed timer's expiry earlier supersedes the pending notification (one dead entry).
#pragma once

#include <systemc>

#include <functional>
#include <string>

namespace aesvp::kernel {

class KernelTimer {
 public:
  // timer_setup: `fn` runs at each expiry. Construct during elaboration or from a process.
  KernelTimer(const std::string& name, std::function<void()> fn);
  KernelTimer(const KernelTimer&) = delete;
  KernelTimer& operator=(const KernelTimer&) = delete;

  // mod_timer: (re)arms the timer to expire at absolute simulated time `expires` (a time in
  // the past or now expires one delta later). True if it was pending before.
  bool mod_timer(const sc_core::sc_time& expires);
  // del_timer: deactivates a pending timer. True if it was pending.
  bool del_timer();
  bool timer_pending() const { return pending_; }
  const sc_core::sc_time& expires() const { return expires_; }
  const std::string& name() const { return name_; }
  unsigned long expiries() const { return expiries_; }   // callbacks run so far
  unsigned long wakeups() const { return wakeups_; }     // notifications that fired

 private:
  void fire();  // SC_METHOD on ev_
  void schedule(const sc_core::sc_time& at);

  std::string name_;
  std::function<void()> fn_;
  sc_core::sc_event ev_;
  sc_core::sc_time expires_{sc_core::SC_ZERO_TIME};
  bool pending_ = false;                             // armed (timer_pending)
  bool scheduled_ = false;                           // ev_ has a notification in the queue
  sc_core::sc_time scheduled_at_{sc_core::SC_ZERO_TIME};  // ... for this time
  unsigned long expiries_ = 0, wakeups_ = 0;
};

}  // namespace aesvp::kernel
