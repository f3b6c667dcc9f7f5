#include "models/bus/interconnect.h"
#include "models/core/level_signal.h"
#include "models/core/register_bank.h"
#include "models/core/report.h"
#include "models/core/target_socket.h"
#include "models/cpu/cpu.h"
#include "models/intc/gic.h"
#include "models/intc/gic_regs.h"
#include "models/memory/memory.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aesvp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;

sc_time ns(double v) { return sc_time(v, SC_NS); }
sc_time us(double v) { return sc_time(v, SC_US); }

constexpr std::uint64_t kDramBase = 0x80000000;
constexpr std::uint64_t kGicDist = 0x48241000;
constexpr std::uint64_t kGicCpu = 0x48250000;  // two 0x100 windows (bench address)
constexpr unsigned kSpi = 10;

// Runs `body` as a SystemC thread (the software of one context).
void spawn(const std::string& name, std::function<void()> body) {
  sc_core::sc_spawn(std::move(body), name.c_str());
}

// CPU + interconnect + DRAM + GIC; the CPU's IRQ inputs come from the GIC unless `direct`
// (then from `lines`, driven by the test).
struct Bench : sc_core::sc_module {
  CpuParams cpu_params;
  Cpu cpu;
  Interconnect bus{"bus", ns(5)};
  Memory dram;
  IntcParams intc_params;
  Gic gic;
  LevelSignal device_line{"device_line"};
  std::vector<std::unique_ptr<LevelSignal>> lines;

  static DramParams small() {
    DramParams p;
    p.size_mib = 1;
    return p;
  }
  Bench(sc_core::sc_module_name n, TimingMode mode, bool direct, const CpuParams& cp = {})
      : sc_core::sc_module(n),
        cpu_params(cp),
        cpu("cpu", cpu_params, mode),
        dram("dram", small()),
        gic("gic", intc_params, cpu_params.cores) {
    cpu.bus.bind(bus.from_initiators);
    bus.attach(dram.socket, kDramBase, 1 << 20, "dram");
    bus.attach(gic.dist, kGicDist, 0x1000, "gic_dist");
    bus.attach(gic.cpu_if, kGicCpu, 0x100 * cpu_params.cores, "gic_cpu");
    gic.spi[kSpi].bind(device_line);
    for (unsigned c = 0; c < cpu_params.cores; ++c) {
      lines.push_back(std::make_unique<LevelSignal>(("irq" + std::to_string(c)).c_str()));
      gic.irq[c].bind(*lines.back());
      if (direct) {
        auto& own = *new LevelSignal(("direct_irq" + std::to_string(c)).c_str());
        direct_lines.push_back(&own);
        cpu.irq[c].bind(own);
      } else {
        cpu.irq[c].bind(*lines.back());
      }
    }
  }
  ~Bench() override {
    for (LevelSignal* l : direct_lines) delete l;
  }
  std::vector<LevelSignal*> direct_lines;  // the test drives these when `direct`
};

// A device process that drives direct IRQ line `n` high at `from` for `width`.
void pulse_line(Bench& b, unsigned n, sc_time from, sc_time width) {
  spawn("device", [&b, n, from, width] {
    sc_core::wait(from);
    b.direct_lines[n]->write(true);
    sc_core::wait(width);
    b.direct_lines[n]->write(false);
  });
}

// sc_start(t) stops before the events due at its end time: zero-time steps run them.
void run_to(const sc_time& t) {
  if (t > sc_core::sc_time_stamp()) sc_core::sc_start(t - sc_core::sc_time_stamp());
  while (sc_core::sc_pending_activity_at_current_time()) sc_core::sc_start(SC_ZERO_TIME);
}

sc_time busy(const Cpu& cpu, unsigned core, ContextClass c) { return cpu.busy_time(core, c); }

// A run segment as the tests compare them: "<context> <start> <end>".
std::string segment(const std::string& who, const sc_time& start, const sc_time& end) {
  return who + " " + start.to_string() + " " + end.to_string();
}

// Records every run segment the CPU reports, in order.
void record_segments(Cpu& cpu, std::vector<std::string>& segments) {
  cpu.set_run_observer([&segments](const ExecContext& c, const sc_time& start, const sc_time& end) {
    segments.push_back(segment(c.name(), start, end));
  });
}

