// Runtime PM of one device (the parts of Linux runtime PM omap-aes uses): usage count,
// pm_runtime_get_sync (resumes a suspended device in the caller's context, charging
// rpm_resume_cycles), pm_runtime_put_autosuspend (the autosuspend timer, a KernelTimer,
// expires after autosuspend_delay of inactivity and wakes the PM workqueue thread, which
// suspends the device), counters.
#pragma once

#include "driver/kernel/kernel.h"
#include "driver/kernel/timer.h"

#include <systemc>

#include <functional>
#include <string>

namespace aesvp::kernel {

enum class RpmStatus { Active, Suspending, Suspended };
const char* to_string(RpmStatus s);

class RuntimePm {
 public:
  // The device starts suspended (pm_runtime_enable on a device left in reset). The PM
  // workqueue thread (a normal thread, pm_wq) runs on `core`.
  RuntimePm(Kernel& k, const std::string& name, unsigned core = 0);

  // Driver callbacks (runtime_suspend / runtime_resume dev_pm_ops), run in the context that
  // suspends / resumes; they may do MMIO. Returning non-zero fails the transition.
  void set_callbacks(std::function<int()> runtime_suspend, std::function<int()> runtime_resume);
  // pm_runtime_set_autosuspend_delay (default KernelParams::autosuspend_delay_ms).
  void set_autosuspend_delay(const sc_core::sc_time& d) { delay_ = d; }
  const sc_core::sc_time& autosuspend_delay() const { return delay_; }

  int pm_runtime_get_sync();          // 0 or the resume callback's error
  int pm_runtime_put_autosuspend();   // mark_last_busy + put; 0
  void pm_runtime_mark_last_busy();

  RpmStatus status() const { return status_; }
  bool suspended() const { return status_ == RpmStatus::Suspended; }
  int usage_count() const { return usage_; }
  unsigned long resumes() const { return resumes_; }
  unsigned long suspends() const { return suspends_; }
  sc_core::sc_time last_busy() const { return last_busy_; }
  sc_core::sc_time suspended_at() const { return suspended_at_; }  // of the last suspend
  ExecContext& pm_context() { return ctx_; }
  const KernelTimer& autosuspend_timer() const { return timer_; }

 private:
  void pm_thread();

  Kernel& k_;
  std::string name_;
  std::function<int()> suspend_cb_, resume_cb_;
  sc_core::sc_time delay_;
  RpmStatus status_ = RpmStatus::Suspended;
  int usage_ = 0;
  bool suspend_due_ = false;  // the autosuspend timer expired; the PM thread acts on it
  sc_core::sc_time last_busy_{sc_core::SC_ZERO_TIME};
  sc_core::sc_time suspended_at_{sc_core::SC_ZERO_TIME};
  unsigned long resumes_ = 0, suspends_ = 0;
  sc_core::sc_event suspend_work_;  // queue_work(pm_wq) of the expired timer
  sc_core::sc_event status_changed_;
  KernelTimer timer_;
  ExecContext& ctx_;
};

}  // namespace aesvp::kernel
