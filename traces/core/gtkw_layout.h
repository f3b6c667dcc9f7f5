// A GTKWave save file (.gtkw) for one recorded VCD: the signals in collapsible groups (the
// first part of each dotted name), bits in binary, vectors in decimal, CPU rows aliased with
// their core, and the view zoomed to the recorded range so that the lines show without
// "zoom to fit". Plain C++; the waveform recorder writes one beside each VCD.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace aesvp::traces {

struct GtkwSignal {
  std::string name;  // dotted, without the top scope: "irq.sdma_l0"
  unsigned width = 1;
};

struct GtkwLayout {
  std::string dumpfile;        // the VCD to open ("" = none: works with any file)
  std::string top = "aesvp";   // the VCD's top scope
  std::vector<GtkwSignal> signals;
  std::uint64_t begin = 0, end = 0;  // the recorded range, in the VCD's time unit
};

// The zoom level at which GTKWave shows `range` time units (plus 5 %) in the layout's window
// (1400 x 800). Measured with Debian 12's GTKWave 3.3.118: at zoom z the window spans
// 4.1 x 2^-z time units (getWindowEndTime for z = -10, -15, -20, -22.5: 4198, 134348,
// 4299161, 24319728), so z = -log2(1.05 range / 4.1); 0 for an empty range.
double gtkw_zoom(std::uint64_t range);

void write_gtkw(std::ostream& out, const GtkwLayout& layout);

}  // namespace aesvp::traces
