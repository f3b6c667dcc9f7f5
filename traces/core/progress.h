// Progress bar on stderr for long runs.
//
// Shown only when the stream is a terminal, only once the run has taken longer than
// `delay_s` of host time, redrawn at most every `interval_s`, and cleared by finish()
// (or the destructor). The caller supplies the fraction done.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

namespace aesvp::traces {

struct ProgressOptions {
  std::FILE* stream = stderr;
  /// Host seconds before the bar first appears (short runs never show one).
  double delay_s = 2.0;
  /// Minimum host seconds between redraws.
  double interval_s = 0.25;
  /// Width of the bar in characters.
  int width = 30;
  /// Text after the percentage (e.g. "run").
  std::string label;
  enum class Mode { kAuto, kAlways, kNever };
  /// kAuto: only if isatty(stream). kAlways is for tests.
  Mode mode = Mode::kAuto;
  /// Host clock in seconds; empty = std::chrono::steady_clock. Injected by tests.
  std::function<double()> clock;
};

class ProgressBar {
 public:
  explicit ProgressBar(ProgressOptions options = {});
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Cheap when inactive (one bool test); otherwise reads the clock and redraws when due.
  void update(double fraction) {
    if (active_) tick(fraction);
  }
  /// Clears the bar if it was drawn; further updates are ignored.
  void finish();

  bool active() const noexcept { return active_; }
  bool shown() const noexcept { return shown_; }

 private:
  void tick(double fraction);
  double now() const;

  ProgressOptions options_;
  bool active_ = false;
  bool shown_ = false;
  double start_ = 0.0;
  double last_draw_ = 0.0;
  std::size_t drawn_chars_ = 0;
};

}  // namespace aesvp::traces
