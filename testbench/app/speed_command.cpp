// `aesvp speed`: an `openssl speed -elapsed -evp`-like sweep of request sizes through the
// whole simulated stack (cryptodev-like synchronous user path -> skcipher -> omap-aes ->
// crypto engine -> sDMA + AES -> IRQ -> tasklets -> wake-up), one operation outstanding.
// Per size: operations for a simulated duration, throughput (kB/s, 1 kB = 1000 B), CPU load;
// then the run-average CPU load of the whole sweep and the published figures beside it.
// Every operation is verified against OpenSSL. docs/speed.md.
#include "driver/baremetal/aes_dma_program.h"
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"
#include "testbench/app/stats_output.h"
#include "testbench/app/output_files.h"
#include "testbench/app/trace_outputs.h"
#include "testbench/app/cryptodev.h"
#include "testbench/app/openssl_reference.h"
#include "testbench/dmcrypt/cipher_spec.h"
#include "testbench/dmcrypt/error.h"
#include "testbench/dmcrypt/key.h"
#include "testbench/stack/stack.h"

#include <nlohmann/json.hpp>
#include <systemc>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>

namespace po = boost::program_options;

namespace aesvp {
namespace {

using driver::SkcipherMode;

struct CipherChoice {
  std::string name;  // e.g. "aes-128-cbc"
  SkcipherMode mode = SkcipherMode::Cbc;
  unsigned key_bits = 128;  // per AES key (XTS uses two)
};

constexpr const char* kModeNames[] = {"ecb", "cbc", "ctr", "xts"};
constexpr SkcipherMode kModes[] = {SkcipherMode::Ecb, SkcipherMode::Cbc, SkcipherMode::Ctr,
                                   SkcipherMode::Xts};

// An OpenSSL name (aes-128-cbc); std::nullopt if `s` is not one.
std::optional<CipherChoice> openssl_cipher(const std::string& s) {
  for (unsigned bits : {128u, 192u, 256u}) {
    for (unsigned m = 0; m < 4; ++m) {
      if (bits == 192 && kModes[m] == SkcipherMode::Xts) continue;  // OpenSSL has no XTS-AES-192
      if (s == "aes-" + std::to_string(bits) + "-" + kModeNames[m]) return CipherChoice{s, kModes[m], bits};
    }
  }
  return std::nullopt;
}

// The skcipher a dm-crypt spec runs on (aes-xts-plain64 with 512 key bits: xts(aes) with two
// AES-256 keys), as `cryptsetup benchmark -c SPEC -s BITS` measures it: the IV generator is
// not part of the measurement.
CipherChoice spec_cipher(const std::string& s, unsigned key_bits) {
  dmcrypt::CipherSpec spec;
  try {
    spec = dmcrypt::parse_cipher_spec(s);
  } catch (const dmcrypt::Error& e) {
    throw UsageError("--cipher: '" + s + "' is neither aes-128|192|256-cbc|ctr|ecb, "
                     "aes-128|256-xts nor a dm-crypt spec (" + e.what() + ")");
  }
  if (spec.keycount != 1) throw UsageError("--cipher: '" + s + "': one key slot only (no aes:N-)");
  if (key_bits % 8 != 0 || !spec.is_valid_key_bytes(key_bits / 8))
    throw UsageError("--key-size " + std::to_string(key_bits) + " does not fit '" + s + "'");
  for (unsigned m = 0; m < 4; ++m) {
    if (dmcrypt::to_string(spec.chain) != std::string(kModeNames[m])) continue;
    const unsigned aes_bits = kModes[m] == SkcipherMode::Xts ? key_bits / 2 : key_bits;
    if (auto c = openssl_cipher("aes-" + std::to_string(aes_bits) + "-" + kModeNames[m])) return *c;
  }
  throw UsageError("--cipher: '" + s + "' has no AES skcipher here");
}

// --cipher with --key-size (which only a dm-crypt spec takes: OpenSSL names carry their size).
CipherChoice parse_cipher(const std::string& s, std::optional<unsigned> key_bits = std::nullopt) {
  if (auto c = openssl_cipher(s)) {
    if (key_bits) throw UsageError("--key-size: '" + s + "' names its key size already");
    return *c;
  }
  return spec_cipher(s, key_bits.value_or(dmcrypt::kPlainDefaultKeyBits));
}

baremetal::CipherMode to_ref_mode(SkcipherMode m) {
  switch (m) {
    case SkcipherMode::Ecb: return baremetal::CipherMode::Ecb;
    case SkcipherMode::Cbc: return baremetal::CipherMode::Cbc;
    case SkcipherMode::Ctr: return baremetal::CipherMode::Ctr;
    case SkcipherMode::Xts: return baremetal::CipherMode::Xts;
  }
  return baremetal::CipherMode::Cbc;
}

// A request stays within one bare-metal-sized sDMA block (65535 frames of 16 B), so the
// sweep measures requests, not the driver's segment splitting.
constexpr std::uint32_t kMaxSize = baremetal::kMaxJobBytes;

std::vector<std::uint32_t> parse_sizes(const std::string& s) {
  std::vector<std::uint32_t> out;
  for (const std::string& item : split_list("--sizes", s, "16,64,256,1K")) {
    const std::uint64_t v = parse_size("--sizes", item, kMaxSize);
    if (v == 0 || v % 16 != 0)
      throw UsageError("--sizes: '" + item + "' is not a positive multiple of 16 bytes up to " +
                       std::to_string(kMaxSize));
    out.push_back(static_cast<std::uint32_t>(v));
  }
  return out;
}

// Published `openssl speed -elapsed -evp` figures (shared/reference/calibration.md), kB/s.
struct Published {
  const char* soc;
  const char* cipher;
  std::uint32_t sizes[6];
  double kbps[6];
  const char* cpu_load;
};
const std::vector<Published>& published() {
  static const std::vector<Published> t = {
      {"am335x", "aes-128-cbc", {16, 64, 256, 1024, 8192, 16384}, {2244, 7721, 4342, 11951, 16422, 19027}, "41-42%"},
      {"am335x", "aes-192-cbc", {16, 64, 256, 1024, 8192, 16384}, {2315, 7259, 4103, 12137, 17239, 18569}, "41-42%"},
      {"am335x", "aes-256-cbc", {16, 64, 256, 1024, 8192, 16384}, {2292, 7065, 4152, 11621, 16878, 18508}, "41-42%"},
      {"am57x", "aes-128-cbc", {16, 64, 256, 1024, 8192, 16384}, {4890, 15177, 5314, 14360, 32033, 35297}, "40-42%"},
      {"am57x", "aes-192-cbc", {16, 64, 256, 1024, 8192, 16384}, {4827, 14567, 5331, 15468, 32722, 35750}, "40-42%"},
      {"am57x", "aes-256-cbc", {16, 64, 256, 1024, 8192, 16384}, {4753, 14158, 5112, 14390, 30581, 33582}, "40-42%"},
  };
  return t;
}
std::optional<double> published_kbps(const Published& p, std::uint32_t size) {
  for (int i = 0; i < 6; ++i)
    if (p.sizes[i] == size) return p.kbps[i];
  return std::nullopt;
}

struct SizeResult {
  std::uint32_t bytes = 0;
  std::uint64_t ops = 0, hw_ops = 0, sw_ops = 0, verified = 0, errors = 0, aes_blocks = 0;
  double elapsed_s = 0;
  CpuLoadReport load;
  double process_load = 0;  // the user process's own CPU time / elapsed (time(1) style)
  double kbps() const { return elapsed_s > 0 ? static_cast<double>(ops) * bytes / elapsed_s / 1e3 : 0; }
};

// Busy time of context `id` in `r` / elapsed.
double context_load(const CpuLoadReport& r, std::size_t id) {
  const double e = r.elapsed.to_seconds();
  return e > 0 && id < r.context_busy.size() ? r.context_busy[id].to_seconds() / e : 0;
}

// One cipher's sweep.
struct CipherRun {
  CipherChoice cipher;
  bool decrypt = false;
  std::vector<std::uint8_t> key;
  std::vector<SizeResult> results;
  CpuLoadReport sweep;
  std::uint64_t sleeps = 0;
};

std::uint64_t aes_blocks(Platform& p) {
  std::uint64_t n = 0;
  for (const auto& a : p.aes) n += a->blocks_processed();
  return n;
}

// The table of one cipher's sweep, with the published figures beside it.
void print_run(const CipherRun& run, const CommonOptions& common, double seconds,
               unsigned user_core, unsigned cores, std::size_t n_sizes, std::size_t user_id) {
  const bool decrypt = run.decrypt;
  const CipherChoice& cipher = run.cipher;
  const std::vector<SizeResult>& results = run.results;
  const CpuLoadReport& sweep = run.sweep;
  std::uint64_t all_ops = 0, all_ok = 0, all_err = 0;
  double min_load = 1, max_load = 0;
  for (const SizeResult& r : results) {
    all_ops += r.ops;
    all_ok += r.verified;
    all_err += r.errors;
    min_load = std::min(min_load, r.load.total);
    max_load = std::max(max_load, r.load.total);
  }
  std::printf("aesvp speed: %s %s, %zu sizes x %g s simulated, profile %s, %s timing, seed %llu\n",
              cipher.name.c_str(), decrypt ? "decrypt" : "encrypt", n_sizes, seconds,
              common.params.soc.profile.c_str(), common.params.soc.timing_mode.c_str(),
              static_cast<unsigned long long>(common.seed));
  std::printf("  path: user process (core %u) -> cryptodev ioctl (%s) -> skcipher -> omap-aes "
              "(software below %u B) -> engine -> DMA + AES -> IRQ -> wake-up\n",
              user_core, common.cryptodev.zero_copy ? "zero-copy" : "copy in/out",
              common.driver.aes_fallback_sz);
  std::printf("  CPU %u x %.0f MHz\n\n", cores, common.params.cpu.clock_mhz);
  std::printf("  %8s %9s %11s %8s %10s %8s %7s %8s %7s\n", "bytes", "ops", "kB/s", "us/op", "path",
              "AES blks", "CPU%", "core%", "proc%");
  for (const SizeResult& r : results) {
    std::string path = r.hw_ops == r.ops ? "hardware" : r.sw_ops == r.ops ? "software" : "mixed";
    std::string per_core;
    for (double c : r.load.per_core) {
      char b[16];
      std::snprintf(b, sizeof b, "%s%.0f", per_core.empty() ? "" : "/", 100 * c);
      per_core += b;
    }
    std::printf("  %8u %9llu %11.2f %8.2f %10s %8llu %7.1f %8s %7.1f\n", r.bytes,
                static_cast<unsigned long long>(r.ops), r.kbps(),
                r.ops ? r.elapsed_s / static_cast<double>(r.ops) * 1e6 : 0.0, path.c_str(),
                static_cast<unsigned long long>(r.aes_blocks), 100 * r.load.total,
                per_core.c_str(), 100 * r.process_load);
  }
  std::string per_core;
  for (double c : sweep.per_core) {
    char b[16];
    std::snprintf(b, sizeof b, "%s%.1f", per_core.empty() ? "" : "/", 100 * c);
    per_core += b;
  }
  const double sweep_proc = context_load(sweep, user_id);
  std::printf("\n  (CPU%% = all contexts, busy / (elapsed x %u cores); core%% = per core; proc%% = the "
              "user process's own CPU time / elapsed, as time(1) reports it)\n", cores);
  std::printf("  run-average CPU load  %.1f%% over %.3f s simulated (per core %s%%; per-size "
              "range %.1f-%.1f%%)\n",
              100 * sweep.total, sweep.elapsed.to_seconds(), per_core.c_str(), 100 * min_load,
              100 * max_load);
  std::printf("  run-average proc%%     %.1f%% (the user process alone)\n", 100 * sweep_proc);
  std::printf("  verified              %llu of %llu operations match OpenSSL%s\n",
              static_cast<unsigned long long>(all_ok), static_cast<unsigned long long>(all_ops),
              all_err ? " (some failed in the driver)" : "");
  std::printf("  user process slept    %llu times (hardware operations)\n",
              static_cast<unsigned long long>(run.sleeps));

  std::vector<const Published*> refs;
  for (const Published& pub : published())
    if (cipher.name == pub.cipher && !decrypt) refs.push_back(&pub);
  std::printf("\n  published figures (shared/reference/calibration.md):\n");
  if (refs.empty()) {
    std::printf("    none for %s %s\n\n", cipher.name.c_str(), decrypt ? "decrypt" : "encrypt");
    return;
  }
  const bool own_soc = std::any_of(refs.begin(), refs.end(), [&](const Published* r) {
    return common.params.soc.profile == r->soc;
  });
  if (!own_soc)
    std::printf("    (other SoCs: profile %s is not calibrated to them; ratio = simulated / "
                "published)\n",
                common.params.soc.profile.c_str());
  std::printf("    %8s %11s", "bytes", "sim kB/s");
  for (const Published* r : refs) std::printf(" %11s %6s", (std::string(r->soc) + " kB/s").c_str(), "ratio");
  std::printf("\n");
  for (const SizeResult& r : results) {
    std::printf("    %8u %11.0f", r.bytes, r.kbps());
    for (const Published* ref : refs) {
      const auto v = published_kbps(*ref, r.bytes);
      if (v) std::printf(" %11.0f %6.2f", *v, r.kbps() / *v);
      else std::printf(" %11s %6s", "-", "-");
    }
    std::printf("\n");
  }
  std::printf("    %8s %10.1f%%", "CPU load", 100 * sweep.total);
  for (const Published* r : refs) std::printf(" %11s %6s", r->cpu_load, "");
  std::printf("\n    %8s %10.1f%%\n", "proc%", 100 * sweep_proc);
  std::printf("    (published CPU load = the openssl process's CPU time / wall time, as time -v "
              "reports it: compare proc%%; docs/calibration.md)\n\n");
}

nlohmann::json run_json(const CipherRun& run, const CommonOptions& common, double seconds,
                        unsigned cores, std::size_t user_id) {
  const bool decrypt = run.decrypt;
  nlohmann::json j;
  j["command"] = "speed";
  j["cipher"] = run.cipher.name;
  j["direction"] = decrypt ? "decrypt" : "encrypt";
  j["profile"] = common.params.soc.profile;
  j["profile_description"] = profile_description(common.params.soc.profile);
  j["timing_mode"] = common.params.soc.timing_mode;
  j["seed"] = common.seed;
  j["seconds_per_size"] = seconds;
  j["cores"] = cores;
  j["clock_mhz"] = common.params.cpu.clock_mhz;
  j["fallback_below_bytes"] = common.driver.aes_fallback_sz;
  nlohmann::json params;
  testbench::CryptodevParams c = common.cryptodev;
  c.for_each([&](const ParamInfo& info, const ParamRef& ref) {
    std::visit([&](auto* v) { params[info.name] = *v; }, ref);
  });
  j["cryptodev"] = params;
  std::vector<const Published*> refs;
  for (const Published& pub : published())
    if (run.cipher.name == pub.cipher && !decrypt) refs.push_back(&pub);
  nlohmann::json rows = nlohmann::json::array();
  std::uint64_t ops = 0, ok = 0;
  for (const SizeResult& r : run.results) {
    nlohmann::json row;
    row["bytes"] = r.bytes;
    row["operations"] = r.ops;
    row["hardware_operations"] = r.hw_ops;
    row["software_operations"] = r.sw_ops;
    row["aes_blocks"] = r.aes_blocks;
    row["verified"] = r.verified;
    row["errors"] = r.errors;
    row["elapsed_s"] = r.elapsed_s;
    row["kB_per_s"] = r.kbps();
    row["cpu_load"] = r.load.total;
    row["cpu_load_per_core"] = r.load.per_core;
    row["process_cpu_load"] = r.process_load;
    nlohmann::json cls;
    for (unsigned i = 0; i < kContextClasses; ++i)
      cls[to_string(static_cast<ContextClass>(i))] = r.load.per_class[i];
    row["cpu_load_per_class"] = cls;
    nlohmann::json pub = nlohmann::json::object();
    for (const Published* ref : refs)
      if (auto v = published_kbps(*ref, r.bytes)) pub[ref->soc] = {{"kB_per_s", *v}, {"ratio", r.kbps() / *v}};
    row["published"] = pub;
    rows.push_back(row);
    ops += r.ops;
    ok += r.verified;
  }
  for (const Published* ref : refs)
    if (common.params.soc.profile == ref->soc) j["published_cpu_load"] = ref->cpu_load;
  j["sizes"] = rows;
  j["run_average_cpu_load"] = run.sweep.total;
  j["run_average_cpu_load_per_core"] = run.sweep.per_core;
  j["run_average_process_cpu_load"] = context_load(run.sweep, user_id);
  j["run_elapsed_s"] = run.sweep.elapsed.to_seconds();
  j["verified"] = ok;
  j["operations"] = ops;
  return j;
}

// The plot script: the installed copy beside an installed program (<prefix>/bin/aesvp ->
// <prefix>/share/aesvp, cmake/AesvpPackage.cmake), else the source tree's.
std::string plot_script() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "aesvp" / "aesvp_plot.py";
    if (std::filesystem::is_regular_file(installed, ec)) return installed.string();
  }
  return AESVP_PLOT_SCRIPT;
}

