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

#include "traces/core/json_text.h"

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

std::string quote(std::string_view text) {
  std::ostringstream os;
  {
    JsonText j(os);
    j.string(text);
  }
  return os.str();
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

// write_json in steps: header (otherData), metadata (process and thread names), counter levels
// in force when the window opens, the recorded events in time order, the async phases still
// open, then the closing brackets. One object holds what the steps share: the writer, the
// "first event" flag and the pre-formatted names and prefixes.
class Timeline::JsonOut {
 public:
  JsonOut(const Timeline& t, std::ostream& out) : t_(t), j_(out) {}

  void header(const WriteOptions& w);
  void metadata();
  void pre_window_counters();
  void events();
  void close_open_async();
  void finish() {
    j_.raw("\n]}\n");
    j_.flush();
  }

 private:
  void begin_event(const char* ph) {
    if (!first_) j_.raw(",\n");
    first_ = false;
    j_.raw("{\"ph\":\"");
    j_.raw(ph);
    j_.raw("\"");
  }
  void metadata_event(const char* name, std::uint32_t pid, std::uint32_t tid, const char* key);
  std::vector<std::uint32_t> time_order() const;
  void prepare_prefixes();
  void request_id(std::uint64_t request);
  void args(const Event& e, bool implicit_end);
  void event(const Event& e);

  const Timeline& t_;
  JsonText j_;
  bool first_ = true;
  std::vector<std::string> quoted_, track_prefix_, counter_prefix_;
};

void Timeline::JsonOut::header(const WriteOptions& w) {
  const TimelineOptions& o = t_.options_;
  j_.raw("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"aesvp traces\"");
  j_.raw(",\"trace_format_version\":1,\"time_source\":\"simulated picoseconds, ts/dur in us\"");
  j_.raw(",\"window_begin_ps\":");
  j_.uint(o.window_begin);
  j_.raw(",\"window_end_ps\":");
  if (o.window_end == kTimeMax) j_.raw("null"); else j_.uint(o.window_end);
  j_.raw(",\"max_requests\":");
  if (o.max_requests == kUnlimited) j_.raw("null"); else j_.uint(o.max_requests);
  j_.raw(",\"max_events\":");
  if (o.max_events == kUnlimited) j_.raw("null"); else j_.uint(o.max_events);
  const TimelineCounts& c = t_.counts_;
  const std::pair<const char*, std::uint64_t> count_fields[] = {
      {"recorded", c.recorded},
      {"dropped_window", c.dropped_window},
      {"dropped_request_limit", c.dropped_request_limit},
      {"dropped_cap", c.dropped_cap},
      {"dropped_invalid", c.dropped_invalid},
      {"unmatched_async_end", c.unmatched_async_end},
      {"clipped", c.clipped},
      {"requests_admitted", c.requests_admitted},
  };
  j_.raw(",\"request_limit_end_ps\":");
  if (c.request_limit_end == kTimeMax) j_.raw("null"); else j_.uint(c.request_limit_end);
  for (const auto& [key, value] : count_fields) {
    j_.raw(",\"");
    j_.raw(key);
    j_.raw("\":");
    j_.uint(value);
  }
  if (!t_.info_.empty()) {
    j_.raw(",\"run\":{");
    for (std::size_t k = 0; k < t_.info_.size(); ++k) {
      if (k != 0) j_.raw(",");
      j_.string(t_.info_[k].first);
      j_.raw(":");
      j_.string(t_.info_[k].second);
    }
    j_.raw("}");
  }
  const std::string dropped = t_.drop_summary();
  if (!dropped.empty()) {
    j_.raw(",\"dropped\":");
    j_.string(dropped);
  }
  if (w.wall_clock_stamp) {
    j_.raw(",\"generated_at\":");
    j_.string(w.normalise ? std::string("1970-01-01T00:00:00Z") : utc_now());
  }
  j_.raw("},\n\"traceEvents\":[\n");
}

void Timeline::JsonOut::metadata_event(const char* name, std::uint32_t pid, std::uint32_t tid,
                                       const char* key) {
  begin_event("M");
  j_.raw(",\"name\":\"");
  j_.raw(name);
  j_.raw("\",\"pid\":");
  j_.uint(pid);
  j_.raw(",\"tid\":");
  j_.uint(tid);
  j_.raw(",\"args\":{\"");
  j_.raw(key);
  j_.raw("\":");
}

// Names and order of processes and threads.
void Timeline::JsonOut::metadata() {
  for (std::uint32_t p = 0; p < t_.processes_.size(); ++p) {
    metadata_event("process_name", p + 1, 0, "name");
    j_.string(t_.names_[t_.processes_[p]]);
    j_.raw("}}");
    metadata_event("process_sort_index", p + 1, 0, "sort_index");
    j_.uint(p + 1);
    j_.raw("}}");
  }
  for (const Track& tr : t_.tracks_) {
    metadata_event("thread_name", tr.process + 1, tr.tid, "name");
    j_.string(t_.names_[tr.thread]);
    j_.raw("}}");
    metadata_event("thread_sort_index", tr.process + 1, tr.tid, "sort_index");
    j_.uint(tr.tid);
    j_.raw("}}");
  }
}

// Counter levels in force when the window opens.
void Timeline::JsonOut::pre_window_counters() {
  if (t_.options_.window_begin == 0) return;
  for (const CounterSeries& s : t_.counters_) {
    if (!s.has_pre_window) continue;
    begin_event("C");
    j_.raw(",\"name\":");
    j_.string(t_.names_[s.series]);
    j_.raw(",\"pid\":");
    j_.uint(s.process + 1);
    j_.raw(",\"tid\":0,\"ts\":");
    j_.picoseconds_as_us(t_.options_.window_begin);
    j_.raw(",\"args\":{\"value\":");
    j_.real(s.pre_window_value);
    j_.raw("}}");
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

// Pre-formatted pieces: quoted names and per-track / per-counter prefixes.
void Timeline::JsonOut::prepare_prefixes() {
  quoted_.resize(t_.names_.size());
  for (std::size_t i = 0; i < t_.names_.size(); ++i) quoted_[i] = quote(t_.names_[i]);
  track_prefix_.resize(t_.tracks_.size());
  for (std::size_t i = 0; i < t_.tracks_.size(); ++i) {
    track_prefix_[i] = ",\"pid\":" + std::to_string(t_.tracks_[i].process + 1) +
                       ",\"tid\":" + std::to_string(t_.tracks_[i].tid) + ",\"ts\":";
  }
  counter_prefix_.resize(t_.counters_.size());
  for (std::size_t i = 0; i < t_.counters_.size(); ++i) {
    counter_prefix_[i] = ",\"name\":" + quoted_[t_.counters_[i].series] +
                         ",\"pid\":" + std::to_string(t_.counters_[i].process + 1) +
                         ",\"tid\":0,\"ts\":";
  }
}

void Timeline::JsonOut::request_id(std::uint64_t request) {
  j_.raw(",\"cat\":\"request\",\"id\":\"0x");
  j_.hex(request);
  j_.raw("\"");
}

void Timeline::JsonOut::args(const Event& e, bool implicit_end) {
  bool any = false;
  auto key = [&](const char* k) {
    j_.raw(any ? ",\"" : ",\"args\":{\"");
    any = true;
    j_.raw(k);
    j_.raw("\":");
  };
  if (e.request != kNoRequest) {
    key("request");
    j_.uint(e.request);
  }
  if ((e.flags & kHasArg) != 0) {
    j_.raw(any ? "," : ",\"args\":{");
    any = true;
    j_.raw(quoted_[e.arg_key]);
    j_.raw(":");
    j_.sint(e.arg_value);
  }
  if ((e.flags & kClipped) != 0) {
    key("clipped");
    j_.raw("1");
  }
  if (implicit_end) {
    key("unterminated");
    j_.raw("1");
  }
  if (any) j_.raw("}");
}

void Timeline::JsonOut::event(const Event& e) {
  switch (e.phase) {
    case Phase::kComplete:
    case Phase::kInstant:
      begin_event(e.phase == Phase::kComplete ? "X" : "i");
      if (e.phase == Phase::kInstant) j_.raw(",\"s\":\"t\"");
      j_.raw(",\"name\":");
      j_.raw(quoted_[e.name]);
      j_.raw(track_prefix_[e.where - 1]);
      j_.picoseconds_as_us(e.ts);
      if (e.phase == Phase::kComplete) {
        j_.raw(",\"dur\":");
        j_.picoseconds_as_us(e.dur);
      }
      args(e, false);
      j_.raw("}");
      return;
    case Phase::kCounter:
      begin_event("C");
      j_.raw(counter_prefix_[e.where - 1]);
      j_.picoseconds_as_us(e.ts);
      j_.raw(",\"args\":{\"value\":");
      j_.real(e.counter_value);
      j_.raw("}}");
      return;
    case Phase::kAsyncBegin:
    case Phase::kAsyncEnd:
    case Phase::kAsyncInstant:
      begin_event(e.phase == Phase::kAsyncBegin ? "b" : e.phase == Phase::kAsyncEnd ? "e" : "n");
      request_id(e.request);
      j_.raw(",\"name\":");
      j_.raw(quoted_[e.name]);
      j_.raw(",\"pid\":");
      j_.uint(e.where + 1);
      j_.raw(",\"tid\":0,\"ts\":");
      j_.picoseconds_as_us(e.ts);
      args(e, (e.flags & kImplicitEnd) != 0);
      j_.raw("}");
      return;
  }
}

void Timeline::JsonOut::events() {
  prepare_prefixes();
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
      begin_event("e");
      request_id(request);
      j_.raw(",\"name\":");
      j_.string(t_.names_[o.name]);
      j_.raw(",\"pid\":");
      j_.uint(t_.requests_process_ + 1);
      j_.raw(",\"tid\":0,\"ts\":");
      j_.picoseconds_as_us(std::max(close_at, o.ts));
      j_.raw(",\"args\":{\"request\":");
      j_.uint(request);
      j_.raw(",\"unterminated\":1}}");
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
