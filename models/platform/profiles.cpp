// SoC profiles: parameter sets on top of the defaults (which are the omap4 profile).
// A profile overrides only what differs, each override with its source.
#include "models/platform/platform_params.h"

#include <functional>
#include <map>
#include <stdexcept>

namespace aesvp {
namespace {

using Override = std::function<void(PlatformParams&)>;

const std::map<std::string, Override>& profiles() {
  static const std::map<std::string, Override> table = {
      // OMAP4430/4460 (PandaBoard): the defaults of every parameter group.
      {"omap4", [](PlatformParams&) {}},
  };
  return table;
}

}  // namespace

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& [name, apply] : profiles()) names.push_back(name);
  return names;
}

void apply_profile(PlatformParams& p, const std::string& name) {
  auto it = profiles().find(name);
  if (it == profiles().end()) {
    std::string known;
    for (const std::string& n : profile_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown profile '" + name + "' (known: " + known + ")");
  }
  p = PlatformParams{};
  it->second(p);
  p.soc.profile = name;
}

}  // namespace aesvp
