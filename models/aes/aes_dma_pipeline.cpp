#include "models/aes/aes_dma_pipeline.h"

#include <algorithm>
#include <limits>

namespace aesvp {

std::uint64_t aes_dma_transfer_ps(const AesDmaPipeline& p, std::uint64_t blocks) {
  constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
  if (blocks == 0) return 0;

  // AES state.
  bool in_loading = false, in_full = false;  // input buffer: frame in flight / block present
  std::uint64_t in_arrival = kNever;
  bool core_busy = false;  // holds a block (computing, or finished and waiting)
  bool first_block = true;
  std::uint64_t core_done = kNever;
  bool out_full = false, out_reading = false;
  std::uint64_t out_release = kNever;
  // DMA state.
  enum class Channel { None, In, Out } last = Channel::None;
  bool port_busy = false;
  std::uint64_t port_free = 0;
  std::uint64_t loaded = 0, unloaded = 0, finish = 0;

  std::uint64_t t = 0;
  for (;;) {
    // 1. The AES settles at t.
    for (bool changed = true; changed;) {
      changed = false;
      if (out_reading && out_release <= t) {
        out_reading = out_full = false;
        out_release = kNever;
        changed = true;
      }
      if (in_loading && in_arrival <= t) {
        in_loading = false;
        in_full = true;
        in_arrival = kNever;
        changed = true;
      }
      if (core_busy && core_done <= t && !out_full) {
        core_busy = false;
        core_done = kNever;
        out_full = true;
        changed = true;
      }
      if (!core_busy && in_full) {
        in_full = false;
        core_busy = true;
        core_done = t + p.core_ps + (first_block ? p.core_first_extra_ps : 0);
        first_block = false;
        changed = true;
      }
    }
    // 2. A free DMA port samples the request lines.
    if (port_busy && port_free <= t) port_busy = false;
    if (!port_busy) {
      const bool want_in = !in_loading && !in_full && loaded < blocks;
      const bool want_out = out_full && !out_reading;
      Channel pick = Channel::None;
      if (want_in && want_out) pick = last == Channel::In ? Channel::Out : Channel::In;
      else if (want_in) pick = Channel::In;
      else if (want_out) pick = Channel::Out;
      if (pick == Channel::In) {
        ++loaded;
        in_loading = true;
        in_arrival = t + p.in_frame_ps;
        port_free = t + p.in_frame_ps;
      } else if (pick == Channel::Out) {
        ++unloaded;
        out_reading = true;
        out_release = t + p.out_release_ps;
        port_free = t + p.out_frame_ps;
        finish = port_free;
      }
      if (pick != Channel::None) {
        port_busy = true;
        last = pick;
      }
    }
    if (unloaded == blocks) return finish;
    // 3. Advance to the next instant something changes.
    std::uint64_t next = kNever;
    if (port_busy) next = std::min(next, port_free);
    if (in_loading) next = std::min(next, in_arrival);
    if (out_reading) next = std::min(next, out_release);
    if (core_busy && core_done > t) next = std::min(next, core_done);
    if (next == kNever) return finish;  // unreachable: something is always pending
    t = std::max(t, next);
  }
}

}  // namespace aesvp
