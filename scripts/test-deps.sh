#!/usr/bin/env bash
# System packages scripts/test.sh needs and a fresh Debian or Ubuntu lacks: a Java runtime (the
# Nu HTML validator), node and npm (browser tests), a browser for them, curl (the action's
# download, tested against a local release copy), python3 and its venv module (the Python tools
# go into target/test-venv, since Debian refuses `pip install` into the system Python: PEP 668).
# As root they are installed with apt-get; otherwise the script names the exact command and stops.
#
# Two packaging traps are avoided:
# - npm is asked for only when `npm` is missing and the nodejs package is not NodeSource's:
#   NodeSource's nodejs bundles npm and declares `Conflicts: npm`, so asking apt for both fails.
# - On Ubuntu the `chromium` package is only a transitional package for the snap, which does not
#   run in containers, so apt is not asked for it there: scripts/browser-test.sh downloads
#   Playwright's own Chromium build into target/playwright-browsers instead (and, as root, the
#   system libraries it needs). Debian's `chromium` is a real package and is used as it is.
#   Setting CHROMIUM to a browser executable skips both.
#
# For scripts/fresh-machine-check.sh: LADDER_AS_USER=1 behaves as a non-root user would;
# LADDER_PRETEND_MISSING="java node" treats those commands as absent; LADDER_PRETEND_OS=ubuntu
# takes this machine for Ubuntu; LADDER_APT_SIMULATE=1 asks apt to simulate the installation
# (`apt-get install -s`, which fails on conflicts as the real one would) and installs nothing.
set -euo pipefail

have() {
  case " ${LADDER_PRETEND_MISSING:-} " in *" $1 "*) return 1 ;; esac
  command -v "$1" >/dev/null 2>&1
}

# Ubuntu and its derivatives (ID or ID_LIKE names ubuntu).
on_ubuntu() {
  [ "${LADDER_PRETEND_OS:-}" = ubuntu ] && return 0
  [ -r /etc/os-release ] || return 1
  # shellcheck disable=SC1091 # the system's own file
  (. /etc/os-release && case " ${ID:-} ${ID_LIKE:-} " in *" ubuntu "*) exit 0 ;; *) exit 1 ;; esac)
}

# Whether the nodejs package installed, or the one apt would install, is NodeSource's.
# (Read into a variable first: `grep -q` in a pipe under pipefail fails when it stops early.)
nodesource_node() {
  local versions
  versions="$(dpkg-query -W -f='${Version}\n' nodejs 2>/dev/null || true)
$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: //p' || true)"
  [[ "${versions,,}" == *nodesource* ]]
}

missing=()
notes=()
have java || missing+=(default-jre-headless)
have node || missing+=(nodejs)
if ! have npm; then
  if nodesource_node; then
    notes+=("npm: not asked for, since NodeSource's nodejs package bundles it (and conflicts with Debian's npm)")
  else
    missing+=(npm)
  fi
fi
if [ -n "${CHROMIUM:-}" ]; then
  notes+=("browser: CHROMIUM=$CHROMIUM")
elif on_ubuntu; then
  notes+=("browser: on Ubuntu apt's chromium is a snap that does not run in containers; scripts/browser-test.sh downloads Playwright's Chromium into target/playwright-browsers instead")
else
  have chromium || missing+=(chromium)
fi
have curl || missing+=(curl)
have python3 || missing+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)

for n in "${notes[@]}"; do echo "$n"; done
if [ "${#missing[@]}" = 0 ]; then
  echo "system tools: all present (java, node, npm, a browser, curl, python3 venv)"
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

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
if [ -n "${LADDER_APT_SIMULATE:-}" ]; then
  echo "== (simulated) apt-get install -s ${missing[*]}"
  if ! log="$(apt-get install -s --no-install-recommends "${missing[@]}" 2>&1)"; then
    echo "apt cannot install these packages together: ${missing[*]}" >&2
    grep -E "Conflicts|Depends|Unable|^E:" <<<"$log" >&2 || echo "$log" >&2
    exit 1
  fi
  echo "apt would install: $(sed -n 's/^Inst \([^ ]*\).*/\1/p' <<<"$log" | tr '\n' ' ')"
else
  echo "== installing system packages: ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
