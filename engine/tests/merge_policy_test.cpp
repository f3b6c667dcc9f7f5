// Bulk-mode merge policies: compatibility rules, each policy's dispatch sizes, fan-out of
// results, NoSpc undo, merge windows, and randomised exactly-once checks (stepper and host
// threads; the latter is what the tsan preset exercises).
#include "engine/merge_policy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "engine/crypto_engine.h"
#include "engine/host_context.h"
#include "engine/step_context.h"
#include "engine/tests/test_support.h"

namespace aesvp::engine {
namespace {

using test::Log;
using test::ScriptDriver;
using Mode = ScriptDriver::Mode;

/// A request with what a driver's request would carry for merging.
struct UnitReq : Request {
  using Request::Request;
  int transform = 1;
  std::uint64_t key = 7;
  bool encrypt = true;
  std::size_t bytes = 512;
  std::size_t segments = 1;
  std::vector<std::uint64_t> member_ids;  // composites only
};

class TestAdapter : public MergeAdapter {
 public:
  bool describe(const Request& r, MergeView& v) const override {
    auto* u = dynamic_cast<const UnitReq*>(&r);
    if (u == nullptr) return false;
    v.transform = &kinds_[u->transform % 2];
    v.key_id = u->key;
    v.encrypt = u->encrypt;
    v.bytes = u->bytes;
    v.segments = u->segments;
    v.bulk = u->bulk;
    return true;
  }
  MergeLimits limits() const override { return lim; }
  std::unique_ptr<Request> combine(const std::vector<Request*>& members) override {
    auto c = std::make_unique<UnitReq>(0);
    c->bytes = 0;
    c->segments = 0;
    for (Request* m : members) {
      auto* u = static_cast<UnitReq*>(m);
      c->bytes += u->bytes;
      c->segments += u->segments;
      c->member_ids.push_back(u->id);
    }
    ++combined;
    return c;
  }
  MergeLimits lim = [] {
    MergeLimits l;
    l.iv_kinds = {false, true, true, true, true};  // all but None
    return l;
  }();
  std::atomic<int> combined{0};

