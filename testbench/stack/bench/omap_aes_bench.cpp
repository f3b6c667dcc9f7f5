// omap_aes_bench: the omap-aes driver through the full stack (skcipher API -> driver ->
// crypto engine on the simulated RT kthread -> sDMA + AES models -> IRQ -> tasklets).
// Simulated throughput and CPU load for 512-byte and 64 KiB AES-128-CBC encryptions, with
// one request outstanding and with a queue of requests (dm-crypt style submitter: up to
// `depth` in flight, MAY_BACKLOG, waits for the -EINPROGRESS notification after -EBUSY),
// plus host requests per second for 512-byte requests.
//
//   omap_aes_bench [--mode accurate|fast] [--requests N] [--depth D]
//     N: 512-byte requests per phase (default 2000; 64 KiB phases use N / 20)
//     D: queue depth of the queued phases (default 8)
#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "driver/kernel/dmaengine.h"
#include "driver/kernel/kernel.h"
#include "driver/omap_aes/omap_aes.h"
#include "models/platform/platform.h"
#include "models/platform/platform_params.h"

#include <systemc>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace aesvp;
using namespace aesvp::driver;
using engine::Errc;

namespace {

struct Phase {
  Phase(std::string n, std::size_t sz, unsigned d, unsigned r)
      : name(std::move(n)), size(sz), depth(d), requests(r) {}
  std::string name;
  std::size_t size = 0;
  unsigned depth = 1;
  unsigned requests = 0;
  // results
  double sim_s = 0, host_s = 0;
  CpuLoadReport load;
  unsigned errors = 0;
  unsigned max_in_flight = 0;
  double fallback = 0;
};

int usage() {
  std::fprintf(stderr, "usage: omap_aes_bench [--mode accurate|fast] [--requests N] [--depth D]\n");
  return 2;
}

}  // namespace

// Silence SystemC's banner before the kernel prints it (as the aesvp program does).
static const bool kQuietBanner = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0) == 0;

