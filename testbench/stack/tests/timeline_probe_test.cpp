// A known scenario through the whole stack with a timeline: three CBC requests one after the
// other. The Chrome JSON parses; each request's phases are balanced, ordered and nested in
// its "request" span; every phase end matches a begin; the CPU tracks show the contexts that
// ran, CPU0 listed before CPU1; the AES core's blocks are merged into one busy interval per
// request, inside its DMA phase; the sDMA channels have their own tracks.
#include "driver/kernel/completion.h"
#include "driver/kernel/dma_mapping.h"
#include "models/testing/sc_test.h"
#include "testbench/stack/stack.h"
#include "testbench/stack/timeline_probe.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <vector>
#include <sstream>

namespace aesvp::testbench {
namespace {

using driver::Errc;

std::string run_scenario() {
  StackParams sp;
  Stack stack(sp);
  traces::Timeline tl;
  TimelineProbe probe(tl, stack);
  stack.run([&] {
    kernel::Kernel& k = stack.kernel();
    driver::CryptoSkcipher tfm(stack.driver(), driver::SkcipherMode::Cbc);
    const std::vector<std::uint8_t> key(16, 0x11);
    ASSERT_EQ(driver::crypto_skcipher_setkey(tfm, key.data(), key.size()), Errc::Ok);
    const std::uint64_t src = k.kmalloc(4096), dst = k.kmalloc(4096);
    kernel::place_bytes(k, src, std::vector<std::uint8_t>(4096, 0x5a));
    for (std::uint64_t id = 1; id <= 3; ++id) {
      driver::SkcipherRequest req(tfm);
      req.id = id;
      const std::uint8_t iv[16] = {};
      req.set_crypt(kernel::sg_init_one(src, 4096), kernel::sg_init_one(dst, 4096), 4096, iv);
      kernel::Completion done(k);
      Errc result = Errc::Inval;
      req.set_callback(true, [&](engine::Request&, Errc e) {
        if (e == Errc::InProgress) return;
        result = e;
        done.complete();
      });
      ASSERT_EQ(driver::crypto_skcipher_encrypt(req), Errc::InProgress);
      done.wait_for_completion();
      ASSERT_EQ(result, Errc::Ok);
    }
  });
  probe.flush();
  std::ostringstream os;
  tl.write_json(os);
  return os.str();
}

TEST(TimelineProbe, RequestPhasesNestAndOrder) {
  const nlohmann::json j = nlohmann::json::parse(run_scenario());
  struct Phase {
    double begin = -1, end = -1;
  };
  std::map<std::string, std::map<std::string, Phase>> phases;  // id -> name -> span
  std::map<std::string, int> cpu_spans;                        // context class -> count
  std::vector<Phase> busy;                                     // AES core busy intervals
  std::map<std::string, int> pids;                             // process name -> pid
  std::int64_t busy_blocks = 0;
  for (const auto& e : j.at("traceEvents")) {
    const std::string ph = e.at("ph");
    if (ph == "M" && e.at("name") == "process_name") pids[e.at("args").at("name")] = e.at("pid");
    if (ph == "X" && e.at("name") == "busy") {
      const double b = e.at("ts").get<double>();
      busy.push_back({b, b + e.at("dur").get<double>()});
      busy_blocks += e.at("args").at("blocks").get<std::int64_t>();
    }
    if (ph == "b" || ph == "e") {
      Phase& p = phases[e.at("id").get<std::string>()][e.at("name").get<std::string>()];
      (ph == "b" ? p.begin : p.end) = e.at("ts").get<double>();
    } else if (ph == "X") {
      ++cpu_spans[e.at("name").get<std::string>()];
    }
  }
  // Each phase is closed by the driver step that ends it, never by a guess.
  EXPECT_EQ(j.at("otherData").at("unmatched_async_end"), 0);
  EXPECT_EQ(j.at("otherData").at("dropped_invalid"), 0);
  ASSERT_TRUE(pids.count("CPU0") && pids.count("CPU1"));
  EXPECT_LT(pids["CPU0"], pids["CPU1"]);
  ASSERT_EQ(phases.size(), 3u);
  for (const auto& [id, p] : phases) {
    SCOPED_TRACE(id);
    const char* order[] = {"queued", "do_one_request", "DMA in flight", "completion"};
    ASSERT_EQ(p.size(), 5u);
    const Phase& whole = p.at("request");
    double prev_end = whole.begin;
    for (const char* n : order) {
      const Phase& x = p.at(n);
      EXPECT_GE(x.begin, prev_end) << n;  // phases follow each other
      EXPECT_GE(x.end, x.begin) << n;
      EXPECT_LE(x.end, whole.end) << n;   // and nest in the request
      prev_end = x.end;
    }
    EXPECT_DOUBLE_EQ(p.at("completion").end, whole.end);
    EXPECT_GT(p.at("DMA in flight").end - p.at("DMA in flight").begin, 0.0);
  }
  // The contexts the driver flow runs in all appear on the CPU tracks.
  for (const char* cls : {"hardirq", "softirq", "rt-thread", "thread"}) {
    EXPECT_GT(cpu_spans[cls], 0) << cls;
  }
  // The AES core: one merged busy interval per request (256 blocks each; in accurate mode
  // one busy period per block, or fewer when blocks follow back to back), each within the
  // request's DMA phase. The two sDMA channels were active for each request.
  ASSERT_EQ(busy.size(), 3u);
  EXPECT_GE(busy_blocks, 3);
  EXPECT_LE(busy_blocks, 3 * 256);
  std::vector<Phase> dma;
  for (const auto& [id, p] : phases) dma.push_back(p.at("DMA in flight"));
  std::sort(dma.begin(), dma.end(), [](const Phase& a, const Phase& b) { return a.begin < b.begin; });
  std::sort(busy.begin(), busy.end(), [](const Phase& a, const Phase& b) { return a.begin < b.begin; });
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GE(busy[i].begin, dma[i].begin) << i;
    EXPECT_LE(busy[i].end, dma[i].end) << i;
  }
  EXPECT_EQ(cpu_spans["active"], 6);
}

}  // namespace
}  // namespace aesvp::testbench
