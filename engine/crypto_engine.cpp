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
    if (!busy_) post = take_kick_locked();
  }
  if (post) post_pump();
  return err;
}

void CryptoEngine::finalize_request(Request& req, Errc err) { finalize_impl(req, err, false); }

bool CryptoEngine::finalize_impl(Request& req, Errc err, bool only_in_flight) {
  bool prepared = false;
  {
    std::lock_guard<std::mutex> lk(m_);
    auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                           [&](const InFlight& f) { return f.req == &req; });
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
    auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                           [&](const InFlight& f) { return f.req == &req; });
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
    if (live->engine) live->engine->pump();
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

void CryptoEngine::pump() {
  std::unique_lock<std::mutex> lk(m_);
  kick_pending_ = false;
  if (exited_) return;
  ++stats_.pump_runs;

  std::vector<Request*> taken;
  std::vector<Request*> notify_now;    // backlogged requests that are being dispatched
  std::vector<Request*> notify_later;  // backlogged requests moved into the queue
  for (;;) {
    // 1. One request at a time unless the hardware has its own queue.
    if (!opt_.retry_support && !in_flight_.empty()) break;

    // 2. Nothing to do: go idle once the last request has been finalized.
    if (queue_.empty() || !running_) {
      if (!busy_ || !in_flight_.empty()) break;
      close_busy_period_locked();
      idling_ = true;
      lk.unlock();
      driver_.unprepare_crypt_hardware(*this);
      lk.lock();
      idling_ = false;
      continue;  // requests may have arrived meanwhile
    }

    // 3. Take requests from the head (policy), noting each backlogged request a dequeue
    //    moves into the queue.
    std::size_t n = policy_->select(queue_);
    n = std::clamp<std::size_t>(n, 1, queue_.size());
    taken.clear();
    notify_now.clear();
    notify_later.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (Request* b = queue_.backlog()) notify_later.push_back(b);
      taken.push_back(queue_.dequeue());
    }
    // A backlogged request that is itself taken (only when the policy takes past the mark,
    // or queue_len is 0) is told InProgress before dispatch, so that this notification comes
    // before its final completion.
    for (auto it = notify_later.begin(); it != notify_later.end();) {
      if (std::find(taken.begin(), taken.end(), *it) != taken.end()) {
        notify_now.push_back(*it);
        it = notify_later.erase(it);
      } else {
        ++it;
      }
    }
    Request& req = policy_->assemble(taken);
    in_flight_.push_back(InFlight{&req, true});

    // 5. Mark busy; prepare the hardware on the idle->busy transition.
    const bool was_busy = busy_;
    if (!busy_) {
      busy_ = true;
      busy_since_ = ctx_.now_ns();
      ++stats_.idle_to_busy;
    }
    lk.unlock();

    for (Request* r : notify_now) r->notify(Errc::InProgress);

    // 6. prepare_request, do_one_request.
    Errc err = Errc::Ok;
    bool prepared = false;
    if (!was_busy) err = driver_.prepare_crypt_hardware(*this);
    if (err == Errc::Ok) {
      err = driver_.prepare_request(*this, req);
      prepared = err == Errc::Ok;
    }
    if (prepared) err = driver_.do_one_request(*this, req);

    const bool accepted = err == Errc::Ok || err == Errc::InProgress;
    if (!accepted && err == Errc::NoSpc && prepared && opt_.retry_support) {
      // Hardware queue full: put everything back at the head, in order, as if never taken.
      lk.lock();
      auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                             [&](const InFlight& f) { return f.req == &req; });
      const bool held = it != in_flight_.end();
      if (held) in_flight_.erase(it);
      lk.unlock();
      if (held) {
        driver_.unprepare_request(*this, req);
        policy_->disassemble(req, taken);
        lk.lock();
        for (auto t = taken.rbegin(); t != taken.rend(); ++t) queue_.enqueue_head(**t);
        if (!notify_later.empty()) queue_.restore_backlog(*notify_later.front());
        stats_.backlog_notified += notify_now.size();
        ++stats_.retries;
        // Retried on the next finalize; with nothing in flight nothing would finalize, so
        // retry through the worker queue (as Linux does).
        if (in_flight_.empty() && take_kick_locked()) {
          lk.unlock();
          post_pump();
          lk.lock();
        }
        break;
      }
      // The driver finalized the request and still returned NoSpc: treat it as done.
    } else if (!accepted) {
      // Errors go through the normal finalize path: the engine keeps going.
      if (!prepared) {
        // Nothing to unprepare: mark it so before finalizing.
        std::lock_guard<std::mutex> g(m_);
        auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                               [&](const InFlight& f) { return f.req == &req; });
        if (it != in_flight_.end()) it->prepared = false;
      }
      finalize_impl(req, err, true);
    }

    // 4. (after acceptance, v6.4+) tell the submitters of backlogged requests.
    for (Request* r : notify_later) r->notify(Errc::InProgress);
    lk.lock();
    if (accepted) {
      ++stats_.dispatched;
      // Everything held now was accepted (only this pump dispatches).
      stats_.in_flight_high_water = std::max(stats_.in_flight_high_water, in_flight_.size());
    }
    stats_.backlog_notified += notify_now.size() + notify_later.size();
  }

  const bool batch = opt_.batch_requests;
  lk.unlock();
  if (batch) driver_.do_batch_requests(*this);
}

}  // namespace aesvp::engine
