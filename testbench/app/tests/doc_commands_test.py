#!/usr/bin/env python3
"""Runs every aesvp command line quoted in README.md and docs/*.md (in ``` blocks), so the docs
cannot drift from the program (docs/testbench.md "Documented commands").

Usage: doc_commands_test.py AESVP REPO_ROOT

Each file's commands run in order in a scratch directory of their own (so `--print-config >
my.ini` then `--config my.ini` works), through bash, with `build/bin/aesvp` and `aesvp` both
meaning AESVP and `testbench/` the repository's. Every command must exit 0. Lines with
placeholders (SPEC, FILE, [options], A|B) are synopses, not commands, and are skipped, as are
`sweep submit` (needs a Slurm cluster) and `sweep status`/`collect` of a directory never made.
Missing input files (crypt's INPUT, --key-file) are made of random bytes first.

SHRINK: the documented sizes are cut so the whole test takes seconds; each rule only replaces
or adds one option and never changes what is checked (that the command line is accepted and
runs to completion)."""
import os
import re
import shlex
import subprocess
import sys
import tempfile

SHRINK = {
    # command: (options replaced by a smaller value, options added if absent)
    "run": ({"--size-mib": "1", "--mixed-mib": "1", "--size": "1M", "--mixed-size": "1M"},
            {"--size": "1M"}),
    "speed": ({"--seconds-per-size": "0.0005"}, {"--seconds-per-size": "0.0005"}),
    "hw": ({"--requests": "4"}, {"--requests": "4"}),
    "bench": ({"--crypt-mib": "1", "--run-mib": "1", "--startups": "1"},
              {"--crypt-mib": "1", "--run-mib": "1", "--startups": "1"}),
}
ALIASES = {"--size": ("--size-mib",)}
PLACEHOLDER = re.compile(r"\[|\||\.\.\.|\b[A-Z]{3,}\b|<[a-z]")
COMMAND = re.compile(r"^(?:build/bin/)?aesvp (run|crypt|speed|hw|bench|sweep)(?=\s|$)")


def commands(path):
    """The aesvp command lines of one Markdown file's code blocks, continuations joined."""
    out, block, pending = [], False, ""
    for line in open(path, encoding="utf-8"):
        if line.lstrip().startswith("```"):
            block, pending = not block, ""
            continue
        if not block:
            continue
        text = pending + line.strip()
        if text.endswith("\\"):
            pending = text[:-1] + " "
            continue
        pending = ""
        if COMMAND.match(text):
            out.append(text)
    return out


def strip_comment(cmd):
    """The command without a trailing `# comment` (shlex keeps quoted #)."""
    lex = shlex.shlex(cmd, posix=True, punctuation_chars=">")
    lex.whitespace_split, lex.commenters = True, "#"
    return " ".join(shlex.quote(t) if t != ">" else t for t in lex)


def shrink(cmd):
    words = shlex.split(cmd)
    sub = COMMAND.match(cmd).group(1)
    if sub not in SHRINK or "--help" in words or "--print-config" in words:
        return cmd
    replace, add = SHRINK[sub]
    for i, w in enumerate(words):
        key = w.split("=", 1)[0]
        if key in replace:
            if "=" in w:
                words[i] = key + "=" + replace[key]
            elif i + 1 < len(words):
                words[i + 1] = replace[key]
    redirect = words.index(">") if ">" in words else len(words)
    for key, value in add.items():
        # An alias of the option counts as the option (docs/units.md: --size-mib N = --size NM).
        if not any(w.split("=", 1)[0] in (key, *ALIASES.get(key, ())) for w in words):
            words[redirect:redirect] = [key, value]
            redirect += 2
    return " ".join(w if w == ">" else shlex.quote(w) for w in words)


def make_inputs(cmd, cwd):
    """Random bytes for a crypt INPUT and key file that do not exist yet."""
    words = shlex.split(cmd)
    if COMMAND.match(cmd).group(1) != "crypt":
        return
    wanted = []
    for i, w in enumerate(words):
        if w in ("--key-file", "-d") and i + 1 < len(words) and words[i + 1] != "-":
            wanted.append((words[i + 1], 64))
    if len(words) >= 4 and not words[-2].startswith("-"):  # ... INPUT OUTPUT
        wanted.append((words[-2], 4 << 20))
    for name, size in wanted:
        p = os.path.join(cwd, name)
        if not os.path.exists(p):
            with open(p, "wb") as f:
                f.write(os.urandom(size))


def main():
    aesvp, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    docs = [os.path.join(root, "README.md")] + sorted(
        os.path.join(root, "docs", f) for f in os.listdir(os.path.join(root, "docs"))
        if f.endswith(".md"))
    ran, skipped, failed = 0, 0, []
    for doc in docs:
        with tempfile.TemporaryDirectory() as cwd:
            os.makedirs(os.path.join(cwd, "build", "bin"))
            os.symlink(aesvp, os.path.join(cwd, "build", "bin", "aesvp"))
            os.symlink(os.path.join(root, "testbench"), os.path.join(cwd, "testbench"))
            env = dict(os.environ, PATH=os.path.join(cwd, "build", "bin") + ":" + os.environ["PATH"])
            for raw in commands(doc):
                cmd = strip_comment(raw)
                if PLACEHOLDER.search(cmd) or re.search(r"aesvp sweep (submit|status|collect)", cmd):
                    skipped += 1
                    continue
                cmd = shrink(cmd)
                make_inputs(cmd, cwd)
                r = subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, capture_output=True,
                                   text=True, timeout=300)
                ran += 1
                if r.returncode != 0:
                    failed.append(f"{os.path.relpath(doc, root)}: `{raw}` (ran `{cmd}`): exit "
                                  f"{r.returncode}: {r.stderr.strip()[-400:]}")
    print(f"documented commands: {ran} ran, {skipped} synopses skipped, {len(failed)} failed")
    for f in failed:
        print("  " + f)
    sys.exit(1 if failed or ran == 0 else 0)


if __name__ == "__main__":
    main()
