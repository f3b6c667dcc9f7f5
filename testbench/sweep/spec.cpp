#include "testbench/sweep/spec.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>

namespace aesvp::sweep {
namespace {

const char* const kCommands[] = {"run", "crypt", "speed", "hw"};

// An upper bound on grid sizes we enumerate (a sample draws from larger grids).
constexpr std::size_t kMaxPoints = 1000000;

bool is_scalar(const Json& v) {
  return v.is_string() || v.is_number() || v.is_boolean() || v.is_null();
}

// The values of one axis: a list, or a range {"from", "to", "step"} (arithmetic) or
// {"from", "to", "times"} (geometric), both inclusive of "to".
std::vector<Json> axis_values(const std::string& name, const Json& v) {
  std::vector<Json> out;
  if (v.is_array()) {
    for (const Json& e : v) {
      if (!is_scalar(e)) throw SpecError("axis '" + name + "': values must be strings, numbers or booleans");
      out.push_back(e);
    }
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it.key() != "from" && it.key() != "to" && it.key() != "step" && it.key() != "times")
        throw SpecError("axis '" + name + "': unknown range key '" + it.key() + "'");
    if (!v.contains("from") || !v.contains("to") || !v["from"].is_number() || !v["to"].is_number())
      throw SpecError("axis '" + name + "': a range needs numbers \"from\" and \"to\"");
    const bool geometric = v.contains("times");
    if (geometric == v.contains("step"))
      throw SpecError("axis '" + name + "': a range needs one of \"step\" or \"times\"");
    const Json& by = geometric ? v["times"] : v["step"];
    if (!by.is_number()) throw SpecError("axis '" + name + "': step/times must be a number");
    const bool integers = v["from"].is_number_integer() && v["to"].is_number_integer() &&
                          by.is_number_integer();
    const double from = v["from"].get<double>(), to = v["to"].get<double>(), k = by.get<double>();
    if (geometric ? !(k > 1.0) || !(from > 0.0) : !(k > 0.0))
      throw SpecError("axis '" + name + "': " + (geometric ? "times must be above 1 and from above 0"
                                                            : "step must be above 0"));
    const double slack = 1e-9 * std::max(1.0, std::fabs(to));
    for (std::size_t i = 0;; ++i) {
      const double x = geometric ? from * std::pow(k, static_cast<double>(i))
                                 : from + k * static_cast<double>(i);
      if (x > to + slack) break;
      if (out.size() >= kMaxPoints) throw SpecError("axis '" + name + "': too many values");
      if (integers) out.emplace_back(static_cast<std::int64_t>(std::llround(x)));
      else out.emplace_back(x);
    }
  } else {
    throw SpecError("axis '" + name + "': give a list of values or a range object");
  }
  if (out.empty()) throw SpecError("axis '" + name + "': no values");
  return out;
}

void check_name(const std::string& name, std::set<std::string>& seen) {
  if (name.empty() || name[0] == '-')
    throw SpecError("option name '" + name + "': give it without dashes (\"queue-depth\")");
  if (!seen.insert(name).second) throw SpecError("option '" + name + "' is given twice");
}

bool matches(const Json& want, const Json& have) {
  if (want.is_array()) return std::find(want.begin(), want.end(), have) != want.end();
  return want == have;
}

std::string point_id(std::size_t index, std::size_t count) {
  std::string digits = std::to_string(index);
  const std::size_t width = std::max<std::size_t>(4, std::to_string(count ? count - 1 : 0).size());
  return "p" + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

}  // namespace

std::string value_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

void append_option(std::vector<std::string>& args, const std::string& name, const Json& v) {
  if (v.is_null() || (v.is_boolean() && !v.get<bool>())) return;
  if (v.is_boolean()) args.push_back("--" + name);
  else args.push_back("--" + name + "=" + value_text(v));
}

std::vector<std::string> Spec::axis_names() const {
  std::vector<std::string> names;
  for (const Dimension& d : dimensions) names.insert(names.end(), d.names.begin(), d.names.end());
  return names;
}

Spec parse_spec(const Json& j) {
  if (!j.is_object()) throw SpecError("a sweep spec is a JSON object");
  Spec s;
  s.source = j;
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const std::set<std::string> known = {"command", "options", "axes", "zip",
                                                "exclude", "sample", "description"};
    if (!known.count(it.key())) throw SpecError("unknown key '" + it.key() + "'");
  }
  if (!j.contains("command") || !j["command"].is_string())
    throw SpecError("\"command\" must name the aesvp command (run, crypt, speed or hw)");
  s.command = j["command"].get<std::string>();
  if (std::find(std::begin(kCommands), std::end(kCommands), s.command) == std::end(kCommands))
    throw SpecError("command '" + s.command + "' is not run, crypt, speed or hw");

