// A sweep directory (docs/sweeps.md): DIR/sweep.json holds the plan (command, axes, every
// point's values and arguments); DIR/points/<id>/ holds one point's files. A point is done
// when stats.json exists: it is renamed into place only after the point's process exited 0,
// so a half-written or failed result is never counted as done. A failed point has
// failure.json (exit code or signal, the last line of its stderr).
#pragma once

#include "testbench/sweep/spec.h"

#include <string>
#include <vector>

namespace aesvp::sweep {

struct Plan {
  std::string command;
  std::vector<std::string> axes;
  std::vector<Point> points;
};

// Writes `text` to path.tmp and renames it to `path`: readers see the old file or the whole
// new one. Throws std::runtime_error.
void write_file_atomically(const std::string& path, const std::string& text);

enum class PointState { pending, done, failed };
const char* to_string(PointState s);

class SweepDir {
 public:
  explicit SweepDir(std::string dir) : dir_(std::move(dir)) {}

  // Creates the directory and its sweep.json; an existing one must hold the same points
  // (then the sweep resumes), else SpecError.
  void prepare(const Spec& spec, const std::vector<Point>& points) const;
  Plan load() const;  // SpecError when DIR holds no sweep

  const std::string& path() const { return dir_; }
  std::string point_dir(const Point& p) const;
  std::string stats_file(const Point& p) const { return point_dir(p) + "/stats.json"; }
  std::string partial_stats_file(const Point& p) const { return point_dir(p) + "/stats.partial.json"; }
  std::string failure_file(const Point& p) const { return point_dir(p) + "/failure.json"; }
  PointState state(const Point& p) const;

  // The point's arguments with "{point}" replaced by its directory.
  std::vector<std::string> arguments(const Point& p) const;

 private:
  std::string dir_;
};

}  // namespace aesvp::sweep
