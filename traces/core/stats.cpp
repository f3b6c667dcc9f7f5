#include "traces/core/stats.h"

#include <algorithm>
#include <cmath>

namespace aesvp::traces {

// ---- LatencyRecorder ----------------------------------------------------------------

void LatencyRecorder::sort() const {
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
}

void LatencyRecorder::merge(const LatencyRecorder& other) {
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  sum_ += other.sum_;
  sorted_ = samples_.empty();
}

void LatencyRecorder::clear() {
  samples_.clear();
  sorted_ = true;
  sum_ = 0;
}

Time LatencyRecorder::min() const {
  if (samples_.empty()) return 0;
  sort();
  return samples_.front();
}

Time LatencyRecorder::max() const {
  if (samples_.empty()) return 0;
  sort();
  return samples_.back();
}

double LatencyRecorder::mean() const {
  if (samples_.empty()) return 0.0;
  return static_cast<double>(sum_ / static_cast<long double>(samples_.size()));
}

double LatencyRecorder::stddev() const {
  if (samples_.size() < 2) return 0.0;
  const long double m = sum_ / static_cast<long double>(samples_.size());
  long double acc = 0;
  for (const Time s : samples_) {
    const long double d = static_cast<long double>(s) - m;
    acc += d * d;
  }
  return static_cast<double>(std::sqrt(acc / static_cast<long double>(samples_.size())));
}

Time LatencyRecorder::percentile(double p) const {
  if (samples_.empty()) return 0;
  sort();
  const double clamped = std::clamp(p, 0.0, 100.0);
  // p in units of 1e-4 percent (parts per million of the sample count).
  const auto ppm = static_cast<std::uint64_t>(std::llround(clamped * 10000.0));
  const std::uint64_t n = samples_.size();
  std::uint64_t rank = (ppm * n + 999999) / 1000000;  // ceil(p/100 * n)
  rank = std::clamp<std::uint64_t>(rank, 1, n);
  return samples_[rank - 1];
}

namespace {

std::uint64_t bucket_index(Time v, unsigned bits) {
  const Time sub = Time{1} << bits;
  if (v < sub) return v;
  unsigned e = 63;
  while (((v >> e) & 1U) == 0) --e;
  const Time mantissa = (v >> (e - bits)) - sub;
  return (static_cast<std::uint64_t>(e - bits) + 1) * sub + mantissa;
}

void bucket_bounds(std::uint64_t index, unsigned bits, Time& lower, Time& upper) {
  const Time sub = Time{1} << bits;
  if (index < sub) {
    lower = index;
    upper = index + 1;
    return;
  }
  const std::uint64_t shift = index / sub - 1;
  const Time mantissa = index % sub;
  lower = (sub + mantissa) << shift;
  const Time top = sub + mantissa + 1;
  // The last bucket's upper bound may not fit in 64 bits.
  upper = shift >= 64 - (bits + 1) && (top >> (64 - shift)) != 0 ? kTimeMax : top << shift;
}

}  // namespace

std::vector<LatencyRecorder::Bucket> LatencyRecorder::histogram(unsigned bits) const {
  std::vector<Bucket> out;
  if (samples_.empty()) return out;
  bits = std::min(bits, 16U);
  sort();
  const std::uint64_t first = bucket_index(samples_.front(), bits);
  const std::uint64_t last = bucket_index(samples_.back(), bits);
  out.reserve(last - first + 1);
  for (std::uint64_t i = first; i <= last; ++i) {
    Bucket b{};
    bucket_bounds(i, bits, b.lower, b.upper);
    out.push_back(b);
  }
  for (const Time s : samples_) ++out[bucket_index(s, bits) - first].count;
  return out;
}

unsigned LatencyRecorder::histogram_bits_for(std::size_t min_buckets) const {
  unsigned bits = 3;
  while (bits < 10 && histogram(bits).size() < min_buckets) ++bits;
  return bits;
}

nlohmann::json LatencyRecorder::to_json(unsigned histogram_bits) const {
  nlohmann::json j = nlohmann::json::object();
  j["count"] = samples_.size();
  j["min_us"] = ps_to_us(min());
  j["mean_us"] = mean() * 1e-6;
  j["stddev_us"] = stddev() * 1e-6;
  j["p50_us"] = ps_to_us(percentile(50));
  j["p90_us"] = ps_to_us(percentile(90));
  j["p99_us"] = ps_to_us(percentile(99));
  j["p99_9_us"] = ps_to_us(percentile(99.9));
  j["max_us"] = ps_to_us(max());
  nlohmann::json buckets = nlohmann::json::array();
  for (const Bucket& b : histogram(histogram_bits)) {
    buckets.push_back(nlohmann::json::array({ps_to_us(b.lower), ps_to_us(b.upper), b.count}));
  }
  j["histogram"] = {{"bits", histogram_bits}, {"buckets", std::move(buckets)}};
  return j;
}

// ---- Counters -------------------------------------------------------------------------

void Counters::add(std::string_view name, std::uint64_t delta) {
  auto it = values_.find(name);
  if (it == values_.end()) it = values_.emplace(std::string(name), 0).first;
  it->second += delta;
}

void Counters::set(std::string_view name, std::uint64_t value) {
  auto it = values_.find(name);
  if (it == values_.end()) it = values_.emplace(std::string(name), 0).first;
  it->second = value;
}

std::uint64_t Counters::get(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : it->second;
}

nlohmann::json Counters::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : values_) j[k] = v;
  return j;
}

