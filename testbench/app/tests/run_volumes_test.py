#!/usr/bin/env python3
"""aesvp run --volumes: several dm-crypt volumes sharing one engine (docs/testbench.md).

1. Two volumes, gather merging (the policy that looks past other requests): every sector of
   both volumes is verified (counts worked out here from the job's shape), each volume
   submitted its own requests (ids v x 10^9 + n), and no composite in the timeline holds
   requests of two volumes (a member's volume is read from its id); the members and
   composites in the timeline add up to the statistics' merged_requests and composites, and the
   engine refused merges for another key (the volumes' requests interleave in its queue).
2. Two volumes on a host disk with keys from one key file: each volume's area, decrypted by
   the independent oracle (dmcrypt_oracle) with its own slice of the key file, is the
   workload's plaintext for that volume (the generator of docs/testbench.md, written again
   here); with the other volume's slice it is not.

usage: run_volumes_test.py AESVP DMCRYPT_ORACLE
"""
import json
import os
import subprocess
import sys
import tempfile

AESVP, ORACLE = sys.argv[1], sys.argv[2]
STRIDE = 10**9
MASK = (1 << 64) - 1


def run(args, d):
    r = subprocess.run([AESVP, "run", *args], capture_output=True, text=True, cwd=d)
    if r.returncode != 0:
        sys.exit(f"aesvp run {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)


def plaintext(seed, index, version, length=512):
    x = seed ^ ((index * 0x9E3779B97F4A7C15) & MASK) ^ (version << 48)
    x, _ = splitmix(x)
    out = bytearray()
    while len(out) < length:
        x, v = splitmix(x)
        out += v.to_bytes(8, "little")
    return bytes(out[:length])


def check_merging(d):
    area = 256 * 1024
    run(["--size", "256K", "--volumes", "2", "--queue-depth", "2", "--bulk", "engine",
         "--driver.merge=gather", "--driver.queue_len=32", "--stats", "s.json",
         "--timeline", "t.json", "--timeline-requests", "100000"], d)
    s = json.load(open(os.path.join(d, "s.json")))
    sectors = area // 512
    # Each volume writes its area and reads it back: 2 x sectors per volume.
    if s["counts"]["requests_verified"] != 2 * 2 * sectors or s["counts"]["requests_submitted"] != 2 * 2 * sectors:
        sys.exit(f"counts {s['counts']}: expected {4 * sectors} verified requests")
    vols = s["volumes"]
    if [v["volume"] for v in vols] != [1, 2] or s["configuration"]["volumes"] != 2:
        sys.exit(f"volumes {vols}")
    for i, v in enumerate(vols):
        if v["sectors_verified"] != 2 * sectors or v["requests_submitted"] != 2 * sectors \
                or v["mismatched_sectors"] != 0 or v["first_request_id"] != i * STRIDE + 1:
            sys.exit(f"volume {i + 1}: {v}")
    m = s["merging"]["aes1"]
    if m["refused"]["key"] == 0:
        sys.exit(f"no merge refused for another key: {m['refused']}")

    t = json.load(open(os.path.join(d, "t.json")))
    events = t["traceEvents"] if isinstance(t, dict) else t
    composites = {}
    for e in events:
        if e.get("name") == "member":
            composites.setdefault(e["args"]["composite"], []).append(e["args"]["request"])
    per_volume = [0, 0]
    for c, members in composites.items():
        owners = {(r - 1) // STRIDE for r in members}
        if len(owners) != 1:
            sys.exit(f"composite {c} merged requests of volumes {sorted(o + 1 for o in owners)}: {members}")
        owner = owners.pop()
        for r in members:
            if not 1 <= r - owner * STRIDE <= 2 * sectors:
                sys.exit(f"composite {c}: request id {r} is no volume's")
        per_volume[owner] += 1
    members = sum(len(v) for v in composites.values())
    if len(composites) != m["composites"] or members != m["merged_requests"]:
        sys.exit(f"timeline: {len(composites)} composites of {members} requests; statistics: "
                 f"{m['composites']} of {m['merged_requests']}")
    if min(per_volume) == 0:
        sys.exit(f"composites per volume {per_volume}: gather should find runs in both")
    print(f"merging: {len(composites)} composites ({per_volume} per volume), none across volumes; "
          f"refused key {m['refused']['key']}")


def check_keys(d):
    area_sectors = 128  # 64 KiB per volume
    key = bytes((7 * i + 3) & 0xFF for i in range(128))  # two 512-bit XTS keys
    open(os.path.join(d, "key"), "wb").write(key)
    for v in range(2):
        open(os.path.join(d, f"key{v}"), "wb").write(key[64 * v:64 * (v + 1)])
    run(["--size", "64K", "--volumes", "2", "--key-file", "key", "--key-size", "512",
         "--disk", "disk.img", "--seed", "5", "--bulk", "engine", "--driver.merge=gather"], d)
    for v in range(2):
        expected = b"".join(plaintext(5 + v, i, 1) for i in range(area_sectors))
        for k in range(2):
            out = os.path.join(d, f"plain{v}{k}")
            r = subprocess.run([ORACLE, "decrypt", "--cipher", "aes-xts-plain64", "--key-size", "512",
                                "--key-file", os.path.join(d, f"key{k}"), "--offset",
                                str(v * area_sectors), "--size", str(area_sectors),
                                os.path.join(d, "disk.img"), out], capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"oracle failed: {r.stderr}")
            same = open(out, "rb").read() == expected
            if same != (k == v):
                sys.exit(f"volume {v + 1} decrypted with key slice {k + 1}: "
                         f"{'matches' if same else 'does not match'} its plaintext")
    print("keys: each volume's area decrypts with its own key slice only")


with tempfile.TemporaryDirectory() as d:
    check_merging(d)
    check_keys(d)
print("run volumes: ok")
