// Feeds a traces::Timeline (Chrome/Perfetto trace events) from a running Stack:
//  - CPU: every segment of time a context ran, on process "CPU<n>", one thread per context;
//  - requests: per request id, the driver's phases as nested async spans
//      request (transfer .. finalize)
//        queued (transfer .. do_one_request) / do_one_request (.. DMA or PIO start) /
//        DMA in flight or PIO (.. DMA output callback) / completion (.. finalize)
//    and each driver step as an instant on process "omap-aes", thread "aes<i>";
//  - bulk mode: a composite request (the engine merged queued requests) gets its own request
//    phases from do_one_request on and a "composite" instant (arg members) on its AES track;
//    each member gets a "member" instant (arg composite = the composite's id) and an
//    "in composite" phase from the dispatch to the composite's finalize, which ends its request;
//  - engine: the queue length of each AES instance's engine as a counter;
//  - hardware: AES core busy intervals on "AES<i>/core" (blocks the core runs with gaps of
//    at most kBusyMergeGap merged into one span, args.blocks = blocks in it), sDMA channel
//    activity on "sDMA/ch<n>".
// Processes are registered in a fixed order: CPU0, CPU1, ..., requests, omap-aes, engine,
// AES1, ..., sDMA.
// The driver's and the CPU's hooks are only installed when a probe exists: without one the
// stack pays nothing.
#pragma once

#include "testbench/stack/stack.h"
#include "traces/core/timeline.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace aesvp::testbench {

class TimelineProbe {
 public:
  TimelineProbe(traces::Timeline& timeline, Stack& stack);

  static traces::Time ps(const sc_core::sc_time& t);
  // Busy periods of an AES core separated by at most this much idle time are one span.
  static constexpr traces::Time kBusyMergeGap = 1000000;  // 1 us in ps

  // Records what is still pending (the AES busy interval in progress). Call before writing.
  void flush();

 private:
  void on_run(const ExecContext& ctx, const sc_core::sc_time& start, const sc_core::sc_time& end);
  void on_driver_step(const driver::DriverTraceEvent& e);
  void on_aes_busy(unsigned instance, bool busy);
  void on_dma_channel(unsigned ch, bool active);
  void begin_composite(std::size_t instance, std::uint64_t id, traces::Time at);
  void end_composite(std::uint64_t id, traces::Time at);

  traces::Timeline& tl_;
  Stack& stack_;
  std::vector<traces::TrackId> context_tracks_;  // by ExecContext id
  std::vector<traces::TrackId> aes_tracks_;      // by AES instance
  std::vector<traces::CounterId> queue_counters_;
  std::vector<traces::TrackId> aes_core_tracks_;
  struct BusyInterval {
    traces::Time begin = 0, end = 0;
    std::int64_t blocks = 0;  // busy periods merged (0: no interval pending)
    bool busy = false;
  };
  std::vector<BusyInterval> aes_busy_;
  void record_busy(unsigned instance);
  // Per request in flight, the phase open inside "request" (finalize closes it).
  std::unordered_map<std::uint64_t, traces::NameId> open_phase_;
  void next_phase(std::uint64_t id, traces::NameId phase, traces::Time at);
  std::vector<traces::TrackId> dma_tracks_;  // by sDMA channel (made on first use)
  std::vector<traces::Time> dma_active_since_;
  traces::NameId block_, transfer_, blocks_;
  traces::NameId class_names_[4];
  traces::NameId request_, queued_, do_one_, dma_, pio_, completion_;
  traces::NameId in_composite_, composite_, member_, members_key_, composite_key_;
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> composites_;  // in flight
};

}  // namespace aesvp::testbench
