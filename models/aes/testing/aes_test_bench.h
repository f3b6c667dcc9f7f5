// Test-side initiators for the OMAP AES model, shared by its tests and its benchmark:
//   - TestAesDma: a simple DMA that follows the DMA rules of docs/timing.md (one port,
//     one 16-byte frame per request, round-robin between the input and output channels,
//     sampling one delta cycle after each frame; in fast mode a channel keeps the port
//     while its request stays high and runs on a local time offset);
//   - TestBusMux: two initiators (a CPU and the DMA) onto the one AES target socket;
//   - TestCpu: register access helpers for a test thread.
// Not part of the model: header-only, test and benchmark code.
#pragma once

#include "models/aes/omap_aes_regs.h"
#include "models/core/level_signal.h"
#include "models/core/timing_mode.h"

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>

namespace aesvp::testing {

// Costs of the test DMA's frames (besides the AES register access latency, which comes
// back in the transport delay).
struct TestDmaCosts {
  sc_core::sc_time in_overhead{40, sc_core::SC_NS};    // frame set-up + memory read, before the DATA_IN write
  sc_core::sc_time out_overhead{30, sc_core::SC_NS};   // frame set-up, before the DATA_OUT read
  sc_core::sc_time out_mem_write{20, sc_core::SC_NS};  // memory write, after the DATA_OUT read
};

// Forwards two (or more) initiators to one target.
struct TestBusMux : sc_core::sc_module {
  tlm_utils::multi_passthrough_target_socket<TestBusMux> in{"in"};
  tlm_utils::simple_initiator_socket<TestBusMux> out{"out"};
  explicit TestBusMux(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    in.register_b_transport(this, &TestBusMux::b_transport);
    in.register_transport_dbg(this, &TestBusMux::transport_dbg);
  }
  void b_transport(int, tlm::tlm_generic_payload& t, sc_core::sc_time& d) { out->b_transport(t, d); }
  unsigned int transport_dbg(int, tlm::tlm_generic_payload& t) { return out->transport_dbg(t); }
};

class TestAesDma : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TestAesDma> socket{"socket"};
  sc_core::sc_in<bool> req_in{"req_in"};    // AES dma_req_in ("tx": into DATA_IN)
  sc_core::sc_in<bool> req_out{"req_out"};  // AES dma_req_out ("rx": out of DATA_OUT)

  // Fast mode only: blocks per DATA_IN / DATA_OUT transaction (a FIFO burst with
  // streaming width 16). The model times a burst's beats by its own access latency only,
  // so bursts > 1 trade timing accuracy for speed.
  unsigned burst_blocks = 1;
  // Called after each sample of the request lines (tests check invariants there).
  std::function<void()> on_sample;

  SC_HAS_PROCESS(TestAesDma);
  TestAesDma(sc_core::sc_module_name n, TimingMode mode, const TestDmaCosts& costs,
             std::uint64_t data_addr = omap_aes::kDataInOut0)
      : sc_core::sc_module(n), mode_(mode), costs_(costs), data_addr_(data_addr) {
    SC_THREAD(run);
  }

  // Arms a transfer of `blocks` blocks from src to dst; the DMA starts at the next sample.
  void start(const std::uint8_t* src, std::uint8_t* dst, std::uint64_t blocks) {
    src_ = src;
    dst_ = dst;
    blocks_ = blocks;
    in_done_ = out_done_ = 0;
    started_ = false;
    start_ev_.notify(sc_core::SC_ZERO_TIME);
  }
  const sc_core::sc_event& done_event() const { return done_ev_; }
  bool done() const { return blocks_ != 0 && out_done_ == blocks_; }

  sc_core::sc_time first_frame_start() const { return first_start_; }
  sc_core::sc_time last_frame_end() const { return last_end_; }
  std::uint64_t in_frames() const { return in_frames_; }
  std::uint64_t out_frames() const { return out_frames_; }
  std::uint64_t transactions() const { return transactions_; }
  std::uint64_t errors() const { return errors_; }

 private:
  enum class Ch { None, In, Out };