// ---- LevelTracker -------------------------------------------------------------------

LevelTracker::LevelTracker(Time start, double initial)
    : start_(start), last_(start), level_(initial), max_(initial) {}

void LevelTracker::set(Time at, double level) {
  if (at > last_) {
    area_ += static_cast<long double>(level_) * static_cast<long double>(at - last_);
    last_ = at;
  }
  level_ = level;
  max_ = std::max(max_, level);
  ++samples_;
}

double LevelTracker::mean(Time end) const {
  long double area = area_;
  Time until = last_;
  if (end > last_) {
    area += static_cast<long double>(level_) * static_cast<long double>(end - last_);
    until = end;
  }
  if (until <= start_) return level_;
  return static_cast<double>(area / static_cast<long double>(until - start_));
}

nlohmann::json LevelTracker::to_json(Time end) const {
  return {{"mean", mean(end)},
          {"max", max_},
          {"final", level_},
          {"samples", samples_},
          {"elapsed_ps", std::max(end, last_) - start_}};
}

// ---- BusyTracker --------------------------------------------------------------------

void BusyTracker::begin(Time at) {
  if (depth_++ == 0) since_ = at;
}

void BusyTracker::end(Time at) {
  if (depth_ == 0) return;
  if (--depth_ == 0 && at > since_) busy_ += at - since_;
}

Time BusyTracker::busy(Time now) const {
  return depth_ > 0 && now > since_ ? busy_ + (now - since_) : busy_;
}

// ---- RunStatistics ------------------------------------------------------------------

RunStatistics& RunStatistics::run(std::string command, std::uint64_t seed,
                                  std::string timing_mode) {
  command_ = std::move(command);
  seed_ = seed;
  timing_mode_ = std::move(timing_mode);
  return *this;
}

RunStatistics& RunStatistics::simulated_time(Time elapsed) {
  simulated_ = elapsed;
  return *this;
}

RunStatistics& RunStatistics::host_time(double seconds) {
  host_s_ = seconds;
  return *this;
}

RunStatistics& RunStatistics::bytes(std::string_view part, std::uint64_t n) {
  auto it = bytes_.find(part);
  if (it == bytes_.end()) it = bytes_.emplace(std::string(part), 0).first;
  it->second += n;
  return *this;
}

RunStatistics& RunStatistics::phase(std::string_view name, std::uint64_t n, Time simulated_ps) {
  phases_.push_back({std::string(name), n, simulated_ps});
  return *this;
}

RunStatistics& RunStatistics::latency(std::string_view name, const LatencyRecorder& recorder) {
  latency_.insert_or_assign(std::string(name), recorder);
  return *this;
}

RunStatistics& RunStatistics::hardware_busy(std::string_view resource, Time busy, Time elapsed) {
  hardware_.insert_or_assign(std::string(resource), Busy{busy, elapsed});
  return *this;
}

RunStatistics& RunStatistics::cpu_cores(unsigned cores) {
  cores_ = cores;
  if (cpu_.size() < cores) cpu_.resize(cores);
  return *this;
}

RunStatistics& RunStatistics::cpu_busy(unsigned core, std::string_view context_class, Time busy) {
  if (core >= cpu_.size()) cpu_.resize(core + 1);
  cores_ = std::max<unsigned>(cores_, core + 1);
  auto& classes = cpu_[core];
  auto it = classes.find(context_class);
  if (it == classes.end()) it = classes.emplace(std::string(context_class), 0).first;
  it->second += busy;
  return *this;
}

RunStatistics& RunStatistics::queue_depth(std::string_view name, const LevelTracker& level) {
  queue_levels_.insert_or_assign(std::string(name), level);
  return *this;
}

RunStatistics& RunStatistics::counts(const RequestCounts& c) {
  counts_ = c;
  return *this;
}

RunStatistics& RunStatistics::count(std::string_view name, std::uint64_t value) {
  extra_counts_.insert_or_assign(std::string(name), value);
  return *this;
}

RunStatistics& RunStatistics::configuration(nlohmann::json effective_configuration) {
  configuration_ = std::move(effective_configuration);
  return *this;
}

