#include "testbench/sweep/runner.h"

#include "traces/core/progress.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace aesvp::sweep {
namespace {

volatile sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

// Catches SIGINT/SIGTERM for its lifetime (no SA_RESTART: waitpid returns EINTR).
class StopSignals {
 public:
  StopSignals() {
    g_stop = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  bool stopping() const { return g_stop != 0; }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

// The last non-empty line of a file (a failed aesvp's "aesvp <cmd>: error: ..." line).
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  return last;
}

[[noreturn]] void exec_child(const std::string& dir, const std::vector<std::string>& argv) {
  const int out = ::open((dir + "/stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = ::open((dir + "/stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int null = ::open("/dev/null", O_RDONLY);
  if (out < 0 || err < 0 || null < 0) _exit(127);
  ::dup2(null, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  std::vector<char*> v;
  for (const std::string& a : argv) v.push_back(const_cast<char*>(a.c_str()));
  v.push_back(nullptr);
  // Back to default dispositions (the runner catches SIGINT/SIGTERM).
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::execv(v[0], v.data());
  std::fprintf(stderr, "aesvp sweep: error: cannot run '%s': %s\n", v[0], std::strerror(errno));
  _exit(127);
}

}  // namespace

std::string self_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

pid_t start_point(const SweepDir& dir, const std::string& command, const Point& p,
                  const std::string& aesvp) {
  const std::string pd = dir.point_dir(p);
  std::error_code ec;
  fs::create_directories(pd, ec);
  if (ec) throw std::runtime_error("cannot create '" + pd + "': " + ec.message());
  fs::remove(dir.partial_stats_file(p), ec);
  fs::remove(dir.failure_file(p), ec);
  std::vector<std::string> argv{aesvp, command};
  for (std::string& a : dir.arguments(p)) argv.push_back(std::move(a));
  argv.push_back("--stats=" + dir.partial_stats_file(p));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start a process: ") + std::strerror(errno));
  if (pid == 0) exec_child(pd, argv);
  return pid;
}

Outcome finish_point(const SweepDir& dir, const Point& p, int status) {
  const std::string pd = dir.point_dir(p);
  std::error_code ec;
  if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM)) {
    fs::remove(dir.partial_stats_file(p), ec);
    return Outcome::stopped;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(dir.partial_stats_file(p), ec)) {
    fs::rename(dir.partial_stats_file(p), dir.stats_file(p), ec);
    if (!ec) return Outcome::succeeded;
  }
  Json f = Json::object();
  f["id"] = p.id;
  f["exit_code"] = WIFEXITED(status) ? Json(WEXITSTATUS(status)) : Json(nullptr);
  f["signal"] = WIFSIGNALED(status) ? Json(WTERMSIG(status)) : Json(nullptr);
  std::string message = last_line(pd + "/stderr.txt");
  if (message.empty() && WIFEXITED(status) && WEXITSTATUS(status) == 0)
    message = "exited 0 without writing its statistics";
  f["message"] = message;
  // Figures of a run that failed its verification are kept beside the failure.
  if (fs::exists(dir.partial_stats_file(p), ec))
    fs::rename(dir.partial_stats_file(p), pd + "/stats.failed.json", ec);
  write_file_atomically(dir.failure_file(p), f.dump(2) + "\n");
  return Outcome::failed;
}

RunSummary run_points(const SweepDir& dir, const Plan& plan, const std::vector<std::size_t>& which,
                      const RunOptions& o) {
  RunSummary sum;
  std::vector<const Point*> todo;
  for (std::size_t i : which) {
    const Point& p = plan.points.at(i);
    const PointState s = dir.state(p);
    if (s == PointState::done || (s == PointState::failed && !o.retry_failed)) ++sum.skipped;
    else todo.push_back(&p);
  }
  StopSignals signals;
  traces::ProgressOptions po;
  po.label = "aesvp sweep: " + std::to_string(todo.size()) + " points";
  po.mode = o.progress ? traces::ProgressOptions::Mode::kAuto : traces::ProgressOptions::Mode::kNever;
  traces::ProgressBar bar(po);
  std::map<pid_t, const Point*> running;
  std::size_t next = 0;
  const unsigned jobs = o.jobs == 0 ? 1 : o.jobs;
  while ((next < todo.size() && !signals.stopping()) || !running.empty()) {
    while (next < todo.size() && running.size() < jobs && !signals.stopping()) {
      const Point* p = todo[next++];
      running.emplace(start_point(dir, plan.command, *p, o.aesvp), p);
    }
    if (signals.stopping() && !sum.interrupted) {
      sum.interrupted = true;
      for (const auto& [pid, p] : running) ::kill(pid, SIGTERM);
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;  // no children left
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const Point* p = it->second;
    running.erase(it);
    switch (finish_point(dir, *p, status)) {
      case Outcome::succeeded: ++sum.succeeded; break;
      case Outcome::failed: ++sum.failed; break;
      case Outcome::stopped: sum.interrupted = true; continue;  // stays pending
    }
    ++sum.ran;
    bar.update(static_cast<double>(sum.ran) / static_cast<double>(todo.size()));
  }
  bar.finish();
  sum.pending = todo.size() - sum.ran;
  return sum;
}

}  // namespace aesvp::sweep