 private:
  int kinds_[2] = {0, 0};
};

/// Requests logging "done:<id>:<ERR>" / "inprog:<id>", with data units n, n+1, ...
struct UnitRequests {
  Log& log;
  std::vector<std::unique_ptr<UnitReq>> v;
  explicit UnitRequests(Log& l) : log(l) {}
  UnitReq& make(std::uint64_t id, std::uint64_t dun, bool may_backlog = false) {
    auto r = std::make_unique<UnitReq>(id, nullptr, may_backlog);
    r->bulk.data_unit_size = 512;
    r->bulk.first_data_unit = dun;
    r->bulk.iv_kind = IvKind::Plain64;
    log_completions(*r, log);
    v.push_back(std::move(r));
    return *v.back();
  }
};

std::string done(std::uint64_t id, Errc e = Errc::Ok) {
  return "done:" + std::to_string(id) + ":" + std::string(to_string(e));
}
std::string accepted_composite(std::uint64_t k) {
  return "accepted:" + std::to_string(MergePolicy::kCompositeIdBase + k);
}

MergeView view(std::uint64_t dun, std::size_t bytes = 512) {
  MergeView v;
  static const int t = 0;
  v.transform = &t;
  v.key_id = 1;
  v.encrypt = true;
  v.bytes = bytes;
  v.segments = 1;
  v.bulk.data_unit_size = 512;
  v.bulk.first_data_unit = dun;
  v.bulk.iv_kind = IvKind::Plain64;
  return v;
}

// ---------------------------------------------------------------------------------------
// Compatibility

TEST(MergeCompat, EachRuleRefusesWithItsReason) {
  MergeRefusal why{};
  EXPECT_TRUE(MergePolicy::compatible(view(10), view(11), why));
  EXPECT_TRUE(MergePolicy::compatible(view(10, 2048), view(14), why));  // 4 units
  EXPECT_FALSE(MergePolicy::compatible(view(10), view(12), why));
  EXPECT_EQ(why, MergeRefusal::NotConsecutive);
  EXPECT_FALSE(MergePolicy::compatible(view(10), view(10), why));
  EXPECT_EQ(why, MergeRefusal::NotConsecutive);

  MergeView b = view(11);
  static const int other = 0;
  b.transform = &other;
  EXPECT_FALSE(MergePolicy::compatible(view(10), b, why));
  EXPECT_EQ(why, MergeRefusal::Transform);
  b = view(11);
  b.key_id = 2;
  EXPECT_FALSE(MergePolicy::compatible(view(10), b, why));
  EXPECT_EQ(why, MergeRefusal::Key);
  b = view(11);
  b.encrypt = false;
  EXPECT_FALSE(MergePolicy::compatible(view(10), b, why));
  EXPECT_EQ(why, MergeRefusal::Direction);
  b = view(11);
  b.bulk.iv_kind = IvKind::Essiv;
  EXPECT_FALSE(MergePolicy::compatible(view(10), b, why));
  EXPECT_EQ(why, MergeRefusal::IvKind);
  b = view(11);
  b.bulk.data_unit_size = 4096;
  EXPECT_FALSE(MergePolicy::compatible(view(10), b, why));
  EXPECT_EQ(why, MergeRefusal::UnitSize);
}

TEST(MergeCompat, UnitStepCountsLargeSectorsInSmallUnits) {
  // dm-crypt 4096-byte sectors without iv_large_sectors: the IV advances by 8 per sector.
  MergeView a = view(80, 4096);
  a.bulk.data_unit_size = 4096;
  a.bulk.data_unit_step = 8;
  MergeView b = a;
  b.bulk.first_data_unit = 88;
  MergeRefusal why{};
  EXPECT_TRUE(MergePolicy::compatible(a, b, why));
  b.bulk.first_data_unit = 81;
  EXPECT_FALSE(MergePolicy::compatible(a, b, why));
  b.bulk.first_data_unit = 88;
  b.bulk.data_unit_step = 1;
  EXPECT_FALSE(MergePolicy::compatible(a, b, why));
  EXPECT_EQ(why, MergeRefusal::UnitSize);
}

TEST(MergeCompat, CounterWrapsLikeTheHardware) {
  MergeRefusal why{};
  EXPECT_TRUE(MergePolicy::compatible(view(~0ULL), view(0), why));
}

TEST(MergeMode, NamesRoundTrip) {
  for (MergeMode m : {MergeMode::Off, MergeMode::Opportunistic, MergeMode::Bounded,
                      MergeMode::MaxN, MergeMode::Gather}) {
    MergeMode back{};
    ASSERT_TRUE(parse_merge_mode(to_string(m), back));
    EXPECT_EQ(back, m);
  }
  MergeMode x{};
  EXPECT_FALSE(parse_merge_mode("sometimes", x));
}

// ---------------------------------------------------------------------------------------
// Policies on the stepper

struct Bench {
  StepContext ctx;
  Log log;
  ScriptDriver drv;
  TestAdapter ad;
  UnitRequests reqs{log};
  MergePolicy* pol = nullptr;
  std::unique_ptr<CryptoEngine> eng;
  explicit Bench(MergeConfig cfg, Mode m = Mode::Manual, EngineOptions opt = {})
      : drv(log, m) {
    auto p = std::make_unique<MergePolicy>(cfg, ad);
    pol = p.get();
    eng = std::make_unique<CryptoEngine>(ctx, drv, opt, std::move(p));
    eng->start();
  }
  /// Submits ids first..first+n-1 with consecutive units from dun.
  void submit(std::uint64_t first, std::size_t n, std::uint64_t dun) {
    for (std::size_t i = 0; i < n; ++i) eng->transfer_request(reqs.make(first + i, dun + i));
  }
};

TEST(MergePolicy, OffDispatchesOneByOne) {
  Bench b({MergeMode::Off, 16, 0}, Mode::Sync);
  b.submit(1, 4, 100);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("accepted:"),
            (std::vector<std::string>{"accepted:1", "accepted:2", "accepted:3", "accepted:4"}));
  MergeStats s = b.pol->stats();
  EXPECT_EQ(s.merges, 0u);
  EXPECT_EQ(s.per_dispatch[1], 4u);
}

TEST(MergePolicy, OpportunisticMergesWhatIsQueuedBehindTheBusyHardware) {
  Bench b({MergeMode::Opportunistic, 16, 0});
  b.submit(1, 1, 100);  // 1 goes out alone; 2..5 queue behind it
  b.ctx.run_all();
  b.submit(2, 4, 101);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("accepted:"), (std::vector<std::string>{"accepted:1"}));
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  ASSERT_EQ(b.log.with_prefix("accepted:").size(), 2u);
  EXPECT_EQ(b.log.with_prefix("accepted:")[1], accepted_composite(0));
  auto& comp = dynamic_cast<UnitReq&>(*b.drv.held.front());
  EXPECT_EQ(comp.member_ids, (std::vector<std::uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(comp.bytes, 4u * 512);
  EXPECT_EQ(comp.bulk.first_data_unit, 101u);
  EXPECT_EQ(b.pol->members_of(comp.id), (std::vector<std::uint64_t>{2, 3, 4, 5}));
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("done:"),
            (std::vector<std::string>{done(1), done(2), done(3), done(4), done(5)}));
  MergeStats s = b.pol->stats();
  EXPECT_EQ(s.merges, 1u);
  EXPECT_EQ(s.merged_requests, 4u);
  EXPECT_EQ(s.per_dispatch[1], 1u);
  EXPECT_EQ(s.per_dispatch[4], 1u);
  EXPECT_EQ(s.completed_composites, 1u);
  EXPECT_EQ(b.eng->stats().completed, 2u);  // the engine sees two requests
}

TEST(MergePolicy, StopsAtTheFirstIncompatibleRequestAndCountsWhy) {
  Bench b({MergeMode::Opportunistic, 16, 0});
  b.submit(1, 1, 0);      // in flight
  b.ctx.run_all();
  b.submit(2, 2, 100);    // 100, 101
  b.submit(4, 1, 200);    // gap: not consecutive
  b.submit(5, 1, 201);
  UnitReq& dec = b.reqs.make(6, 202);
  dec.encrypt = false;
  b.eng->transfer_request(dec);
  b.ctx.run_all();
  for (int i = 0; i < 4; ++i) {
    b.drv.finish(*b.eng);
    b.ctx.run_all();
  }
  EXPECT_EQ(b.log.with_prefix("done:"), (std::vector<std::string>{done(1), done(2), done(3),
                                                                   done(4), done(5), done(6)}));
  MergeStats s = b.pol->stats();
  EXPECT_EQ(s.refused[static_cast<std::size_t>(MergeRefusal::NotConsecutive)], 1u);
  EXPECT_EQ(s.refused[static_cast<std::size_t>(MergeRefusal::Direction)], 1u);
  EXPECT_EQ(s.merges, 2u);  // (2,3) and (4,5); 6 alone
}

TEST(MergePolicy, UnsupportedIvKindIsDispatchedAloneWithoutError) {
  Bench c({MergeMode::Opportunistic, 16, 0});
  c.submit(1, 1, 0);
  for (std::uint64_t i = 0; i < 3; ++i) {
    UnitReq& r = c.reqs.make(2 + i, 50 + i);
    r.bulk.iv_kind = IvKind::None;
    c.eng->transfer_request(r);
  }
  c.ctx.run_all();
  for (int i = 0; i < 4; ++i) {
    c.drv.finish(*c.eng);
    c.ctx.run_all();
  }
  EXPECT_EQ(c.log.with_prefix("done:"),
            (std::vector<std::string>{done(1), done(2), done(3), done(4)}));
  MergeStats s = c.pol->stats();
  EXPECT_EQ(s.merges, 0u);
  EXPECT_GE(s.refused[static_cast<std::size_t>(MergeRefusal::IvKind)], 1u);
}

TEST(MergePolicy, MaxNCapsEachDispatch) {
  Bench b({MergeMode::MaxN, 3, 0});
  b.submit(1, 1, 100);
  b.ctx.run_all();
  b.submit(2, 7, 101);
  b.ctx.run_all();
  while (!b.drv.held.empty()) {
    b.drv.finish(*b.eng);
    b.ctx.run_all();
  }
  MergeStats s = b.pol->stats();
  // 1 alone, then 3, 3, 1
  EXPECT_EQ(s.per_dispatch[1], 2u);
  EXPECT_EQ(s.per_dispatch[3], 2u);
  EXPECT_EQ(s.capped, 2u);  // (2,3,4) and (5,6,7) were cut; 8 was alone
  EXPECT_EQ(b.log.with_prefix("done:").size(), 8u);
}

TEST(MergePolicy, HardwareLimitsOnBytesAndSegments) {
  MergeConfig cfg{MergeMode::Opportunistic, 16, 0};
  StepContext ctx;
  Log log;
  ScriptDriver drv(log, Mode::Manual);
  TestAdapter ad;
  ad.lim.max_bytes = 3 * 512;
  ad.lim.max_segments = 5;
  auto p = std::make_unique<MergePolicy>(cfg, ad);
  MergePolicy* pol = p.get();
  CryptoEngine eng(ctx, drv, {}, std::move(p));
  eng.start();
  UnitRequests reqs(log);
  eng.transfer_request(reqs.make(1, 0));
  ctx.run_all();
  for (std::uint64_t i = 0; i < 4; ++i) eng.transfer_request(reqs.make(2 + i, 10 + i));
  UnitReq& frag = reqs.make(6, 14);
  frag.segments = 4;
  eng.transfer_request(frag);
  eng.transfer_request(reqs.make(7, 15));
  ctx.run_all();
  while (!drv.held.empty()) {
    drv.finish(eng);
    ctx.run_all();
  }
  MergeStats s = pol->stats();
  EXPECT_EQ(s.refused[static_cast<std::size_t>(MergeRefusal::Bytes)], 1u);     // 2,3,4 | 5
  EXPECT_EQ(s.refused[static_cast<std::size_t>(MergeRefusal::Segments)], 1u);  // 5 | 6 (5,6) | 7
  EXPECT_EQ(log.with_prefix("done:").size(), 7u);
}

TEST(MergePolicy, ErrorFansOutToEveryMemberOnce) {
  Bench b({MergeMode::Opportunistic, 16, 0});
  b.submit(1, 1, 100);
  b.ctx.run_all();
  b.submit(2, 3, 101);
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  b.drv.finish(*b.eng, Errc::Io);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("done:"), (std::vector<std::string>{done(1), done(2, Errc::Io),
                                                                   done(3, Errc::Io),
                                                                   done(4, Errc::Io)}));
  EXPECT_EQ(b.pol->stats().failed_composites, 1u);
}

