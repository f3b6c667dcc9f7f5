// `aesvp sweep`: parameter grids and regression farms (docs/sweeps.md). A JSON spec names an
// aesvp command, fixed options and axes; `plan` lists the points, `run` runs them locally N at
// a time, `submit` as a Slurm job array, `status` and `collect` read the sweep directory
// either way. The work is in testbench/sweep; this file is the command line.
#include "testbench/app/cli.h"
#include "testbench/app/commands.h"
#include "testbench/sweep/collect.h"
#include "testbench/sweep/runner.h"
#include "testbench/sweep/slurm.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace aesvp {
namespace {

using sweep::Json;

const char* const kUsage =
    "usage: aesvp sweep plan SPEC\n"
    "       aesvp sweep run SPEC --out DIR [--jobs N] [--retry-failed] [--no-progress]\n"
    "       aesvp sweep submit SPEC --out DIR [--partition P] [--time T] [--account A]\n"
    "                          [--points-per-task K] [--max-running N] [--sbatch-option OPT]...\n"
    "                          [--no-submit] [--wait]\n"
    "       aesvp sweep status DIR\n"
    "       aesvp sweep collect DIR [--csv FILE] [--json FILE]\n"
    "       aesvp sweep exec DIR FIRST [COUNT]   (what each Slurm array task runs)\n\n"
    "Runs a grid of aesvp run/crypt/speed/hw points, each an independent process writing its\n"
    "statistics JSON into DIR/points/<id>/; re-running resumes. docs/sweeps.md: the spec format.\n";

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& d,
                        const char* positional_names[], int positional_count) {
  po::positional_options_description pos;
  for (int i = 0; i < positional_count; ++i) pos.add(positional_names[i], 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(d).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  for (int i = 0; i < positional_count; ++i)
    if (!vm.count(positional_names[i]) && std::string(positional_names[i]) != "count")
      throw UsageError(std::string("give the ") + positional_names[i] + " (aesvp sweep --help)");
  return vm;
}

std::string program() {
  const std::string self = sweep::self_executable();
  if (self.empty()) throw std::runtime_error("cannot find the aesvp program (/proc/self/exe)");
  return self;
}

std::string absolute(const std::string& dir) { return std::filesystem::absolute(dir).lexically_normal().string(); }

std::string command_text(const std::string& command, const std::vector<std::string>& args) {
  std::string t = "aesvp " + command;
  for (const std::string& a : args) t += " " + a;
  return t;
}

// The spec's option names and values must be ones the command takes: the first point is
// checked with --print-config (parsing only, nothing runs) before anything starts.
void check_first_point(const sweep::Plan& plan, const std::string& aesvp) {
  if (plan.points.empty()) throw UsageError("the spec gives no points (all excluded?)");
  std::vector<std::string> argv{aesvp, plan.command};
  for (const std::string& a : plan.points.front().args) argv.push_back(a);
  argv.push_back("--print-config");
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("cannot start a process to check the spec's options");
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::vector<char*> v;
    for (std::string& a : argv) v.push_back(a.data());
    v.push_back(nullptr);
    ::execv(v[0], v.data());
    _exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw UsageError("the spec's options are not ones `aesvp " + plan.command +
                     "` takes (its message is above)");
}

sweep::Plan plan_of(const std::string& spec_path, std::vector<sweep::Point>* out_points = nullptr,
                    sweep::Spec* out_spec = nullptr) {
  const sweep::Spec spec = sweep::load_spec(spec_path);
  std::vector<sweep::Point> points = sweep::plan(spec);
  sweep::Plan p{spec.command, spec.axis_names(), points};
  if (out_points) *out_points = std::move(points);
  if (out_spec) *out_spec = spec;
  return p;
}

int plan_command(const std::vector<std::string>& args) {
  po::options_description d;
  d.add_options()("spec", po::value<std::string>(), "");
  const char* pos[] = {"spec"};
  const po::variables_map vm = parse(args, d, pos, 1);
  const sweep::Plan plan = plan_of(vm["spec"].as<std::string>());
  for (const sweep::Point& p : plan.points) std::printf("%s  %s\n", p.id.c_str(), command_text(plan.command, p.args).c_str());
  std::printf("%zu points (axes: ", plan.points.size());
  for (std::size_t i = 0; i < plan.axes.size(); ++i) std::printf("%s%s", i ? ", " : "", plan.axes[i].c_str());
  std::printf(")\n");
  return 0;
}

// Counts per state; prints one line and the failed points.
int print_status(const sweep::SweepDir& dir, const sweep::Plan& plan) {
  std::size_t done = 0, failed = 0, pending = 0;
  std::vector<std::string> failures;
  for (const sweep::Point& p : plan.points) {
    switch (dir.state(p)) {
      case sweep::PointState::done: ++done; break;
      case sweep::PointState::pending: ++pending; break;
      case sweep::PointState::failed: {
        ++failed;
        std::ifstream in(dir.failure_file(p));
        const Json f = Json::parse(in, nullptr, false);
        std::string why = "?";
        if (f.is_object()) {
          const Json code = f.value("exit_code", Json()), sig = f.value("signal", Json());
          why = (code.is_null() ? "signal " + sig.dump() : "exit " + code.dump()) + ": " +
                f.value("message", std::string());
        }
        failures.push_back("  " + p.id + " failed (" + why + "): " + command_text(plan.command, p.args));
        break;
      }
    }
  }
  std::printf("%s: %zu points: %zu done, %zu failed, %zu pending\n", dir.path().c_str(),
              plan.points.size(), done, failed, pending);
  for (const std::string& f : failures) std::printf("%s\n", f.c_str());
  return failed ? 1 : 0;
}

int status_command(const std::vector<std::string>& args) {
  po::options_description d;
  d.add_options()("dir", po::value<std::string>(), "");
  const char* pos[] = {"dir"};
  const po::variables_map vm = parse(args, d, pos, 1);
  const sweep::SweepDir dir(absolute(vm["dir"].as<std::string>()));
  const int rc = print_status(dir, dir.load());
  return rc;
}

int run_sweep_command(const std::vector<std::string>& args) {
  po::options_description d;
  unsigned jobs = 0;
  d.add_options()("spec", po::value<std::string>(), "")("out", po::value<std::string>(), "")
      ("jobs,j", po::value<unsigned>(&jobs), "")("retry-failed", "")("no-progress", "");
  const char* pos[] = {"spec"};
  const po::variables_map vm = parse(args, d, pos, 1);
  if (!vm.count("out")) throw UsageError("--out DIR: where the points' results go");
  sweep::Spec spec;
  std::vector<sweep::Point> points;
  const sweep::Plan plan = plan_of(vm["spec"].as<std::string>(), &points, &spec);
  const std::string aesvp = program();
  check_first_point(plan, aesvp);
  const sweep::SweepDir dir(absolute(vm["out"].as<std::string>()));
  dir.prepare(spec, points);
  sweep::RunOptions o;
  o.aesvp = aesvp;
  o.jobs = jobs ? jobs : std::max(1u, static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)));
  o.retry_failed = vm.count("retry-failed") != 0;
  o.progress = vm.count("no-progress") == 0;
  std::vector<std::size_t> all(plan.points.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const sweep::RunSummary s = sweep::run_points(dir, plan, all, o);
  std::printf("aesvp sweep: %zu points: ran %zu (%zu succeeded, %zu failed), %zu already "
              "finished, %zu pending; %u at a time\n",
              plan.points.size(), s.ran, s.succeeded, s.failed, s.skipped, s.pending, o.jobs);
  if (s.interrupted) {
    std::fprintf(stderr, "aesvp sweep: interrupted: %zu points pending; the same command "
                 "finishes them\n", s.pending);
    return 130;
  }
  return print_status(dir, plan);
}

