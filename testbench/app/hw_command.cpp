// `aesvp hw`: the hardware path without the driver stack. Bare-metal software on the simulated
// CPU encrypts buffers through the AES model with the system DMA (docs/timing.md), every byte
// is verified against OpenSSL, and a summary is printed.
#include "driver/baremetal/aes_dma_program.h"
#include "models/core/sim_time.h"
#include "models/platform/platform.h"
#include "models/sdma/omap_sdma_regs.h"
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"
#include "testbench/app/stats_output.h"
#include "testbench/app/output_files.h"
#include "testbench/app/trace_outputs.h"
#include "testbench/stack/stack.h"
#include "testbench/app/openssl_reference.h"
#include "traces/sc/waveform.h"

#include <systemc>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <stdexcept>

namespace po = boost::program_options;

namespace aesvp {
namespace {

struct RunOptions {
  baremetal::CipherMode mode = baremetal::CipherMode::Xts;
  unsigned key_bits = 256;  // per AES key (XTS uses two)
  bool encrypt = true;
  std::uint32_t request_bytes = 65536;
  std::uint32_t requests = 256;
};

baremetal::CipherMode parse_mode(const std::string& s) {
  if (s == "ecb") return baremetal::CipherMode::Ecb;
  if (s == "cbc") return baremetal::CipherMode::Cbc;
  if (s == "ctr") return baremetal::CipherMode::Ctr;
  if (s == "xts") return baremetal::CipherMode::Xts;
  throw UsageError("--mode: '" + s + "' is not one of ecb, cbc, ctr, xts");
}

struct Summary {
  std::uint64_t bytes = 0, verified = 0, mismatches = 0;
  sc_core::sc_time first_start, last_end, busy_latency_sum;
  sc_core::sc_time min_latency = sc_core::sc_max_time(), max_latency;
};

class HardwareDemo : public sc_core::sc_module {
 public:
  HardwareDemo(sc_core::sc_module_name name, Platform& p, const RunOptions& o, std::uint64_t seed)
      : sc_core::sc_module(name),
        p_(p),
        o_(o),
        rng_(seed),
        ctx_(p.cpu.create_context("baremetal", ContextClass::Thread, 0)),
        program_(p.device_tree(), p.cpu, ctx_) {
    sc_core::sc_spawn([this] { main(); });
  }
  const Summary& summary() const { return s_; }
  std::string error;
  bool finished = false;  // every request done (else the simulation ran dry or failed)

 private:
  void main() {
    try {
      program_.init();
      const std::uint64_t src = p_.dram_base() + 0x100000;
      const std::uint64_t dst = src + o_.request_bytes + 0x1000;
      const bool xts = o_.mode == baremetal::CipherMode::Xts;
      baremetal::AesJob job;
      job.mode = o_.mode;
      job.encrypt = o_.encrypt;
      job.key.resize((xts ? 2 : 1) * o_.key_bits / 8);
      job.src = src;
      job.dst = dst;
      job.length = o_.request_bytes;
      std::vector<std::uint8_t> in(o_.request_bytes), out(o_.request_bytes);
      for (std::uint32_t i = 0; i < o_.requests; ++i) {
        for (auto& b : job.key) b = static_cast<std::uint8_t>(rng_());
        for (auto& b : job.iv) b = static_cast<std::uint8_t>(rng_());
        for (auto& b : in) b = static_cast<std::uint8_t>(rng_());
        ctx_.write_memory(src, in.data(), in.size());  // testbench: zero-time placement
        const baremetal::AesJobResult r = program_.run(job);
        ctx_.read_memory(dst, out.data(), out.size());
        const std::vector<std::uint8_t> ref =
            openssl_crypt(job.mode, job.encrypt, job.key, job.iv, in);
        s_.bytes += in.size();
        const std::uint32_t errors = sdma::kIrqTransErr | sdma::kIrqMisalignedErr;
        if (ref == out && ((r.in_channel_status | r.out_channel_status) & errors) == 0) ++s_.verified;
        else ++s_.mismatches;
        const sc_core::sc_time lat = r.completed - r.started;
        if (i == 0) s_.first_start = r.started;
        s_.last_end = r.completed;
        s_.busy_latency_sum += lat;
        s_.min_latency = std::min(s_.min_latency, lat);
        s_.max_latency = std::max(s_.max_latency, lat);
      }
      finished = true;
    } catch (const std::exception& e) {
      error = e.what();
    }
    sc_core::sc_stop();
  }