TEST(MergePolicy, DriverErrorOnDispatchFansOut) {
  Bench b({MergeMode::Opportunistic, 16, 0});
  b.drv.do_errors[MergePolicy::kCompositeIdBase] = Errc::Inval;
  b.submit(1, 1, 100);
  b.ctx.run_all();
  b.submit(2, 2, 101);
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  b.submit(4, 1, 103);  // the engine keeps going after the failed composite
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("done:"),
            (std::vector<std::string>{done(1), done(2, Errc::Inval), done(3, Errc::Inval),
                                      done(4)}));
}

TEST(MergePolicy, NoSpcUndoesTheMergeAndKeepsOrder) {
  EngineOptions opt;
  opt.retry_support = true;
  Bench b({MergeMode::Opportunistic, 16, 0}, Mode::Manual, opt);
  const std::uint64_t first = MergePolicy::kCompositeIdBase;
  b.drv.do_errors[first] = Errc::NoSpc;  // hardware queue full for the first composite
  b.submit(1, 1, 100);
  b.ctx.run_all();
  b.submit(2, 3, 101);
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  // (2,3,4) refused, taken apart, put back in order and merged again on the retry
  EXPECT_EQ(b.log.count("do:" + std::to_string(first)), 1);
  EXPECT_EQ(b.log.count("unprepare:" + std::to_string(first)), 1);
  EXPECT_EQ(b.log.with_prefix("accepted:").back(), accepted_composite(1));
  EXPECT_EQ(dynamic_cast<UnitReq&>(*b.drv.held.front()).member_ids,
            (std::vector<std::uint64_t>{2, 3, 4}));
  MergeStats s = b.pol->stats();
  EXPECT_EQ(s.undone, 1u);
  EXPECT_EQ(s.merges, 1u);
  EXPECT_EQ(s.per_dispatch[3], 1u);
  EXPECT_EQ(b.eng->stats().retries, 1u);
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("done:"),
            (std::vector<std::string>{done(1), done(2), done(3), done(4)}));
}

TEST(MergePolicy, BacklogIsToldBeforeItsCompositeCompletes) {
  EngineOptions opt;
  opt.queue_len = 2;
  Bench b({MergeMode::Opportunistic, 16, 0}, Mode::Manual, opt);
  b.eng->transfer_request(b.reqs.make(1, 100, true));
  b.ctx.run_all();
  // 2, 3 queued; 4, 5 backlogged behind the full queue
  for (std::uint64_t i = 1; i < 5; ++i) b.eng->transfer_request(b.reqs.make(1 + i, 100 + i, true));
  EXPECT_EQ(b.eng->stats().backlogged, 2u);
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  ASSERT_EQ(b.drv.held.size(), 1u);  // one composite: 2..5
  EXPECT_EQ(dynamic_cast<UnitReq&>(*b.drv.held.front()).member_ids.size(), 4u);
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  for (std::uint64_t id = 1; id <= 5; ++id) {
    EXPECT_EQ(b.log.count(done(id)), 1) << id;
  }
  for (std::uint64_t id : {4, 5}) {
    const long ip = b.log.pos("inprog:" + std::to_string(id));
    EXPECT_GE(ip, 0) << id;
    EXPECT_LT(ip, b.log.pos(done(id))) << id;
  }
  EXPECT_EQ(b.log.with_prefix("done:"),
            (std::vector<std::string>{done(1), done(2), done(3), done(4), done(5)}));
}

