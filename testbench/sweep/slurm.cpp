#include "testbench/sweep/slurm.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace aesvp::sweep {
namespace {

// Single-quoted for the shell.
std::string quoted(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_=.,/:+@%") == std::string::npos)
    return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::string write_slurm_script(const SweepDir& dir, const Plan& plan, const SlurmOptions& o,
                               const std::string& spec_path) {
  const std::size_t per = o.points_per_task == 0 ? 1 : o.points_per_task;
  const std::size_t tasks = (plan.points.size() + per - 1) / per;
  const std::string slurm_dir = dir.path() + "/slurm";
  std::error_code ec;
  fs::create_directories(slurm_dir, ec);
  if (ec) throw std::runtime_error("cannot create '" + slurm_dir + "': " + ec.message());
  const std::string path = slurm_dir + "/sweep.sbatch";
  std::ofstream s(path, std::ios::trunc);
  s << "#!/bin/bash\n"
    << "# aesvp sweep: " << plan.points.size() << " points of `aesvp " << plan.command
    << "` from " << spec_path << ",\n"
    << "# as a Slurm job array of " << tasks << " task" << (tasks == 1 ? "" : "s") << " ("
    << per << " point" << (per == 1 ? "" : "s") << " each). Written by `aesvp sweep submit`.\n"
    << "#   submit again:       sbatch " << quoted(path) << "\n"
    << "#   run a task by hand: SLURM_ARRAY_TASK_ID=0 bash " << quoted(path) << "\n"
    << "#   see the progress:   " << quoted(o.aesvp) << " sweep status " << quoted(dir.path()) << "\n"
    << "# A task skips points already done; a point's files are in points/<id>/.\n"
    << "#SBATCH --job-name=" << o.job_name << "\n"
    << "#SBATCH --array=0-" << (tasks ? tasks - 1 : 0)
    << (o.max_running ? "%" + std::to_string(o.max_running) : "") << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --output=" << slurm_dir << "/task-%a.out\n";
  if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
  if (!o.time_limit.empty()) s << "#SBATCH --time=" << o.time_limit << "\n";
  if (!o.account.empty()) s << "#SBATCH --account=" << o.account << "\n";
  for (const std::string& opt : o.sbatch_options) s << "#SBATCH " << opt << "\n";
  s << "set -eu\n\n"
    << "AESVP=" << quoted(o.aesvp) << "\n"
    << "SWEEP=" << quoted(dir.path()) << "\n"
    << "PER_TASK=" << per << "\n\n"
    << "# The points (task i runs points i*PER_TASK .. i*PER_TASK+PER_TASK-1); each is\n"
    << "# \"$AESVP\" " << plan.command << " ARGUMENTS --stats=$SWEEP/points/<id>/stats.partial.json\n";
  for (const Point& p : plan.points) {
    s << "#   " << p.id << ":";
    for (const std::string& a : dir.arguments(p)) s << " " << quoted(a);
    s << "\n";
  }
  s << "\nexec \"$AESVP\" sweep exec \"$SWEEP\" $((SLURM_ARRAY_TASK_ID * PER_TASK)) \"$PER_TASK\"\n";
  s.close();
  if (!s) throw std::runtime_error("cannot write '" + path + "'");
  return path;
}

std::string sbatch(const std::string& script, bool wait) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start sbatch: ") + std::strerror(errno));
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    if (wait) ::execlp("sbatch", "sbatch", "--parsable", "--wait", script.c_str(), static_cast<char*>(nullptr));
    else ::execlp("sbatch", "sbatch", "--parsable", script.c_str(), static_cast<char*>(nullptr));
    std::fprintf(stderr, "aesvp sweep: error: cannot run sbatch: %s (is Slurm installed?)\n",
                 std::strerror(errno));
    _exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[256];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string id = out.substr(0, out.find_first_of(";\n"));
  // With --wait, sbatch's exit status is the job's (non-zero when a task failed): the job id
  // is still the answer; the sweep's status says what failed.
  if (id.empty() || (!wait && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)))
    throw std::runtime_error("sbatch failed (exit " +
                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                             "; its message is above)");
  return id;
}

}  // namespace aesvp::sweep
