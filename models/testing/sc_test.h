// Test harness for SystemC tests (GoogleTest run from sc_main, since the Debian libsystemc
// exports main). Each test elaborates one bench and runs as its own ctest process.
//
// Every SystemC warning or error raised during a test fails the test, unless the test
// takes it with take_reports() first (tests of bad accesses expect warnings).
#pragma once

#include <systemc>

#include <string>
#include <vector>

namespace aesvp::testing {

struct CapturedReport {
  sc_core::sc_severity severity;
  std::string msg_type;
  std::string message;
};

// Removes and returns the captured warnings/errors whose message type starts with `prefix`.
std::vector<CapturedReport> take_reports(const std::string& prefix = "");

}  // namespace aesvp::testing
