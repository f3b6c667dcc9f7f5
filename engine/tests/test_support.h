// Shared helpers for the engine tests: a scripted driver and logging requests.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/crypto_engine.h"
#include "engine/execution_context.h"

namespace aesvp::engine::test {

/// Event log shared by the driver and the requests' completions.
struct Log {
  std::vector<std::string> ev;
  void add(std::string s) { ev.push_back(std::move(s)); }
  /// Position of the first event equal to `s`, or -1.
  long pos(const std::string& s) const {
    for (std::size_t i = 0; i < ev.size(); ++i)
      if (ev[i] == s) return static_cast<long>(i);
    return -1;
  }
  long count(const std::string& s) const {
    long n = 0;
    for (const auto& e : ev) n += e == s;
    return n;
  }
  /// Events starting with `prefix`, in order.
  std::vector<std::string> with_prefix(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const auto& e : ev)
      if (e.rfind(prefix, 0) == 0) out.push_back(e);
    return out;
  }
};

/// Makes `r`'s completions write "inprog:<id>" / "done:<id>:<ERR>" into `log`.
inline void log_completions(Request& r, Log& log) {
  Log* lg = &log;
  r.complete = [lg](Request& q, Errc e) {
    if (e == Errc::InProgress) {
      lg->add("inprog:" + std::to_string(q.id));
    } else {
      lg->add("done:" + std::to_string(q.id) + ":" + std::string(to_string(e)));
    }
  };
}

/// Requests whose completions write "inprog:<id>" / "done:<id>:<ERR>" into the log.
struct Requests {
  Log& log;
  std::vector<std::unique_ptr<Request>> v;
  explicit Requests(Log& l) : log(l) {}
  Request& make(std::uint64_t id, bool may_backlog = false) {
    auto r = std::make_unique<Request>(id, nullptr, may_backlog);
    log_completions(*r, log);
    v.push_back(std::move(r));
    return *v.back();
  }
};

/// A driver whose behaviour the test scripts. Every callback is logged.
///  - Sync: do_one_request finalizes at once (Ok).
///  - Manual: accepted requests are held until the test calls finish().
///  - Deferred: finalization is posted to the execution context (runs when it is stepped).
class ScriptDriver : public EngineDriver {
 public:
  enum class Mode { Sync, Manual, Deferred };

  ScriptDriver(Log& l, Mode m) : log(l), mode(m) {}

  Errc prepare_crypt_hardware(CryptoEngine&) override {
    log.add("prepare_hw");
    return prepare_hw_error;
  }
  void unprepare_crypt_hardware(CryptoEngine&) override { log.add("unprepare_hw"); }
  Errc prepare_request(CryptoEngine&, Request& r) override {
    log.add("prepare:" + std::to_string(r.id));
    auto it = prepare_errors.find(r.id);
    if (it == prepare_errors.end()) return Errc::Ok;
    Errc e = it->second;
    prepare_errors.erase(it);
    return e;
  }
  void unprepare_request(CryptoEngine&, Request& r) override {
    log.add("unprepare:" + std::to_string(r.id));
  }
  Errc do_one_request(CryptoEngine& eng, Request& r) override {
    log.add("do:" + std::to_string(r.id));
    auto it = do_errors.find(r.id);
    if (it != do_errors.end()) {
      Errc e = it->second;
      do_errors.erase(it);
      return e;
    }
    if (held.size() >= capacity) {
      log.add("nospc:" + std::to_string(r.id));
      return Errc::NoSpc;
    }
    log.add("accepted:" + std::to_string(r.id));
    switch (mode) {
      case Mode::Sync:
        eng.finalize_request(r, Errc::Ok);
        break;
      case Mode::Manual:
        held.push_back(&r);
        break;
      case Mode::Deferred: {
        Request* p = &r;
        CryptoEngine* e = &eng;
        eng.context().post([e, p] { e->finalize_request(*p, Errc::Ok); });
        break;
      }
    }
    return Errc::Ok;
  }
  Errc do_batch_requests(CryptoEngine&) override {
    log.add("batch");
    ++batch_calls;
    return Errc::Ok;
  }

  /// Manual mode: finalize the oldest held request.
  void finish(CryptoEngine& eng, Errc e = Errc::Ok) {
    Request* r = held.front();
    held.pop_front();
    eng.finalize_request(*r, e);
  }

  Log& log;
  Mode mode;
  Errc prepare_hw_error = Errc::Ok;
  std::map<std::uint64_t, Errc> prepare_errors;  // one-shot, by request id
  std::map<std::uint64_t, Errc> do_errors;       // one-shot, by request id
  std::size_t capacity = std::numeric_limits<std::size_t>::max();  // NoSpc when held >= it
  std::deque<Request*> held;
  int batch_calls = 0;
};

}  // namespace aesvp::engine::test
