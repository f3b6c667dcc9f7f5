// Run statistics: latency percentiles and histograms, counters, time-weighted levels
// (queue depths), utilisation, and the versioned statistics JSON (docs/traces.md).
//
// Pure data: the simulator fills these; nothing here reads clocks or SystemC.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "traces/core/timeline.h"  // Time (picoseconds)

namespace aesvp::traces {

/// busy / elapsed, 0 when elapsed is 0.
inline double utilisation(Time busy, Time elapsed) {
  return elapsed == 0 ? 0.0 : static_cast<double>(busy) / static_cast<double>(elapsed);
}

/// ps -> us / s as doubles (for JSON).
inline double ps_to_us(Time ps) { return static_cast<double>(ps) * 1e-6; }
inline double ps_to_s(Time ps) { return static_cast<double>(ps) * 1e-12; }

/// Exact latency statistics from stored samples (8 bytes per sample).
///
/// Percentiles use the nearest-rank definition: percentile(p) is the smallest sample v such
/// that at least p% of the samples are <= v (p = 0 gives the minimum). p is taken with a
/// resolution of 1e-4 percent, so percentile(99.9) needs no floating-point luck.
class LatencyRecorder {
 public:
  struct Bucket {
    Time lower;  ///< inclusive
    Time upper;  ///< exclusive
    std::uint64_t count;
  };

  void reserve(std::size_t n) { samples_.reserve(n); }
  void add(Time latency) {
    samples_.push_back(latency);
    sorted_ = false;
    sum_ += static_cast<long double>(latency);
  }
  void merge(const LatencyRecorder& other);
  void clear();

  std::size_t count() const noexcept { return samples_.size(); }
  bool empty() const noexcept { return samples_.empty(); }
  /// The following return 0 when empty.
  Time min() const;
  Time max() const;
  double mean() const;    ///< ps
  double stddev() const;  ///< ps, population standard deviation
  Time percentile(double p) const;

  /// Log-linear histogram for plotting: values below 2^bits have buckets of width 1, then
  /// every power-of-two range [2^e, 2^(e+1)) is split into 2^bits equal buckets, so a
  /// bucket is at most 1/2^bits of its lower bound wide (bits = 3: 12.5 %). Buckets from
  /// the first to the last non-empty one, empty ones in between included.
  std::vector<Bucket> histogram(unsigned bits = 3) const;
  /// The smallest bits in [3, 10] whose histogram has at least `min_buckets` buckets (10 if
  /// none has): samples that all lie within a few per cent of each other still give a
  /// histogram with some shape.
  unsigned histogram_bits_for(std::size_t min_buckets) const;

  /// {"count", "min_us", "mean_us", "stddev_us", "p50_us", "p90_us", "p99_us", "p99_9_us",
  ///  "max_us", "histogram": {"bits", "buckets": [[lower_us, upper_us, count], ...]}}
  nlohmann::json to_json(unsigned histogram_bits = 3) const;

  const std::vector<Time>& samples() const { return samples_; }

 private:
  void sort() const;
  mutable std::vector<Time> samples_;
  mutable bool sorted_ = true;
  long double sum_ = 0;
};

/// Named event counters, written in name order.
class Counters {
 public:
  void add(std::string_view name, std::uint64_t delta = 1);
  void set(std::string_view name, std::uint64_t value);
  std::uint64_t get(std::string_view name) const;
  nlohmann::json to_json() const;
  const std::map<std::string, std::uint64_t, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, std::uint64_t, std::less<>> values_;
};

/// A level over simulated time (e.g. queue depth): time-weighted mean, max, samples.
/// Times must not go backwards (earlier times are treated as the latest time seen).
class LevelTracker {
 public:
  explicit LevelTracker(Time start = 0, double initial = 0.0);
  void set(Time at, double level);
  void add(Time at, double delta) { set(at, level_ + delta); }
  double level() const noexcept { return level_; }
  double max() const noexcept { return max_; }
  std::uint64_t samples() const noexcept { return samples_; }
  /// Time-weighted mean over [start, end] (the level holds until end).
  double mean(Time end) const;
  /// {"mean", "max", "final", "samples", "elapsed_ps"}
  nlohmann::json to_json(Time end) const;

