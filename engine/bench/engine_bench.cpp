// engine_bench: requests per second through the crypto engine with a driver that finalizes
// every request immediately (inside do_one_request), i.e. the engine's own overhead.
//
//   engine_bench [requests]     (default 1000000)
//
// Scenarios:
//   host/closed-loop  HostContext (real worker thread); queue_len requests in circulation,
//                     each completion re-submits its request from the worker.
//   host/submitter    HostContext; a separate submitter thread sends every request with
//                     may_backlog and, on Busy, waits for the InProgress notification
//                     (dm-crypt style), so requests cross threads.
//   step/closed-loop  StepContext (deterministic stepper), same loop as host/closed-loop.
//   host/deferred, step/deferred
//                     as the closed loops, but the driver posts the finalize to the worker
//                     instead of calling it inside do_one_request, so every request costs a
//                     context post and a pump run (the shape of a real interrupt-driven driver).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "engine/crypto_engine.h"
#include "engine/host_context.h"
#include "engine/step_context.h"

using namespace aesvp::engine;

namespace {

class ImmediateDriver final : public EngineDriver {
 public:
  Errc do_one_request(CryptoEngine& engine, Request& req) override {
    engine.finalize_request(req, Errc::Ok);
    return Errc::Ok;
  }
};

/// Finalizes on the worker, after do_one_request returned (one post per request).
class DeferredDriver final : public EngineDriver {
 public:
  Errc do_one_request(CryptoEngine& engine, Request& req) override {
    CryptoEngine* e = &engine;
    Request* r = &req;
    engine.context().post([e, r] { e->finalize_request(*r, Errc::Ok); });
    return Errc::Ok;
  }
};

struct Result {
  double seconds;
  std::uint64_t requests;
  EngineStats stats;
};

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Keeps `window` requests in circulation until `total` completions.
template <typename Driver, typename Ctx, typename Drain>
Result closed_loop(Ctx& ctx, std::uint64_t total, Drain drain) {
  Driver drv;
  EngineOptions opt;
  CryptoEngine eng(ctx, drv, opt);
  eng.start();
  const std::size_t window = opt.queue_len;
  std::atomic<std::uint64_t> submitted{0};
  std::atomic<std::uint64_t> completed{0};
  std::vector<std::unique_ptr<Request>> reqs;
  for (std::size_t i = 0; i < window; ++i) {
    reqs.push_back(std::make_unique<Request>(i, [&](Request& r, Errc e) {
      if (e != Errc::Ok) std::abort();
      completed.fetch_add(1, std::memory_order_relaxed);
      if (submitted.load(std::memory_order_relaxed) < total) {
        r.id = submitted.fetch_add(1, std::memory_order_relaxed);
        if (eng.transfer_request(r) != Errc::InProgress) std::abort();
      }
    }));
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (auto& r : reqs) {
    if (submitted.load() >= total) break;
    r->id = submitted.fetch_add(1);
    if (eng.transfer_request(*r) != Errc::InProgress) std::abort();
  }
  drain();
  const double s = since(t0);
  if (completed.load() != total) std::abort();
  Result res{s, total, eng.stats()};
  eng.exit();
  return res;
}

Result host_submitter(std::uint64_t total) {
  HostContext ctx("bench");
  ImmediateDriver drv;
  EngineOptions opt;
  CryptoEngine eng(ctx, drv, opt);
  eng.start();
  constexpr std::size_t kPool = 256;
  std::vector<std::unique_ptr<Request>> pool;
  std::vector<std::atomic<bool>> busy_slot(kPool), queued(kPool);
  std::atomic<std::uint64_t> completed{0};
  for (std::size_t i = 0; i < kPool; ++i) {
    busy_slot[i] = false;
    pool.push_back(std::make_unique<Request>(i, [&, i](Request&, Errc e) {
      if (e == Errc::InProgress) {
        queued[i].store(true, std::memory_order_release);
        return;
      }
      completed.fetch_add(1, std::memory_order_relaxed);
      busy_slot[i].store(false, std::memory_order_release);
    }, true));
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t n = 0; n < total; ++n) {
    const std::size_t i = static_cast<std::size_t>(n % kPool);
    while (busy_slot[i].load(std::memory_order_acquire)) std::this_thread::yield();
    busy_slot[i].store(true, std::memory_order_relaxed);
    queued[i].store(false, std::memory_order_relaxed);
    pool[i]->id = n;
    const Errc e = eng.transfer_request(*pool[i]);
    if (e == Errc::Busy) {
      while (!queued[i].load(std::memory_order_acquire) &&
             busy_slot[i].load(std::memory_order_acquire))
        std::this_thread::yield();
    } else if (e != Errc::InProgress) {
      std::abort();
    }
  }
  while (completed.load() != total) std::this_thread::yield();
  const double s = since(t0);
  Result res{s, total, eng.stats()};
  eng.exit();
  return res;
}

void print(const char* name, const Result& r) {
  std::printf("%-18s %10.0f req/s  (%llu requests in %.3f s; pump runs %llu, idle->busy %llu, "
              "backlogged %llu)\n",
              name, static_cast<double>(r.requests) / r.seconds,
              static_cast<unsigned long long>(r.requests), r.seconds,
              static_cast<unsigned long long>(r.stats.pump_runs),
              static_cast<unsigned long long>(r.stats.idle_to_busy),
              static_cast<unsigned long long>(r.stats.backlogged));
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t total = 1'000'000;
  if (argc > 1) {
    char* end = nullptr;
    total = std::strtoull(argv[1], &end, 10);
    if (!end || *end != '\0' || total == 0) {
      std::fprintf(stderr, "usage: engine_bench [requests > 0]\n");
      return 2;
    }
  }
  std::printf("engine_bench: engine overhead only (no hardware, no data): the driver finalizes "
              "each request at once (inside do_one_request; 'deferred': posted to the worker); "
              "queue_len 10, FIFO policy; req/s of host wall-clock time\n");
  {
    HostContext ctx("bench");
    print("host/closed-loop", closed_loop<ImmediateDriver>(ctx, total, [&] { ctx.drain(); }));
  }
  print("host/submitter", host_submitter(total));
  {
    StepContext ctx;
    print("step/closed-loop", closed_loop<ImmediateDriver>(ctx, total, [&] { ctx.run_all(); }));
  }
  {
    HostContext ctx("bench");
    print("host/deferred", closed_loop<DeferredDriver>(ctx, total, [&] { ctx.drain(); }));
  }
  {
    StepContext ctx;
    print("step/deferred", closed_loop<DeferredDriver>(ctx, total, [&] { ctx.run_all(); }));
  }
  return 0;
}
