#!/usr/bin/env bash
# Build timings and what the browser downloads, measured in a target folder of its own so that
# the cold build is really cold and the everyday target folder is left alone.
#   1. cold debug build of the whole site (server, wasm, CSS)
#   2. debug rebuild after editing one component
#   3. release build, and the gzipped size of the wasm, JS and CSS a browser downloads
# Usage: bench/build.sh            (results printed and written to bench/out/build.md)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export SQLX_OFFLINE=true
export CARGO_TARGET_DIR="$PWD/bench/out/target"
export SITE_ROOT="$PWD/bench/out/site"
rm -rf "$CARGO_TARGET_DIR" "$SITE_ROOT"
mkdir -p bench/out

seconds() { local start=$SECONDS; "$@" >/dev/null 2>&1; echo $((SECONDS - start)); }

cold=$(seconds scripts/build-site.sh)

component=app/src/components/ui.rs
cp "$component" bench/out/component.bak
trap 'cp bench/out/component.bak "$component"' EXIT
sed -i 's/"Loading…"/"Loading, please wait…"/' "$component"
rebuild=$(seconds scripts/build-site.sh)
cp bench/out/component.bak "$component"

release=$(seconds scripts/build-site.sh --release)
pkg="$SITE_ROOT/pkg"
size() { wc -c <"$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
wasm=$pkg/sc1_bg.wasm js=$pkg/sc1.js css=$pkg/sc1.css
total_gz=$(($(gz "$wasm") + $(gz "$js") + $(gz "$css")))

{
  echo "| measure | value |"
  echo "|---|---|"
  echo "| cold debug build (\`scripts/build-site.sh\`, empty target folder) | ${cold} s |"
  echo "| debug rebuild after editing one component | ${rebuild} s |"
  echo "| release build after the debug builds | ${release} s |"
  echo "| release wasm, raw / gzip -9 | $(size "$wasm") B / $(gz "$wasm") B |"
  echo "| release JS, raw / gzip -9 | $(size "$js") B / $(gz "$js") B |"
  echo "| CSS, raw / gzip -9 | $(size "$css") B / $(gz "$css") B |"
  echo "| **shell download (wasm + JS + CSS), gzip -9** | **${total_gz} B ($((total_gz / 1024)) KiB)** |"
} | tee bench/out/build.md