// The `cryptsetup benchmark` table: MiB/s per cipher and key size, encryption and decryption
// (runs in pairs: encrypt, then decrypt of the same cipher).
void print_benchmark(const std::vector<CipherRun>& runs, const CommonOptions& common,
                     double seconds, std::uint32_t size) {
  std::printf("# aesvp speed --benchmark: profile %s, %s timing, %u-byte requests through "
              "cryptodev, %g s simulated each\n",
              common.params.soc.profile.c_str(), common.params.soc.timing_mode.c_str(), size,
              seconds);
  std::printf("#     Algorithm |       Key |      Encryption |      Decryption\n");
  for (std::size_t i = 0; i + 1 < runs.size(); i += 2) {
    const CipherChoice& c = runs[i].cipher;
    const std::string algorithm = std::string("aes-") + driver::to_string(c.mode);
    const unsigned key = c.key_bits * (c.mode == SkcipherMode::Xts ? 2 : 1);
    const auto mib_s = [](const CipherRun& r) { return r.results.at(0).kbps() * 1e3 / (1 << 20); };
    std::printf("%15s %10ub %12.1f MiB/s %12.1f MiB/s\n", algorithm.c_str(), key,
                mib_s(runs[i]), mib_s(runs[i + 1]));
  }
}

// PREFIX-compare.png from the --compare JSON through the plot script.
void plot_compare(const std::string& json_path, const std::string& prefix) {
  const std::string cmd = "/usr/bin/python3 '" + plot_script() + "' compare '" + json_path +
                          "' '" + prefix + "'";
  if (json_path.find('\'') != std::string::npos || prefix.find('\'') != std::string::npos)
    throw UsageError("--compare-prefix: quotes are not allowed in file names");
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("--compare: the plot script failed (" + cmd + ")");
}

}  // namespace

