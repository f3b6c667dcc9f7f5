#include "models/core/level_signal.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace aesvp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

// What a process saw of the wire: value, event(), posedge(), negedge().
struct Seen {
  bool value, event, pos, neg;
};

// The writer raises the line at 10 ns, lowers it at 20 ns (sampling right after, as a DMA
// does after the servicing transaction), raises it at 30 ns, and at 40 ns writes high, low,
// high in one delta (a pulse that an sc_signal would not show at all).
// Readers record what event()/posedge()/negedge() say in each delta: the writer's own delta,
// the processes woken by the edge events (the next delta), one delta later, and a timed
// process at the next time step.
struct Bench : sc_core::sc_module {
  LevelSignal line{"line"};
  sc_core::sc_in<bool> in{"in"};
  std::vector<Seen> at_posedge, at_negedge, at_change, writer_delta, delta_after_next, next_time;
  bool sampled_after_lower = true;
  std::vector<std::pair<bool, sc_time>> observed;
  SC_HAS_PROCESS(Bench);
  explicit Bench(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    in.bind(line);
    SC_THREAD(writer);
    SC_METHOD(on_posedge);
    sensitive << in.pos();
    dont_initialize();
    SC_METHOD(on_negedge);
    sensitive << in.neg();
    dont_initialize();
    SC_METHOD(on_change);
    sensitive << in;
    dont_initialize();
    SC_THREAD(later_delta);
    line.add_change_observer([this](bool v, const sc_time& t) { observed.emplace_back(v, t); });
  }
  Seen seen() const { return {in.read(), in.event(), line.posedge(), line.negedge()}; }
  void writer() {
    wait(sc_time(10, SC_NS));
    line.write(true);
    writer_delta.push_back(seen());
    wait(sc_time(10, SC_NS));
    line.write_at(false, sc_time(25, SC_NS));
    sampled_after_lower = in.read();
    wait(sc_time(10, SC_NS));
    line.write(true);
    wait(sc_time(10, SC_NS));
    line.write(false);
    line.write(true);
  }
  // Two deltas after the 10 ns write, and at the next time step (15 ns).
  void later_delta() {
    wait(sc_time(10, SC_NS));
    wait(SC_ZERO_TIME);
    wait(SC_ZERO_TIME);
    delta_after_next.push_back(seen());
    wait(sc_time(5, SC_NS));
    next_time.push_back(seen());
  }
  void on_posedge() { at_posedge.push_back(seen()); }
  void on_negedge() { at_negedge.push_back(seen()); }
  void on_change() { at_change.push_back(seen()); }
};

TEST(LevelSignal, ValueAtOnceEventsAndEventFlagsInTheNextDelta) {
  Bench b("b");
  sc_core::sc_start(sc_time(100, SC_NS));

  // The value is visible at once: a sample right after lowering sees it low.
  EXPECT_FALSE(b.sampled_after_lower);
  // The writer's own delta: no event yet (as sc_signal: the event is the next delta's).
  ASSERT_EQ(b.writer_delta.size(), 1u);
  EXPECT_TRUE(b.writer_delta[0].value);
  EXPECT_FALSE(b.writer_delta[0].event);
  EXPECT_FALSE(b.writer_delta[0].pos);

  // Woken by posedge_event (10 ns, 30 ns, 40 ns): event() and posedge() are true.
  ASSERT_EQ(b.at_posedge.size(), 3u);
  for (const Seen& s : b.at_posedge) {
    EXPECT_TRUE(s.event);
    EXPECT_TRUE(s.pos);
  }
  EXPECT_TRUE(b.at_posedge[0].value);
  EXPECT_FALSE(b.at_posedge[0].neg);
  // Woken by negedge_event (20 ns; 40 ns, the pulse): negedge() true. At 40 ns the line is
  // high again and both edges happened in the write delta, so posedge() is true as well.
  ASSERT_EQ(b.at_negedge.size(), 2u);
  EXPECT_FALSE(b.at_negedge[0].value);
  EXPECT_TRUE(b.at_negedge[0].event);
  EXPECT_TRUE(b.at_negedge[0].neg);
  EXPECT_FALSE(b.at_negedge[0].pos);
  EXPECT_TRUE(b.at_negedge[1].neg);
  EXPECT_TRUE(b.at_negedge[1].pos);
  // Woken by the value-changed event: once per time step with a change.
  ASSERT_EQ(b.at_change.size(), 4u);
  for (const Seen& s : b.at_change) EXPECT_TRUE(s.event);

  // One delta later, and at the next time step: no event.
  ASSERT_EQ(b.delta_after_next.size(), 1u);
  EXPECT_FALSE(b.delta_after_next[0].event);
  EXPECT_FALSE(b.delta_after_next[0].pos);
  ASSERT_EQ(b.next_time.size(), 1u);
  EXPECT_TRUE(b.next_time[0].value);
  EXPECT_FALSE(b.next_time[0].event);
  EXPECT_FALSE(b.next_time[0].pos);

  EXPECT_EQ(b.line.edges(), 5u);
  EXPECT_TRUE(b.in.read());
  // The observer sees each change with its time; write_at gives the annotated one.
  ASSERT_EQ(b.observed.size(), 5u);
  EXPECT_EQ(b.observed[0], std::make_pair(true, sc_time(10, SC_NS)));
  EXPECT_EQ(b.observed[1], std::make_pair(false, sc_time(25, SC_NS)));
  EXPECT_EQ(b.observed[2], std::make_pair(true, sc_time(30, SC_NS)));
  EXPECT_EQ(b.observed[3], std::make_pair(false, sc_time(40, SC_NS)));
  EXPECT_EQ(b.observed[4], std::make_pair(true, sc_time(40, SC_NS)));
}