int exec_command(const std::vector<std::string>& args) {
  po::options_description d;
  std::size_t first = 0, count = 1;
  d.add_options()("dir", po::value<std::string>(), "")("first", po::value<std::size_t>(&first), "")
      ("count", po::value<std::size_t>(&count), "");
  const char* pos[] = {"dir", "first", "count"};
  const po::variables_map vm = parse(args, d, pos, 3);
  const sweep::SweepDir dir(absolute(vm["dir"].as<std::string>()));
  const sweep::Plan plan = dir.load();
  std::vector<std::size_t> which;
  for (std::size_t i = first; i < plan.points.size() && i < first + count; ++i) which.push_back(i);
  sweep::RunOptions o;
  o.aesvp = program();
  o.jobs = 1;
  o.progress = false;
  const sweep::RunSummary s = sweep::run_points(dir, plan, which, o);
  std::printf("aesvp sweep exec: points %zu..%zu: ran %zu (%zu failed), %zu already finished\n",
              first, first + which.size() - (which.empty() ? 0 : 1), s.ran, s.failed, s.skipped);
  return s.interrupted ? 130 : s.failed ? 1 : 0;
}

int collect_command(const std::vector<std::string>& args) {
  po::options_description d;
  std::string csv, json;
  d.add_options()("dir", po::value<std::string>(), "")("csv", po::value<std::string>(&csv), "")
      ("json", po::value<std::string>(&json), "");
  const char* pos[] = {"dir"};
  const po::variables_map vm = parse(args, d, pos, 1);
  const sweep::SweepDir dir(absolute(vm["dir"].as<std::string>()));
  const sweep::Plan plan = dir.load();
  const sweep::Table t = sweep::collect(dir, plan);
  if (csv.empty()) csv = dir.path() + "/results.csv";
  if (json.empty()) json = dir.path() + "/results.json";
  std::ostringstream csv_text;
  sweep::write_csv(csv_text, t);
  sweep::write_file_atomically(csv, csv_text.str());
  sweep::write_file_atomically(json, sweep::table_json(t).dump(2) + "\n");
  std::size_t done = 0;
  for (const Json& r : t.rows) done += r.at("status").get<std::string>() == "done";
  std::printf("aesvp sweep collect: %zu rows (%zu done) -> %s, %s\n", t.rows.size(), done,
              csv.c_str(), json.c_str());
  return 0;
}

