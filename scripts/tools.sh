#!/usr/bin/env bash
# Installs what building and testing need, each only when missing or at the wrong version:
# the wasm target, wasm-bindgen (exactly the version in Cargo.lock), the npm tools (Tailwind,
# wasm-opt, Playwright) and, with `test`, Debian's Chromium and the API fuzzer (schemathesis, in
# a Python virtual environment under .venv-tools/). scripts/build-site.sh drives them.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v cargo >/dev/null || { echo "tools.sh: Rust (rustup) is needed: see README.md" >&2; exit 1; }
command -v npm >/dev/null || { echo "tools.sh: Node.js and npm are needed: see README.md" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen" ]; then
  echo "installing wasm-bindgen $bindgen (must equal the wasm-bindgen in Cargo.lock)"
  # Only the one program the build uses, without the test runner's TLS stack, and lightly
  # optimised: it compiles in a fraction of the default time and still runs in a second or two.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_LTO=false \
    cargo install wasm-bindgen-cli --version "$bindgen" --no-default-features --bin wasm-bindgen --force
fi

if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi

if [ "${1:-}" = test ] && ! command -v chromium >/dev/null; then
  echo "installing Debian's chromium for the browser tests"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

# The API fuzzer, at the versions pinned in scripts/api-fuzz.requirements.txt.
if [ "${1:-}" = test ]; then
  pins=scripts/api-fuzz.requirements.txt
  if [ ! -f .venv-tools/.installed ] || [ "$pins" -nt .venv-tools/.installed ]; then
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      echo "installing Python 3 and its venv module for the API fuzzer"
      as_root apt-get update -qq
      DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    fi
    echo "installing the API fuzzer (schemathesis) into .venv-tools"
    rm -rf .venv-tools
    python3 -m venv .venv-tools
    .venv-tools/bin/pip install --quiet --disable-pip-version-check -r "$pins"
    touch .venv-tools/.installed
  fi
fi
