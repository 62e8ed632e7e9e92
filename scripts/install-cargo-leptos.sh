#!/usr/bin/env bash
# Installs cargo-leptos from the crate registry, built from source, because its own lock
# file pins a dependency that needs a newer rustc than this toolchain.
set -euo pipefail
version="$1"
if command -v cargo-leptos >/dev/null 2>&1 && cargo leptos --version 2>/dev/null | grep -q " ${version}\$"; then
  exit 0
fi
echo "installing cargo-leptos ${version} (built once, reused afterwards)"
cargo info "cargo-leptos@${version}" >/dev/null
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"cargo-leptos-${version}" | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
cd "$work"
cargo update -p cargo-util-schemas --precise 0.14.1 >/dev/null 2>&1 || true
# The tool only drives other tools, so its own speed hardly matters: building it unoptimised
# takes about 3.5 minutes here instead of 17.5 with its release profile.
CARGO_PROFILE_RELEASE_LTO=false \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
CARGO_PROFILE_RELEASE_DEBUG=false \
  cargo install --path . --locked --features no_downloads --root "${CARGO_HOME:-$HOME/.cargo}"
