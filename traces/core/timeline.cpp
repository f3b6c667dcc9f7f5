#include "traces/core/timeline.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <fstream>
#include <numeric>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace aesvp::traces {

namespace {

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

constexpr std::uint32_t kMaxThreadsPerProcess = 9999;

}  // namespace

Timeline::Timeline(TimelineOptions options) : options_(std::move(options)), enabled_(options_.enabled) {
  if (options_.window_end < options_.window_begin) {
    throw std::invalid_argument("timeline window end is before its begin");
  }
  if (enabled_) {
    name("");  // NameId 0 is the empty name
  }
}

NameId Timeline::name(std::string_view text) {
  if (!enabled_) return NameId{};
  auto it = name_index_.find(text);
  if (it != name_index_.end()) return NameId{it->second};
  const std::string& stored = name_storage_.emplace_back(text);
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.push_back(stored);
  name_index_.emplace(std::string_view(stored), id);
  return NameId{id};
}

std::uint32_t Timeline::process_index(std::string_view process) {
  const std::uint32_t n = name(process).value;
  for (std::uint32_t i = 0; i < processes_.size(); ++i) {
    if (processes_[i] == n) return i;
  }
  processes_.push_back(n);
  threads_in_process_.push_back(0);
  return static_cast<std::uint32_t>(processes_.size() - 1);
}

std::uint32_t Timeline::requests_process() {
  if (requests_process_ == kNoProcess) requests_process_ = process_index(options_.requests_process);
  return requests_process_;
}

TrackId Timeline::track(std::string_view process, std::string_view thread) {
  if (!enabled_) return TrackId{};
  const std::uint32_t p = process_index(process);
  const std::uint32_t t = name(thread).value;
  const std::uint64_t key = pair_key(p, t);
  auto it = track_index_.find(key);
  if (it != track_index_.end()) return TrackId{it->second};
  if (threads_in_process_[p] >= kMaxThreadsPerProcess) {
    throw std::length_error("timeline: too many threads in one process");
  }
  const std::uint32_t ordinal = ++threads_in_process_[p];
  tracks_.push_back(Track{p, t, (p + 1) * 10000 + ordinal});
  const auto id = static_cast<std::uint32_t>(tracks_.size());
  track_index_.emplace(key, id);
  return TrackId{id};
}

CounterId Timeline::counter_track(std::string_view process, std::string_view series) {
  if (!enabled_) return CounterId{};
  const std::uint32_t p = process_index(process);
  const std::uint32_t s = name(series).value;
  const std::uint64_t key = pair_key(p, s);
  auto it = counter_index_.find(key);
  if (it != counter_index_.end()) return CounterId{it->second};
  counters_.push_back(CounterSeries{p, s});
  const auto id = static_cast<std::uint32_t>(counters_.size());
  counter_index_.emplace(key, id);
  return CounterId{id};
}

bool Timeline::request_refused(std::uint64_t request) const {
  return options_.max_requests != kUnlimited && admitted_.size() >= options_.max_requests &&
         admitted_.count(request) == 0;
}

bool Timeline::admit(std::uint64_t request) {
  if (options_.max_requests == kUnlimited) return true;  // no per-request bookkeeping
  if (admitted_.count(request) != 0) return true;
  if (admitted_.size() >= options_.max_requests) return false;
  admitted_.insert(request);
  ++counts_.requests_admitted;
  return true;
}

Timeline::Event& Timeline::push(Phase phase, Time ts, std::uint32_t name_id,
                                std::uint32_t where, std::uint64_t request) {
  Event& e = events_.emplace_back();
  e.ts = ts;
  e.dur = 0;
  e.request = request;
  e.arg_value = 0;
  e.name = name_id;
  e.where = where;
  e.arg_key = 0;
  e.phase = phase;
  e.flags = 0;
  ++counts_.recorded;
  last_time_ = std::max(last_time_, ts);
  return e;
}

