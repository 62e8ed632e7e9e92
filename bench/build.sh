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

commit=$(git rev-parse --short HEAD)
log=bench/out/build.log
: >"$log"
# Times a build; a build that fails stops the benchmark, with its output, rather than being
# recorded as a time.
seconds() {
  local start=$SECONDS
  if ! "$@" >>"$log" 2>&1; then
    tail -30 "$log" >&2
    echo "bench/build.sh: '$*' failed; no figure is recorded" >&2
    exit 1
  fi
  echo $((SECONDS - start))
}
# The built files by the names the build gave them (scripts/assets.mjs lists them).
asset() { awk -v kind="$1" '$1 == kind { print $2 }' "$SITE_ROOT/pkg/assets.txt"; }
# What a build must leave: the server, and the wasm, script and stylesheet it serves.
built() {
  local file app
  app=$(asset app)
  for file in "$CARGO_TARGET_DIR/$1/server" "$SITE_ROOT/pkg/${app}_bg.wasm" "$SITE_ROOT/pkg/$app.js" "$SITE_ROOT/pkg/$(asset css)"; do
    [ -s "$file" ] || { echo "bench/build.sh: the $1 build left no $file" >&2; exit 1; }
  done
}

cold=$(seconds scripts/build-site.sh)
built debug

component=app/src/components/ui.rs
cp "$component" bench/out/component.bak
trap 'cp bench/out/component.bak "$component"' EXIT
sed -i 's/"Loading…"/"Loading, please wait…"/' "$component"
rebuild=$(seconds scripts/build-site.sh)
built debug
grep -q "Loading, please wait…" "$CARGO_TARGET_DIR/debug/server" ||
  { echo "bench/build.sh: the rebuild did not take the edited component" >&2; exit 1; }
cp bench/out/component.bak "$component"

release=$(seconds scripts/build-site.sh --release)
built release
pkg="$SITE_ROOT/pkg"
size() { wc -c <"$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
wasm=$pkg/$(asset app)_bg.wasm js=$pkg/$(asset app).js css=$pkg/$(asset css)
total_gz=$(($(gz "$wasm") + $(gz "$js") + $(gz "$css")))

# The goal: what a phone downloads for the shell stays under 400 KB.
goal=$((400 * 1000))
{
  echo "build of commit $commit on $(nproc) cores"
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
if [ "$total_gz" -ge "$goal" ]; then
  echo "bench/build.sh: the shell download is ${total_gz} B, over the ${goal} B goal" >&2
  exit 1
fi