// A write from outside the simulation (here between sc_start calls): its events fire in the
// first delta of the next sc_start, and event()/posedge() are true there.
struct OutsideBench : sc_core::sc_module {
  LevelSignal line{"line"};
  std::vector<Seen> at_posedge;
  SC_HAS_PROCESS(OutsideBench);
  explicit OutsideBench(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    SC_METHOD(on_posedge);
    sensitive << line.posedge_event();
    dont_initialize();
  }
  void on_posedge() { at_posedge.push_back({line.read(), line.event(), line.posedge(), line.negedge()}); }
};

TEST(LevelSignal, WriteBetweenStartsFiresInTheNextRun) {
  OutsideBench b("b");
  sc_core::sc_start(sc_time(10, SC_NS));
  b.line.write(true);
  EXPECT_FALSE(b.line.event());  // not yet: the events belong to the next delta
  sc_core::sc_start(sc_time(10, SC_NS));
  ASSERT_EQ(b.at_posedge.size(), 1u);
  EXPECT_TRUE(b.at_posedge[0].value);
  EXPECT_TRUE(b.at_posedge[0].event);
  EXPECT_TRUE(b.at_posedge[0].pos);
  EXPECT_FALSE(b.line.event());  // at 20 ns, long after
}

// Announced rises (schedule_rise), driven from outside the simulation between sc_start calls:
// the wire's logic only, no process involved.
struct Announced {
  std::vector<bool> edges;                          // what the edge listener was told
  std::vector<std::pair<bool, sc_time>> rises;      // what the rise listener was told
  bool accept = true;                               // the rise listener's answer
  void listen(LevelSignal& line) {
    line.add_edge_listener([this](bool v) { edges.push_back(v); },
                           [this](bool announced, const sc_time& at) {
                             rises.emplace_back(announced, at);
                             return accept;
                           });
  }
};

// A wire with a listener that takes announcements, at 5 ns, with a rise announced for 20 ns.
class AnnouncedRise : public ::testing::Test {
 protected:
  void SetUp() override {
    a.listen(line);
    sc_core::sc_start(sc_time(5, SC_NS));
    ASSERT_TRUE(line.schedule_rise(sc_time(20, SC_NS)));
  }
  LevelSignal line{"line"};
  Announced a;
};

TEST_F(AnnouncedRise, ReadsHighFromItsTimeWithoutAnEdgeCall) {
  ASSERT_EQ(a.rises.size(), 1u);
  EXPECT_TRUE(a.rises[0].first);
  EXPECT_EQ(a.rises[0].second, sc_time(20, SC_NS));
  EXPECT_TRUE(line.schedule_rise(sc_time(20, SC_NS)));  // the same again: kept, nobody told
  EXPECT_EQ(a.rises.size(), 1u);
  sc_time at;
  EXPECT_TRUE(line.rise_announced(at));
  EXPECT_EQ(at, sc_time(20, SC_NS));
  sc_core::sc_start(sc_time(14, SC_NS));  // 19 ns: before
  EXPECT_FALSE(line.read());
  EXPECT_EQ(line.edges(), 0u);
  sc_core::sc_start(sc_time(1, SC_NS));  // 20 ns: at
  EXPECT_TRUE(line.read());
  EXPECT_EQ(line.edges(), 1u);
  EXPECT_FALSE(line.rise_announced(at));
  sc_core::sc_start(sc_time(10, SC_NS));  // 30 ns: after, then lowered by a write
  EXPECT_TRUE(line.read());
  EXPECT_TRUE(a.edges.empty());  // the listener knew of the rise in advance
  line.write(false);
  ASSERT_EQ(a.edges.size(), 1u);
  EXPECT_FALSE(a.edges[0]);
  EXPECT_EQ(line.edges(), 2u);
}

