#include "traces/core/timeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traces/tests/alloc_counter.h"

namespace aesvp::traces {
namespace {

using nlohmann::json;

constexpr Time kUs = 1000000;  // ps per us

std::string to_string(const Timeline& t, const WriteOptions& w = {}) {
  std::ostringstream os;
  t.write_json(os, w);
  return os.str();
}

json parse(const Timeline& t) { return json::parse(to_string(t)); }

// Non-metadata events, in output order.
std::vector<json> events(const json& doc) {
  std::vector<json> out;
  for (const json& e : doc.at("traceEvents")) {
    if (e.at("ph") != "M") out.push_back(e);
  }
  return out;
}

std::vector<json> events_named(const json& doc, const std::string& name) {
  std::vector<json> out;
  for (const json& e : events(doc)) {
    if (e.at("name") == name) out.push_back(e);
  }
  return out;
}

std::string meta_name(const json& doc, const char* kind, int pid, int tid = -1) {
  for (const json& e : doc.at("traceEvents")) {
    if (e.at("ph") == "M" && e.at("name") == kind && e.at("pid") == pid &&
        (tid < 0 || e.at("tid") == tid)) {
      return e.at("args").at("name");
    }
  }
  return {};
}

// Times are written in microseconds as the shortest decimal of ps / 1e6 (nlohmann-json): the
// text is the exact decimal of the picoseconds, here checked on the file's own bytes; names
// with quotes, backslashes and control bytes are escaped and read back.
TEST(traces_timeline, TimesAreExactDecimalMicrosecondsAndNamesEscaped) {
  Timeline tl;
  const TrackId t = tl.track("CPU0", "a\"b\\c\n\x01");
  tl.span(t, "x", 20, 123456809);                    // 0.00002 us, 123.456789 us long
  tl.span(t, "y", 1500000, 3500001);                 // 1.5, 2.000001
  tl.span(t, "z", 12000345000, 12000345000 + 7000000);  // 12000.345, 7
  tl.span(t, "w", 9000000000000000, 9000000000000001);  // 9000000000 us (2.5 h), 0.000001
  const std::string text = to_string(tl);
  for (const char* want : {"\"ts\":2e-05,\"dur\":123.456789", "\"ts\":1.5,\"dur\":2.000001",
                           "\"ts\":12000.345,\"dur\":7.0", "\"ts\":9000000000.0,\"dur\":1e-06"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  const json doc = json::parse(text);
  EXPECT_EQ(meta_name(doc, "thread_name", 1, 10001), "a\"b\\c\n\x01");
  const std::vector<json> ev = events(doc);
  ASSERT_EQ(ev.size(), 4u);
  const std::uint64_t starts[] = {20, 1500000, 12000345000, 9000000000000000};
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(ev[i].at("ts").get<double>(), static_cast<double>(starts[i]) / 1e6) << i;
}

TEST(traces_timeline, KnownSequenceProducesExpectedChromeJson) {
  Timeline tl;
  const TrackId hardirq = tl.track("CPU0", "hardirq");
  const TrackId softirq = tl.track("CPU0", "softirq");
  const TrackId aes = tl.track("AES1", "core");
  EXPECT_EQ(tl.track("CPU0", "hardirq"), hardirq);  // idempotent
  const CounterId depth = tl.counter_track("engine", "queue depth");

  tl.async_begin("request", 42, 0);
  tl.counter(depth, 0, 1);
  tl.span(aes, "encrypt", 1500000, 3500001, 42, Arg{tl.name("bytes"), 512});
  tl.span(hardirq, "aes irq", 3600000, 3700000, 42);
  tl.instant(softirq, "done tasklet", 3800000);
  tl.counter(depth, 3900000, 0);
  tl.async_end("request", 42, 4000000);

  const std::string text = to_string(tl);
  const json doc = json::parse(text);
  EXPECT_EQ(doc.at("displayTimeUnit"), "ns");
  EXPECT_EQ(doc.at("otherData").at("recorded"), 7);

  // Processes in registration order: CPU0 = 1, AES1 = 2, engine = 3, requests = 4.
  EXPECT_EQ(meta_name(doc, "process_name", 1), "CPU0");
  EXPECT_EQ(meta_name(doc, "process_name", 2), "AES1");
  EXPECT_EQ(meta_name(doc, "process_name", 3), "engine");
  EXPECT_EQ(meta_name(doc, "process_name", 4), "requests");
  EXPECT_EQ(meta_name(doc, "thread_name", 1, 10001), "hardirq");
  EXPECT_EQ(meta_name(doc, "thread_name", 1, 10002), "softirq");
  EXPECT_EQ(meta_name(doc, "thread_name", 2, 20001), "core");

  const std::vector<json> ev = events(doc);
  ASSERT_EQ(ev.size(), 7u);
  // Sorted by time: b(0), C(0), X(1.5), X(3.6), i(3.8), C(3.9), e(4).
  EXPECT_EQ(ev[0].at("ph"), "b");
  EXPECT_EQ(ev[0].at("cat"), "request");
  EXPECT_EQ(ev[0].at("id"), "0x2a");
  EXPECT_EQ(ev[0].at("pid"), 4);
  EXPECT_EQ(ev[0].at("args").at("request"), 42);
  EXPECT_EQ(ev[1].at("ph"), "C");
  EXPECT_EQ(ev[1].at("name"), "queue depth");
  EXPECT_EQ(ev[1].at("pid"), 3);
  EXPECT_EQ(ev[1].at("args").at("value"), 1);
  EXPECT_EQ(ev[2].at("ph"), "X");
  EXPECT_EQ(ev[2].at("name"), "encrypt");
  EXPECT_EQ(ev[2].at("pid"), 2);
  EXPECT_EQ(ev[2].at("tid"), 20001);
  EXPECT_DOUBLE_EQ(ev[2].at("ts").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(ev[2].at("dur").get<double>(), 2.000001);
  EXPECT_EQ(ev[2].at("args").at("request"), 42);
  EXPECT_EQ(ev[2].at("args").at("bytes"), 512);
  EXPECT_EQ(ev[3].at("name"), "aes irq");
  EXPECT_EQ(ev[3].at("tid"), 10001);
  EXPECT_EQ(ev[4].at("ph"), "i");
  EXPECT_EQ(ev[4].at("s"), "t");
  EXPECT_FALSE(ev[4].contains("args"));
  EXPECT_EQ(ev[5].at("ph"), "C");
  EXPECT_EQ(ev[6].at("ph"), "e");
  EXPECT_EQ(ev[6].at("id"), "0x2a");
  EXPECT_DOUBLE_EQ(ev[6].at("ts").get<double>(), 4.0);
  // Exact decimal text for picosecond times.
  EXPECT_NE(text.find("\"ts\":1.5,\"dur\":2.000001"), std::string::npos);
}

TEST(traces_timeline, ChildSpansNestInsideParentOnSameTrack) {
  Timeline tl;
  const TrackId k = tl.track("CPU0", "kthread aes-engine");
  // Spans are usually recorded when they end: children first.
  tl.span(k, "prepare", 2 * kUs, 3 * kUs);
  tl.span(k, "dma setup", 3 * kUs, 4 * kUs);
  tl.span(k, "do_one_request", 1 * kUs, 5 * kUs);
  tl.span(k, "pump", 1 * kUs, 6 * kUs);  // same start, longer: encloses do_one_request
  const std::vector<json> ev = events(parse(tl));
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].at("name"), "pump");
  EXPECT_EQ(ev[1].at("name"), "do_one_request");
  EXPECT_EQ(ev[2].at("name"), "prepare");
  EXPECT_EQ(ev[3].at("name"), "dma setup");
  // Every later span lies within the earlier enclosing one or after it (proper nesting).
  for (std::size_t i = 1; i < ev.size(); ++i) {
    const double b = ev[i].at("ts").get<double>();
    const double e = b + ev[i].at("dur").get<double>();
    EXPECT_EQ(ev[i].at("tid"), ev[0].at("tid"));
    EXPECT_GE(b, ev[i - 1].at("ts").get<double>());
    EXPECT_LE(e, ev[0].at("ts").get<double>() + ev[0].at("dur").get<double>());
  }
}

TEST(traces_timeline, WindowDropsAndClipsExactly) {
  TimelineOptions o;
  o.window_begin = 10 * kUs;
  o.window_end = 20 * kUs;
  Timeline tl(o);
  const TrackId t = tl.track("sDMA", "ch0");
  tl.span(t, "a", 0, 5 * kUs);              // before: dropped
  tl.span(t, "b", 5 * kUs, 15 * kUs);       // clipped to [10, 15)
  tl.span(t, "c", 12 * kUs, 18 * kUs);      // inside
  tl.span(t, "d", 18 * kUs, 25 * kUs);      // clipped to [18, 20)
  tl.span(t, "e", 20 * kUs, 30 * kUs);      // at/after end: dropped
  tl.span(t, "f", 5 * kUs, 10 * kUs);       // ends exactly at begin: dropped
  tl.span(t, "g", 10 * kUs, 10 * kUs);      // zero length at begin: inside
  tl.instant(t, "i9", 9 * kUs);             // dropped
  tl.instant(t, "i10", 10 * kUs);           // kept
  tl.instant(t, "i19", 19 * kUs);           // kept
  tl.instant(t, "i20", 20 * kUs);           // dropped
  tl.counter("level", 5 * kUs, 3);          // before: carried to window begin
  tl.counter("level", 25 * kUs, 4);         // after: dropped

  const json doc = parse(tl);
  std::vector<std::string> names;
  for (const json& e : events(doc)) names.push_back(e.at("name"));
  EXPECT_EQ(names, (std::vector<std::string>{"level", "b", "g", "i10", "c", "d", "i19"}));
  const json b = events_named(doc, "b").at(0);
  EXPECT_DOUBLE_EQ(b.at("ts").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(b.at("dur").get<double>(), 5.0);
  EXPECT_EQ(b.at("args").at("clipped"), 1);
  const json d = events_named(doc, "d").at(0);
  EXPECT_DOUBLE_EQ(d.at("dur").get<double>(), 2.0);
  const json level = events_named(doc, "level").at(0);
  EXPECT_DOUBLE_EQ(level.at("ts").get<double>(), 10.0);
  EXPECT_EQ(level.at("args").at("value"), 3);
  EXPECT_FALSE(events_named(doc, "c").at(0).contains("args"));

  const TimelineCounts& c = tl.counts();
  EXPECT_EQ(c.recorded, 6u);
  EXPECT_EQ(c.clipped, 2u);
  EXPECT_EQ(c.dropped_window, 7u);  // a, e, f, i9, i20, 2 counters
}

TEST(traces_timeline, WindowWithoutClippingDropsCrossingSpans) {
  TimelineOptions o;
  o.window_begin = 10 * kUs;
  o.window_end = 20 * kUs;
  o.clip_spans = false;
  Timeline tl(o);
  const TrackId t = tl.track("AES1", "core");
  tl.span(t, "b", 5 * kUs, 15 * kUs);
  tl.span(t, "c", 12 * kUs, 18 * kUs);
  tl.span(t, "d", 18 * kUs, 25 * kUs);
  const std::vector<json> ev = events(parse(tl));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].at("name"), "c");
  EXPECT_EQ(tl.counts().dropped_window, 2u);
}

TEST(traces_timeline, AsyncPhasesAcrossWindowEdgesStayBalanced) {
  TimelineOptions o;
  o.window_begin = 10 * kUs;
  o.window_end = 20 * kUs;
  o.max_requests = 10;  // so requests_admitted is counted
  Timeline tl(o);
  // Request 1: entirely before the window.
  tl.async_begin("request", 1, 1 * kUs);
  tl.async_end("request", 1, 3 * kUs);
  // Request 2: outer and inner open before the window, closing inside it.
  tl.async_begin("request", 2, 5 * kUs);
  tl.async_begin("queued", 2, 7 * kUs);
  tl.async_end("queued", 2, 12 * kUs);
  tl.async_begin("dma", 2, 13 * kUs);
  tl.async_end("dma", 2, 14 * kUs);
  tl.async_end("request", 2, 18 * kUs);
  // Request 3: starts inside, ends after the window.
  tl.async_begin("request", 3, 15 * kUs);
  tl.async_end("request", 3, 25 * kUs);
  // Request 4: after the window.
  tl.async_begin("request", 4, 21 * kUs);
  tl.async_end("request", 4, 22 * kUs);

  const json doc = parse(tl);
  std::vector<std::string> seq;
  for (const json& e : events(doc)) {
    std::ostringstream s;
    s << e.at("ph").get<std::string>() << ":" << e.at("name").get<std::string>() << ":"
      << e.at("id").get<std::string>() << "@" << e.at("ts").get<double>();
    seq.push_back(s.str());
  }
  EXPECT_EQ(seq, (std::vector<std::string>{
                     "b:request:0x2@10", "b:queued:0x2@10", "e:queued:0x2@12", "b:dma:0x2@13",
                     "e:dma:0x2@14", "b:request:0x3@15", "e:request:0x2@18",
                     "e:request:0x3@20"}));
  EXPECT_EQ(tl.counts().dropped_window, 4u);  // request 1 (2) + request 4 (2)
  EXPECT_EQ(tl.counts().requests_admitted, 2u);  // requests 1 and 4 took no slot
}

TEST(traces_timeline, RequestLimitKeepsFirstNDistinctRequests) {
  TimelineOptions o;
  o.max_requests = 2;
  o.window_begin = 10;
  Timeline tl(o);
  const TrackId t = tl.track("AES1", "core");
  tl.span(t, "early", 0, 5, 99);  // outside the window: does not take a slot
  for (std::uint64_t r : {7u, 3u, 9u, 7u, 3u, 9u}) {
    tl.span(t, "block", 100 * r, 100 * r + 10, r);
  }
  tl.async_begin("request", 9, 50);  // refused: no state kept
  tl.async_end("request", 9, 60);
  tl.async_begin("request", 3, 50);
  tl.instant(t, "no request", 55);  // before the admitted requests finished: kept
  tl.async_end("request", 3, 60);   // both admitted requests are done: the timeline ends at 60
  tl.span(t, "no request span", 58, 90);  // clipped to [58, 60)
  tl.span(t, "after the end", 80, 90);    // dropped

  const json doc = parse(tl);
  std::multiset<std::uint64_t> requests;
  std::size_t without = 0;
  for (const json& e : events(doc)) {
    if (e.contains("args") && e.at("args").contains("request")) {
      requests.insert(e.at("args").at("request").get<std::uint64_t>());
    } else if (e.at("ph") != "e") {
      ++without;
    }
  }
  // 4 spans, and the "b" and "e" of request 3.
  EXPECT_EQ(requests, (std::multiset<std::uint64_t>{3, 3, 3, 3, 7, 7}));
  EXPECT_EQ(without, 2u);
  EXPECT_EQ(tl.counts().dropped_request_limit, 5u);  // two spans, async b and e of 9, "after"
  EXPECT_EQ(tl.counts().request_limit_end, 60u);
  EXPECT_EQ(events_named(doc, "no request span").at(0).at("dur"), 0.000002);
  EXPECT_EQ(tl.counts().requests_admitted, 2u);
  EXPECT_EQ(doc.at("otherData").at("max_requests"), 2);
}

// With a request limit, every event class ends when the admitted requests have finished:
// spans and instants without a request id, counters, and other requests' phases.
TEST(traces_timeline, RequestLimitEndsEveryEventClass) {
  TimelineOptions o;
  o.max_requests = 2;
  Timeline tl(o);
  const TrackId cpu = tl.track("CPU0", "hardirq");
  const CounterId q = tl.counter_track("engine", "queue");
  tl.async_begin("request", 1, 10 * kUs);
  tl.async_begin("request", 2, 15 * kUs);
  tl.async_begin("request", 3, 16 * kUs);  // refused (limit full)
  tl.span(cpu, "early", 5 * kUs, 8 * kUs);
  tl.counter(q, 12 * kUs, 2);
  tl.async_end("request", 1, 20 * kUs);
  EXPECT_EQ(tl.counts().request_limit_end, kTimeMax);  // request 2 still open
  tl.async_end("request", 2, 30 * kUs);
  EXPECT_EQ(tl.counts().request_limit_end, 30 * kUs);
  tl.span(cpu, "crossing", 28 * kUs, 35 * kUs);   // clipped to [28, 30) us
  tl.span(cpu, "after", 31 * kUs, 40 * kUs);      // dropped
  tl.instant(cpu, "at the end", 30 * kUs);        // dropped
  tl.instant(cpu, "before", 29 * kUs);            // kept
  tl.counter(q, 29 * kUs, 1);                     // kept
  tl.counter(q, 31 * kUs, 0);                     // dropped
  tl.async_end("request", 3, 40 * kUs);           // refused request: dropped
  const json doc = parse(tl);
  std::vector<std::string> names;
  for (const json& e : events(doc)) names.push_back(e.at("name"));
  EXPECT_EQ(names, (std::vector<std::string>{"early", "request", "queue", "request", "request",
                                             "crossing", "before", "queue", "request"}));
  const json crossing = events_named(doc, "crossing").at(0);
  EXPECT_EQ(crossing.at("dur"), 2);
  EXPECT_EQ(crossing.at("args").at("clipped"), 1);
  EXPECT_EQ(tl.counts().dropped_request_limit, 5u);  // b and e of 3, "after", instant, counter
  EXPECT_EQ(doc.at("otherData").at("request_limit_end_ps"), 30 * kUs);
  const std::string dropped = doc.at("otherData").at("dropped");
  EXPECT_NE(dropped.find("5 events beyond the first 2 requests dropped"), std::string::npos) << dropped;
  EXPECT_NE(dropped.find("ends at 30 us"), std::string::npos) << dropped;
  EXPECT_EQ(dropped.find("WARNING"), std::string::npos) << dropped;
}

// Processes registered ahead fix the display order (pids in registration order).
TEST(traces_timeline, ProcessOrderFollowsRegistration) {
  Timeline tl;
  tl.process("CPU0");
  tl.process("CPU1");
  const TrackId one = tl.track("CPU1", "hardirq");
  const TrackId zero = tl.track("CPU0", "hardirq");
  tl.span(one, "x", 0, 1);
  tl.span(zero, "x", 0, 1);
  const json doc = parse(tl);
  EXPECT_EQ(meta_name(doc, "process_name", 1), "CPU0");
  EXPECT_EQ(meta_name(doc, "process_name", 2), "CPU1");
}

TEST(traces_timeline, EventCapStopsRecordingButKeepsAsyncBalanced) {
  TimelineOptions o;
  o.max_events = 3;
  Timeline tl(o);
  const TrackId t = tl.track("engine", "queue");
  tl.async_begin("request", 1, 0);
  tl.span(t, "a", 1, 2);
  tl.span(t, "b", 2, 3);
  tl.span(t, "c", 3, 4);            // over the cap
  tl.async_begin("inner", 1, 5);    // over the cap
  tl.async_end("inner", 1, 6);      // its begin was dropped: dropped too
  tl.async_end("request", 1, 7);    // begin stored: end stored beyond the cap
  EXPECT_EQ(tl.event_count(), 4u);
  EXPECT_EQ(tl.counts().dropped_cap, 3u);
  // Said in the file (and by drop_summary, which the run summary prints).
  const json doc = parse(tl);
  EXPECT_EQ(doc.at("otherData").at("dropped"),
            "WARNING: the event cap (3 events) dropped 3 events: the timeline has gaps; record "
            "fewer requests or a window");
  EXPECT_EQ(tl.drop_summary(), doc.at("otherData").at("dropped"));
  const std::vector<json> ev = events(doc);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev.back().at("ph"), "e");
  EXPECT_EQ(ev.back().at("name"), "request");
}

TEST(traces_timeline, OpenPhasesAreClosedAtWriteAndImplicitEndsMarked) {
  Timeline tl;
  const TrackId t = tl.track("AES1", "core");
  tl.async_begin("request", 5, 1 * kUs);
  tl.async_begin("dma", 5, 2 * kUs);
  tl.async_end("request", 5, 4 * kUs);  // closes "dma" implicitly, then "request"
  tl.async_begin("request", 6, 5 * kUs);
  tl.span(t, "last", 6 * kUs, 8 * kUs);
  const std::vector<json> ev = events(parse(tl));
  ASSERT_EQ(ev.size(), 7u);
  EXPECT_EQ(ev[2].at("name"), "dma");
  EXPECT_EQ(ev[2].at("ph"), "e");
  EXPECT_EQ(ev[2].at("args").at("unterminated"), 1);
  EXPECT_EQ(ev[3].at("name"), "request");
  EXPECT_FALSE(ev[3].contains("args") && ev[3].at("args").contains("unterminated"));
  const json& last = ev.back();
  EXPECT_EQ(last.at("ph"), "e");
  EXPECT_EQ(last.at("id"), "0x6");
  EXPECT_DOUBLE_EQ(last.at("ts").get<double>(), 8.0);  // last recorded time
  EXPECT_EQ(last.at("args").at("unterminated"), 1);
  EXPECT_EQ(tl.counts().unmatched_async_end, 0u);
  tl.async_end("nope", 6, 9 * kUs);
  tl.async_end("request", 77, 9 * kUs);
  EXPECT_EQ(tl.counts().unmatched_async_end, 2u);
}

TEST(traces_timeline, InvalidInputIsCountedNotRecorded) {
  Timeline tl;
  const TrackId t = tl.track("p", "t");
  tl.span(t, "backwards", 10, 5);
  tl.span(TrackId{}, "no track", 1, 2);
  tl.span(TrackId{99}, "bad track", 1, 2);
  tl.counter("c", 1, std::numeric_limits<double>::quiet_NaN());
  tl.async_begin("r", kNoRequest, 1);
  EXPECT_EQ(tl.event_count(), 0u);
  EXPECT_EQ(tl.counts().dropped_invalid, 5u);
}

TEST(traces_timeline, NamesAreEscaped) {
  Timeline tl;
  const TrackId t = tl.track("proc \"x\"", "thr\\y\n");
  tl.span(t, "odd\tname\x02", 0, 1);
  const json doc = parse(tl);
  EXPECT_EQ(events(doc).at(0).at("name"), "odd\tname\x02");
  EXPECT_EQ(meta_name(doc, "process_name", 1), "proc \"x\"");
}

void record_sequence(Timeline& tl) {
  const TrackId cpu = tl.track("CPU0", "hardirq");
  const TrackId dma0 = tl.track("sDMA", "ch0");
  const TrackId dma1 = tl.track("sDMA", "ch1");
  const CounterId depth = tl.counter_track("engine", "depth");
  for (std::uint64_t r = 0; r < 50; ++r) {
    const Time base = r * 3 * kUs + r;  // odd picoseconds too
    tl.async_begin("request", r, base);
    tl.counter(depth, base, static_cast<double>(r % 4) / 3.0);
    tl.span(dma0, "in", base + 10, base + kUs, r);
    tl.span(dma1, "out", base + 20, base + kUs + 7, r);
    tl.instant(cpu, "irq", base + kUs + 9, r);
    tl.async_end("request", r, base + 2 * kUs);
  }
}

TEST(traces_timeline, SameInputSameBytes) {
  TimelineOptions o;
  o.window_begin = 5 * kUs;
  o.max_requests = 30;
  Timeline a(o);
  Timeline b(o);
  record_sequence(a);
  record_sequence(b);
  WriteOptions w;
  EXPECT_EQ(to_string(a, w), to_string(b, w));
  w.wall_clock_stamp = true;
  w.normalise = true;
  const std::string sa = to_string(a, w);
  EXPECT_EQ(sa, to_string(b, w));
  EXPECT_EQ(json::parse(sa).at("otherData").at("generated_at"), "1970-01-01T00:00:00Z");
  w.normalise = false;
  EXPECT_NE(json::parse(to_string(a, w)).at("otherData").at("generated_at"),
            "1970-01-01T00:00:00Z");
  EXPECT_EQ(json::parse(to_string(a)).at("otherData").contains("generated_at"), false);

  // Every async begin has an end with the same id and name, in order.
  std::map<std::string, int> open;
  for (const json& e : events(json::parse(sa))) {
    const std::string ph = e.at("ph");
    if (ph == "b") ++open[e.at("id").get<std::string>()];
    if (ph == "e") {
      ASSERT_GT(open[e.at("id").get<std::string>()], 0);
      --open[e.at("id").get<std::string>()];
    }
  }
  for (const auto& [id, n] : open) EXPECT_EQ(n, 0) << id;
}

TEST(traces_timeline, LargeOutputAndLongNamesStayValid) {
  Timeline tl;
  const TrackId t = tl.track("AES1", "core");
  const std::string long_name(100000, 'n');  // longer than the writer's buffer
  tl.span(t, long_name, 0, 1);
  for (std::uint64_t i = 0; i < 20000; ++i) {
    tl.span(t, "block " + std::to_string(i % 97), 10 + i * 100, 10 + i * 100 + 50, i);
  }
  const json doc = parse(tl);
  const std::vector<json> ev = events(doc);
  ASSERT_EQ(ev.size(), 20001u);
  EXPECT_EQ(ev.front().at("name").get<std::string>().size(), long_name.size());
  EXPECT_EQ(ev.back().at("args").at("request"), 19999);
  EXPECT_EQ(tl.counts().recorded, 20001u);
}

TEST(traces_timeline, RequestLimitWithPhasesOpenedBeforeTheWindow) {
  TimelineOptions o;
  o.window_begin = 100;
  o.max_requests = 1;
  Timeline tl(o);
  tl.async_begin("request", 1, 10);  // pending (before the window)
  tl.async_begin("request", 2, 20);  // pending too: no slot taken yet
  tl.async_end("request", 2, 150);   // request 2 reaches the window first: admitted
  tl.async_end("request", 1, 160);   // request 1 is refused now
  const std::vector<json> ev = events(parse(tl));
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].at("id"), "0x2");
  EXPECT_EQ(ev[0].at("ts"), 0.0001);  // window begin, 100 ps
  EXPECT_EQ(ev[1].at("id"), "0x2");
  EXPECT_EQ(tl.counts().requests_admitted, 1u);
  EXPECT_EQ(tl.counts().dropped_request_limit, 2u);  // begin and end of request 1
}

