// Deterministic ExecutionContext for unit tests: nothing runs until the test steps it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>

#include "engine/execution_context.h"

namespace aesvp::engine {

/// Single-threaded stepper. post() only queues; run_one()/run_all() run queued work in FIFO
/// order on the calling thread (in_worker() is true meanwhile). The virtual clock moves only
/// through advance_ns() and sleep_ns(); sleep_ns() first runs all queued work (what the
/// worker would do while the caller sleeps), then advances the clock.
/// Not thread-safe: use it from one thread only.
class StepContext final : public ExecutionContext {
 public:
  StepContext() = default;

  void post(std::function<void()> work) override;
  /// Queues `work` when the virtual clock reaches now + delay_ns (advance_ns / sleep_ns).
  bool post_after(std::uint64_t delay_ns, std::function<void()> work) override;
  std::uint64_t now_ns() const override { return now_; }
  void sleep_ns(std::uint64_t ns) override;
  bool in_worker() const override { return depth_ > 0; }

  /// Runs the oldest queued item; false if there was none.
  bool run_one();
  /// Runs queued items (including ones they post) until none is left or `max_items` ran.
  /// Returns the number run.
  std::size_t run_all(std::size_t max_items = std::numeric_limits<std::size_t>::max());
  /// Moves the clock; delayed work that falls due is queued, in due-time order.
  void advance_ns(std::uint64_t ns);
  std::size_t pending() const noexcept { return q_.size(); }
  std::size_t timers() const noexcept { return timed_.size(); }
  std::uint64_t posted_total() const noexcept { return posted_; }

 private:
  std::deque<std::function<void()>> q_;
  std::multimap<std::uint64_t, std::function<void()>> timed_;  // due time -> work
  std::uint64_t now_ = 0;
  std::uint64_t posted_ = 0;
  int depth_ = 0;
};

}  // namespace aesvp::engine