int speed_command(const std::vector<std::string>& args) {
  po::options_description own("Options of aesvp speed");
  std::string cipher_s = "aes-128-cbc", sizes_s = "16,64,256,1024,8192,16384";
  std::string compare_prefix;
  double seconds = 0.01;
  unsigned user_core = testbench::Stack::kDefaultCore;
  bool decrypt = false, compare = false, benchmark = false;
  std::string key_size_s;
  own.add_options()
      ("cipher,c", po::value<std::string>(&cipher_s)->default_value(cipher_s),
       "aes-128|192|256-cbc|ctr|ecb, aes-128|256-xts, or a dm-crypt spec as aesvp crypt takes "
       "it (aes-xts-plain64: its skcipher, xts(aes); the IV generator is not measured)")
      ("key-size,s", po::value<std::string>(&key_size_s),
       "key bits of a dm-crypt spec --cipher (default 256, as cryptsetup)")
      ("benchmark", po::bool_switch(&benchmark),
       "cryptsetup benchmark's table: MiB/s of aes-cbc 128b/256b and aes-xts 256b/512b, "
       "encryption and decryption, at one request size (--sizes, default 65536)")
      ("sizes", po::value<std::string>(&sizes_s)->default_value(sizes_s),
       "request sizes, comma-separated, each a multiple of 16 bytes (sizes: docs/units.md, "
       "e.g. 16,256,1K,8K)")
      ("seconds-per-size", po::value<double>(&seconds)->default_value(seconds),
       "simulated seconds of repeated operations per size (openssl speed -seconds, -elapsed)")
      ("decrypt", po::bool_switch(&decrypt), "decrypt instead of encrypt (openssl speed -decrypt)")
      ("user-core", po::value<unsigned>(&user_core),
       "core the user process (openssl) runs on (default 1, or 0 on a single-core SoC)")
      ("compare", po::bool_switch(&compare),
       "run every cipher the profile's SoC has published figures for (one simulation), print "
       "model against published with the error per point, and write PREFIX.json and "
       "PREFIX-compare.png (traces/plot/aesvp_plot.py)")
      ("compare-prefix", po::value<std::string>(&compare_prefix),
       "output prefix of --compare (default aesvp-compare-<profile>)");
  StatsOutput stats;
  stats.add_options(own);
  stats.add_alias(own, "json", "the same as --stats FILE (the results per size, and the common part)");
  TimelineOutput timeline;
  timeline.add_options(own);
  WaveformOutput waveforms;
  waveforms.add_options(own);
  CommandLine cli("speed",
                  "An openssl-speed-like sweep (openssl speed -elapsed -evp through cryptodev):\n"
                  "a user process encrypts one buffer per system call, synchronously, for each\n"
                  "size; throughput in kB/s (1 kB = 1000 B), CPU load per size and over the\n"
                  "whole run, published figures beside; every result verified against OpenSSL.",
                  own);
  CommonOptions common;
  const po::variables_map vm = cli.parse(args, common);
  if (cli.answered(common)) return 0;
  OutputFiles outputs;
  cli.declare_inputs(outputs);
  timeline.check(args, outputs);
  waveforms.check(outputs);
  if (benchmark && vm["sizes"].defaulted()) sizes_s = "65536";
  const std::vector<std::uint32_t> sizes = parse_sizes(sizes_s);
  std::vector<CipherRun> runs;
  const std::string& soc = common.params.soc.profile;
  std::optional<unsigned> key_bits;
  if (!key_size_s.empty()) {
    key_bits = static_cast<unsigned>(parse_count("--key-size", key_size_s, UINT32_MAX));
  }
  if (benchmark) {
    if (compare || decrypt || !vm["cipher"].defaulted() || key_bits)
      throw UsageError("--benchmark: runs its own ciphers, both directions (no --compare, "
                       "--decrypt, --cipher or --key-size)");
    if (sizes.size() != 1) throw UsageError("--benchmark: give one request size in --sizes");
    for (const auto& [spec, bits] : {std::pair{"aes-cbc-plain64", 128u}, {"aes-cbc-plain64", 256u},
                                     {"aes-xts-plain64", 256u}, {"aes-xts-plain64", 512u}}) {
      runs.push_back(CipherRun{parse_cipher(spec, bits), false, {}, {}, {}, 0});
      runs.push_back(CipherRun{parse_cipher(spec, bits), true, {}, {}, {}, 0});
    }
  } else if (compare) {
    if (decrypt) throw UsageError("--compare: the published figures are for encryption");
    for (const Published& pub : published())
      if (soc == pub.soc) runs.push_back(CipherRun{parse_cipher(pub.cipher), false, {}, {}, {}, 0});
    if (runs.empty()) throw UsageError("--compare: no published figures for profile " + soc);
    if (compare_prefix.empty()) compare_prefix = "aesvp-compare-" + soc;
    stats.set_default_file(compare_prefix + ".json");
  } else {
    runs.push_back(CipherRun{parse_cipher(cipher_s, key_bits), decrypt, {}, {}, {}, 0});
  }
  if (!(seconds > 0) || seconds > 1000)
    throw UsageError("--seconds-per-size: must be above 0 and at most 1000");
  if (user_core == testbench::Stack::kDefaultCore) user_core = common.params.cpu.cores > 1 ? 1 : 0;
  if (user_core >= common.params.cpu.cores)
    throw UsageError("--user-core: " + std::to_string(user_core) + " is not below cpu.cores = " +
                     std::to_string(common.params.cpu.cores));
  const std::uint32_t max_size = *std::max_element(sizes.begin(), sizes.end());
  // DRAM for the session buffer (the driver may bounce once more).
  if (static_cast<std::uint64_t>(max_size) * 4 > static_cast<std::uint64_t>(common.params.dram.size_mib) << 20)
    throw UsageError("--sizes: " + std::to_string(max_size) + " bytes do not fit dram.size_mib");

  stats.check(outputs);  // a refused path is a usage error, before the run

  const testbench::CryptodevParams& cdp = common.cryptodev;
  testbench::StackParams sp{common.params, common.kernel, common.driver};
  const auto host_start = std::chrono::steady_clock::now();
  testbench::Stack stack(sp);
  timeline.attach(stack);  // without --timeline: nothing attached
  waveforms.attach(stack.platform(), &stack);  // without --vcd: no recorder, no cost
  Platform& p = stack.platform();
  kernel::Kernel& k = stack.kernel();

  std::mt19937_64 rng(common.seed);
  std::size_t user_id = 0;

  stack.run(
      [&] {
        ExecContext& self = *k.current();
        user_id = self.id();
        const sc_core::sc_time duration = sc_core::sc_time(seconds, sc_core::SC_SEC);
        for (CipherRun& run : runs) {
          const CipherChoice& cipher = run.cipher;
          run.key.resize(cipher.key_bits / 8 * (cipher.mode == SkcipherMode::Xts ? 2 : 1));
          for (auto& b : run.key) b = static_cast<std::uint8_t>(rng());
          testbench::CryptodevSession session(k, stack.driver(), cipher.mode, run.key, max_size, cdp);
          self.sync();
          const CpuLoad start = p.cpu.load();
          CpuLoad prev = start;
          for (const std::uint32_t size : sizes) {
            SizeResult r;
            r.bytes = size;
            std::vector<std::uint8_t> buf(size), in;
            for (auto& b : buf) b = static_cast<std::uint8_t>(rng());
            std::array<std::uint8_t, 16> iv{};
            for (auto& b : iv) b = static_cast<std::uint8_t>(rng());
            const std::uint64_t blocks0 = aes_blocks(p);
            const sc_core::sc_time t0 = prev.at;
            do {
              if (cipher.mode == SkcipherMode::Xts) {  // tweak = sector number
                iv.fill(0);
                for (unsigned i = 0; i < 8; ++i) iv[i] = static_cast<std::uint8_t>(r.ops >> (8 * i));
              }
              const std::array<std::uint8_t, 16> iv_in = iv;
              in = buf;
              // openssl speed encrypts its buffer in place, again and again.
              const testbench::CryptodevOpResult op = session.crypt(!run.decrypt, in.data(), buf.data(), size, iv);
              ++r.ops;
              (op.hardware ? r.hw_ops : r.sw_ops) += 1;
              if (op.err != engine::Errc::Ok) {
                ++r.errors;
                buf = in;
              } else if (openssl_crypt(to_ref_mode(cipher.mode), !run.decrypt, run.key, iv_in, in) == buf) {
                ++r.verified;
              }
            } while (k.now() - t0 < duration);
            self.sync();
            const CpuLoad now = p.cpu.load();
            r.load = load_between(prev, now);
            r.elapsed_s = r.load.elapsed.to_seconds();
            r.process_load = context_load(r.load, user_id);
            r.aes_blocks = aes_blocks(p) - blocks0;
            prev = now;
            run.results.push_back(r);
          }
          run.sweep = load_between(start, prev);
          run.sleeps = session.sleeps();
        }
      },
      user_core);
  waveforms.close();
  const double host_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();

  const unsigned cores = p.cpu.cores();
  std::uint64_t all_ops = 0, all_ok = 0;
  nlohmann::json run_docs = nlohmann::json::array();
  for (const CipherRun& run : runs) {
    if (!benchmark) print_run(run, common, seconds, user_core, cores, sizes.size(), user_id);
    for (const SizeResult& r : run.results) {
      all_ops += r.ops;
      all_ok += r.verified;
    }
    run_docs.push_back(run_json(run, common, seconds, cores, user_id));
  }
  if (benchmark) print_benchmark(runs, common, seconds, sizes.front());
  if (common.params.soc.profile == "omap4")
    std::printf("    omap4 (BayLibre note): hardware AES-CBC ~10 MB/s before optimisation, "
                "software ~25 MB/s\n");
  std::printf("\n  host time             %.2f s\n", host_s);
  timeline.finish();
  waveforms.finish();
  timeline.write(outputs, cli, common);

  if (stats.enabled()) {
    nlohmann::json j = run_docs.at(0);  // the first (or only) cipher at the top level
    if (runs.size() > 1) j["runs"] = run_docs;
    j["host_seconds"] = stats.normalise() ? nlohmann::json(nullptr) : nlohmann::json(host_s);
    double simulated = 0;
    for (const CipherRun& run : runs) simulated += run.sweep.elapsed.to_seconds();
    j["time"] = {{"simulated_s", simulated}, {"host_s", j["host_seconds"]}};
    stats.write(outputs, j, cli, args, common);
  }
  if (all_ok != all_ops)
    throw std::runtime_error(std::to_string(all_ops - all_ok) + " of " + std::to_string(all_ops) +
                             " operations failed or did not match OpenSSL");
  outputs.commit();
  if (compare) plot_compare(stats.file(), compare_prefix);  // reads the committed statistics
  return 0;
}

}  // namespace aesvp
