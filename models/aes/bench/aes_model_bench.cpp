// Benchmark of the OMAP AES model: a 1 MiB request through the model with the test DMA
// (docs/timing.md rules) in both timing modes, one after the other in one simulation.
// Prints host blocks per second, host time, simulated time, simulated AES clock cycles per
// block, and OpenSSL's own speed on the same bytes.
//
//   aes_model_bench [ecb|cbc|ctr|xts] [--burst N] [--mib N]
//     --burst N   fast mode: blocks per DATA_IN/DATA_OUT FIFO burst (default 1)
#include "models/aes/omap_aes.h"
#include "models/aes/testing/aes_test_bench.h"

#include <openssl/evp.h>
#include <systemc>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace aesvp;
using namespace aesvp::testing;
namespace regs = aesvp::omap_aes;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string mode = "cbc";
  unsigned burst = 1;
  std::size_t mib = 1;
};

struct Result {
  double host_s = 0;
  sc_core::sc_time sim;
  std::uint64_t blocks = 0;
  bool ok = false;
};

// One model, its initiators and a thread that runs one request when told to.
struct Run : sc_core::sc_module {
  LevelSignal irq_line{"irq_line"}, req_in_line{"req_in_line"}, req_out_line{"req_out_line"};
  OmapAes aes;
  TestBusMux mux{"mux"};
  TestCpu cpu{"cpu"};
  TestAesDma dma;
  const Options& opt;
  const std::vector<std::uint8_t>& src;
  std::vector<std::uint8_t> dst;
  sc_core::sc_event go, finished;
  Result result;

  SC_HAS_PROCESS(Run);
  Run(sc_core::sc_module_name n, TimingMode m, const Options& o, const std::vector<std::uint8_t>& s)
      : sc_core::sc_module(n), aes("aes", AesParams{}, m), dma("dma", m, TestDmaCosts{}), opt(o), src(s),
        dst(s.size()) {
    aes.irq(irq_line);
    aes.dma_req_in(req_in_line);
    aes.dma_req_out(req_out_line);
    dma.req_in(req_in_line);
    dma.req_out(req_out_line);
    dma.burst_blocks = m == TimingMode::Fast ? o.burst : 1;
    cpu.socket.bind(mux.in);
    dma.socket.bind(mux.in);
    mux.out.bind(aes.socket);
    SC_THREAD(body);
  }

  std::uint32_t ctrl(unsigned bits) const {
    std::uint32_t v = regs::kCtrlDirection | (regs::ctrl_key_size(bits) << regs::kCtrlKeySizeShift);
    if (opt.mode == "cbc") v |= regs::kCtrlCbc;
    if (opt.mode == "ctr") v |= regs::kCtrlCtr | (regs::kCtrWidth128 << regs::kCtrlCtrWidthShift);
    if (opt.mode == "xts") v |= regs::kXtsKey2N << regs::kCtrlXtsShift;
    return v;
  }

  void body() {
    sc_core::wait(go);
    const auto t0 = Clock::now();
    std::uint8_t key[16], iv[16];
    for (int i = 0; i < 16; ++i) {
      key[i] = static_cast<std::uint8_t>(i * 7 + 1);
      iv[i] = static_cast<std::uint8_t>(i);
    }
    cpu.load_key(&regs::key1_word, key, 16);
    if (opt.mode == "xts") {
      std::uint8_t key2[16];
      for (int i = 0; i < 16; ++i) key2[i] = static_cast<std::uint8_t>(i * 13 + 5);
      cpu.load_key(&regs::key2_word, key2, 16);
    }
    cpu.load_iv(iv);
    cpu.write(regs::kCtrl, ctrl(128));
    cpu.write(regs::kCLength0, static_cast<std::uint32_t>(src.size()));
    cpu.write(regs::kCLength1, 0);
    cpu.write(regs::kSysconfig, regs::kSysconfigDmaReqDataInEn | regs::kSysconfigDmaReqDataOutEn);
    result.blocks = src.size() / 16;
    dma.start(src.data(), dst.data(), result.blocks);
    sc_core::wait(dma.done_event());
    cpu.write(regs::kSysconfig, 0);
    result.host_s = std::chrono::duration<double>(Clock::now() - t0).count();
    result.sim = dma.last_frame_end() - dma.first_frame_start();
    result.ok = dma.errors() == 0 && aes.blocks_processed() == result.blocks;
    finished.notify(sc_core::SC_ZERO_TIME);
  }
};

