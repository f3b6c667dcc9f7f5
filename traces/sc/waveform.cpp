#include "traces/sc/waveform.h"
#include "models/core/sim_time.h"

#include "traces/core/gtkw_layout.h"
#include "traces/core/vcd_writer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <queue>
#include <stdexcept>

namespace aesvp::traces {

using sc_core::sc_time;

namespace {

struct GroupName {
  SignalGroup group;
  const char* name;
};
constexpr GroupName kGroupNames[] = {
    {kGroupIrq, "irq"}, {kGroupDma, "dma"}, {kGroupAes, "aes"},
    {kGroupCpu, "cpu"}, {kGroupEngine, "engine"},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "<number><unit>" -> sc_time; `what` names the part in messages.
sc_time parse_time(std::string_view text, const char* what) {
  const std::string s(trim(text));
  std::size_t digits = 0;
  bool dot = false;
  while (digits < s.size() &&
         ((s[digits] >= '0' && s[digits] <= '9') || (s[digits] == '.' && !dot))) {
    dot = dot || s[digits] == '.';
    ++digits;
  }
  if (digits == 0 || (digits == 1 && dot))
    throw std::invalid_argument(std::string(what) + " '" + s + "' is not <number><unit>");
  const double value = std::strtod(s.substr(0, digits).c_str(), nullptr);
  const std::string unit = s.substr(digits);
  static const struct {
    const char* name;
    sc_core::sc_time_unit unit;
  } kUnits[] = {{"fs", sc_core::SC_FS}, {"ps", sc_core::SC_PS}, {"ns", sc_core::SC_NS},
                {"us", sc_core::SC_US}, {"ms", sc_core::SC_MS}, {"s", sc_core::SC_SEC}};
  if (unit.empty()) {
    if (value == 0) return sc_core::SC_ZERO_TIME;
    throw std::invalid_argument(std::string(what) + " '" + s +
                                "' has no unit (fs, ps, ns, us, ms or s)");
  }
  for (const auto& u : kUnits) {
    if (unit == u.name) {
      if (!std::isfinite(value) || value > 1e15)
        throw std::invalid_argument(std::string(what) + " '" + s + "' is too large");
      return sc_time(value, u.unit);
    }
  }
  throw std::invalid_argument(std::string(what) + " '" + s + "': unknown unit '" + unit +
                              "' (fs, ps, ns, us, ms or s)");
}

}  // namespace

GroupSet parse_signal_groups(std::string_view text) {
  GroupSet set = 0;
  std::string_view rest = text;
  for (;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    if (item == "all") {
      set |= kAllGroups;
    } else {
      const auto* g = std::find_if(std::begin(kGroupNames), std::end(kGroupNames),
                                   [&](const GroupName& n) { return item == n.name; });
      if (g == std::end(kGroupNames))
        throw std::invalid_argument("unknown signal group '" + std::string(item) +
                                    "' (groups: irq, dma, aes, cpu, engine, all)");
      set |= g->group;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return set;
}

std::string to_string(GroupSet groups) {
  std::string s;
  for (const GroupName& n : kGroupNames) {
    if ((groups & n.group) == 0) continue;
    if (!s.empty()) s += ',';
    s += n.name;
  }
  return s;
}

TimeWindow parse_time_window(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
    throw std::invalid_argument("time window '" + std::string(text) + "' is not BEGIN:END");
  TimeWindow w;
  const std::string_view b = trim(text.substr(0, colon)), e = trim(text.substr(colon + 1));
  if (!b.empty()) w.begin = parse_time(b, "window begin");
  if (!e.empty()) w.end = parse_time(e, "window end");
  if (w.begin >= w.end)
    throw std::invalid_argument("time window '" + std::string(text) +
                                "' is empty (BEGIN must be before END)");
  return w;
}

// ---- The recorder ---------------------------------------------------------------------------
//
// Observers on the models report each change with its time: wires (LevelSignal change
// observers; a GIC acknowledge reports its annotated time, which may lie ahead of
// sc_time_stamp()), the AES status flags, sDMA channel activity, CPU context classes, and the
// engine values the testbench sets. Changes wait in a queue ordered by (time, arrival) and are
// written once simulated time has reached them: nothing reported later can be earlier, since a
// change is never reported before sc_time_stamp(). A variable's changes keep their order: a
// change is never placed before the previous change of the same variable.
//
// Window [B, E): changes before B are written at B (so B shows the state in force), changes at
// or after E are dropped, and at E a method ends and closes the file (and stops the run when
// asked). No sc_trace, no trace-file internals.

class WaveformRecorder::Impl {
 public:
  using Var = VcdWriter::VarId;

  Impl(const WaveformOptions& o) : o_(o), writer_(file_) {
    file_.open(o.path, std::ios::out | std::ios::trunc | std::ios::binary);
    if (!file_)
      throw std::runtime_error("cannot write waveform file '" + o.path + "': " +
                               std::strerror(errno));
    begin_ = ps(o.window.begin);
    end_ = o.window.end == sc_core::sc_max_time() ? kNoEnd : ps(o.window.end);
  }

  static std::uint64_t ps(const sc_time& t) {
    return static_cast<std::uint64_t>(t / sc_time(1, sc_core::SC_PS));
  }

  Var declare(const std::string& name, unsigned width, std::vector<std::string>& names) {
    names.push_back(name);
    layout_.signals.push_back({name, width});
    last_.push_back(0);
    return writer_.add(name, width, 0);
  }

  // A change of v to `value` at `at` (>= sc_time_stamp()).
  void record(Var v, std::uint64_t value, const sc_time& at) {
    if (closed_) return;
    std::uint64_t t = std::max(ps(at), last_[v]);  // never before the variable's last change
    last_[v] = t;
    latest_ = std::max(latest_, t);
    if (!began_ && t == 0) {
      writer_.set_initial(v, value);  // before the file starts: the value at time 0
      return;
    }
    if (t >= end_) return;
    queue_.push({t, seq_++, v, value});
    const std::uint64_t now = ps(sim_now());
    if (queue_.top().t <= now) drain(now);
  }

  // Writes the queued changes up to time `upto` (inclusive).
  void drain(std::uint64_t upto) {
    start_file();
    while (!queue_.empty() && queue_.top().t <= upto) {
      const Change c = queue_.top();
      queue_.pop();
      writer_.change(std::max(c.t, begin_), c.var, c.value);
    }
  }

  void start_file() {
    if (began_) return;
    began_ = true;
    VcdHeader h;
    h.date = o_.date;
    h.version = "aesvp waveform recorder";
    h.top = "aesvp";
    writer_.begin(h, 0);
  }

  // Ends the file at `t` (everything queued is written first) and closes it.
  void finish(std::uint64_t t) {
    if (closed_) return;
    drain(~std::uint64_t{0});
    writer_.end(std::min(t, end_));
    closed_ = true;
    file_.close();
    if (!file_) throw std::runtime_error("writing waveform file '" + o_.path + "' failed");
    if (o_.layout_path.empty()) return;
    layout_.dumpfile = o_.layout_dumpfile;
    layout_.begin = begin_;
    layout_.end = std::min(t, end_);
    std::ofstream gtkw(o_.layout_path, std::ios::out | std::ios::trunc);
    write_gtkw(gtkw, layout_);
    gtkw.close();
    if (!gtkw) throw std::runtime_error("writing GTKWave layout '" + o_.layout_path + "' failed");
  }

  std::uint64_t end() const { return end_; }
  std::uint64_t begin() const { return begin_; }
  bool closed() const { return closed_; }
  std::uint64_t bytes() const { return writer_.bytes_written(); }
  std::uint64_t latest() const { return latest_; }
  bool stopped = false;  // the window end stopped the simulation

  static constexpr std::uint64_t kNoEnd = ~std::uint64_t{0};

 private:
  struct Change {
    std::uint64_t t, seq;
    Var var;
    std::uint64_t value;
  };
  struct Later {
    bool operator()(const Change& a, const Change& b) const {
      return a.t != b.t ? a.t > b.t : a.seq > b.seq;
    }
  };

  const WaveformOptions& o_;
  std::ofstream file_;
  VcdWriter writer_;
  std::priority_queue<Change, std::vector<Change>, Later> queue_;
  std::vector<std::uint64_t> last_;  // per variable: time of its last change
  GtkwLayout layout_;
  std::uint64_t seq_ = 0, begin_ = 0, end_ = kNoEnd, latest_ = 0;
  bool began_ = false, closed_ = false;
};

WaveformRecorder::WaveformRecorder(Platform& platform, WaveformOptions options)
    : options_(std::move(options)) {
  // Check everything before the file exists.
  const std::string& path = options_.path;
  if (path.size() <= 4 || path.compare(path.size() - 4, 4, ".vcd") != 0)
    throw std::invalid_argument("waveform file '" + path + "' must end in .vcd");
  if (options_.groups == 0 || (options_.groups & ~kAllGroups) != 0)
    throw std::invalid_argument("no valid signal group selected");
  if (options_.window.begin >= options_.window.end)
    throw std::invalid_argument("the time window is empty (begin must be before end)");
  if (options_.stop_after_window && options_.window.end == sc_core::sc_max_time())
    throw std::invalid_argument("stopping after the window needs a window end");
  if (sc_core::sc_is_running() || sc_core::sc_start_of_simulation_invoked())
    throw std::logic_error("WaveformRecorder must be created before the simulation starts");
  std::vector<unsigned> channels = options_.sdma_channels;
  if (channels.empty()) {
    for (unsigned c = 0; c < 2 * platform.aes.size(); ++c) channels.push_back(c);
  }
  for (unsigned c : channels) {
    if (c >= platform.sdma.params().channels)
      throw std::invalid_argument("sDMA channel " + std::to_string(c) + " does not exist");
  }
  impl_ = std::make_unique<Impl>(options_);
  attach(platform, channels);
}

void WaveformRecorder::attach(Platform& platform, const std::vector<unsigned>& channels) {
  using Var = Impl::Var;
  Impl& im = *impl_;
  link_ = std::make_shared<Impl*>(&im);
  const std::shared_ptr<Impl*> link = link_;
  const sc_time zero = sc_core::SC_ZERO_TIME;

  const Var window = im.declare("trace.window", 1, names_);
  if (im.begin() == 0) im.record(window, 1, zero);
  else im.record(window, 1, sc_time(static_cast<double>(im.begin()), sc_core::SC_PS));

  // Wires: observed through the LevelSignal each port is bound to, from time 0 (port
  // bindings are complete then). `rises` counts rising edges (every one, also pulses that
  // start and end in one time step and so have no width in the file).
  struct Wire {
    sc_core::sc_inout<bool>* port;
    Var var;
    bool count_rises;
    Var rises;
  };
  auto wires = std::make_shared<std::vector<Wire>>();
  const GroupSet g = options_.groups;
  auto wire = [&](sc_core::sc_inout<bool>& port, const std::string& name) {
    wires->push_back({&port, im.declare(name, 1, names_), false, 0});
  };
  if (g & kGroupIrq) {
    for (unsigned l = 0; l < platform.sdma.irq.size(); ++l)
      wire(platform.sdma.irq[l], "irq.sdma_l" + std::to_string(l));
    for (unsigned i = 0; i < platform.aes.size(); ++i)
      wire(platform.aes[i]->irq, "irq.aes" + std::to_string(i + 1));
    for (unsigned c = 0; c < platform.gic.irq.size(); ++c)
      wire(platform.gic.irq[c], "irq.cpu" + std::to_string(c));
  }
  if (g & kGroupDma) {
    auto counted_wire = [&](sc_core::sc_inout<bool>& port, const std::string& name) {
      wire(port, name);
      wires->back().count_rises = true;
    };
    for (unsigned i = 0; i < platform.aes.size(); ++i) {
      const std::string a = "dma.aes" + std::to_string(i + 1);
      counted_wire(platform.aes[i]->dma_req_in, a + "_tx");
      counted_wire(platform.aes[i]->dma_req_out, a + "_rx");
    }
    for (Wire& w : *wires)
      if (w.count_rises) w.rises = im.declare(names_[w.var] + "_requests", 32, names_);
    auto channel_vars = std::make_shared<std::vector<std::pair<unsigned, Var>>>();
    for (unsigned c : channels)
      channel_vars->emplace_back(c, im.declare("dma.ch" + std::to_string(c) + "_active", 1, names_));
    platform.sdma.add_channel_observer([link, channel_vars](unsigned ch, bool active) {
      if (*link == nullptr) return;
      for (const auto& [c, var] : *channel_vars)
        if (c == ch) (*link)->record(var, active, sim_now());
    });
  }
  if (g & kGroupAes) {
    for (unsigned i = 0; i < platform.aes.size(); ++i) {
      const std::string a = "aes.aes" + std::to_string(i + 1) + ".";
      const Var first = im.declare(a + "context_ready", 1, names_);
      im.declare(a + "input_ready", 1, names_);
      im.declare(a + "output_ready", 1, names_);
      im.declare(a + "core_busy", 1, names_);
      auto record_flags = [link, first](const OmapAes::Observed& o) {
        if (*link == nullptr) return;
        const sc_time now = sim_now();
        (*link)->record(first, o.context_ready, now);
        (*link)->record(first + 1, o.input_ready, now);
        (*link)->record(first + 2, o.output_ready, now);
        (*link)->record(first + 3, o.core_busy, now);
      };
      platform.aes[i]->add_flags_observer(record_flags);  // also refreshes the flags
      record_flags(platform.aes[i]->observed());          // the values at time 0
    }
  }
  if (g & kGroupCpu) {
    // One bit per context class, named as everywhere else (to_string: hardirq ... rt-thread).
    const Var first = static_cast<Var>(names_.size());
    for (unsigned c = 0; c < platform.cpu.cores(); ++c)
      for (unsigned k = 0; k < kContextClasses; ++k)
        im.declare("cpu.cpu" + std::to_string(c) + "." + to_string(static_cast<ContextClass>(k)), 1,
                   names_);
    platform.cpu.add_class_observer(
        [link, first](unsigned core, ContextClass cls, bool running, const sc_time& at) {
          if (*link != nullptr)
            (*link)->record(first + 4 * core + static_cast<Var>(class_index(cls)), running, at);
        });
  }
  if (g & kGroupEngine) {
    queue_var_ = im.declare("engine.queue_depth", 32, names_);
    in_flight_var_ = im.declare("engine.in_flight", 32, names_);
  }

  // At time 0: subscribe to the wires and take their values; then the window end.
  sc_core::sc_spawn_options opts;
  opts.spawn_method();
  const std::uint64_t end = im.end();
  const bool stop = options_.stop_after_window;
  auto counts = std::make_shared<std::vector<std::uint32_t>>(wires->size(), 0);
  sc_core::sc_spawn(
      [link, wires, counts, end, stop] {
        Impl* rec = *link;
        if (rec == nullptr) return;
        const sc_time now = sim_now();
        if (now == sc_core::SC_ZERO_TIME && !rec->closed() && !wires->empty()) {
          for (std::size_t k = 0; k < wires->size(); ++k) {
            const Wire& w = (*wires)[k];
            rec->record(w.var, w.port->read(), now);
            if (w.count_rises) rec->record(w.rises, 0, now);
            auto* signal = dynamic_cast<LevelSignal*>(w.port->get_interface());
            if (signal == nullptr) continue;  // not a LevelSignal: its value at 0 only
            signal->add_change_observer([link, wires, counts, k](bool v, const sc_time& at) {
              if (*link == nullptr) return;
              const Wire& changed = (*wires)[k];
              (*link)->record(changed.var, v, at);
              if (changed.count_rises && v) (*link)->record(changed.rises, ++(*counts)[k], at);
            });
          }
        }
        if (end == Impl::kNoEnd) return;
        const sc_time at_end(static_cast<double>(end), sc_core::SC_PS);
        if (now < at_end) {
          sc_core::next_trigger(at_end - now);
          return;
        }
        rec->finish(end);
        if (stop) {
          rec->stopped = true;
          sc_core::sc_stop();
        }
      },
      nullptr, &opts);
}

WaveformRecorder::~WaveformRecorder() {
  try {
    close();
  } catch (const std::exception&) {
    // close() reports a failed write to a caller that asks; a destructor cannot.
  }
  if (link_) *link_ = nullptr;
}

void WaveformRecorder::close() {
  if (!impl_ || impl_->closed()) return;
  impl_->finish(std::max(Impl::ps(sim_now()), impl_->latest()));
}

void WaveformRecorder::set_queue_depth(std::uint32_t depth) {
  if ((options_.groups & kGroupEngine) && impl_)
    impl_->record(queue_var_, depth, sim_now());
}

void WaveformRecorder::set_in_flight(std::uint32_t n) {
  if ((options_.groups & kGroupEngine) && impl_)
    impl_->record(in_flight_var_, n, sim_now());
}

bool WaveformRecorder::stopped_simulation() const { return impl_ && impl_->stopped; }

std::uint64_t WaveformRecorder::bytes_written() const { return impl_ ? impl_->bytes() : 0; }

}  // namespace aesvp::traces
