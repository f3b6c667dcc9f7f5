#include "testbench/sweep/store.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace aesvp::sweep {
namespace {

constexpr const char* kSchema = "aesvp.sweep";
constexpr int kSchemaVersion = 1;

Json plan_json(const Spec& spec, const std::vector<Point>& points) {
  Json j = Json::object();
  j["schema"] = kSchema;
  j["schema_version"] = kSchemaVersion;
  j["command"] = spec.command;
  j["axes"] = spec.axis_names();
  j["spec"] = spec.source;
  Json list = Json::array();
  for (const Point& p : points)
    list.push_back({{"id", p.id}, {"values", p.values}, {"args", p.args}});
  j["points"] = std::move(list);
  return j;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw std::runtime_error("cannot write '" + path + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write '" + path + "'");
  }
}

const char* to_string(PointState s) {
  switch (s) {
    case PointState::done: return "done";
    case PointState::failed: return "failed";
    case PointState::pending: break;
  }
  return "pending";
}

void SweepDir::prepare(const Spec& spec, const std::vector<Point>& points) const {
  const Json j = plan_json(spec, points);
  const std::string file = dir_ + "/sweep.json";
  std::error_code ec;
  if (fs::exists(file, ec)) {
    const Plan old = load();
    bool same = old.command == spec.command && old.points.size() == points.size();
    for (std::size_t i = 0; same && i < points.size(); ++i)
      same = old.points[i].args == points[i].args && old.points[i].id == points[i].id;
    if (!same)
      throw SpecError("'" + dir_ + "' holds another sweep (its points differ from this spec's); "
                      "give a new --out directory");
    return;
  }
  fs::create_directories(dir_ + "/points", ec);
  if (ec) throw SpecError("cannot create '" + dir_ + "/points': " + ec.message());
  write_file_atomically(file, j.dump(2) + "\n");
}

Plan SweepDir::load() const {
  std::ifstream in(dir_ + "/sweep.json");
  if (!in) throw SpecError("'" + dir_ + "' holds no sweep (no sweep.json)");
  Json j;
  try {
    j = Json::parse(in);
  } catch (const Json::exception& e) {
    throw SpecError("'" + dir_ + "/sweep.json' is not valid: " + e.what());
  }
  if (j.value("schema", "") != kSchema) throw SpecError("'" + dir_ + "/sweep.json' is not a sweep plan");
  Plan p;
  p.command = j["command"].get<std::string>();
  p.axes = j["axes"].get<std::vector<std::string>>();
  for (const Json& e : j["points"]) {
    Point pt;
    pt.index = p.points.size();
    pt.id = e["id"].get<std::string>();
    pt.values = e["values"];
    pt.args = e["args"].get<std::vector<std::string>>();
    p.points.push_back(std::move(pt));
  }
  return p;
}

std::string SweepDir::point_dir(const Point& p) const { return dir_ + "/points/" + p.id; }

PointState SweepDir::state(const Point& p) const {
  std::error_code ec;
  if (fs::exists(stats_file(p), ec)) return PointState::done;
  if (fs::exists(failure_file(p), ec)) return PointState::failed;
  return PointState::pending;
}

std::vector<std::string> SweepDir::arguments(const Point& p) const {
  std::vector<std::string> out;
  const std::string here = point_dir(p);
  for (std::string a : p.args) {
    for (std::size_t at; (at = a.find("{point}")) != std::string::npos;) a.replace(at, 7, here);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace aesvp::sweep
