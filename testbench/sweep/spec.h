// Sweep specifications (docs/sweeps.md): one JSON file naming an aesvp command, its fixed
// options and the axes of a grid; plan() turns it into the list of points, each an
// independent aesvp command line. SystemC-free.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace aesvp::sweep {

// Keeps the order of the file (axes vary in the order written, the last fastest).
using Json = nlohmann::ordered_json;

// A spec, sweep directory or option that cannot be used (the program exits 2).
struct SpecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One value per axis name, in table order.
struct Point {
  std::size_t index = 0;
  std::string id;                 // "p0007": the point's directory name
  Json values;                    // {"queue-depth": 4, "cipher": "aes-ecb", ...}
  std::vector<std::string> args;  // the command's arguments ("{point}" not yet substituted)
};

// One dimension of the grid: an axis (one column) or a zip group (several columns that
// advance together). rows[i] is the i-th setting: column values in `names` order.
struct Dimension {
  std::vector<std::string> names;
  std::vector<std::vector<Json>> rows;
};

struct Spec {
  std::string command;                 // run, crypt, speed or hw
  Json options = Json::object();       // fixed options of every point
  std::vector<Dimension> dimensions;   // axes, then zip groups, in file order
  std::vector<Json> exclusions;        // {"name": value or [values], ...}: all must match
  std::size_t sample_points = 0;       // 0: the whole grid; else a random sample of it
  std::uint64_t sample_seed = 1;
  Json source;                         // the file as read

  std::vector<std::string> axis_names() const;
};

Spec parse_spec(const Json& j);            // throws SpecError
Spec load_spec(const std::string& path);   // throws SpecError
std::vector<Point> plan(const Spec& spec);

// "--name=value" words for one option value: true gives "--name", false and null nothing,
// numbers their JSON text, strings as they are.
void append_option(std::vector<std::string>& args, const std::string& name, const Json& value);

// The text a value has in tables and on the command line (strings without quotes).
std::string value_text(const Json& value);

}  // namespace aesvp::sweep