// A Thread charging 10 us is preempted by a softirq at 2 us (3 us of work) and a hard IRQ
// at 3 us (1 us in all): hard IRQ 3..4, softirq 2..3 + 4..6, thread 0..2 + 6..14.
void preemption_scenario(TimingMode mode) {
  CpuParams cp;
  cp.quantum_ns = 1000;
  Bench b("b", mode, true, cp);
  ExecContext& thread = b.cpu.create_context("worker", ContextClass::Thread, 0);
  ExecContext& soft = b.cpu.create_context("tasklet", ContextClass::SoftIrq, 0);
  sc_time thread_done, soft_done;
  std::vector<sc_time> handler_at;
  // Run segments, back-to-back segments of one context merged (accurate mode has one per
  // charge).
  struct Segment {
    std::string who;
    sc_time start, end;
  };
  std::vector<Segment> runs;
  b.cpu.set_run_observer([&](const ExecContext& c, const sc_time& start, const sc_time& end) {
    if (!runs.empty() && runs.back().who == c.name() && runs.back().end == start) {
      runs.back().end = end;
    } else {
      runs.push_back({c.name(), start, end});
    }
  });
  // Hard IRQ: entry 300 + handler 550 + exit 150 cycles = 1 us at 1 GHz.
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned core) {
    EXPECT_EQ(core, 0u);
    EXPECT_EQ(&ctx, &b.cpu.hardirq_context(0));
    handler_at.push_back(ctx.current_time());
    b.direct_lines[0]->write(false);  // the "device" is serviced
    ctx.charge(ns(550));
  });
  spawn("thread", [&] {
    thread.charge(us(10));
    thread.sync();
    thread_done = sc_core::sc_time_stamp();
  });
  spawn("soft", [&] {
    sc_core::wait(us(2));
    soft.charge(us(3));
    soft.sync();
    soft_done = sc_core::sc_time_stamp();
  });
  spawn("device", [&] {
    sc_core::wait(us(3));
    b.direct_lines[0]->write(true);
  });
  run_to(us(20));
  std::vector<std::string> segments;
  for (const Segment& r : runs)
    segments.push_back(segment(r.who, r.start, r.end));
  // In fast mode each charge here reaches the quantum, so the schedule is the same.
  const std::vector<std::string> expected = {
      "worker 0 s 2 us", "tasklet 2 us 3 us", "core0.hardirq 3 us 4 us", "tasklet 4 us 6 us",
      "worker 6 us 14 us"};
  EXPECT_EQ(segments, expected);
  ASSERT_EQ(handler_at.size(), 1u);
  EXPECT_EQ(handler_at[0], us(3) + ns(300));
  EXPECT_EQ(soft_done, us(6));
  EXPECT_EQ(thread_done, us(14));
  EXPECT_EQ(thread.preemptions(), 1u);
  EXPECT_EQ(soft.preemptions(), 1u);
  // Time charged where it belongs, exactly.
  EXPECT_EQ(thread.busy_time(), us(10));
  EXPECT_EQ(soft.busy_time(), us(3));
  EXPECT_EQ(b.cpu.hardirq_context(0).busy_time(), us(1));
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::Thread), us(10));
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::SoftIrq), us(3));
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::HardIrq), us(1));
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::RtThread), SC_ZERO_TIME);
  EXPECT_EQ(b.cpu.busy_time(1), SC_ZERO_TIME);
  EXPECT_EQ(b.cpu.idle_time(0), us(6));
  EXPECT_EQ(b.cpu.irqs_taken(0), 1u);
  EXPECT_EQ(b.cpu.context_switches(0), 0u);  // one thread only: no switch
}

TEST(Cpu, HigherClassesPreemptInOrderAndTimeIsChargedWhereItBelongs) {
  preemption_scenario(TimingMode::Accurate);
}

TEST(Cpu, FastModeKeepsTheBusyTotals) { preemption_scenario(TimingMode::Fast); }

// Blocking after running ahead (ExecContext::leave): a softirq charges 3 us, then waits for an
// event that already fired; a hard IRQ (1 us) preempts its run at 1.5 us and a thread that
// wants the core from 1 us waits for it. In fast mode the softirq's run goes on without its
// thread (detached), which must not continue before that run is over; in accurate mode it is
// a plain synchronisation. Both give the same times.
void leave_scenario(TimingMode mode) {
  Bench b("b", mode, true);
  ExecContext& soft = b.cpu.create_context("tasklet", ContextClass::SoftIrq, 0);
  ExecContext& thread = b.cpu.create_context("worker", ContextClass::Thread, 0);
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned) {
    b.direct_lines[0]->write(false);
    ctx.charge(ns(550));  // entry 300 + 550 + exit 150 cycles = 1 us
  });
  sc_core::sc_event ev;
  bool ready = false;
  sc_time soft_goes_on, thread_done;
  spawn("soft", [&] {
    soft.charge(us(3));
    soft.wait_until([&] { return ready; }, ev);
    soft_goes_on = sc_core::sc_time_stamp() + soft.local_time();
  });
  spawn("signal", [&] {
    sc_core::wait(ns(500));
    ready = true;
    ev.notify();
  });
  spawn("thread", [&] {
    sc_core::wait(us(1));
    thread.charge(us(1));
    thread.sync();
    thread_done = sc_core::sc_time_stamp();
  });
  pulse_line(b, 0, ns(1500), ns(100));
  run_to(us(20));
  EXPECT_EQ(soft_goes_on, us(4));  // 3 us of its own + 1 us of hard IRQ
  EXPECT_EQ(thread_done, us(5));
  EXPECT_EQ(soft.busy_time(), us(3));
  EXPECT_EQ(thread.busy_time(), us(1));
  EXPECT_EQ(b.cpu.hardirq_context(0).busy_time(), us(1));
  EXPECT_EQ(b.cpu.busy_time(0), us(5));
  EXPECT_EQ(soft.preemptions(), 1u);
}

TEST(Cpu, BlockingAfterRunningAheadConsumesTheTimeFirst) { leave_scenario(TimingMode::Accurate); }
TEST(Cpu, FastModeDetachedRunIsPreemptedAndWaitedFor) { leave_scenario(TimingMode::Fast); }

TEST(Cpu, SameClassIsFirstComeFirstServedPerCharge) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& a = b.cpu.create_context("a", ContextClass::SoftIrq, 0);
  ExecContext& c1 = b.cpu.create_context("b", ContextClass::SoftIrq, 0);
  ExecContext& c2 = b.cpu.create_context("c", ContextClass::SoftIrq, 0);
  ExecContext& other_core = b.cpu.create_context("d", ContextClass::SoftIrq, 1);
  std::vector<std::pair<std::string, sc_time>> done;
  auto job = [&](ExecContext& ctx, sc_time start, sc_time len) {
    spawn("sw_" + ctx.name(), [&ctx, start, len, &done] {
      sc_core::wait(start);
      ctx.charge(len);
      done.emplace_back(ctx.name(), sc_core::sc_time_stamp());
    });
  };
  job(a, SC_ZERO_TIME, us(2));
  job(c2, us(1), us(1));      // arrives after b: served after it
  job(c1, ns(500), us(1));
  job(other_core, ns(500), us(1));  // another core: runs at once
  run_to(us(10));
  ASSERT_EQ(done.size(), 4u);
  EXPECT_EQ(done[0], std::make_pair(std::string("d"), us(1.5)));
  EXPECT_EQ(done[1], std::make_pair(std::string("a"), us(2)));
  EXPECT_EQ(done[2], std::make_pair(std::string("b"), us(3)));
  EXPECT_EQ(done[3], std::make_pair(std::string("c"), us(4)));
  EXPECT_EQ(b.cpu.preemptions(0), 0u);
  EXPECT_EQ(b.cpu.busy_time(0), us(4));
}

