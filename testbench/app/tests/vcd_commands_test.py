#!/usr/bin/env python3
"""--vcd on crypt and speed (as on run and hw): a VCD with its header, value changes at many
times, committed with the command's other outputs; refused as the same file as OUTPUT."""
import os
import subprocess
import sys
import tempfile

AESVP = sys.argv[1]


def vcd_ok(path, what):
    text = open(path, encoding="ascii").read()
    times = [l for l in text.splitlines() if l.startswith("#")]
    if "$enddefinitions" not in text or len(times) < 20:
        sys.exit(f"{what}: not a VCD with value changes ({len(times)} timestamps)")


with tempfile.TemporaryDirectory() as d:
    with open(f"{d}/img", "wb") as f:
        f.write(os.urandom(16384))
    with open(f"{d}/key", "wb") as f:
        f.write(os.urandom(32))
    run = lambda *a: subprocess.run([AESVP, *a], capture_output=True, text=True)
    r = run("crypt", "--key-file", f"{d}/key", "--encrypt", f"{d}/img", f"{d}/out", "--vcd", f"{d}/c.vcd")
    if r.returncode != 0:
        sys.exit(f"crypt --vcd: {r.stderr}")
    vcd_ok(f"{d}/c.vcd", "crypt")
    r = run("speed", "--sizes", "512", "--seconds-per-size", "0.0005", "--vcd", f"{d}/s.vcd")
    if r.returncode != 0:
        sys.exit(f"speed --vcd: {r.stderr}")
    vcd_ok(f"{d}/s.vcd", "speed")
    r = run("crypt", "--key-file", f"{d}/key", "--encrypt", f"{d}/img", f"{d}/o2", "--vcd", f"{d}/o2")
    if r.returncode != 2 or r.stderr.count("\n") != 1 or os.path.exists(f"{d}/o2"):
        sys.exit(f"crypt --vcd same as OUTPUT: exit {r.returncode}, {r.stderr!r}")
print("vcd on crypt and speed: ok")
