// ExecutionContext on a real std::thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "engine/execution_context.h"

namespace aesvp::engine {

/// Worker thread with a FIFO of work items. now_ns() is the host steady clock measured from
/// construction; sleep_ns() sleeps the calling thread. The destructor runs the work still
/// queued, then joins the thread.
class HostContext final : public ExecutionContext {
 public:
  explicit HostContext(std::string name = "engine");
  ~HostContext() override;
  HostContext(const HostContext&) = delete;
  HostContext& operator=(const HostContext&) = delete;

  void post(std::function<void()> work) override;
  /// Queues `work` once the steady clock passed now + delay_ns (the worker waits for it;
  /// work still waiting at destruction is dropped).
  bool post_after(std::uint64_t delay_ns, std::function<void()> work) override;
  std::uint64_t now_ns() const override;
  void sleep_ns(std::uint64_t ns) override;
  bool in_worker() const override;

  /// Blocks until the queue is empty and no item is running (must not be called from the
  /// worker). Test and benchmark helper.
  void drain();
  const std::string& name() const noexcept { return name_; }

 private:
  void run();
  void release_due_timers_locked();  // moves due delayed work to the queue

  std::string name_;
  std::chrono::steady_clock::time_point t0_;
  mutable std::mutex m_;
  std::condition_variable cv_;       // work arrived / stop requested
  std::condition_variable idle_cv_;  // queue drained
  std::deque<std::function<void()>> q_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timed_;
  bool running_item_ = false;
  bool waiting_ = false;  // worker blocked on cv_: post() must wake it
  bool stop_ = false;
  std::thread thread_;  // last: started after everything above is initialised
};

}  // namespace aesvp::engine