TEST(Cpu, ContextSwitchCostIsChargedToTheIncomingThread) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& t1 = b.cpu.create_context("t1", ContextClass::Thread, 0);
  ExecContext& t2 = b.cpu.create_context("t2", ContextClass::Thread, 0);
  ExecContext& rt = b.cpu.create_context("rt", ContextClass::RtThread, 0);
  const sc_time sw = us(2);  // 2000 cycles at 1 GHz
  sc_time t1_done, t2_done, rt_done, t1_again;
  spawn("t1", [&] {
    t1.charge(us(5));  // 0..5 (first thread on the core: no switch)
    t1_done = sc_core::sc_time_stamp();
    sc_core::wait(us(8));  // 13
    t1.charge(us(1));      // switch from t2: 13 + 2 + 1
    t1_again = sc_core::sc_time_stamp();
  });
  spawn("t2", [&] {
    sc_core::wait(us(1));
    t2.charge(us(5));  // waits for t1 (same class), then switch 2 + 5: 5..12
    t2_done = sc_core::sc_time_stamp();
  });
  spawn("rt", [&] {
    sc_core::wait(us(20));
    rt.charge(us(1));  // idle core, last thread t1: switch 2 + 1: 20..23
    rt_done = sc_core::sc_time_stamp();
  });
  run_to(us(30));
  EXPECT_EQ(t1_done, us(5));
  EXPECT_EQ(t2_done, us(12));
  EXPECT_EQ(t1_again, us(16));
  EXPECT_EQ(rt_done, us(23));
  EXPECT_EQ(t1.busy_time(), us(5) + sw + us(1));
  EXPECT_EQ(t2.busy_time(), sw + us(5));
  EXPECT_EQ(rt.busy_time(), sw + us(1));
  EXPECT_EQ(t1.switches_in(), 1u);
  EXPECT_EQ(t2.switches_in(), 1u);
  EXPECT_EQ(b.cpu.context_switches(0), 3u);
}

// Fast mode: a thread that starts running ahead after another thread held the core pays the
// switch before its first step, as in accurate mode, so that what it does in that stretch
// (here a notification at its current time) comes after the switch.
TEST(Cpu, FastModeThreadPaysTheSwitchBeforeItsFirstStep) {
  Bench b("b", TimingMode::Fast, true);
  ExecContext& t1 = b.cpu.create_context("t1", ContextClass::Thread, 0);
  ExecContext& t2 = b.cpu.create_context("t2", ContextClass::Thread, 0);
  const sc_time sw = us(2);  // 2000 cycles at 1 GHz
  sc_core::sc_event kick;
  sc_time notified_at, t1_again;
  spawn("t1", [&] {
    t1.charge(us(1));  // first thread on the core: no switch
    t1.sync();         // 0..1
    sc_core::wait(us(9));
    t1.charge(ns(100));  // t2 held the core since: switch first
    t1.sync();
    t1_again = sc_core::sc_time_stamp();
  });
  spawn("t2", [&] {
    sc_core::wait(us(3));
    t2.charge(ns(100));  // the core last ran t1
    t2.notify(kick);
    t2.sync();
  });
  spawn("waiter", [&] {
    sc_core::wait(kick);
    notified_at = sc_core::sc_time_stamp();
  });
  run_to(us(20));
  EXPECT_EQ(notified_at, us(3) + sw + ns(100));
  EXPECT_EQ(t1_again, us(10) + sw + ns(100));
  EXPECT_EQ(t2.busy_time(), sw + ns(100));
  EXPECT_EQ(t1.busy_time(), us(1) + sw + ns(100));
  EXPECT_EQ(t2.switches_in(), 1u);
  EXPECT_EQ(t1.switches_in(), 1u);
  EXPECT_EQ(b.cpu.context_switches(0), 2u);
}

TEST(Cpu, RtThreadPreemptsThreadAndBothPayTheSwitch) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  ExecContext& rt = b.cpu.create_context("rt", ContextClass::RtThread, 0);
  sc_time t_done, rt_done;
  spawn("t", [&] {
    t.charge(us(5));
    t_done = sc_core::sc_time_stamp();
  });
  spawn("rt", [&] {
    sc_core::wait(us(2));
    rt.charge(us(1));  // preempts at 2: switch 2 + 1 -> 5
    rt_done = sc_core::sc_time_stamp();
  });
  run_to(us(20));
  EXPECT_EQ(rt_done, us(5));
  EXPECT_EQ(t_done, us(10));  // 3 us left + switch back 2 us, from 5
  EXPECT_EQ(t.busy_time(), us(7));
  EXPECT_EQ(rt.busy_time(), us(3));
  EXPECT_EQ(t.preemptions(), 1u);
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::RtThread), us(3));
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::Thread), us(7));
}

