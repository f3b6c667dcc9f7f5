// Direct memory access for an initiator that still charges bus time (a DMA engine's memory
// side): host pointers from tlm_dmi grants, and per command and length the latency that a
// transaction through b_transport annotated, learned from the first such transaction in the
// granted range. The copy then costs a memcpy and adds exactly what b_transport would have
// added, so simulated time does not change.
//
// Valid for paths whose latency depends only on the command and the length (the DRAM model
// and the interconnect's fixed hops - the only DMI granters here); tlm_dmi's own latency
// fields cannot express a per-byte time. Grants are dropped by invalidate(), which the owner
// calls from its invalidate_direct_mem_ptr (the interconnect revokes them before it injects a
// bus error, so a faulty range falls back to b_transport and sees its error).
#pragma once

#include <systemc>
#include <tlm>

#include <cstdint>
#include <vector>

namespace aesvp {

class TimedDmi {
 public:
  // Copies `len` bytes between `data` and [addr, addr + len) through a grant and adds the
  // learned latency to `delay`; false (nothing done) when no grant covers the range with this
  // access or the latency of this command and length is not known yet.
  bool access(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, unsigned len,
              sc_core::sc_time& delay);
  // Copies `len` bytes as access() does but adds no time: for a caller that times a run of
  // accesses itself from latency(). False (nothing done) when no grant covers the range.
  bool copy(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, std::uint64_t len);
  // The latency access() adds for one `len`-byte access of this command inside
  // [addr, addr + span), when a grant covers that whole range; nullptr otherwise.
  const sc_core::sc_time* latency(tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t span,
                                  unsigned len);
  // After `t` (contiguous: streaming width = length, no byte enables) answered OK through
  // b_transport, adding `latency` to the delay: records the latency and, if the target
  // allowed DMI, asks `fw` for a grant.
  void learn(tlm::tlm_fw_transport_if<>& fw, tlm::tlm_generic_payload& t,
             const sc_core::sc_time& latency);
  // Drops every grant that overlaps [start, end] (and the latencies learned in it).
  void invalidate(std::uint64_t start, std::uint64_t end);

 private:
  struct Latency {
    tlm::tlm_command cmd;
    unsigned len;
    sc_core::sc_time time;
  };
  struct Window {
    tlm::tlm_dmi grant;
    std::vector<Latency> latencies;
    bool covers(tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t len) const;
    const Latency* latency(tlm::tlm_command cmd, unsigned len) const;
  };
  Window* window(tlm::tlm_command cmd, std::uint64_t addr, std::uint64_t len);
  // The bytes through the window's pointer (covered: window() said so).
  static void move(const Window& w, tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                   std::uint64_t len);

  void span_windows();  // recomputes lo_ and hi_ after windows_ changed
  std::vector<Window> windows_;
  // The hull of every grant: an address outside it (a device register, on every non-DMI
  // access of an initiator) is rejected with one compare instead of a scan of the windows.
  std::uint64_t lo_ = ~std::uint64_t{0}, hi_ = 0;
  tlm::tlm_generic_payload grant_trans_;  // reused for get_direct_mem_ptr
};

}  // namespace aesvp