void Timeline::record_span(TrackId t, NameId n, Time begin, Time end, std::uint64_t request,
                           const Arg* arg) {
  if (t.value == 0 || t.value > tracks_.size() || end < begin) {
    ++counts_.dropped_invalid;
    return;
  }
  const Time w0 = options_.window_begin;
  const Time w1 = options_.window_end;
  const bool overlaps = begin == end ? (begin >= w0 && begin < w1) : (begin < w1 && end > w0);
  if (!overlaps) {
    ++counts_.dropped_window;
    return;
  }
  const bool crosses = begin < w0 || end > w1;
  if (crosses && !options_.clip_spans) {
    ++counts_.dropped_window;
    return;
  }
  if (begin >= limit_end()) {
    ++counts_.dropped_request_limit;
    return;
  }
  if (!admit_event(request)) return;
  const Time b = std::max(begin, w0);
  const Time e = std::min({end, w1, limit_end()});
  Event& ev = push(Phase::kComplete, b, n.value, t.value, request);
  ev.dur = e - b;
  last_time_ = std::max(last_time_, e);
  if (crosses || e < end) {
    ev.flags |= kClipped;
    ++counts_.clipped;
  }
  set_arg(ev, arg);
}

bool Timeline::admit_event(std::uint64_t request) {
  if (!room()) {
    ++counts_.dropped_cap;
    return false;
  }
  if (request != kNoRequest && !admit(request)) {
    ++counts_.dropped_request_limit;
    return false;
  }
  return true;
}

void Timeline::set_arg(Event& ev, const Arg* arg) {
  if (arg == nullptr) return;
  ev.flags |= kHasArg;
  ev.arg_key = arg->key.value;
  ev.arg_value = arg->value;
}

void Timeline::record_instant(TrackId t, NameId n, Time at, std::uint64_t request,
                              const Arg* arg) {
  if (t.value == 0 || t.value > tracks_.size()) {
    ++counts_.dropped_invalid;
    return;
  }
  if (at < options_.window_begin || at >= options_.window_end) {
    ++counts_.dropped_window;
    return;
  }
  if (at >= limit_end()) {
    ++counts_.dropped_request_limit;
    return;
  }
  if (!admit_event(request)) return;
  Event& ev = push(Phase::kInstant, at, n.value, t.value, request);
  set_arg(ev, arg);
}

void Timeline::record_counter(CounterId c, Time at, double value) {
  if (c.value == 0 || c.value > counters_.size() || !std::isfinite(value)) {
    ++counts_.dropped_invalid;
    return;
  }
  if (at < options_.window_begin) {
    // Remember the level in force when the window opens; written at window_begin.
    CounterSeries& s = counters_[c.value - 1];
    s.has_pre_window = true;
    s.pre_window_value = value;
    ++counts_.dropped_window;
    return;
  }
  if (at >= options_.window_end) {
    ++counts_.dropped_window;
    return;
  }
  if (at >= limit_end()) {
    ++counts_.dropped_request_limit;
    return;
  }
  if (!room()) {
    ++counts_.dropped_cap;
    return;
  }
  Event& ev = push(Phase::kCounter, at, counters_[c.value - 1].series, c.value, kNoRequest);
  ev.counter_value = value;
}

void Timeline::drop(OpenState reason) {
  switch (reason) {
    case OpenState::kBeforeWindow:  // neither the begin nor the end reached the window
      counts_.dropped_window += 2;
      break;
    case OpenState::kDroppedWindow:
      ++counts_.dropped_window;
      break;
    case OpenState::kDroppedLimit:
      ++counts_.dropped_request_limit;
      break;
    case OpenState::kDroppedCap:
      ++counts_.dropped_cap;
      break;
    case OpenState::kRecorded:
      break;
  }
}

bool Timeline::materialise(std::uint64_t request, std::vector<OpenAsync>& stack) {
  const bool pending = std::any_of(stack.begin(), stack.end(), [](const OpenAsync& o) {
    return o.state == OpenState::kBeforeWindow;
  });
  if (!pending) return !request_refused(request);
  if (!room()) {
    for (OpenAsync& o : stack) {
      if (o.state == OpenState::kBeforeWindow) {
        o.state = OpenState::kDroppedCap;
        ++counts_.dropped_cap;
      }
    }
    return true;
  }
  if (!admit(request)) {
    for (OpenAsync& o : stack) {
      if (o.state == OpenState::kBeforeWindow) {
        o.state = OpenState::kDroppedLimit;
        ++counts_.dropped_request_limit;
      }
    }
    return false;
  }
  const std::uint32_t where = requests_process();
  for (OpenAsync& o : stack) {
    if (o.state != OpenState::kBeforeWindow) continue;
    if (room()) {
      Event& ev = push(Phase::kAsyncBegin, options_.window_begin, o.name, where, request);
      ev.flags |= kClipped;
      ++counts_.clipped;
      o.state = OpenState::kRecorded;
      o.ts = options_.window_begin;
    } else {
      o.state = OpenState::kDroppedCap;
      ++counts_.dropped_cap;
    }
  }
  return true;
}