TEST(Cpu, MmioLatencyIsChargedAndStatusReturned) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  tlm::tlm_response_status ok = tlm::TLM_INCOMPLETE_RESPONSE, bad = ok;
  std::uint32_t v = 0;
  sc_time after_write, after_read;
  spawn("t", [&] {
    ok = t.write32(kDramBase + 0x40, 0xcafef00d);
    after_write = sc_core::sc_time_stamp();
    bad = t.read32(0x10000000, v);  // unmapped
    after_read = sc_core::sc_time_stamp();
  });
  run_to(us(1));
  EXPECT_EQ(ok, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bad, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(testing::take_reports(kReportBus).size(), 1u);
  std::uint32_t stored;
  std::memcpy(&stored, b.dram.data() + 0x40, 4);
  EXPECT_EQ(stored, 0xcafef00du);
  const sc_time write_lat = ns(5) + b.dram.write_time(4);
  EXPECT_EQ(after_write, write_lat);
  EXPECT_EQ(after_read, write_lat + ns(5));  // the interconnect's hop before the error
  EXPECT_EQ(t.busy_time(), write_lat + ns(5));
}

// Accurate mode: the stall of a run of decoupled writes is spent in one wait, at the next act
// (here the synchronised write), so the writes keep their times and the context its busy
// time, but the core runs one segment for them instead of one each.
TEST(Cpu, AccurateModeConfigWritesShareOneWait) {
  Bench b("b", TimingMode::Accurate, true);
  std::vector<std::string> segments;
  record_segments(b.cpu, segments);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  sc_time now_after_config, local_after_config, now_after_start;
  spawn("t", [&] {
    for (std::uint32_t i = 0; i < 3; ++i) t.write32(kDramBase + 4 * i, 0x100 + i, MmioOrder::Decoupled);
    now_after_config = sc_core::sc_time_stamp();
    local_after_config = t.local_time();
    t.write32(kDramBase + 12, 0x200);  // starts the "device": at simulated time
    now_after_start = sc_core::sc_time_stamp();
  });
  run_to(us(1));
  const sc_time lat = ns(5) + b.dram.write_time(4);
  EXPECT_EQ(now_after_config, SC_ZERO_TIME);
  EXPECT_EQ(local_after_config, lat * 3.0);
  EXPECT_EQ(now_after_start, lat * 4.0);
  EXPECT_EQ(t.busy_time(), lat * 4.0);
  EXPECT_EQ(t.local_time(), SC_ZERO_TIME);
  const std::vector<std::string> expected = {segment("t", SC_ZERO_TIME, lat * 3.0),
                                             segment("t", lat * 3.0, lat * 4.0)};
  EXPECT_EQ(segments, expected);
  for (std::uint32_t i = 0; i < 4; ++i) {
    std::uint32_t stored;
    std::memcpy(&stored, b.dram.data() + 4 * i, 4);
    EXPECT_EQ(stored, i < 3 ? 0x100 + i : 0x200u);
  }
}

TEST(Cpu, FastModeUsesALocalOffsetAndTheQuantum) {
  CpuParams cp;
  cp.quantum_ns = 1000;  // the charges below are sized to it
  Bench b("b", TimingMode::Fast, true, cp);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  std::vector<sc_time> local, stamp;
  auto note = [&] {
    local.push_back(t.local_time());
    stamp.push_back(sc_core::sc_time_stamp());
  };
  spawn("t", [&] {
    t.charge(ns(300));
    note();  // 300 local, at 0
    t.charge_cycles(300);
    note();  // 600 local
    std::uint32_t v = 0;
    t.read32(kDramBase, v);  // transported at 0 + 600 ns; latency added to the offset
    note();
    t.charge(ns(400));  // over the quantum: synchronise
    note();
    t.charge(ns(100));
    t.sleep(ns(50));  // syncs first
    note();
  });
  run_to(us(5));
  const sc_time lat = ns(5) + b.dram.read_time(4);
  ASSERT_EQ(local.size(), 5u);
  EXPECT_EQ(local[0], ns(300));
  EXPECT_EQ(stamp[0], SC_ZERO_TIME);
  EXPECT_EQ(local[1], ns(600));
  EXPECT_EQ(local[2], ns(600) + lat);
  EXPECT_EQ(stamp[2], SC_ZERO_TIME);
  EXPECT_EQ(local[3], SC_ZERO_TIME);
  EXPECT_EQ(stamp[3], ns(1000) + lat);
  EXPECT_EQ(local[4], SC_ZERO_TIME);
  EXPECT_EQ(stamp[4], ns(1150) + lat);
  EXPECT_EQ(t.busy_time(), ns(1100) + lat);  // sleeping is not busy
}

