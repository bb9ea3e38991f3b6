#!/usr/bin/env bash
# Browser tests: build the example site, serve it on 127.0.0.1, and drive Chromium with
# playwright-core through tests/browser/*.test.mjs, with axe-core for accessibility.
# Screenshots go to target/screenshots/.
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
mkdir -p target/screenshots
echo "== browser tests against http://127.0.0.1:$port/"
(cd tests/browser && BASE_URL="http://127.0.0.1:$port/" SHOT_DIR="$PWD/../../target/screenshots" node --test --test-reporter=spec)
