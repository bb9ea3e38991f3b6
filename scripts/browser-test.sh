#!/usr/bin/env bash
# Browser tests: build the example site, serve it on 127.0.0.1, and drive Chromium with
# playwright-core through tests/browser/*.test.mjs, with axe-core for accessibility; on the
# 50,000-story benchmark site too (LADDER_BROWSER_BENCH_N, below), what a search and compare
# download; then Lighthouse (tests/browser/lighthouse.mjs) on one page of every page type, which must score at
# least 95 in performance, accessibility, best practices and SEO (LADDER_LIGHTHOUSE=0 skips it).
# Screenshots go to target/screenshots/, the reports of pages under 95 to target/lighthouse/.
#
# Which Chromium, said on the first line of output:
# - $CHROMIUM when set (any Chromium or Chrome executable);
# - on Ubuntu (and derivatives), Playwright's own Chromium build, downloaded once into
#   target/playwright-browsers by `playwright-core install chromium`: Ubuntu's `chromium` apt
#   package only installs a snap, which does not run in containers. As root, the system
#   libraries it needs come from apt (`playwright-core install-deps chromium`); otherwise the
#   command to run is printed;
# - elsewhere (Debian), the distribution's chromium (/usr/bin/chromium), installed by apt when
#   missing and running as root (scripts/test-deps.sh does the same).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

on_ubuntu() {
  [ "${LADDER_PRETEND_OS:-}" = ubuntu ] && return 0
  [ -r /etc/os-release ] || return 1
  # shellcheck disable=SC1091 # the system's own file
  (. /etc/os-release && case " ${ID:-} ${ID_LIKE:-} " in *" ubuntu "*) exit 0 ;; *) exit 1 ;; esac)
}

echo "== npm packages for browser tests"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

if [ -n "${CHROMIUM:-}" ]; then
  echo "== browser: CHROMIUM=$CHROMIUM"
elif on_ubuntu; then
  export PLAYWRIGHT_BROWSERS_PATH="$repo/target/playwright-browsers"
  echo "== browser: Playwright's Chromium in target/playwright-browsers (Ubuntu's chromium package is a snap, which does not run in containers)"
  (cd tests/browser && npx --no-install playwright-core install chromium)
  if [ "$(id -u)" = 0 ]; then
    (cd tests/browser && npx --no-install playwright-core install-deps chromium)
  else
    echo "   (if it fails to start for a missing library, run as root: cd tests/browser && npx playwright-core install-deps chromium)"
  fi
  CHROMIUM="$(cd tests/browser && node -e 'import("playwright-core").then((p) => console.log(p.chromium.executablePath()))')"
  export CHROMIUM
else
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "the browser tests need chromium: sudo apt-get install -y chromium (or set CHROMIUM to a Chromium executable)" >&2
      exit 1
    fi
    echo "== installing chromium (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
  fi
  CHROMIUM="$(command -v chromium)"
  export CHROMIUM
  echo "== browser: the system's chromium, $CHROMIUM"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
site="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$site"' EXIT
cargo run --quiet --locked -- build -q --output "$site/out" --base-url "http://127.0.0.1:$port/"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/out" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
# The benchmark site: LADDER_BROWSER_BENCH_N stories (default 50,000; 0 skips it) from the shared
# generator (../shared/bench/gen_corpus.py, laid out by bench/adapt_ladder.py, both kept in
# /tmp/ladder-bench between runs), built with a release binary (LADDER_BIN, else a release build
# of this checkout), to measure what a reader downloads there for a search and for compare.
bench_n=${LADDER_BROWSER_BENCH_N:-50000}
big_url=""
if [ "$bench_n" = 0 ]; then
  echo "== benchmark site skipped (LADDER_BROWSER_BENCH_N=0): no figures for search and compare at scale"
else
  shared=${LADDER_BENCH_SHARED:-$(cd "$repo/../shared/bench" 2>/dev/null && pwd || true)}
fi
# The corpus generator is the shared bench kit beside the checkout, not part of it: a clone on its
# own (a CI runner) measures the example site only and says so; asked for by name, it must be there.
if [ "$bench_n" != 0 ] && [ ! -f "$shared/gen_corpus.py" ]; then
  if [ -n "${LADDER_BROWSER_BENCH_N:-}" ]; then
    echo "the shared bench kit (gen_corpus.py) is not at ../shared/bench: set LADDER_BENCH_SHARED, or LADDER_BROWSER_BENCH_N=0 to skip" >&2
    exit 1
  fi
  echo "== benchmark site skipped: no shared bench kit at ../shared/bench (LADDER_BENCH_SHARED names it)"
  bench_n=0
fi
if [ "$bench_n" != 0 ]; then
  work=/tmp/ladder-bench; mkdir -p "$work"
  corpus="$work/corpus-$bench_n" big_site="$work/ladder-$bench_n"
  echo "== benchmark site: $bench_n stories ($big_site; LADDER_BROWSER_BENCH_N=0 skips it)"
  [ -f "$corpus/MANIFEST.txt" ] || python3 "$shared/gen_corpus.py" --n "$bench_n" --out "$corpus" --seed 42 >/dev/null
  [ -d "$big_site" ] || python3 bench/adapt_ladder.py "$corpus" "$big_site"
  big_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  big_bin=${LADDER_BIN:-}
  if [ -z "$big_bin" ]; then cargo build --quiet --locked --release; big_bin=target/release/ladder; fi
  start=$(date +%s)
  "$big_bin" build -q --site "$big_site" --output "$site/big" --base-url "http://127.0.0.1:$big_port/"
  echo "   built in $(( $(date +%s) - start )) s"
  python3 -m http.server "$big_port" --bind 127.0.0.1 --directory "$site/big" >/dev/null 2>&1 &
  big_server=$!
  trap 'kill "${server:-0}" "${big_server:-0}" 2>/dev/null || true; rm -rf "$site"' EXIT
  big_url="http://127.0.0.1:$big_port/"
  for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('$big_url')" 2>/dev/null && break
    sleep 0.1
  done
fi
mkdir -p target/screenshots
echo "== browser tests against http://127.0.0.1:$port/${big_url:+ (and the benchmark site at $big_url)}"
(cd tests/browser && BASE_URL="http://127.0.0.1:$port/" BIG_BASE_URL="$big_url" SHOT_DIR="$PWD/../../target/screenshots" node --test --test-reporter=spec)
# One page at a time, each in a fresh Chromium, Lighthouse's default mobile settings: about three
# minutes. LADDER_LIGHTHOUSE=0 skips it (on by default, and in CI).
rm -rf target/lighthouse
if [ "${LADDER_LIGHTHOUSE:-1}" = 0 ]; then
  echo "== Lighthouse skipped (LADDER_LIGHTHOUSE=0)"
else
  echo "== Lighthouse on every page type (LADDER_LIGHTHOUSE=0 skips it)"
  (cd tests/browser && BASE_URL="http://127.0.0.1:$port/" LIGHTHOUSE_REPORTS="$repo/target/lighthouse" node lighthouse.mjs)
fi
