#!/usr/bin/env bash
# What a phone downloads and how long it waits, before and after the browser's files were
# optimised, named by content and compressed at build time (bench/phone.mjs measures):
#   before  the development build `make run` used to serve, its files compressed per request
#           (the site of `scripts/build-site.sh` with the .br and .gz copies removed);
#   dev     the same build with its copies (`make dev`);
#   after   the shopper's build (`scripts/build-site.sh --release-wasm`, what `make run` serves).
# Usage: bench/downloads.sh   (results printed and written to bench/out/downloads.md)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export SQLX_OFFLINE=true
mkdir -p bench/out
fail() { echo "bench/downloads.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server migrations public scripts || echo "+changes")

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/sc1-bench-pg.XXXXXX")
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap cleanup EXIT
PG_FSYNC=off PG_SYNC_COMMIT=off scripts/pg.sh start "$pgdir" $((52000 + RANDOM % 3000))
eval "$(scripts/pg.sh env "$pgdir")"

out=bench/out/sites
rm -rf "$out"
SITE_ROOT=$out/dev scripts/build-site.sh >bench/out/downloads-build.log 2>&1 || fail "the development build failed"
cp -r "$out/dev" "$out/before"
rm -f "$out"/before/pkg/*.br "$out"/before/pkg/*.gz
SITE_ROOT=$out/after scripts/build-site.sh --release-wasm >>bench/out/downloads-build.log 2>&1 || fail "the shopper's build failed"
target/debug/server seed >/dev/null 2>&1 || fail "the demo data did not load"

results=()
for site in before dev after; do
  port=$((47000 + RANDOM % 2000))
  SITE_ROOT=$out/$site LOG_LEVEL=warn target/debug/server serve --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.5; done
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" || fail "the server of the $site site did not start"
  results+=("$(node bench/phone.mjs "http://127.0.0.1:$port" "$server")") || fail "measuring the $site site failed"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
done

node - "$commit" "${results[@]}" <<'JS' | tee bench/out/downloads.md
const [commit, ...runs] = process.argv.slice(2);
const [before, dev, after] = runs.map((r) => JSON.parse(r));
const kb = (b) => `${Math.round(b / 1024).toLocaleString("en")} KiB`;
console.log(`downloads of commit ${commit}`);
console.log("| surface | site | first visit, gzip | first visit, brotli | usable on 3G, CPU ×4 | content shown |");
console.log("|---|---|---|---|---|---|");
for (const [name, run] of [["before", before], ["dev", dev], ["after", after]]) {
  for (const s of run.surfaces) {
    console.log(`| ${s.surface} | ${name} | ${kb(s.download.gzip)} | ${kb(s.download.br)} | ${s.usable_s} s | ${s.first_paint_s} s |`);
  }
}
console.log("");
console.log("| site | server CPU per wasm download (brotli) |");
console.log("|---|---|");
for (const [name, run] of [["before", before], ["dev", dev], ["after", after]]) {
  console.log(`| ${name} | ${(run.server_cpu_s_per_wasm_download * 1000).toFixed(0)} ms |`);
}
JS
