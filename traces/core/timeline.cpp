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
  if (!admit_event(request)) return;
  const Time b = std::max(begin, w0);
  const Time e = std::min(end, w1);
  Event& ev = push(Phase::kComplete, b, n.value, t.value, request);
  ev.dur = e - b;
  last_time_ = std::max(last_time_, e);
  if (crosses) {
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
  if (stack.empty()) open_async_.erase(it);
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

void Timeline::write_json(std::ostream& out, const WriteOptions& w) const {
  JsonText j(out);
  j.raw("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"aesvp traces\"");
  j.raw(",\"trace_format_version\":1,\"time_source\":\"simulated picoseconds, ts/dur in us\"");
  j.raw(",\"window_begin_ps\":");
  j.uint(options_.window_begin);
  j.raw(",\"window_end_ps\":");
  if (options_.window_end == kTimeMax) j.raw("null"); else j.uint(options_.window_end);
  j.raw(",\"max_requests\":");
  if (options_.max_requests == kUnlimited) j.raw("null"); else j.uint(options_.max_requests);
  j.raw(",\"max_events\":");
  if (options_.max_events == kUnlimited) j.raw("null"); else j.uint(options_.max_events);
  const std::pair<const char*, std::uint64_t> count_fields[] = {
      {"recorded", counts_.recorded},
      {"dropped_window", counts_.dropped_window},
      {"dropped_request_limit", counts_.dropped_request_limit},
      {"dropped_cap", counts_.dropped_cap},
      {"dropped_invalid", counts_.dropped_invalid},
      {"unmatched_async_end", counts_.unmatched_async_end},
      {"clipped", counts_.clipped},
      {"requests_admitted", counts_.requests_admitted},
  };
  for (const auto& [key, value] : count_fields) {
    j.raw(",\"");
    j.raw(key);
    j.raw("\":");
    j.uint(value);
  }
  if (w.wall_clock_stamp) {
    j.raw(",\"generated_at\":");
    j.string(w.normalise ? std::string("1970-01-01T00:00:00Z") : utc_now());
  }
  j.raw("},\n\"traceEvents\":[\n");

  bool first = true;
  auto begin_event = [&](const char* ph) {
    if (!first) j.raw(",\n");
    first = false;
    j.raw("{\"ph\":\"");
    j.raw(ph);
    j.raw("\"");
  };

  // Metadata: names and order of processes and threads.
  for (std::uint32_t p = 0; p < processes_.size(); ++p) {
    begin_event("M");
    j.raw(",\"name\":\"process_name\",\"pid\":");
    j.uint(p + 1);
    j.raw(",\"tid\":0,\"args\":{\"name\":");
    j.string(names_[processes_[p]]);
    j.raw("}}");
    begin_event("M");
    j.raw(",\"name\":\"process_sort_index\",\"pid\":");
    j.uint(p + 1);
    j.raw(",\"tid\":0,\"args\":{\"sort_index\":");
    j.uint(p + 1);
    j.raw("}}");
  }
  for (const Track& t : tracks_) {
    begin_event("M");
    j.raw(",\"name\":\"thread_name\",\"pid\":");
    j.uint(t.process + 1);
    j.raw(",\"tid\":");
    j.uint(t.tid);
    j.raw(",\"args\":{\"name\":");
    j.string(names_[t.thread]);
    j.raw("}}");
    begin_event("M");
    j.raw(",\"name\":\"thread_sort_index\",\"pid\":");
    j.uint(t.process + 1);
    j.raw(",\"tid\":");
    j.uint(t.tid);
    j.raw(",\"args\":{\"sort_index\":");
    j.uint(t.tid);
    j.raw("}}");
  }

  // Counter levels in force when the window opens.
  if (options_.window_begin > 0) {
    for (const CounterSeries& s : counters_) {
      if (!s.has_pre_window) continue;
      begin_event("C");
      j.raw(",\"name\":");
      j.string(names_[s.series]);
      j.raw(",\"pid\":");
      j.uint(s.process + 1);
      j.raw(",\"tid\":0,\"ts\":");
      j.picoseconds_as_us(options_.window_begin);
      j.raw(",\"args\":{\"value\":");
      j.real(s.pre_window_value);
      j.raw("}}");
    }
  }

  // Events in time order; ties keep the recording order, except that enclosing complete
  // spans come before the spans they contain.
  std::vector<std::uint32_t> order(events_.size());
  std::iota(order.begin(), order.end(), 0u);
  auto rank = [this](std::uint32_t i) {
    const Event& e = events_[i];
    return e.phase == Phase::kComplete ? kTimeMax - 1 - e.dur : kTimeMax;
  };
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    const Time ta = events_[a].ts;
    const Time tb = events_[b].ts;
    if (ta != tb) return ta < tb;
    return rank(a) < rank(b);
  };
  if (!std::is_sorted(order.begin(), order.end(), before)) {
    std::stable_sort(order.begin(), order.end(), before);
  }

  // Pre-formatted pieces: quoted names and per-track / per-counter prefixes.
  std::vector<std::string> quoted(names_.size());
  for (std::size_t i = 0; i < names_.size(); ++i) quoted[i] = quote(names_[i]);
  std::vector<std::string> track_prefix(tracks_.size());
  for (std::size_t i = 0; i < tracks_.size(); ++i) {
    track_prefix[i] = ",\"pid\":" + std::to_string(tracks_[i].process + 1) +
                      ",\"tid\":" + std::to_string(tracks_[i].tid) + ",\"ts\":";
  }
  std::vector<std::string> counter_prefix(counters_.size());
  for (std::size_t i = 0; i < counters_.size(); ++i) {
    counter_prefix[i] = ",\"name\":" + quoted[counters_[i].series] +
                        ",\"pid\":" + std::to_string(counters_[i].process + 1) +
                        ",\"tid\":0,\"ts\":";
  }

  auto request_id = [&](std::uint64_t request) {
    j.raw(",\"cat\":\"request\",\"id\":\"0x");
    j.hex(request);
    j.raw("\"");
  };
  auto args = [&](const Event& e, bool implicit_end) {
    bool any = false;
    auto key = [&](const char* k) {
      j.raw(any ? ",\"" : ",\"args\":{\"");
      any = true;
      j.raw(k);
      j.raw("\":");
    };
    if (e.request != kNoRequest) {
      key("request");
      j.uint(e.request);
    }
    if ((e.flags & kHasArg) != 0) {
      j.raw(any ? "," : ",\"args\":{");
      any = true;
      j.raw(quoted[e.arg_key]);
      j.raw(":");
      j.sint(e.arg_value);
    }
    if ((e.flags & kClipped) != 0) {
      key("clipped");
      j.raw("1");
    }
    if (implicit_end) {
      key("unterminated");
      j.raw("1");
    }
    if (any) j.raw("}");
  };

  for (std::uint32_t i : order) {
    const Event& e = events_[i];
    switch (e.phase) {
      case Phase::kComplete:
      case Phase::kInstant: {
        begin_event(e.phase == Phase::kComplete ? "X" : "i");
        if (e.phase == Phase::kInstant) j.raw(",\"s\":\"t\"");
        j.raw(",\"name\":");
        j.raw(quoted[e.name]);
        j.raw(track_prefix[e.where - 1]);
        j.picoseconds_as_us(e.ts);
        if (e.phase == Phase::kComplete) {
          j.raw(",\"dur\":");
          j.picoseconds_as_us(e.dur);
        }
        args(e, false);
        j.raw("}");
        break;
      }
      case Phase::kCounter: {
        begin_event("C");
        j.raw(counter_prefix[e.where - 1]);
        j.picoseconds_as_us(e.ts);
        j.raw(",\"args\":{\"value\":");
        j.real(e.counter_value);
        j.raw("}}");
        break;
      }
      case Phase::kAsyncBegin:
      case Phase::kAsyncEnd:
      case Phase::kAsyncInstant: {
        begin_event(e.phase == Phase::kAsyncBegin ? "b"
                    : e.phase == Phase::kAsyncEnd ? "e"
                                                  : "n");
        request_id(e.request);
        j.raw(",\"name\":");
        j.raw(quoted[e.name]);
        j.raw(",\"pid\":");
        j.uint(e.where + 1);
        j.raw(",\"tid\":0,\"ts\":");
        j.picoseconds_as_us(e.ts);
        args(e, (e.flags & kImplicitEnd) != 0);
        j.raw("}");
        break;
      }
    }
  }

  // Close async phases still open (run ended inside them, or their end was cut off).
  std::vector<std::uint64_t> open_requests;
  open_requests.reserve(open_async_.size());
  for (const auto& [request, stack] : open_async_) open_requests.push_back(request);
  std::sort(open_requests.begin(), open_requests.end());
  const Time close_at = std::min(last_time_, options_.window_end);
  for (std::uint64_t request : open_requests) {
    const std::vector<OpenAsync>& stack = open_async_.at(request);
    for (std::size_t k = stack.size(); k > 0; --k) {
      const OpenAsync& o = stack[k - 1];
      if (o.state != OpenState::kRecorded) continue;
      begin_event("e");
      request_id(request);
      j.raw(",\"name\":");
      j.string(names_[o.name]);
      j.raw(",\"pid\":");
      j.uint(requests_process_ + 1);
      j.raw(",\"tid\":0,\"ts\":");
      j.picoseconds_as_us(std::max(close_at, o.ts));
      j.raw(",\"args\":{\"request\":");
      j.uint(request);
      j.raw(",\"unterminated\":1}}");
    }
  }
  j.raw("\n]}\n");
  j.flush();
}

bool Timeline::write_json_file(const std::string& path, const WriteOptions& w) const {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return false;
  write_json(f, w);
  f.flush();
  return static_cast<bool>(f);
}

}  // namespace aesvp::traces
