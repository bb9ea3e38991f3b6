#!/usr/bin/env bash
# Checks that scripts/test-deps.sh notices what a fresh machine lacks: it runs it with java,
# node, npm, chromium and curl hidden from PATH (a folder of links to every other command), first as a
# non-root user (it must stop with the install command), then as root with the same tools
# pretended missing and apt only asked whether it has each package. A missing install step then
# fails CI, not a user.
set -euo pipefail
cd "$(dirname "$0")/.."

shims="$(mktemp -d)"
trap 'rm -rf "$shims"' EXIT
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name="${f##*/}"
    case "$name" in java|node|npm|npx|chromium|curl) continue ;; esac
    [ -x "$f" ] && [ ! -e "$shims/$name" ] && ln -s "$f" "$shims/$name"
  done
done
hidden_path="$shims"
for tool in java node npm chromium curl; do
  if PATH="$hidden_path" command -v "$tool" >/dev/null 2>&1; then
    echo "fresh-machine check: could not hide $tool" >&2
    exit 1
  fi
done

echo "-- as a user without root, with java, node, npm, chromium and curl hidden"
if msg="$(PATH="$hidden_path" LADDER_AS_USER=1 scripts/test-deps.sh 2>&1)"; then
  echo "fresh-machine check: test-deps.sh did not notice the missing tools" >&2
  exit 1
fi
echo "$msg"
for pkg in default-jre-headless nodejs npm chromium curl; do
  grep -q "apt-get install -y --no-install-recommends.*$pkg" <<<"$msg" || {
    echo "fresh-machine check: the message does not name $pkg" >&2
    exit 1
  }
done

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "-- as root: apt has every package the script would install"
  LADDER_PRETEND_MISSING="java node npm chromium curl" LADDER_APT_SIMULATE=1 scripts/test-deps.sh
fi
echo "fresh-machine check: passed"
