// The interconnect: address decoding from any initiator (CPU, DMA) to the mapped targets,
// a latency per crossing (plus an optional extra per region, e.g. the L4 peripheral
// bridge), TLM_ADDRESS_ERROR_RESPONSE for unmapped addresses, DMI pass-through with
// address translation in both directions, and fault injection: a range can be made to
// answer every access with TLM_GENERIC_ERROR_RESPONSE, and DMI pointers that cover it are
// revoked first so that cached pointers cannot bypass the fault.
#pragma once

#include "models/core/params.h"
#include "models/core/target_socket.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp {

#define AESVP_BUS_PARAMS(X)                                                                  \
  X(double, l3_clock_mhz, 200.0, "MHz", "OMAP4430 TRM: L3 interconnect at 200 MHz (L3_ICLK)", \
    "interconnect clock")                                                                    \
  X(std::uint32_t, l3_hop_cycles, 4, "cycles",                                               \
    "request + response arbitration through one L3 switch (estimate)",                      \
    "latency of one crossing of the interconnect")                                          \
  X(std::uint32_t, l4_bridge_cycles, 10, "cycles",                                          \
    "L3-to-L4PER bridge and L4 target agent (estimate; OMAP4 peripheral register accesses " \
    "take on the order of 100 ns from the CPU)",                                             \
    "extra latency of an access to a peripheral behind the L4 bridge")

AESVP_PARAM_GROUP(BusParams, "bus", AESVP_BUS_PARAMS);

class Interconnect : public sc_core::sc_module, private tlm::tlm_fw_transport_if<> {
 public:
  // Initiators bind their sockets here; targets are attached with attach(). The bus serves
  // every initiator alike, so all of them call the bus's own transport functions directly
  // (no per-initiator binder in between); the backward path still reaches each one.
  tlm::tlm_target_socket<32, tlm::tlm_base_protocol_types, 0>
      from_initiators;
  tlm_utils::multi_passthrough_initiator_socket<Interconnect> to_targets;

  Interconnect(sc_core::sc_module_name name, const sc_core::sc_time& hop_latency);

  // Binds `target` and maps [base, base + size) onto its addresses [0, size).
  // `extra` is added to the hop latency for accesses to this region.
  void attach(tlm::tlm_target_socket<>& target, std::uint64_t base, std::uint64_t size,
              const std::string& region_name,
              const sc_core::sc_time& extra = sc_core::SC_ZERO_TIME);

  // Fault injection: every access that touches [base, base + size) gets
  // TLM_GENERIC_ERROR_RESPONSE until cleared; DMI over it is revoked and refused.
  void inject_bus_error(std::uint64_t base, std::uint64_t size);
  // Removes one fault injected with exactly this range (DMI may be granted again after).
  void remove_bus_error(std::uint64_t base, std::uint64_t size);
  void clear_bus_errors();
  unsigned long injected_errors() const { return injected_errors_; }

  struct Region {
    std::string name;
    std::uint64_t base, size;
    unsigned port;
    sc_core::sc_time extra;
  };
  const std::vector<Region>& regions() const { return regions_; }
  // The region that serves `addr`, or null for a hole.
  const Region* decode(std::uint64_t addr) const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) override;
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) override;
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans) override;
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& t) override;
  void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);
  // The bindings are complete: each span's target transport is resolved once.
  void end_of_elaboration() override;

  bool faulty(std::uint64_t addr, std::uint64_t len) const;
  void revoke_dmi(std::uint64_t start, std::uint64_t end);

  sc_core::sc_time hop_;
  std::vector<Region> regions_;   // in attach order (port order)
  // The regions sorted by base address, for a binary search (they never overlap).
  struct Span {
    std::uint64_t base, size;
    sc_core::sc_time crossing;  // hop + the region's extra
    unsigned region;            // index into regions_ (= its port)
    // The target's b_transport, resolved at the end of elaboration (resolve_target).
    // (mutable: a cache of the binding, filled at first use if the elaboration has not ended).
    mutable DirectTransport target;
  };
  void resolve_target(const Span& s);
  // For a target without a DirectTransport: the virtual call, made on its blocking interface.
  static void call_interface(void* target, tlm::tlm_generic_payload& trans, sc_core::sc_time& t);
  std::vector<Span> by_base_;
  // Decode in (nearly) one step: for each 1 MiB page of the 32-bit space, the first span
  // that ends above the page's start; a look-up walks on from there while spans start at or
  // below the address (one span, unless several share the page). Rebuilt at each attach.
  // Pointers into by_base_, and its end, so that a look-up does no index arithmetic.
  static constexpr unsigned kPageShift = 20;
  std::vector<const Span*> first_span_;
  const Span* spans_end_ = nullptr;
  void index_pages();
  const Span* find_span(std::uint64_t addr) const;
  // The error answers of b_transport, out of its hot path.
  [[gnu::cold]] void reject_unmapped(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay,
                                     const Span* s);
  [[gnu::cold]] void answer_fault(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  struct Fault { std::uint64_t base, size; };
  std::vector<Fault> faults_;
  unsigned long injected_errors_ = 0;
};

}  // namespace aesvp
