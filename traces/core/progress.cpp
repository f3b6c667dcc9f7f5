#include "traces/core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace aesvp::traces {

ProgressBar::ProgressBar(ProgressOptions options) : options_(std::move(options)) {
  switch (options_.mode) {
    case ProgressOptions::Mode::kNever:
      active_ = false;
      break;
    case ProgressOptions::Mode::kAlways:
      active_ = options_.stream != nullptr;
      break;
    case ProgressOptions::Mode::kAuto:
      active_ = options_.stream != nullptr && isatty(fileno(options_.stream)) == 1;
      break;
  }
  if (active_) start_ = now();
}

ProgressBar::~ProgressBar() { finish(); }

double ProgressBar::now() const {
  if (options_.clock) return options_.clock();
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void ProgressBar::tick(double fraction) {
  const double t = now();
  if (t - start_ < options_.delay_s) return;
  if (shown_ && t - last_draw_ < options_.interval_s) return;
  last_draw_ = t;
  shown_ = true;

  const double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
  const int width = std::max(options_.width, 1);
  const int filled = static_cast<int>(f * width);
  std::string line = "\r[";
  line.append(static_cast<std::size_t>(filled), '#');
  line.append(static_cast<std::size_t>(width - filled), '.');
  char tail[64];
  const double elapsed = t - start_;
  if (f > 0.0 && f < 1.0) {
    const double eta = elapsed * (1.0 - f) / f;
    std::snprintf(tail, sizeof tail, "] %5.1f%%  %.0fs left", f * 100.0, eta);
  } else {
    std::snprintf(tail, sizeof tail, "] %5.1f%%", f * 100.0);
  }
  line += tail;
  if (!options_.label.empty()) {
    line += "  ";
    line += options_.label;
  }
  const std::size_t visible = line.size() - 1;  // without '\r'
  if (visible < drawn_chars_) line.append(drawn_chars_ - visible, ' ');
  drawn_chars_ = std::max(drawn_chars_, visible);
  std::fputs(line.c_str(), options_.stream);
  std::fflush(options_.stream);
}

void ProgressBar::finish() {
  if (!active_) return;
  active_ = false;
  if (shown_) {
    std::string clear = "\r";
    clear.append(drawn_chars_, ' ');
    clear += '\r';
    std::fputs(clear.c_str(), options_.stream);
    std::fflush(options_.stream);
  }
}

}  // namespace aesvp::traces
