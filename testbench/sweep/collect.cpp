#include "testbench/sweep/collect.h"

#include <fstream>
#include <ostream>

namespace aesvp::sweep {
namespace {

struct Figure {
  const char* column;
  std::vector<const char*> pointers;  // the first present one is taken
};

// Where each headline figure lives in a statistics file (docs/traces.md), per command.
const std::vector<Figure>& figures() {
  static const std::vector<Figure> f = {
      {"simulated_s", {"/time/simulated_s", "/run_elapsed_s"}},
      {"throughput_mb_per_s", {"/throughput/mb_per_s"}},
      {"latency_p50_us", {"/latency/request/p50_us"}},
      {"latency_p90_us", {"/latency/request/p90_us"}},
      {"latency_p99_us", {"/latency/request/p99_us"}},
      {"latency_max_us", {"/latency/request/max_us"}},
      {"bio_latency_p99_us", {"/latency/bio/p99_us"}},
      {"cpu_load", {"/utilisation/cpu/fraction", "/run_average_cpu_load"}},
      {"aes_utilisation", {"/utilisation/hardware/aes/fraction"}},
      {"dma_utilisation", {"/utilisation/hardware/sdma_port/fraction"}},
      {"requests", {"/counts/requests_submitted", "/operations"}},
      {"verified", {"/counts/requests_verified", "/verified"}},
      {"host_s", {"/time/host_s", "/host_seconds"}},
  };
  return f;
}

// Errors of any kind the point's command counted (failed requests and bios, mismatching
// sectors, unverified operations).
Json errors_of(const nlohmann::json& s) {
  std::uint64_t n = 0;
  bool any = false;
  if (s.contains("counts")) {
    for (const char* k : {"requests_failed", "bios_failed", "mismatched_sectors", "mismatches"})
      if (s["counts"].contains(k)) {
        n += s["counts"][k].get<std::uint64_t>();
        any = true;
      }
  } else if (s.contains("operations") && s.contains("verified")) {
    n = s["operations"].get<std::uint64_t>() - s["verified"].get<std::uint64_t>();
    any = true;
  }
  return any ? Json(n) : Json(nullptr);
}

void csv_field(std::ostream& os, const Json& v) {
  std::string t = value_text(v);
  if (t.find_first_of(",\"\n") != std::string::npos) {
    std::string q = "\"";
    for (char c : t) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    t = q + "\"";
  }
  os << t;
}

}  // namespace

const std::vector<std::string>& figure_columns() {
  static const std::vector<std::string> c = [] {
    std::vector<std::string> v;
    for (const Figure& f : figures()) v.push_back(f.column);
    v.insert(v.end() - 1, "errors");  // before host_s
    return v;
  }();
  return c;
}

Table collect(const SweepDir& dir, const Plan& plan) {
  Table t;
  t.columns = {"id", "status", "exit_code"};
  t.columns.insert(t.columns.end(), plan.axes.begin(), plan.axes.end());
  t.columns.insert(t.columns.end(), figure_columns().begin(), figure_columns().end());
  for (const Point& p : plan.points) {
    Json row = Json::object();
    for (const std::string& c : t.columns) row[c] = nullptr;
    const PointState state = dir.state(p);
    row["id"] = p.id;
    row["status"] = to_string(state);
    for (auto it = p.values.begin(); it != p.values.end(); ++it) row[it.key()] = it.value();
    std::string stats_path;
    if (state == PointState::done) {
      row["exit_code"] = 0;
      stats_path = dir.stats_file(p);
    } else if (state == PointState::failed) {
      std::ifstream f(dir.failure_file(p));
      const nlohmann::json fj = nlohmann::json::parse(f, nullptr, false);
      if (fj.is_object()) row["exit_code"] = fj.value("exit_code", nlohmann::json(nullptr));
      stats_path = dir.point_dir(p) + "/stats.failed.json";
    }
    std::ifstream in(stats_path);
    const nlohmann::json s = in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json();
    if (s.is_object()) {
      for (const Figure& f : figures())
        for (const char* ptr : f.pointers) {
          const nlohmann::json::json_pointer jp(ptr);
          if (s.contains(jp)) {
            row[f.column] = s.at(jp);
            break;
          }
        }
      row["errors"] = errors_of(s);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Json table_json(const Table& t) {
  return {{"schema", "aesvp.sweep-table"}, {"schema_version", 1}, {"columns", t.columns},
          {"rows", t.rows}};
}

void write_csv(std::ostream& os, const Table& t) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (i) os << ',';
    csv_field(os, t.columns[i]);
  }
  os << '\n';
  for (const Json& r : t.rows) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (i) os << ',';
      csv_field(os, r[t.columns[i]]);
    }
    os << '\n';
  }
}

}  // namespace aesvp::sweep
