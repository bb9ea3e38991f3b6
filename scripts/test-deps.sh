#!/usr/bin/env bash
# System packages scripts/test.sh needs and a fresh Debian or Ubuntu lacks: a Java runtime (the
# Nu HTML validator), node and npm (browser tests), chromium (their browser), curl (the action's
# download, tested against a local release copy), python3 and its venv
# module (the Python tools go into target/test-venv, since Debian refuses `pip install` into the
# system Python: PEP 668). As root they are installed with apt-get; otherwise the script names
# the exact command and stops.
# For scripts/fresh-machine-check.sh: LADDER_AS_USER=1 behaves as a non-root user would;
# LADDER_PRETEND_MISSING="java node" treats those commands as absent; LADDER_APT_SIMULATE=1 only
# checks that apt knows every package it would install, and installs nothing.
set -euo pipefail

missing=()
have() {
  case " ${LADDER_PRETEND_MISSING:-} " in *" $1 "*) return 1 ;; esac
  command -v "$1" >/dev/null 2>&1
}
have java || missing+=(default-jre-headless)
have node || missing+=(nodejs)
have npm || missing+=(npm)
have chromium || missing+=(chromium)
have curl || missing+=(curl)
have python3 || missing+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)

if [ "${#missing[@]}" = 0 ]; then
  echo "system tools: all present (java, node, npm, chromium, curl, python3 venv)"
  exit 0
fi

root=0
[ "$(id -u)" = 0 ] && [ -z "${LADDER_AS_USER:-}" ] && root=1
if [ "$root" = 0 ] || ! have apt-get; then
  {
    echo "scripts/test.sh needs these system packages, which are missing: ${missing[*]}"
    if have apt-get; then
      echo "Install them as root, then run scripts/test.sh again:"
      echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    else
      echo "Install them with your system's package manager (a Java runtime, Node.js with npm,"
      echo "Chromium, Python's venv module), then run scripts/test.sh again."
    fi
  } >&2
  exit 1
fi

if [ -n "${LADDER_APT_SIMULATE:-}" ]; then echo "== (simulated) would install: ${missing[*]}"; else echo "== installing system packages: ${missing[*]}"; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
if [ -n "${LADDER_APT_SIMULATE:-}" ]; then
  for pkg in "${missing[@]}"; do
    info="$(apt-cache show --no-all-versions "$pkg" 2>/dev/null || true)"
    version="$(sed -n 's/^Version: //p' <<<"$info" | head -n1)"
    [ -n "$version" ] || { echo "apt knows no package named $pkg" >&2; exit 1; }
    echo "apt has $pkg $version"
  done
else
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
