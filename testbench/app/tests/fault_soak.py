#!/usr/bin/env python3
"""The fault soak: aesvp run over 128 MiB (262144 sector requests written, as many read back:
524288 requests) with every kind of fault injected at random, then the books must balance:
submitted = completed = succeeded + failed, every failed request explained by an injected
fault, no mismatching sector. Prints the table. PROFILE (default omap4) picks the SoC: the
am335x variant (EDMA3, OMAP INTC) runs 16 MiB (65536 requests).
Usage: fault_soak.py AESVP WORKDIR [SIZE_MIB [PROFILE]]
"""
import json
import os
import subprocess
import sys
import time

aesvp, work = sys.argv[1], sys.argv[2]
size_mib = int(sys.argv[3]) if len(sys.argv) > 3 else 128
profile = sys.argv[4] if len(sys.argv) > 4 else "omap4"
os.makedirs(work, exist_ok=True)
stats = os.path.join(work, profile + "-soak.json")
kinds = {"dma-read-error": 2e-4, "dma-write-error": 2e-4, "dropped-completion": 2e-4,
         "lost-irq": 2e-4, "spurious-irq": 5e-4, "stuck-aes": 2e-4, "mmio-error": 2e-4}
cmd = [aesvp, "run", "--profile", profile, "--size-mib", str(size_mib), "--bio-kib", "4,16,64", "--queue-depth", "8",
       "--pattern", "rand", "--read-percent", "50", "--mixed-mib", str(size_mib),
       "--driver.dma_timeout_us=500", "--inject-seed", "2026", "--stats", stats]
for k, rate in kinds.items():
    cmd += ["--inject-" + k, f"rate:{rate}"]
t0 = time.monotonic()
p = subprocess.run(cmd, capture_output=True, text=True)
host = time.monotonic() - t0
if p.returncode != 0 or p.stderr:
    print(" ".join(cmd))
    print(p.stdout + p.stderr)
    sys.exit(1)
j = json.load(open(stats))
c, f = j["counts"], j["faults"]
sub, comp, failed = c["requests_submitted"], c["requests_completed"], c["requests_failed"]
ok = comp - failed
rows = [("requests submitted", sub), ("requests completed", comp),
        ("  succeeded", ok), ("  failed", failed),
        ("bios", c["bios"]), ("bios failed", c["bios_failed"]),
        ("sectors verified", c["requests_verified"]),
        ("sectors mismatched", c["mismatched_sectors"]),
        ("sectors not comparable (never written)", c["unwritten_sectors_read"]),
        ("failures without an injected fault", f["unfaulted_failures"])]
print(f"fault soak ({profile}): {size_mib} MiB written, {size_mib} MiB mixed (50 % reads), "
      f"seed 2026, {host:.1f} s host time")
print(f"{'':40} {'count':>10}")
for name, v in rows:
    print(f"{name:40} {v:>10}")
print(f"\n{'fault kind':22} {'rate':>8} {'injected':>10} {'failed':>10} {'absorbed':>10} "
      f"{'collateral':>10}")
for k, rate in kinds.items():
    r = f["kinds"][k]
    print(f"{k:22} {rate:>8g} {r['injected']:>10} {r['request_failed']:>10} {r['absorbed']:>10} "
          f"{r['collateral_failed']:>10}")
print(f"{'total':22} {'':>8} {f['injected']:>10} {f['request_failed']:>10} {f['absorbed']:>10} "
      f"{f['collateral_failed']:>10}")
print("handling: " + ", ".join(f"{k} {v}" for k, v in f["handling"].items()))
fails = []
# Each MiB is 2048 sector requests written and as many in the mixed phase.
want = 4096 * size_mib  # 524288 for the default 128 MiB (the issue asks for 500k or more)
if sub < want: fails.append(f"only {sub} requests (at least {want})")
if not (sub == comp == ok + failed): fails.append("submitted != completed != succeeded + failed")
if c["mismatched_sectors"] != 0: fails.append("mismatching sectors")
if failed != f["request_failed"] + f["collateral_failed"]:
    fails.append("failed requests != requests failed by faults (with their collateral)")
if f["unfaulted_failures"] != 0: fails.append("failures without an injected fault")
if f["injected"] != f["request_failed"] + f["absorbed"]: fails.append("faults without an outcome")
for k in kinds:
    if f["kinds"][k]["injected"] == 0: fails.append(f"no {k} was injected")
if fails:
    print("FAILED: " + "; ".join(fails))
    sys.exit(1)
