#!/usr/bin/env python3
"""One size rule on every command (docs/units.md), through the built program: each size
spelling runs exactly the job of its plain-number or older-alias spelling (same statistics,
same output bytes), the statistics hold the bytes worked out here by hand, and --print-config
writes the canonical option, which reads back to the same configuration."""
import json
import os
import subprocess
import sys
import tempfile

AESVP = sys.argv[1]


def run(*args, ok=True):
    r = subprocess.run([AESVP, *args], capture_output=True, text=True)
    if ok and r.returncode != 0:
        sys.exit(f"aesvp {' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r


def figures(path):
    """The statistics without what names the command line (it differs by design)."""
    j = json.load(open(path))
    for key in ("command_line", "tool", "host"):
        j.pop(key, None)
    j.get("configuration", {}).pop("options", None)
    return j


def same(what, a, b):
    if a != b:
        sys.exit(f"{what}: differ\n{json.dumps(a, sort_keys=True)[:2000]}\n"
                 f"{json.dumps(b, sort_keys=True)[:2000]}")


with tempfile.TemporaryDirectory() as d:
    # run: the area and the bio sizes, as a size, as sectors and as the older MiB/KiB options.
    spellings = [["--size", "1M", "--bio-size", "4K,16K"],
                 ["--size-mib", "1", "--bio-kib", "4,16"],
                 ["--size", "2048S", "--bio-size", "8S,32s"],
                 ["--size", "1048576", "--bio-size", "4096,16KiB"]]
    stats = []
    for i, s in enumerate(spellings):
        run("run", *s, "--stats", f"{d}/run{i}.json", "--stats-normalise")
        stats.append(figures(f"{d}/run{i}.json"))
    w = stats[0]["configuration"]
    if (w.get("size_bytes"), w.get("size_mib"), w.get("bio_bytes"), w.get("bio_kib")) != \
            (1048576, 1, [4096, 16384], "4,16"):
        sys.exit(f"run workload: {w}")
    for i in range(1, len(spellings)):
        same(f"run {spellings[i]} vs {spellings[0]}", stats[i], stats[0])
    # A size that is not whole MiB: the exact bytes, the MiB field as a fraction.
    run("run", "--size", "1536K", "--bio-size", "512", "--queue-depth", "8",
        "--stats", f"{d}/frac.json", "--stats-normalise")
    w = figures(f"{d}/frac.json")["configuration"]
    if (w.get("size_bytes"), w.get("size_mib"), w.get("bio_bytes"), w.get("bio_kib")) != \
            (1572864, 1.5, [512], "0.5"):
        sys.exit(f"run --size 1536K --bio-size 512: workload {w}")
    # Every sector of the 1.5 MiB area went through: 3072 requests of 512 bytes each way.
    counts = figures(f"{d}/frac.json")
    if counts["counts"]["sectors"] != 2 * 3072:
        sys.exit(f"run --size 1536K: {counts['counts']}")

    # speed: request sizes with units are the same requests.
    for i, sizes in enumerate(["16,1K,4K", "16,1024,4096"]):
        run("speed", "--sizes", sizes, "--seconds-per-size", "0.0002", "--json", f"{d}/sp{i}.json",
            "--stats-normalise")
    a, b = (json.load(open(f"{d}/sp{i}.json")) for i in range(2))
    same("speed --sizes 16,1K,4K vs 16,1024,4096", a["sizes"], b["sizes"])
    if [r["bytes"] for r in a["sizes"]] != [16, 1024, 4096]:
        sys.exit(f"speed sizes: {[r['bytes'] for r in a['sizes']]}")

    # hw: --request-bytes 4K is 4096.
    for i, rb in enumerate(["4K", "4096"]):
        run("hw", "--requests", "2", "--request-bytes", rb, "--stats", f"{d}/hw{i}.json",
            "--stats-normalise")
    same("hw --request-bytes 4K vs 4096", figures(f"{d}/hw0.json"), figures(f"{d}/hw1.json"))

    # crypt: --chunk-size 16K is --chunk-kib 16 (same bytes, same chunk count); sector counts
    # stay cryptsetup's plain numbers.
    image, key = f"{d}/image", f"{d}/key"
    with open(image, "wb") as f:
        f.write(os.urandom(96 * 1024))
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    outs = []
    for i, chunk in enumerate([["--chunk-size", "16K"], ["--chunk-kib", "16"]]):
        r = run("crypt", "--key-file", key, "--encrypt", "--offset", "8", "--size", "128",
                *chunk, image, f"{d}/out{i}")
        outs.append((open(f"{d}/out{i}", "rb").read(),
                     [l for l in r.stdout.splitlines() if "chunk" in l]))
    same("crypt --chunk-size 16K vs --chunk-kib 16", outs[0], outs[1])
    if len(outs[0][0]) != 128 * 512 or "4 chunks" not in " ".join(outs[0][1]):
        sys.exit(f"crypt: {len(outs[0][0])} bytes, {outs[0][1]}")

    # --print-config: the canonical option, read back to the same configuration; an alias on
    # the command line still wins over a file.
    printed = run("run", "--size-mib", "2", "--bio-kib", "8,16", "--print-config").stdout
    lines = printed.splitlines()
    for want in ("size = 2M", "bio-size = 8K,16K", "mixed-size = 0"):
        if want not in lines:
            sys.exit(f"--print-config lacks '{want}':\n{printed}")
    if any(l.startswith(("size-mib", "bio-kib", "mixed-mib")) for l in lines):
        sys.exit(f"--print-config shows an alias:\n{printed}")
    with open(f"{d}/my.ini", "w") as f:
        f.write(printed)
    same("--print-config read back", run("run", "--config", f"{d}/my.ini", "--print-config").stdout,
         printed)
    over = run("run", "--config", f"{d}/my.ini", "--size-mib", "1", "--print-config").stdout
    if "size = 1M" not in over.splitlines():
        sys.exit(f"--size-mib 1 on the command line did not win over the file's size = 2M:\n{over}")
print("size units: ok")
