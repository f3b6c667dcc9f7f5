// The crypto engine: request queue, backlog, pump, driver callbacks (Linux crypto_engine).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/crypto_queue.h"
#include "engine/dispatch_policy.h"
#include "engine/errc.h"
#include "engine/execution_context.h"
#include "engine/request.h"
#include "engine/stats.h"

namespace aesvp::engine {

class CryptoEngine;

/// The driver side (Linux: prepare/unprepare_crypt_hardware, the crypto_engine_op callbacks,
/// do_batch_requests). Every callback runs without the engine lock held and may call
/// CryptoEngine::finalize_request (do_one_request may finalize synchronously). Callbacks run
/// on the engine's worker context, except unprepare_request, which runs on the thread that
/// calls finalize_request.
class EngineDriver {
 public:
  virtual ~EngineDriver() = default;
  /// Idle -> busy transition, before the first request of a busy period.
  virtual Errc prepare_crypt_hardware(CryptoEngine& engine) {
    (void)engine;
    return Errc::Ok;
  }
  /// Busy -> idle transition, after the last request of a busy period finalized.
  virtual void unprepare_crypt_hardware(CryptoEngine& engine) { (void)engine; }
  /// Before do_one_request for each dispatched request.
  virtual Errc prepare_request(CryptoEngine& engine, Request& req) {
    (void)engine;
    (void)req;
    return Errc::Ok;
  }
  /// When a prepared request is finalized (or put back after NoSpc).
  virtual void unprepare_request(CryptoEngine& engine, Request& req) {
    (void)engine;
    (void)req;
  }
  /// Start the hardware on `req`. Ok (or InProgress): accepted, the driver calls
  /// finalize_request when done (possibly before returning). NoSpc with retry support:
  /// hardware queue full, the engine puts the request back and retries. Any other error: the
  /// engine finalizes the request with it.
  virtual Errc do_one_request(CryptoEngine& engine, Request& req) = 0;
  /// With EngineOptions::batch_requests: called on every exit of the pump.
  virtual Errc do_batch_requests(CryptoEngine& engine) {
    (void)engine;
    return Errc::Ok;
  }
};

/// Engine parameters (crypto_engine_alloc_init_and_set arguments and stop's bounded wait).
struct EngineOptions {
  std::string name = "engine";          ///< Linux: "<dev>-engine" kthread name
  std::size_t queue_len = 10;           ///< CRYPTO_ENGINE_MAX_QLEN
  bool retry_support = false;           ///< several requests in flight; NoSpc requeues
  bool batch_requests = false;          ///< call EngineDriver::do_batch_requests
  bool rt = false;                      ///< real-time pump; recorded for the context, not used here
  std::uint64_t stop_poll_ns = 20'000'000;  ///< stop(): wait step (20 ms)
  unsigned stop_poll_count = 500;           ///< stop(): number of wait steps
};

/// The crypto engine. Thread-safe: all public methods may be called from any thread (with a
/// thread-safe ExecutionContext). The context and the driver must outlive the engine.
class CryptoEngine {
 public:
  /// crypto_engine_alloc_init_and_set. The engine is created stopped; `policy` defaults to
  /// FifoPolicy.
  CryptoEngine(ExecutionContext& ctx, EngineDriver& driver, EngineOptions options = {},
               std::unique_ptr<DispatchPolicy> policy = nullptr);
  /// Calls exit() if it was not called; requests still queued or in flight are then dropped
  /// without completion. Waits for a pump that is running on another thread.
  ~CryptoEngine();
  CryptoEngine(const CryptoEngine&) = delete;
  CryptoEngine& operator=(const CryptoEngine&) = delete;

  /// crypto_transfer_request_to_engine: InProgress (queued), Busy (backlogged, with
  /// may_backlog), NoSpc (queue full, not queued), Shutdown (not running, not queued).
  Errc transfer_request(Request& req);
  /// crypto_finalize_request: unprepare the request, release it from the engine, call its
  /// completion with `err`, kick the pump.
  void finalize_request(Request& req, Errc err);