  Platform& p_;
  RunOptions o_;
  std::mt19937_64 rng_;
  ExecContext& ctx_;
  baremetal::AesDmaProgram program_;
  Summary s_;
};

}  // namespace

int hw_command(const std::vector<std::string>& args) {
  po::options_description own("Options of aesvp hw");
  std::string mode = "xts", direction = "encrypt";
  RunOptions o;
  std::string request_text = "64K";
  own.add_options()
      ("mode", po::value<std::string>(&mode)->default_value("xts"), "cipher mode: ecb, cbc, ctr, xts")
      ("key-bits", po::value<unsigned>(&o.key_bits)->default_value(256),
       "bits per AES key: 128, 192, 256 (XTS uses two keys; 128 or 256)")
      ("direction", po::value<std::string>(&direction)->default_value("encrypt"), "encrypt or decrypt")
      ("request-bytes", po::value<std::string>(&request_text)->default_value(request_text),
       "bytes per request, a size (docs/units.md: 4096 or 4K): a multiple of 16, at most 1048560 "
       "(the sDMA counts 65535 frames)")
      ("requests", po::value<std::uint32_t>(&o.requests)->default_value(256), "number of requests");
  // Waveforms (traces/sc, docs/traces.md "Waveforms (VCD)").
  WaveformOutput waveforms;
  waveforms.add_options(own);
  StatsOutput stats;
  stats.add_options(own);
  CommandLine cli("hw",
                  "The hardware path without the driver stack: bare-metal software on the CPU\n"
                  "programs the AES and two sDMA channels for each request, takes the DMA\n"
                  "interrupt; every byte is verified against OpenSSL.",
                  own);
  cli.unused_groups({"kernel", "driver", "cryptodev"},
                    "it programs the hardware bare-metal, without the kernel, the driver or cryptodev");
  CommonOptions common;
  cli.parse(args, common);
  if (cli.answered(common)) return 0;
  OutputFiles outputs;
  cli.declare_inputs(outputs);
  o.mode = parse_mode(mode);
  if (direction != "encrypt" && direction != "decrypt")
    throw UsageError("--direction: '" + direction + "' is not encrypt or decrypt");
  o.encrypt = direction == "encrypt";
  if (o.key_bits != 128 && o.key_bits != 192 && o.key_bits != 256)
    throw UsageError("--key-bits: " + std::to_string(o.key_bits) + " is not 128, 192 or 256");
  if (o.mode == baremetal::CipherMode::Xts && o.key_bits == 192)
    throw UsageError("--key-bits: the OpenSSL reference has no XTS-AES-192; use 128 or 256");
  o.request_bytes = static_cast<std::uint32_t>(parse_size("--request-bytes", request_text, UINT32_MAX));
  if (o.request_bytes == 0 || o.request_bytes % 16 != 0 || o.request_bytes > baremetal::kMaxJobBytes)
    throw UsageError("--request-bytes: must be a positive multiple of 16, at most " +
                     std::to_string(baremetal::kMaxJobBytes));
  if (o.requests == 0) throw UsageError("--requests: must be at least 1");
  if (soc_map(common.params.soc.profile).dma != DmaKind::Sdma)
    throw UsageError("--profile " + common.params.soc.profile +
                     ": the bare-metal path programs the sDMA, and this SoC feeds its AES from "
                     "EDMA3 (run, crypt and speed drive it through the kernel's edma provider)");
  stats.check(outputs);
  // Without --stats nothing needs the run after a --vcd-window: it stops at the window end.
  waveforms.check(outputs, !stats.enabled());

  const auto host_start = std::chrono::steady_clock::now();
  Platform platform("platform", common.params);
  HardwareDemo demo("demo", platform, o, common.seed);
  waveforms.attach(platform);  // without --vcd: no recorder, no cost
  const CpuLoad load0 = platform.cpu.load();
  sc_core::sc_start();
  waveforms.close();
  const double host_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  if (!demo.error.empty()) throw std::runtime_error(demo.error);
  const Summary& s = demo.summary();
  auto print_title = [&] {
    std::printf("aesvp hw: %s-%u %s, %u requests of %u bytes, %s timing, seed %llu\n",
                baremetal::to_string(o.mode), o.key_bits, o.encrypt ? "encrypt" : "decrypt",
                o.requests, o.request_bytes, common.params.soc.timing_mode.c_str(),
                static_cast<unsigned long long>(common.seed));
  };
  if (waveforms.stopped_simulation()) {
    print_title();
    std::printf("  completed           %llu of %u requests before the stop, %llu match OpenSSL\n",
                static_cast<unsigned long long>(s.verified + s.mismatches), o.requests,
                static_cast<unsigned long long>(s.verified));
    if (s.mismatches != 0)
      throw std::runtime_error(std::to_string(s.mismatches) + " requests do not match OpenSSL");
    waveforms.finish();
    outputs.commit();
    return 0;
  }
  if (!demo.finished) throw std::runtime_error(testbench::kSimulationStalled);

  const double sim_s = (s.last_end - s.first_start).to_seconds();
  const CpuLoadReport cpu = platform.cpu.load_since(load0);
  const std::uint64_t blocks = s.bytes / 16;
  std::uint64_t aes_blocks = 0;
  sc_core::sc_time aes_busy;
  for (const auto& a : platform.aes) {
    aes_blocks += a->blocks_processed();
    aes_busy += a->core_busy_time();
  }
  const double elapsed = sim_now().to_seconds();
  print_title();
  std::printf("  path                bare-metal program -> AES1 + 2 sDMA channels -> DMA IRQ "
              "(no driver stack yet)\n");
  std::printf("  simulated time      %.3f ms\n", sim_s * 1e3);
  std::printf("  throughput          %.2f MB/s (simulated, 1 MB = 1e6 bytes)\n",
              s.bytes / sim_s / 1e6);
  std::printf("  request latency     min %.2f us, mean %.2f us, max %.2f us\n",
              s.min_latency.to_seconds() * 1e6,
              s.busy_latency_sum.to_seconds() * 1e6 / o.requests,
              s.max_latency.to_seconds() * 1e6);
  std::printf("  AES core            %llu blocks, busy %.1f%% of the time, %.1f ns per block "
              "(simulated)\n",
              static_cast<unsigned long long>(aes_blocks), 100.0 * aes_busy.to_seconds() / elapsed,
              1e9 * sim_s / static_cast<double>(blocks));
  std::printf("  sDMA port           busy %.1f%% of the time\n",
              100.0 * platform.sdma.port_busy_time().to_seconds() / elapsed);
  std::printf("  CPU load            %.1f%% (%u cores, run average)\n", 100.0 * cpu.total,
              cpu.cores);
  std::printf("  verified            %llu of %u requests match OpenSSL\n",
              static_cast<unsigned long long>(s.verified), o.requests);
  std::printf("  host time           %.2f s (%.0f blocks per host second)\n", host_s,
              static_cast<double>(blocks) / host_s);
  // A failed run commits none of its output files: fail before naming them.
  if (s.mismatches != 0)
    throw std::runtime_error(std::to_string(s.mismatches) + " of " + std::to_string(o.requests) +
                             " requests do not match OpenSSL");
  waveforms.finish();
  if (stats.enabled()) {
    traces::RunStatistics rs;
    // The whole simulation (from 0: set-up included), the interval the CPU and hardware
    // busy times are measured over, so every fraction has one denominator.
    rs.simulated_time(static_cast<traces::Time>(sim_now().value()))
        .host_time(host_s)
        .bytes(o.encrypt ? "encrypt" : "decrypt", s.bytes);
    add_hardware_busy(rs, platform);
    add_cpu_busy(rs, load0, platform.cpu.load());
    traces::RequestCounts counts;
    counts.submitted = counts.completed = o.requests;
    counts.verified = s.verified;
    rs.counts(counts).count("mismatches", s.mismatches).count("aes_blocks", aes_blocks);
    rs.configuration({{"mode", mode}, {"key_bits", o.key_bits}, {"direction", direction},
                      {"request_bytes", o.request_bytes}, {"requests", o.requests}});
    traces::StatsJsonOptions jo;
    jo.normalise_host_time = stats.normalise();
    nlohmann::json j = rs.to_json(jo);
    // The bare-metal program measures each request itself (no sample store): min/mean/max.
    j["latency"]["request"] = {{"count", o.requests},
                               {"min_us", s.min_latency.to_seconds() * 1e6},
                               {"mean_us", s.busy_latency_sum.to_seconds() * 1e6 / o.requests},
                               {"max_us", s.max_latency.to_seconds() * 1e6}};
    stats.write(outputs, j, cli, args, common);
    std::printf("  statistics          %s\n", stats.file().c_str());
  }
  outputs.commit();
  return 0;
}

}  // namespace aesvp
