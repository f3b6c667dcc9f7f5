#!/usr/bin/python3
"""Turn aesvp outputs into PNG figures (Debian's python3-matplotlib).

  aesvp_plot.py stats STATS.json OUT_PREFIX      latency histogram + utilisation bars
  aesvp_plot.py timeline TRACE.json OUT_PREFIX   CPU utilisation over time (per context class)
  aesvp_plot.py speed SPEED.json OUT_PREFIX      throughput against request size
  aesvp_plot.py sweep RESULTS.json OUT_PREFIX FIGURE X_AXIS [GROUP_AXIS]
                                                 a figure of `aesvp sweep collect` against
                                                 one axis, one line per value of another
  aesvp_plot.py compare SPEED.json OUT_PREFIX    model against the published figures of the
                                                 profile's SoC, one panel per cipher
                                                 (aesvp speed --compare writes the JSON)

Each writes OUT_PREFIX-<figure>.png and prints the file names. Every figure's title says
which run it shows (command, cipher, size, profile, seed: from the file's "run" and
"configuration" objects, or a timeline's otherData.run); the PNG carries the same text as
its Title metadata.
"""
import json
import re
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402


def size_in_mib(text):
    """A size by aesvp's one rule (docs/units.md: N, NS, NK..NT, NKiB..NTiB, NKB..NTB) in MiB;
    None when the text is not one."""
    m = re.fullmatch(r"(\d+)(?:([sS])|([kKmMgGtT])(iB|B)?)?", text)
    if not m:
        return None
    n = int(m.group(1))
    if m.group(2):
        n *= 512
    elif m.group(3):
        n *= (1000 if m.group(4) == "B" else 1024) ** ("kmgt".index(m.group(3).lower()) + 1)
    mib = n / (1 << 20)
    return int(mib) if mib.is_integer() else mib


def fail(msg):
    print(f"aesvp_plot: error: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path}: {e}")


def describe(doc):
    """'aesvp run: aes-xts-plain64, 32 MiB, profile omap4, seed 1' from what the file says."""
    run = doc.get("run") or {}
    other = (doc.get("otherData") or {}).get("run") or {}   # a timeline's description
    config = doc.get("configuration") or {}
    options = config.get("options") or {}

    def first(*values):
        return next((v for v in values if v not in (None, "", [])), None)

    command = first(run.get("command"), other.get("command"), doc.get("command"))
    cipher = first(config.get("cipher"), doc.get("cipher"), other.get("cipher"),
                   options.get("cipher"))
    if isinstance(cipher, dict):
        cipher = None
    size = None
    mib = first(config.get("size_mib"), other.get("size-mib"), options.get("size-mib"))
    # run's --size (docs/units.md, e.g. "32M"); crypt's --size counts sectors: not used here.
    run_size = first(other.get("size"), options.get("size")) if command == "run" else None
    if mib is None and run_size is not None:
        mib = size_in_mib(str(run_size))
    if mib is not None:
        size = f"{mib:g} MiB" if isinstance(mib, float) else f"{mib} MiB"
    elif doc.get("sizes"):
        sizes = [r.get("bytes") for r in doc["sizes"] if isinstance(r, dict)]
        if sizes:
            size = f"{min(sizes)}-{max(sizes)} B requests"
    else:
        req, n = first(config.get("request_bytes"), other.get("request-bytes")), \
            first(config.get("requests"), other.get("requests"))
        if req is not None and n is not None:
            size = f"{n} x {req} B"
    profile = first(run.get("profile"), other.get("profile"), doc.get("profile"))
    seed = first(run.get("seed"), other.get("seed"), doc.get("seed"))
    parts = [str(p) for p in (cipher, size) if p is not None]
    if profile is not None:
        parts.append(f"profile {profile}")
    if seed is not None:
        parts.append(f"seed {seed}")
    head = f"aesvp {command}" if command else "aesvp"
    return head + (": " + ", ".join(parts) if parts else "")


def titled(ax, what, doc):
    """Sets the title: the figure, then the run it shows."""
    ax.set_title(f"{what}\n{describe(doc)}", fontsize=10)


def save(fig, prefix, name):
    out = f"{prefix}-{name}.png"
    fig.tight_layout()
    title = "; ".join(ax.get_title().replace("\n", " - ") for ax in fig.get_axes() if ax.get_title())
    fig.savefig(out, dpi=120, metadata={"Title": title})
    plt.close(fig)
    print(out)