void Timeline::record_async_begin(NameId n, std::uint64_t request, Time at) {
  if (request == kNoRequest) {
    ++counts_.dropped_invalid;
    return;
  }
  auto it = open_async_.find(request);
  if (it == open_async_.end()) {
    if (request_refused(request)) {  // never keep state for refused requests
      ++counts_.dropped_request_limit;
      return;
    }
    it = open_async_.emplace(request, std::vector<OpenAsync>{}).first;
  }
  std::vector<OpenAsync>& stack = it->second;
  if (at >= options_.window_end) {
    stack.push_back({n.value, OpenState::kDroppedWindow, at});
    ++counts_.dropped_window;
    return;
  }
  if (at < options_.window_begin) {
    stack.push_back({n.value, OpenState::kBeforeWindow, at});
    return;
  }
  if (!materialise(request, stack)) {
    stack.push_back({n.value, OpenState::kDroppedLimit, at});
    ++counts_.dropped_request_limit;
    return;
  }
  if (!room()) {
    stack.push_back({n.value, OpenState::kDroppedCap, at});
    ++counts_.dropped_cap;
    return;
  }
  if (!admit(request)) {
    stack.push_back({n.value, OpenState::kDroppedLimit, at});
    ++counts_.dropped_request_limit;
    return;
  }
  push(Phase::kAsyncBegin, at, n.value, requests_process(), request);
  stack.push_back({n.value, OpenState::kRecorded, at});
}

void Timeline::record_async_end(NameId n, std::uint64_t request, Time at) {
  if (request == kNoRequest) {
    ++counts_.dropped_invalid;
    return;
  }
  auto it = open_async_.find(request);
  if (it == open_async_.end()) {
    if (request_refused(request)) {
      ++counts_.dropped_request_limit;
    } else {
      ++counts_.unmatched_async_end;
    }
    return;
  }
  std::vector<OpenAsync>& stack = it->second;
  std::size_t i = stack.size();
  while (i > 0 && stack[i - 1].name != n.value) --i;
  if (i == 0) {
    ++counts_.unmatched_async_end;
    return;
  }
  const std::size_t target = i - 1;
  if (at >= options_.window_begin) materialise(request, stack);
  const bool clipped = at > options_.window_end;
  const Time end_at = std::min(at, options_.window_end);
  // Close from the innermost down to the target (phases left open above it end here too).
  for (std::size_t j = stack.size(); j > target; --j) {
    const OpenAsync& o = stack[j - 1];
    if (o.state == OpenState::kRecorded) {
      Event& ev = push(Phase::kAsyncEnd, std::max(end_at, o.ts), o.name, requests_process(),
                       request);
      if (clipped) {
        ev.flags |= kClipped;
        ++counts_.clipped;
      }
      if (j - 1 != target) ev.flags |= kImplicitEnd;
    } else {
      drop(o.state);  // the begin was dropped (or never reached the window): so is the end
    }
  }
  stack.resize(target);
  if (stack.empty()) {
    open_async_.erase(it);
    request_finished(at);
  }
}

void Timeline::request_finished(Time at) {
  // Once the request limit is full, only admitted requests keep async state (refused ones
  // get none), so an empty table means every admitted request is done.
  if (options_.max_requests == kUnlimited || admitted_.size() < options_.max_requests) return;
  if (!open_async_.empty() || limit_end() != kTimeMax) return;
  counts_.request_limit_end = std::max(at, options_.window_begin);
}