void gic_irq_scenario(TimingMode mode) {
  Bench b("b", mode, false);
  ExecContext& boot = b.cpu.create_context("boot", ContextClass::Thread, 0);
  ExecContext& worker = b.cpu.create_context("worker", ContextClass::Thread, 1);
  using namespace gic;
  std::vector<std::uint32_t> ids;
  std::vector<sc_time> entered;
  const std::uint64_t cpu0 = kGicCpu;
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned core) {
    entered.push_back(ctx.current_time());  // fast mode: the entry cost is local time
    std::uint32_t iar = 0;
    EXPECT_EQ(ctx.read32(cpu0 + core * kCpuIfStride + GICC_IAR, iar), tlm::TLM_OK_RESPONSE);
    ids.push_back(iar);
    // The device keeps its line high through the first interrupt; the second one clears it.
    if (ids.size() == 2) b.device_line.write(false);
    EXPECT_EQ(ctx.write32(cpu0 + core * kCpuIfStride + GICC_EOIR, iar), tlm::TLM_OK_RESPONSE);
  });
  const unsigned id = kSpiBase + kSpi;
  sc_time boot_work_done;
  spawn("boot", [&] {
    boot.write32(kGicDist + GICD_IPRIORITYR + (id & ~3u), 0xa0u << (8 * (id % 4)));
    boot.write32(kGicDist + GICD_ITARGETSR + (id & ~3u), 0x01u << (8 * (id % 4)));
    boot.write32(kGicDist + GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
    boot.write32(kGicDist + GICD_CTLR, GICD_CTLR_ENABLE);
    boot.write32(cpu0 + GICC_PMR, 0xf0);
    boot.write32(cpu0 + GICC_CTLR, GICC_CTLR_ENABLE);
    boot.sync();
    boot.sleep(us(1) - sc_core::sc_time_stamp());
    boot.charge(us(2));  // interrupted twice
    boot.sync();         // fast mode: spend the local time, whatever the quantum
    boot_work_done = sc_core::sc_time_stamp();
  });
  sc_time worker_done;
  spawn("worker", [&] {  // core 1 is not targeted: never interrupted
    worker.charge(us(3));
    worker.sync();
    worker_done = sc_core::sc_time_stamp();
  });
  spawn("device", [&] {
    sc_core::wait(us(1));
    b.device_line.write(true);
  });
  run_to(us(10));
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], id);
  EXPECT_EQ(ids[1], id);
  const sc_time gic_lat = b.gic.delivery_latency();  // 8 ns
  const sc_time access = ns(5) + ns(20);             // interconnect hop + GIC access
  const sc_time entry = ns(300), exit_ = ns(150);
  EXPECT_EQ(entered[0], us(1) + gic_lat + entry);
  // After the EOI the line is still high: pending again, delivered after the GIC latency
  // (long before the exit cost ends), taken again right after the exit.
  const sc_time one_irq = entry + 2 * access + exit_;
  EXPECT_EQ(entered[1], us(1) + gic_lat + one_irq + entry);
  EXPECT_EQ(b.cpu.irqs_taken(0), 2u);
  EXPECT_EQ(b.cpu.irqs_taken(1), 0u);
  EXPECT_EQ(b.cpu.hardirq_context(0).busy_time(), 2 * one_irq);
  EXPECT_EQ(boot_work_done, us(3) + 2 * one_irq);  // preempted at 1 us + 8 ns
  EXPECT_EQ(worker_done, us(3));
  EXPECT_EQ(b.gic.acknowledged(), 2u);
  EXPECT_FALSE(b.gic.active(id));
}

TEST(Cpu, IrqThroughTheGicWithAcknowledgeAndEoiOverMmio) { gic_irq_scenario(TimingMode::Accurate); }

TEST(Cpu, FastModeIrqThroughTheGicGivesTheSameTimes) { gic_irq_scenario(TimingMode::Fast); }

TEST(Cpu, ContextsCreatedDuringSimulationAndRunObserver) {
  Bench b("b", TimingMode::Accurate, true);
  std::vector<std::string> segments;
  record_segments(b.cpu, segments);
  ExecContext& parent = b.cpu.create_context("init", ContextClass::Thread, 1);
  ExecContext* child = nullptr;
  spawn("init", [&] {
    parent.charge(us(1));
    // A kernel thread spawned later (as the kernel-services layer does with sc_spawn).
    child = &b.cpu.create_context("kworker", ContextClass::RtThread, 1);
    sc_core::sc_spawn([&] { child->charge(us(2)); }, "kworker");
    parent.charge(us(1));  // preempted by the RT kthread (which pays the switch)
  });
  run_to(us(10));
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->busy_time(), us(4));
  EXPECT_EQ(parent.busy_time(), us(4));
  const std::vector<std::string> expected = {"init 0 s 1 us", "kworker 1 us 5 us",
                                             "init 5 us 8 us"};
  EXPECT_EQ(segments, expected);
}

TEST(Cpu, LoadOverAnIntervalAndTheRunAverage) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  ExecContext& s = b.cpu.create_context("s", ContextClass::SoftIrq, 1);
  spawn("t", [&] {
    sc_core::wait(us(100));
    t.charge(us(250));  // core 0 busy 25% of 1 ms
  });
  CpuLoad half;
  spawn("s", [&] {
    sc_core::wait(us(500));
    half = b.cpu.load();
    sc_core::wait(us(100));
    s.charge(us(100));  // core 1: 100 us in the second half
  });
  run_to(us(1000));
  const CpuLoadReport all = b.cpu.load_since_start();
  EXPECT_EQ(all.elapsed, us(1000));
  EXPECT_EQ(all.cores, 2u);
  EXPECT_EQ(all.busy, us(350));
  EXPECT_DOUBLE_EQ(all.total, 0.175);
  EXPECT_DOUBLE_EQ(all.per_core[0], 0.25);
  EXPECT_DOUBLE_EQ(all.per_core[1], 0.1);
  EXPECT_DOUBLE_EQ(all.per_class[class_index(ContextClass::Thread)], 0.125);
  EXPECT_DOUBLE_EQ(all.per_class[class_index(ContextClass::SoftIrq)], 0.05);
  EXPECT_EQ(all.context_busy[t.id()], us(250));

  const CpuLoadReport second = b.cpu.load_since(half);
  EXPECT_EQ(second.elapsed, us(500));
  EXPECT_EQ(second.busy, us(100));  // core 0 was done by 350 us
  EXPECT_DOUBLE_EQ(second.total, 0.1);
  EXPECT_DOUBLE_EQ(second.per_core[0], 0.0);
  EXPECT_DOUBLE_EQ(second.per_core[1], 0.2);
  EXPECT_EQ(second.context_busy[s.id()], us(100));
  EXPECT_EQ(second.context_busy[t.id()], SC_ZERO_TIME);
}

TEST(Cpu, LoadSnapshotCountsARunningSegment) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  spawn("t", [&] { t.charge(us(10)); });
  run_to(us(4));
  EXPECT_EQ(t.busy_time(), us(4));
  EXPECT_EQ(b.cpu.busy_time(0), us(4));
  EXPECT_DOUBLE_EQ(b.cpu.load_since_start().total, 0.5);
}