# What one sample of a latency is, for the histogram's count axis.
SAMPLE_UNITS = {"request": "requests", "bio": "bios", "sector": "sectors"}


def plot_stats(doc, prefix):
    if doc.get("schema") != "aesvp.run-statistics":
        fail("not an aesvp run-statistics file (schema field)")
    for name, lat in doc.get("latency", {}).items():
        buckets = lat.get("histogram", {}).get("buckets", [])
        if not buckets:
            continue
        fig, ax = plt.subplots(figsize=(7, 4))
        lows = [b[0] for b in buckets]
        widths = [b[1] - b[0] for b in buckets]
        counts = [b[2] for b in buckets]
        # The axis in the unit the samples are in: milliseconds once they reach 10 ms.
        scale, unit = (1e-3, "ms") if lat.get("max_us", 0) >= 1e4 else (1.0, "us")
        ax.bar([x * scale for x in lows], counts, width=[w * scale for w in widths],
               align="edge", edgecolor="black", linewidth=0.3)
        for p in ("p50_us", "p99_us"):
            if p in lat:
                ax.axvline(lat[p] * scale, linestyle="--", color="red" if p == "p99_us" else "green",
                           label=f"{p[:-3]} {lat[p] * scale:.3g} {unit}")
        ax.set_xlabel(f"{name} latency [{unit}, simulated]")
        ax.set_ylabel(SAMPLE_UNITS.get(name, "samples") + " per bucket")
        titled(ax, f"{name} latency ({lat.get('count', 0)} {SAMPLE_UNITS.get(name, 'samples')}, "
                   f"{len(buckets)} buckets)", doc)
        ax.legend()
        save(fig, prefix, f"latency-{name}")
    util = doc.get("utilisation", {})
    labels, values = [], []
    for res, v in sorted(util.get("hardware", {}).items()):
        labels.append(res)
        values.append(100.0 * v.get("fraction", 0.0))
    for cls, v in sorted(util.get("cpu", {}).get("per_context", {}).items()):
        labels.append(f"cpu {cls}")
        values.append(100.0 * v.get("fraction", 0.0))
    if labels:
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.barh(labels, values)
        ax.set_xlabel("busy [% of the run; CPU: of all cores]")
        ax.set_xlim(0, 100)
        titled(ax, "utilisation", doc)
        save(fig, prefix, "utilisation")


def plot_timeline(doc, prefix, bins=100):
    events = doc.get("traceEvents")
    if events is None:
        fail("not a Chrome trace-event file (no traceEvents)")
    spans = [e for e in events if e.get("ph") == "X" and "dur" in e]
    if not spans:
        fail("the timeline has no spans")
    names = {}
    for e in events:  # process names: CPU tracks are processes named "CPU<n>"
        if e.get("ph") == "M" and e.get("name") == "process_name":
            names[e["pid"]] = e["args"]["name"]
    cpu = [e for e in spans if names.get(e["pid"], "").startswith("CPU")]
    if not cpu:
        fail("the timeline has no CPU tracks")
    cores = len({names[e["pid"]] for e in cpu})
    t0 = min(e["ts"] for e in cpu)
    t1 = max(e["ts"] + e["dur"] for e in cpu)
    width = (t1 - t0) / bins or 1.0
    classes = sorted({e["name"] for e in cpu})
    busy = {c: [0.0] * bins for c in classes}
    for e in cpu:
        s, end = e["ts"], e["ts"] + e["dur"]
        b = int((s - t0) / width)
        while s < end and b < bins:
            edge = t0 + (b + 1) * width
            busy[e["name"]][b] += min(end, edge) - s
            s = min(end, edge)
            b += 1
    x = [t0 + (i + 0.5) * width for i in range(bins)]
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.stackplot(x, *[[100.0 * v / (width * cores) for v in busy[c]] for c in classes],
                 labels=classes)
    ax.set_xlabel("simulated time [us]")
    ax.set_ylabel(f"CPU busy [% of {cores} cores]")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper right")
    titled(ax, "CPU utilisation over time", doc)
    save(fig, prefix, "cpu-over-time")


def speed_rows(doc):
    rows = doc.get("sizes") or doc.get("results") or doc.get("rows")
    if not rows:
        fail("no 'sizes' rows in the speed file")
    if "bytes" not in rows[0] or "kB_per_s" not in rows[0]:
        fail("speed rows need 'bytes' and 'kB_per_s'")
    return rows


