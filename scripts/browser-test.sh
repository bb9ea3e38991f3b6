#!/usr/bin/env bash
# Browser tests: build the example site, serve it on 127.0.0.1, and drive Debian's chromium with
# playwright-core (from npm; no browser download) through tests/browser/*.test.mjs, with
# axe-core for accessibility. Screenshots go to target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
fi
echo "== npm packages for browser tests"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

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
