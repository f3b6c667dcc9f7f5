#include "models/bus/interconnect.h"
#include "models/core/report.h"
#include "models/memory/memory.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace aesvp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

struct Initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> invalidations;
  explicit Initiator(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_invalidate_direct_mem_ptr(this, &Initiator::invalidate);
  }
  void invalidate(sc_dt::uint64 s, sc_dt::uint64 e) { invalidations.emplace_back(s, e); }

  tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                  unsigned len, sc_time& delay) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(t, delay);
    return t.get_response_status();
  }
};

struct Bench : sc_core::sc_module {
  Initiator cpu{"cpu"};
  Interconnect bus{"bus", sc_time(5, SC_NS)};
  Memory dram;
  Memory sram;
  static DramParams small(std::uint32_t mib) {
    DramParams p;
    p.size_mib = mib;
    return p;
  }
  explicit Bench(sc_core::sc_module_name n)
      : sc_core::sc_module(n), dram("dram", small(1)), sram("sram", small(1)) {
    cpu.socket.bind(bus.from_initiators);
    bus.attach(dram.socket, 0x80000000, 1 << 20, "dram");
    bus.attach(sram.socket, 0x40000000, 1 << 20, "sram", sc_time(20, SC_NS));
  }
};

TEST(Interconnect, RoutesTranslatesAndAddsLatency) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // completes elaboration (multi-socket binding)
  std::uint32_t w = 0x12345678, r = 0;
  sc_time delay = SC_ZERO_TIME;
  ASSERT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x80000100, &w, 4, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(5, SC_NS) + b.dram.write_time(4));
  std::uint32_t stored;
  std::memcpy(&stored, b.dram.data() + 0x100, 4);
  EXPECT_EQ(stored, w);

  delay = SC_ZERO_TIME;
  ASSERT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, 0x40000010, &r, 4, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(25, SC_NS) + b.sram.read_time(4));
}

// A target that is no aesvp::TargetSocket (no DirectTransport): the bus calls it through its
// blocking interface, with the same translation and latency.
struct PlainTarget : sc_core::sc_module {
  tlm_utils::simple_target_socket<PlainTarget> socket{"socket"};
  std::uint64_t last_address = ~0ull;
  explicit PlainTarget(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_b_transport(this, &PlainTarget::b_transport);
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    last_address = t.get_address();
    delay += sc_time(7, SC_NS);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

TEST(Interconnect, RoutesToATargetWithoutDirectTransport) {
  Bench b("b");
  PlainTarget plain("plain");
  b.bus.attach(plain.socket, 0x50000000, 0x1000, "plain");
  sc_core::sc_start(SC_ZERO_TIME);  // completes elaboration (multi-socket binding)
  std::uint32_t w = 1;
  sc_time delay = SC_ZERO_TIME;
  ASSERT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x50000024, &w, 4, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(plain.last_address, 0x24u);
  EXPECT_EQ(delay, sc_time(12, SC_NS));
  delay = SC_ZERO_TIME;  // the memory next to it still has its own route
  ASSERT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x80000100, &w, 4, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(delay, sc_time(5, SC_NS) + b.dram.write_time(4));
}

TEST(Interconnect, UnmappedAddressIsAnAddressError) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // completes elaboration (multi-socket binding)
  std::uint32_t w = 1;
  sc_time delay = SC_ZERO_TIME;
  EXPECT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x10000000, &w, 4, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // An access that starts inside a region but runs past its end is refused too.
  std::vector<unsigned char> big(32);
  EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, 0x80000000 + (1 << 20) - 16, big.data(), 32,
                         delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(testing::take_reports(kReportBus).size(), 2u);
}

TEST(Interconnect, DmiIsTranslatedAndRevokedByFaultInjection) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // completes elaboration (multi-socket binding)
  tlm::tlm_generic_payload t;
  t.set_address(0x80000040);
  t.set_command(tlm::TLM_READ_COMMAND);
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(b.cpu.socket->get_direct_mem_ptr(t, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0x80000000u);
  EXPECT_EQ(dmi.get_end_address(), 0x80000000u + (1 << 20) - 1);
  EXPECT_EQ(dmi.get_dmi_ptr(), b.dram.data());

  b.bus.inject_bus_error(0x80001000, 0x100);
  ASSERT_EQ(b.cpu.invalidations.size(), 1u);
  EXPECT_EQ(b.cpu.invalidations[0].first, 0x80000000u);
  tlm::tlm_dmi again;
  EXPECT_FALSE(b.cpu.socket->get_direct_mem_ptr(t, again));

  std::uint32_t w = 1;
  sc_time delay = SC_ZERO_TIME;
  EXPECT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x80001080, &w, 4, delay),
            tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x80002000, &w, 4, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.injected_errors(), 1u);
  b.bus.clear_bus_errors();
  EXPECT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x80001080, &w, 4, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(b.cpu.socket->get_direct_mem_ptr(t, again));
}

TEST(Interconnect, DebugTransportReachesTargets) {
  Bench b("b");
  sc_core::sc_start(SC_ZERO_TIME);  // completes elaboration (multi-socket binding)
  std::memcpy(b.sram.data() + 8, "abcd", 4);
  char out[4];
  tlm::tlm_generic_payload t;
  t.set_command(tlm::TLM_READ_COMMAND);
  t.set_address(0x40000008);
  t.set_data_ptr(reinterpret_cast<unsigned char*>(out));
  t.set_data_length(4);
  EXPECT_EQ(b.cpu.socket->transport_dbg(t), 4u);
  EXPECT_EQ(std::memcmp(out, "abcd", 4), 0);
}