  void run() {
    for (;;) {
      wait(start_ev_);
      while (out_done_ < blocks_) {
        const bool want_in = req_in.read() && in_done_ < blocks_;
        const bool want_out = req_out.read() && out_done_ < blocks_;
        if (on_sample) on_sample();
        if (!want_in && !want_out) {
          // Idle: wake on a request edge (its event fires one delta after the change).
          wait(req_in.posedge_event() | req_out.posedge_event());
          continue;
        }
        Ch pick = want_in && want_out ? (last_ == Ch::In ? Ch::Out : Ch::In) : want_in ? Ch::In : Ch::Out;
        last_ = pick;
        if (!started_) {
          started_ = true;
          first_start_ = sc_core::sc_time_stamp();
        }
        sc_core::sc_time offset = sc_core::SC_ZERO_TIME;
        if (mode_ == TimingMode::Accurate) {
          frame(pick, offset, 1);
        } else {
          // Fast: the channel keeps the port while its request stays high.
          sc_core::sc_in<bool>& line = pick == Ch::In ? req_in : req_out;
          do {
            const std::uint64_t left = pick == Ch::In ? blocks_ - in_done_ : blocks_ - out_done_;
            frame(pick, offset, static_cast<unsigned>(std::min<std::uint64_t>(left, burst_blocks)));
          } while (line.read() && (pick == Ch::In ? in_done_ : out_done_) < blocks_);
        }
        wait(offset);  // the frame (chain) ends
        last_end_ = sc_core::sc_time_stamp();
        wait(sc_core::SC_ZERO_TIME);  // sample one delta later: the AES has settled
      }
      done_ev_.notify(sc_core::SC_ZERO_TIME);
    }
  }

  // One frame (or a FIFO burst of n frames) on a channel; `offset` is the local time.
  void frame(Ch ch, sc_core::sc_time& offset, unsigned n) {
    tlm::tlm_generic_payload t;
    const unsigned len = 16 * n;
    std::uint64_t& done = ch == Ch::In ? in_done_ : out_done_;
    unsigned char* data = ch == Ch::In ? const_cast<std::uint8_t*>(src_ + 16 * done) : dst_ + 16 * done;
    t.set_command(ch == Ch::In ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(data_addr_);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(16);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    offset += (ch == Ch::In ? costs_.in_overhead : costs_.out_overhead) * static_cast<double>(n);
    socket->b_transport(t, offset);
    if (ch == Ch::Out) offset += costs_.out_mem_write * static_cast<double>(n);
    if (!t.is_response_ok()) ++errors_;
    done += n;
    (ch == Ch::In ? in_frames_ : out_frames_) += n;
    ++transactions_;
  }

  TimingMode mode_;
  TestDmaCosts costs_;
  std::uint64_t data_addr_;
  const std::uint8_t* src_ = nullptr;
  std::uint8_t* dst_ = nullptr;
  std::uint64_t blocks_ = 0, in_done_ = 0, out_done_ = 0;
  std::uint64_t in_frames_ = 0, out_frames_ = 0, transactions_ = 0, errors_ = 0;
  bool started_ = false;
  Ch last_ = Ch::None;
  sc_core::sc_time first_start_, last_end_;
  sc_core::sc_event start_ev_, done_ev_;
};

// Register access helpers for a test thread: every access waits for its transport delay.
class TestCpu : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TestCpu> socket{"socket"};
  explicit TestCpu(sc_core::sc_module_name n, std::uint64_t base = 0) : sc_core::sc_module(n), base_(base) {}

  tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t off, void* data, unsigned len,
                                  unsigned width = 0, unsigned char* be = nullptr, unsigned be_len = 0) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(base_ + off);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(width == 0 ? len : width);
    t.set_byte_enable_ptr(be);
    t.set_byte_enable_length(be_len);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(t, delay);
    last_delay_ = delay;
    sc_core::wait(delay);
    return t.get_response_status();
  }
  void write(std::uint64_t off, std::uint32_t v) {
    if (access(tlm::TLM_WRITE_COMMAND, off, &v, 4) != tlm::TLM_OK_RESPONSE)
      throw std::runtime_error("TestCpu: write failed at offset " + std::to_string(off));
  }
  std::uint32_t read(std::uint64_t off) {
    std::uint32_t v = 0;
    if (access(tlm::TLM_READ_COMMAND, off, &v, 4) != tlm::TLM_OK_RESPONSE)
      throw std::runtime_error("TestCpu: read failed at offset " + std::to_string(off));
    return v;
  }
  const sc_core::sc_time& last_delay() const { return last_delay_; }

  // The AES context as a driver writes it: key words, IV, CTRL.
  void load_key(std::uint32_t (*word_at)(std::uint32_t), const std::uint8_t* key, std::size_t len) {
    for (std::uint32_t x = 0; x < len / 4; ++x) {
      std::uint32_t w;
      std::memcpy(&w, key + 4 * x, 4);
      write(word_at(x), w);
    }
  }
  void load_iv(const std::uint8_t* iv) {
    for (std::uint32_t x = 0; x < 4; ++x) {
      std::uint32_t w;
      std::memcpy(&w, iv + 4 * x, 4);
      write(omap_aes::iv_in(x), w);
    }
  }
  void read_iv(std::uint8_t* iv) {
    for (std::uint32_t x = 0; x < 4; ++x) {
      const std::uint32_t w = read(omap_aes::iv_in(x));
      std::memcpy(iv + 4 * x, &w, 4);
    }
  }

 private:
  std::uint64_t base_;
  sc_core::sc_time last_delay_;
};

}  // namespace aesvp::testing