struct Top : sc_core::sc_module {
  Run accurate, fast;
  SC_HAS_PROCESS(Top);
  Top(sc_core::sc_module_name n, const Options& o, const std::vector<std::uint8_t>& s)
      : sc_core::sc_module(n), accurate("accurate", TimingMode::Accurate, o, s), fast("fast", TimingMode::Fast, o, s) {
    SC_THREAD(sequence);
  }
  void sequence() {
    accurate.go.notify(sc_core::SC_ZERO_TIME);
    sc_core::wait(accurate.finished);
    fast.go.notify(sc_core::SC_ZERO_TIME);
    sc_core::wait(fast.finished);
    sc_core::sc_stop();
  }
};

// OpenSSL's own speed on the same bytes (same mode, AES-128), seconds per pass.
double openssl_seconds(const Options& o, const std::vector<std::uint8_t>& src) {
  const std::string name = "AES-128-" + std::string(o.mode == "ecb" ? "ECB" : o.mode == "cbc" ? "CBC" : o.mode == "ctr" ? "CTR" : "XTS");
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name.c_str(), nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  std::uint8_t key[32], iv[16] = {};
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
  std::vector<std::uint8_t> out(src.size() + 32);
  int passes = 0;
  const auto t0 = Clock::now();
  double el = 0;
  do {
    int l = 0;
    EVP_EncryptInit_ex2(ctx, c, key, o.mode == "ecb" ? nullptr : iv, nullptr);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EVP_EncryptUpdate(ctx, out.data(), &l, src.data(), static_cast<int>(src.size()));
    ++passes;
    el = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (el < 0.2);
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(c);
  return el / passes;
}

}  // namespace

// Silence SystemC's banner before the kernel prints it (as the aesvp program does).
static const bool kQuietBanner = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0) == 0;

int sc_main(int argc, char* argv[]) {
  (void)kQuietBanner;
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "ecb" || a == "cbc" || a == "ctr" || a == "xts") opt.mode = a;
    else if (a == "--burst" && i + 1 < argc) opt.burst = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    else if (a == "--mib" && i + 1 < argc) opt.mib = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
    else {
      std::fprintf(stderr, "usage: aes_model_bench [ecb|cbc|ctr|xts] [--burst N] [--mib N]\n");
      return 2;
    }
  }
  std::vector<std::uint8_t> src(opt.mib << 20);
  std::mt19937 rng(1);
  for (auto& b : src) b = static_cast<std::uint8_t>(rng());

  Top top("top", opt, src);
  sc_core::sc_start();

  const double ossl = openssl_seconds(opt, src);
  const double period_ps = 1e6 / AesParams{}.clock_mhz;
  std::printf("aes_model_bench: %zu MiB, AES-128-%s, test DMA (frame costs in 40/out 30+20 ns), fast burst %u\n",
              opt.mib, opt.mode.c_str(), opt.burst);
  std::printf("%-9s %12s %14s %14s %16s %14s %s\n", "mode", "host [ms]", "host blocks/s", "sim [us]",
              "sim cycles/block", "vs OpenSSL", "ok");
  for (const Run* r : {&top.accurate, &top.fast}) {
    const Result& res = r->result;
    const double sim_ps = static_cast<double>(res.sim.value());
    std::printf("%-9s %12.2f %14.0f %14.2f %16.2f %13.1fx %s\n", to_string(r->aes.timing_mode()), res.host_s * 1e3,
                static_cast<double>(res.blocks) / res.host_s, sim_ps / 1e6,
                sim_ps / period_ps / static_cast<double>(res.blocks), res.host_s / ossl, res.ok ? "yes" : "NO");
  }
  std::printf("OpenSSL EVP AES-128-%s on the same bytes: %.3f ms (%.0f MB/s)\n", opt.mode.c_str(), ossl * 1e3,
              static_cast<double>(src.size()) / ossl / 1e6);
  const bool same = top.accurate.dst == top.fast.dst;
  std::printf("accurate and fast outputs identical: %s\n", same ? "yes" : "NO");
  return top.accurate.result.ok && top.fast.result.ok && same ? 0 : 1;
}
