#!/usr/bin/env python3
"""aesvp run --stats: throughput.phases[] holds each phase's throughput over the phase's own
simulated time, the figure the summary prints per phase; throughput.parts[] over the whole
run's time. Both recomputed here from bytes and times (1 MB = 1e6 B)."""
import json
import re
import subprocess
import sys
import tempfile

with tempfile.TemporaryDirectory() as d:
    r = subprocess.run([sys.argv[1], "run", "--size-mib", "1", "--stats", f"{d}/s.json"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"run failed: {r.stderr}")
    j = json.load(open(f"{d}/s.json"))
    shown = dict(re.findall(r"^\s+phase (\w+)\s+([\d.]+) MB/s", r.stdout, re.M))
    phases = j["throughput"]["phases"]
    if [p["name"] for p in phases] != ["write", "read"] or sorted(shown) != ["read", "write"]:
        sys.exit(f"phases {phases}, summary {shown}")
    total_s = j["time"]["simulated_s"]
    for p in phases:
        if p["bytes"] != 1 << 20:
            sys.exit(f"phase {p['name']}: {p['bytes']} bytes, expected 1 MiB")
        own = p["bytes"] / p["simulated_s"] / 1e6
        if abs(p["mb_per_s"] - own) > 1e-9 * own or abs(float(shown[p["name"]]) - own) > 0.006:
            sys.exit(f"phase {p['name']}: {p['mb_per_s']} / summary {shown[p['name']]} vs {own}")
        part = j["throughput"]["parts"][p["name"]]
        if abs(part["mb_per_s"] - part["bytes"] / total_s / 1e6) > 1e-9 * part["mb_per_s"]:
            sys.exit(f"part {p['name']}: not over the whole run")
        if not p["simulated_s"] < total_s:
            sys.exit("a phase is not shorter than the run")
print("run phases: ok")