// A thread charges 1 us steps; an IRQ arrives at 2.5 us and its handler sets a flag. The
// thread sees the flag after the step in which the IRQ was taken: in accurate mode that is
// step 2 (2..3 us); in fast mode the steps up to the quantum (5 us) ran ahead, so it is the
// step that synchronises (step 4).
int first_step_seeing_irq(TimingMode mode) {
  CpuParams cp;
  cp.quantum_ns = 5000;
  Bench b("b", mode, true, cp);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  bool handled = false;
  int seen_at = -1;
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned) {
    handled = true;
    b.direct_lines[0]->write(false);
    ctx.charge(ns(50));
  });
  sc_time done;
  spawn("t", [&] {
    for (int i = 0; i < 10; ++i) {
      t.charge(us(1));
      if (handled && seen_at < 0) seen_at = i;
    }
    t.sync();
    done = sc_core::sc_time_stamp();
  });
  spawn("device", [&] {
    sc_core::wait(us(2.5));
    b.direct_lines[0]->write(true);
  });
  run_to(us(20));
  EXPECT_EQ(b.cpu.irqs_taken(0), 1u);
  EXPECT_EQ(t.busy_time(), us(10));
  EXPECT_EQ(b.cpu.hardirq_context(0).busy_time(), ns(500));  // 300 + 50 + 150
  EXPECT_EQ(done, us(10.5));
  return seen_at;
}

TEST(Cpu, AccurateModeTakesTheIrqAtOnce) {
  EXPECT_EQ(first_step_seeing_irq(TimingMode::Accurate), 2);
}

TEST(Cpu, FastModeTakesTheIrqAtQuantumGranularity) {
  EXPECT_EQ(first_step_seeing_irq(TimingMode::Fast), 4);
}

// A device with two registers that start something: START acts at the write's annotated
// time (declared timed), KICK at the simulated time of the call. Each records, per write,
// the annotated time and the simulated time at which it was called.
struct StartDevice : sc_core::sc_module {
  TargetSocket<StartDevice> socket{"socket"};
  RegisterBank bank{*this, 0x10};
  struct Seen {
    sc_time annotated, called;
  };
  std::vector<Seen> starts, kicks;
  explicit StartDevice(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_b_transport<&StartDevice::b_transport>(this);
    bank.add("START", 0x0, Access::ReadWrite)
        .after_write([this](const RegAccess& a) { starts.push_back({a.time, sc_core::sc_time_stamp()}); })
        .timed();
    bank.add("KICK", 0x4, Access::ReadWrite)
        .after_write([this](const RegAccess& a) { kicks.push_back({a.time, sc_core::sc_time_stamp()}); });
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_time& d) { bank.b_transport(t, d); }
};

constexpr std::uint64_t kDevice = 0x4a000000;

// Fast mode: a thread wakes at 1 us, runs 3 us ahead and writes START, then KICK, then,
// after 3 us more, START again - a device raises the core's IRQ line at 6 us, inside that
// last window. Nothing is due before the first write's time: it goes ahead without a wait
// (called at 1 us, annotated 4 us). KICK does not take writes ahead: it synchronises as
// before. The second START has an interrupt coming inside its window: it synchronises and
// lands after the handler, as it did before writes could go ahead.
TEST(Cpu, FastModeWriteGoesAheadOnlyWhenNothingIsDueAndTheRegisterTakesIt) {
  CpuParams cp;
  cp.quantum_ns = 10000;
  Bench b("b", TimingMode::Fast, true, cp);
  StartDevice dev("dev");
  b.bus.attach(dev.socket, kDevice, 0x10, "dev");
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned) {
    b.direct_lines[0]->write(false);
    ctx.charge(ns(500));
  });
  spawn("t", [&] {
    t.sleep(us(1));
    t.charge(us(3));
    t.write32(kDevice, 1);
    t.write32(kDevice + 4, 1);
    t.charge(us(3));
    t.write32(kDevice, 2);
    t.sync();
  });
  spawn("device", [&] {
    sc_core::wait(us(6));
    b.direct_lines[0]->write(true);
  });
  run_to(us(20));
  const sc_time hop = ns(5);  // the bench interconnect's crossing, charged to each write
  ASSERT_EQ(dev.starts.size(), 2u);
  ASSERT_EQ(dev.kicks.size(), 1u);
  EXPECT_EQ(dev.starts[0].called, us(1));
  EXPECT_EQ(dev.starts[0].annotated, us(4) + hop);
  EXPECT_EQ(dev.kicks[0].called, us(4) + hop);
  EXPECT_EQ(dev.kicks[0].annotated, us(4) + hop + hop);
  const sc_time irq = b.cpu.cycles(cp.irq_entry_cycles + cp.irq_exit_cycles) + ns(500);
  EXPECT_EQ(dev.starts[1].called, us(7) + hop + hop + irq);
  EXPECT_EQ(dev.starts[1].annotated, dev.starts[1].called + hop);
  EXPECT_EQ(b.cpu.synchronised_writes(0), 3u);
  EXPECT_EQ(b.cpu.ahead_writes(0), 1u);
  EXPECT_EQ(b.cpu.irqs_taken(0), 1u);
}

