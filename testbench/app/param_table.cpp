#include "testbench/app/param_table.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace aesvp {
namespace {

// Shortest decimal text that reads back as the same double.
std::string double_text(double v) {
  for (int prec = 6; prec <= 17; ++prec) {
    std::ostringstream os;
    os << std::setprecision(prec) << v;
    if (std::strtod(os.str().c_str(), nullptr) == v) return os.str();
  }
  std::ostringstream os;
  os << std::setprecision(17) << v;
  return os.str();
}

[[noreturn]] void bad(const std::string& key, const std::string& text, const char* what) {
  throw std::invalid_argument(key + ": '" + text + "' is not " + what);
}

std::uint64_t parse_unsigned(const std::string& key, const std::string& text, std::uint64_t max) {
  if (text.empty() || text[0] == '-' || text[0] == '+') bad(key, text, "a non-negative integer");
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 0);
  if (errno != 0 || *end != '\0' || v > max) bad(key, text, "a non-negative integer in range");
  return v;
}

// "must be above 0 MHz", "must be 1..2".
std::string range_text(const ParamInfo& info) {
  const ParamRange& r = info.range;
  const std::string unit = *info.unit != '\0' ? std::string(" ") + info.unit : "";
  std::string s = "must be ";
  if (r.above) s += "above " + double_text(r.min);
  else s += double_text(r.min) + ".." + double_text(r.max);
  if (r.above) s += " and at most " + double_text(r.max);
  return s + unit;
}

void check_range(const ParamEntry& e, const std::string& text, double v) {
  if (!e.info.range.contains(v))
    throw std::invalid_argument(e.key + ": " + text + " is out of range (" + range_text(e.info) + ")");
}

}  // namespace

const ParamEntry* ParamTable::find(const std::string& key) const {
  for (const ParamEntry& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

void ParamTable::set(const std::string& key, const std::string& text) const {
  const ParamEntry* e = find(key);
  if (e == nullptr) throw std::invalid_argument("unknown parameter '" + key + "'");
  std::visit(
      [&](auto* p) {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, double>) {
          errno = 0;
          char* end = nullptr;
          const double v = std::strtod(text.c_str(), &end);
          if (text.empty() || errno != 0 || *end != '\0' || !std::isfinite(v)) bad(key, text, "a number");
          check_range(*e, text, v);
          *p = v;
        } else if constexpr (std::is_same_v<T, std::uint32_t>) {
          const std::uint64_t v = parse_unsigned(key, text, std::numeric_limits<std::uint32_t>::max());
          check_range(*e, text, static_cast<double>(v));
          *p = static_cast<std::uint32_t>(v);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          const std::uint64_t v = parse_unsigned(key, text, std::numeric_limits<std::uint64_t>::max());
          check_range(*e, text, static_cast<double>(v));
          *p = v;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "true" || text == "1" || text == "yes" || text == "on") *p = true;
          else if (text == "false" || text == "0" || text == "no" || text == "off") *p = false;
          else bad(key, text, "a boolean (true/false)");
        } else {
          *p = text;
        }
      },
      e->ref);
}

std::string ParamTable::value_text(const ParamRef& ref) {
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, double>) return double_text(*p);
        else if constexpr (std::is_same_v<T, bool>) return *p ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return *p;
        else return std::to_string(*p);
      },
      ref);
}

void ParamTable::print(std::ostream& os) const {
  std::string group;
  for (const ParamEntry& e : entries_) {
    const std::string g = e.key.substr(0, e.key.find('.'));
    if (g != group) {
      os << (group.empty() ? "" : "\n") << "[" << g << "]\n";
      group = g;
    }
    os << "# " << e.info.help;
    if (*e.info.unit != '\0') os << " [" << e.info.unit << "]";
    os << "\n#   source: " << e.info.source << "\n";
    if (!std::holds_alternative<bool*>(e.ref) && !std::holds_alternative<std::string*>(e.ref))
      os << "#   range: " << range_text(e.info).substr(8) << "\n";  // without "must be "
    os << e.info.name << " = " << value_text(e.ref) << "\n";
  }
}

}  // namespace aesvp
