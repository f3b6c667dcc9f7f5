#include "engine/host_context.h"

#include <utility>

namespace aesvp::engine {

HostContext::HostContext(std::string name)
    : name_(std::move(name)), t0_(std::chrono::steady_clock::now()), thread_([this] { run(); }) {}

HostContext::~HostContext() {
  {
    std::lock_guard<std::mutex> lk(m_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void HostContext::post(std::function<void()> work) {
  bool wake;
  {
    std::lock_guard<std::mutex> lk(m_);
    q_.push_back(std::move(work));
    wake = waiting_;  // a worker that is not waiting sees the item before it waits again
  }
  if (wake) cv_.notify_one();
}

bool HostContext::post_after(std::uint64_t delay_ns, std::function<void()> work) {
  bool wake;
  {
    std::lock_guard<std::mutex> lk(m_);
    timed_.emplace(std::chrono::steady_clock::now() + std::chrono::nanoseconds(delay_ns),
                   std::move(work));
    wake = waiting_;  // the worker must recompute its wake-up time
  }
  if (wake) cv_.notify_one();
  return true;
}

std::uint64_t HostContext::now_ns() const {
  auto d = std::chrono::steady_clock::now() - t0_;
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

void HostContext::sleep_ns(std::uint64_t ns) {
  std::this_thread::sleep_for(std::chrono::nanoseconds(ns));
}

bool HostContext::in_worker() const { return std::this_thread::get_id() == thread_.get_id(); }

void HostContext::drain() {
  std::unique_lock<std::mutex> lk(m_);
  idle_cv_.wait(lk, [this] { return q_.empty() && !running_item_; });
}

void HostContext::release_due_timers_locked() {
  if (timed_.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  while (!timed_.empty() && timed_.begin()->first <= now) {
    q_.push_back(std::move(timed_.begin()->second));
    timed_.erase(timed_.begin());
  }
}

void HostContext::run() {
  std::unique_lock<std::mutex> lk(m_);
  for (;;) {
    release_due_timers_locked();
    while (!stop_ && q_.empty()) {
      waiting_ = true;
      if (timed_.empty()) {
        cv_.wait(lk);
      } else {
        cv_.wait_until(lk, timed_.begin()->first);
      }
      waiting_ = false;
      release_due_timers_locked();
    }
    if (q_.empty()) break;  // stop requested and nothing left
    std::function<void()> work = std::move(q_.front());
    q_.pop_front();
    running_item_ = true;
    lk.unlock();
    work();
    work = nullptr;  // release captures outside the lock
    lk.lock();
    running_item_ = false;
    if (q_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace aesvp::engine
