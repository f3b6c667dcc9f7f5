// Running sweep points: each point is an independent aesvp process, its stdout and stderr
// in its directory, its statistics written to stats.partial.json and renamed to stats.json
// when it exits 0. The local runner keeps N of them going; `aesvp sweep exec` runs points
// one after the other (what a Slurm array task does).
#pragma once

#include "testbench/sweep/store.h"

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

namespace aesvp::sweep {

struct RunOptions {
  std::string aesvp;          // the program to run for each point (absolute path)
  unsigned jobs = 1;          // processes at a time
  bool retry_failed = false;  // run failed points again (default: a failure is a result)
  bool progress = true;       // progress bar on a terminal
};

struct RunSummary {
  std::size_t ran = 0, succeeded = 0, failed = 0, skipped = 0, pending = 0;
  bool interrupted = false;
};

// The path of the running program (/proc/self/exe).
std::string self_executable();

// Starts one point (fork + exec), returns its pid.
pid_t start_point(const SweepDir& dir, const std::string& command, const Point& p,
                  const std::string& aesvp);
enum class Outcome { succeeded, failed, stopped };
// Records the outcome of a finished point from its wait status: stats.json on exit 0,
// failure.json for any other exit or signal, except SIGINT/SIGTERM (Ctrl-C, scancel, the
// runner stopping): then nothing is recorded and the point stays pending.
Outcome finish_point(const SweepDir& dir, const Point& p, int wait_status);

// Runs the points of `which` that are not done (nor failed, unless retry_failed). SIGINT and
// SIGTERM stop the running points (they stay pending) and return with interrupted set.
RunSummary run_points(const SweepDir& dir, const Plan& plan, const std::vector<std::size_t>& which,
                      const RunOptions& options);

}  // namespace aesvp::sweep
