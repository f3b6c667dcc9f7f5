// `aesvp bench`: what the simulator costs on this host, measured the same way by everyone
// (docs/performance.md). Each simulation runs as its own child process of this program (one
// elaborated SystemC design per process), so its wall time includes start-up and its max RSS
// is its own (the bench keeps no large buffers while children run, see run_child). OpenSSL does the same per-sector work in this process for the ratio.
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"

#include <malloc.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace aesvp {
namespace {

using Clock = std::chrono::steady_clock;

// The 1-minute load average (getloadavg), or -1 where the system does not give it.
double load_average() {
  double l[1];
  return getloadavg(l, 1) == 1 ? l[0] : -1.0;
}

constexpr std::size_t kSector = 512;
constexpr std::size_t kXtsKeyBytes = 64;  // aes-xts-plain64 with a 512-bit key (2 x AES-256)

// One finished child run of this program.
struct ChildRun {
  double wall_s = 0;
  double cpu_s = 0;  // user + system: what the run cost, whatever else the machine does
  double max_rss_mb = 0;
  std::string out;  // its stdout
};

std::string text_of(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; }

// CPU time of this thread (OpenSSL's loop), immune to other load on a shared machine.
double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// Lets a child's ru_maxrss be its own: Linux records the peak RSS of the address space a
// process leaves at exec in ru_maxrss, and a spawned child leaves (or shares) this one. The
// bench therefore holds no large buffers while children run, and this resets its own peak
// to what it holds now (/proc/PID/clear_refs, Linux >= 4.0; harmless where it fails).
void reset_peak_rss() {
  ::malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";
}

// Runs `aesvp <args>` as a child and waits for it; throws if it does not exit 0.
ChildRun run_child(const fs::path& dir, const std::vector<std::string>& args) {
  const fs::path out_path = dir / "child.out", err_path = dir / "child.err";
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);

  reset_peak_rss();
  posix_spawn_file_actions_t files;
  ::posix_spawn_file_actions_init(&files);
  ::posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const auto t0 = Clock::now();
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&files);
  if (spawned != 0) throw std::runtime_error("cannot start a child process");
  int status = 0;
  struct rusage ru{};
  while (::wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) throw std::runtime_error("lost a child process");
  }
  ChildRun r;
  r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  r.cpu_s = seconds(ru.ru_utime) + seconds(ru.ru_stime);
  r.max_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: KiB
  r.out = text_of(out_path);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string cmd = "aesvp";
    for (const auto& a : args) cmd += " " + a;
    const std::string err = text_of(err_path);
    throw std::runtime_error("'" + cmd + "' failed: " + err.substr(0, err.find('\n')));
  }
  return r;
}

// The number after `label` on the child's summary line that starts with it.
double field(const std::string& out, const std::string& label) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find(label);
    if (at == std::string::npos) continue;
    const std::string rest = line.substr(at + label.size());
    const auto num = rest.find_first_of("0123456789");
    if (num != std::string::npos) return std::stod(rest.substr(num));
  }
  throw std::runtime_error("no '" + label + "' in a child's summary");
}

void write_file(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write '" + p.string() + "'");
}

bool same_files(const fs::path& a, const fs::path& b) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  std::vector<char> ba(1 << 16), bb(1 << 16);
  while (fa && fb) {
    fa.read(ba.data(), static_cast<std::streamsize>(ba.size()));
    fb.read(bb.data(), static_cast<std::streamsize>(bb.size()));
    if (fa.gcount() != fb.gcount() ||
        !std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin()))
      return false;
  }
  return fa.eof() && fb.eof();
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint64_t seed) {
  std::vector<std::uint8_t> v(n);
  std::mt19937_64 g(seed);
  for (auto& b : v) b = static_cast<std::uint8_t>(g() >> 56);
  return v;
}

