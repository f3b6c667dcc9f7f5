#include "models/core/register_bank.h"
#include "models/core/report.h"
#include "models/core/unit_burst.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace aesvp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

struct Device : sc_core::sc_module {
  RegisterBank bank{*this, 0x40};
  std::vector<std::uint32_t> fifo_writes;
  explicit Device(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    bank.add("CTRL", 0x00, Access::ReadWrite, 0x5).writable(0xff);
    bank.add("STATUS", 0x04, Access::ReadOnly, 0x1);
    bank.add("CMD", 0x08, Access::WriteOnly);
    for (unsigned i = 0; i < 4; ++i) {
      bank.add("FIFO_" + std::to_string(i), 0x10 + 4 * i, Access::ReadWrite)
          .on_write([this](RegAccess& a) {
            fifo_writes.push_back(a.data);
            return a.stored;
          });
    }
    bank.set_access_latency(sc_time(10, SC_NS));
  }
};

void fill(tlm::tlm_generic_payload& t, tlm::tlm_command cmd, std::uint64_t addr,
          unsigned char* data, unsigned len, unsigned width = 0) {
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(width == 0 ? len : width);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

// One 32-bit word read or written at `addr` by the bank's transport, from `delay`: the response.
tlm::tlm_response_status transport_word(RegisterBank& bank, tlm::tlm_command cmd,
                                        std::uint64_t addr, std::uint32_t& word, sc_time& delay) {
  tlm::tlm_generic_payload t;
  fill(t, cmd, addr, reinterpret_cast<unsigned char*>(&word), 4);
  bank.b_transport(t, delay);
  return t.get_response_status();
}

// `t` as a run of four units 30 ns apart (the sDMA's UnitBurst extension), from `delay`.
void transport_four_units(RegisterBank& bank, tlm::tlm_generic_payload& t, UnitBurst& run,
                          sc_time& delay) {
  run.units = 4;
  run.gap = sc_time(30, SC_NS);
  run.issued = delay;
  t.set_extension(&run);
  bank.b_transport(t, delay);
  t.clear_extension(&run);
}

TEST(RegisterBank, ResetValuesAndMaskedWrite) {
  Device dev("dev");
  std::uint32_t v = 0;
  sc_time delay = SC_ZERO_TIME;
  EXPECT_EQ(transport_word(dev.bank, tlm::TLM_READ_COMMAND, 0x0, v, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(v, 0x5u);
  EXPECT_EQ(delay, sc_time(10, SC_NS));

  std::uint32_t w = 0xabcd;
  transport_word(dev.bank, tlm::TLM_WRITE_COMMAND, 0x0, w, delay);
  EXPECT_EQ(dev.bank.at(0x0).get(), 0xcdu);  // only the low byte is writable
  dev.bank.reset();
  EXPECT_EQ(dev.bank.at(0x0).get(), 0x5u);
}

TEST(RegisterBank, FifoBurstRepeatsTheWindow) {
  Device dev("dev");
  std::uint32_t words[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 32, 16);
  sc_time delay = SC_ZERO_TIME;
  dev.bank.b_transport(wr, delay);
  ASSERT_EQ(wr.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(dev.fifo_writes, (std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(delay, sc_time(20, SC_NS));  // two beats of the 16-byte streaming width
}

struct BadCase {
  tlm::tlm_command cmd;
  std::uint64_t addr;
  unsigned len;
  bool byte_enables;
  tlm::tlm_response_status expected;
};

class RegisterBankErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(RegisterBankErrors, RejectedWithoutEffect) {
  const BadCase& c = GetParam();
  Device dev("dev");
  std::uint32_t data[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
  unsigned char be[4] = {0xff, 0xff, 0, 0};
  tlm::tlm_generic_payload t;
  fill(t, c.cmd, c.addr, reinterpret_cast<unsigned char*>(data), c.len);
  if (c.byte_enables) {
    t.set_byte_enable_ptr(be);
    t.set_byte_enable_length(4);
  }
  sc_time delay = SC_ZERO_TIME;
  dev.bank.b_transport(t, delay);
  EXPECT_EQ(t.get_response_status(), c.expected);
  EXPECT_EQ(dev.bank.at(0x0).get(), 0x5u);
  EXPECT_TRUE(dev.fifo_writes.empty());
  EXPECT_EQ(testing::take_reports(kReportBus).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RegisterBankErrors,
    ::testing::Values(
        BadCase{tlm::TLM_WRITE_COMMAND, 0x0c, 4, false, tlm::TLM_ADDRESS_ERROR_RESPONSE},  // hole
        BadCase{tlm::TLM_WRITE_COMMAND, 0x02, 4, false, tlm::TLM_ADDRESS_ERROR_RESPONSE},  // misaligned
        BadCase{tlm::TLM_WRITE_COMMAND, 0x00, 2, false, tlm::TLM_BURST_ERROR_RESPONSE},    // 16-bit
        BadCase{tlm::TLM_WRITE_COMMAND, 0x00, 1, false, tlm::TLM_BURST_ERROR_RESPONSE},    // byte
        BadCase{tlm::TLM_WRITE_COMMAND, 0x00, 4, true, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
        BadCase{tlm::TLM_WRITE_COMMAND, 0x04, 4, false, tlm::TLM_COMMAND_ERROR_RESPONSE},  // RO
        BadCase{tlm::TLM_READ_COMMAND, 0x08, 4, false, tlm::TLM_COMMAND_ERROR_RESPONSE},   // WO
        BadCase{tlm::TLM_WRITE_COMMAND, 0x40, 4, false, tlm::TLM_ADDRESS_ERROR_RESPONSE},  // past the window
        BadCase{tlm::TLM_READ_COMMAND, 0x0c, 4, false, tlm::TLM_ADDRESS_ERROR_RESPONSE},   // hole, read
        BadCase{tlm::TLM_READ_COMMAND, 0x02, 4, false, tlm::TLM_ADDRESS_ERROR_RESPONSE},   // misaligned read
        BadCase{tlm::TLM_READ_COMMAND, 0x00, 4, true, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE},
        // A burst that runs from FIFO_3 into the hole after it: nothing is written.
        BadCase{tlm::TLM_WRITE_COMMAND, 0x1c, 8, false, tlm::TLM_ADDRESS_ERROR_RESPONSE}));

// One word of a streaming width of two bytes is no whole word: a burst error, as any size.
TEST(RegisterBank, SingleWordWithANarrowStreamingWidthIsRejected) {
  Device dev("dev");
  std::uint32_t w = 0xff;
  tlm::tlm_generic_payload t;
  fill(t, tlm::TLM_WRITE_COMMAND, 0x0, reinterpret_cast<unsigned char*>(&w), 4, 2);
  sc_time delay = SC_ZERO_TIME;
  dev.bank.b_transport(t, delay);
  EXPECT_EQ(t.get_response_status(), tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(dev.bank.at(0x0).get(), 0x5u);
  EXPECT_EQ(delay, SC_ZERO_TIME);
  EXPECT_EQ(testing::take_reports(kReportBus).size(), 1u);
}

// A single word with the ignore command touches nothing and answers OK, as a burst does.
TEST(RegisterBank, IgnoredSingleWordRunsNoHook) {
  Device dev("dev");
  unsigned reads = 0;
  dev.bank.at(0x10).on_read([&](RegAccess&) { ++reads; return 1u; });
  std::uint32_t v = 0;
  sc_time delay = SC_ZERO_TIME;
  EXPECT_EQ(transport_word(dev.bank, tlm::TLM_IGNORE_COMMAND, 0x10, v, delay),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(reads, 0u);
  EXPECT_EQ(delay, SC_ZERO_TIME);
}

// A write-ahead query (an ignore command with AheadWriteQuery) is answered from the
// declaration: a register that only stores takes one (CTRL), one with a write hook does not
// (FIFO_0) unless declared timed, a read-only register and a hole do not; no hook runs and
// nothing is stored.
TEST(RegisterBank, AheadWriteQueryFollowsTheDeclaration) {
  Device dev("dev");
  dev.bank.add("START", 0x20, Access::WriteOnly).after_write([](const RegAccess&) {}).timed();
  auto ask = [&](std::uint64_t addr, bool& declared) {
    AheadWriteQuery q;
    tlm::tlm_generic_payload t;
    std::uint32_t v = 0;
    fill(t, tlm::TLM_IGNORE_COMMAND, addr, reinterpret_cast<unsigned char*>(&v), 4);
    t.set_extension(&q);
    sc_time delay = SC_ZERO_TIME;
    dev.bank.b_transport(t, delay);
    t.clear_extension(&q);
    EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
    declared = q.declared;
    return q.taken;
  };
  bool declared = false;
  EXPECT_TRUE(ask(0x00, declared));
  EXPECT_TRUE(declared);
  EXPECT_FALSE(ask(0x10, declared));
  EXPECT_FALSE(declared);
  EXPECT_TRUE(ask(0x20, declared));
  EXPECT_FALSE(ask(0x04, declared));  // read-only
  EXPECT_FALSE(ask(0x0c, declared));  // hole
  EXPECT_TRUE(dev.fifo_writes.empty());
  EXPECT_EQ(dev.bank.at(0x0).get(), 0x5u);
}

// One word as a hook sees it: its beat starts at the transport delay and ends one access
// latency later; its stall adds to the delay. Hand-worked: 100 + 10 + 25 = 135 ns.
TEST(RegisterBank, SingleWordBeatTimesAndStall) {
  Device dev("dev");
  sc_time start, end;
  dev.bank.at(0x10).on_read([&](RegAccess& a) {
    start = a.time;
    end = a.end;
    a.stall = sc_time(25, SC_NS);
    return 0xabcu;
  });
  std::uint32_t v = 0;
  sc_time delay(100, SC_NS);
  ASSERT_EQ(transport_word(dev.bank, tlm::TLM_READ_COMMAND, 0x10, v, delay), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(v, 0xabcu);
  EXPECT_EQ(start, sc_time(100, SC_NS));
  EXPECT_EQ(end, sc_time(110, SC_NS));
  EXPECT_EQ(delay, sc_time(135, SC_NS));
}

// A one-word transaction that carries a UnitBurst is a run, not a single word: four beats
// of one word, 30 ns apart. Hand-worked: 0 + 4 * 10 + 3 * 30 = 130 ns.
TEST(RegisterBank, OneWordUnitBurstTakesEveryBeat) {
  Device dev("dev");
  std::uint32_t words[4] = {1, 2, 3, 4};
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 4, 4);
  UnitBurst run;
  sc_time delay = SC_ZERO_TIME;
  transport_four_units(dev.bank, wr, run, delay);
  ASSERT_EQ(wr.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(run.beats, 4u);
  EXPECT_EQ(dev.fifo_writes, (std::vector<std::uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(delay, sc_time(130, SC_NS));
}

// A one-word beat window: a single word at its offset is a beat, handed to the beat hook.
TEST(RegisterBank, OneWordBeatWindowTakesTheSingleWord) {
  Device dev("dev");
  std::vector<std::uint32_t> beats;
  dev.bank.on_beat(
      0x14, 4,
      [&](const unsigned char* d, RegAccess&) {
        std::uint32_t w;
        std::memcpy(&w, d, 4);
        beats.push_back(w);
        return true;
      },
      [](unsigned char*, RegAccess&) { return false; });
  std::uint32_t w = 0x77;
  sc_time delay = SC_ZERO_TIME;
  transport_word(dev.bank, tlm::TLM_WRITE_COMMAND, 0x14, w, delay);
  EXPECT_EQ(beats, (std::vector<std::uint32_t>{0x77}));
  EXPECT_TRUE(dev.fifo_writes.empty());
  // The next word is not the window: its own hook.
  transport_word(dev.bank, tlm::TLM_WRITE_COMMAND, 0x18, w, delay);
  EXPECT_EQ(dev.fifo_writes, (std::vector<std::uint32_t>{0x77}));
  EXPECT_EQ(delay, sc_time(20, SC_NS));
}

TEST(RegisterBank, DebugReadHasNoSideEffects) {
  Device dev("dev");
  int reads = 0;
  dev.bank.at(0x4).on_read([&](RegAccess&) { ++reads; return 7u; }).value([] { return 9u; });
  std::uint32_t v = 0;
  tlm::tlm_generic_payload t;
  fill(t, tlm::TLM_READ_COMMAND, 0x4, reinterpret_cast<unsigned char*>(&v), 4);
  EXPECT_EQ(dev.bank.transport_dbg(t), 4u);
  EXPECT_EQ(v, 9u);
  EXPECT_EQ(reads, 0);
}

}  // namespace
}  // namespace aesvp

namespace aesvp {
namespace {

// What a hook sees of the access: the annotated time of its beat (transport delay plus the
// beats and stalls before it), the stored value and the writable mask; its return value is
// what the register stores; after_write sees the stored value.
TEST(RegisterBank, HooksSeeTheAccessAndReturnWhatToStore) {
  Device dev("dev");
  std::vector<sc_time> read_times;
  dev.bank.at(0x10).on_read([&](RegAccess& a) {
    read_times.push_back(a.time);
    EXPECT_EQ(a.end, a.time + sc_time(10, SC_NS));
    if (read_times.size() == 1) a.stall = sc_time(25, SC_NS);  // first beat waits for data
    return 0u;
  });
  std::uint32_t words[8] = {};
  tlm::tlm_generic_payload rd;
  fill(rd, tlm::TLM_READ_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 32, 16);
  sc_time delay(100, SC_NS);
  dev.bank.b_transport(rd, delay);
  ASSERT_EQ(rd.get_response_status(), tlm::TLM_OK_RESPONSE);
  // Beat 0 at 100 ns; it lasts 10 ns plus the 25 ns stall, so beat 1 starts at 135 ns.
  EXPECT_EQ(read_times, (std::vector<sc_time>{sc_time(100, SC_NS), sc_time(135, SC_NS)}));
  EXPECT_EQ(delay, sc_time(100 + 2 * 10 + 25, SC_NS));

  std::uint32_t seen_stored = 0, seen_mask = 0, after = 0;
  Register& ctrl = dev.bank.at(0x0);
  ctrl.on_write([&](RegAccess& a) {
        seen_stored = a.stored;
        seen_mask = a.writable;
        return a.merged() | 0x100;  // stores more than a plain write would
      })
      .after_write([&](const RegAccess&) { after = ctrl.get(); });
  std::uint32_t w = 0x1234;
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x0, reinterpret_cast<unsigned char*>(&w), 4);
  delay = SC_ZERO_TIME;
  dev.bank.b_transport(wr, delay);
  EXPECT_EQ(seen_stored, 0x5u);
  EXPECT_EQ(seen_mask, 0xffu);
  EXPECT_EQ(ctrl.get(), 0x134u);  // (0x5 & ~0xff) | (0x1234 & 0xff), plus the hook's bit
  EXPECT_EQ(after, 0x134u);
}

// A FIFO burst standing for a run of DMA units: beat k + 1 starts `gap` after beat k ended
// (stalls included); more() = false after a beat ends the run there with an OK response.
TEST(RegisterBank, UnitBurstSpacesBeatsAndStopsWhenAsked) {
  Device dev("dev");
  std::vector<sc_time> times;
  dev.bank.at(0x1c).on_write([&](RegAccess& a) {  // FIFO_3: the last word of each beat
    times.push_back(a.time);
    if (times.size() == 2) a.stall = sc_time(7, SC_NS);
    return a.stored;
  });
  std::uint32_t words[16] = {};
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 16, 16);
  UnitBurst run;
  unsigned asked = 0;
  run.more = [&] { return ++asked < 3; };  // three beats of four
  sc_time delay(100, SC_NS);
  transport_four_units(dev.bank, wr, run, delay);
  ASSERT_EQ(wr.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(run.beats, 3u);
  EXPECT_EQ(dev.fifo_writes.size(), 9u);  // FIFO_0..2 of three beats (FIFO_3 has its own hook)
  // Beat 0 at 100 ns, ends 110; beat 1 at 140, ends 150 + 7 stall; beat 2 at 187, ends 197.
  EXPECT_EQ(times, (std::vector<sc_time>{sc_time(100, SC_NS), sc_time(140, SC_NS),
                                         sc_time(187, SC_NS)}));
  EXPECT_EQ(delay, sc_time(197, SC_NS));
}

// What the hops on the way add to the delay (their crossings) is paid again by every unit of a
// run: called 5 ns after it was issued, beats start 30 + 5 ns after the previous one ended.
// Hand-worked from 105 ns: beats at 105, 150, 195, 240 (each 10 ns long), delay 250 ns.
TEST(RegisterBank, UnitBurstPaysTheHopsPerUnit) {
  Device dev("dev");
  std::vector<sc_time> times;
  dev.bank.at(0x1c).on_write([&](RegAccess& a) {  // FIFO_3: the last word of each beat
    times.push_back(a.time);
    return a.stored;
  });
  std::uint32_t words[16] = {};
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 16, 16);
  UnitBurst run;
  run.units = 4;
  run.gap = sc_time(30, SC_NS);
  run.issued = sc_time(100, SC_NS);
  sc_time delay(105, SC_NS);  // a hop's crossing of 5 ns since
  wr.set_extension(&run);
  dev.bank.b_transport(wr, delay);
  wr.clear_extension(&run);
  ASSERT_EQ(wr.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(run.beats, 4u);
  EXPECT_EQ(times, (std::vector<sc_time>{sc_time(105, SC_NS), sc_time(150, SC_NS),
                                         sc_time(195, SC_NS), sc_time(240, SC_NS)}));
  EXPECT_EQ(delay, sc_time(250, SC_NS));
}

// A beat window: a transaction at its offset with its width hands each beat to one hook at
// the bank's beat times (gap, stall); a declined beat goes word by word; other widths or
// offsets never reach the hook.
TEST(RegisterBank, BeatWindowTakesWholeBeatsOrDeclines) {
  Device dev("dev");
  std::vector<sc_time> beat_times;
  std::vector<std::uint32_t> beat_words;
  unsigned calls = 0;
  dev.bank.on_beat(
      0x10, 16,
      [&](const unsigned char* d, RegAccess& a) {
        if (++calls == 2) return false;  // the second beat goes word by word
        std::uint32_t w[4];
        std::memcpy(w, d, 16);
        beat_words.insert(beat_words.end(), w, w + 4);
        beat_times.push_back(a.time);
        if (calls == 1) a.stall = sc_time(5, SC_NS);
        return true;
      },
      [](unsigned char*, RegAccess&) { return false; });
  std::uint32_t words[12];
  for (unsigned i = 0; i < 12; ++i) words[i] = 0x100 + i;
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 48, 16);
  sc_time delay(100, SC_NS);
  dev.bank.b_transport(wr, delay);
  ASSERT_EQ(wr.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(calls, 3u);
  EXPECT_EQ(beat_words, (std::vector<std::uint32_t>{0x100, 0x101, 0x102, 0x103, 0x108, 0x109, 0x10a, 0x10b}));
  EXPECT_EQ(dev.fifo_writes, (std::vector<std::uint32_t>{0x104, 0x105, 0x106, 0x107}));
  // Beat 0 at 100 ns, ends 110 + 5 stall; beat 1 at 115, ends 125; beat 2 at 125, ends 135.
  EXPECT_EQ(beat_times, (std::vector<sc_time>{sc_time(100, SC_NS), sc_time(125, SC_NS)}));
  EXPECT_EQ(delay, sc_time(135, SC_NS));
  // Another streaming width (one word at a time) or offset: the word hooks only.
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, reinterpret_cast<unsigned char*>(words), 8, 4);
  dev.bank.b_transport(wr, delay);
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x14, reinterpret_cast<unsigned char*>(words), 12);
  dev.bank.b_transport(wr, delay);
  EXPECT_EQ(calls, 3u);
  EXPECT_EQ(dev.fifo_writes.size(), 4u + 2u + 3u);
  EXPECT_THROW(dev.bank.on_beat(0x08, 16, nullptr, nullptr), std::logic_error);  // a hole in it
}

// A run hook takes a UnitBurst through the beat window in one call: the beat times it walks
// are the bank's (gap after each beat's end, stalls included), the bank never asks more(),
// and the transport delay covers the beats the hook took. Hand-worked: latency 10 ns, gap
// 30 ns, start at 100 ns.
TEST(RegisterBank, RunHookTakesTheRunAtTheBanksBeatTimes) {
  Device dev("dev");
  unsigned beat_calls = 0;
  dev.bank.on_beat(
      0x10, 16, [&](const unsigned char*, RegAccess&) { return ++beat_calls, true; },
      [&](unsigned char*, RegAccess&) { return ++beat_calls, true; });
  std::vector<sc_time> starts, ends;
  bool decline_writes = false;
  dev.bank.on_beat_run(
      [&](const unsigned char*, BeatRun& run) {
        if (decline_writes) return false;
        for (run.beats = 0; run.beats < 2; ++run.beats) {  // two beats of those on offer
          if (run.beats != 0) run.next_beat();
          starts.push_back(run.time);
          ends.push_back(run.end);
        }
        return true;
      },
      [&](unsigned char* d, BeatRun& run) {
        // Blocks ready at 0, 150 and 220 ns: beat 1 waits 10 ns, beat 2 waits 30 ns.
        const sc_time ready[3] = {SC_ZERO_TIME, sc_time(150, SC_NS), sc_time(220, SC_NS)};
        for (run.beats = 0; run.beats < 3; ++run.beats) {
          if (run.beats != 0) run.next_beat();
          if (ready[run.beats] > run.time) run.stall(ready[run.beats] - run.time);
          std::memset(d + 16 * run.beats, static_cast<int>(run.beats + 1), 16);
          starts.push_back(run.time);
          ends.push_back(run.end);
        }
        return true;
      });
  std::uint8_t data[64] = {};
  UnitBurst run;
  unsigned asked = 0;
  run.more = [&] { return ++asked, true; };
  tlm::tlm_generic_payload rd;
  fill(rd, tlm::TLM_READ_COMMAND, 0x10, data, 16, 16);
  sc_time delay(100, SC_NS);
  transport_four_units(dev.bank, rd, run, delay);
  ASSERT_EQ(rd.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(run.beats, 3u);
  EXPECT_EQ(asked, 0u);
  EXPECT_EQ(beat_calls, 0u);
  EXPECT_EQ(data[0], 1u);
  EXPECT_EQ(data[47], 3u);
  EXPECT_EQ(data[48], 0u);  // the fourth beat was not taken
  // Beat 0 100-110; beat 1 at 140, waits to 150, ends 160; beat 2 at 190, waits to 220, ends 230.
  EXPECT_EQ(starts, (std::vector<sc_time>{sc_time(100, SC_NS), sc_time(140, SC_NS), sc_time(190, SC_NS)}));
  EXPECT_EQ(ends, (std::vector<sc_time>{sc_time(110, SC_NS), sc_time(160, SC_NS), sc_time(230, SC_NS)}));
  EXPECT_EQ(delay, sc_time(230, SC_NS));

  // A write run: beats 100-110 and 140-150.
  starts.clear();
  ends.clear();
  tlm::tlm_generic_payload wr;
  fill(wr, tlm::TLM_WRITE_COMMAND, 0x10, data, 16, 16);
  delay = sc_time(100, SC_NS);
  transport_four_units(dev.bank, wr, run, delay);
  EXPECT_EQ(run.beats, 2u);
  EXPECT_EQ(starts, (std::vector<sc_time>{sc_time(100, SC_NS), sc_time(140, SC_NS)}));
  EXPECT_EQ(delay, sc_time(150, SC_NS));
  EXPECT_EQ(asked, 0u);

  // Declined: beat by beat, more() asked before each beat after the first.
  decline_writes = true;
  run.more = [&] { return ++asked < 3; };
  delay = sc_time(100, SC_NS);
  transport_four_units(dev.bank, wr, run, delay);
  EXPECT_EQ(run.beats, 3u);
  EXPECT_EQ(asked, 3u);
  EXPECT_EQ(beat_calls, 3u);
  EXPECT_EQ(delay, sc_time(100 + 3 * 10 + 2 * 30, SC_NS));
}

TEST(RegisterBank, DispatchByOffsetFindsEveryRegisterAndNoHole) {
  Device dev("dev");
  EXPECT_EQ(dev.bank.find(0x0)->name(), "CTRL");
  EXPECT_EQ(dev.bank.find(0x1c)->name(), "FIFO_3");
  EXPECT_EQ(dev.bank.find(0x0c), nullptr);   // hole
  EXPECT_EQ(dev.bank.find(0x02), nullptr);   // misaligned
  EXPECT_EQ(dev.bank.find(0x40), nullptr);   // past the window
  EXPECT_EQ(dev.bank.peek(0x04), 0x1u);
  EXPECT_EQ(dev.bank.registers().size(), 7u);
  EXPECT_THROW(dev.bank.add("AGAIN", 0x04, Access::ReadOnly), std::logic_error);
}

}  // namespace
}  // namespace aesvp
