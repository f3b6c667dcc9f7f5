#include "driver/kernel/timer.h"

#include "models/core/sim_time.h"

#include <cctype>

namespace aesvp::kernel {

using sc_core::sc_time;

namespace {

// SystemC object names take letters, digits and '_' (no hierarchy separators).
std::string sc_name(const std::string& name, const char* suffix) {
  std::string s = name + suffix;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  return s;
}

}  // namespace

KernelTimer::KernelTimer(const std::string& name, std::function<void()> fn)
    : name_(name), fn_(std::move(fn)), ev_(sc_name(name, "_ev").c_str()) {
  sc_core::sc_spawn_options opts;
  opts.spawn_method();
  opts.dont_initialize();
  opts.set_sensitivity(&ev_);
  sc_core::sc_spawn([this] { fire(); }, sc_core::sc_gen_unique_name(sc_name(name, "").c_str()), &opts);
}

void KernelTimer::schedule(const sc_time& at) {
  const sc_time now = sim_now();
  scheduled_ = true;
  scheduled_at_ = at > now ? at : now;
  if (at > now) ev_.notify(at - now);
  else ev_.notify(sc_core::SC_ZERO_TIME);
}

bool KernelTimer::mod_timer(const sc_time& expires) {
  const bool was = pending_;
  pending_ = true;
  expires_ = expires;
  // Lazy: a notification due no later than the new expiry stays; fire() re-arms.
  if (!scheduled_ || expires < scheduled_at_) schedule(expires);
  return was;
}

bool KernelTimer::del_timer() {
  const bool was = pending_;
  pending_ = false;  // a queued notification fires and finds nothing to do
  return was;
}

void KernelTimer::fire() {
  ++wakeups_;
  scheduled_ = false;
  if (!pending_) return;
  if (expires_ > sim_now()) {
    schedule(expires_);  // pushed back since this notification was queued
    return;
  }
  pending_ = false;
  ++expiries_;
  fn_();
}

}  // namespace aesvp::kernel