void Timeline::set_info(std::string_view key, std::string_view value) {
  for (auto& [k, v] : info_) {
    if (k == key) {
      v = std::string(value);
      return;
    }
  }
  info_.emplace_back(std::string(key), std::string(value));
}

std::string Timeline::drop_summary() const {
  const TimelineCounts& c = counts_;
  std::string s;
  auto add = [&s](const std::string& part) { s += (s.empty() ? "" : "; ") + part; };
  if (c.dropped_cap != 0)
    add("WARNING: the event cap (" + std::to_string(options_.max_events) + " events) dropped " +
        std::to_string(c.dropped_cap) + " events: the timeline has gaps; record fewer requests "
        "or a window");
  if (c.dropped_request_limit != 0) {
    std::string part = std::to_string(c.dropped_request_limit) + " events beyond the first " +
                       std::to_string(options_.max_requests) + " requests dropped";
    if (c.request_limit_end != kTimeMax)
      part += " (the timeline ends at " + std::to_string(c.request_limit_end / 1000000) +
              " us, when they finished)";
    add(part);
  }
  if (c.dropped_window != 0) add(std::to_string(c.dropped_window) + " events outside the window dropped");
  if (c.dropped_invalid != 0) add(std::to_string(c.dropped_invalid) + " invalid events dropped");
  return s;
}

void Timeline::record_async_instant(NameId n, std::uint64_t request, Time at) {
  if (request == kNoRequest) {
    ++counts_.dropped_invalid;
    return;
  }
  if (at < options_.window_begin || at >= options_.window_end) {
    ++counts_.dropped_window;
    return;
  }
  auto it = open_async_.find(request);
  if (it != open_async_.end() && !materialise(request, it->second)) {
    ++counts_.dropped_request_limit;
    return;
  }
  if (!room()) {
    ++counts_.dropped_cap;
    return;
  }
  if (!admit(request)) {
    ++counts_.dropped_request_limit;
    return;
  }
  push(Phase::kAsyncInstant, at, n.value, requests_process(), request);
}

void Timeline::clear() {
  events_.clear();
  admitted_.clear();
  open_async_.clear();
  for (CounterSeries& s : counters_) s.has_pre_window = false;
  last_time_ = 0;
  counts_ = TimelineCounts{};
}

// ---- output --------------------------------------------------------------------------

namespace {

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Trace-event times are microseconds: ps / 1e6 as a double, which nlohmann writes as the
// shortest decimal that reads back to the same double - the exact decimal of the picoseconds
// (at most 6 fractional digits) up to 2^53 ps (about 2.5 simulated hours).
double us(Time ps) { return static_cast<double>(ps) / 1e6; }

std::string request_hex(std::uint64_t request) {
  char hex[24];
  const auto r = std::to_chars(hex, hex + sizeof hex, request, 16);
  return "0x" + std::string(hex, r.ptr);
}

}  // namespace

// write_json through nlohmann-json, streaming (docs/dependencies.md has the measurement): the
// header and each event are one nlohmann object each, dumped to the stream as they are made
// (no document tree of the whole timeline). Steps: header (otherData), metadata (process and
// thread names), counter levels in force when the window opens, the recorded events in time
// order, the async phases still open, then the closing brackets. Key order is the insertion
// order (ordered_json), the trace-event convention "ph" first.
class Timeline::JsonOut {
 public:
  using Json = nlohmann::ordered_json;
  JsonOut(const Timeline& t, std::ostream& out) : t_(t), out_(out) {}

  void header(const WriteOptions& w);
  void metadata();
  void pre_window_counters();
  void events();
  void close_open_async();
  void finish() { out_ << "\n]}\n"; }

 private:
  // One event: a separator after the first, then the object, compact.
  void put(const Json& e) {
    if (!first_) out_ << ",\n";
    first_ = false;
    out_ << e;
  }
  void metadata_event(const char* name, std::uint32_t pid, std::uint32_t tid, const char* key,
                      Json value);
  std::vector<std::uint32_t> time_order() const;
  void set_args(Json& o, const Event& e, bool implicit_end) const;
  void event(const Event& e);

  const Timeline& t_;
  std::ostream& out_;
  bool first_ = true;
  // One object per event kind, reused: its keys stay, only the values change per event.
  Json span_ = Json::object(), counter_ = Json::object(), async_ = Json::object();
};

