#include "traces/core/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace aesvp::traces {
namespace {

// Captures what the bar writes (open_memstream) and drives a fake clock.
struct Capture {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* f = open_memstream(&data, &size);
  ~Capture() {
    if (f != nullptr) std::fclose(f);
    std::free(data);
  }
  std::string text() {
    std::fflush(f);
    return std::string(data, size);
  }
};

TEST(traces_progress, NotATerminalShowsNothing) {
  Capture cap;
  ProgressOptions o;
  o.stream = cap.f;
  double now = 0;
  o.clock = [&] { return now; };
  ProgressBar bar(o);
  EXPECT_FALSE(bar.active());
  now = 100;
  bar.update(0.5);
  bar.finish();
  EXPECT_EQ(cap.text(), "");
}

TEST(traces_progress, DelayedRateLimitedAndCleared) {
  Capture cap;
  ProgressOptions o;
  o.stream = cap.f;
  o.mode = ProgressOptions::Mode::kAlways;
  o.width = 10;
  o.label = "run";
  double now = 1000;
  o.clock = [&] { return now; };
  {
    ProgressBar bar(o);
    now = 1001.5;
    bar.update(0.1);  // before the 2 s delay: short runs show nothing
    EXPECT_EQ(cap.text(), "");
    EXPECT_FALSE(bar.shown());
    now = 1002.5;
    bar.update(0.5);
    EXPECT_TRUE(bar.shown());
    const std::string first = cap.text();
    EXPECT_EQ(first.rfind("\r[#####.....]  50.0%", 0), 0u) << first;
    EXPECT_NE(first.find("run"), std::string::npos);
    now = 1002.6;
    bar.update(0.6);  // within 0.25 s: not redrawn
    EXPECT_EQ(cap.text(), first);
    now = 1003.0;
    bar.update(1.0);
    const std::string second = cap.text();
    EXPECT_GT(second.size(), first.size());
    EXPECT_NE(second.find("[##########] 100.0%"), std::string::npos);
  }  // destructor clears the line
  const std::string all = cap.text();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back(), '\r');
  const std::size_t last_cr = all.find_last_of('\r', all.size() - 2);
  const std::string blank = all.substr(last_cr + 1, all.size() - last_cr - 2);
  EXPECT_EQ(blank.find_first_not_of(' '), std::string::npos);
  EXPECT_GE(blank.size(), std::string("[##########] 100.0%  run").size());
}

TEST(traces_progress, ShortRunFinishWritesNothing) {
  Capture cap;
  ProgressOptions o;
  o.stream = cap.f;
  o.mode = ProgressOptions::Mode::kAlways;
  double now = 0;
  o.clock = [&] { return now; };
  ProgressBar bar(o);
  now = 1.0;
  bar.update(1.0);
  bar.finish();
  bar.update(1.0);
  EXPECT_EQ(cap.text(), "");
}

}  // namespace
}  // namespace aesvp::traces
