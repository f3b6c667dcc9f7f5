// Timeline recorder: simulated-time events written as Chrome / Perfetto trace-event JSON.
//
// Model (see docs/traces.md):
//  - Time is simulated picoseconds (Time = std::uint64_t).
//  - Tracks are (process, thread) pairs, e.g. ("CPU0", "hardirq"), ("AES1", "core"),
//    ("sDMA", "ch0"). Each distinct process gets a pid, each track a tid, in order of
//    first registration (deterministic).
//  - Spans ("X" complete events) and instants ("i") live on a track and may carry a
//    request id (written as args.request).
//  - Counters ("C") are named series in a process (default process "counters").
//  - Per-request phases are async spans ("b"/"e", cat "request", id = request id) shown in
//    the "requests" process; one request's phases must nest (LIFO) or follow each other.
//  - Limits: a simulated-time window [begin, end), a request-count limit (first N distinct
//    request ids that produce a recorded event), a hard cap on stored events.
//
// Cost model: a Timeline built with enabled = false records nothing and allocates nothing;
// every recording call is an inline test of one bool. The recommended hot-path pattern is a
// `Timeline*` that is null when tracing is off (`if (tl) tl->span(...)`), which costs one
// pointer test. Names given as std::string_view are interned per call (one hash lookup);
// hot paths should intern once with name() and pass the NameId.
//
// Not thread-safe: one Timeline is used from one thread at a time (SystemC is
// single-threaded; other users must serialise).
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace aesvp::traces {

/// Simulated time in picoseconds.
using Time = std::uint64_t;

inline constexpr Time kTimeMax = std::numeric_limits<Time>::max();
/// Request id meaning "this event belongs to no request".
inline constexpr std::uint64_t kNoRequest = std::numeric_limits<std::uint64_t>::max();
/// "No limit" for TimelineOptions::max_requests / max_events.
inline constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

/// A (process, thread) track. Value 0 is the invalid/dummy track returned when disabled.
struct TrackId {
  std::uint32_t value = 0;
  friend bool operator==(TrackId a, TrackId b) { return a.value == b.value; }
  friend bool operator!=(TrackId a, TrackId b) { return a.value != b.value; }
};

/// A counter series (process + series name).
struct CounterId {
  std::uint32_t value = 0;
  friend bool operator==(CounterId a, CounterId b) { return a.value == b.value; }
  friend bool operator!=(CounterId a, CounterId b) { return a.value != b.value; }
};

/// An interned event name or argument key.
struct NameId {
  std::uint32_t value = 0;
  friend bool operator==(NameId a, NameId b) { return a.value == b.value; }
  friend bool operator!=(NameId a, NameId b) { return a.value != b.value; }
};

/// One optional integer argument on a span or instant (e.g. {"bytes", 4096}).
struct Arg {
  NameId key;
  std::int64_t value = 0;
};

struct TimelineOptions {
  /// False: the timeline records nothing and allocates nothing.
  bool enabled = true;
  /// Simulated-time window [window_begin, window_end). Events outside are dropped.
  Time window_begin = 0;
  Time window_end = kTimeMax;
  /// Spans crossing a window edge: true = clipped to the window (args.clipped = 1),
  /// false = dropped unless entirely inside.
  bool clip_spans = true;
  /// Only the first N distinct request ids that get an event recorded are kept; events
  /// of later requests are dropped. Events without a request id are unaffected.
  std::uint64_t max_requests = kUnlimited;
  /// Hard cap on stored events (metadata not counted). Ends of async spans whose begin
  /// was stored are always stored, so the cap may be exceeded by the open async spans.
  std::uint64_t max_events = 4u << 20;  // 4 Mi events, about 200 MB
  /// Process holding per-request async spans and the default counter process.
  std::string requests_process = "requests";
  std::string counters_process = "counters";
};

/// What happened to offered events (all counts are events, not bytes).
struct TimelineCounts {
  std::uint64_t recorded = 0;            ///< stored events
  std::uint64_t dropped_window = 0;      ///< outside the window (or crossing it, no clip)
  std::uint64_t dropped_request_limit = 0;
  std::uint64_t dropped_cap = 0;         ///< over max_events
  std::uint64_t dropped_invalid = 0;     ///< end < begin, non-finite counter, bad ids
  std::uint64_t unmatched_async_end = 0; ///< async_end with no open begin of that name
  std::uint64_t clipped = 0;             ///< spans clipped to the window
  std::uint64_t requests_admitted = 0;   ///< distinct request ids kept (only with max_requests)
  /// With max_requests: the time at which the last admitted request closed its last async
  /// phase (kTimeMax while none or not all have). Events after it are dropped
  /// (dropped_request_limit), spans crossing it clipped: every event class ends there.
  Time request_limit_end = kTimeMax;
};

struct WriteOptions {
  /// Add otherData.generated_at (UTC wall clock). Off by default: output depends only on
  /// the recorded events.
  bool wall_clock_stamp = false;
  /// With wall_clock_stamp: write a fixed "1970-01-01T00:00:00Z" instead (normalised).
  bool normalise = false;
};

class Timeline {
 public:
  explicit Timeline(TimelineOptions options = {});

  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  /// One cheap check. Callers may also hold a Timeline* that is null when off.
  bool enabled() const noexcept { return enabled_; }
  const TimelineOptions& options() const noexcept { return options_; }

  // ---- registration (not hot; idempotent: same names -> same id) ----------------------
  TrackId track(std::string_view process, std::string_view thread);
  /// Registers a process without a track yet, to fix the display order (processes are
  /// ordered by first registration).
  void process(std::string_view process) {
    if (enabled_) process_index(process);
  }
  CounterId counter_track(std::string_view process, std::string_view series);
  NameId name(std::string_view text);

  // ---- recording (hot; inline early-out when disabled) --------------------------------
  /// Complete span [begin, end) on a track ("X").
  void span(TrackId t, NameId n, Time begin, Time end, std::uint64_t request = kNoRequest) {
    if (enabled_) record_span(t, n, begin, end, request, nullptr);
  }
  void span(TrackId t, NameId n, Time begin, Time end, std::uint64_t request, Arg arg) {
    if (enabled_) record_span(t, n, begin, end, request, &arg);
  }
  void span(TrackId t, std::string_view n, Time begin, Time end,
            std::uint64_t request = kNoRequest) {
    if (enabled_) record_span(t, name(n), begin, end, request, nullptr);
  }
  void span(TrackId t, std::string_view n, Time begin, Time end, std::uint64_t request,
            Arg arg) {
    if (enabled_) record_span(t, name(n), begin, end, request, &arg);
  }

  /// Instant on a track ("i", thread scope).
  void instant(TrackId t, NameId n, Time at, std::uint64_t request = kNoRequest) {
    if (enabled_) record_instant(t, n, at, request, nullptr);
  }
  void instant(TrackId t, NameId n, Time at, std::uint64_t request, Arg arg) {
    if (enabled_) record_instant(t, n, at, request, &arg);
  }
  void instant(TrackId t, std::string_view n, Time at, std::uint64_t request = kNoRequest) {
    if (enabled_) record_instant(t, name(n), at, request, nullptr);
  }
  void instant(TrackId t, std::string_view n, Time at, std::uint64_t request, Arg arg) {
    if (enabled_) record_instant(t, name(n), at, request, &arg);
  }

  /// Counter sample ("C"): the series holds `value` from `at` until the next sample.
  void counter(CounterId c, Time at, double value) {
    if (enabled_) record_counter(c, at, value);
  }
  /// Series `series` in the counters process (interned per call: prefer CounterId).
  void counter(std::string_view series, Time at, double value) {
    if (enabled_) record_counter(counter_track(options_.counters_process, series), at, value);
  }

  /// Per-request async phase ("b"/"e", cat "request", id = request). Phases of one request
  /// must nest (LIFO) or be sequential; an end closes the innermost open phase of that name.
  void async_begin(NameId n, std::uint64_t request, Time at) {
    if (enabled_) record_async_begin(n, request, at);
  }
  void async_end(NameId n, std::uint64_t request, Time at) {
    if (enabled_) record_async_end(n, request, at);
  }
  void async_begin(std::string_view n, std::uint64_t request, Time at) {
    if (enabled_) record_async_begin(name(n), request, at);
  }
  void async_end(std::string_view n, std::uint64_t request, Time at) {
    if (enabled_) record_async_end(name(n), request, at);
  }
  /// Instant on the request's async track ("n").
  void async_instant(NameId n, std::uint64_t request, Time at) {
    if (enabled_) record_async_instant(n, request, at);
  }
  void async_instant(std::string_view n, std::uint64_t request, Time at) {
    if (enabled_) record_async_instant(name(n), request, at);
  }

  // ---- output ------------------------------------------------------------------------
  /// Chrome trace-event JSON (object form). Same recorded sequence -> same bytes.
  /// Async spans still open are closed at the last recorded time (args.unterminated = 1).
  void write_json(std::ostream& out, const WriteOptions& w = {}) const;
  /// Convenience: write to a file; returns false (and leaves errno) on I/O failure.
  bool write_json_file(const std::string& path, const WriteOptions& w = {}) const;

  const TimelineCounts& counts() const noexcept { return counts_; }
  /// Describes the run (command, profile, cipher, size, seed, ...): written as
  /// otherData.run {key: value}, in the order given (a key given again replaces its value).
  void set_info(std::string_view key, std::string_view value);
  /// One line saying what the limits dropped ("" when nothing was): the event cap (events
  /// lost in the middle of the run) first, then the request limit and the window.
  std::string drop_summary() const;
  std::size_t event_count() const noexcept { return events_.size(); }
  /// Drop all events and request bookkeeping; keeps tracks, counters and names.
  void clear();

 private:
  class JsonOut;  // write_json's steps (timeline.cpp)
  enum class Phase : std::uint8_t { kComplete, kInstant, kCounter, kAsyncBegin, kAsyncEnd,
                                    kAsyncInstant };
  enum Flags : std::uint8_t { kHasArg = 1, kClipped = 2, kImplicitEnd = 4 };

  struct Event {
    Time ts;
    Time dur;
    std::uint64_t request;
    union {
      double counter_value;
      std::int64_t arg_value;
    };
    std::uint32_t name;   // NameId
    std::uint32_t where;  // TrackId or CounterId
    std::uint32_t arg_key;
    Phase phase;
    std::uint8_t flags;
  };

  // Events in fixed-size chunks: no copying on growth, each event written once.
  class EventStore {
   public:
    std::size_t size() const noexcept { return size_; }
    Event& emplace_back() {
      if ((size_ >> kShift) == chunks_.size()) chunks_.emplace_back(new Event[kChunk]);
      Event& e = chunks_[size_ >> kShift][size_ & kMask];
      ++size_;
      return e;
    }
    const Event& operator[](std::size_t i) const { return chunks_[i >> kShift][i & kMask]; }
    void clear() noexcept { size_ = 0; }  // keeps the chunks for reuse

   private:
    static constexpr unsigned kShift = 13;  // 8192 events (384 KiB) per chunk
    static constexpr std::size_t kChunk = std::size_t{1} << kShift;
    static constexpr std::size_t kMask = kChunk - 1;
    std::vector<std::unique_ptr<Event[]>> chunks_;
    std::size_t size_ = 0;
  };

  struct Track {
    std::uint32_t process;  // index into processes_
    std::uint32_t thread;   // NameId of the thread name
    std::uint32_t tid;
  };
  struct CounterSeries {
    std::uint32_t process;
    std::uint32_t series;  // NameId
    bool has_pre_window = false;
    double pre_window_value = 0.0;  // last value before window_begin
  };
  enum class OpenState : std::uint8_t {
    kRecorded,       // begin stored
    kBeforeWindow,   // began before window_begin; stored at window_begin if still open
    kDroppedWindow,  // began at or after window_end
    kDroppedLimit,   // request over the request-count limit
    kDroppedCap      // event cap reached
  };
  struct OpenAsync {
    std::uint32_t name;
    OpenState state;
    Time ts;  // begin time (stored time once recorded)
  };

  void record_span(TrackId t, NameId n, Time begin, Time end, std::uint64_t request,
                   const Arg* arg);
  void record_instant(TrackId t, NameId n, Time at, std::uint64_t request, const Arg* arg);
  void record_counter(CounterId c, Time at, double value);
  void record_async_begin(NameId n, std::uint64_t request, Time at);
  void record_async_end(NameId n, std::uint64_t request, Time at);
  void record_async_instant(NameId n, std::uint64_t request, Time at);

  bool admit(std::uint64_t request);
  // The end of the request limit (kTimeMax until every admitted request has finished).
  Time limit_end() const noexcept { return counts_.request_limit_end; }
  // Called when a request's last open async phase closed at `at`.
  void request_finished(Time at);
  // Room under the event cap and (for a request's event) under the request limit; counts
  // what it drops.
  bool admit_event(std::uint64_t request);
  static void set_arg(Event& ev, const Arg* arg);
  bool room() const noexcept { return events_.size() < options_.max_events; }
  Event& push(Phase phase, Time ts, std::uint32_t name, std::uint32_t where,
              std::uint64_t request);
  /// Record the begins of phases opened before the window (at window_begin), bottom-up.
  /// Returns false if the request is not admitted (pending phases are then dropped).
  bool materialise(std::uint64_t request, std::vector<OpenAsync>& stack);
  std::uint32_t process_index(std::string_view process);
  bool request_refused(std::uint64_t request) const;
  void drop(OpenState reason);
  std::uint32_t requests_process();

  TimelineOptions options_;
  bool enabled_;

  std::deque<std::string> name_storage_;  // stable storage for interned names
  std::unordered_map<std::string_view, std::uint32_t> name_index_;
  std::vector<std::string_view> names_;  // NameId -> text

  std::vector<std::uint32_t> processes_;  // process index -> NameId
  std::vector<std::uint32_t> threads_in_process_;  // process index -> tracks so far
  std::uint32_t requests_process_ = kNoProcess;
  static constexpr std::uint32_t kNoProcess = std::numeric_limits<std::uint32_t>::max();
  std::vector<Track> tracks_;             // TrackId.value - 1 -> track
  std::unordered_map<std::uint64_t, std::uint32_t> track_index_;    // (proc, thread) -> id
  std::vector<CounterSeries> counters_;  // CounterId.value - 1 -> series
  std::unordered_map<std::uint64_t, std::uint32_t> counter_index_;  // (proc, series) -> id

  EventStore events_;
  std::unordered_set<std::uint64_t> admitted_;
  std::unordered_map<std::uint64_t, std::vector<OpenAsync>> open_async_;
  Time last_time_ = 0;  // latest recorded timestamp (end of spans included)
  TimelineCounts counts_;
  std::vector<std::pair<std::string, std::string>> info_;
};

/// Helper for hot paths holding a possibly-null pointer.
inline bool tracing(const Timeline* t) noexcept { return t != nullptr && t->enabled(); }

}  // namespace aesvp::traces
