#include "testbench/stack/timeline_probe.h"
#include "models/core/sim_time.h"

#include <cstring>
#include <string>

namespace aesvp::testbench {

traces::Time TimelineProbe::ps(const sc_core::sc_time& t) {
  return static_cast<traces::Time>(t / sc_core::sc_time(1, sc_core::SC_PS));
}

TimelineProbe::TimelineProbe(traces::Timeline& timeline, Stack& stack)
    : tl_(timeline), stack_(stack) {
  for (unsigned c = 0; c < 4; ++c) class_names_[c] = tl_.name(to_string(static_cast<ContextClass>(c)));
  request_ = tl_.name("request");
  queued_ = tl_.name("queued");
  do_one_ = tl_.name("do_one_request");
  dma_ = tl_.name("DMA in flight");
  pio_ = tl_.name("PIO");
  completion_ = tl_.name("completion");
  block_ = tl_.name("busy");
  transfer_ = tl_.name("active");
  in_composite_ = tl_.name("in composite");
  composite_ = tl_.name("composite");
  member_ = tl_.name("member");
  members_key_ = tl_.name("members");
  composite_key_ = tl_.name("composite");
  blocks_ = tl_.name("blocks");
  const unsigned instances = stack.platform().params().soc.aes_instances;
  // Display order: the cores first (CPU0 before CPU1), then the requests, driver, engine and
  // hardware.
  for (unsigned c = 0; c < stack.platform().cpu.cores(); ++c) tl_.process("CPU" + std::to_string(c));
  tl_.process(tl_.options().requests_process);
  tl_.process("omap-aes");
  tl_.process("engine");
  for (unsigned i = 0; i < instances; ++i) tl_.process("AES" + std::to_string(i + 1));
  tl_.process("sDMA");
  for (unsigned i = 0; i < instances; ++i) {
    aes_tracks_.push_back(tl_.track("omap-aes", "aes" + std::to_string(i + 1)));
    queue_counters_.push_back(tl_.counter_track("engine", "aes" + std::to_string(i + 1) + " queue"));
    aes_core_tracks_.push_back(tl_.track("AES" + std::to_string(i + 1), "core"));
    aes_busy_.emplace_back();
    stack.platform().aes[i]->set_busy_observer([this, i](bool busy) { on_aes_busy(i, busy); });
  }
  stack.platform().sdma.add_channel_observer(
      [this](unsigned ch, bool active) { on_dma_channel(ch, active); });
  stack.platform().cpu.set_run_observer(
      [this](const ExecContext& ctx, const sc_core::sc_time& s, const sc_core::sc_time& e) {
        on_run(ctx, s, e);
      });
  stack.driver().set_trace_hook([this](const driver::DriverTraceEvent& e) { on_driver_step(e); });
}

void TimelineProbe::on_run(const ExecContext& ctx, const sc_core::sc_time& start,
                           const sc_core::sc_time& end) {
  while (context_tracks_.size() <= ctx.id()) context_tracks_.push_back(traces::TrackId{~0u});
  traces::TrackId& t = context_tracks_[ctx.id()];
  if (t.value == ~0u) t = tl_.track("CPU" + std::to_string(ctx.core()), ctx.name());
  tl_.span(t, class_names_[class_index(ctx.context_class())], ps(start), ps(end));
}

void TimelineProbe::on_aes_busy(unsigned instance, bool busy) {
  const traces::Time now = ps(sim_now());
  BusyInterval& b = aes_busy_[instance];
  if (busy == b.busy) return;
  b.busy = busy;
  if (!busy) {
    b.end = now;
    return;
  }
  // A new busy period: continues the pending interval if the core was idle briefly.
  if (b.blocks != 0 && now - b.end > kBusyMergeGap) record_busy(instance);
  if (b.blocks == 0) b.begin = now;
  ++b.blocks;
}

void TimelineProbe::record_busy(unsigned instance) {
  BusyInterval& b = aes_busy_[instance];
  tl_.span(aes_core_tracks_[instance], block_, b.begin, b.end, traces::kNoRequest,
           traces::Arg{blocks_, b.blocks});
  b.blocks = 0;
}

void TimelineProbe::flush() {
  const traces::Time now = ps(sim_now());
  for (unsigned i = 0; i < aes_busy_.size(); ++i) {
    BusyInterval& b = aes_busy_[i];
    if (b.blocks == 0) continue;
    if (b.busy) b.end = now;  // still busy: the interval so far
    record_busy(i);
    if (b.busy) {
      b.begin = now;
      b.blocks = 1;
    }
  }
}

void TimelineProbe::next_phase(std::uint64_t id, traces::NameId phase, traces::Time at) {
  auto it = open_phase_.find(id);
  if (it == open_phase_.end()) return;  // not seen from its start (never happens in a run)
  tl_.async_end(it->second, id, at);
  tl_.async_begin(phase, id, at);
  it->second = phase;
}

void TimelineProbe::on_dma_channel(unsigned ch, bool active) {
  const traces::Time now = ps(sim_now());
  while (dma_tracks_.size() <= ch) {
    dma_tracks_.push_back(tl_.track("sDMA", "ch" + std::to_string(dma_tracks_.size())));
    dma_active_since_.push_back(0);
  }
  if (active) dma_active_since_[ch] = now;
  else tl_.span(dma_tracks_[ch], transfer_, dma_active_since_[ch], now);
}

void TimelineProbe::on_driver_step(const driver::DriverTraceEvent& e) {
  const traces::Time at = ps(e.at);
  const char* s = e.step;
  if (e.instance >= 0 && static_cast<std::size_t>(e.instance) < aes_tracks_.size()) {
    const auto i = static_cast<std::size_t>(e.instance);
    tl_.instant(aes_tracks_[i], s, at, e.id);
    tl_.counter(queue_counters_[i], at,
                static_cast<double>(stack_.driver().device(i).engine().queue_length()));
  }
  if (std::strcmp(s, "transfer") == 0) {
    tl_.async_begin(request_, e.id, at);
    tl_.async_begin(queued_, e.id, at);
    open_phase_[e.id] = queued_;
  } else if (std::strcmp(s, "do_one_req") == 0) {
    if (e.id >= engine::MergePolicy::kCompositeIdBase && e.instance >= 0) {
      begin_composite(static_cast<std::size_t>(e.instance), e.id, at);
      tl_.async_begin(do_one_, e.id, at);
      open_phase_[e.id] = do_one_;
    } else {
      next_phase(e.id, do_one_, at);
    }
  } else if (std::strcmp(s, "dma_start") == 0 || std::strcmp(s, "pio_start") == 0) {
    next_phase(e.id, s[0] == 'd' ? dma_ : pio_, at);
  } else if (std::strcmp(s, "dma_out_callback") == 0) {
    next_phase(e.id, completion_, at);
  } else if (std::strcmp(s, "finalize") == 0) {
    // Ends the phase that is open (an error can finalize from any phase), then the request.
    auto it = open_phase_.find(e.id);
    if (it != open_phase_.end()) {
      tl_.async_end(it->second, e.id, at);
      open_phase_.erase(it);
    }
    tl_.async_end(request_, e.id, at);
    end_composite(e.id, at);
  }
}

void TimelineProbe::begin_composite(std::size_t instance, std::uint64_t id, traces::Time at) {
  if (instance >= aes_tracks_.size()) return;
  const engine::MergePolicy* mp = stack_.driver().device(instance).merge_policy();
  std::vector<std::uint64_t> members;
  if (mp != nullptr) members = mp->members_of(id);
  tl_.async_begin(request_, id, at);
  tl_.instant(aes_tracks_[instance], composite_, at, id,
              traces::Arg{members_key_, static_cast<std::int64_t>(members.size())});
  for (std::uint64_t m : members) {
    next_phase(m, in_composite_, at);
    tl_.instant(aes_tracks_[instance], member_, at, m,
                traces::Arg{composite_key_, static_cast<std::int64_t>(id)});
  }
  composites_[id] = std::move(members);
}

void TimelineProbe::end_composite(std::uint64_t id, traces::Time at) {
  const auto it = composites_.find(id);
  if (it == composites_.end()) return;
  for (std::uint64_t m : it->second) {
    const auto phase = open_phase_.find(m);
    if (phase != open_phase_.end()) {
      tl_.async_end(phase->second, m, at);
      open_phase_.erase(phase);
    }
    tl_.async_end(request_, m, at);
  }
  composites_.erase(it);
}

}  // namespace aesvp::testbench
