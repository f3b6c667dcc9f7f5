// Test devices for SystemC model tests: a register-less CPU-like initiator that waits for
// each access's latency, and a FIFO peripheral with a DMA request line that follows the AES
// handshake discipline (the request is lowered inside the access that services it).
#pragma once

#include "models/core/level_signal.h"

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <vector>

namespace aesvp::testing {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

// A register-less CPU: 32-bit accesses that wait for their latency (accurate CPU style).
struct TestCpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<TestCpu> socket{"socket"};
  explicit TestCpu(sc_core::sc_module_name n) : sc_core::sc_module(n) {}

  tlm::tlm_response_status access(tlm::tlm_command cmd, std::uint64_t addr, void* data,
                                  unsigned len, unsigned width = 0) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(width == 0 ? len : width);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = SC_ZERO_TIME;
    socket->b_transport(t, delay);
    wait(delay);
    return t.get_response_status();
  }
  std::uint32_t read(std::uint64_t addr) {
    std::uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, &v, 4), tlm::TLM_OK_RESPONSE) << std::hex << addr;
    return v;
  }
  void write(std::uint64_t addr, std::uint32_t v) {
    EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, addr, &v, 4), tlm::TLM_OK_RESPONSE) << std::hex << addr;
  }
};

// FIFO peripheral: a 16-byte data window at offset 0 (writes are collected, reads return a
// counting byte pattern) and a request line. Each request grants one unit of `unit_bytes`;
// the first access of a unit lowers the request. An access while no request was raised and
// no unit is open is counted as unsolicited.
struct FifoDevice : sc_core::sc_module {
  enum class Pacing {
    Manual,         // the test raises the request
    OnAccessEnd,    // re-raised at the annotated end of the unit's last access
    Elastic,        // re-raised inside the unit's last access (the request stays high)
  };
  tlm_utils::simple_target_socket<FifoDevice> socket{"socket"};
  LevelSignal req{"req"};

  struct Access {
    sc_time at;  // annotated time at which the access reaches the device
    bool write;
    unsigned len, width;
  };
  std::vector<Access> log;
  std::vector<unsigned char> received;
  unsigned unsolicited = 0;
  unsigned units_done = 0;
  unsigned unit_bytes = 16;
  sc_time latency{10, SC_NS};
  Pacing pacing = Pacing::Manual;
  unsigned requests_left = 0;
  unsigned char next_out = 0;

  SC_HAS_PROCESS(FifoDevice);
  explicit FifoDevice(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_b_transport(this, &FifoDevice::b_transport);
    SC_METHOD(raise_later);
    sensitive << raise_ev_;
    dont_initialize();
  }

  // Makes `n` requests, one unit each, paced as set; the first is raised now.
  void start(unsigned n, Pacing p) {
    pacing = p;
    requests_left = n;
    raise_next();
  }
  void raise() { req.write(true); }

 private:
  void raise_next() {
    if (requests_left == 0) return;
    --requests_left;
    req.write(true);
  }
  void raise_later() { raise_next(); }

  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    const unsigned len = t.get_data_length();
    const unsigned width = t.get_streaming_width();
    if (t.get_address() + width > 16 || t.get_byte_enable_ptr() != nullptr) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    log.push_back({sc_core::sc_time_stamp() + delay, t.is_write(), len, width});
    if (!unit_open_) {
      if (!req.read()) {
        ++unsolicited;
      } else {
        req.write(false);  // serviced: lowered inside the access
        unit_open_ = true;
        unit_count_ = 0;
      }
    }
    unsigned char* d = t.get_data_ptr();
    if (t.is_write()) received.insert(received.end(), d, d + len);
    else for (unsigned i = 0; i < len; ++i) d[i] = next_out++;
    delay += latency;
    if (unit_open_) {
      unit_count_ += len;
      if (unit_count_ >= unit_bytes) {
        unit_open_ = false;
        ++units_done;
        if (pacing == Pacing::Elastic) raise_next();
        else if (pacing == Pacing::OnAccessEnd && requests_left > 0) raise_ev_.notify(delay);
      }
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }

  bool unit_open_ = false;
  unsigned unit_count_ = 0;
  sc_core::sc_event raise_ev_;
};

}  // namespace aesvp::testing