// sync_shared: with nothing due before the context's time the wait is skipped (simulated time
// stays, the local time is kept); with a process due inside the window it synchronises. In
// accurate mode there is no local time to keep.
TEST(Cpu, FastModeSyncSharedWaitsOnlyWhenSomethingIsDue) {
  Bench b("b", TimingMode::Fast, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  sc_time after_first, local_first, after_second;
  spawn("t", [&] {
    t.sleep(us(1));
    t.charge(us(2));
    t.sync_shared();  // nothing due before 3 us
    after_first = sc_core::sc_time_stamp();
    local_first = t.local_time();
    t.charge(us(2));
    t.sync_shared();  // the device wakes at 4 us, before 5 us
    after_second = sc_core::sc_time_stamp();
  });
  spawn("device", [] { sc_core::wait(us(4)); });
  run_to(us(20));
  EXPECT_EQ(after_first, us(1));
  EXPECT_EQ(local_first, us(2));
  EXPECT_EQ(after_second, us(5));
  EXPECT_EQ(t.busy_time(), us(4));
}

// A normal thread that blocks with local time left and nothing due before its end leaves
// the run behind (detached, as softirqs and real-time threads do): it is counted in full, at
// its own time, and the thread wakes when it is woken.
TEST(Cpu, FastModeThreadLeavesItsRunWhenNothingIsDue) {
  Bench b("b", TimingMode::Fast, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  sc_core::sc_event ev;
  sc_time woke;
  spawn("t", [&] {
    t.sleep(us(1));
    t.charge(us(2));
    t.wait(ev);
    woke = sc_core::sc_time_stamp();
  });
  spawn("waker", [&] {
    sc_core::wait(us(10));
    ev.notify();
  });
  run_to(us(20));
  EXPECT_EQ(woke, us(10));
  EXPECT_EQ(t.busy_time(), us(2));
  EXPECT_EQ(busy(b.cpu, 0, ContextClass::Thread), us(2));
}

// A context that leaves its run behind (detached) wakes nobody: it is the core's only ready
// context, and its thread blocks next. A delta notification of its own wake event woke no
// process, yet it cost a delta cycle and made "nothing due" false for the rest of the
// instant (the write-ahead test). The run still ends at its time for a thread woken early.
TEST(Cpu, FastModeDetachNotifiesNothing) {
  Bench b("b", TimingMode::Fast, true);
  ExecContext& s = b.cpu.create_context("s", ContextClass::SoftIrq, 0);
  sc_core::sc_event ev;
  bool pending_after_leave = true;
  sc_time woke;
  spawn("s", [&] {
    sc_core::wait(us(1));
    s.charge(us(2));
    s.leave();
    pending_after_leave = sc_core::sc_pending_activity_at_current_time();
    sc_core::wait(ev);
    s.rejoin();
    woke = sc_core::sc_time_stamp();
  });
  spawn("waker", [&] {
    sc_core::wait(us(2));
    ev.notify();
  });
  run_to(us(20));
  EXPECT_FALSE(pending_after_leave);
  EXPECT_EQ(woke, us(3));  // woken at 2 us, inside its detached run: goes on at its end
  EXPECT_EQ(s.busy_time(), us(2));
}

// A thread runs 3 us, then writes a register; an IRQ at 1 us takes 500 ns of the core. The
// write happens after the handler in both modes (at 3.5 us): in fast mode the write
// synchronises first, so running ahead cannot move it before an interrupt taken meanwhile.
sc_time write_time_after_irq(TimingMode mode, MmioOrder order = MmioOrder::Synchronised) {
  CpuParams cp;
  cp.quantum_ns = 5000;
  Bench b("b", mode, true, cp);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned) {
    b.direct_lines[0]->write(false);
    ctx.charge(ns(50));
  });
  sc_time issued;
  spawn("t", [&] {
    t.charge(us(3));
    t.write32(kDramBase, 1, order);
    issued = t.current_time() - (ns(5) + b.dram.write_time(4));
    t.sync();
  });
  spawn("device", [&] {
    sc_core::wait(us(1));
    b.direct_lines[0]->write(true);
  });
  run_to(us(20));
  EXPECT_EQ(b.cpu.irqs_taken(0), 1u);
  return issued;
}

TEST(Cpu, AccurateModeWriteFollowsTheIrq) {
  EXPECT_EQ(write_time_after_irq(TimingMode::Accurate), us(3.5));
}

TEST(Cpu, FastModeWriteSynchronisesFirst) {
  EXPECT_EQ(write_time_after_irq(TimingMode::Fast), us(3.5));
}

// A configuration write (MmioOrder::Decoupled) does not synchronise: in fast mode it is
// issued at the context's local time although an interrupt arrives meanwhile; the handler's
// time is still consumed before the thread's next synchronisation (done at 3.5 us).
TEST(Cpu, FastModeConfigWriteDoesNotWaitForALaterIrq) {
  EXPECT_EQ(write_time_after_irq(TimingMode::Fast, MmioOrder::Decoupled), us(3));
}

TEST(Cpu, AccurateModeConfigWriteFollowsTheIrq) {
  EXPECT_EQ(write_time_after_irq(TimingMode::Accurate, MmioOrder::Decoupled), us(3.5));
}

// The IRQ line is high from 50 ns to 1 us and the handler does not clear it: the hard-IRQ
// context holds core 0 for two entries of 500 ns (50 .. 1050 ns). A thread that wakes at
// 100 ns and charges 200 ns issues a write: a configuration write too waits for the pending
// interrupt in fast mode, so it lands where the accurate mode puts it (1050 + 200 ns).
sc_time write_time_with_pending_irq(TimingMode mode, MmioOrder order) {
  CpuParams cp;
  cp.quantum_ns = 5000;
  Bench b("b", mode, true, cp);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned) { ctx.charge(ns(50)); });
  sc_time issued;
  unsigned long decoupled = 0;
  spawn("t", [&] {
    t.sleep(ns(100));
    t.charge(ns(200));
    t.write32(kDramBase, 1, order);
    issued = t.current_time() - (ns(5) + b.dram.write_time(4));
    decoupled = b.cpu.decoupled_writes(0);
    t.sync();
  });
  pulse_line(b, 0, ns(50), ns(950));
  run_to(us(20));
  EXPECT_EQ(b.cpu.irqs_taken(0), 2u);
  EXPECT_EQ(decoupled, 0u);
  return issued;
}

TEST(Cpu, FastModeConfigWriteTakesAPendingIrqFirst) {
  EXPECT_EQ(write_time_with_pending_irq(TimingMode::Fast, MmioOrder::Decoupled), ns(1250));
}

