# Shared by the bench/ scripts (sourced, not run): where the repository and the shared kit are,
# the ladder and Zola binaries, and the reference corpus.

# HERE, REPO and SHARED (the shared kit: --shared, else ../shared/bench beside the repository);
# stops with a message when the kit lacks FILE.
bench_paths() { # FILE
  HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(dirname "$HERE")
  SHARED=${SHARED:-$(cd "$REPO/../shared/bench" 2>/dev/null && pwd || true)}
  [ -f "$SHARED/$1" ] || { echo "shared bench kit not found; pass --shared DIR" >&2; exit 2; }
}

# LADDER: the given binary, else a release build of this repository.
bench_ladder() {
  if [ -z "$LADDER" ]; then
    (cd "$REPO" && cargo build --release --quiet)
    LADDER="$REPO/target/release/ladder"
  fi
  [ -x "$LADDER" ] || { echo "no ladder binary at $LADDER" >&2; exit 2; }
}

# ZOLA: the given binary, else bench/get_zola.sh's build, else one on the path, else empty.
bench_zola() {
  if [ -z "$ZOLA" ]; then
    if [ -x "$REPO/target/bench-tools/zola" ]; then ZOLA="$REPO/target/bench-tools/zola"; else ZOLA=$(command -v zola || true); fi
  fi
  if [ -n "$ZOLA" ] && [ ! -x "$ZOLA" ]; then echo "no Zola binary at $ZOLA" >&2; exit 2; fi
  [ -n "$ZOLA" ] || echo "Zola not found (bench/get_zola.sh builds it from its source release): skipping Zola" >&2
}

# WORK and CORPUS: the reference corpus of N articles (seed 42), generated once.
bench_corpus() { # N
  WORK=/tmp/ladder-bench; mkdir -p "$WORK"
  CORPUS="$WORK/corpus-$1"
  [ -f "$CORPUS/MANIFEST.txt" ] || python3 "$SHARED/gen_corpus.py" --n "$1" --out "$CORPUS" --seed 42 >/dev/null
}
