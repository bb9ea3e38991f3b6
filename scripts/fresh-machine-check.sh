#!/usr/bin/env bash
# Checks that scripts/test-deps.sh notices what a fresh machine lacks: it runs it with java,
# node, npm, chromium and curl hidden from PATH (a folder of links to every other command), first as a
# non-root user (it must stop with the install command), then as if on Ubuntu (it must not ask
# apt for the snap-only chromium), then as root with the same tools pretended missing and apt
# asked to simulate installing them all together (`apt-get install -s`: a conflict such as
# NodeSource's nodejs against Debian's npm fails here as it would on the real install). A missing
# install step then fails CI, not a user.
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

# What the message must name: npm only where nodejs is not NodeSource's (which bundles it).
expected=(default-jre-headless nodejs chromium curl)
node_versions="$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true) $(apt-cache policy nodejs 2>/dev/null || true)"
if [[ "${node_versions,,}" == *nodesource* ]]; then
  echo "-- nodejs here is NodeSource's: npm must not be asked for"
else
  expected+=(npm)
fi

echo "-- as a user without root, with java, node, npm, chromium and curl hidden"
if msg="$(PATH="$hidden_path" LADDER_AS_USER=1 CHROMIUM='' scripts/test-deps.sh 2>&1)"; then
  echo "fresh-machine check: test-deps.sh did not notice the missing tools" >&2
  exit 1
fi
echo "$msg"
line="$(grep "apt-get install -y --no-install-recommends" <<<"$msg" || true)"
for pkg in "${expected[@]}"; do
  grep -qw -- "$pkg" <<<"$line" || {
    echo "fresh-machine check: the install command does not name $pkg" >&2
    exit 1
  }
done
if grep -qw npm <<<"$line" && [[ " ${expected[*]} " != *" npm "* ]]; then
  echo "fresh-machine check: npm is asked for beside NodeSource's nodejs, which conflicts with it" >&2
  exit 1
fi

echo "-- the same, as if on Ubuntu"
msg="$(PATH="$hidden_path" LADDER_AS_USER=1 LADDER_PRETEND_OS=ubuntu CHROMIUM='' scripts/test-deps.sh 2>&1 || true)"
echo "$msg"
if grep "apt-get install" <<<"$msg" | grep -qw chromium; then
  echo "fresh-machine check: on Ubuntu apt was asked for chromium (a snap that does not run in containers)" >&2
  exit 1
fi
grep -q "Playwright's Chromium" <<<"$msg" || {
  echo "fresh-machine check: on Ubuntu the message does not say where the browser comes from" >&2
  exit 1
}

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "-- as root: apt can install every package the script would ask for, together (simulated)"
  LADDER_PRETEND_MISSING="java node npm chromium curl" LADDER_APT_SIMULATE=1 CHROMIUM='' scripts/test-deps.sh
fi
echo "fresh-machine check: passed"
