#include "traces/sc/waveform.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

// The window gate (WaveformRecorder::Gate) relies on how SystemC 2.3 drives trace files: the
// kernel calls sc_trace_file::cycle() of every file in sc_simcontext's trace-file list, and a
// VCD file registers itself there when created. SystemC 3.x drives trace files through stage
// callbacks instead; the gate must be ported before the library is used with it.
#if SC_VERSION_MAJOR != 2 || SC_VERSION_MINOR != 3
#error "traces/sc/waveform.cpp: the VCD window gate is written for SystemC 2.3 (see comment)"
#endif

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

// Calls the protected sc_trace_file::cycle of another trace file (naming the member through
// a derived class is allowed; the call through the member pointer is an ordinary call).
struct CycleAccess : sc_core::sc_trace_file {
  static void cycle_of(sc_core::sc_trace_file& f, bool delta) { (f.*(&CycleAccess::cycle))(delta); }
};

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

// Registered with the simulation kernel in place of the VCD file: forwards the kernel's
// end-of-time-step call to the VCD writer only inside the window, so the writer (which has
// no window of its own) sees no step outside it. Delta cycles are never forwarded.
//   time 0          forwarded: header and initial values ($dumpvars), trace.window = 0
//                   unless the window starts at 0
//   [begin, end)    forwarded once per time step: the changes of that step
//   >= end          nothing: at end the window-edge method closes the VCD file, which
//                   ends it with the time stamp end (or close() does, at the end of the run)
class WaveformRecorder::Gate : public sc_core::sc_trace_file {
 public:
  Gate(WaveformRecorder& owner, sc_core::sc_trace_file* vcd) : owner_(owner), vcd_(vcd) {}
  ~Gate() override = default;

  // The end of the run: the kernel's last call for the final time step (at sc_stop) is a
  // delta-cycle one, so that step is forwarded here; then the file is closed.
  void finish() {
    cycle(false);
    close_vcd();
  }
  // Closes the VCD file (the writer ends it with the current time stamp). The writer's
  // destructor unregisters it from the kernel, and SystemC 2.3.4 erases whatever it finds
  // there (an absent file corrupts the list), so it is registered again just before. Never
  // called from cycle(): the kernel is then iterating over that list.
  void close_vcd() {
    if (vcd_ == nullptr) return;
    sc_core::sc_get_curr_simcontext()->add_trace_file(vcd_);
    sc_core::sc_close_vcd_trace_file(vcd_);
    vcd_ = nullptr;
  }

  // The gate traces nothing itself.
#define AESVP_GATE_NOTRACE_A(tp) \
  void trace(const tp&, const std::string&) override {}
#define AESVP_GATE_NOTRACE_B(tp) \
  void trace(const tp&, const std::string&, int) override {}
  AESVP_GATE_NOTRACE_A(sc_core::sc_event)
  AESVP_GATE_NOTRACE_A(sc_core::sc_time)
  AESVP_GATE_NOTRACE_A(bool)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_bit)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_logic)
  AESVP_GATE_NOTRACE_B(unsigned char)
  AESVP_GATE_NOTRACE_B(unsigned short)
  AESVP_GATE_NOTRACE_B(unsigned int)
  AESVP_GATE_NOTRACE_B(unsigned long)
  AESVP_GATE_NOTRACE_B(char)
  AESVP_GATE_NOTRACE_B(short)
  AESVP_GATE_NOTRACE_B(int)
  AESVP_GATE_NOTRACE_B(long)
  AESVP_GATE_NOTRACE_B(sc_dt::int64)
  AESVP_GATE_NOTRACE_B(sc_dt::uint64)
  AESVP_GATE_NOTRACE_A(float)
  AESVP_GATE_NOTRACE_A(double)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_int_base)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_uint_base)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_signed)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_unsigned)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_fxval)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_fxval_fast)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_fxnum)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_fxnum_fast)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_bv_base)
  AESVP_GATE_NOTRACE_A(sc_dt::sc_lv_base)
