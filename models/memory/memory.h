// Simulated DRAM: a byte array behind a TLM target socket with per-access and per-byte
// latency, DMI (whole array, read/write) and debug transport. The array is reserved
// address space whose pages the host allocates and zeroes on first touch: a DRAM costs
// host memory (RSS) only for what the simulation uses, whatever its size.
#pragma once

#include "models/core/params.h"
#include "models/core/target_socket.h"

#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>

namespace aesvp {

#define AESVP_DRAM_PARAMS(X)                                                              \
  X(std::uint32_t, size_mib, 64, "MiB",                                                   \
    "enough for the driver's buffers and in-flight bios; OMAP4 boards have 1 GiB",        \
    "simulated DRAM size", AESVP_RANGE(1, 2048))                                                                \
  X(double, read_access_ns, 60.0, "ns",                                                   \
    "LPDDR2-400 through the OMAP4 EMIF: typical loaded first-beat latency (estimate)",    \
    "latency of one read access")                                                         \
  X(double, write_access_ns, 40.0, "ns",                                                  \
    "posted writes through the EMIF write buffer (estimate)", "latency of one write access") \
  X(double, per_byte_ns, 0.3125, "ns/B",                                                  \
    "LPDDR2-400 x32: 3.2 GB/s peak", "transfer time per byte of an access")

AESVP_PARAM_GROUP(DramParams, "dram", AESVP_DRAM_PARAMS);

class Memory : public sc_core::sc_module {
 public:
  TargetSocket<Memory> socket;

  Memory(sc_core::sc_module_name name, const DramParams& params);

  std::uint64_t size() const { return size_; }
  unsigned char* data() { return bytes_.get(); }

  // Time of one access of `len` bytes (what b_transport adds to the delay).
  sc_core::sc_time read_time(std::uint64_t len) const;
  sc_core::sc_time write_time(std::uint64_t len) const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);

  struct Unmap {
    std::size_t size;
    void operator()(unsigned char* p) const;
  };
  std::uint64_t size_;
  std::unique_ptr<unsigned char, Unmap> bytes_;
  sc_core::sc_time read_access_, write_access_;
  double per_byte_ns_;  // kept as a double: 0.3125 ns would round to 313 ps per byte
};

}  // namespace aesvp