 private:
  Time start_;
  Time last_;
  double level_;
  double max_;
  long double area_ = 0;  // level * ps
  std::uint64_t samples_ = 0;
};

/// Busy time of one resource; begin/end nest (busy while at least one is open).
class BusyTracker {
 public:
  void begin(Time at);
  void end(Time at);
  void add(Time busy) { busy_ += busy; }
  /// Busy time, counting an interval still open up to `now`.
  Time busy(Time now) const;
  Time busy() const noexcept { return busy_; }
  bool active() const noexcept { return depth_ > 0; }

 private:
  Time busy_ = 0;
  Time since_ = 0;
  unsigned depth_ = 0;
};

/// The standard request counts (always present in the JSON).
struct RequestCounts {
  std::uint64_t submitted = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t verified = 0;
  std::uint64_t sectors = 0;
};

struct StatsJsonOptions {
  /// Write host time (and what derives from it) as null so the file is byte-reproducible.
  bool normalise_host_time = false;
  /// Histogram resolution of every latency; 0 (default): per latency, histogram_bits_for(20).
  unsigned histogram_bits = 0;
};

/// Builder of the run statistics JSON ("aesvp.run-statistics", schema_version 1).
class RunStatistics {
 public:
  static constexpr int kSchemaVersion = 1;

  RunStatistics& run(std::string command, std::uint64_t seed, std::string timing_mode);
  RunStatistics& simulated_time(Time elapsed);
  RunStatistics& host_time(double seconds);
  /// Bytes processed; parts (e.g. "write", "read") add up to the total.
  RunStatistics& bytes(std::string_view part, std::uint64_t bytes);
  /// One phase of the job (e.g. "write", then "read") with its own simulated interval: its
  /// throughput is over that interval (what the run summary prints per phase), where a part's
  /// is over the whole run.
  RunStatistics& phase(std::string_view name, std::uint64_t bytes, Time simulated_ps);
  RunStatistics& latency(std::string_view name, const LatencyRecorder& recorder);
  /// Hardware utilisation, e.g. "aes", "dma" (or per instance "AES1", "sDMA").
  /// elapsed 0 = the run's simulated time.
  RunStatistics& hardware_busy(std::string_view resource, Time busy, Time elapsed = 0);
  RunStatistics& cpu_cores(unsigned cores);
  /// CPU busy time of one core in one context class ("hardirq", "softirq", "rt-thread",
  /// "thread", ...). Adds up over calls.
  RunStatistics& cpu_busy(unsigned core, std::string_view context_class, Time busy);
  RunStatistics& queue_depth(std::string_view name, const LevelTracker& level);
  RunStatistics& counts(const RequestCounts& counts);
  /// Extra counts, written after the standard ones.
  RunStatistics& count(std::string_view name, std::uint64_t value);
  RunStatistics& configuration(nlohmann::json effective_configuration);

  nlohmann::json to_json(const StatsJsonOptions& options = {}) const;

 private:
  struct Busy {
    Time busy = 0;
    Time elapsed = 0;
  };
  std::string command_;
  std::uint64_t seed_ = 0;
  std::string timing_mode_;
  Time simulated_ = 0;
  double host_s_ = -1.0;  // < 0: not given
  std::map<std::string, std::uint64_t, std::less<>> bytes_;
  struct Phase {
    std::string name;
    std::uint64_t bytes;
    Time simulated_ps;
  };
  std::vector<Phase> phases_;  // in job order
  std::map<std::string, LatencyRecorder, std::less<>> latency_;
  std::map<std::string, Busy, std::less<>> hardware_;
  unsigned cores_ = 0;
  std::vector<std::map<std::string, Time, std::less<>>> cpu_;  // core -> class -> busy
  std::map<std::string, LevelTracker, std::less<>> queue_levels_;
  RequestCounts counts_;
  std::map<std::string, std::uint64_t, std::less<>> extra_counts_;
  nlohmann::json configuration_ = nlohmann::json::object();
};

}  // namespace aesvp::traces