int submit_command(const std::vector<std::string>& args) {
  po::options_description d;
  sweep::SlurmOptions o;
  d.add_options()("spec", po::value<std::string>(), "")("out", po::value<std::string>(), "")
      ("partition", po::value<std::string>(&o.partition), "")
      ("time", po::value<std::string>(&o.time_limit), "")
      ("account", po::value<std::string>(&o.account), "")
      ("job-name", po::value<std::string>(&o.job_name), "")
      ("points-per-task", po::value<std::size_t>(&o.points_per_task), "")
      ("max-running", po::value<unsigned>(&o.max_running), "")
      ("sbatch-option", po::value<std::vector<std::string>>(&o.sbatch_options), "")
      ("no-submit", "")("wait", "");
  const char* pos[] = {"spec"};
  const po::variables_map vm = parse(args, d, pos, 1);
  if (!vm.count("out")) throw UsageError("--out DIR: where the points' results go");
  if (o.points_per_task == 0) throw UsageError("--points-per-task: at least 1");
  sweep::Spec spec;
  std::vector<sweep::Point> points;
  const std::string spec_path = vm["spec"].as<std::string>();
  const sweep::Plan plan = plan_of(spec_path, &points, &spec);
  o.aesvp = program();
  check_first_point(plan, o.aesvp);
  const sweep::SweepDir dir(absolute(vm["out"].as<std::string>()));
  dir.prepare(spec, points);
  const std::string script = sweep::write_slurm_script(dir, plan, o, absolute(spec_path));
  std::printf("aesvp sweep submit: %zu points, job script %s\n", plan.points.size(), script.c_str());
  if (vm.count("no-submit")) return 0;
  const std::string id = sweep::sbatch(script, vm.count("wait") != 0);
  std::ofstream(dir.path() + "/slurm/jobs.txt", std::ios::app) << id << "\n";
  std::printf("aesvp sweep submit: Slurm job %s%s; `aesvp sweep status %s` follows it\n", id.c_str(),
              vm.count("wait") ? " finished" : " submitted", dir.path().c_str());
  return vm.count("wait") ? print_status(dir, plan) : 0;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "plan") return plan_command(rest);
    if (args[0] == "run") return run_sweep_command(rest);
    if (args[0] == "submit") return submit_command(rest);
    if (args[0] == "status") return status_command(rest);
    if (args[0] == "collect") return collect_command(rest);
    if (args[0] == "exec") return exec_command(rest);
  } catch (const sweep::SpecError& e) {
    throw UsageError(e.what());
  }
  throw UsageError("unknown sweep command '" + args[0] + "' (plan, run, submit, status, collect)");
}

}  // namespace aesvp
