#!/usr/bin/env bash
# Build Zola from its source release, for bench/compare.sh (Zola is in no package registry here).
#
#   bench/get_zola.sh [--src DIR] [--tag v0.22.1]
#
# Clones getzola/zola at the tag (or uses a checkout given with --src), builds it with cargo
# (10-20 minutes on 2 cores) into target/bench-tools/zola-build, and copies the binary to
# target/bench-tools/zola, where compare.sh and serve_latency.sh look for it (under target/, so git
# ignores it; `cargo clean` removes it with the rest, and the next run of this script builds it again).
set -euo pipefail
TAG=v0.22.1; SRC=""
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC=$2; shift 2 ;;
    --tag) TAG=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(dirname "$HERE")
TOOLS="$REPO/target/bench-tools"; mkdir -p "$TOOLS"
if [ -z "$SRC" ]; then
  SRC="$TOOLS/zola-src"
  [ -d "$SRC/.git" ] || git clone --quiet --depth 1 --branch "$TAG" https://github.com/getzola/zola "$SRC"
fi
[ -f "$SRC/Cargo.toml" ] || { echo "no Zola source at $SRC" >&2; exit 2; }
(cd "$SRC" && CARGO_TARGET_DIR="$TOOLS/zola-build" cargo build --release --locked)
cp "$TOOLS/zola-build/release/zola" "$TOOLS/zola"
"$TOOLS/zola" --version
