// The two timing modes (docs/timing.md).
#pragma once

#include <string>

namespace aesvp {

enum class TimingMode {
  Accurate,  // every block, DMA frame and software step is a SystemC wait
  Fast,      // temporal decoupling: chained DMA frames, elastic AES buffers, CPU quantum
};

inline const char* to_string(TimingMode m) { return m == TimingMode::Fast ? "fast" : "accurate"; }

// Throws std::invalid_argument for anything but "accurate" or "fast".
TimingMode parse_timing_mode(const std::string& s);

}  // namespace aesvp
