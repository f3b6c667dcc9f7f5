// TI EDMA3: the channel controller (TPCC) and its transfer controllers (TPTC), register-exact
// as far as Linux's edma dmaengine driver and omap-aes use them (docs/edma3-model.md).
//
// TPCC: 64 DMA channels with PaRAM sets (DCHMAP), event latch / enable / set / clear
// (ER, EER, ESR, CER, SER), missed events (EMR), DMAQNUM -> event queues, A- and
// AB-synchronised transfer requests (TRs), linking (PaRAM reload at set exhaustion) and
// chaining, completion codes into IPR with the region-0 completion interrupt (level while
// IPR & IER & DRAE0 != 0), the error interrupt (level while EMR / QEMR / CCERR != 0), global
// and shadow-region register views. QDMA channels: registers stored, trigger not modelled.
// TPTC: one per queue, one TR at a time; a TR is read in commands of at most `burst_bytes`
// (a 2D side whose arrays are contiguous becomes one 1D run, TRM command optimisation)
// into a FIFO of `fifo_bytes` and written out of it, one TLM transaction per command. Bus
// errors set ERRSTAT / ERRDET and the TC error line.
//
// Timing (docs/edma3-model.md): a TR costs tr_cycles, then its commands run on two ports:
// the read port issues a read every command time (command_cycles + beat_cycles per
// bus_bytes) while the FIFO has room and fewer than `read_commands` are in flight; the
// write port issues a write once its data has arrived, up to `write_commands` posted; the
// TR ends with the last write's response, completion_cycles later its code reaches IPR.
// Both modes wait per TR (a TC that ran ahead would miss other initiators' events meanwhile);
// accurate mode samples the event lines one delta after it; fast mode takes the edges a TR's
// own accesses raised (elastic AES) after the TR, behind the channel's level-held request.
#pragma once

#include "models/core/clock.h"
#include "models/core/level_signal.h"
#include "models/core/params.h"
#include "models/core/register_bank.h"
#include "models/core/timing_mode.h"
#include "models/edma3/edma3_regs.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace aesvp {

#define AESVP_EDMA3_PARAMS(X)                                                                 \
  X(double, clock_mhz, 200.0, "MHz",                                                          \
    "AM335x TRM SPRUH73 (clock domains): the EDMA3 TPCC/TPTCs are in the L3F domain, "       \
    "L3F_CLK = 200 MHz",                                                                      \
    "EDMA3 clock; every cycle count below is in its periods")                                 \
  X(std::uint32_t, param_sets, 256, "",                                                       \
    "AM335x TRM: 256 PaRAM sets (DRA7/AM57x: 512)",                                          \
    "PaRAM sets (CCCFG.NUM_PAENTRY); the first 64 belong to the channels by default")        \
  X(std::uint32_t, queues, 3, "",                                                             \
    "AM335x DT: 3 TPTCs, one event queue each (DRA7/AM57x: 2)",                              \
    "event queues = transfer controllers (CCCFG.NUM_EVQUE + 1)")                             \
  X(std::uint32_t, queue_depth, 16, "entries",                                                \
    "DRA7xx TRM SPRUI30: 16 entries per event queue (AM335x not confirmed: same IP assumed)", \
    "events an event queue holds; further events wait in ER")                                \
  X(std::uint32_t, fifo_bytes, 256, "bytes",                                                  \
    "estimate: TPTC data FIFO size is not published for AM335x / DRA7 (TCCFG.FIFOSIZE)",     \
    "TPTC data FIFO: a TR is read and written in chunks of at most this size")               \
  X(std::uint32_t, burst_bytes, 64, "bytes",                                                  \
    "estimate: TPTC default burst size (DBS) is not published for AM335x / DRA7",            \
    "largest read or write command; longer arrays are split into commands of this size")     \
  X(std::uint32_t, read_commands, 4, "commands",                                              \
    "estimate: the TPTC read controller issues reads ahead while the data FIFO has room "    \
    "(AM335x TRM SPRUH73 11.3.12); how many may be outstanding is not published",            \
    "read commands in flight at once (each waits only for its FIFO space)")                 \
  X(std::uint32_t, write_commands, 4, "commands",                                             \
    "estimate: writes are posted, their status collected before completion (TCSTAT.WSACTV, " \
    "AM335x TRM); how many may be pending is not published",                                 \
    "write commands whose status may be pending at once")                                   \
  X(std::uint32_t, bus_bytes, 8, "bytes",                                                     \
    "estimate: 64-bit TPTC master port on AM335x (DRA7 TRM: 128-bit)",                       \
    "bytes per data beat of a command")                                                       \
  X(std::uint32_t, tr_cycles, 6, "cycles",                                                    \
    "estimate: event prioritisation, PaRAM read and update, TR submission and program-set "  \
    "load in the TC, a few clocks each",                                                      \
    "cost of each transfer request before its first command")                                \
  X(std::uint32_t, command_cycles, 1, "cycles",                                               \
    "estimate: one command (address) phase per read or write command",                       \
    "cost of each command issued by a TC")                                                    \
  X(std::uint32_t, beat_cycles, 1, "cycles",                                                  \
    "one data beat per clock on the TC port",                                                \
    "cost per data beat (bus_bytes) of a command")                                            \
  X(std::uint32_t, completion_cycles, 2, "cycles",                                            \
    "estimate: TC completion signal to the TPCC and the IPR / CER update",                   \
    "from the end of a TR's last write to its completion code (normal completion mode)")     \
  X(std::uint32_t, reg_access_cycles, 1, "cycles",                                            \
    "estimate: the TPCC / TPTC register files answer in one clock; the bridge latency is "   \
    "the interconnect's",                                                                     \
    "latency of one register access")