TEST(MergePolicy, BoundedWaitsForTheTargetCount) {
  Bench b({MergeMode::Bounded, 4, 50'000});
  b.submit(1, 2, 100);
  b.ctx.run_all();
  EXPECT_TRUE(b.log.with_prefix("accepted:").empty());  // holding: 2 < 4, window open
  b.ctx.advance_ns(10'000);
  b.submit(3, 2, 102);  // the fourth arrival closes the window early
  b.ctx.run_all();
  ASSERT_EQ(b.log.with_prefix("accepted:").size(), 1u);
  EXPECT_EQ(dynamic_cast<UnitReq&>(*b.drv.held.front()).member_ids,
            (std::vector<std::uint64_t>{1, 2, 3, 4}));
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("done:").size(), 4u);
}

TEST(MergePolicy, BoundedDispatchesWhenTheWindowCloses) {
  Bench b({MergeMode::Bounded, 8, 50'000});
  b.submit(1, 3, 100);
  b.ctx.run_all();
  EXPECT_TRUE(b.log.with_prefix("accepted:").empty());
  b.ctx.advance_ns(49'999);
  b.ctx.run_all();
  EXPECT_TRUE(b.log.with_prefix("accepted:").empty());
  b.ctx.advance_ns(1);
  b.ctx.run_all();
  ASSERT_EQ(b.log.with_prefix("accepted:").size(), 1u);
  EXPECT_EQ(dynamic_cast<UnitReq&>(*b.drv.held.front()).member_ids,
            (std::vector<std::uint64_t>{1, 2, 3}));
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("done:").size(), 3u);
  EXPECT_EQ(b.pol->stats().holds, 1u);
}

TEST(MergePolicy, BoundedDoesNotWaitForARunThatCannotGrow) {
  Bench b({MergeMode::Bounded, 8, 50'000});
  b.submit(1, 2, 100);
  b.submit(3, 1, 500);  // incompatible: the run (1,2) cannot grow
  b.ctx.run_all();
  EXPECT_EQ(b.log.with_prefix("accepted:").size(), 1u);
}

TEST(MergePolicy, StopWaitsForAHeldWindow) {
  Bench b({MergeMode::Bounded, 8, 50'000}, Mode::Sync);
  b.submit(1, 2, 100);
  b.ctx.run_all();
  EXPECT_EQ(b.eng->stop(), Errc::Ok);  // sleeps (advances the clock) until drained
  EXPECT_EQ(b.log.with_prefix("done:").size(), 2u);
}

// ---------------------------------------------------------------------------------------
// Randomised: every request completes exactly once, in submission order, with the result
// of the dispatch that carried it.


// ---------------------------------------------------------------------------------------
// Gather: runs across interleaved streams

/// Bench whose requests carry a submitter tag.
UnitReq& tagged(Bench& b, std::uint64_t id, std::uint64_t dun, std::uint64_t submitter,
                bool may_backlog = false) {
  UnitReq& r = b.reqs.make(id, dun, may_backlog);
  r.submitter = submitter;
  return r;
}

std::vector<std::uint64_t> held_members(Bench& b) {
  auto& u = dynamic_cast<UnitReq&>(*b.drv.held.front());
  return u.member_ids.empty() ? std::vector<std::uint64_t>{u.id} : u.member_ids;
}

TEST(MergeGather, TakesEachStreamsRunOutOfTheInterleavedQueue) {
  MergeConfig cfg{MergeMode::Gather, 16, 0};
  Bench b(cfg);
  b.submit(1, 1, 0);  // in flight
  b.ctx.run_all();
  // Two bios' sectors interleaved, as two kcryptd workers submit them.
  const std::uint64_t units[] = {100, 200, 101, 201, 102, 202};
  for (std::uint64_t i = 0; i < 6; ++i)
    b.eng->transfer_request(tagged(b, 2 + i, units[i], units[i] / 100));
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(held_members(b), (std::vector<std::uint64_t>{2, 4, 6}));
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(held_members(b), (std::vector<std::uint64_t>{3, 5, 7}));
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  const MergeStats s = b.pol->stats();
  EXPECT_EQ(s.merges, 2u);
  EXPECT_EQ(s.gathered, 2u);  // 4 and 6 were taken past 3 and 5; then 3 5 7 is a prefix
  // What ended the in-order run (as prefix merging counts it): 3 after 2.
  EXPECT_EQ(s.refused[static_cast<std::size_t>(MergeRefusal::NotConsecutive)], 1u);
  EXPECT_EQ(b.log.with_prefix("done:").size(), 7u);
}

TEST(MergeGather, NeverTakesARequestPastTheBacklogMark) {
  EngineOptions opt;
  opt.queue_len = 4;
  Bench b({MergeMode::Gather, 16, 0}, Mode::Manual, opt);
  b.submit(1, 1, 0);  // in flight (queue_len counts queued requests only)
  b.ctx.run_all();
  // Queue: A100 B200 A101 B201 | backlog: A102 B202
  const std::uint64_t units[] = {100, 200, 101, 201, 102, 202};
  for (std::uint64_t i = 0; i < 6; ++i)
    EXPECT_EQ(b.eng->transfer_request(tagged(b, 2 + i, units[i], units[i] / 100, true)),
              i < 4 ? Errc::InProgress : Errc::Busy);
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  // A102 continues A's run but sits behind the mark, with B200 left queued before it.
  EXPECT_EQ(held_members(b), (std::vector<std::uint64_t>{2, 4}));
  EXPECT_EQ(b.pol->stats().backlog_stops, 1u);
  // Two requests left the queue: both backlogged ones were moved in and told so.
  EXPECT_EQ(b.log.with_prefix("inprog:"), (std::vector<std::string>{"inprog:6", "inprog:7"}));
}

TEST(MergeGather, KeepsEachSubmittersOrder) {
  Bench b({MergeMode::Gather, 16, 0});
  b.submit(1, 1, 0);
  b.ctx.run_all();
  b.eng->transfer_request(tagged(b, 2, 100, 1));
  b.eng->transfer_request(tagged(b, 3, 500, 2));  // submitter 2 elsewhere on the disk
  b.eng->transfer_request(tagged(b, 4, 101, 2));  // continues the run, but 2 must keep order
  b.eng->transfer_request(tagged(b, 5, 101, 3));  // continues it too, from another submitter
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(held_members(b), (std::vector<std::uint64_t>{2, 5}));
  EXPECT_EQ(b.pol->stats().order_skips, 1u);
}

TEST(MergeGather, LooksOnlyAsFarAsTheLookahead) {
  MergeConfig cfg{MergeMode::Gather, 16, 0};
  cfg.lookahead = 2;
  Bench b(cfg);
  b.submit(1, 1, 0);
  b.ctx.run_all();
  const std::uint64_t units[] = {100, 200, 300, 101};
  for (std::uint64_t i = 0; i < 4; ++i)
    b.eng->transfer_request(tagged(b, 2 + i, units[i], units[i] / 100));
  b.ctx.run_all();
  b.drv.finish(*b.eng);
  b.ctx.run_all();
  EXPECT_EQ(held_members(b), (std::vector<std::uint64_t>{2}));  // 101 is 3 behind the head
}

/// A policy naming indices the engine must not take: it takes the longest valid prefix.
struct GreedyPick : DispatchPolicy {
  std::vector<std::size_t> want;
  std::vector<std::uint64_t> taken_ids;
  std::size_t select(const CryptoQueue&) override { return 1; }
  void pick(const CryptoQueue&, std::vector<std::size_t>& out) override { out = want; }
  Request& assemble(const std::vector<Request*>& taken) override {
    taken_ids.clear();
    for (Request* r : taken) taken_ids.push_back(r->id);
    return *taken.front();  // the test only looks at what was taken
  }
};

TEST(MergeGather, EngineCutsAPickThatWouldOvertakeTheBacklog) {
  StepContext ctx;
  Log log;
  ScriptDriver drv(log, Mode::Manual);
  auto p = std::make_unique<GreedyPick>();
  GreedyPick& pol = *p;
  EngineOptions opt;
  opt.queue_len = 3;
  CryptoEngine eng(ctx, drv, opt, std::move(p));
  eng.start();
  UnitRequests reqs(log);
  pol.want = {0};
  eng.transfer_request(reqs.make(1, 0));
  ctx.run_all();  // 1 in flight
  for (std::uint64_t id = 2; id <= 6; ++id) eng.transfer_request(reqs.make(id, id, true));
  // Queue 2 3 4, backlog 5 6. Index 2 (request 4) skips 3 but is ahead of the mark; index 3
  // (request 5) is backlogged with 3 left queued before it: cut there.
  pol.want = {0, 2, 3};
  drv.finish(eng);
  ctx.run_all();
  EXPECT_EQ(pol.taken_ids, (std::vector<std::uint64_t>{2, 4}));
  // Two requests left the queue: the mark moved over 5 and 6, told after acceptance.
  EXPECT_EQ(log.with_prefix("inprog:"), (std::vector<std::string>{"inprog:5", "inprog:6"}));
  pol.want = {1, 0};  // not starting at the head: the head alone
  drv.finish(eng);
  ctx.run_all();
  EXPECT_EQ(pol.taken_ids, (std::vector<std::uint64_t>{3}));
  pol.want = {0, 1, 7};  // out of range: cut
  drv.finish(eng);
  ctx.run_all();
  EXPECT_EQ(pol.taken_ids, (std::vector<std::uint64_t>{5, 6}));
}

struct Outcome {
  std::vector<std::uint64_t> order;
  std::map<std::uint64_t, int> finals;
  std::map<std::uint64_t, int> inprog;
  std::map<std::uint64_t, Errc> results;
};

TEST(MergePolicyRandom, StepperExactlyOnceInOrder) {
  std::uint64_t merges = 0, undone = 0, failed = 0, holds = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    MergeConfig cfg;
    cfg.mode = static_cast<MergeMode>(rng() % 4);
    cfg.max_requests = 1 + rng() % 6;
    cfg.max_wait_ns = rng() % 3 == 0 ? 0 : 1000 + rng() % 20000;
    EngineOptions opt;
    opt.queue_len = 1 + rng() % 8;
    opt.retry_support = rng() % 2 == 0;
    StepContext ctx;
    Log log;
    ScriptDriver drv(log, Mode::Manual);
    drv.capacity = opt.retry_support ? 1 + rng() % 3 : 1;
    TestAdapter ad;
    ad.lim.max_bytes = rng() % 2 ? 0 : 512 * (1 + rng() % 6);
    ad.lim.max_segments = rng() % 2 ? 0 : 1 + rng() % 6;
    auto p = std::make_unique<MergePolicy>(cfg, ad);
    MergePolicy* pol = p.get();
    CryptoEngine eng(ctx, drv, opt, std::move(p));
    eng.start();

    Outcome out;
    std::map<std::uint64_t, Errc> expected;  // filled when the carrying dispatch finishes
    std::vector<std::unique_ptr<UnitReq>> reqs;
    std::vector<std::uint64_t> submitted;
    std::uint64_t dun = 0;
    bool waiting_backlog = false;  // like dm-crypt: after Busy, wait for InProgress
    std::uint64_t backlog_id = 0;
    const int total = 150;
    int made = 0;
    for (int step = 0; step < 4000 && (made < total || !drv.held.empty() ||
                                       eng.queue_length() > 0 || ctx.pending() > 0 ||
                                       ctx.timers() > 0);
         ++step) {
      const unsigned op = rng() % 10;
      if (op < 4 && made < total && !waiting_backlog) {
        auto r = std::make_unique<UnitReq>(static_cast<std::uint64_t>(made + 1), nullptr, true);
        if (rng() % 7 == 0) dun += 3;  // a gap
        r->bulk.data_unit_size = 512;
        r->bulk.first_data_unit = dun++;
        r->bulk.iv_kind = rng() % 11 == 0 ? IvKind::None : IvKind::Plain64;
        r->encrypt = rng() % 13 != 0;
        r->segments = 1 + rng() % 2;
        r->complete = [&out, &waiting_backlog, &backlog_id](Request& q, Errc e) {
          if (e == Errc::InProgress) {
            ++out.inprog[q.id];
            if (q.id == backlog_id) waiting_backlog = false;
            return;
          }
          ++out.finals[q.id];
          out.results[q.id] = e;
          out.order.push_back(q.id);
        };
        const Errc e = eng.transfer_request(*r);
        ASSERT_TRUE(e == Errc::InProgress || e == Errc::Busy) << seed;
        if (e == Errc::Busy) {
          waiting_backlog = true;
          backlog_id = r->id;
        }
        submitted.push_back(r->id);
        reqs.push_back(std::move(r));
        ++made;
      } else if (op < 7 && !drv.held.empty()) {
        Request* r = drv.held.front();
        const Errc e = rng() % 9 == 0 ? Errc::Io : Errc::Ok;
        if (auto* u = dynamic_cast<UnitReq*>(r); u && !u->member_ids.empty()) {
          for (auto id : u->member_ids) expected[id] = e;
        } else {
          expected[r->id] = e;
        }
        drv.finish(eng, e);
      } else if (op < 9) {
        ctx.run_all();
      } else {
        ctx.advance_ns(rng() % 8000);
      }
    }
    ctx.run_all();
    ASSERT_EQ(made, total) << seed;
    ASSERT_EQ(out.order.size(), submitted.size()) << "seed " << seed;
    EXPECT_EQ(out.order, submitted) << "seed " << seed;  // one at a time or in-order hardware
    for (auto id : submitted) {
      EXPECT_EQ(out.finals[id], 1) << "seed " << seed << " id " << id;
      EXPECT_LE(out.inprog[id], 1) << "seed " << seed << " id " << id;
    }
    for (auto id : submitted) {
      // The result of the dispatch that carried it (every member of a composite alike).
      EXPECT_EQ(out.results[id], expected[id]) << "seed " << seed << " id " << id;
    }
    const MergeStats s = pol->stats();
    std::uint64_t carried = 0;
    for (std::size_t n = 1; n < s.per_dispatch.size(); ++n) carried += n * s.per_dispatch[n];
    EXPECT_EQ(carried, static_cast<std::uint64_t>(total)) << "seed " << seed;
    EXPECT_EQ(s.completed_composites + s.failed_composites, s.merges) << "seed " << seed;
    merges += s.merges;
    undone += s.undone;
    failed += s.failed_composites;
    holds += s.holds;
  }
  // The random scripts must have reached every path they are meant to check.
  EXPECT_GT(merges, 100u);
  EXPECT_GT(undone, 0u);
  EXPECT_GT(failed, 0u);
  EXPECT_GT(holds, 0u);
}


/// Gather on the stepper with several submitters whose streams interleave (and sometimes
/// continue each other's runs), dm-crypt backlog waits per submitter, a small queue, retry
/// with NoSpc, random errors and hardware limits. Checked against the script's own record,
/// not the policy's code: every request completes exactly once (InProgress at most once and
/// only after Busy, before the final call) with its dispatch's result; each submitter's
/// requests are dispatched and completed in its submission order; every dispatched composite
/// is one compatible run (same key, direction, transform; units continue; within the byte
/// and entry limits); and no dispatch takes a request past a skipped request that was
/// backlogged (Busy, not yet told InProgress) when it was picked.
TEST(MergeGatherRandom, StepperInterleavedStreams) {
  std::uint64_t gathered = 0, merges = 0, backlog_stops = 0, order_skips = 0, undone = 0;
  for (unsigned seed = 1; seed <= 80; ++seed) {
    std::mt19937 rng(seed * 7919u);
    MergeConfig cfg;
    cfg.mode = MergeMode::Gather;
    cfg.max_requests = 1 + rng() % 12;
    cfg.lookahead = rng() % 3 == 0 ? 0 : 1 + rng() % 8;
    EngineOptions opt;
    opt.queue_len = 1 + rng() % 10;
    opt.retry_support = rng() % 2 == 0;
    StepContext ctx;
    TestAdapter ad;
    ad.lim.max_bytes = rng() % 2 ? 0 : 512 * (2 + rng() % 8);
    ad.lim.max_segments = rng() % 3 ? 0 : 2 + rng() % 8;

    struct Rec {
      std::uint64_t submitter, seq;
      bool busy = false, inprog = false, dispatched = false;
      int finals = 0;
      Errc result = Errc::Ok;
    };
    std::map<std::uint64_t, Rec> rec;            // by request id
    std::map<std::uint64_t, Errc> expected;
    std::vector<std::string> violations;
    std::map<std::uint64_t, std::vector<std::uint64_t>> dispatch_order, done_order;

    struct Hw : EngineDriver {
      std::deque<Request*> held;
      std::size_t capacity = 1;
      std::function<void(Request&)> on_accept;
      Errc do_one_request(CryptoEngine&, Request& r) override {
        if (held.size() >= capacity) return Errc::NoSpc;
        on_accept(r);
        held.push_back(&r);
        return Errc::Ok;
      }
    } hw;
    hw.capacity = opt.retry_support ? 1 + rng() % 3 : 1;
    std::vector<std::unique_ptr<UnitReq>> reqs;
    auto by_id = [&](std::uint64_t id) -> UnitReq& { return *reqs.at(id - 1); };
    hw.on_accept = [&](Request& r) {
      auto& u = dynamic_cast<UnitReq&>(r);
      const std::vector<std::uint64_t> ids =
          u.member_ids.empty() ? std::vector<std::uint64_t>{u.id} : u.member_ids;
      std::size_t bytes = 0, segs = 0;
      for (std::size_t k = 0; k < ids.size(); ++k) {
        const UnitReq& m = by_id(ids[k]);
        bytes += m.bytes;
        segs += m.segments;
        if (k > 0) {
          const UnitReq& p = by_id(ids[k - 1]);
          const bool ok = m.key == p.key && m.encrypt == p.encrypt &&
                          m.transform % 2 == p.transform % 2 &&
                          m.bulk.iv_kind != IvKind::None &&
                          m.bulk.first_data_unit == p.bulk.first_data_unit + p.bytes / 512;
          if (!ok) violations.push_back("incompatible member " + std::to_string(ids[k]));
          // (Members need not be in submission order: a NoSpc puts the taken requests back at
          // the head, ahead of requests they had been taken past.)
        }
      }
      if (ids.size() > 1 && ((ad.lim.max_bytes && bytes > ad.lim.max_bytes) ||
                             (ad.lim.max_segments && segs > ad.lim.max_segments)))
        violations.push_back("composite over the limits");
      for (std::uint64_t id : ids) {
        for (auto& [qid, q] : rec) {
          if (q.seq >= rec[id].seq || q.dispatched) continue;
          if (std::find(ids.begin(), ids.end(), qid) != ids.end()) continue;
          if (q.busy && !q.inprog)
            violations.push_back("request " + std::to_string(id) + " overtook backlogged " +
                                 std::to_string(qid));
          if (q.submitter == rec[id].submitter)
            violations.push_back("request " + std::to_string(id) + " overtook " +
                                 std::to_string(qid) + " of its submitter");
        }
      }
      for (std::uint64_t id : ids) {
        rec[id].dispatched = true;
        dispatch_order[rec[id].submitter].push_back(id);
      }
    };

    auto p = std::make_unique<MergePolicy>(cfg, ad);
    MergePolicy* pol = p.get();
    CryptoEngine eng(ctx, hw, opt, std::move(p));
    eng.start();

    const unsigned nsub = 2 + rng() % 3;
    std::vector<std::uint64_t> next_unit(nsub), key(nsub);
    std::vector<bool> blocked(nsub, false);
    for (unsigned t = 0; t < nsub; ++t) {
      next_unit[t] = rng() % 40;
      key[t] = rng() % 3 == 0 ? 8 : 7;  // mostly one volume, sometimes another
    }
    const int total = 200;
    int made = 0;
    for (int step = 0; step < 20000 && (made < total || !hw.held.empty() ||
                                        eng.queue_length() > 0 || ctx.pending() > 0);
         ++step) {
      const unsigned op = rng() % 10;
      const unsigned t = rng() % nsub;
      if (op < 5 && made < total && !blocked[t]) {
        const auto id = static_cast<std::uint64_t>(made + 1);
        auto r = std::make_unique<UnitReq>(id, nullptr, true);
        r->submitter = t + 1;
        r->key = key[t];
        if (rng() % 6 == 0) next_unit[t] = rng() % 40;  // a new bio elsewhere (may continue another's)
        r->bytes = 512 * (1 + rng() % 2);
        r->segments = 1 + rng() % 2;
        r->bulk.data_unit_size = 512;
        r->bulk.first_data_unit = next_unit[t];
        next_unit[t] += r->bytes / 512;
        r->bulk.iv_kind = rng() % 17 == 0 ? IvKind::None : IvKind::Plain64;
        r->encrypt = rng() % 19 != 0;
        rec[id] = Rec{t + 1, id};
        r->complete = [&, t](Request& q, Errc e) {
          Rec& x = rec[q.id];
          if (e == Errc::InProgress) {
            if (!x.busy || x.inprog || x.finals) violations.push_back("stray InProgress " + std::to_string(q.id));
            x.inprog = true;
            blocked[t] = false;
            return;
          }
          if (x.busy && !x.inprog) violations.push_back("final before InProgress " + std::to_string(q.id));
          ++x.finals;
          x.result = e;
          done_order[x.submitter].push_back(q.id);
        };
        reqs.push_back(std::move(r));
        ++made;
        const Errc e = eng.transfer_request(*reqs.back());
        ASSERT_TRUE(e == Errc::InProgress || e == Errc::Busy) << seed;
        if (e == Errc::Busy && !rec[id].inprog) {
          rec[id].busy = true;
          blocked[t] = true;
        } else if (e == Errc::Busy) {
          rec[id].busy = true;
        }
      } else if (op < 8 && !hw.held.empty()) {
        Request* r = hw.held.front();
        hw.held.pop_front();
        const Errc e = rng() % 11 == 0 ? Errc::Io : Errc::Ok;
        if (auto* u = dynamic_cast<UnitReq*>(r); u && !u->member_ids.empty()) {
          for (auto id : u->member_ids) expected[id] = e;
        } else {
          expected[r->id] = e;
        }
        eng.finalize_request(*r, e);
      } else {
        ctx.run_all();
      }
    }
    ctx.run_all();
    ASSERT_EQ(made, total) << "seed " << seed;
    EXPECT_TRUE(violations.empty()) << "seed " << seed << ": " << violations.front();
    for (auto& [id, x] : rec) {
      EXPECT_EQ(x.finals, 1) << "seed " << seed << " id " << id;
      EXPECT_EQ(x.busy, x.inprog) << "seed " << seed << " id " << id;
      EXPECT_EQ(x.result, expected[id]) << "seed " << seed << " id " << id;
    }
    for (auto& [sub, ids] : dispatch_order) {
      EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << "seed " << seed << " submitter " << sub;
      EXPECT_EQ(done_order[sub], ids) << "seed " << seed << " submitter " << sub;
    }
    const MergeStats s = pol->stats();
    std::uint64_t carried = 0;
    for (std::size_t n = 1; n < s.per_dispatch.size(); ++n) carried += n * s.per_dispatch[n];
    EXPECT_EQ(carried, static_cast<std::uint64_t>(total)) << "seed " << seed;
    gathered += s.gathered;
    merges += s.merges;
    backlog_stops += s.backlog_stops;
    order_skips += s.order_skips;
    undone += s.undone;
  }
  // The scripts reached every rule they check.
  EXPECT_GT(gathered, 100u);
  EXPECT_GT(merges, 200u);
  EXPECT_GT(backlog_stops, 0u);
  EXPECT_GT(order_skips, 0u);
  EXPECT_GT(undone, 0u);
}

/// Host threads: submitters, a hardware thread finalizing in order with random errors, the
/// engine's worker; merging policies with windows. Run under the tsan preset.
TEST(MergePolicyRandom, HostThreadsExactlyOnce) {
  for (MergeMode mode : {MergeMode::Opportunistic, MergeMode::Bounded, MergeMode::MaxN,
                         MergeMode::Gather}) {
    HostContext ctx("merge");
    TestAdapter ad;
    ad.lim.max_bytes = 16 * 512;
    MergeConfig cfg{mode, 6, 20'000};

    std::mutex hm;
    std::condition_variable hcv;
    std::deque<Request*> hq;
    bool hstop = false;
    std::atomic<int> finals{0};
    std::atomic<int> dup{0};

    struct Driver : EngineDriver {
      std::mutex* m;
      std::condition_variable* cv;
      std::deque<Request*>* q;
      Errc do_one_request(CryptoEngine&, Request& r) override {
        {
          std::lock_guard<std::mutex> lk(*m);
          q->push_back(&r);
        }
        cv->notify_one();
        return Errc::Ok;
      }
    } drv;
    drv.m = &hm;
    drv.cv = &hcv;
    drv.q = &hq;
    CryptoEngine eng(ctx, drv, EngineOptions{}, std::make_unique<MergePolicy>(cfg, ad));
    eng.start();
    std::thread hw([&] {
      std::mt19937 rng(99);
      std::unique_lock<std::mutex> lk(hm);
      for (;;) {
        hcv.wait(lk, [&] { return hstop || !hq.empty(); });
        if (hq.empty()) return;
        Request* r = hq.front();
        hq.pop_front();
        lk.unlock();
        if (rng() % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30));
        eng.finalize_request(*r, rng() % 20 == 0 ? Errc::TimedOut : Errc::Ok);
        lk.lock();
      }
    });

    constexpr int kThreads = 3;
    constexpr int kPer = 300;
    std::vector<std::vector<std::unique_ptr<UnitReq>>> all(kThreads);
    std::vector<std::atomic<int>> seen(kThreads * kPer);
    std::vector<std::atomic<int>> last_done(kThreads);
    for (auto& x : last_done) x = -1;
    std::atomic<int> misordered{0};
    std::vector<std::thread> subs;
    for (int t = 0; t < kThreads; ++t) {
      subs.emplace_back([&, t] {
        std::mt19937 rng(static_cast<unsigned>(t + 1));
        for (int i = 0; i < kPer; ++i) {
          auto r = std::make_unique<UnitReq>(static_cast<std::uint64_t>(t * kPer + i), nullptr,
                                             true);
          // One volume, each thread its own stretch of units (interleaved streams), except
          // for the prefix policies: each thread its own key (runs without interleaving).
          r->key = mode == MergeMode::Gather ? 0 : static_cast<std::uint64_t>(t);
          r->submitter = static_cast<std::uint64_t>(t + 1);
          r->bulk.data_unit_size = 512;
          r->bulk.first_data_unit = static_cast<std::uint64_t>(t * kPer + i);
          r->bulk.iv_kind = IvKind::Plain64;
          struct Wait {
            std::mutex m;
            std::condition_variable cv;
            bool moved = false;
          };
          auto w = std::make_shared<Wait>();
          r->complete = [&finals, &dup, &seen, &last_done, &misordered, t, w](Request& q, Errc e) {
            if (e == Errc::InProgress) {
              std::lock_guard<std::mutex> lk(w->m);
              w->moved = true;
              w->cv.notify_all();
              return;
            }
            if (seen[q.id].fetch_add(1) != 0) ++dup;
            // Each thread's requests complete in its submission order (in-order hardware).
            const int prev = last_done[t].exchange(static_cast<int>(q.id));
            if (prev >= static_cast<int>(q.id)) ++misordered;
            ++finals;
          };
          if (eng.transfer_request(*r) == Errc::Busy) {
            // dm-crypt waits for InProgress before sending more
            std::unique_lock<std::mutex> lk(w->m);
            w->cv.wait(lk, [&] { return w->moved; });
          }
          all[t].push_back(std::move(r));
          if (rng() % 4 == 0) std::this_thread::sleep_for(std::chrono::microseconds(rng() % 50));
        }
      });
    }
    for (auto& s : subs) s.join();
    // all submitted; wait for the engine to drain (windows close within 20 us)
    for (int i = 0; i < 20000 && finals.load() < kThreads * kPer; ++i)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    EXPECT_EQ(finals.load(), kThreads * kPer) << to_string(mode);
    EXPECT_EQ(dup.load(), 0);
    EXPECT_EQ(misordered.load(), 0) << to_string(mode);
    EXPECT_EQ(eng.stop(), Errc::Ok);
    {
      std::lock_guard<std::mutex> lk(hm);
      hstop = true;
    }
    hcv.notify_all();
    hw.join();
  }
}

}  // namespace
}  // namespace aesvp::engine
