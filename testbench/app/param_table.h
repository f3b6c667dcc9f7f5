// The model parameters as a flat table of "group.name" keys, for the command line, config
// files and --print-config. SystemC-free: works on any set of AESVP_PARAM_GROUP structs.
#pragma once

#include "models/core/params.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace aesvp {

struct ParamEntry {
  std::string key;  // "group.name"
  ParamInfo info;
  ParamRef ref;
};

class ParamTable {
 public:
  template <class Group>
  void add_group(Group& g) {
    const std::string prefix = std::string(Group::group()) + ".";
    g.for_each([&](const ParamInfo& info, ParamRef ref) {
      entries_.push_back(ParamEntry{prefix + info.name, info, ref});
    });
  }

  const std::vector<ParamEntry>& entries() const { return entries_; }
  const ParamEntry* find(const std::string& key) const;

  // Sets one parameter from text; throws std::invalid_argument with one precise message
  // ("aes.clock_mhz: 'fast' is not a number") for an unknown key or a bad value.
  void set(const std::string& key, const std::string& text) const;
  static std::string value_text(const ParamRef& ref);

  // Writes every parameter in config-file form ([group] sections, "name = value" lines,
  // unit and source as comments), which read back gives the same values.
  void print(std::ostream& os) const;

 private:
  std::vector<ParamEntry> entries_;
};

}  // namespace aesvp
