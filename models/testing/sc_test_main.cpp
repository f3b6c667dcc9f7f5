#include "models/testing/sc_test.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>

namespace aesvp::testing {
namespace {

std::vector<CapturedReport>& captured() {
  static std::vector<CapturedReport> reports;
  return reports;
}

void capture_handler(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
  if (rep.get_severity() >= sc_core::SC_WARNING) {
    captured().push_back({rep.get_severity(), rep.get_msg_type(), rep.get_msg()});
  }
  // Keep SystemC's own handling (throwing on errors, stopping on fatal), without display.
  sc_core::sc_report_handler::default_handler(rep, actions & ~sc_core::SC_DISPLAY);
}

class UnexpectedReports : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo&) override { captured().clear(); }
  void OnTestEnd(const ::testing::TestInfo&) override {
    for (const CapturedReport& r : captured()) {
      ADD_FAILURE() << "unexpected SystemC report [" << r.msg_type << "]: " << r.message;
    }
    captured().clear();
  }
};

}  // namespace

std::vector<CapturedReport> take_reports(const std::string& prefix) {
  std::vector<CapturedReport> taken, kept;
  for (CapturedReport& r : captured()) {
    (r.msg_type.rfind(prefix, 0) == 0 ? taken : kept).push_back(std::move(r));
  }
  captured() = std::move(kept);
  return taken;
}

}  // namespace aesvp::testing

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  sc_core::sc_report_handler::set_handler(aesvp::testing::capture_handler);
  ::testing::UnitTest::GetInstance()->listeners().Append(new aesvp::testing::UnexpectedReports);
  return RUN_ALL_TESTS();
}