#undef AESVP_GATE_NOTRACE_A
#undef AESVP_GATE_NOTRACE_B
  void trace(const unsigned int&, const std::string&, const char**) override {}
  void write_comment(const std::string&) override {}
  void set_time_unit(double, sc_core::sc_time_unit) override {}

 protected:
  void cycle(bool delta_cycle) override {
    if (delta_cycle || vcd_ == nullptr) return;
    const sc_time now = sc_core::sc_time_stamp();
    // At most one forwarded step per time (a later sc_start at the same time, or sc_stop,
    // calls again): the writer would warn about a repeated time.
    if (forwarded_ && now == last_) return;
    const TimeWindow& w = owner_.options_.window;
    if (forwarded_ && now >= w.end) return;  // the window-end method closes the file
    const bool inside = now >= w.begin && now < w.end;
    if (forwarded_ && !inside) return;  // before the window: the writer sees nothing
    owner_.window_open_ = inside;
    CycleAccess::cycle_of(*vcd_, false);
    forwarded_ = true;
    last_ = now;
  }

 private:
  WaveformRecorder& owner_;
  sc_core::sc_trace_file* vcd_;
  bool forwarded_ = false;
  sc_time last_;
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
  if (std::FILE* f = std::fopen(path.c_str(), "w")) {
    std::fclose(f);
  } else {
    throw std::runtime_error("cannot write waveform file '" + path + "': " + std::strerror(errno));
  }

  file_ = sc_core::sc_create_vcd_trace_file(path.substr(0, path.size() - 4).c_str());
  {
    // Exact picoseconds (the kernel's resolution); keep the writer's "unit set" note quiet.
    const sc_core::sc_actions was =
        sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    file_->set_time_unit(1, sc_core::SC_PS);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, was);
  }
  // The kernel calls the gate, the gate calls the VCD writer.
  sc_core::sc_simcontext* sim = sc_core::sc_get_curr_simcontext();
  sim->remove_trace_file(file_);
  gate_ = std::make_shared<Gate>(*this, file_);
  sim->add_trace_file(gate_.get());

  trace_bool(window_open_, "trace.window");
  const GroupSet g = options_.groups;
  if (g & kGroupIrq) {
    for (unsigned l = 0; l < platform.sdma.irq.size(); ++l)
      trace_port(platform.sdma.irq[l], "irq.sdma_l" + std::to_string(l));
    for (unsigned i = 0; i < platform.aes.size(); ++i)
      trace_port(platform.aes[i]->irq, "irq.aes" + std::to_string(i + 1));
    for (unsigned c = 0; c < platform.gic.irq.size(); ++c)
      trace_port(platform.gic.irq[c], "irq.cpu" + std::to_string(c));
  }
  if (g & kGroupDma) {
    for (unsigned i = 0; i < platform.aes.size(); ++i) {
      const std::string a = "dma.aes" + std::to_string(i + 1);
      trace_port(platform.aes[i]->dma_req_in, a + "_tx");
      trace_port(platform.aes[i]->dma_req_out, a + "_rx");
      // The sDMA often serves a request in the time step it was raised: the line's pulse then
      // has no width and the time-step-sampled VCD cannot show it. Count every rise instead.
      count_rises(platform.aes[i]->dma_req_in, a + "_tx_requests");
      count_rises(platform.aes[i]->dma_req_out, a + "_rx_requests");
    }
    for (unsigned c : channels)
      trace_bool(platform.sdma.channel_enabled_flag(c), "dma.ch" + std::to_string(c) + "_active");
  }
  if (g & kGroupAes) {
    for (unsigned i = 0; i < platform.aes.size(); ++i) {
      platform.aes[i]->enable_observation();
      const OmapAes::Observed& o = platform.aes[i]->observed();
      const std::string a = "aes.aes" + std::to_string(i + 1) + ".";
      trace_bool(o.context_ready, a + "context_ready");
      trace_bool(o.input_ready, a + "input_ready");
      trace_bool(o.output_ready, a + "output_ready");
      trace_bool(o.core_busy, a + "core_busy");
    }
  }
  if (g & kGroupCpu) {
    static const struct {
      ContextClass cls;
      const char* name;
    } kClasses[] = {{ContextClass::HardIrq, "hardirq"},
                    {ContextClass::SoftIrq, "softirq"},
                    {ContextClass::RtThread, "rt_thread"},
                    {ContextClass::Thread, "thread"}};
    for (unsigned c = 0; c < platform.cpu.cores(); ++c) {
      for (const auto& k : kClasses)
        trace_bool(platform.cpu.running_flag(c, k.cls),
                   "cpu.cpu" + std::to_string(c) + "." + k.name);
    }
  }
  if (g & kGroupEngine) {
    trace_u32(engine_.queue_depth, "engine.queue_depth");
    trace_u32(engine_.in_flight, "engine.in_flight");
  }

  spawn_window_edges();
}

// Time steps at the window edges, so the file shows the state exactly at begin and ends
// exactly at end: one method that wakes at begin, and at end closes the VCD file (in the
// evaluation phase, after the gate forwarded every step before end). Timed wake-ups: a run
// that ends by starvation rather than sc_stop lasts until them.
void WaveformRecorder::spawn_window_edges() {
  const TimeWindow w = options_.window;
  const bool bounded = w.end != sc_core::sc_max_time();
  if (w.begin == sc_core::SC_ZERO_TIME && !bounded) return;
  sc_core::sc_spawn_options opts;
  opts.spawn_method();
  std::weak_ptr<Gate> gate = gate_;  // the recorder may be gone when the method wakes
  sc_core::sc_spawn(
      [w, bounded, gate] {
        const sc_time now = sc_core::sc_time_stamp();
        if (now < w.begin) {
          sc_core::next_trigger(w.begin - now);
        } else if (bounded && now < w.end) {
          sc_core::next_trigger(w.end - now);
        } else if (bounded) {
          if (const std::shared_ptr<Gate> g = gate.lock()) g->close_vcd();
        }
      },
      nullptr, &opts);
}

WaveformRecorder::~WaveformRecorder() { close(); }

void WaveformRecorder::close() {
  if (!gate_) return;
  sc_core::sc_get_curr_simcontext()->remove_trace_file(gate_.get());
  gate_->finish();
  gate_.reset();
  file_ = nullptr;
}

void WaveformRecorder::trace_bool(const bool& v, const std::string& name) {
  sc_core::sc_trace(file_, v, name);
  names_.push_back(name);
}

void WaveformRecorder::trace_port(const sc_core::sc_inout<bool>& port, const std::string& name) {
  // Ports are resolved at the end of elaboration; the port defers the trace until then and
  // traces the bound LevelSignal's value (its get_data_ref()).
  sc_core::sc_trace(file_, port, name);
  names_.push_back(name);
}

void WaveformRecorder::count_rises(const sc_core::sc_inout<bool>& port,
                                   const std::string& name) {
  counters_.push_back(std::make_unique<std::uint32_t>(0));
  std::uint32_t* count = counters_.back().get();
  sc_core::sc_spawn_options opts;  // a method run on each rising edge (only when tracing)
  opts.spawn_method();
  opts.dont_initialize();
  opts.set_sensitivity(&port.pos());
  sc_core::sc_spawn([count] { ++*count; }, nullptr, &opts);
  trace_u32(*count, name);
}

void WaveformRecorder::trace_u32(const std::uint32_t& v, const std::string& name) {
  sc_core::sc_trace(file_, v, name, 32);
  names_.push_back(name);
}

}  // namespace aesvp::traces