AESVP_PARAM_GROUP(Edma3Params, "edma3", AESVP_EDMA3_PARAMS);

class Edma3 : public sc_core::sc_module {
 public:
  using TargetSocket = tlm_utils::simple_target_socket_tagged<Edma3>;
  using InitiatorSocket = tlm_utils::simple_initiator_socket_tagged<Edma3>;

  tlm_utils::simple_target_socket<Edma3> cc_regs;   // TPCC window (64 KiB)
  sc_core::sc_vector<TargetSocket> tc_regs;         // TPTC n window (1 KiB)
  sc_core::sc_vector<InitiatorSocket> tc_bus;       // TPTC n master port
  sc_core::sc_vector<sc_core::sc_in<bool>> event;   // channel n's DMA event (rising edge); unbound = low
  sc_core::sc_out<bool> ccint;                      // region-0 completion interrupt
  sc_core::sc_out<bool> ccerrint;                   // TPCC error interrupt
  sc_core::sc_vector<sc_core::sc_out<bool>> tcerrint;  // TPTC n error interrupt

  SC_HAS_PROCESS(Edma3);
  Edma3(sc_core::sc_module_name name, const Edma3Params& params, TimingMode mode);

  struct TcStats {
    std::uint64_t trs = 0;           // transfer requests executed
    std::uint64_t bytes = 0;         // bytes written
    std::uint64_t commands = 0;      // read + write commands (bus transactions)
    std::uint64_t errors = 0;        // bus error responses
    sc_core::sc_time busy{sc_core::SC_ZERO_TIME};
  };
  const TcStats& tc_stats(unsigned tc) const { return tcs_.at(tc).stats; }
  unsigned long missed_events() const { return missed_; }
  const Edma3Params& params() const { return params_; }
  TimingMode timing_mode() const { return mode_; }
  const Clock& clock() const { return clock_; }

  // Cost terms (docs/edma3-model.md), for platform-level formulas: the per-TR overhead, one
  // command of `bytes` bytes (interconnect and target latencies come on top), the
  // completion delay.
  sc_core::sc_time tr_overhead() const { return clock_.cycles(std::uint64_t{params_.tr_cycles}); }
  sc_core::sc_time command_cost(std::uint32_t bytes) const;
  sc_core::sc_time completion_delay() const {
    return clock_.cycles(std::uint64_t{params_.completion_cycles});
  }

 private:
  // A transfer request as the TPCC hands it to a TC.
  struct Tr {
    unsigned channel = 0;
    std::uint32_t opt = 0;
    std::uint64_t src = 0, dst = 0;
    std::uint32_t acnt = 0, arrays = 0;  // arrays of ACNT bytes
    std::int32_t src_bidx = 0, dst_bidx = 0;
    bool final = false;  // the TR that exhausted the set
  };
  struct Cmd {
    std::uint64_t addr;
    unsigned len;
  };
  struct Tc {
    std::deque<unsigned> queue;  // queued channels (the event queue of this TC)
    unsigned watermark = 0;
    sc_core::sc_event wake;
    bool busy = false;
    sc_core::sc_time started{sc_core::SC_ZERO_TIME};  // simulated time the current TR began
    std::uint32_t errstat = 0, erren = 0, errdet = 0;
    TcStats stats;
    // Reused by every TR of this TC (one at a time): a TR is ~10 bus commands, and a fresh
    // payload and fresh vectors per TR were a third of the EDMA3 path's host time.
    tlm::tlm_generic_payload trans;
    std::vector<Cmd> reads, writes;
    std::vector<sc_core::sc_time> read_done, write_sent, write_done;
    std::vector<std::uint64_t> write_end;  // FIFO bytes through write j
  };

