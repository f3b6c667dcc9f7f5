// The Slurm backend of `aesvp sweep submit`: a job-array script (readable, usable by hand:
// `sbatch` it again, or run one task with SLURM_ARRAY_TASK_ID=i bash SCRIPT) whose tasks run
// `aesvp sweep exec DIR FIRST COUNT`, so the sweep directory fills exactly as with the local
// runner.
#pragma once

#include "testbench/sweep/store.h"

#include <string>
#include <vector>

namespace aesvp::sweep {

struct SlurmOptions {
  std::string aesvp;                       // absolute path of the program on the nodes
  std::size_t points_per_task = 1;
  std::string partition, time_limit, account, job_name = "aesvp-sweep";
  unsigned max_running = 0;                // 0: no limit (--array=...%N otherwise)
  std::vector<std::string> sbatch_options; // further "#SBATCH" lines, e.g. "--mem=2G"
};

// Writes DIR/slurm/sweep.sbatch and returns its path.
std::string write_slurm_script(const SweepDir& dir, const Plan& plan, const SlurmOptions& o,
                               const std::string& spec_path);

// Runs `sbatch --parsable [--wait] SCRIPT`; returns the job id (throws with sbatch's message).
std::string sbatch(const std::string& script, bool wait);

}  // namespace aesvp::sweep
