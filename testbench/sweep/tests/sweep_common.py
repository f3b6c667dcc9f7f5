"""Shared by the sweep tests: what a collected row must hold, read independently of the
program's collect code from a statistics file written by running the point alone."""
import json
import os
import subprocess

# Figure column -> path in the statistics file (docs/traces.md), for `aesvp run`.
RUN_FIGURES = {
    "simulated_s": ("time", "simulated_s"),
    "throughput_mb_per_s": ("throughput", "mb_per_s"),
    "latency_p50_us": ("latency", "request", "p50_us"),
    "latency_p90_us": ("latency", "request", "p90_us"),
    "latency_p99_us": ("latency", "request", "p99_us"),
    "latency_max_us": ("latency", "request", "max_us"),
    "bio_latency_p99_us": ("latency", "bio", "p99_us"),
    "cpu_load": ("utilisation", "cpu", "fraction"),
    "aes_utilisation": ("utilisation", "hardware", "aes", "fraction"),
    "dma_utilisation": ("utilisation", "hardware", "sdma_port", "fraction"),
    "requests": ("counts", "requests_submitted"),
    "verified": ("counts", "requests_verified"),
}


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def dig(j, path):
    for k in path:
        j = j[k]
    return j


def expected_row(stats):
    row = {c: dig(stats, p) for c, p in RUN_FIGURES.items()}
    c = stats["counts"]
    row["errors"] = c["requests_failed"] + c["bios_failed"] + c["mismatched_sectors"]
    return row


def spec_axes(spec):
    """Axis name -> list of values, from the spec (lists and {from,to,step} ranges)."""
    axes = {}
    groups = [spec.get("axes", {})] + spec.get("zip", [])
    for g in groups:
        for name, v in g.items():
            if isinstance(v, list):
                axes[name] = v
            else:
                vals, x = [], v["from"]
                while x <= v["to"]:
                    vals.append(x)
                    x += v["step"]
                axes[name] = vals
    return axes


def option_args(name, value):
    if value is True:
        return ["--" + name]
    if value is False or value is None:
        return []
    return ["--%s=%s" % (name, value)]


def point_args(spec, values):
    args = []
    for n, v in spec.get("options", {}).items():
        args += option_args(n, v)
    for n, v in values.items():
        args += option_args(n, v)
    return args


def run_alone(aesvp, command, args, stats_path):
    r = subprocess.run([aesvp, command] + args + ["--stats", stats_path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        fail("aesvp %s %s: exit %d: %s" % (command, " ".join(args), r.returncode, r.stderr))
    with open(stats_path) as f:
        return json.load(f)


def load_table(out_dir):
    with open(os.path.join(out_dir, "results.json")) as f:
        return json.load(f)


def check_table(table, spec, n_expected):
    """Point count, one row per point, every axis value present, all done without errors."""
    rows = table["rows"]
    if len(rows) != n_expected:
        fail("%d rows, expected %d" % (len(rows), n_expected))
    for name, values in spec_axes(spec).items():
        if name not in table["columns"]:
            fail("axis %s is not a column" % name)
        seen = {json.dumps(r[name]) for r in rows}
        for v in values:
            if json.dumps(v) not in seen:
                fail("axis %s: value %r in no row" % (name, v))
    for r in rows:
        if r["status"] != "done" or r["exit_code"] != 0 or r["errors"] != 0:
            fail("row %s: status %s, exit %s, errors %s" % (r["id"], r["status"], r["exit_code"], r["errors"]))
    if len({r["id"] for r in rows}) != len(rows):
        fail("point ids repeat")


def comparable(table):
    """The table without host time (the only figure that differs between runs)."""
    return [{k: v for k, v in r.items() if k != "host_s"} for r in table["rows"]]