// What dm-crypt's host CPU path would do for the same sectors: aes-xts-plain64, key set
// once, a new IV per 512-byte sector. Returns host seconds per sector (best of a few passes
// of at least 0.1 s) and the ciphertext, which the simulated runs must reproduce.
double openssl_sector_seconds(const std::vector<std::uint8_t>& key,
                              const std::vector<std::uint8_t>& in, std::vector<std::uint8_t>& out) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                    EVP_CIPHER_CTX_free);
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_xts(), nullptr, key.data(), nullptr) != 1)
    throw std::runtime_error("OpenSSL refuses aes-256-xts");
  out.assign(in.size(), 0);
  const std::size_t sectors = in.size() / kSector;
  auto pass = [&] {
    for (std::size_t s = 0; s < sectors; ++s) {
      std::uint8_t iv[16] = {};
      for (int b = 0; b < 8; ++b) iv[b] = static_cast<std::uint8_t>(std::uint64_t{s} >> (8 * b));
      int len = 0;
      if (EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, iv) != 1 ||
          EVP_EncryptUpdate(ctx.get(), out.data() + s * kSector, &len, in.data() + s * kSector,
                            static_cast<int>(kSector)) != 1)
        throw std::runtime_error("OpenSSL aes-256-xts failed");
    }
  };
  double best = 1e9;
  for (int rep = 0; rep < 5; ++rep) {
    std::size_t passes = 0;
    const double t0 = thread_cpu_s();
    double s = 0;
    do {
      pass();
      ++passes;
      s = thread_cpu_s() - t0;
    } while (s < 0.1);
    best = std::min(best, s / static_cast<double>(passes * sectors));
  }
  return best;
}

// `n` runs of the same child: the one with the median CPU time, with the median wall time
// and the largest max RSS of all (a noisy host inflates single runs by tens of percent).
template <typename F>
ChildRun median_run(unsigned n, F run_once) {
  std::vector<ChildRun> runs;
  for (unsigned i = 0; i < n; ++i) runs.push_back(run_once());
  std::vector<double> walls;
  double rss = 0;
  for (const ChildRun& c : runs) {
    walls.push_back(c.wall_s);
    rss = std::max(rss, c.max_rss_mb);
  }
  std::sort(runs.begin(), runs.end(),
            [](const ChildRun& a, const ChildRun& b) { return a.cpu_s < b.cpu_s; });
  std::sort(walls.begin(), walls.end());
  ChildRun m = runs[runs.size() / 2];
  m.wall_s = walls[walls.size() / 2];
  m.max_rss_mb = rss;
  return m;
}

struct Row {
  std::string workload, mode;
  double requests = 0, cpu_s = 0, wall_s = 0, sim_ms = 0, rss_mb = 0;
};

void print_row(const Row& r, double openssl_s) {
  const double us_per = r.cpu_s / r.requests * 1e6;
  std::printf("  %-28s %-9s %8.0f %8.2f %8.2f %9.2f %10.3f %9.3f %8.1f %9.0fx\n",
              r.workload.c_str(), r.mode.c_str(), r.requests, r.cpu_s, r.wall_s, us_per, r.sim_ms,
              r.sim_ms / 1e3 / r.cpu_s, r.rss_mb, us_per / (openssl_s * 1e6));
  std::fflush(stdout);  // a row as soon as it is measured
}