  /// crypto_engine_start: Ok, Busy if already running, Shutdown after exit().
  Errc start();
  /// crypto_engine_stop: waits (stop_poll_count x stop_poll_ns) for an empty queue, nothing
  /// in flight and an idle engine; Ok and stopped, or Busy and still running. From the
  /// worker context it does not wait.
  Errc stop();
  /// crypto_engine_exit: stop(); on success the engine never posts to the context again and
  /// cannot be restarted. Returns stop()'s result (Busy: nothing torn down).
  Errc exit();
  /// Teardown when the execution context can no longer run (e.g. the simulation has ended):
  /// marks the engine exited at once, without waiting; queued and in-flight requests are
  /// dropped without completion. The destructor then does not wait either.
  void abandon();

  bool running() const;
  bool busy() const;
  std::size_t queue_length() const;
  std::size_t in_flight() const;
  EngineStats stats() const;
  const EngineOptions& options() const noexcept { return opt_; }
  ExecutionContext& context() const noexcept { return ctx_; }

 private:
  struct InFlight {
    Request* req;
    bool prepared;  // prepare_request succeeded: unprepare_request is due
  };
  struct Liveness;
  /// What one pump iteration took from the queue and dispatches.
  struct Dispatch {
    Request* req = nullptr;              // what the driver gets (policy_->assemble)
    std::vector<Request*> taken;         // dequeued, in order
    std::vector<Request*> notify_now;    // backlogged and taken: told before preparation
    std::vector<Request*> notify_later;  // backlogged, moved into the queue: told after step 6
    bool prepared = false;               // prepare_request succeeded
  };

  // The pump and its steps (docs/engine.md, "The pump", steps 1-7).
  /// `kicked`: run by post_pump (clears the pending kick); false when run by a hold timer.
  void pump(bool kicked);
  /// A finished dispatch's lists go to spare_; a new one takes them (storage reuse only).
  void keep_storage_locked(Dispatch& d);
  void reuse_storage_locked(Dispatch& d);
  /// 3: asks the policy whether to hold the queue (merge window); arms the timer. True: hold.
  bool hold_locked();
  bool hardware_full_locked() const;                 // 1
  bool nothing_to_dispatch_locked() const;           // 2
  bool go_idle(std::unique_lock<std::mutex>& lk);    // 2: true if it went idle
  Dispatch take_requests_locked();                   // 3
  /// 3: cuts the policy's pick to its longest valid prefix (never empty); its length.
  std::size_t valid_pick_locked(std::vector<std::size_t>& pick) const;
  bool mark_busy_locked();                           // 4: true on idle->busy
  Errc prepare_hardware(bool first_of_busy_period);  // 4
  Errc prepare_and_start(Dispatch& d);               // 5
  bool settle(Dispatch& d, Errc err);                // 6: false = stop pumping
  bool requeue(Dispatch& d);                         // 6: NoSpc with retry support
  void run_batch();                                  // 7
  std::vector<InFlight>::iterator find_in_flight_locked(const Request& req);

  /// Finalize path shared by finalize_request and the pump's error path. With
  /// `only_in_flight`, does nothing (returns false) if the request is no longer held.
  bool finalize_impl(Request& req, Errc err, bool only_in_flight);
  bool take_kick_locked();
  void post_pump();
  bool idle_locked() const;
  void close_busy_period_locked();

  ExecutionContext& ctx_;
  EngineDriver& driver_;
  const EngineOptions opt_;
  std::unique_ptr<DispatchPolicy> policy_;
  std::shared_ptr<Liveness> live_;

  mutable std::mutex m_;
  CryptoQueue queue_;
  std::vector<InFlight> in_flight_;
  // take_requests_locked's lists and a finished dispatch's, kept for their storage: the
  // pump then allocates nothing per request.
  std::vector<std::size_t> pick_;
  std::vector<Request*> moved_;
  Dispatch spare_;
  bool running_ = false;
  bool busy_ = false;
  bool idling_ = false;        // unprepare_crypt_hardware running
  bool kick_pending_ = false;  // a pump is posted and has not started yet
  bool exited_ = false;
  bool holding_ = false;           // the policy holds the queue (merge window open)
  std::uint64_t armed_until_ = 0;  // window end a hold timer is armed for
  std::uint64_t busy_since_ = 0;
  EngineStats stats_;
};

}  // namespace aesvp::engine
