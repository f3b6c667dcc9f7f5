// Overhead micro-benchmark for the timeline (not a test; figures are host-dependent).
// Usage: traces_bench [events]   prints ns per call for each path.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "traces/core/stats.h"
#include "traces/core/timeline.h"

using namespace aesvp::traces;

namespace {

template <typename F>
double ns_per_call(std::uint64_t n, F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < n; ++i) f(i);
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(n);
}

// Opaque to the optimiser, like a pointer held by a model.
Timeline* volatile g_null_timeline = nullptr;
volatile std::uint64_t g_sink = 0;

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;

  {
    const double ns = ns_per_call(n, [](std::uint64_t i) {
      Timeline* tl = g_null_timeline;
      if (tl != nullptr) tl->span(TrackId{1}, NameId{1}, i, i + 1, i);
      g_sink = i;
    });
    std::printf("null Timeline* (off)          : %7.2f ns/call (includes loop + volatile store)\n", ns);
  }
  {
    TimelineOptions o;
    o.enabled = false;
    Timeline off(o);
    Timeline* volatile p = &off;
    const TrackId t = off.track("AES1", "core");
    const NameId nm = off.name("block");
    const double ns = ns_per_call(n, [&](std::uint64_t i) {
      p->span(t, nm, i, i + 1, i);
      g_sink = i;
    });
    std::printf("disabled Timeline (enabled=0) : %7.2f ns/call\n", ns);
  }
  {
    TimelineOptions o;
    o.max_events = kUnlimited;
    Timeline on(o);
    const TrackId t = on.track("AES1", "core");
    const NameId nm = on.name("block");
    const double cold =
        ns_per_call(n, [&](std::uint64_t i) { on.span(t, nm, i * 10, i * 10 + 5, i / 8); });
    on.clear();  // keeps the storage: the second pass shows the steady-state cost
    const double warm =
        ns_per_call(n, [&](std::uint64_t i) { on.span(t, nm, i * 10, i * 10 + 5, i / 8); });
    std::printf("span, NameId, request id      : %7.2f ns/event (first fill), %.2f (storage reused)\n",
                cold, warm);
    std::ofstream devnull("/dev/null");
    const auto t0 = std::chrono::steady_clock::now();
    on.write_json(devnull);
    const auto t1 = std::chrono::steady_clock::now();
    std::ostringstream os;
    on.write_json(os);
    std::printf("write_json to /dev/null       : %7.2f ns/event (%.1f bytes/event)\n",
                std::chrono::duration<double, std::nano>(t1 - t0).count() /
                    static_cast<double>(n),
                static_cast<double>(os.str().size()) / static_cast<double>(n));
  }
  {
    TimelineOptions o;
    o.max_events = kUnlimited;
    Timeline on(o);
    const TrackId t = on.track("AES1", "core");
    const NameId nm = on.name("block");
    const double ns = ns_per_call(n, [&](std::uint64_t i) { on.span(t, nm, i * 10, i * 10 + 5); });
    std::printf("span, NameId, no request      : %7.2f ns/event (first fill)\n", ns);
  }
  {
    TimelineOptions o;
    o.max_events = kUnlimited;
    Timeline on(o);
    const TrackId t = on.track("AES1", "core");
    const double ns =
        ns_per_call(n, [&](std::uint64_t i) { on.span(t, "block", i * 10, i * 10 + 5); });
    std::printf("span, string name (interned)  : %7.2f ns/event\n", ns);
  }
  {
    TimelineOptions o;
    o.max_events = kUnlimited;
    Timeline on(o);
    const NameId nm = on.name("dma");
    const double ns = ns_per_call(n / 2, [&](std::uint64_t i) {
      on.async_begin(nm, i, i * 10);
      on.async_end(nm, i, i * 10 + 5);
    });
    std::printf("async begin+end pair          : %7.2f ns/pair\n", ns);
  }
  {
    LatencyRecorder r;
    const double ns = ns_per_call(n, [&](std::uint64_t i) { r.add((i * 2654435761u) % 1000000); });
    const auto t0 = std::chrono::steady_clock::now();
    g_sink = r.percentile(99.9);
    const auto t1 = std::chrono::steady_clock::now();
    std::printf("latency add                   : %7.2f ns/sample; first percentile (sort) %.1f ms\n",
                ns, std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return 0;
}
