// The context the engine's pump runs on. The engine core only knows this interface.
#pragma once

#include <cstdint>
#include <functional>

namespace aesvp::engine {

/// Abstract worker context (the Linux kthread worker).
///
/// Contract for implementations:
///  - post(): queue `work` to run later on the worker, in FIFO order, one item at a time
///    (never concurrently with another item). Callable from any thread and from inside work.
///    It must not run `work` synchronously inside post().
///  - now_ns(): the time as this context sees it (host steady clock, virtual or simulated).
///  - sleep_ns(): block the *calling* context for `ns` of this context's time. Used by
///    CryptoEngine::stop() (never called from the worker itself).
///  - in_worker(): true when the caller is running on the worker.
///  - post_after(): optional (a kernel timer that queues work): queue `work` on the worker
///    once `delay_ns` of this context's time has passed; false if not supported.
///  - sync_caller(): optional; called by the engine, in the calling context, before that
///    context changes the engine's queue or in-flight set (what Linux guards with
///    engine->queue_lock). A context whose time runs ahead of simulated time (temporal
///    decoupling) must catch up here, or the worker, woken for other work, would see the
///    change before the time it happens at. Default: nothing (host time has no run-ahead).
class ExecutionContext {
 public:
  virtual ~ExecutionContext() = default;
  virtual void post(std::function<void()> work) = 0;
  virtual bool post_after(std::uint64_t delay_ns, std::function<void()> work) {
    (void)delay_ns;
    (void)work;
    return false;
  }
  virtual void sync_caller() {}
  virtual std::uint64_t now_ns() const = 0;
  virtual void sleep_ns(std::uint64_t ns) = 0;
  virtual bool in_worker() const = 0;
};

}  // namespace aesvp::engine
