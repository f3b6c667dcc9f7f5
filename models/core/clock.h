// A clock given as a period value (no toggling clock signal): durations in cycles.
#pragma once

#include <systemc>

#include <cstdint>

namespace aesvp {

class Clock {
 public:
  Clock() = default;
  explicit Clock(double mhz) : period_(sc_core::sc_time(1000.0 / mhz, sc_core::SC_NS)) {}

  const sc_core::sc_time& period() const { return period_; }
  sc_core::sc_time cycles(std::uint64_t n) const { return period_ * static_cast<double>(n); }
  sc_core::sc_time cycles(double n) const { return period_ * n; }

 private:
  sc_core::sc_time period_{sc_core::SC_ZERO_TIME};
};

}  // namespace aesvp
