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
  unsigned wave_pixels = 880;  // width of the wave pane at the layout's window size
};

// GTKWave's zoom level showing `range` time units across `pixels` pixels: its zoom z shows
// 2^-z units per pixel, so z = -log2(range / pixels) (0 for an empty range).
double gtkw_zoom(std::uint64_t range, unsigned pixels);

void write_gtkw(std::ostream& out, const GtkwLayout& layout);

}  // namespace aesvp::traces