TEST(traces_timeline, ClearKeepsTracks) {
  Timeline tl;
  const TrackId t = tl.track("AES1", "core");
  tl.span(t, "x", 0, 1, 3);
  tl.clear();
  EXPECT_EQ(tl.event_count(), 0u);
  EXPECT_EQ(tl.counts().recorded, 0u);
  tl.span(t, "y", 0, 1);
  EXPECT_EQ(events(parse(tl)).at(0).at("name"), "y");
}

TEST(traces_timeline, DisabledRecordsNothingAndAllocatesNothing) {
  TimelineOptions o;
  o.enabled = false;
  Timeline tl(o);
  EXPECT_FALSE(tl.enabled());
  const std::uint64_t before = allocation_count();
  const TrackId t = tl.track("CPU0", "hardirq");
  const CounterId c = tl.counter_track("engine", "depth");
  const NameId n = tl.name("span");
  for (std::uint64_t i = 0; i < 1000; ++i) {
    tl.span(t, n, i, i + 1, i);
    tl.span(t, "by text", i, i + 1);
    tl.instant(t, n, i);
    tl.counter(c, i, 1.0);
    tl.counter("depth", i, 1.0);
    tl.async_begin(n, i, i);
    tl.async_end(n, i, i + 1);
    tl.async_instant("x", i, i);
  }
  EXPECT_EQ(allocation_count(), before);
  EXPECT_EQ(t, TrackId{});
  EXPECT_EQ(tl.event_count(), 0u);
  EXPECT_EQ(tl.counts().recorded, 0u);
  const json doc = parse(tl);
  EXPECT_TRUE(events(doc).empty());

  Timeline* off = nullptr;
  EXPECT_FALSE(tracing(off));
  EXPECT_FALSE(tracing(&tl));
}

TEST(traces_timeline, EnabledRecordingWithInternedNamesDoesNotAllocatePerEvent) {
  TimelineOptions o;
  o.max_events = 1 << 16;
  Timeline tl(o);
  const TrackId t = tl.track("AES1", "core");
  const NameId n = tl.name("block");
  tl.span(t, n, 0, 1, 0);  // first event: vector growth, admitted set
  // Growth of the event vector is amortised; per-event cost is bounded by the doublings.
  const std::uint64_t before = allocation_count();
  for (std::uint64_t i = 1; i < 10000; ++i) tl.span(t, n, i, i + 1);
  EXPECT_LE(allocation_count() - before, 16u);
  EXPECT_EQ(tl.event_count(), 10000u);
}

}  // namespace
}  // namespace aesvp::traces