nlohmann::json RunStatistics::to_json(const StatsJsonOptions& options) const {
  using nlohmann::json;
  const double sim_s = ps_to_s(simulated_);
  const bool have_host = host_s_ >= 0.0 && !options.normalise_host_time;

  json j = json::object();
  j["schema"] = "aesvp.run-statistics";
  j["schema_version"] = kSchemaVersion;
  j["run"] = {{"command", command_}, {"seed", seed_}, {"timing_mode", timing_mode_}};

  json time = json::object();
  time["simulated_ps"] = simulated_;
  time["simulated_s"] = sim_s;
  time["host_s"] = have_host ? json(host_s_) : json(nullptr);
  time["simulated_per_host"] =
      have_host && host_s_ > 0.0 ? json(sim_s / host_s_) : json(nullptr);
  j["time"] = std::move(time);

  auto mb_per_s = [&](std::uint64_t b) {
    return sim_s > 0.0 ? static_cast<double>(b) / sim_s / 1e6 : 0.0;
  };
  std::uint64_t total = 0;
  json parts = json::object();
  for (const auto& [part, b] : bytes_) {
    total += b;
    parts[part] = {{"bytes", b}, {"mb_per_s", mb_per_s(b)}};
  }
  j["throughput"] = {{"bytes", total}, {"mb_per_s", mb_per_s(total)}, {"parts", std::move(parts)}};
  if (!phases_.empty()) {
    json phases = json::array();
    for (const Phase& p : phases_) {
      const double s = static_cast<double>(p.simulated_ps) * 1e-12;
      phases.push_back({{"name", p.name}, {"bytes", p.bytes}, {"simulated_s", s},
                        {"mb_per_s", s > 0.0 ? static_cast<double>(p.bytes) / s / 1e6 : 0.0}});
    }
    j["throughput"]["phases"] = std::move(phases);
  }

  json latency = json::object();
  for (const auto& [name, rec] : latency_) {
    const unsigned bits =
        options.histogram_bits != 0 ? options.histogram_bits : rec.histogram_bits_for(20);
    latency[name] = rec.to_json(bits);
  }
  j["latency"] = std::move(latency);

  json hardware = json::object();
  for (const auto& [name, b] : hardware_) {
    const Time elapsed = b.elapsed != 0 ? b.elapsed : simulated_;
    hardware[name] = {{"busy_ps", b.busy},
                      {"elapsed_ps", elapsed},
                      {"fraction", traces::utilisation(b.busy, elapsed)}};
  }
  json per_core = json::array();
  std::map<std::string, Time, std::less<>> per_class;
  Time cpu_total = 0;
  for (unsigned core = 0; core < cores_; ++core) {
    Time core_busy = 0;
    json contexts = json::object();
    if (core < cpu_.size()) {
      for (const auto& [cls, busy] : cpu_[core]) {
        core_busy += busy;
        per_class[cls] += busy;
        contexts[cls] = {{"busy_ps", busy}, {"fraction", traces::utilisation(busy, simulated_)}};
      }
    }
    cpu_total += core_busy;
    per_core.push_back({{"core", core},
                        {"busy_ps", core_busy},
                        {"fraction", traces::utilisation(core_busy, simulated_)},
                        {"contexts", std::move(contexts)}});
  }
  const double capacity = static_cast<double>(simulated_) * cores_;
  auto of_capacity = [&](Time busy) {
    return capacity > 0.0 ? static_cast<double>(busy) / capacity : 0.0;
  };
  json per_context = json::object();
  for (const auto& [cls, busy] : per_class) {
    per_context[cls] = {{"busy_ps", busy},
                        {"fraction", of_capacity(busy)},
                        {"cores_equivalent", traces::utilisation(busy, simulated_)}};
  }
  j["utilisation"] = {
      {"hardware", std::move(hardware)},
      {"cpu",
       {{"cores", cores_},
        {"busy_ps", cpu_total},
        {"fraction", of_capacity(cpu_total)},
        {"cores_equivalent", traces::utilisation(cpu_total, simulated_)},
        {"per_core", std::move(per_core)},
        {"per_context", std::move(per_context)}}}};

  json queues = json::object();
  for (const auto& [name, level] : queue_levels_) queues[name] = level.to_json(simulated_);
  j["queue_depths"] = std::move(queues);

  json counts = json::object();
  counts["requests_submitted"] = counts_.submitted;
  counts["requests_completed"] = counts_.completed;
  counts["requests_failed"] = counts_.failed;
  counts["requests_verified"] = counts_.verified;
  counts["sectors"] = counts_.sectors;
  for (const auto& [name, v] : extra_counts_) counts[name] = v;
  j["counts"] = std::move(counts);

  j["configuration"] = configuration_;
  return j;
}

}  // namespace aesvp::traces
