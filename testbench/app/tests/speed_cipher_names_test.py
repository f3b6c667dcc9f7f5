#!/usr/bin/env python3
"""aesvp speed: dm-crypt cipher specs (as aesvp crypt takes them) and the cryptsetup-benchmark
table. Checks the mapping spec + key size -> skcipher against the rule stated in docs/speed.md
(XTS splits the key in two), and that every MiB/s of the table is the same run's kB/s in the
statistics converted by hand (1 kB = 1000 B, 1 MiB = 2^20 B)."""
import json
import re
import subprocess
import sys
import tempfile

AESVP = sys.argv[1]


def speed(*args, expect=0):
    r = subprocess.run([AESVP, "speed", "--seconds-per-size", "0.002", *args],
                       capture_output=True, text=True)
    if r.returncode != expect:
        sys.exit(f"speed {' '.join(args)}: exit {r.returncode}, expected {expect}\n{r.stderr}")
    return r


with tempfile.TemporaryDirectory() as d:
    # dm-crypt specs name the skcipher they run on; the IV generator does not matter.
    for spec, bits, want in [("aes-xts-plain64", "512", "aes-256-xts"),
                             ("aes-xts-plain64", "256", "aes-128-xts"),
                             ("aes-cbc-essiv:sha256", "256", "aes-256-cbc"),
                             ("aes-cbc-plain", "192", "aes-192-cbc"),
                             ("aes-ecb", "128", "aes-128-ecb")]:
        f = f"{d}/s.json"
        speed("-c", spec, "-s", bits, "--sizes", "512", "--stats", f)
        got = json.load(open(f))["cipher"]
        if got != want:
            sys.exit(f"{spec} with {bits} bits ran {got}, expected {want}")
    # Without --key-size a spec takes cryptsetup's default, 256 bits.
    f = f"{d}/d.json"
    speed("-c", "aes-xts-plain64", "--sizes", "512", "--stats", f)
    if json.load(open(f))["cipher"] != "aes-128-xts":
        sys.exit("aes-xts-plain64 without --key-size is not 256 bits (AES-128-XTS)")
    # Refusals: one line, exit 2.
    for args in (["-c", "aes-128-cbc", "-s", "256"], ["-c", "aes-xts-plain64", "-s", "320"],
                 ["-c", "aes:2-cbc-plain64"], ["-c", "twofish-xts-plain64"],
                 ["--benchmark", "--decrypt"], ["--benchmark", "--sizes", "512,1024"]):
        r = speed(*args, expect=2)
        if not re.fullmatch(r"aesvp speed: error: [^\n]+\n", r.stderr):
            sys.exit(f"{args}: not one error line: {r.stderr!r}")

    # The benchmark table: four rows, encryption and decryption from the runs in the statistics.
    f = f"{d}/b.json"
    r = speed("--benchmark", "--sizes", "4096", "--stats", f)
    rows = re.findall(r"^\s+(aes-\w+)\s+(\d+)b\s+([\d.]+) MiB/s\s+([\d.]+) MiB/s$", r.stdout, re.M)
    want_rows = [("aes-cbc", "128"), ("aes-cbc", "256"), ("aes-xts", "256"), ("aes-xts", "512")]
    if [(a, k) for a, k, _, _ in rows] != want_rows:
        sys.exit(f"benchmark rows {rows}, expected {want_rows}\n{r.stdout}")
    runs = json.load(open(f))["runs"]
    if [x["direction"] for x in runs] != ["encrypt", "decrypt"] * 4:
        sys.exit("benchmark runs are not encrypt/decrypt pairs")
    for i, (_, _, enc, dec) in enumerate(rows):
        for shown, run in ((enc, runs[2 * i]), (dec, runs[2 * i + 1])):
            kbps = run["sizes"][0]["kB_per_s"]
            if run["sizes"][0]["bytes"] != 4096 or abs(float(shown) - kbps * 1000 / 2**20) > 0.051:
                sys.exit(f"row {i}: {shown} MiB/s vs {kbps} kB/s in the statistics")
            if run["verified"] != run["operations"] or run["operations"] == 0:
                sys.exit(f"row {i}: not every operation verified")
print("speed cipher names and --benchmark: ok")
