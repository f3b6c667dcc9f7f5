// `aesvp crypt`: pass a cryptsetup plain-mode area of an image through the simulated hardware
// (docs/crypt.md). The options mirror `cryptsetup open --type plain`; the output holds only
// the processed area, exactly what dm-crypt would read (--decrypt) or write (--encrypt).
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"
#include "testbench/app/stats_output.h"
#include "testbench/app/trace_outputs.h"
#include "traces/core/progress.h"
#include "testbench/app/image_crypt.h"
#include "testbench/app/input_files.h"
#include "testbench/app/output_files.h"
#include "testbench/dmcrypt/cipher_spec.h"
#include "testbench/dmcrypt/error.h"
#include "testbench/dmcrypt/key.h"
#include "testbench/dmcrypt/mapping.h"
#include "testbench/stack/stack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace aesvp {
namespace {

std::string errno_text(int e) { return std::strerror(e); }

// POSIX file descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// Writes the processed area into the output's temporary (OutputFiles commits it).
class AreaOutput {
 public:
  AreaOutput(const std::string& temporary, const std::string& target) : target_(target) {
    fd_ = ::open(temporary.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot write output '" + target + "': " + errno_text(errno));
  }
  ~AreaOutput() {
    if (fd_ >= 0) ::close(fd_);
  }
  AreaOutput(const AreaOutput&) = delete;
  AreaOutput& operator=(const AreaOutput&) = delete;

  // Returns an error message, empty if all was written (no exception: it runs on a
  // simulation thread, see image_crypt.h).
  std::string write(const std::uint8_t* buf, std::size_t len) {
    std::size_t done = 0;
    while (done < len) {
      const ssize_t w = ::write(fd_, buf + done, len - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        return "cannot write output '" + target_ + "': " + errno_text(errno);
      }
      done += static_cast<std::size_t>(w);
    }
    return "";
  }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      throw std::runtime_error("cannot write output '" + target_ + "': " + errno_text(errno));
  }

 private:
  std::string target_;
  int fd_ = -1;
};

std::string bytes_text(std::uint64_t b) {
  char s[64];
  if (b >= (1u << 20)) std::snprintf(s, sizeof s, " (%.2f MiB)", static_cast<double>(b) / (1u << 20));
  else if (b >= 1024) std::snprintf(s, sizeof s, " (%.2f KiB)", static_cast<double>(b) / 1024);
  else s[0] = '\0';
  return std::to_string(b) + " bytes" + s;
}

// The key from a key file: key-size / 8 bytes from --keyfile-offset, unhashed. An explicit
// --keyfile-size (`limit`) is read in full, as cryptsetup requires, and must cover the key
// (cryptsetup would zero-pad a shorter one: almost always a mistake, refused here).
dmcrypt::VolumeKey file_key(const dmcrypt::CipherSpec& spec, std::uint32_t key_bits,
                            const std::string& path, std::uint64_t offset,
                            std::optional<std::uint64_t> limit) {
  const std::size_t key_bytes = key_bits / 8;
  if (limit && *limit < key_bytes) {
    throw UsageError("--keyfile-size " + std::to_string(*limit) + " is shorter than the key (" +
                     std::to_string(key_bytes) + " bytes for --key-size " +
                     std::to_string(key_bits) + ")");
  }
  const std::size_t want = limit ? static_cast<std::size_t>(*limit) : key_bytes;
  const std::vector<std::uint8_t> bytes = read_key_file("key file", path, offset, want);
  if (bytes.size() < offset + want && limit) {
    throw UsageError("key file '" + path + "': " + std::to_string(bytes.size()) +
                     " bytes hold fewer than --keyfile-offset " + std::to_string(offset) +
                     " + --keyfile-size " + std::to_string(*limit));
  }
  try {
    return dmcrypt::plain_key_from_file(spec, key_bits, bytes, offset);
  } catch (const dmcrypt::Error& e) {
    throw UsageError("key file '" + path + "': " + e.what());
  }
}

// The key from a passphrase on standard input (`--key-file -`), hashed with --hash.
dmcrypt::VolumeKey passphrase_key(const dmcrypt::CipherSpec& spec, std::uint32_t key_bits,
                                  std::uint64_t offset, std::uint64_t limit,
                                  const std::string& hash) {
  const std::vector<std::uint8_t> pass =
      read_passphrase_stdin(offset, static_cast<std::size_t>(limit));
  try {
    return dmcrypt::plain_key_from_passphrase(spec, key_bits, pass, hash);
  } catch (const dmcrypt::Error& e) {
    throw UsageError("passphrase from standard input: " + std::string(e.what()));
  }
}

}  // namespace

