// `aesvp run`: the main job. A dm-crypt volume (testbench/dmcrypt_sim) over the omap-aes
// driver stack on the simulated OMAP4: a workload of bios (default: write the whole area, then
// read it back), every sector verified against the OpenSSL reference, a summary on stdout and
// optionally a statistics JSON and waveforms. With --volumes N, N volumes share the driver
// and its engines, each with its own key and a copy of the workload. See docs/testbench.md.
#include "models/core/sim_time.h"
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"
#include "testbench/dmcrypt/cipher_spec.h"
#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt_sim/job.h"
#include "testbench/stack/fault_injector.h"
#include "testbench/stack/stack.h"
#include "testbench/app/stats_output.h"
#include "testbench/app/input_files.h"
#include "testbench/app/fault_options.h"
#include "testbench/app/output_files.h"
#include "testbench/app/trace_outputs.h"
#include "traces/core/progress.h"
#include "traces/core/stats.h"
#include "traces/core/timeline.h"
#include "traces/sc/waveform.h"

#include <systemc>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

namespace po = boost::program_options;

namespace aesvp {
namespace {

// Bounds the key read from --key-file (64 key slots of a 512-bit XTS key).
constexpr unsigned kMaxKeyBits = 64 * 512;

// --bio-size: one size or a list drawn uniformly, each a multiple of the sector size.
std::vector<std::uint32_t> parse_bio_sizes(const std::string& s, std::uint32_t sector_size) {
  std::vector<std::uint32_t> v;
  for (const std::string& item : split_list("--bio-size", s, "4K,16K,64K")) {
    const std::uint64_t bytes = parse_size("--bio-size", item, 1u << 20);
    if (bytes == 0 || bytes % sector_size != 0)
      throw UsageError("--bio-size: '" + item + "' is not a positive multiple of the sector size " +
                       std::to_string(sector_size));
    v.push_back(static_cast<std::uint32_t>(bytes));
  }
  return v;
}

// The sizes as the statistics' older KiB fields give them ("4,16,64"; "0.5" for 512 bytes).
std::string join_kib(const std::vector<std::uint32_t>& v) {
  std::string s;
  for (auto b : v)
    s += (s.empty() ? "" : ",") +
         (b % 1024 == 0 ? std::to_string(b / 1024) : nlohmann::json(b / 1024.0).dump());
  return s;
}

// For the summary: "64 KiB", "1 MiB", "512 B".
std::string human_size(std::uint64_t bytes) {
  std::string t = size_text(bytes);
  const char unit = t.back();
  if (unit >= '0' && unit <= '9') return t + " B";
  t.pop_back();
  return t + " " + unit + "iB";
}

std::string join_sizes(const std::vector<std::uint32_t>& v) {
  std::string s;
  for (auto b : v) s += (s.empty() ? "" : ", ") + human_size(b);
  return s;
}

// Whole MiB as an integer (the statistics' size_mib/mixed_mib), else the fraction.
nlohmann::json mib(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return bytes >> 20;
  return static_cast<double>(bytes) / (1u << 20);
}

double us(traces::Time ps) { return static_cast<double>(ps) * 1e-6; }

double mb_per_s(std::uint64_t bytes, double seconds) { return seconds > 0 ? bytes / seconds / 1e6 : 0.0; }

// With several volumes: each volume's own figures ("volumes" in the statistics; the totals
// stay in the usual fields). A volume's phase throughput is over its own part of the phase.
nlohmann::json volume_statistics(const testbench::DmCryptJob& job) {
  nlohmann::json all = nlohmann::json::array();
  for (std::size_t v = 0; v < job.volume_count(); ++v) {
    const testbench::DmCryptStats& st = job.target(v).stats();
    const testbench::Scoreboard& sb = job.scoreboard(v);
    nlohmann::json phases = nlohmann::json::array();
    for (const auto& p : job.volume_phases(v))
      phases.push_back({{"name", p.name},
                        {"bytes", p.bytes_written + p.bytes_read},
                        {"simulated_s", p.seconds()},
                        {"mb_per_s", mb_per_s(p.bytes_written + p.bytes_read, p.seconds())}});
    all.push_back({{"volume", v + 1},
                   {"first_request_id", v * testbench::DmCryptJob::kVolumeIdStride + 1},
                   {"bios", st.bios},
                   {"bios_failed", st.bios_failed},
                   {"requests_submitted", st.requests_submitted},
                   {"requests_completed", st.requests_completed},
                   {"requests_failed", st.requests_failed},
                   {"sectors_submitted", st.sectors_submitted},
                   {"unit_requests", st.unit_requests},
                   {"busy", st.busy},
                   {"sectors_verified", sb.sectors_verified()},
                   {"mismatched_sectors", sb.sectors_mismatched()},
                   {"request_latency_us", {{"p50", us(st.request_latency.percentile(50))},
                                           {"p99", us(st.request_latency.percentile(99))}}},
                   {"bio_latency_us", {{"p50", us(st.bio_latency.percentile(50))},
                                       {"p99", us(st.bio_latency.percentile(99))}}},
                   {"phases", std::move(phases)}});
  }
  return all;
}

// With several volumes: one summary line per volume.
void print_volumes(const testbench::DmCryptJob& job) {
  for (std::size_t v = 0; v < job.volume_count(); ++v) {
    const testbench::DmCryptStats& st = job.target(v).stats();
    std::string phases;
    for (const auto& p : job.volume_phases(v)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%s %.2f MB/s", phases.empty() ? "" : ", ", p.name.c_str(),
                    mb_per_s(p.bytes_written + p.bytes_read, p.seconds()));
      phases += buf;
    }
    std::printf("  %-19s %s; request p99 %.2f us; %llu requests from id %llu; %llu sectors verified\n",
                ("volume " + std::to_string(v + 1)).c_str(), phases.c_str(),
                us(st.request_latency.percentile(99)),
                static_cast<unsigned long long>(st.requests_submitted),
                static_cast<unsigned long long>(v * testbench::DmCryptJob::kVolumeIdStride + 1),
                static_cast<unsigned long long>(job.scoreboard(v).sectors_verified()));
  }
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description own("Options of aesvp run");
  std::string cipher = "aes-xts-plain64", pattern = "seq", bio_text = "64K", key_file, disk_file,
              bulk = "off", size_option = "32M", mixed_text = "0", sector_text = "512",
              skip_text = "0";
  unsigned key_bits = 0, read_percent = 100, queue_depth = 4, volumes = 1;
  own.add_options()
      ("cipher", po::value<std::string>(&cipher)->default_value("aes-xts-plain64"),
       "dm-crypt cipher spec (docs/dmcrypt.md), e.g. aes-cbc-essiv:sha256, aes:2-cbc-plain")
      ("key-size", po::value<unsigned>(&key_bits),
       "key size in bits, all key slots (default 512 for xts, 256 otherwise; x keycount)")
      ("key-file", po::value<std::string>(&key_file),
       "raw key: the first key-size/8 bytes of FILE (default: a key from the seed)")
      ("sector-size", po::value<std::string>(&sector_text)->default_value("512"),
       "encryption sector size: 512..4096 bytes, power of two (a size: 4K)")
      ("iv-large-sectors", "IV counts sector-size units (sector size > 512 only)")
      ("skip", po::value<std::string>(&skip_text)->default_value("0"),
       "IV offset in 512-byte sectors, as cryptsetup's (multiple of sector-size/512)")
      ("size", po::value<std::string>(&size_option)->default_value("32M"),
       "size of the encrypted area: a multiple of the sector size up to 1G (sizes: "
       "docs/units.md, e.g. 1M, 256K, 2048S)")
      ("pattern", po::value<std::string>(&pattern)->default_value("seq"), "seq or rand")
      ("read-percent", po::value<unsigned>(&read_percent)->default_value(100),
       "100: write the area, then read it back; else write it, then a mixed phase with this "
       "share of reads")
      ("mixed-size", po::value<std::string>(&mixed_text)->default_value("0"),
       "bytes of the mixed phase, up to 4G (0: the area size)")
      ("bio-size", po::value<std::string>(&bio_text)->default_value("64K"),
       "bio size, or a list drawn uniformly (4K,16K,64K); multiples of the sector size, up to 1M")
      ("queue-depth", po::value<unsigned>(&queue_depth)->default_value(4),
       "bios in flight (kcryptd worker threads), 1..64")
      ("volumes", po::value<unsigned>(&volumes)->default_value(1),
       "dm-crypt volumes sharing the driver, 1..16: each its own key (the next key-size/8 "
       "bytes of the key file, or of the seed's key stream), area of --size, kcryptd workers "
       "(--queue-depth each) and a copy of the workload (seed + volume index)")
      ("disk", po::value<std::string>(&disk_file),
       "back the simulated disk with this host file (created; default: in memory; the "
       "volumes' areas one after another)")
      ("inject-corruption", po::value<std::uint64_t>(),
       "fault injection: after the first phase, flip one byte of this 512-byte sector of the "
       "disk (the volumes' areas one after another; the scoreboard must report it; exit 1)");
  add_bulk_option(own, bulk);
  FaultOptions faults;
  faults.add_options(own);
  StatsOutput stats;
  stats.add_options(own);
  TimelineOutput timeline;
  timeline.add_options(own);
  WaveformOutput waveforms;
  waveforms.add_options(own);
  CommandLine cli("run",
                  "The main job: a dm-crypt volume on the simulated OMAP4 AES + sDMA through the\n"
                  "omap-aes driver and crypto engine. Bios become one skcipher request per\n"
                  "encryption sector; every sector written and read is verified against OpenSSL.\n"
                  "Default: write 32 MiB with aes-xts-plain64 (512-bit key), then read it back.",
                  own);
  cli.unused_groups({"cryptodev"},
                    "its requests come from dm-crypt, not from cryptodev");
  cli.size_alias("size-mib", "size", "M", 1, 1024);
  cli.size_alias("mixed-mib", "mixed-size", "M", 0, 4096);
  cli.size_alias("bio-kib", "bio-size", "K", 1, 1024, true);
  CommonOptions common;
  const po::variables_map vm = cli.parse(args, common);
  const BulkMode bulk_mode = apply_bulk_mode(bulk, common);
  if (cli.answered(common)) return 0;
  faults.check(vm, common.seed);
  faults.check_applicable(common.driver);
  OutputFiles outputs;
  cli.declare_inputs(outputs);