std::vector<std::string> split_modes(const std::string& s) {
  const std::vector<std::string> v = split_list("--modes", s, "fast,accurate");
  for (const std::string& m : v)
    if (m != "fast" && m != "accurate")
      throw UsageError("--modes: '" + m + "' is not fast or accurate");
  const bool fast = std::count(v.begin(), v.end(), "fast") != 0;
  const bool accurate = std::count(v.begin(), v.end(), "accurate") != 0;
  if (fast && accurate) return {"fast", "accurate"};  // the comparison needs this order
  return {v.front()};
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  po::options_description own("Options of aesvp bench");
  unsigned crypt_mib = 16, run_mib = 8, startups = 5, repeats = 3;
  std::string modes_text = "fast,accurate";
  own.add_options()
      ("help", "show this help")
      ("crypt-mib", po::value<unsigned>(&crypt_mib)->default_value(16),
       "size of the crypt image in MiB (1..1024)")
      ("run-mib", po::value<unsigned>(&run_mib)->default_value(8),
       "--size-mib of the run workload (1..1024)")
      ("modes", po::value<std::string>(&modes_text)->default_value(modes_text),
       "timing modes to measure: fast, accurate or both")
      ("startups", po::value<unsigned>(&startups)->default_value(5),
       "one-sector crypt runs for the start-up time (the median is shown), 1..50")
      ("repeats", po::value<unsigned>(&repeats)->default_value(3),
       "runs of each workload; its host and wall times are the medians, 1..20");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(own).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  if (vm.count("help")) {
    std::cout << "usage: aesvp bench [options]\n\n"
                 "Measures the simulator's host cost on this machine in one run: host time per\n"
                 "sector request and simulated/host time for `aesvp crypt` (aes-xts-plain64,\n"
                 "512-bit key) and `aesvp run`, in each timing mode; start-up time; max RSS;\n"
                 "the simulated-time difference between the modes; OpenSSL's time for the same\n"
                 "per-sector work. Each simulation is a child process. See docs/performance.md.\n\n"
              << own << "\n";
    return 0;
  }
  if (crypt_mib == 0 || crypt_mib > 1024) throw UsageError("--crypt-mib: not in 1..1024");
  if (run_mib == 0 || run_mib > 1024) throw UsageError("--run-mib: not in 1..1024");
  if (startups == 0 || startups > 50) throw UsageError("--startups: not in 1..50");
  if (repeats == 0 || repeats > 20) throw UsageError("--repeats: not in 1..20");
  const std::vector<std::string> modes = split_modes(modes_text);

  // A private scratch directory for the image, the key and the children's outputs.
  std::string tmpl = (fs::temp_directory_path() / "aesvp-bench-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  const fs::path dir = tmpl;
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{dir};

  const std::vector<std::uint8_t> key = random_bytes(kXtsKeyBytes, 0x6b6579);
  double openssl_s = 0;
  {
    // The image and OpenSSL's ciphertext go to files: no large buffer stays in this process
    // while the children run (their max RSS would include it, see reset_peak_rss).
    const std::vector<std::uint8_t> image = random_bytes(std::size_t{crypt_mib} << 20, 0x696d67);
    write_file(dir / "key", key);
    write_file(dir / "image", image);
    write_file(dir / "sector", std::vector<std::uint8_t>(image.begin(), image.begin() + kSector));
    std::vector<std::uint8_t> expected;
    openssl_s = openssl_sector_seconds(key, image, expected);
    write_file(dir / "expected", expected);
  }

  auto crypt_args = [&](const std::string& mode, const std::string& in, const std::string& out) {
    return std::vector<std::string>{"crypt", "--cipher", "aes-xts-plain64", "--key-size", "512",
                                    "--key-file", (dir / "key").string(), "--encrypt",
                                    "--soc.timing_mode=" + mode, in, out};
  };

  std::printf("aesvp bench: host cost of the simulator on this machine (each run a child "
              "process, whole run, start-up included;\n  host s = its CPU time, user + system; "
              "wall s for reference, it counts other load too; medians of %u runs)\n\n",
              repeats);
  std::printf("  %-28s %-9s %8s %8s %8s %9s %10s %9s %8s %10s\n", "workload", "mode",
              "requests", "host s", "wall s", "us/req", "sim ms", "sim/host", "RSS MB", "/OpenSSL");
  const double load_start = load_average();
  std::vector<Row> crypt_rows, run_rows;
  bool outputs_ok = true;
  const std::string crypt_name = "crypt " + std::to_string(crypt_mib) + " MiB xts-plain64 512";
  for (const std::string& mode : modes) {
    const fs::path out = dir / ("out-" + mode);
    const ChildRun c = median_run(repeats, [&] {
      ChildRun one = run_child(dir, crypt_args(mode, (dir / "image").string(), out.string()));
      outputs_ok = outputs_ok && same_files(out, dir / "expected");
      fs::remove(out);
      return one;
    });
    Row r{crypt_name, mode, field(c.out, "requests "), c.cpu_s, c.wall_s,
          field(c.out, "simulated time"), c.max_rss_mb};
    print_row(r, openssl_s);
    crypt_rows.push_back(r);
  }
  const std::string run_name = "run --size-mib " + std::to_string(run_mib);
  for (const std::string& mode : modes) {
    const ChildRun c = median_run(repeats, [&] {
      return run_child(dir, {"run", "--size-mib", std::to_string(run_mib), "--soc.timing_mode=" + mode});
    });
    // "verified V of N sectors": N sectors written and read, one request each (no --bulk).
    const std::string& o = c.out;
    const auto at = o.find(" of ", o.find("verified "));
    Row r{run_name, mode, at == std::string::npos ? 0 : std::stod(o.substr(at + 4)), c.cpu_s,
          c.wall_s, field(o, "simulated time"), c.max_rss_mb};
    if (r.requests <= 0) throw std::runtime_error("no request count in the run's summary");
    print_row(r, openssl_s);
    run_rows.push_back(r);
  }

  // Start-up: a one-sector crypt in the first mode, median of `startups` runs.
  std::vector<double> starts, start_walls;
  double start_rss = 0;
  for (unsigned i = 0; i < startups; ++i) {
    const ChildRun c = run_child(
        dir, crypt_args(modes.front(), (dir / "sector").string(), (dir / "sector.out").string()));
    starts.push_back(c.cpu_s);
    start_walls.push_back(c.wall_s);
    start_rss = c.max_rss_mb;
  }
  std::sort(starts.begin(), starts.end());
  std::sort(start_walls.begin(), start_walls.end());

  std::printf("\n  start-up          one-sector crypt (%s): %.1f ms host, %.1f ms wall (medians of "
              "%u), max RSS %.1f MB\n",
              modes.front().c_str(), starts[starts.size() / 2] * 1e3,
              start_walls[start_walls.size() / 2] * 1e3, startups, start_rss);
  std::printf("  OpenSSL           %.3f us per 512-byte sector (aes-256-xts, key set once, IV per "
              "sector; %.0f MB/s); /OpenSSL = host time per request over this\n",
              openssl_s * 1e6, kSector / openssl_s / 1e6);
  if (crypt_rows.size() == 2) {
    auto diff = [](const std::vector<Row>& rows) {
      return 100.0 * (rows[0].sim_ms - rows[1].sim_ms) / rows[1].sim_ms;
    };
    std::printf("  fast vs accurate  simulated time: crypt %+.3f %%, run %+.3f %% "
                "(fast - accurate, of accurate)\n",
                diff(crypt_rows), diff(run_rows));
    std::printf("  host speed-up     fast over accurate: crypt %.2fx, run %.2fx\n",
                crypt_rows[1].cpu_s / crypt_rows[0].cpu_s, run_rows[1].cpu_s / run_rows[0].cpu_s);
  }
  std::printf("  crypt outputs     %s\n",
              outputs_ok ? "identical to OpenSSL in every mode" : "DIFFER FROM OpenSSL");
  // CPU time is inflated on a loaded machine (shared caches, frequency): say how loaded.
  std::printf("  machine load      1-minute load average %.2f at the start, %.2f at the end "
              "(%ld CPUs online)\n",
              load_start, load_average(), sysconf(_SC_NPROCESSORS_ONLN));
  return outputs_ok ? 0 : 1;
}

}  // namespace aesvp