int crypt_command(const std::vector<std::string>& args) {
  po::options_description own("Options of aesvp crypt (cryptsetup plain mode; sectors are 512 bytes)");
  std::string cipher_text = dmcrypt::kPlainDefaultCipher;
  std::string key_size_text = std::to_string(dmcrypt::kPlainDefaultKeyBits);
  std::string key_file, keyfile_offset_text = "0", keyfile_size_text, offset_text = "0",
              skip_text = "0", size_text = "0", sector_size_text = "512", chunk_text = "1M",
              bulk = "off";
  std::string hash = dmcrypt::kPlainDefaultHash;
  own.add_options()
      ("cipher,c", po::value<std::string>(&cipher_text)->default_value(cipher_text),
       "cipher specification, e.g. aes-xts-plain64, aes:2-cbc-essiv:sha256, capi:xts(aes)-plain64")
      ("key-size,s", po::value<std::string>(&key_size_text)->default_value(key_size_text),
       "total key size in bits (cryptsetup plain default 256, also for XTS: AES-128-XTS)")
      ("key-file,d", po::value<std::string>(&key_file),
       "FILE holding the raw key (required): key-size/8 bytes are used, unhashed; '-' reads a "
       "passphrase from standard input (up to a newline) and hashes it with --hash")
      ("keyfile-offset", po::value<std::string>(&keyfile_offset_text)->default_value("0"),
       "bytes of the key file (or of standard input) to skip before the key (a size, "
       "docs/units.md)")
      ("keyfile-size,l", po::value<std::string>(&keyfile_size_text),
       "read at most this many bytes of the key file (it must still hold the key) or of the "
       "passphrase (default 8M; a size, docs/units.md)")
      ("hash,h", po::value<std::string>(&hash)->default_value(hash),
       "passphrase hash for --key-file - (an OpenSSL digest name, or 'plain'); a key file is "
       "never hashed in plain mode, as in cryptsetup")
      ("offset,o", po::value<std::string>(&offset_text)->default_value("0"),
       "start of the encrypted area in the image, in 512-byte sectors (cryptsetup's unit; no "
       "suffix)")
      ("skip,p", po::value<std::string>(&skip_text)->default_value("0"),
       "IV offset: the IV sector of the area's first 512-byte sector")
      ("size,b", po::value<std::string>(&size_text)->default_value("0"),
       "length of the area in 512-byte sectors (0: to the end of the image)")
      ("sector-size", po::value<std::string>(&sector_size_text)->default_value("512"),
       "encryption sector size: 512, 1024, 2048 or 4096 bytes, or 1K..4K (one request each)")
      ("iv-large-sectors", "IV counts sector-size units instead of 512-byte sectors")
      ("encrypt", "encrypt the area (what dm-crypt writes to the device)")
      ("decrypt", "decrypt the area (what dm-crypt reads from the device)")
      ("input", po::value<std::string>(), "input image (also the first positional argument)")
      ("output", po::value<std::string>(), "output file: the processed area only (also the "
       "second positional argument)")
      ("chunk-size", po::value<std::string>(&chunk_text)->default_value(chunk_text),
       "simulated DRAM used per chunk of the image, a size from 1K up to 1G (rounded down to "
       "whole sectors)")
      ("scatter-pages", "hold each chunk in separate 4 KiB pages at non-contiguous addresses "
       "(multi-entry scatterlists) instead of one block");
  add_bulk_option(own, bulk);
  StatsOutput stats_out;
  stats_out.add_options(own);
  TimelineOutput timeline;
  timeline.add_options(own);
  WaveformOutput waveforms;
  waveforms.add_options(own);
  CommandLine cli("crypt",
                  "Passes a plain dm-crypt image through the simulated hardware: the area from\n"
                  "--offset (for --size sectors, or to the end) goes to the omap-aes driver as\n"
                  "dm-crypt sends it, one request per encryption sector, and only that area is\n"
                  "written to OUTPUT.",
                  own, "--key-file FILE (--encrypt | --decrypt) [options] INPUT OUTPUT");
  cli.unused_groups({"cryptodev"},
                    "its requests come from dm-crypt, not from cryptodev");
  cli.size_alias("chunk-kib", "chunk-size", "K", 1, 1u << 20);
  CommonOptions common;
  const po::variables_map vm = cli.parse(args, common);
  const BulkMode bulk_mode = apply_bulk_mode(bulk, common);
  if (cli.answered(common)) return 0;
  OutputFiles outputs;
  cli.declare_inputs(outputs);

  // --- options (every refusal here is a usage error: exit 2) ---------------------------
  const bool enc = vm.count("encrypt") != 0, dec = vm.count("decrypt") != 0;
  if (enc == dec) throw UsageError("give exactly one of --encrypt and --decrypt");
  if (!vm.count("input") || !vm.count("output"))
    throw UsageError("give the INPUT and OUTPUT files");
  const std::string input = vm["input"].as<std::string>();
  const std::string output = vm["output"].as<std::string>();
  if (input.empty() || output.empty()) throw UsageError("INPUT and OUTPUT must not be empty");
  if (output == "-") throw UsageError("OUTPUT '-' (standard output) is not supported: give a file");
  if (key_file.empty()) throw UsageError("--key-file FILE is required (plain mode: raw key bytes; - for a passphrase on standard input)");
  outputs.input("input", input);
  const bool passphrase_stdin = key_file == "-";
  if (!passphrase_stdin) outputs.input("--key-file", key_file);
  const std::string output_temporary = outputs.add("output", output);
  timeline.check(args, outputs);
  waveforms.check(outputs);
  stats_out.check(outputs);

  dmcrypt::CipherSpec spec;
  try {
    spec = dmcrypt::parse_cipher_spec(cipher_text);
  } catch (const dmcrypt::Error& e) {
    throw UsageError(e.what());
  }
  const auto key_bits = static_cast<std::uint32_t>(parse_count("--key-size", key_size_text, UINT32_MAX));
  const std::uint64_t keyfile_offset = parse_size("--keyfile-offset", keyfile_offset_text, 1u << 20);
  // cryptsetup's compiled-in limit of a key file or passphrase (8 MiB).
  constexpr std::uint64_t kMaxKeyfileBytes = 8u << 20;
  std::optional<std::uint64_t> keyfile_size;
  if (!keyfile_size_text.empty())
    keyfile_size = parse_size("--keyfile-size", keyfile_size_text, kMaxKeyfileBytes);
  if (keyfile_size == std::uint64_t{0}) throw UsageError("--keyfile-size: must be at least 1");
  dmcrypt::PlainOptions plain;
  plain.offset = parse_sectors("--offset", offset_text);
  plain.skip = parse_sectors("--skip", skip_text);
  plain.size = parse_sectors("--size", size_text);
  plain.sector_size = static_cast<std::uint32_t>(parse_size("--sector-size", sector_size_text, UINT32_MAX));
  plain.iv_large_sectors = vm.count("iv-large-sectors") != 0;
  const std::uint64_t chunk_bytes = parse_size("--chunk-size", chunk_text, std::uint64_t{1} << 30);
  if (chunk_bytes < 1024) throw UsageError("--chunk-size: '" + chunk_text + "' is less than 1K");
  try {
    // Key size against the spec before any file is read (same messages as for the real key:
    // with no key bytes, plain_key_from_file reports a bad size before a short file).
    if (key_bits % 8 != 0 || !spec.is_valid_key_bytes(key_bits / 8))
      dmcrypt::plain_key_from_file(spec, key_bits, {});
    // Sector size, skip alignment, key count, --iv-large-sectors (on a nominal device).
    dmcrypt::PlainOptions probe = plain;
    probe.offset = 0;
    probe.size = 0;
    dmcrypt::plain_area(8192, probe, spec.keycount);
  } catch (const dmcrypt::Error& e) {
    throw UsageError(e.what());
  }

  // --- key (unreadable: exit 1; too short: exit 2) --------------------------------------
  std::optional<dmcrypt::VolumeKey> key =
      passphrase_stdin ? passphrase_key(spec, key_bits, keyfile_offset,
                                        keyfile_size.value_or(kMaxKeyfileBytes), hash)
                       : file_key(spec, key_bits, key_file, keyfile_offset, keyfile_size);
  if (!passphrase_stdin && !vm["hash"].defaulted()) {
    std::cerr << "aesvp crypt: warning: --hash is ignored with a key file (plain mode uses its "
                 "bytes unhashed, as cryptsetup does)\n";
  }

  // --- input and the area --------------------------------------------------------------
  Fd in(open_input("input", input, false));  // its size is needed: no FIFO, no char device
  const off_t end = ::lseek(in.get(), 0, SEEK_END);  // also right for block devices
  if (end < 0) throw std::runtime_error("cannot read input '" + input + "': " + errno_text(errno));
  const auto device_bytes = static_cast<std::uint64_t>(end);
  dmcrypt::PlainArea area;
  try {
    area = dmcrypt::plain_area(device_bytes, plain, spec.keycount);
  } catch (const dmcrypt::Error& e) {
    throw UsageError("input '" + input + "' (" + std::to_string(device_bytes) + " bytes): " + e.what());
  }
  if (::lseek(in.get(), static_cast<off_t>(area.offset_bytes), SEEK_SET) < 0)
    throw std::runtime_error("cannot read input '" + input + "': " + errno_text(errno));
  if (area.ignored_tail_bytes != 0) {
    std::cerr << "aesvp crypt: warning: the last " << area.ignored_tail_bytes << " bytes of '"
              << input << "' are not a whole 512-byte sector and are not part of the area\n";
  }

  // --- the run -------------------------------------------------------------------------
  AreaOutput out(output_temporary, output);
  const auto host_start = std::chrono::steady_clock::now();
  testbench::StackParams sp{common.params, common.kernel, common.driver};
  testbench::Stack stack(sp);
  timeline.attach(stack);  // without --timeline: nothing attached
  waveforms.attach(stack.platform(), &stack);  // without --vcd: no recorder, no cost
  testbench::ImageCryptJob job{*key, area,
                               enc ? dmcrypt::Direction::encrypt : dmcrypt::Direction::decrypt,
                               static_cast<std::size_t>(chunk_bytes)};
  if (bulk_mode == BulkMode::Submit) job.unit_request_bytes = common.driver.merge_max_bytes;
  job.scatter_pages = vm.count("scatter-pages") != 0;
  testbench::ImageCryptStats stats;
  // Progress on a terminal for long images (traces::ProgressBar decides when to show it).
  traces::ProgressOptions bar_options;
  bar_options.label = "aesvp crypt";
  traces::ProgressBar bar(bar_options);
  std::uint64_t written = 0;
  CpuLoad load0, load1;
  stack.run([&] {
    load0 = stack.platform().cpu.load();
    stats = testbench::crypt_image(
        stack, job,
        [&](std::uint8_t* buf, std::size_t len) -> std::string {
          std::size_t got = 0;
          const int e = read_fully(in.get(), buf, len, &got);
          if (e != 0) return "cannot read input '" + input + "': " + errno_text(e);
          if (got != len) return "cannot read input '" + input + "': it ended early";
          return "";
        },
        [&](const std::uint8_t* buf, std::size_t len) -> std::string {
          const std::string e = out.write(buf, len);
          written += len;
          bar.update(static_cast<double>(written) / static_cast<double>(area.length_bytes));
          return e;
        });
    load1 = stack.platform().cpu.load();
  });
  if (!stats.error.empty()) throw std::runtime_error(stats.error);
  bar.finish();
  waveforms.close();
  out.close();
  const double host_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  const dmcrypt::SectorMapping& m = area.mapping;

  // --- outputs: written, then committed together ----------------------------------------
  if (stats_out.enabled()) {
    traces::RunStatistics rs;
    rs.simulated_time(static_cast<traces::Time>((stats.finished - stats.started).value()))
        .host_time(host_s)
        .bytes(enc ? "encrypt" : "decrypt", stats.bytes);
    add_hardware_busy(rs, stack.platform());
    add_cpu_busy(rs, load0, load1);
    traces::RequestCounts counts;
    counts.submitted = counts.completed = stats.requests;
    counts.sectors = stats.sectors;
    rs.counts(counts).count("busy", stats.busy).count("sync", stats.sync).count("chunks", stats.chunks);
    rs.count("unit_requests", stats.unit_requests);
    rs.configuration({{"cipher", spec.canonical()}, {"key_bits", key_bits}, {"bulk", to_string(bulk_mode)},
                      {"direction", enc ? "encrypt" : "decrypt"},
                      {"sector_size", m.sector_size}, {"iv_large_sectors", m.iv_large_sectors},
                      {"skip", m.skip}, {"area_bytes", area.length_bytes}});
    traces::StatsJsonOptions jo;
    jo.normalise_host_time = stats_out.normalise();
    nlohmann::json figures = rs.to_json(jo);
    add_merge_statistics(figures, stack.driver());
    stats_out.write(outputs, std::move(figures), cli, args, common);
  }
  timeline.write(outputs, cli, common);
  outputs.commit();

  // --- summary ---------------------------------------------------------------------------
  const double sim_s = (stats.finished - stats.started).to_seconds();
  const std::string key_note =
      spec.chain == dmcrypt::ChainMode::xts
          ? " (XTS: 2 x AES-" + std::to_string(key->tfm_key_bytes() * 4) + ")"
          : "";
  std::printf("aesvp crypt: %s, %u-bit key%s%s, %s, %s timing\n", spec.canonical().c_str(),
              key_bits, key_note.c_str(),
              spec.keycount > 1 ? (", " + std::to_string(spec.keycount) + " key slots").c_str() : "",
              enc ? "encrypt" : "decrypt", common.params.soc.timing_mode.c_str());
  std::printf("  area                %s from byte %llu of '%s' (--offset %llu, %llu sectors of "
              "512 bytes)\n",
              bytes_text(area.length_bytes).c_str(),
              static_cast<unsigned long long>(area.offset_bytes), input.c_str(),
              static_cast<unsigned long long>(plain.offset),
              static_cast<unsigned long long>(area.sectors512));
  std::printf("  mapping             sector size %u%s, first IV sector %llu (--skip %llu)\n",
              m.sector_size, m.iv_large_sectors ? ", IV in sector-size units" : "",
              static_cast<unsigned long long>(m.iv_sector_of(0)),
              static_cast<unsigned long long>(m.skip));
  std::string per;
  if (stats.unit_requests == 0) per = "one per " + std::to_string(m.sector_size) + "-byte sector";
  else per = "for " + std::to_string(stats.sectors) + " sectors of " + std::to_string(m.sector_size) +
             " bytes, " + std::to_string(stats.unit_requests) + " of several";
  std::printf("  requests            %llu (%s), %llu backlogged (EBUSY), "
              "%llu synchronous; %llu chunk%s through DRAM\n",
              static_cast<unsigned long long>(stats.requests), per.c_str(),
              static_cast<unsigned long long>(stats.busy),
              static_cast<unsigned long long>(stats.sync),
              static_cast<unsigned long long>(stats.chunks), stats.chunks == 1 ? "" : "s");
  if (!stats.unit_refusal.empty())
    std::printf("  dm-crypt bulk       one request per sector: %s\n", stats.unit_refusal.c_str());
  print_merge_summary(stack.driver());
  std::printf("  simulated time      %.3f ms\n", sim_s * 1e3);
  if (sim_s > 0) {
    std::printf("  throughput          %.2f MB/s (simulated, 1 MB = 1e6 bytes)\n",
                static_cast<double>(stats.bytes) / sim_s / 1e6);
  }
  std::printf("  CPU load            %.1f%% (%u cores, average over the run)\n",
              100.0 * stats.cpu_load, stats.cores);
  std::printf("  output              '%s', %s\n", output.c_str(), bytes_text(stats.bytes).c_str());
  std::printf("  host time           %.2f s (%.2f MB per host second)\n", host_s,
              host_s > 0 ? static_cast<double>(stats.bytes) / host_s / 1e6 : 0.0);
  timeline.finish();
  waveforms.finish();
  if (stats_out.enabled()) std::printf("  statistics          %s\n", stats_out.file().c_str());
  return 0;
}

}  // namespace aesvp
