#!/usr/bin/env python3
"""aesvp run --inject-<kind>: one kind of fault into three known requests of a small run.

With --queue-depth 1 and 4 KiB bios over a 1 MiB area, request n (1-based, in submission
order) is the n-th sector request: ids 1..2048 write sectors 0..2047 (bio (n-1)//8), ids
2049..4096 read them back. The expected figures below follow from that arithmetic alone.
PROFILE (default omap4: sDMA, GIC) may be am335x (EDMA3, OMAP INTC, one AES) or am57x (EDMA3,
GIC, two AES instances working on the same bio). With two instances, a lost interrupt on the
EDMA3 completion line they share also hides the other instance's completion: that request
fails as "collateral" - at most one per fault (the other instance has one request in flight),
always in the bio that already fails, so every bio and sector figure stays as above.
Usage: fault_injection_test.py AESVP KIND WORKDIR [PROFILE]
"""
import json
import os
import subprocess
import sys

aesvp, kind, work = sys.argv[1], sys.argv[2], sys.argv[3]
profile = sys.argv[4] if len(sys.argv) > 4 else "omap4"
os.makedirs(work, exist_ok=True)
stats = os.path.join(work, profile + "-" + kind + ".json")
ids = [3, 1000, 3000]          # two write requests (bios 0 and 124), one read (bio 118 of the read phase)
sectors = 2048                 # 1 MiB of 512-byte sectors
absorbing = kind == "spurious-irq"
cmd = [aesvp, "run", "--profile", profile, "--size-mib", "1", "--bio-kib", "4", "--queue-depth", "1",
       "--driver.dma_timeout_us=200", "--inject-" + kind, "ids:" + ",".join(map(str, ids)),
       "--stats", stats]
p = subprocess.run(cmd, capture_output=True, text=True)
fails = []
def expect(what, got, want):
    if got != want:
        fails.append(f"{what}: {got} (expected {want})")
expect("exit status", p.returncode, 0)
expect("stderr", p.stderr, "")
if p.returncode == 0:
    j = json.load(open(stats))
    c, f = j["counts"], j["faults"]
    k = f["kinds"][kind]
    n_failed = 0 if absorbing else len(ids)
    expect("injected", k["injected"], len(ids))
    expect("request_failed", k["request_failed"], n_failed)
    expect("absorbed", k["absorbed"], len(ids) - n_failed)
    collateral = k["collateral_failed"]
    if kind == "lost-irq" and profile == "am57x":
        expect("collateral failures at most one per fault", 0 <= collateral <= len(ids), True)
    else:
        expect("collateral_failed", collateral, 0)
    expect("requests_submitted", c["requests_submitted"], 2 * sectors)
    expect("requests_completed", c["requests_completed"], 2 * sectors)
    expect("requests_failed", c["requests_failed"], n_failed + collateral)
    expect("bios_failed", c["bios_failed"], n_failed)
    expect("mismatched_sectors", c["mismatched_sectors"], 0)
    # The two failed write bios leave 8 sectors each that no write reached; the failed read
    # bio's 8 sectors are not compared either.
    expect("unwritten_sectors_read", c["unwritten_sectors_read"], 0 if absorbing else 16)
    expect("requests_verified", c["requests_verified"],
           2 * sectors if absorbing else 2 * sectors - 8 - 8 - 16 - 8)
    expect("unfaulted_failures", f["unfaulted_failures"], 0)
    expect("faults_injected", c["faults_injected"], len(ids))
    if kind == "spurious-irq":
        expect("IRQ_NONE answers", f["handling"]["kernel_irq_none"] >= len(ids), True)
    elif kind in ("dropped-completion", "lost-irq", "stuck-aes"):
        expect("driver timeouts", f["handling"]["driver_timeouts"], len(ids) + collateral)
    else:
        expect("driver resets", f["handling"]["driver_resets"], len(ids))
    if "injected faults" not in p.stdout:
        fails.append("the summary has no fault table")
if fails:
    print(" ".join(cmd))
    print(p.stdout + p.stderr)
    print("\n".join(fails))
    sys.exit(1)
print(f"{profile} {kind}: {len(ids)} injected, outcomes as expected")
