#include "traces/core/gtkw_layout.h"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace aesvp::traces {

namespace {

// GTKWave's trace flags (analyzer.h): TR_BIN (0x8) | TR_RJUSTIFY (0x20) for bits, TR_DEC (0x4)
// | TR_RJUSTIFY for vectors; group start TR_GRP_BEGIN | TR_BLANK | TR_CLOSED (0x800200), group
// end TR_GRP_END | TR_BLANK (0x1000200).
constexpr const char* kBitFlags = "@28";
constexpr const char* kVectorFlags = "@24";
constexpr const char* kGroupBegin = "@800200";
constexpr const char* kGroupEnd = "@1000200";

std::string group_of(const std::string& name) { return name.substr(0, name.find('.')); }

}  // namespace

double gtkw_zoom(std::uint64_t range) {
  if (range == 0) return 0.0;
  return -std::log2(1.05 * static_cast<double>(range) / 4.1);
}

void write_gtkw(std::ostream& out, const GtkwLayout& l) {
  out << "[*]\n[*] aesvp waveform layout: groups by the first part of each name, bits in binary,\n"
         "[*] counters in decimal, zoomed to the recorded range.\n[*]\n";
  if (!l.dumpfile.empty()) out << "[dumpfile] \"" << l.dumpfile << "\"\n";
  out << "[timestart] " << l.begin << "\n[size] 1400 800\n[signals_width] 280\n"
      << "[sst_width] 220\n[sst_expanded] 1\n";
  char zoom[64];
  std::snprintf(zoom, sizeof zoom, "*%.6f", gtkw_zoom(l.end > l.begin ? l.end - l.begin : 0));
  out << zoom << " -1";
  for (int named = 0; named < 26; ++named) out << " -1";  // no marker, no named markers
  out << "\n";
  std::string open;
  for (const GtkwSignal& s : l.signals) {
    const std::string group = group_of(s.name);
    if (group != open) {
      if (!open.empty()) out << kGroupEnd << "\n-" << open << "\n";
      out << kGroupBegin << "\n-" << group << "\n";
      open = group;
    }
    out << (s.width == 1 ? kBitFlags : kVectorFlags) << "\n";
    // CPU rows: GTKWave shows only a name's last part, so "hardirq" would not say the core.
    if (group == "cpu") {
      const std::string rest = s.name.substr(4);  // "cpu0.hardirq"
      std::string alias = rest;
      for (char& c : alias)
        if (c == '.') c = '_';
      out << "+{" << alias << "} ";
    }
    out << l.top << "." << s.name;
    if (s.width != 1) out << "[" << s.width - 1 << ":0]";
    out << "\n";
  }
  if (!open.empty()) out << kGroupEnd << "\n-" << open << "\n";
}

}  // namespace aesvp::traces
