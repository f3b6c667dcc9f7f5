#include "driver/kernel/runtime_pm.h"

#include "models/core/sim_time.h"

namespace aesvp::kernel {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

const char* to_string(RpmStatus s) {
  switch (s) {
    case RpmStatus::Active: return "active";
    case RpmStatus::Suspending: return "suspending";
    case RpmStatus::Suspended: return "suspended";
  }
  return "?";
}

RuntimePm::RuntimePm(Kernel& k, const std::string& name, unsigned core)
    : k_(k),
      name_(name),
      delay_(k.params().autosuspend_delay_ms, sc_core::SC_MS),
      timer_(name + ".autosuspend",
             [this] {
               // As rpm_suspend does: busy again since the timer was armed -> re-arm.
               const sc_time expiry = last_busy_ + delay_;
               if (expiry > sim_now()) {
                 timer_.mod_timer(expiry);
                 return;
               }
               suspend_due_ = true;
               suspend_work_.notify();  // the PM thread runs at the expiry time
             }),
      ctx_(k.spawn_thread(name + ".pm_wq", ContextClass::Thread, core, [this] { pm_thread(); })) {}

void RuntimePm::set_callbacks(std::function<int()> runtime_suspend,
                              std::function<int()> runtime_resume) {
  suspend_cb_ = std::move(runtime_suspend);
  resume_cb_ = std::move(runtime_resume);
}

void RuntimePm::pm_runtime_mark_last_busy() { last_busy_ = k_.now(); }

int RuntimePm::pm_runtime_get_sync() {
  ++usage_;
  timer_.del_timer();  // a pending autosuspend is cancelled
  // A suspend in progress finishes first (rpm_resume waits for it).
  if (status_ == RpmStatus::Suspending)
    k_.wait_event([this] { return status_ != RpmStatus::Suspending; }, status_changed_);
  if (status_ == RpmStatus::Active) {
    k_.charge_cycles(k_.params().rpm_get_cycles);
    return 0;
  }
  k_.charge_cycles(k_.params().rpm_get_cycles + k_.params().rpm_resume_cycles);
  const int rc = resume_cb_ ? resume_cb_() : 0;
  if (rc != 0) {
    --usage_;
    return rc;
  }
  status_ = RpmStatus::Active;
  ++resumes_;
  status_changed_.notify(SC_ZERO_TIME);
  return 0;
}

int RuntimePm::pm_runtime_put_autosuspend() {
  k_.charge_cycles(k_.params().rpm_put_cycles);
  pm_runtime_mark_last_busy();
  if (usage_ > 0) --usage_;
  if (usage_ == 0 && status_ == RpmStatus::Active) timer_.mod_timer(last_busy_ + delay_);
  return 0;
}

void RuntimePm::pm_thread() {
  for (;;) {
    ctx_.wait_until([this] { return suspend_due_; }, suspend_work_);
    suspend_due_ = false;
    // rpm_suspend re-checks: a get since the expiry keeps the device up.
    if (usage_ != 0 || status_ != RpmStatus::Active) continue;
    status_ = RpmStatus::Suspending;
    status_changed_.notify(SC_ZERO_TIME);
    ctx_.charge_cycles(k_.params().rpm_suspend_cycles);
    const int rc = suspend_cb_ ? suspend_cb_() : 0;
    status_ = rc == 0 ? RpmStatus::Suspended : RpmStatus::Active;
    if (rc == 0) {
      ++suspends_;
      suspended_at_ = ctx_.current_time();
    }
    status_changed_.notify(SC_ZERO_TIME);
  }
}

}  // namespace aesvp::kernel