int sc_main(int argc, char** argv) {
  (void)kQuietBanner;
  std::string mode = "accurate";
  unsigned n512 = 2000, depth = 8;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mode" && i + 1 < argc) {
      mode = argv[++i];
      if (mode != "accurate" && mode != "fast") return usage();
    } else if (a == "--requests" && i + 1 < argc) {
      n512 = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
      if (n512 < 20) return usage();
    } else if (a == "--depth" && i + 1 < argc) {
      depth = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
      if (depth < 1) return usage();
    } else {
      return usage();
    }
  }

  PlatformParams pp;
  pp.soc.timing_mode = mode;
  pp.dram.size_mib = 64;
  Platform platform("platform", pp);
  kernel::Kernel k(platform.cpu, platform.device_tree());
  const std::unique_ptr<kernel::DmaEngine> dma = kernel::make_dma_engine(k);
  DriverParams dp;
  OmapAesDriver drv(k, *dma, dp);

  std::vector<Phase> phases = {
      {"512 B, 1 outstanding", 512, 1, n512},
      {"512 B, queued", 512, depth, n512},
      {"64 KiB, 1 outstanding", 65536, 1, n512 / 20},
      {"64 KiB, queued", 65536, depth, n512 / 20},
  };
  bool finished = false;
  // The steps of one 512-byte request (the 10th of the first phase) on the timeline.
  std::vector<DriverTraceEvent> steps;
  bool record = true;
  drv.set_trace_hook([&](const DriverTraceEvent& e) {
    if (record && e.id == 10) steps.push_back(e);
  });

  k.spawn_thread("bench", ContextClass::Thread, 1, [&] {
    if (drv.probe() != 0) {
      std::fprintf(stderr, "omap_aes_bench: probe failed\n");
      return;
    }
    std::mt19937 g(1);
    CryptoSkcipher tfm(drv, SkcipherMode::Cbc);
    std::vector<std::uint8_t> key(16);
    for (auto& b : key) b = static_cast<std::uint8_t>(g());
    crypto_skcipher_setkey(tfm, key);
    for (Phase& ph : phases) {
      // Buffers: one source/destination pair per slot, reused.
      const unsigned slots = ph.depth + 1;
      std::vector<kernel::Scatterlist> src(slots), dst(slots);
      std::vector<std::unique_ptr<SkcipherRequest>> reqs(slots);
      std::vector<std::uint8_t> data(ph.size);
      for (auto& b : data) b = static_cast<std::uint8_t>(g());
      std::vector<unsigned> free_slots;
      for (unsigned s = 0; s < slots; ++s) {
        src[s] = kernel::sg_init_one(k.kmalloc(ph.size), static_cast<std::uint32_t>(ph.size));
        dst[s] = kernel::sg_init_one(k.kmalloc(ph.size), static_cast<std::uint32_t>(ph.size));
        kernel::sg_place_bytes(k, src[s], data);
        reqs[s] = std::make_unique<SkcipherRequest>(tfm);
        free_slots.push_back(s);
      }
      kernel::Completion slot_free(k), restart(k), all_done(k);
      unsigned in_flight = 0, completed = 0;
      bool backlogged = false;
      const std::uint64_t fb0 = drv.fallback_requests();
      const CpuLoad l0 = platform.cpu.load();
      const sc_core::sc_time t0 = k.now();
      const auto h0 = std::chrono::steady_clock::now();
      for (unsigned i = 0; i < ph.requests; ++i) {
        while (in_flight >= ph.depth || free_slots.empty()) slot_free.wait_for_completion();
        const unsigned s = free_slots.back();
        free_slots.pop_back();
        SkcipherRequest& r = *reqs[s];
        std::uint8_t iv[16] = {};
        std::memcpy(iv, &i, sizeof i);
        r.id = i + 1;
        r.set_crypt(src[s], dst[s], static_cast<std::uint32_t>(ph.size), iv);
        r.set_callback(true, [&, s](engine::Request&, Errc e) {
          if (e == Errc::InProgress) {
            restart.complete();
            return;
          }
          if (e != Errc::Ok) ++ph.errors;
          --in_flight;
          ++completed;
          free_slots.push_back(s);
          slot_free.complete();
          if (completed == ph.requests) all_done.complete();
        });
        ++in_flight;
        ph.max_in_flight = std::max(ph.max_in_flight, in_flight);
        const Errc rc = crypto_skcipher_encrypt(r);
        if (rc == Errc::Ok) {  // synchronous (fallback)
          --in_flight;
          ++completed;
          free_slots.push_back(s);
          if (completed == ph.requests) all_done.complete();
        } else if (rc == Errc::Busy) {
          backlogged = true;
          restart.wait_for_completion();
        } else if (rc != Errc::InProgress) {
          ++ph.errors;
          --in_flight;
          ++completed;
          free_slots.push_back(s);
        }
        (void)backlogged;
      }
      if (completed < ph.requests) all_done.wait_for_completion();
      ph.sim_s = (k.now() - t0).to_seconds();
      ph.host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - h0).count();
      ph.load = load_between(l0, platform.cpu.load());
      ph.fallback = static_cast<double>(drv.fallback_requests() - fb0);
      for (unsigned s = 0; s < slots; ++s) {
        k.kfree(src[s][0].address);
        k.kfree(dst[s][0].address);
      }
      record = false;
      k.sleep(sc_core::sc_time(1, sc_core::SC_MS));  // let the engine go idle between phases
    }
    finished = true;
  });
  const auto h0 = std::chrono::steady_clock::now();
  sc_core::sc_start(sc_core::sc_time(100, sc_core::SC_SEC));
  const double host_total = std::chrono::duration<double>(std::chrono::steady_clock::now() - h0).count();
  if (!finished) {
    std::fprintf(stderr, "omap_aes_bench: did not finish\n");
    return 1;
  }
  std::printf("omap_aes_bench: AES-128-CBC encrypt through skcipher -> omap-aes -> crypto engine -> sDMA/AES\n");
  std::printf("timing mode %s, CPU %u cores at %.0f MHz, fallback below %u B, engine queue %u, depth %u\n",
              mode.c_str(), platform.cpu.cores(), pp.cpu.clock_mhz, dp.aes_fallback_sz, dp.queue_len, depth);
  std::printf("%-24s %9s %6s %10s %10s %9s %9s %9s %9s %9s %12s\n", "phase", "requests", "inflt", "sim MB/s", "lat us",
              "cpu tot%", "hardirq%", "softirq%", "rt-kth%", "thread%", "host req/s");
  for (const Phase& ph : phases) {
    const double mbps = ph.sim_s > 0 ? ph.size * ph.requests / ph.sim_s / 1e6 : 0;
    const double lat = ph.sim_s / ph.requests * 1e6;
    const auto& c = ph.load.per_class;
    std::printf("%-24s %9u %6u %10.2f %10.2f %9.1f %9.1f %9.1f %9.1f %9.1f %12.0f\n", ph.name.c_str(), ph.requests,
                ph.max_in_flight, mbps, lat, 100 * ph.load.total, 100 * c[class_index(ContextClass::HardIrq)],
                100 * c[class_index(ContextClass::SoftIrq)], 100 * c[class_index(ContextClass::RtThread)],
                100 * c[class_index(ContextClass::Thread)], ph.host_s > 0 ? ph.requests / ph.host_s : 0);
    if (ph.errors != 0) std::printf("  %u errors\n", ph.errors);
  }
  std::printf("(cpu %% = busy / (elapsed x %u cores); lat us = elapsed / requests; inflt = most requests submitted and not completed; host req/s = requests per host second)\n",
              platform.cpu.cores());
  std::printf("\none 512-byte request, one outstanding (request id 10): step times from the crypt entry\n");
  static const char* kCls[] = {"hardirq", "softirq", "rt-kthread", "thread"};
  for (const DriverTraceEvent& e : steps) {
    std::printf("  %-18s %8.2f us  %s\n", e.step, (e.at - steps.front().at).to_seconds() * 1e6,
                e.context_class >= 0 ? kCls[e.context_class] : "-");
  }
  std::printf("host time total %.2f s\n", host_total);
  return 0;
}
