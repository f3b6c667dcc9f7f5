"""aesvp sweep run/collect on the small grid: the collected table has one row per point, every
axis value, and for every point exactly the figures of running that point alone; an
interrupted sweep re-run finishes only the points still pending.
With the plot script, a figure of the table against one axis grouped by another is drawn.
usage: local_sweep_test.py AESVP SPEC WORKDIR [PLOT_SCRIPT]"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_common import (check_table, expected_row, fail, load_table, point_args, run_alone,
                          spec_axes)

aesvp, spec_path, work = sys.argv[1:4]
plot = sys.argv[4] if len(sys.argv) > 4 else None
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
with open(spec_path) as f:
    spec = json.load(f)
n_points = 1
for values in spec_axes(spec).values():
    n_points *= len(values)
n_points //= len(spec_axes(spec)["key-size"])  # zipped with cipher: one dimension
if n_points < 8:
    fail("the grid must have at least 8 points, has %d" % n_points)


def sweep(*args, **kw):
    return subprocess.run([aesvp, "sweep"] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


# --- the whole grid, 2 at a time --------------------------------------------------------
out = os.path.join(work, "local")
r = sweep("run", spec_path, "--jobs", "2", "--out", out)
if r.returncode != 0:
    fail("sweep run: exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
r = sweep("collect", out)
if r.returncode != 0:
    fail("sweep collect: exit %d\n%s" % (r.returncode, r.stderr))
table = load_table(out)
check_table(table, spec, n_points)
with open(os.path.join(out, "results.csv")) as f:
    csv_lines = f.read().splitlines()
if len(csv_lines) != n_points + 1 or csv_lines[0].split(",") != table["columns"]:
    fail("results.csv: %d lines, header %s" % (len(csv_lines), csv_lines[0]))

# --- every point alone equals its row ---------------------------------------------------
axes = list(spec_axes(spec))
for row in table["rows"]:
    values = {a: row[a] for a in axes}
    stats = run_alone(aesvp, spec["command"], point_args(spec, values),
                      os.path.join(work, "alone-%s.json" % row["id"]))
    want = expected_row(stats)
    for col, v in want.items():
        if row[col] != v:
            fail("%s %s: table %r, alone %r" % (row["id"], col, row[col], v))
print("local sweep: %d points, every row equals its point run alone" % n_points)

if plot:
    r = subprocess.run([sys.executable, plot, "sweep", os.path.join(out, "results.json"),
                        os.path.join(work, "plot"), "throughput_mb_per_s", "cpu.clock_mhz",
                        "queue-depth"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    png = os.path.join(work, "plot-sweep-throughput_mb_per_s.png")
    if r.returncode != 0 or not os.path.exists(png) or os.path.getsize(png) < 10000:
        fail("sweep plot: exit %d %s" % (r.returncode, r.stderr))
    print("plot: " + png)

# --- interrupt, then resume --------------------------------------------------------------
out2 = os.path.join(work, "interrupted")
p = subprocess.Popen([aesvp, "sweep", "run", spec_path, "--jobs", "1", "--out", out2],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def done_files():
    d = os.path.join(out2, "points")
    if not os.path.isdir(d):
        return {}
    return {pid: os.stat(os.path.join(d, pid, "stats.json")).st_mtime_ns
            for pid in os.listdir(d) if os.path.exists(os.path.join(d, pid, "stats.json"))}


deadline = time.time() + 600
while len(done_files()) < 2 and time.time() < deadline and p.poll() is None:
    time.sleep(0.05)
p.send_signal(signal.SIGINT)
stdout, stderr = p.communicate(timeout=120)
if p.returncode != 130:
    fail("interrupted sweep: exit %d (expected 130)\n%s%s" % (p.returncode, stdout, stderr))
before = done_files()
k = len(before)
if not 2 <= k < n_points:
    fail("interrupted after %d of %d points" % (k, n_points))
for pid in os.listdir(os.path.join(out2, "points")):
    d = os.path.join(out2, "points", pid)
    for leftover in ("stats.partial.json", "failure.json"):
        if os.path.exists(os.path.join(d, leftover)):
            fail("%s: %s left by the interrupted sweep" % (pid, leftover))
r = sweep("status", out2)
if "%d done, 0 failed, %d pending" % (k, n_points - k) not in r.stdout:
    fail("status after the interruption: " + r.stdout)
r = sweep("run", spec_path, "--jobs", "2", "--out", out2)
if r.returncode != 0:
    fail("resumed sweep: exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
want = "ran %d (%d succeeded, 0 failed), %d already finished" % (n_points - k, n_points - k, k)
if want not in r.stdout:
    fail("resumed sweep: expected '%s' in\n%s" % (want, r.stdout))
after = done_files()
if len(after) != n_points or any(after[pid] != t for pid, t in before.items()):
    fail("resume touched finished points or missed some: %s -> %s" % (before, after))
sweep("collect", out2)
from sweep_common import comparable
if comparable(load_table(out2)) != comparable(table):
    fail("the resumed sweep's table differs from the uninterrupted one")
print("interrupted after %d points; the re-run ran the other %d only" % (k, n_points - k))