TEST_F(AnnouncedRise, WithdrawnByCancelOrAnEarlierWrite) {
  ASSERT_TRUE(line.schedule_rise(sc_time(15, SC_NS)));  // another time: replaces it
  ASSERT_EQ(a.rises.size(), 3u);
  EXPECT_FALSE(a.rises[1].first);
  EXPECT_EQ(a.rises[1].second, sc_time(20, SC_NS));
  EXPECT_EQ(a.rises[2].second, sc_time(15, SC_NS));
  line.cancel_rise();
  ASSERT_EQ(a.rises.size(), 4u);
  EXPECT_FALSE(a.rises[3].first);
  sc_core::sc_start(sc_time(20, SC_NS));  // 25 ns
  EXPECT_FALSE(line.read());
  EXPECT_EQ(line.edges(), 0u);
  // A write before the announced time withdraws it; the write's own edge is an edge call.
  ASSERT_TRUE(line.schedule_rise(sc_time(40, SC_NS)));
  line.write(true);
  ASSERT_EQ(a.rises.size(), 6u);
  EXPECT_FALSE(a.rises[5].first);
  ASSERT_EQ(a.edges.size(), 1u);
  EXPECT_TRUE(a.edges[0]);
  sc_core::sc_start(sc_time(20, SC_NS));  // 45 ns: past the withdrawn time, no second edge
  EXPECT_TRUE(line.read());
  EXPECT_EQ(line.edges(), 1u);
}

TEST(LevelSignal, AnnouncedRiseRefusedWhereItCannotBeHonoured) {
  LevelSignal plain("plain"), waited("waited"), observed("observed"), deaf("deaf"), refusing("refusing"),
      high("high", true);
  (void)waited.posedge_event();  // a process could wait on it
  observed.add_change_observer([](bool, const sc_time&) {});
  deaf.add_edge_listener([](bool) {});  // takes no announcements
  Announced a;
  a.accept = false;
  a.listen(refusing);
  sc_core::sc_start(sc_time(5, SC_NS));
  const sc_time t(20, SC_NS);
  EXPECT_TRUE(plain.takes_announcements());
  EXPECT_FALSE(waited.schedule_rise(t));
  EXPECT_FALSE(waited.takes_announcements());
  EXPECT_FALSE(observed.schedule_rise(t));
  EXPECT_FALSE(deaf.schedule_rise(t));
  EXPECT_FALSE(refusing.schedule_rise(t));
  EXPECT_EQ(a.rises.size(), 1u);  // asked, refused
  EXPECT_TRUE(refusing.takes_announcements());
  EXPECT_FALSE(high.schedule_rise(t));                      // already high
  EXPECT_FALSE(plain.schedule_rise(sc_time(5, SC_NS)));     // not ahead
  sc_core::sc_start(sc_time(20, SC_NS));
  for (LevelSignal* l : {&waited, &observed, &deaf, &refusing, &plain}) EXPECT_FALSE(l->read()) << l->name();
}

// LineLevels over three lines: two LevelSignals (followed by edge listeners, one high from
// the start) and an sc_signal (read when asked). Driven between sc_start calls.
struct LinesBench : sc_core::sc_module {
  LevelSignal a{"a"}, b{"b", true};
  sc_core::sc_signal<bool> c{"c"};
  sc_core::sc_vector<sc_core::sc_in<bool>> in{"in", 4};  // in[0] stays out of the group
  LineLevels levels;
  explicit LinesBench(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    in[0].bind(c);
    in[1].bind(a);
    in[2].bind(b);
    in[3].bind(c);
  }
  void end_of_elaboration() override { levels.follow(in, 1, 3); }
};

TEST(LineLevels, FollowsLevelSignalsAndReadsOtherLines) {
  LinesBench x("x");
  sc_core::sc_start(sc_time(1, SC_NS));
  EXPECT_EQ(x.levels.levels(), 0b010u);  // b high from the start
  x.a.write(true);
  x.b.write(false);
  EXPECT_EQ(x.levels.levels(), 0b001u);  // at once, in the writer's delta
  x.c.write(true);
  sc_core::sc_start(sc_time(1, SC_NS));  // the sc_signal changes at its update
  EXPECT_EQ(x.levels.levels(), 0b101u);
  x.a.write(false);
  x.a.write(true);
  x.a.write(false);
  EXPECT_EQ(x.levels.levels(), 0b100u);
}

}  // namespace
}  // namespace aesvp