void Timeline::JsonOut::header(const WriteOptions& w) {
  const TimelineOptions& o = t_.options_;
  const TimelineCounts& c = t_.counts_;
  auto or_null = [](std::uint64_t v, std::uint64_t none) { return v == none ? Json() : Json(v); };
  Json other = {{"generator", "aesvp traces"},
                {"trace_format_version", 1},
                {"time_source", "simulated picoseconds, ts/dur in us"},
                {"window_begin_ps", o.window_begin},
                {"window_end_ps", or_null(o.window_end, kTimeMax)},
                {"max_requests", or_null(o.max_requests, kUnlimited)},
                {"max_events", or_null(o.max_events, kUnlimited)},
                {"request_limit_end_ps", or_null(c.request_limit_end, kTimeMax)},
                {"recorded", c.recorded},
                {"dropped_window", c.dropped_window},
                {"dropped_request_limit", c.dropped_request_limit},
                {"dropped_cap", c.dropped_cap},
                {"dropped_invalid", c.dropped_invalid},
                {"unmatched_async_end", c.unmatched_async_end},
                {"clipped", c.clipped},
                {"requests_admitted", c.requests_admitted}};
  if (!t_.info_.empty()) {
    Json run = Json::object();
    for (const auto& [key, value] : t_.info_) run[key] = value;
    other["run"] = std::move(run);
  }
  const std::string dropped = t_.drop_summary();
  if (!dropped.empty()) other["dropped"] = dropped;
  if (w.wall_clock_stamp)
    other["generated_at"] = w.normalise ? std::string("1970-01-01T00:00:00Z") : utc_now();
  // The run's facts come from the command line: bytes that are not UTF-8 are replaced.
  out_ << "{\"displayTimeUnit\":\"ns\",\"otherData\":"
       << other.dump(-1, ' ', false, Json::error_handler_t::replace) << ",\n\"traceEvents\":[\n";
}

void Timeline::JsonOut::metadata_event(const char* name, std::uint32_t pid, std::uint32_t tid,
                                       const char* key, Json value) {
  put(Json{{"ph", "M"}, {"name", name}, {"pid", pid}, {"tid", tid}, {"args", {{key, std::move(value)}}}});
}

// Names and order of processes and threads.
void Timeline::JsonOut::metadata() {
  for (std::uint32_t p = 0; p < t_.processes_.size(); ++p) {
    metadata_event("process_name", p + 1, 0, "name", t_.names_[t_.processes_[p]]);
    metadata_event("process_sort_index", p + 1, 0, "sort_index", p + 1);
  }
  for (const Track& tr : t_.tracks_) {
    metadata_event("thread_name", tr.process + 1, tr.tid, "name", t_.names_[tr.thread]);
    metadata_event("thread_sort_index", tr.process + 1, tr.tid, "sort_index", tr.tid);
  }
}

// Counter levels in force when the window opens.
void Timeline::JsonOut::pre_window_counters() {
  if (t_.options_.window_begin == 0) return;
  for (const CounterSeries& s : t_.counters_) {
    if (!s.has_pre_window) continue;
    put(Json{{"ph", "C"}, {"name", t_.names_[s.series]}, {"pid", s.process + 1}, {"tid", 0},
             {"ts", us(t_.options_.window_begin)}, {"args", {{"value", s.pre_window_value}}}});
  }
}

// Events in time order; ties keep the recording order, except that enclosing complete spans
// come before the spans they contain.
std::vector<std::uint32_t> Timeline::JsonOut::time_order() const {
  const auto& ev = t_.events_;
  std::vector<std::uint32_t> order(ev.size());
  std::iota(order.begin(), order.end(), 0u);
  auto rank = [&ev](std::uint32_t i) {
    const Event& e = ev[i];
    return e.phase == Phase::kComplete ? kTimeMax - 1 - e.dur : kTimeMax;
  };
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    const Time ta = ev[a].ts;
    const Time tb = ev[b].ts;
    if (ta != tb) return ta < tb;
    return rank(a) < rank(b);
  };
  if (!std::is_sorted(order.begin(), order.end(), before)) {
    std::stable_sort(order.begin(), order.end(), before);
  }
  return order;
}

