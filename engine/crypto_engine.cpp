#include "engine/crypto_engine.h"

#include <algorithm>
#include <utility>

namespace aesvp::engine {

// Posted pump work holds a reference to this, never to the engine directly: the destructor
// clears `engine` under `m`, so work that runs later does nothing, and a pump that is running
// when the engine is destroyed finishes before the destructor returns.
struct CryptoEngine::Liveness {
  std::mutex m;
  CryptoEngine* engine;
};

CryptoEngine::CryptoEngine(ExecutionContext& ctx, EngineDriver& driver, EngineOptions options,
                           std::unique_ptr<DispatchPolicy> policy)
    : ctx_(ctx),
      driver_(driver),
      opt_(std::move(options)),
      policy_(policy ? std::move(policy) : std::make_unique<FifoPolicy>()),
      live_(std::make_shared<Liveness>()),
      queue_(opt_.queue_len) {
  live_->engine = this;
}

CryptoEngine::~CryptoEngine() {
  bool exited;
  {
    std::lock_guard<std::mutex> lk(m_);
    exited = exited_;
  }
  if (!exited) exit();
  {
    std::lock_guard<std::mutex> lk(m_);
    exited_ = true;  // forced if exit() failed: queued and in-flight requests are dropped
  }
  std::lock_guard<std::mutex> lk(live_->m);
  live_->engine = nullptr;
}

Errc CryptoEngine::transfer_request(Request& req) {
  bool post = false;
  Errc err;
  ctx_.sync_caller();  // the request joins the queue at the caller's time
  {
    std::lock_guard<std::mutex> lk(m_);
    if (!running_) {
      ++stats_.rejected_shutdown;
      return Errc::Shutdown;
    }
    err = queue_.enqueue(req);
    if (err == Errc::NoSpc) {
      ++stats_.rejected_full;
      return err;
    }
    ++stats_.submitted;
    if (err == Errc::Busy) ++stats_.backlogged;
    stats_.queue_high_water = std::max(stats_.queue_high_water, queue_.size());
    // A pump holding the queue for a merge window re-evaluates on every arrival.
    if (!busy_ || holding_) post = take_kick_locked();
  }
  if (post) post_pump();
  return err;
}

void CryptoEngine::finalize_request(Request& req, Errc err) { finalize_impl(req, err, false); }

bool CryptoEngine::finalize_impl(Request& req, Errc err, bool only_in_flight) {
  bool prepared = false;
  ctx_.sync_caller();  // the hardware slot frees at the caller's time
  {
    std::lock_guard<std::mutex> lk(m_);
    auto it = find_in_flight_locked(req);
    if (it == in_flight_.end()) {
      if (only_in_flight) return false;
    } else {
      prepared = it->prepared;
    }
  }
  // Linux order: unprepare, release ("cur_req = NULL"), complete, kick.
  if (prepared) driver_.unprepare_request(*this, req);
  bool post;
  {
    std::lock_guard<std::mutex> lk(m_);
    auto it = find_in_flight_locked(req);
    if (it != in_flight_.end()) in_flight_.erase(it);
    if (err == Errc::Ok) {
      ++stats_.completed;
    } else {
      ++stats_.failed;
    }
    post = take_kick_locked();
  }
  req.notify(err);
  if (post) post_pump();
  return true;
}

Errc CryptoEngine::start() {
  {
    std::lock_guard<std::mutex> lk(m_);
    if (exited_) return Errc::Shutdown;
    if (running_) return Errc::Busy;
    running_ = true;
    busy_ = false;
    if (!take_kick_locked()) return Errc::Ok;
  }
  post_pump();
  return Errc::Ok;
}

Errc CryptoEngine::stop() {
  std::unique_lock<std::mutex> lk(m_);
  if (exited_) return Errc::Ok;
  // Waiting on the worker would block the pump that has to drain the queue.
  if (!ctx_.in_worker()) {
    unsigned limit = opt_.stop_poll_count;
    while (!idle_locked() && limit > 0) {
      --limit;
      lk.unlock();
      ctx_.sleep_ns(opt_.stop_poll_ns);
      lk.lock();
    }
  }
  if (!idle_locked()) return Errc::Busy;
  running_ = false;
  return Errc::Ok;
}

Errc CryptoEngine::exit() {
  Errc err = stop();
  if (err != Errc::Ok) return err;
  std::lock_guard<std::mutex> lk(m_);
  exited_ = true;
  return Errc::Ok;
}

void CryptoEngine::abandon() {
  std::lock_guard<std::mutex> lk(m_);
  running_ = false;
  exited_ = true;
}

bool CryptoEngine::running() const {
  std::lock_guard<std::mutex> lk(m_);
  return running_;
}

bool CryptoEngine::busy() const {
  std::lock_guard<std::mutex> lk(m_);
  return busy_;
}

std::size_t CryptoEngine::queue_length() const {
  std::lock_guard<std::mutex> lk(m_);
  return queue_.size();
}

std::size_t CryptoEngine::in_flight() const {
  std::lock_guard<std::mutex> lk(m_);
  return in_flight_.size();
}

EngineStats CryptoEngine::stats() const {
  std::lock_guard<std::mutex> lk(m_);
  EngineStats s = stats_;
  if (busy_) s.busy_ns += ctx_.now_ns() - busy_since_;
  return s;
}

bool CryptoEngine::take_kick_locked() {
  if (kick_pending_ || exited_) return false;
  kick_pending_ = true;
  return true;
}

void CryptoEngine::post_pump() {
  ctx_.post([live = live_] {
    std::lock_guard<std::mutex> lk(live->m);
    if (live->engine) live->engine->pump(true);
  });
}

bool CryptoEngine::idle_locked() const {
  return queue_.empty() && in_flight_.empty() && !busy_ && !idling_;
}

void CryptoEngine::close_busy_period_locked() {
  stats_.busy_ns += ctx_.now_ns() - busy_since_;
  busy_ = false;
  ++stats_.busy_to_idle;
}

bool CryptoEngine::hold_locked() {
  const std::uint64_t now = ctx_.now_ns();
  const std::uint64_t until = policy_->hold(queue_, now);
  if (until == DispatchPolicy::kNoHold || until <= now) {
    holding_ = false;
    return false;
  }
  if (armed_until_ != until) {
    // Re-run the pump when the window closes; without delayed work there is no hold.
    const bool armed = ctx_.post_after(until - now, [live = live_] {
      std::lock_guard<std::mutex> lk(live->m);
      if (live->engine) live->engine->pump(false);
    });
    if (!armed) {
      holding_ = false;
      return false;
    }
    armed_until_ = until;
  }
  holding_ = true;
  return true;
}

// The pump, as docs/engine.md "The pump" numbers its steps. Each step is one function; pump()
// only sequences them. Steps 1-3 run under the lock, 4-6 outside it (driver callbacks and
// completions never run with the lock held).
void CryptoEngine::pump(bool kicked) {
  std::unique_lock<std::mutex> lk(m_);
  if (kicked) kick_pending_ = false;
  if (exited_) return;
  ++stats_.pump_runs;

  for (;;) {
    if (hardware_full_locked()) break;           // 1
    if (nothing_to_dispatch_locked()) {          // 2
      if (!go_idle(lk)) break;
      continue;  // requests may have arrived while the hardware was unprepared
    }
    if (hold_locked()) break;                    // 3: a merge window holds the queue
    Dispatch d = take_requests_locked();         // 3
    const bool first_of_busy_period = mark_busy_locked();
    lk.unlock();
    for (Request* r : d.notify_now) r->notify(Errc::InProgress);
    Errc err = prepare_hardware(first_of_busy_period);  // 4
    if (err == Errc::Ok) err = prepare_and_start(d);    // 5
    const bool more = settle(d, err);                   // 6
    lk.lock();
    keep_storage_locked(d);
    if (!more) break;
  }
  lk.unlock();
  run_batch();                                   // 7
}

bool CryptoEngine::hardware_full_locked() const {
  // One request at a time unless the hardware has its own queue.
  return !opt_.retry_support && !in_flight_.empty();
}

bool CryptoEngine::nothing_to_dispatch_locked() const { return queue_.empty() || !running_; }

bool CryptoEngine::go_idle(std::unique_lock<std::mutex>& lk) {
  // Idle only once the last request has been finalized (deliberate difference 4).
  if (!busy_ || !in_flight_.empty()) return false;
  close_busy_period_locked();
  idling_ = true;
  lk.unlock();
  driver_.unprepare_crypt_hardware(*this);
  lk.lock();
  idling_ = false;
  return true;
}

std::size_t CryptoEngine::valid_pick_locked(std::vector<std::size_t>& pick) const {
  // The head always goes (a policy cannot hold requests back: nothing would re-kick the pump).
  if (pick.empty() || pick.front() != 0) pick.assign(1, 0);
  const std::size_t mark = queue_.backlog_index();
  std::size_t n = 1;
  for (; n < pick.size(); ++n) {
    const std::size_t i = pick[n];
    if (i <= pick[n - 1] || i >= queue_.size()) break;
    const bool skips = i != n;  // some request before it stays queued
    if (skips && mark != CryptoQueue::npos && i >= mark) break;  // it would overtake the backlog
  }
  pick.resize(n);
  return n;
}

void CryptoEngine::keep_storage_locked(Dispatch& d) {
  spare_.taken = std::move(d.taken);
  spare_.notify_now = std::move(d.notify_now);
  spare_.notify_later = std::move(d.notify_later);
}

void CryptoEngine::reuse_storage_locked(Dispatch& d) {
  d.taken = std::move(spare_.taken);
  d.notify_now = std::move(spare_.notify_now);
  d.notify_later = std::move(spare_.notify_later);
  d.taken.clear();
  d.notify_now.clear();
  d.notify_later.clear();
}

CryptoEngine::Dispatch CryptoEngine::take_requests_locked() {
  Dispatch d;
  reuse_storage_locked(d);
  std::vector<std::size_t>& pick = pick_;
  pick.clear();
  policy_->pick(queue_, pick);
  const std::size_t n = valid_pick_locked(pick);
  std::vector<Request*>& moved = moved_;  // backlogged requests the removals move into the queue
  moved.clear();
  for (std::size_t k = 0; k < n; ++k) {
    if (Request* b = queue_.backlog()) moved.push_back(b);
    d.taken.push_back(queue_.remove(pick[k] - k));  // k requests before it already left
  }
  // A backlogged request that is itself taken (only when the policy takes past the mark, or
  // queue_len is 0) is told InProgress before preparation, so that this notification comes
  // before its final completion even if preparation fails.
  for (Request* b : moved) {
    const bool taken = std::find(d.taken.begin(), d.taken.end(), b) != d.taken.end();
    (taken ? d.notify_now : d.notify_later).push_back(b);
  }
  d.req = &policy_->assemble(d.taken);
  // Held from here on (a second pump sees step 1), but not prepared: a finalize_request that
  // races with preparation must not unprepare it.
  in_flight_.push_back(InFlight{d.req, false});
  return d;
}

bool CryptoEngine::mark_busy_locked() {
  if (busy_) return false;
  busy_ = true;
  busy_since_ = ctx_.now_ns();
  ++stats_.idle_to_busy;
  return true;
}

Errc CryptoEngine::prepare_hardware(bool first_of_busy_period) {
  return first_of_busy_period ? driver_.prepare_crypt_hardware(*this) : Errc::Ok;
}

Errc CryptoEngine::prepare_and_start(Dispatch& d) {
  Errc err = driver_.prepare_request(*this, *d.req);
  if (err != Errc::Ok) return err;
  {
    std::lock_guard<std::mutex> lk(m_);
    d.prepared = true;
    auto it = find_in_flight_locked(*d.req);
    if (it != in_flight_.end()) it->prepared = true;
  }
  return driver_.do_one_request(*this, *d.req);
}

bool CryptoEngine::settle(Dispatch& d, Errc err) {
  const bool accepted = err == Errc::Ok || err == Errc::InProgress;
  if (!accepted && err == Errc::NoSpc && d.prepared && opt_.retry_support) {
    if (requeue(d)) return false;
    // The driver finalized the request and still returned NoSpc: treat it as done.
  } else if (!accepted) {
    // Errors go through the normal finalize path (unprepare only if prepared): the engine
    // keeps going.
    finalize_impl(*d.req, err, true);
  }
  // Accepted, or failed and finalized (the slot is free): the backlogged submitters may send
  // more (v6.4+ order).
  for (Request* r : d.notify_later) r->notify(Errc::InProgress);
  std::lock_guard<std::mutex> lk(m_);
  if (accepted) {
    ++stats_.dispatched;
    // Everything held now was accepted (only this pump dispatches).
    stats_.in_flight_high_water = std::max(stats_.in_flight_high_water, in_flight_.size());
  }
  stats_.backlog_notified += d.notify_now.size() + d.notify_later.size();
  return true;
}

bool CryptoEngine::requeue(Dispatch& d) {
  {
    std::lock_guard<std::mutex> lk(m_);
    auto it = find_in_flight_locked(*d.req);
    if (it == in_flight_.end()) return false;
    in_flight_.erase(it);
  }
  driver_.unprepare_request(*this, *d.req);
  policy_->disassemble(*d.req, d.taken);
  bool post;
  {
    std::lock_guard<std::mutex> lk(m_);
    // Back at the head, in order, as if never taken; the notifications still due go out with
    // the next accepted dispatch.
    for (auto t = d.taken.rbegin(); t != d.taken.rend(); ++t) queue_.enqueue_head(**t);
    if (!d.notify_later.empty()) queue_.restore_backlog(*d.notify_later.front());
    stats_.backlog_notified += d.notify_now.size();
    ++stats_.retries;
    // Retried on the next finalize; with nothing in flight nothing would finalize, so retry
    // through the worker queue (as Linux does).
    post = in_flight_.empty() && take_kick_locked();
  }
  if (post) post_pump();
  return true;
}

void CryptoEngine::run_batch() {
  if (opt_.batch_requests) driver_.do_batch_requests(*this);
}

std::vector<CryptoEngine::InFlight>::iterator CryptoEngine::find_in_flight_locked(
    const Request& req) {
  return std::find_if(in_flight_.begin(), in_flight_.end(),
                      [&](const InFlight& f) { return f.req == &req; });
}

}  // namespace aesvp::engine
