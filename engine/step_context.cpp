#include "engine/step_context.h"

#include <utility>

namespace aesvp::engine {

void StepContext::post(std::function<void()> work) {
  q_.push_back(std::move(work));
  ++posted_;
}

bool StepContext::post_after(std::uint64_t delay_ns, std::function<void()> work) {
  timed_.emplace(now_ + delay_ns, std::move(work));
  return true;
}

void StepContext::advance_ns(std::uint64_t ns) {
  now_ += ns;
  while (!timed_.empty() && timed_.begin()->first <= now_) {
    post(std::move(timed_.begin()->second));
    timed_.erase(timed_.begin());
  }
}

void StepContext::sleep_ns(std::uint64_t ns) {
  if (depth_ == 0) run_all();
  advance_ns(ns);
}

bool StepContext::run_one() {
  if (q_.empty()) return false;
  std::function<void()> work = std::move(q_.front());
  q_.pop_front();
  struct Depth {
    int& d;
    explicit Depth(int& x) : d(x) { ++d; }
    ~Depth() { --d; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
  } depth(depth_);
  work();
  return true;
}

std::size_t StepContext::run_all(std::size_t max_items) {
  std::size_t n = 0;
  while (n < max_items && run_one()) ++n;
  return n;
}

}  // namespace aesvp::engine
