// Model parameters: each one declared once, with its default (the omap4 profile), unit,
// source and meaning. SystemC-free so that option parsing and documentation can list them.
//
// A group of parameters is an X-macro list of
//   X(type, name, default, "unit", "source", "meaning")
//   X(type, name, default, "unit", "source", "meaning", AESVP_RANGE(lo, hi))
// turned into a plain struct by AESVP_PARAM_GROUP. Code reads them as struct members
// (p.aes.clock_mhz); tools walk them with for_each() to print, parse or document them.
//
// Every numeric parameter has a valid range, checked when a value is set (command line,
// config file) before anything is elaborated. Without a declared range it follows from the
// unit: a frequency ("MHz") must be above 0, anything else (cycles, ns, bytes, costs) at
// least 0, and at most 1e9 (ParamRange::kDefaultMax). Counts that must be at least 1 or
// have a structural limit declare theirs with AESVP_RANGE(lo, hi) or AESVP_ABOVE(lo).
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <variant>

namespace aesvp {

struct ParamRange {
  // Upper bound without a declared range: far beyond any real clock or cost, low enough that
  // every time computed from it stays representable.
  static constexpr double kDefaultMax = 1e9;
  double min = 0.0;
  double max = kDefaultMax;
  bool above = false;  // min itself excluded (a frequency: above 0)

  bool contains(double v) const { return (above ? v > min : v >= min) && v <= max; }
  // The rule for parameters without a declared range (see above).
  static constexpr ParamRange by_unit(const char* unit) {
    const char* mhz = "MHz";
    bool freq = true;
    for (int i = 0; i < 4 && freq; ++i) freq = unit[i] == mhz[i];  // stops at unit's end
    return ParamRange{0.0, kDefaultMax, freq};
  }
};

struct ParamInfo {
  const char* name;    // member name, e.g. "clock_mhz"
  const char* unit;    // "MHz", "cycles", "ns", "" ...
  const char* source;  // where the default comes from
  const char* help;    // what it means
  ParamRange range;    // valid values (numeric parameters)
};

// A reference to one parameter's storage, for generic tools.
using ParamRef = std::variant<double*, std::uint32_t*, std::uint64_t*, bool*, std::string*>;

}  // namespace aesvp

// Declared ranges, the optional 7th column.
#define AESVP_RANGE(lo, hi) (::aesvp::ParamRange{double(lo), double(hi), false})
#define AESVP_ABOVE(lo) (::aesvp::ParamRange{double(lo), std::numeric_limits<double>::max(), true})

// Columns after the unit: source, help and the optional range (never zero variadic
// arguments, so -Wpedantic stays quiet).
#define AESVP_PARAM_SOURCE_(source, ...) source
#define AESVP_PARAM_HELP_(source, help, ...) help
#define AESVP_PARAM_RANGE_(source, help, range, ...) range
#define AESVP_PARAM_MEMBER_(type, name, def, ...) type name = def;
#define AESVP_PARAM_VISIT_(type, name, def, unit, ...)                                      \
  f(::aesvp::ParamInfo{#name, unit, AESVP_PARAM_SOURCE_(__VA_ARGS__),                       \
                       AESVP_PARAM_HELP_(__VA_ARGS__, 0),                                   \
                       AESVP_PARAM_RANGE_(__VA_ARGS__, ::aesvp::ParamRange::by_unit(unit), 0)}, \
    ::aesvp::ParamRef{&name});

// Declares struct `Struct` with the members of LIST and
//   static const char* group();              // config-file prefix, e.g. "aes"
//   template <class F> void for_each(F&& f); // f(ParamInfo, ParamRef) per member
#define AESVP_PARAM_GROUP(Struct, group_name, LIST)              \
  struct Struct {                                                 \
    LIST(AESVP_PARAM_MEMBER_)                                     \
    static const char* group() { return group_name; }             \
    template <class F>                                            \
    void for_each(F&& f) {                                        \
      LIST(AESVP_PARAM_VISIT_)                                    \
    }                                                             \
  }