  void before_end_of_elaboration() override;
  void end_of_elaboration() override;
  void declare_registers();
  void declare_channel_window(std::uint32_t base, int region);  // region -1 = global
  void declare_param_sets();
  void declare_tc_registers(unsigned tc);
  void cc_b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int cc_transport_dbg(tlm::tlm_generic_payload& trans);
  void tc_b_transport(int tc, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int tc_transport_dbg(int tc, tlm::tlm_generic_payload& trans);

  // 64-bit channel bit sets, low / high register halves.
  using Bits = std::uint64_t;
  static std::uint32_t half(Bits b, bool high) { return static_cast<std::uint32_t>(high ? b >> 32 : b); }
  static Bits widen(std::uint32_t v, bool high) { return high ? Bits{v} << 32 : Bits{v}; }
  Bits region_mask(int region) const;  // DRAE of a shadow region, all ones for the global view

  // Events and queues.
  void watch_events();  // SC_METHOD: rising edges latch ER
  void latch_event(unsigned ch);
  bool raised_by_own_tr() const;  // fast mode: an edge inside a TC's own commands
  void take_deferred();           // latches those edges once the TR has ended
  void service_events();  // queues pending events (ER & EER, ESR, CER) into their queues
  unsigned queue_of(unsigned ch) const;
  std::size_t queues_entries(unsigned q) const;
  std::uint32_t ccstat() const;
  unsigned tc_of_queue(unsigned q) const;
  std::uint32_t param_word(unsigned set, std::uint32_t word) const;
  void set_param_word(unsigned set, std::uint32_t word, std::uint32_t v);
  unsigned param_set_of(unsigned ch) const;
  // Builds the next TR of `ch` from its PaRAM set and updates the set (counts, addresses,
  // link). A dummy set (a count zero, not all) gives no TR but is linked; an event on a
  // null set (all counts zero) is missed.
  enum class SetKind { Transfer, Dummy, Null };
  SetKind build_tr(unsigned ch, Tr& tr);
  void link(unsigned set);  // reload from LINK, or the null set
  void missed(unsigned ch);

  // Completion and interrupts.
  void complete(const Tr& tr);
  void update_interrupts();

  // Transfer controllers.
  void tc_thread(unsigned tc);
  // Moves the TR's data; `delay` carries the start offset in and the end of the last write
  // out. False on a bus error.
  bool run_tr(unsigned tc, const Tr& tr, sc_core::sc_time& delay);
  // The commands of one side of a TR: each array in commands of at most burst_bytes, the
  // first one up to the next burst_bytes boundary; BCNT contiguous arrays of a power-of-two
  // ACNT <= burst_bytes (BIDX == ACNT, BCNT <= 1023) as one run (AM335x TRM SPRUH73
  // Table 11-21, read/write command optimisation).
  // Into `out` (cleared first).
  void side_commands(const Tr& tr, std::uint64_t base, std::int32_t bidx,
                     std::vector<Cmd>& out) const;
  bool command(unsigned tc, tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
               unsigned len, sc_core::sc_time& delay);

  Edma3Params params_;
  TimingMode mode_;
  Clock clock_;
  RegisterBank cc_bank_;
  std::vector<std::unique_ptr<RegisterBank>> tc_banks_;
  std::vector<std::uint32_t> param_;  // param_sets x 8 words
  std::array<std::uint32_t, edma3::kMaxChannels> dchmap_{};
  std::array<std::uint32_t, edma3::kMaxChannels / 8> dmaqnum_{};
  std::array<std::uint32_t, edma3::kRegions> qrae_{};
  std::array<Bits, edma3::kRegions> drae_{};
  std::uint32_t quetcmap_ = 0, quepri_ = 0, qdmaqnum_ = 0, qwmthra_ = 0;
  std::array<std::uint32_t, edma3::kQdmaChannels> qchmap_{};
  Bits er_ = 0, esr_ = 0, cer_ = 0, eer_ = 0, ser_ = 0, ier_ = 0, ipr_ = 0, emr_ = 0;
  std::uint32_t qemr_ = 0, ccerr_ = 0, qeer_ = 0;
  Bits last_levels_ = 0;  // the event lines as watch_events last saw them
  std::vector<unsigned long> rises_ = std::vector<unsigned long>(edma3::kMaxChannels, 0);
  // A high event line whose next request was swallowed by a dummy set (both modes) or, in
  // fast mode, arrived while the channel's events were disabled (EER clear, e.g. paused
  // between PaRAM batches); EESR takes it.
  Bits owed_ = 0;
  LineLevels event_levels_;  // the event lines as a mask
  Bits deferred_ = 0;  // fast mode: edges raised by a TR's own accesses, taken at its end
  std::vector<Tc> tcs_;
  std::vector<unsigned char> buffer_;
  unsigned long missed_ = 0;
  sc_core::sc_time access_delay_{sc_core::SC_ZERO_TIME};
  LevelSignal tie_low_{"tie_low"};
};

}  // namespace aesvp
