#!/usr/bin/python3
"""Every documented plot of traces/plot/aesvp_plot.py (docs/traces.md "Plots", docs/calibration.md;
the sweep plot is checked by testbench/sweep's test) run on real aesvp output: each PNG must
exist, be a real picture (size, dimensions, colours), and say in its title (PNG Title metadata)
which run it shows - checked against the options this test passed.

  plot_test.py AESVP PLOT_SCRIPT WORK_DIR
"""
import os
import shutil
import struct
import subprocess
import sys
import zlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.image as mpimg  # noqa: E402


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def png_text(path):
    """The tEXt chunks of a PNG (written from the PNG specification, section 11.3.4.3)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path} is not a PNG")
    text, pos = {}, 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            text[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            text[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        pos += 12 + length
    return text


def check_png(path, must_say):
    if not os.path.exists(path):
        fail(f"{path} was not written")
    size = os.path.getsize(path)
    if size < 10000:
        fail(f"{path} is only {size} bytes")
    img = mpimg.imread(path)
    h, w = img.shape[:2]
    if h < 300 or w < 500:
        fail(f"{path} is {w}x{h}")
    colours = {tuple(px) for px in img[::7, ::7].reshape(-1, img.shape[2]).tolist()}
    if len(colours) < 10:
        fail(f"{path} has {len(colours)} colours: blank?")
    title = png_text(path).get("Title", "")
    for s in must_say:
        if s not in title:
            fail(f"{path}: title '{title}' does not say '{s}'")
    print(f"ok {os.path.basename(path)}: {w}x{h}, {size} bytes, '{title}'")


def main(aesvp, plot, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    py = sys.executable

    # aesvp run: statistics (latency of requests and bios, utilisation) and timeline.
    run([aesvp, "run", "--size-mib", "1", "--seed", "7", "--stats", "s.json",
         "--timeline", "t.json"], work)
    run_says = ["aesvp run", "aes-xts-plain64", "1 MiB", "profile omap4", "seed 7"]
    run([py, plot, "stats", "s.json", "run"], work)
    check_png(os.path.join(work, "run-latency-request.png"), run_says + ["requests"])
    # 32 bios of 64 KiB within a few per cent of each other: the histogram still has a shape.
    check_png(os.path.join(work, "run-latency-bio.png"), run_says + ["32 bios"])
    title = png_text(os.path.join(work, "run-latency-bio.png"))["Title"]
    buckets = int(title.split(" buckets")[0].rsplit(" ", 1)[1])
    if buckets < 10:
        fail(f"the bio latency histogram has {buckets} buckets")
    check_png(os.path.join(work, "run-utilisation.png"), run_says)
    run([py, plot, "timeline", "t.json", "run"], work)
    check_png(os.path.join(work, "run-cpu-over-time.png"), run_says)

    # aesvp speed --json (the documented speed plot).
    run([aesvp, "speed", "--sizes", "16,4096", "--seconds-per-size", "0.0005", "--json",
         "speed.json"], work)
    run([py, plot, "speed", "speed.json", "speed"], work)
    check_png(os.path.join(work, "speed-speed.png"),
              ["aesvp speed", "aes-128-cbc", "16-4096 B requests", "profile omap4", "seed 1"])

    # aesvp speed --compare writes PREFIX.json and PREFIX-compare.png through the script.
    run([aesvp, "speed", "--profile", "am335x", "--compare", "--seconds-per-size", "0.0005",
         "--compare-prefix", "cmp"], work)
    check_png(os.path.join(work, "cmp-compare.png"), ["on am335x", "aesvp speed", "profile am335x"])
    os.remove(os.path.join(work, "cmp-compare.png"))
    run([py, plot, "compare", "cmp.json", "cmp"], work)
    check_png(os.path.join(work, "cmp-compare.png"), ["on am335x", "aesvp speed", "profile am335x"])
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