  // --- validate everything before any output file exists ---------------------------------
  dmcrypt::CipherSpec spec;
  try {
    spec = dmcrypt::parse_cipher_spec(cipher);
  } catch (const dmcrypt::Error& e) {
    throw UsageError(std::string("--cipher: ") + e.what());
  }
  if (!vm.count("key-size"))
    key_bits = (spec.chain == dmcrypt::ChainMode::xts ? 512u : 256u) * spec.keycount;
  if (key_bits == 0 || key_bits % 8 != 0 || key_bits > kMaxKeyBits)
    throw UsageError("--key-size: " + std::to_string(key_bits) + " is not a multiple of 8 bits up to " +
                     std::to_string(kMaxKeyBits));
  const bool iv_large = vm.count("iv-large-sectors") != 0;
  const auto sector_size = static_cast<unsigned>(parse_size("--sector-size", sector_text, 1u << 20));
  const std::uint64_t skip = parse_sectors("--skip", skip_text);
  dmcrypt::SectorMapping mapping;
  mapping.sector_size = sector_size;
  mapping.iv_large_sectors = iv_large;
  mapping.skip = skip;
  mapping.keycount = spec.keycount;
  try {
    mapping.validate();
  } catch (const dmcrypt::Error& e) {
    throw UsageError(std::string("--sector-size/--skip: ") + e.what());
  }
  if (iv_large && sector_size == 512)
    throw UsageError("--iv-large-sectors: only with a sector size larger than 512 bytes");
  if (volumes == 0 || volumes > testbench::DmCryptJob::kMaxVolumes)
    throw UsageError("--volumes: " + std::to_string(volumes) + " is not in 1.." +
                     std::to_string(testbench::DmCryptJob::kMaxVolumes));
  // Volume v's key: the v-th key-size/8 bytes of the key file, or of the seed's key stream.
  std::vector<dmcrypt::VolumeKey> keys;
  try {
    if (!key_file.empty()) {
      const std::vector<std::uint8_t> file_bytes =
          read_key_file("--key-file", key_file, 0, std::size_t{key_bits / 8} * volumes);
      for (unsigned v = 0; v < volumes; ++v)
        keys.push_back(dmcrypt::plain_key_from_file(spec, key_bits, file_bytes,
                                                    std::uint64_t{key_bits / 8} * v));
    } else {
      std::mt19937_64 g(common.seed ^ 0x6b65792d73656564ull);  // "key-seed"
      for (unsigned v = 0; v < volumes; ++v) {
        std::vector<std::uint8_t> bytes(key_bits / 8);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(g() >> 56);
        keys.emplace_back(spec, std::move(bytes));
      }
    }
  } catch (const dmcrypt::Error& e) {
    throw UsageError(std::string(key_file.empty() ? "--key-size: " : "--key-file: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());  // an unreadable key file is a bad option here (exit 2)
  }
  const std::uint64_t area = parse_size("--size", size_option, std::uint64_t{1} << 30);
  if (area == 0 || area % sector_size != 0)
    throw UsageError("--size: '" + size_option + "' is not a positive multiple of the sector size " +
                     std::to_string(sector_size));
  const std::uint64_t disk_bytes = area * volumes;  // the volumes' areas one after another
  if (disk_bytes > std::uint64_t{1} << 30)
    throw UsageError("--volumes x --size: " + std::to_string(volumes) + " areas of " +
                     human_size(area) + " are more than 1 GiB");
  testbench::Workload w;
  if (pattern == "seq") w.pattern = testbench::Pattern::Sequential;
  else if (pattern == "rand") w.pattern = testbench::Pattern::Random;
  else throw UsageError("--pattern: '" + pattern + "' is not seq or rand");
  if (read_percent > 100)
    throw UsageError("--read-percent: " + std::to_string(read_percent) + " is above 100");
  w.read_percent = read_percent;
  w.bio_bytes = parse_bio_sizes(bio_text, sector_size);
  if (queue_depth == 0 || queue_depth > 64)
    throw UsageError("--queue-depth: " + std::to_string(queue_depth) + " is not in 1..64");
  w.queue_depth = queue_depth;
  const std::uint64_t mixed_bytes = parse_size("--mixed-size", mixed_text, std::uint64_t{4} << 30);
  if (mixed_bytes % sector_size != 0)
    throw UsageError("--mixed-size: '" + mixed_text + "' is not a multiple of the sector size " +
                     std::to_string(sector_size));
  if (mixed_bytes != 0 && read_percent == 100)
    throw UsageError("--mixed-size: needs --read-percent below 100");
  w.mixed_bytes = mixed_bytes;
  w.seed = common.seed;
  bool inject = vm.count("inject-corruption") != 0;
  const std::uint64_t inject_sector = inject ? vm["inject-corruption"].as<std::uint64_t>() : 0;
  if (inject && inject_sector >= disk_bytes / 512)
    throw UsageError("--inject-corruption: sector " + std::to_string(inject_sector) +
                     " is beyond the " + (volumes > 1 ? "volumes' areas (" : "area (") +
                     std::to_string(disk_bytes / 512) + " sectors)");
  const std::uint64_t max_bio = *std::max_element(w.bio_bytes.begin(), w.bio_bytes.end());
  if (max_bio > area) throw UsageError("--bio-size: a bio is larger than the area (--size)");
  const std::uint64_t dram = std::uint64_t{common.params.dram.size_mib} << 20;
  if (2 * max_bio * queue_depth * volumes + (4u << 20) > dram)
    throw UsageError(std::string(volumes > 1 ? "--volumes x " : "") +
                     "--queue-depth x --bio-size: bio buffers need more than the simulated DRAM (" +
                     std::to_string(common.params.dram.size_mib) + " MiB, --dram.size_mib)");
  if (common.params.soc.timing_mode != "accurate" && common.params.soc.timing_mode != "fast")
    throw UsageError("--soc.timing_mode: '" + common.params.soc.timing_mode +
                     "' is not accurate or fast");
  if (!key_file.empty()) outputs.input("--key-file", key_file);
  const std::string disk_temporary = disk_file.empty() ? "" : outputs.add("--disk", disk_file);
  stats.check(outputs);
  waveforms.check(outputs);
  timeline.check(args, outputs);
  const bool outputs_requested =
      !disk_file.empty() || stats.enabled() || timeline.enabled() || waveforms.enabled();

  // --- run ----------------------------------------------------------------------------------
  const auto host_start = std::chrono::steady_clock::now();
  std::unique_ptr<testbench::Disk> disk;
  if (disk_file.empty()) disk = std::make_unique<testbench::MemoryDisk>(disk_bytes);
  else disk = std::make_unique<testbench::FileDisk>(disk_temporary, disk_bytes, disk_file);
  std::vector<std::unique_ptr<testbench::PartitionDisk>> areas;
  for (unsigned v = 0; v < volumes; ++v)
    areas.push_back(std::make_unique<testbench::PartitionDisk>(*disk, area * v, area));
  testbench::Stack stack(testbench::StackParams{common.params, common.kernel, common.driver});
  testbench::DmCryptJob job(stack, keys[0], mapping, *areas[0], w);
  for (unsigned v = 1; v < volumes; ++v) job.add_volume(keys[v], mapping, *areas[v]);
  if (bulk_mode == BulkMode::Submit) job.unit_request_bytes = common.driver.merge_max_bytes;
  std::unique_ptr<testbench::FaultInjector> injector;
  if (faults.enabled()) injector = std::make_unique<testbench::FaultInjector>(stack, faults.plan());
  if (inject)
    job.between_phases = [&](const testbench::PhaseResult&) {
      disk->flip_byte(inject_sector * 512 + 7);
      inject = false;
    };
  waveforms.attach(stack.platform(), &stack);  // without --vcd: no recorder, no cost
  timeline.attach(stack);  // without --timeline: nothing attached, no trace hooks
  // A progress bar on stderr, only on a terminal and only for runs of more than a few host
  // seconds (traces::ProgressBar decides); fed from a simulated-time ticker that exists only
  // then, so it costs nothing otherwise.
  traces::ProgressOptions po_bar;
  po_bar.label = "aesvp run";
  traces::ProgressBar bar(po_bar);
  if (bar.active()) {
    std::uint64_t total = 0;
    for (const auto& ph : testbench::make_phases(w, area / mapping.sector_size, mapping.sector_size))
      for (const auto& b : ph.bios) total += b.sectors * volumes;
    sc_core::sc_spawn([&job, &bar, total] {
      for (;;) {
        sc_core::wait(sc_core::sc_time(1, sc_core::SC_MS));
        std::uint64_t done = 0;
        for (std::size_t v = 0; v < job.volume_count(); ++v)
          done += job.target(v).stats().requests_completed;
        bar.update(static_cast<double>(done) / static_cast<double>(total));
      }
    });
  }
  Cpu& cpu = stack.platform().cpu;
  CpuLoad load0, load1;
  // With --stats: the engines' queue lengths, sampled every 10 us of simulated time into
  // time-weighted levels (times relative to the job's start, like the statistics).
  std::vector<traces::LevelTracker> queue_levels;
  stack.run([&] {
    load0 = cpu.load();
    if (stats.enabled()) {
      queue_levels.resize(stack.driver().device_count());
      const sc_core::sc_time t0 = sim_now();
      sc_core::sc_spawn([&stack, &queue_levels, t0] {
        for (;;) {
          const auto at = static_cast<traces::Time>((sim_now() - t0) /
                                                    sc_core::sc_time(1, sc_core::SC_PS));
          for (std::size_t d = 0; d < queue_levels.size(); ++d) {
            const double q = static_cast<double>(stack.driver().device(d).engine().queue_length());
            if (q != queue_levels[d].level()) queue_levels[d].set(at, q);
          }
          sc_core::wait(sc_core::sc_time(10, sc_core::SC_US));
        }
      });
    }
    job.run();
    load1 = cpu.load();
  });
  bar.finish();
  waveforms.close();
  const double host_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();

  // --- summary ------------------------------------------------------------------------------
  const testbench::DmCryptStats st = job.total_stats();
  const testbench::ScoreboardTotals sb = job.total_scoreboard();
  const sc_core::sc_time elapsed = job.end() - job.start();
  const auto elapsed_ps = static_cast<traces::Time>(elapsed.value());
  sc_core::sc_time aes_busy;
  std::uint64_t aes_blocks = 0;
  for (const auto& a : stack.platform().aes) {
    aes_busy += a->core_busy_time();
    aes_blocks += a->blocks_processed();
  }
  const sc_core::sc_time dma_busy = stack.platform().dma_busy_time();
  const CpuLoadReport cpu_load = load_between(load0, load1);
  const std::string& mode = common.params.soc.timing_mode;
  std::uint64_t bytes_w = 0, bytes_r = 0;
  for (const auto& p : job.phases()) {
    bytes_w += p.bytes_written;
    bytes_r += p.bytes_read;
  }

  const std::uint64_t requests_verified = sb.verified;
  const bool exactly_once = st.duplicate_completions == 0 && st.unexpected_notifications == 0 &&
                            st.requests_completed == st.requests_submitted;
  // With injected faults, failed bios are expected: the run must then show that every failed
  // request had a fault injected into it, and no sector was wrong.
  const bool faults_explained =
      injector != nullptr && injector->outstanding() == 0 &&
      st.requests_failed == injector->total().failed + injector->total().collateral &&
      injector->unfaulted_failures() == 0;
  const bool ok = injector != nullptr
                      ? exactly_once && sb.mismatched == 0 && faults_explained
                      : sb.clean() && job.bio_errors() == 0 && exactly_once;

  // --- outputs: written, then committed together only if the run succeeded ---------------
  if (stats.enabled()) {
    traces::RunStatistics rs;
    rs.run("run", common.seed, mode)
        .simulated_time(elapsed_ps)
        .host_time(host_s)
        .bytes("write", bytes_w)
        .bytes("read", bytes_r)
        .latency("request", st.request_latency)
        .latency("bio", st.bio_latency);
    add_hardware_busy(rs, stack.platform());
    add_cpu_busy(rs, load0, load1);
    traces::RequestCounts counts;
    counts.submitted = st.requests_submitted;
    counts.completed = st.requests_completed;
    counts.failed = st.requests_failed;
    counts.verified = requests_verified;
    counts.sectors = sb.verified + sb.mismatched + sb.failed;
    rs.counts(counts)
        .count("bios", st.bios)
        .count("bios_failed", st.bios_failed)
        .count("busy", st.busy)
        .count("unit_requests", st.unit_requests)
        .count("backlog_notifications", st.backlog_notifications)
        .count("mismatched_sectors", sb.mismatched)
        .count("unwritten_sectors_read", sb.unwritten)
        .count("faults_injected", injector ? injector->total().injected : 0);
    for (std::size_t d = 0; d < queue_levels.size(); ++d)
      rs.queue_depth("engine_aes" + std::to_string(d + 1), queue_levels[d]);
    // The engines' own view (one per AES instance): queue high-water mark and backlog.
    for (std::size_t d = 0; d < stack.driver().device_count(); ++d) {
      const engine::EngineStats es = stack.driver().device(d).engine().stats();
      const std::string prefix = "engine_aes" + std::to_string(d + 1) + "_";
      rs.count(prefix + "queue_high_water", es.queue_high_water)
          .count(prefix + "dispatched", es.dispatched)
          .count(prefix + "backlogged", es.backlogged)
          .count(prefix + "idle_to_busy", es.idle_to_busy);
    }
    for (const auto& p : job.phases()) {
      const auto ps = static_cast<std::uint64_t>((p.end - p.start).value());
      rs.count("phase_" + p.name + "_ps", ps);
      rs.phase(p.name, p.bytes_written + p.bytes_read, ps);
    }
    nlohmann::json config = {{"cipher", spec.canonical()},  {"key_bits", key_bits},
                             {"sector_size", sector_size},  {"iv_large_sectors", iv_large},
                             {"skip", skip},                {"size_mib", mib(area)},
                             {"size_bytes", area},          {"pattern", pattern},
                             {"read_percent", read_percent},
                             {"mixed_mib", mib(mixed_bytes)}, {"mixed_bytes", mixed_bytes},
                             {"bio_kib", join_kib(w.bio_bytes)}, {"bio_bytes", w.bio_bytes},
                             {"queue_depth", queue_depth},  {"key_file", !key_file.empty()},
                             {"bulk", to_string(bulk_mode)}, {"volumes", volumes},
                             {"disk", disk_file.empty() ? "memory" : "file"}};
    rs.configuration(config);
    traces::StatsJsonOptions jo;
    jo.normalise_host_time = stats.normalise();
    nlohmann::json figures = rs.to_json(jo);
    add_merge_statistics(figures, stack.driver());
    if (volumes > 1) figures["volumes"] = volume_statistics(job);
    if (injector) figures["faults"] = FaultOptions::statistics(*injector, stack);
    stats.write(outputs, std::move(figures), cli, args, common);
  }
  timeline.write(outputs, cli, common);
  if (ok) outputs.commit();
  else outputs.discard();

  std::printf("aesvp run: %s, %u-bit key, %s area, %u-byte sectors%s, skip %llu, seed %llu\n",
              spec.canonical().c_str(), key_bits, human_size(area).c_str(),
              sector_size, iv_large ? " (iv_large_sectors)" : "",
              static_cast<unsigned long long>(skip), static_cast<unsigned long long>(common.seed));
  std::printf("  workload            %s, %s, bios of %s, queue depth %u%s\n",
              read_percent == 100 ? "write the area, then read it back" : "fill, then mixed",
              testbench::to_string(w.pattern), join_sizes(w.bio_bytes).c_str(), queue_depth,
              read_percent == 100 ? "" : (", " + std::to_string(read_percent) + "% reads").c_str());
  std::printf("  disk                %s (zero simulated time)\n",
              disk_file.empty() ? "in memory" : disk_file.c_str());
  if (volumes > 1)
    std::printf("  volumes             %u sharing the driver, each its own key, %s area and "
                "the workload (seed + volume index); the other lines are totals\n",
                volumes, human_size(area).c_str());
  std::printf("  timing mode         %s%s\n", mode.c_str(),
              vm.count("soc.timing_mode") ? "" : " (the default)");
  std::printf("  simulated time      %.3f ms\n", elapsed.to_seconds() * 1e3);
  for (const auto& p : job.phases()) {
    const double s = p.seconds();
    char buf[160];
    if (p.bytes_written != 0 && p.bytes_read != 0)
      std::snprintf(buf, sizeof buf, "%.2f MB/s write + %.2f MB/s read",
                    s > 0 ? p.bytes_written / s / 1e6 : 0.0, s > 0 ? p.bytes_read / s / 1e6 : 0.0);
    else if (p.bytes_written != 0)
      std::snprintf(buf, sizeof buf, "%.2f MB/s write", s > 0 ? p.bytes_written / s / 1e6 : 0.0);
    else
      std::snprintf(buf, sizeof buf, "%.2f MB/s read", s > 0 ? p.bytes_read / s / 1e6 : 0.0);
    std::printf("  %-19s %s (%.1f MiB in %llu bios, %.3f ms simulated; 1 MB = 1e6 B)\n",
                ("phase " + p.name).c_str(), buf,
                static_cast<double>(p.bytes_written + p.bytes_read) / (1 << 20),
                static_cast<unsigned long long>(p.bios), s * 1e3);
  }
  if (volumes > 1) print_volumes(job);
  const traces::LatencyRecorder& lat = st.request_latency;
  std::printf("  request latency     p50 %.2f us, p90 %.2f us, p99 %.2f us, max %.2f us (%zu requests)\n",
              us(lat.percentile(50)), us(lat.percentile(90)), us(lat.percentile(99)), us(lat.max()),
              lat.count());
  const traces::LatencyRecorder& blat = st.bio_latency;
  std::printf("  bio latency         p50 %.2f us, p99 %.2f us, max %.2f us (%zu bios)\n",
              us(blat.percentile(50)), us(blat.percentile(99)), us(blat.max()), blat.count());
  std::printf("  backlog             %llu -EBUSY returns, %llu InProgress notifications (queue_len %u)\n",
              static_cast<unsigned long long>(st.busy),
              static_cast<unsigned long long>(st.backlog_notifications), common.driver.queue_len);
  std::printf("  AES core            busy %.1f%% (%llu blocks)\n",
              100.0 * traces::utilisation(static_cast<traces::Time>(aes_busy.value()), elapsed_ps),
              static_cast<unsigned long long>(aes_blocks));
  print_merge_summary(stack.driver());
  if (bulk_mode == BulkMode::Submit) {
    const char* why = job.cipher().unit_requests_refusal();
    if (*why == '\0')
      std::printf("  dm-crypt bulk       %llu requests for %llu sectors (%.2f per request), %llu of "
                  "several sectors (at most %u bytes)\n",
                  static_cast<unsigned long long>(st.requests_submitted),
                  static_cast<unsigned long long>(st.sectors_submitted),
                  st.requests_submitted ? static_cast<double>(st.sectors_submitted) /
                                              static_cast<double>(st.requests_submitted)
                                        : 0.0,
                  static_cast<unsigned long long>(st.unit_requests), common.driver.merge_max_bytes);
    else
      std::printf("  dm-crypt bulk       one request per sector: %s\n", why);
  }
  std::printf("  sDMA port           busy %.1f%%\n",
              100.0 * traces::utilisation(static_cast<traces::Time>(dma_busy.value()), elapsed_ps));
  std::printf("  CPU load            %.1f%% (%u cores, run average): hardirq %.1f%%, softirq %.1f%%, "
              "rt-thread %.1f%%, thread %.1f%%\n",
              100.0 * cpu_load.total, cpu_load.cores,
              100.0 * cpu_load.per_class[class_index(ContextClass::HardIrq)],
              100.0 * cpu_load.per_class[class_index(ContextClass::SoftIrq)],
              100.0 * cpu_load.per_class[class_index(ContextClass::RtThread)],
              100.0 * cpu_load.per_class[class_index(ContextClass::Thread)]);
  std::printf("  verified            %llu of %llu sectors: %llu written = OpenSSL, "
              "%llu read back = plaintext\n",
              static_cast<unsigned long long>(requests_verified),
              static_cast<unsigned long long>(st.sectors_submitted),
              static_cast<unsigned long long>(sb.written_verified),
              static_cast<unsigned long long>(sb.read_verified));
  std::printf("  errors              %llu mismatching sectors, %llu failed bios, %llu failed "
              "requests%s\n",
              static_cast<unsigned long long>(sb.mismatched),
              static_cast<unsigned long long>(job.bio_errors()),
              static_cast<unsigned long long>(st.requests_failed),
              exactly_once ? "" : ", COMPLETION COUNT WRONG");
  for (std::size_t v = 0; v < job.volume_count(); ++v)
    for (const auto& m : job.scoreboard(v).mismatches())
      std::printf("    %s%s\n", volumes > 1 ? ("volume " + std::to_string(v + 1) + ": ").c_str() : "",
                  m.describe().c_str());
  if (sb.unwritten != 0)
    std::printf("  not comparable      %llu sectors read that no successful write reached\n",
                static_cast<unsigned long long>(sb.unwritten));
  if (injector) FaultOptions::print(*injector, stack);
  std::printf("  host time           %.2f s\n", host_s);
  if (ok) {  // a failed run commits none of its output files: name them only when written
    waveforms.finish();
    timeline.finish();
    if (stats.enabled()) std::printf("  statistics          %s\n", stats.file().c_str());
  }

  if (!ok)
    throw std::runtime_error("verification failed: " + std::to_string(sb.mismatched) +
                             " mismatching sectors, " + std::to_string(job.bio_errors()) +
                             " failed bios" + (exactly_once ? "" : ", wrong completion counts") +
                             (injector && !faults_explained ? ", failures without an injected fault" : "") +
                             (outputs_requested ? "; no output written" : ""));
  return 0;
}

}  // namespace aesvp
