// Model parameters: each one declared once, with its default (the omap4 profile), unit,
// source and meaning. SystemC-free so that option parsing and documentation can list them.
//
// A group of parameters is an X-macro list of
//   X(type, name, default, "unit", "source", "meaning")
// turned into a plain struct by AESVP_PARAM_GROUP. Code reads them as struct members
// (p.aes.clock_mhz); tools walk them with for_each() to print, parse or document them.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace aesvp {

struct ParamInfo {
  const char* name;    // member name, e.g. "clock_mhz"
  const char* unit;    // "MHz", "cycles", "ns", "" ...
  const char* source;  // where the default comes from
  const char* help;    // what it means
};

// A reference to one parameter's storage, for generic tools.
using ParamRef = std::variant<double*, std::uint32_t*, std::uint64_t*, bool*, std::string*>;

}  // namespace aesvp

#define AESVP_PARAM_MEMBER_(type, name, def, unit, source, help) type name = def;
#define AESVP_PARAM_VISIT_(type, name, def, unit, source, help) \
  f(::aesvp::ParamInfo{#name, unit, source, help}, ::aesvp::ParamRef{&name});

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