def published_points(rows, soc):
    return [(r["bytes"], r["published"][soc]["kB_per_s"]) for r in rows
            if isinstance(r.get("published"), dict) and soc in r["published"]]


def plot_speed(doc, prefix):
    rows = speed_rows(doc)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot([r["bytes"] for r in rows], [r["kB_per_s"] for r in rows], "o-", label="simulated")
    socs = sorted({s for r in rows for s in (r.get("published") or {})})
    for soc in socs:
        pts = published_points(rows, soc)
        if pts:
            ax.plot(*zip(*pts), "s--", label=f"published {soc}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("request size [bytes]")
    ax.set_ylabel("throughput [kB/s, 1 kB = 1000 B]")
    titled(ax, "throughput against request size", doc)
    ax.legend()
    save(fig, prefix, "speed")


def plot_sweep(doc, prefix, figure, x_axis, group_axis=None):
    cols = doc.get("columns", [])
    for c in [figure, x_axis] + ([group_axis] if group_axis else []):
        if c not in cols:
            fail(f"'{c}' is not a column of the sweep table ({', '.join(cols)})")
    rows = [r for r in doc["rows"] if r.get("status") == "done" and r.get(figure) is not None]
    if not rows:
        fail(f"no finished point has '{figure}'")
    groups = {}
    for r in rows:
        groups.setdefault(r[group_axis] if group_axis else None, []).append(r)
    fig, ax = plt.subplots(figsize=(7, 4))
    numeric = all(isinstance(r[x_axis], (int, float)) for r in rows)
    for g, rs in sorted(groups.items(), key=lambda kv: str(kv[0])):
        # Points that differ in other axes too are averaged per x value.
        by_x = {}
        for r in rs:
            by_x.setdefault(r[x_axis], []).append(r[figure])
        xs = sorted(by_x, key=lambda v: v if numeric else str(v))
        ys = [sum(by_x[x]) / len(by_x[x]) for x in xs]
        ax.plot(xs if numeric else [str(x) for x in xs], ys, "o-",
                label=f"{group_axis} = {g}" if group_axis else None)
    ax.set_xlabel(x_axis)
    ax.set_ylabel(figure)
    ax.set_title(f"aesvp sweep: {figure} against {x_axis}" + (f" by {group_axis}" if group_axis else "")
                 + f"\n{len(rows)} points of {doc.get('name', 'the sweep')}", fontsize=10)
    if group_axis:
        ax.legend()
    save(fig, prefix, f"sweep-{figure}")


def plot_compare(doc, prefix):
    runs = doc.get("runs") or [doc]
    soc = doc.get("profile", "?")
    fig, axes = plt.subplots(1, len(runs), figsize=(4.5 * len(runs), 4), squeeze=False)
    for ax, run in zip(axes[0], runs):
        rows = speed_rows(run)
        ax.plot([r["bytes"] for r in rows], [r["kB_per_s"] for r in rows], "o-",
                label=f'model ({100 * run.get("run_average_process_cpu_load", 0):.0f}% CPU)')
        pts = published_points(rows, soc)
        if pts:
            pub_load = run.get("published_cpu_load", "")
            ax.plot(*zip(*pts), "s--", label=f"published {soc} {pub_load}")
            for (x, y), r in zip(pts, [r for r in rows if soc in (r.get("published") or {})]):
                ax.annotate(f'{100 * (r["kB_per_s"] / y - 1):+.0f}%', (x, r["kB_per_s"]),
                            textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("request size [bytes]")
        ax.set_ylabel("kB/s (1 kB = 1000 B)")
        ax.set_title(f'{run.get("cipher", "?")} on {soc}\n{describe(dict(doc, **run))}', fontsize=9)
        ax.legend(fontsize=8)
    save(fig, prefix, "compare")


def main(argv):
    if len(argv) in (6, 7) and argv[1] == "sweep":
        plot_sweep(load(argv[2]), argv[3], *argv[4:])
        return 0
    if len(argv) != 4 or argv[1] not in ("stats", "timeline", "speed", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    doc = load(argv[2])
    {"stats": plot_stats, "timeline": plot_timeline, "speed": plot_speed,
     "compare": plot_compare}[argv[1]](doc, argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