  std::set<std::string> seen;
  if (j.contains("options")) {
    if (!j["options"].is_object()) throw SpecError("\"options\" must be an object");
    for (auto it = j["options"].begin(); it != j["options"].end(); ++it) {
      check_name(it.key(), seen);
      if (!is_scalar(it.value()))
        throw SpecError("option '" + it.key() + "': a fixed option has one value");
      s.options[it.key()] = it.value();
    }
  }
  if (j.contains("axes")) {
    if (!j["axes"].is_object()) throw SpecError("\"axes\" must be an object");
    for (auto it = j["axes"].begin(); it != j["axes"].end(); ++it) {
      check_name(it.key(), seen);
      Dimension d;
      d.names.push_back(it.key());
      for (Json& v : axis_values(it.key(), it.value())) d.rows.push_back({std::move(v)});
      s.dimensions.push_back(std::move(d));
    }
  }
  if (j.contains("zip")) {
    if (!j["zip"].is_array()) throw SpecError("\"zip\" must be a list of objects");
    for (const Json& group : j["zip"]) {
      if (!group.is_object() || group.empty())
        throw SpecError("\"zip\": each group is an object of axes of equal length");
      Dimension d;
      std::vector<std::vector<Json>> columns;
      for (auto it = group.begin(); it != group.end(); ++it) {
        check_name(it.key(), seen);
        d.names.push_back(it.key());
        columns.push_back(axis_values(it.key(), it.value()));
        if (columns.back().size() != columns.front().size())
          throw SpecError("zip group of '" + d.names.front() + "': '" + it.key() + "' has " +
                          std::to_string(columns.back().size()) + " values, '" +
                          d.names.front() + "' " + std::to_string(columns.front().size()));
      }
      for (std::size_t r = 0; r < columns.front().size(); ++r) {
        std::vector<Json> row;
        for (const auto& c : columns) row.push_back(c[r]);
        d.rows.push_back(std::move(row));
      }
      s.dimensions.push_back(std::move(d));
    }
  }
  if (j.contains("exclude")) {
    if (!j["exclude"].is_array()) throw SpecError("\"exclude\" must be a list of objects");
    const std::vector<std::string> names = s.axis_names();
    for (const Json& e : j["exclude"]) {
      if (!e.is_object() || e.empty())
        throw SpecError("\"exclude\": each entry is an object {\"axis\": value or [values]}");
      for (auto it = e.begin(); it != e.end(); ++it)
        if (std::find(names.begin(), names.end(), it.key()) == names.end())
          throw SpecError("\"exclude\": '" + it.key() + "' is not an axis");
      s.exclusions.push_back(e);
    }
  }
  if (j.contains("sample")) {
    const Json& sm = j["sample"];
    if (!sm.is_object() || !sm.contains("points") || !sm["points"].is_number_unsigned() ||
        sm["points"].get<std::uint64_t>() == 0)
      throw SpecError("\"sample\" is {\"points\": N (at least 1), \"seed\": S}");
    s.sample_points = sm["points"].get<std::size_t>();
    if (sm.contains("seed")) {
      if (!sm["seed"].is_number_unsigned()) throw SpecError("\"sample\": seed must be a non-negative integer");
      s.sample_seed = sm["seed"].get<std::uint64_t>();
    }
  }
  return s;
}

Spec load_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SpecError("cannot read the sweep spec '" + path + "'");
  try {
    return parse_spec(Json::parse(in));
  } catch (const Json::parse_error& e) {
    throw SpecError("'" + path + "' is not JSON: " + e.what());
  }
}

std::vector<Point> plan(const Spec& s) {
  // The grid's size (a sample never enumerates it).
  long double total = 1;
  for (const Dimension& d : s.dimensions) total *= static_cast<long double>(d.rows.size());
  const bool sampled = s.sample_points != 0 && total > static_cast<long double>(s.sample_points);
  if (!sampled && total > kMaxPoints)
    throw SpecError("the grid has more than " + std::to_string(kMaxPoints) +
                    " points: narrow it or take a \"sample\"");

  auto excluded = [&](const std::vector<std::size_t>& at) {
    for (const Json& e : s.exclusions) {
      bool all = true;
      for (auto it = e.begin(); it != e.end() && all; ++it) {
        bool found = false;
        for (std::size_t d = 0; d < s.dimensions.size() && !found; ++d)
          for (std::size_t c = 0; c < s.dimensions[d].names.size(); ++c)
            if (s.dimensions[d].names[c] == it.key()) {
              found = true;
              all = matches(it.value(), s.dimensions[d].rows[at[d]][c]);
            }
      }
      if (all) return true;
    }
    return false;
  };

  std::vector<std::vector<std::size_t>> chosen;  // row index per dimension
  std::vector<std::size_t> at(s.dimensions.size(), 0);
  if (!sampled) {
    for (std::size_t n = 0; n < static_cast<std::size_t>(total); ++n) {
      std::size_t rest = n;
      for (std::size_t d = s.dimensions.size(); d-- > 0;) {
        at[d] = rest % s.dimensions[d].rows.size();
        rest /= s.dimensions[d].rows.size();
      }
      if (!excluded(at)) chosen.push_back(at);
    }
  } else {
    // Uniform draws per dimension (a fixed generator, so the sample is the same everywhere),
    // without repeats and without excluded points; in grid order afterwards.
    std::mt19937_64 g(s.sample_seed);
    std::set<std::vector<std::size_t>> taken;
    const std::size_t attempts = 1000 * s.sample_points;
    for (std::size_t a = 0; a < attempts && taken.size() < s.sample_points; ++a) {
      for (std::size_t d = 0; d < s.dimensions.size(); ++d) at[d] = g() % s.dimensions[d].rows.size();
      if (!excluded(at)) taken.insert(at);
    }
    chosen.assign(taken.begin(), taken.end());
  }

  std::vector<Point> points;
  for (std::size_t n = 0; n < chosen.size(); ++n) {
    Point p;
    p.index = n;
    p.id = point_id(n, chosen.size());
    p.values = Json::object();
    for (auto it = s.options.begin(); it != s.options.end(); ++it)
      append_option(p.args, it.key(), it.value());
    for (std::size_t d = 0; d < s.dimensions.size(); ++d)
      for (std::size_t c = 0; c < s.dimensions[d].names.size(); ++c) {
        const Json& v = s.dimensions[d].rows[chosen[n][d]][c];
        p.values[s.dimensions[d].names[c]] = v;
        append_option(p.args, s.dimensions[d].names[c], v);
      }
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace aesvp::sweep
