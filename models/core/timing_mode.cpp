#include "models/core/timing_mode.h"

#include <stdexcept>

namespace aesvp {

TimingMode parse_timing_mode(const std::string& s) {
  if (s == "accurate") return TimingMode::Accurate;
  if (s == "fast") return TimingMode::Fast;
  throw std::invalid_argument("timing mode must be 'accurate' or 'fast', not '" + s + "'");
}

}  // namespace aesvp
