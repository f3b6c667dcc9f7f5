// The pipeline formula of a DMA-driven AES request, implemented once (docs/timing.md).
//
// Per block: one DMA input frame (memory -> DATA_IN), the AES core, one DMA output frame
// (DATA_OUT -> memory). The AES has one input buffer, the core and one output buffer
// (ping-pong: a block loads while the previous one is processed); one DMA port serves the
// two channels one frame per request, round-robin when both request. In steady state a
// block costs max(core, in frame + out frame); the first block adds the fill (its input
// frame) and the last the drain (core + output frame) that cannot overlap.
//
// The exact total follows from these rules (a max-plus recurrence), evaluated here as a
// small event loop; SystemC-free so that tests and the fast timing mode use the same code:
//  - at any instant the AES first settles (output buffer released, input block arrived,
//    finished block moved to a free output buffer, core takes a waiting input block), then
//    a free DMA port samples the request lines: input request = input buffer empty and
//    blocks left to load; output request = a block waits in the output buffer and no
//    frame is reading it;
//  - an input frame started at t delivers its block at t + in_frame;
//  - an output frame started at t frees the output buffer at t + out_release and ends at
//    t + out_frame;
//  - the core needs `core` per block (the first block `core_first_extra` more: XTS computes
//    its initial tweak then) and holds a finished block until the output buffer
//    is free.
#pragma once

#include <cstdint>

namespace aesvp {

struct AesDmaPipeline {
  std::uint64_t in_frame_ps = 0;     // DMA input frame: start to block arrival in DATA_IN
  std::uint64_t out_frame_ps = 0;    // DMA output frame: start to end (block in memory)
  std::uint64_t out_release_ps = 0;  // output frame start to the AES output buffer being free
  std::uint64_t core_ps = 0;         // AES core time per block
  std::uint64_t core_first_extra_ps = 0;  // extra core time of the first block (XTS: T = E_K2(n))
};

// Time from the start of the first input frame (port free, input request high) to the end
// of the last output frame of a `blocks`-block transfer.
std::uint64_t aes_dma_transfer_ps(const AesDmaPipeline& p, std::uint64_t blocks);

}  // namespace aesvp