// The OMAP4 map as the platform attaches it (omap4_map.h, in its attach order: DRAM first,
// the AES instances last), written out by hand; every region's first and last byte decode
// to it, the bytes either side of it to its neighbour or to nothing.
struct Omap4Bench : sc_core::sc_module {
  Initiator cpu{"cpu"};
  Interconnect bus{"bus", sc_time(5, SC_NS)};
  std::vector<std::unique_ptr<Memory>> targets;
  explicit Omap4Bench(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    cpu.socket.bind(bus.from_initiators);
    map("dram", 0x80000000, 1 << 20);
    map("gic_cpu_if", 0x48240100, 0x200);
    map("gic_dist", 0x48241000, 0x1000);
    map("sdma", 0x4a056000, 0x1000);
    map("aes1", 0x4b501000, 0x1000);
    map("aes2", 0x4b701000, 0x1000);
  }
  void map(const char* name, std::uint64_t base, std::uint64_t size) {
    DramParams p;
    p.size_mib = 1;
    targets.push_back(std::make_unique<Memory>((std::string(name) + "_mem").c_str(), p));
    bus.attach(targets.back()->socket, base, size, name);
  }
  std::string decoded(std::uint64_t addr) const {
    const Interconnect::Region* r = bus.decode(addr);
    return r != nullptr ? r->name : "-";
  }
};

TEST(Interconnect, DecodesEveryRegionBoundaryAndHole) {
  Omap4Bench b("b");
  const std::vector<std::pair<std::uint64_t, const char*>> expected = {
      {0x0, "-"},
      {0x482400ff, "-"},
      {0x48240100, "gic_cpu_if"},
      {0x482402ff, "gic_cpu_if"},
      {0x48240300, "-"},
      {0x48240fff, "-"},
      {0x48241000, "gic_dist"},
      {0x48241fff, "gic_dist"},
      {0x48242000, "-"},
      {0x4a055fff, "-"},
      {0x4a056000, "sdma"},
      {0x4a056fff, "sdma"},
      {0x4a057000, "-"},
      {0x4b500fff, "-"},
      {0x4b501000, "aes1"},
      {0x4b501fff, "aes1"},
      {0x4b502000, "-"},
      {0x4b700fff, "-"},
      {0x4b701000, "aes2"},
      {0x4b701fff, "aes2"},
      {0x4b702000, "-"},
      {0x7fffffff, "-"},
      {0x80000000, "dram"},
      {0x800fffff, "dram"},
      {0x80100000, "-"},
      {0xffffffff, "-"},
      {0xffffffffffffffffull, "-"},
  };
  for (const auto& [addr, name] : expected) EXPECT_EQ(b.decoded(addr), name) << std::hex << addr;
}

// A region that overlaps one already mapped is refused when it is attached.
TEST(Interconnect, OverlappingRegionIsRefused) {
  Omap4Bench b("b");
  EXPECT_THROW(b.map("overlap", 0x48241800, 0x1000), std::logic_error);
  EXPECT_THROW(b.map("inside", 0x80001000, 0x100), std::logic_error);
}

// Adjacent regions attached out of order: the last word of one and the first of the next
// reach their own targets at their own offsets.
TEST(Interconnect, AdjacentRegionsRouteToTheirOwnTargets) {
  Omap4Bench b("b");
  b.map("next_to_dist", 0x48242000, 0x100);
  sc_core::sc_start(SC_ZERO_TIME);  // completes elaboration (multi-socket binding)
  std::uint32_t last = 0x11111111, first = 0x22222222;
  sc_time delay = SC_ZERO_TIME;
  ASSERT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x48241ffc, &last, 4, delay), tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(b.cpu.access(tlm::TLM_WRITE_COMMAND, 0x48242000, &first, 4, delay), tlm::TLM_OK_RESPONSE);
  std::uint32_t got = 0;
  std::memcpy(&got, b.targets[2]->data() + 0xffc, 4);
  EXPECT_EQ(got, last);
  std::memcpy(&got, b.targets[6]->data(), 4);
  EXPECT_EQ(got, first);
  // A word that straddles the two regions runs past the end of the first: refused.
  std::uint32_t straddle[2] = {};
  EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, 0x48241ffc, straddle, 8, delay),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(testing::take_reports(kReportBus).size(), 1u);
}

// The VmFlags of the mapping that holds `p` (/proc/self/smaps), or "" if none does.
std::string vm_flags_of(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> lo >> dash >> hi && dash == '-') inside = lo <= a && a < hi;
    else if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

// Simulated DRAM is advised MADV_HUGEPAGE ("hg" in the mapping's VmFlags): a first touch maps
// 2 MiB instead of 4 KiB (a 4 KiB fault costs ~10 us in the development VMs).
TEST(Memory, DramAsksForHugePages) {
  Bench b("b");
  const std::string flags = vm_flags_of(b.dram.data());
  ASSERT_FALSE(flags.empty()) << "no mapping holds the DRAM";
  EXPECT_NE((flags + " ").find(" hg "), std::string::npos) << flags;
}

}  // namespace
}  // namespace aesvp