TEST(Cpu, AccurateModeConfigWriteWithAPendingIrq) {
  EXPECT_EQ(write_time_with_pending_irq(TimingMode::Accurate, MmioOrder::Decoupled), ns(1250));
}

// The core's own hard-IRQ context does not synchronise a configuration write because its
// IRQ input is high (it takes that interrupt only after the handler returns); the write is
// issued at its local time, and the handler's time is consumed at its exit as before.
TEST(Cpu, FastModeHardIrqConfigWriteIgnoresThePendingIrq) {
  CpuParams cp;
  cp.quantum_ns = 5000;
  Bench b("b", TimingMode::Fast, true, cp);
  unsigned long decoupled = 0, synced = 0;
  sc_time issued;
  b.cpu.set_irq_handler([&](ExecContext& ctx, unsigned) {
    ctx.charge(ns(50));
    if (b.cpu.irqs_taken(0) != 1) return;
    ctx.write32(kDramBase, 1, MmioOrder::Decoupled);  // the line is still high
    issued = ctx.current_time() - (ns(5) + b.dram.write_time(4));
    decoupled = b.cpu.decoupled_writes(0);
    synced = b.cpu.synchronised_writes(0);
  });
  pulse_line(b, 0, ns(50), ns(950));
  run_to(us(20));
  EXPECT_EQ(b.cpu.irqs_taken(0), 2u);
  EXPECT_EQ(decoupled, 1u);
  EXPECT_EQ(synced, 0u);
  EXPECT_EQ(issued, ns(50) + b.cpu.cycles(cp.irq_entry_cycles) + ns(50));
}

TEST(Cpu, MemoryCopiesUseDmiHonourInvalidationAndTakeNoTime) {
  Bench b("b", TimingMode::Accurate, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::Thread, 0);
  std::vector<unsigned char> in(64), out(64), again(64);
  for (unsigned i = 0; i < in.size(); ++i) in[i] = static_cast<unsigned char>(i * 7);
  bool w = false, r = false, r2 = false, bad = true;
  std::size_t dmi_after_write = 0, dmi_after_revoke = 9;
  spawn("t", [&] {
    w = t.write_memory(kDramBase + 0x1000, in.data(), in.size());
    dmi_after_write = b.cpu.dmi_regions();
    b.bus.inject_bus_error(kDramBase + 0x8000, 0x10);  // revokes the DMI grant
    dmi_after_revoke = b.cpu.dmi_regions();
    r = t.read_memory(kDramBase + 0x1000, out.data(), out.size());  // debug transport
    b.bus.clear_bus_errors();
    r2 = t.read_memory(kDramBase + 0x1000, again.data(), again.size());
    bad = t.read_memory(0x10000000, out.data(), 4);
  });
  run_to(us(1));
  EXPECT_TRUE(w);
  EXPECT_EQ(dmi_after_write, 1u);
  EXPECT_EQ(dmi_after_revoke, 0u);
  EXPECT_TRUE(r);
  EXPECT_TRUE(r2);
  EXPECT_FALSE(bad);
  EXPECT_EQ(b.cpu.dmi_regions(), 1u);
  EXPECT_EQ(std::memcmp(b.dram.data() + 0x1000, in.data(), in.size()), 0);
  EXPECT_EQ(out, in);
  EXPECT_EQ(again, in);
  EXPECT_EQ(t.busy_time(), SC_ZERO_TIME);
}

TEST(Cpu, WaitUntilSleepsWithoutBusyTime) {
  Bench b("b", TimingMode::Fast, true);
  ExecContext& t = b.cpu.create_context("t", ContextClass::RtThread, 0);
  sc_core::sc_event kick;
  int work = 0;
  sc_time woke;
  spawn("t", [&] {
    t.charge(ns(200));  // local only; wait_until synchronises first
    t.wait_until([&] { return work >= 2; }, kick);
    woke = sc_core::sc_time_stamp();
  });
  spawn("producer", [&] {
    for (int i = 0; i < 3; ++i) {
      sc_core::wait(us(1));
      ++work;
      kick.notify();
    }
  });
  run_to(us(5));
  EXPECT_EQ(woke, us(2));
  EXPECT_EQ(t.busy_time(), ns(200));
  EXPECT_EQ(b.cpu.idle_time(0), us(5) - ns(200));
}

TEST(Cpu, NotifyFromDecoupledCodeHappensAtTheLocalTime) {
  Bench b("b", TimingMode::Fast, true);
  ExecContext& producer = b.cpu.create_context("producer", ContextClass::Thread, 0);
  ExecContext& consumer = b.cpu.create_context("consumer", ContextClass::Thread, 1);
  sc_core::sc_event ready;
  sc_time woke;
  spawn("producer", [&] {
    producer.charge(ns(300));
    producer.notify(ready);
    producer.charge(ns(100));
  });
  spawn("consumer", [&] {
    consumer.wait(ready);
    woke = sc_core::sc_time_stamp();
  });
  run_to(us(1));
  EXPECT_EQ(woke, ns(300));
  EXPECT_EQ(producer.local_time(), ns(400));  // never synchronised: still local
  EXPECT_EQ(producer.busy_time(), SC_ZERO_TIME);
}

TEST(Cpu, IrqWithoutHandlerWarns) {
  Bench b("b", TimingMode::Accurate, true);
  pulse_line(b, 1, us(1), us(1));
  run_to(us(3));
  EXPECT_EQ(testing::take_reports(kReportModel).size(), 1u);
  EXPECT_EQ(b.cpu.irqs_taken(1), 1u);
  EXPECT_EQ(b.cpu.hardirq_context(1).busy_time(), ns(450));
}

}  // namespace
}  // namespace aesvp
