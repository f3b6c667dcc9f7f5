#!/usr/bin/python3
"""Smoke test of the bulk-mode study pipeline: studies/bulk/regenerate --smoke into a fresh
directory (2 points of every sweep at 1 MiB, doc and figures written there, the repository's
doc untouched), then check that every sweep finished and collected, every generated section of
the doc copy is filled (tables where tables belong), and every figure is a PNG matplotlib can
read.

  smoke_test.py AESVP WORKDIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REGEN = os.path.join(os.path.dirname(HERE), "regenerate")
DOC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "docs", "bulk-mode.md")


def main():
    aesvp, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    with open(DOC, "rb") as f:
        before = f.read()
    subprocess.check_call(["/usr/bin/python3", REGEN, "--smoke", "--aesvp", aesvp, "--out", work,
                           "--jobs", "2"])
    with open(DOC, "rb") as f:
        assert f.read() == before, "the smoke run changed docs/bulk-mode.md"
    errors = []
    specs = sorted(n[:-len(".sweep.json")] for n in os.listdir(os.path.join(os.path.dirname(HERE), "specs")))
    for name in specs:
        with open(os.path.join(work, name, "results.json"), encoding="utf-8") as f:
            table = json.load(f)
        if table.get("schema") != "aesvp.sweep-table" or not table["rows"]:
            errors.append(f"{name}: no rows")
        for row in table["rows"]:
            if row["status"] != "done":
                errors.append(f"{name} {row['id']}: {row['status']}")
    with open(os.path.join(work, "bulk-mode.md"), encoding="utf-8") as f:
        doc = f.read()
    sections = re.findall(r"<!-- BEGIN GENERATED (\S+) -->\n(.*?)<!-- END GENERATED \1 -->", doc, re.S)
    if len(sections) < 10:
        errors.append(f"only {len(sections)} generated sections")
    for name, body in sections:
        if not body.strip():
            errors.append(f"section {name} is empty")
        if name in ("routes", "knee", "t", "qd", "bio", "workload", "instances", "volumes", "reach") and "|---" not in body:
            errors.append(f"section {name} has no table")
        if "nan" in body.split():
            errors.append(f"section {name} prints nan")
    with open(os.path.join(work, "claims.json"), encoding="utf-8") as f:
        figures = json.load(f)["figures"]
    if len(figures) < 5:
        errors.append(f"only {len(figures)} figures")
    for path in figures:
        with open(path, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                errors.append(f"{path} is not a PNG")
        img = matplotlib.image.imread(path)
        if img.shape[0] < 100 or img.shape[1] < 100:
            errors.append(f"{path}: {img.shape}")
        if os.path.basename(path)[:-4] not in doc:
            errors.append(f"{path} is not referenced by the doc")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(f"smoke: {len(specs)} sweeps, {len(sections)} sections, {len(figures)} figures: ok")


if __name__ == "__main__":
    main()
