#!/usr/bin/env bash
# The GitHub Action's work (action.yml), runnable anywhere: scripts/test.sh runs it on the example
# site. `install` puts ladder in $LADDER_ROOT/bin: the released binary for this machine when
# $LADDER_ACTION_REPO has one, otherwise `cargo install` of the source in $LADDER_SOURCE.
# `build` runs `ladder check`, then `ladder build` with $LADDER_BASE_URL into $LADDER_OUTPUT.
# `triple` prints the release target this machine would download.
set -euo pipefail

# Windows binaries end in .exe (the release archive holds ladder.exe, as `cargo install` writes it).
exe=ladder
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) exe=ladder.exe ;; esac
bin="${LADDER_ROOT:-}/bin/$exe"

target_triple() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux-aarch64) echo aarch64-unknown-linux-gnu ;;
    Darwin-arm64) echo aarch64-apple-darwin ;;
    Darwin-x86_64) echo x86_64-apple-darwin ;;
    MINGW*|MSYS*|CYGWIN*) echo x86_64-pc-windows-msvc ;;
    *) echo unknown ;;
  esac
}

# The release workflow's archive for this machine, checked against its .sha256; false when
# there is no release (a fork, a local `uses: ./`, no network).
install_release() {
  local repo="${LADDER_ACTION_REPO:-}" version="${LADDER_VERSION:-latest}" triple url tmp
  [ -n "$repo" ] || return 1
  triple="$(target_triple)"
  [ "$triple" != unknown ] || return 1
  # LADDER_RELEASE_BASE: another host laid out as GitHub's (scripts/test.sh serves one locally).
  local base="${LADDER_RELEASE_BASE:-https://github.com}"
  if [ "$version" = latest ]; then
    url="$base/$repo/releases/latest/download/ladder-$triple.tar.gz"
  else
    url="$base/$repo/releases/download/$version/ladder-$triple.tar.gz"
  fi
  tmp="$(mktemp -d)"
  curl -fsSL --retry 3 -o "$tmp/ladder.tar.gz" "$url" 2>/dev/null || { rm -rf "$tmp"; return 1; }
  curl -fsSL --retry 3 -o "$tmp/ladder.tar.gz.sha256" "$url.sha256" 2>/dev/null || { rm -rf "$tmp"; return 1; }
  local want got
  want="$(cut -d' ' -f1 "$tmp/ladder.tar.gz.sha256")"
  if command -v sha256sum >/dev/null 2>&1; then got="$(sha256sum "$tmp/ladder.tar.gz")"; else got="$(shasum -a 256 "$tmp/ladder.tar.gz")"; fi
  [ -n "$want" ] && [ "${got%% *}" = "$want" ] || {
    echo "the release archive's checksum does not match; building from source instead" >&2
    rm -rf "$tmp"
    return 1
  }
  mkdir -p "$LADDER_ROOT/bin"
  # Unpack beside the final place, then move: a short write (a full disk) must not leave a
  # half-written ladder that the caller would then run.
  local unpacked="$LADDER_ROOT/bin/.ladder-unpack.$$"
  mkdir -p "$unpacked"
  if ! tar -xzf "$tmp/ladder.tar.gz" -C "$unpacked"; then
    echo "the release archive could not be unpacked (is the disk full?); building from source instead" >&2
    rm -rf "$tmp" "$unpacked"
    return 1
  fi
  # The archive holds ladder (Linux, macOS) or ladder.exe (Windows), with README and licences.
  local found=""
  for name in ladder ladder.exe; do
    [ -f "$unpacked/$name" ] && [ -x "$unpacked/$name" ] && found="$name"
  done
  if [ -z "$found" ]; then
    echo "the release archive holds no ladder executable; building from source instead" >&2
    rm -rf "$tmp" "$unpacked"
    return 1
  fi
  mv -f "$unpacked/$found" "$LADDER_ROOT/bin/$found"
  bin="$LADDER_ROOT/bin/$found"
  rm -rf "$tmp" "$unpacked"
  echo "installed the released ladder ($version) for $triple"
}

install_source() {
  : "${LADDER_SOURCE:?set LADDER_SOURCE (the ladder source folder)}"
  echo "no released binary for this machine: building ladder from $LADDER_SOURCE"
  # shellcheck disable=SC2086 # the flags are a list
  cargo install ${LADDER_CARGO_FLAGS:---locked} --path "$LADDER_SOURCE" --root "$LADDER_ROOT"
}

case "${1:-}" in
  triple)
    target_triple
    ;;
  install)
    : "${LADDER_ROOT:?set LADDER_ROOT (where ladder is installed)}"
    install_release || install_source
    "$bin" --version
    ;;
  build)
    : "${LADDER_ROOT:?set LADDER_ROOT (where ladder is installed)}"
    site="${LADDER_SITE:-.}"
    out="${LADDER_OUTPUT:-output}"
    "$bin" check --site "$site"
    args=(build --site "$site" --output "$out")
    [ -z "${LADDER_BASE_URL:-}" ] || args+=(--base-url "$LADDER_BASE_URL")
    "$bin" "${args[@]}"
    ;;
  *)
    echo "usage: scripts/action.sh install|build|triple" >&2
    exit 2
    ;;
esac
