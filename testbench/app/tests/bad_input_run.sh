#!/usr/bin/env bash
# One case of the bad-input battery (bad_input_cases.txt; registered by
# testbench/app/CMakeLists.txt, one ctest per line).
#   bad_input_run.sh AESVP CASES WORKROOT NAME
# In a fresh directory $W with an image, a key file and an old output, runs the case's setup
# (mkfifo, mknod, links, small tmpfs mounts - never anything under /dev), snapshots every
# file, runs `aesvp <command> <args>` and checks: the exit status, nothing on stdout, exactly
# one stderr line "aesvp <command>: error: ..." matching the case's pattern, and that no file
# changed, appeared or vanished. Exit 77 (skipped) when a setup needs root and we are not.
set -u
AESVP=$1 CASES=$2 ROOT=$3 NAME=$4
line=$(grep -E "^${NAME} @@ " "$CASES")
[ -n "$line" ] || { echo "no case $NAME"; exit 1; }
IFS=$'\x1f' read -r _ rc regex setup command <<<"$(sed 's/ @@ /\x1f/g' <<<"$line")"

W=$ROOT/$NAME
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  chmod -R u+w "$W" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
rm -rf "$W"
mkdir -p "$W"
yes 'aesvp bad-input battery image' | head -c 1048576 >"$W/image"
printf '%064d' 42 >"$W/key"
printf 'old contents\n' >"$W/old"
K="--key-file $W/key"

# Setup helpers.
need_root() { [ "$(id -u)" = 0 ] || { echo "needs root (skipped)"; exit 77; }; }
small_tmpfs() {  # small_tmpfs DIR [ro]: a 64 KiB tmpfs (read-only with "ro")
  need_root
  mkdir -p "$1"
  mount -t tmpfs -o "size=64k${2:+,$2}" aesvp-test "$1" || { echo "cannot mount (skipped)"; exit 77; }
  mounts+=("$1")
}
readonly_dir() {  # a directory nobody may create files in (root: a read-only mount)
  if [ "$(id -u)" = 0 ]; then small_tmpfs "$1" ro; else mkdir -p "$1"; chmod 555 "$1"; fi
}
eval "$setup" || { echo "setup failed: $setup"; exit 1; }

snapshot() {
  # Directories without their times (a temporary made and removed touches them).
  (cd "$W" && find . -type d -printf '%y %p %m\n' | sort &&
   find . ! -type d -printf '%y %p %s %m %T@ %l\n' | sort &&
   find . -type f -exec sha256sum {} + 2>/dev/null | sort)
}
before=$(snapshot)
eval "args=($command)"
timeout 120 "$AESVP" "${args[@]}" >"$ROOT/$NAME.out" 2>"$ROOT/$NAME.err"
status=$?
after=$(snapshot)
out=$(cat "$ROOT/$NAME.out") err=$(cat "$ROOT/$NAME.err")
rm -f "$ROOT/$NAME.out" "$ROOT/$NAME.err"
echo "aesvp ${args[*]}"
echo "exit $status; stderr: $err"
fail=0
[ "$status" = "$rc" ] || { echo "FAIL: exit $status, expected $rc"; fail=1; }
[ -z "$out" ] || { echo "FAIL: stdout not empty:"; echo "$out" | head -5; fail=1; }
lines=$(printf '%s\n' "$err" | wc -l)
[ -n "$err" ] && [ "$lines" = 1 ] || { echo "FAIL: $lines stderr lines, expected 1"; fail=1; }
grep -Eq "^aesvp ${args[0]}: error: .*(${regex})" <<<"$err" ||
  { echo "FAIL: stderr does not match 'aesvp ${args[0]}: error: ...${regex}'"; fail=1; }
[ "$before" = "$after" ] || { echo "FAIL: files changed:"; diff <(echo "$before") <(echo "$after"); fail=1; }
exit $fail
