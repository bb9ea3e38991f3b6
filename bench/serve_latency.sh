#!/usr/bin/env bash
# Edit -> served latency of `ladder serve`, with `zola serve --fast` beside it on the same articles.
#
#   bench/serve_latency.sh [--n 10000] [--trials 10] [--ladder PATH] [--zola PATH] [--shared ../shared/bench]
#
# Lays out the reference corpus as compare.sh does, then runs the shared kit's serve_edit.py for
# each server: it writes one edit (a story body, a story title, one employer figure) and polls the
# served pages every 5 ms until the change shows (story page; for a title also the story index
# page listing it and the employer page), printing each trial and the median, minimum and maximum.
# Also prints each server's peak memory over the session. Zola is skipped with a message when
# there is none (bench/get_zola.sh builds it).
set -euo pipefail
N=10000; TRIALS=10; SHARED=""; LADDER=""; ZOLA=""
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift 2 ;;
    --trials) TRIALS=$2; shift 2 ;;
    --shared) SHARED=$2; shift 2 ;;
    --ladder) LADDER=$2; shift 2 ;;
    --zola) ZOLA=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_paths serve_edit.py
bench_ladder
bench_zola
bench_corpus "$N"
# The servers edit their sites: each gets a copy of its own.
rm -rf "$WORK/serve-ladder-$N" "$WORK/serve-zola-$N"
python3 "$HERE/adapt_ladder.py" "$CORPUS" "$WORK/serve-ladder-$N"
# A story of the middle of the list and its employer, the same for both servers.
STORY=$(ls "$WORK/serve-ladder-$N/content/stories" | sed -n "$((N / 2))p" | sed 's/\.md$//')
EMPLOYER=$(sed -n 's/^employer: *//p' "$WORK/serve-ladder-$N/content/stories/$STORY.md" | head -1 | tr -d '"')
echo "story $STORY, employer $EMPLOYER, $N stories, $TRIALS trials per edit"
peak() { # pid -> peak resident memory in MB of that process so far
  awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}
LADDER="$LADDER" python3 "$SHARED/serve_edit.py" --tool ladder --site "$WORK/serve-ladder-$N" \
  --story "$STORY" --employer "$EMPLOYER" --trials "$TRIALS" &
PY=$!
# serve_edit.py starts the server as its child: watch that child's peak memory while it runs.
MAX=0
while kill -0 "$PY" 2>/dev/null; do
  for c in $(pgrep -P "$PY" || true); do
    m=$(peak "$c")
    if [[ $m =~ ^[0-9]+$ ]] && [ "$m" -gt "$MAX" ]; then MAX=$m; fi
  done
  sleep 0.5
done
wait "$PY" || true
echo "ladder serve peak memory: ${MAX} MB"
if [ -n "$ZOLA" ]; then
  sh "$SHARED/setup_zola.sh" "$CORPUS" "$WORK/serve-zola-$N" >/dev/null
  ZOLA="$ZOLA" python3 "$SHARED/serve_edit.py" --tool zola --site "$WORK/serve-zola-$N" --story "$STORY" \
    --trials "$TRIALS" --kinds body,title --extra-args=--fast --zola "$ZOLA"
else
  echo "Zola not found (bench/get_zola.sh builds it from its source release): ladder only"
fi