// "args": the request, the event's own argument, clipped / unterminated marks; no key when
// there are none.
void Timeline::JsonOut::set_args(Json& o, const Event& e, bool implicit_end) const {
  const bool any = e.request != kNoRequest || (e.flags & (kHasArg | kClipped)) != 0 || implicit_end;
  if (!any) {
    o.erase("args");
    return;
  }
  Json& a = o["args"];
  a = Json::object();
  if (e.request != kNoRequest) a["request"] = e.request;
  if ((e.flags & kHasArg) != 0) a[t_.names_[e.arg_key]] = e.arg_value;
  if ((e.flags & kClipped) != 0) a["clipped"] = 1;
  if (implicit_end) a["unterminated"] = 1;
}

void Timeline::JsonOut::event(const Event& e) {
  switch (e.phase) {
    case Phase::kComplete:
    case Phase::kInstant: {
      Json& o = span_;
      const bool complete = e.phase == Phase::kComplete;
      o["ph"] = complete ? "X" : "i";
      if (complete) o.erase("s"); else o["s"] = "t";
      o["name"] = t_.names_[e.name];
      const Track& tr = t_.tracks_[e.where - 1];
      o["pid"] = tr.process + 1;
      o["tid"] = tr.tid;
      o["ts"] = us(e.ts);
      if (complete) o["dur"] = us(e.dur); else o.erase("dur");
      set_args(o, e, false);
      put(o);
      return;
    }
    case Phase::kCounter: {
      Json& o = counter_;
      const CounterSeries& c = t_.counters_[e.where - 1];
      o["ph"] = "C";
      o["name"] = t_.names_[c.series];
      o["pid"] = c.process + 1;
      o["tid"] = 0;
      o["ts"] = us(e.ts);
      o["args"]["value"] = e.counter_value;
      put(o);
      return;
    }
    case Phase::kAsyncBegin:
    case Phase::kAsyncEnd:
    case Phase::kAsyncInstant: {
      Json& o = async_;
      o["ph"] = e.phase == Phase::kAsyncBegin ? "b" : e.phase == Phase::kAsyncEnd ? "e" : "n";
      o["cat"] = "request";
      o["id"] = request_hex(e.request);
      o["name"] = t_.names_[e.name];
      o["pid"] = e.where + 1;
      o["tid"] = 0;
      o["ts"] = us(e.ts);
      set_args(o, e, (e.flags & kImplicitEnd) != 0);
      put(o);
      return;
    }
  }
}

void Timeline::JsonOut::events() {
  for (std::uint32_t i : time_order()) event(t_.events_[i]);
}

// Close async phases still open (run ended inside them, or their end was cut off).
void Timeline::JsonOut::close_open_async() {
  std::vector<std::uint64_t> open_requests;
  open_requests.reserve(t_.open_async_.size());
  for (const auto& [request, stack] : t_.open_async_) open_requests.push_back(request);
  std::sort(open_requests.begin(), open_requests.end());
  const Time close_at = std::min(t_.last_time_, t_.options_.window_end);
  for (std::uint64_t request : open_requests) {
    const std::vector<OpenAsync>& stack = t_.open_async_.at(request);
    for (std::size_t k = stack.size(); k > 0; --k) {
      const OpenAsync& o = stack[k - 1];
      if (o.state != OpenState::kRecorded) continue;
      put(Json{{"ph", "e"}, {"cat", "request"}, {"id", request_hex(request)},
               {"name", t_.names_[o.name]}, {"pid", t_.requests_process_ + 1}, {"tid", 0},
               {"ts", us(std::max(close_at, o.ts))},
               {"args", {{"request", request}, {"unterminated", 1}}}});
    }
  }
}

void Timeline::write_json(std::ostream& out, const WriteOptions& w) const {
  JsonOut o(*this, out);
  o.header(w);
  o.metadata();
  o.pre_window_counters();
  o.events();
  o.close_open_async();
  o.finish();
}

bool Timeline::write_json_file(const std::string& path, const WriteOptions& w) const {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return false;
  write_json(f, w);
  f.flush();
  return static_cast<bool>(f);
}

}  // namespace aesvp::traces
