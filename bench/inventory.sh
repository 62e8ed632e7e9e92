#!/usr/bin/env bash
# Catalog and stock under load, on a release build:
#   1. the hot SKU: 1,000 units of one variant, 64 buyers holding one unit at a time through
#      HTTP, spread over two server instances on one database; exactly 1,000 holds must be
#      granted, and the rate is recorded with where the CPU went (three rounds with the buyers
#      warmed up, one from cold connections, one of 8,000 units);
#   2. a 10,000-row product import (preview, then the import);
#   3. the back office's product list over those 10,000 products: p95 of the page, of a search,
#      and of the REST list (wrk, 4 connections, 10 s each).
# Usage: bench/inventory.sh [hot]   (results printed and written to bench/out/inventory.md;
#        `hot` runs the hot SKU alone)
set -euo pipefail
cd "$(dirname "$0")/.."
only=${1:-all}
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export SQLX_OFFLINE=true
command -v wrk >/dev/null || { sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }; sudo_ apt-get install -y -qq wrk >/dev/null; }
mkdir -p bench/out
# A benchmark that times a wrong answer fails instead of printing a figure.
fail() { echo "bench/inventory.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server migrations || echo "+changes")

source bench/lib.sh
bench_database

scripts/build-site.sh --release >/dev/null 2>&1
server_bin=target/release/server
"$server_bin" seed >/dev/null 2>&1

ports=($((47000 + RANDOM % 1000)) $((48000 + RANDOM % 1000)))
for port in "${ports[@]}"; do bench_serve "$port"; done
base="http://127.0.0.1:${ports[0]}"
other="http://127.0.0.1:${ports[1]}"

jar=bench/out/cookies
token=$(bench_token "$base" "$jar" products:write inventory:write settings:read)
api() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }

# 1. The hot SKU. Before each round the stock is set back to `units` free units; the buyers
#    warm up first (their connections opened, refused holds made) unless WARM=0.
product=$(api --data '{"name":"Hot Deal Jollof Pot","status":"active","variants":[{"sku":"HOT-POT-1","price":"25000"}]}' \
  "$base/api/v1/marketplace/products")
variant=$(echo "$product" | sed -n 's/.*"variants":\[{"id":"\([^"]*\)".*/\1/p')
location=$(api "$base/api/v1/locations" | sed -n 's/.*"data":\[{"id":"\([^"]*\)".*/\1/p')
field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
# One round: prints "rate|granted|held|level|where the CPU went".
hot_round() {
  local units=$1 warm=$2 result granted seconds held level
  psql -X -q "$DATABASE_OWNER_URL" -c "UPDATE stock_reservations SET status = 'released' WHERE status = 'held';
    UPDATE stock_levels SET reserved = 0 WHERE variant_id = '$variant';" >/dev/null 2>&1 || true
  api --data "{\"source\":\"bench\",\"items\":[{\"sku\":\"HOT-POT-1\",\"location_id\":\"$location\",\"count\":$units}]}" \
    "$base/api/v1/inventory/sync" >/dev/null
  result=$(WARM=$warm SERVER_PIDS="${servers[*]}" DATABASE_PID=$(head -n 1 "$pgdir/data/postmaster.pid") \
    node bench/hot_sku.mjs "$token" "$variant" 64 "$base" "$other")
  echo "$units units, warm-up $warm: $result" >&2
  granted=$(field "$result" granted)
  seconds=$(field "$result" seconds)
  held=$(psql -X -At "$DATABASE_OWNER_URL" -c "SELECT count(*) FROM stock_reservations WHERE variant_id = '$variant' AND status = 'held'")
  level=$(psql -X -At "$DATABASE_OWNER_URL" -c "SELECT on_hand || ' on hand, ' || reserved || ' reserved' FROM stock_levels WHERE variant_id = '$variant' AND location_id = '$location'")
  # Exactly the stock, never more: every unit held once, by one hold row, and nothing else answered.
  [ "$granted" = "$units" ] || fail "$granted holds granted of $units units"
  [ "$held" = "$units" ] || fail "$held holds in the database for $units units"
  [ "$level" = "$units on hand, $units reserved" ] || fail "the level is $level after holding $units"
  [ "$(field "$result" other)" = 0 ] || fail "answers other than 201 and 409: $result"
  per() { awk "BEGIN { printf \"%.2f\", $1 * 1000 / $granted }"; }
  echo "$(awk "BEGIN { printf \"%d\", $granted / $seconds }")|$granted|$held|$level|servers $(per "$(field "$result" servers)") s, database $(per "$(field "$result" database)") s, buyers $(per "$(field "$result" buyers)") s; machine $(awk "BEGIN { printf \"%d\", 100 * $(field "$result" machine_busy) }")% busy"
}
rounds=()
for _ in 1 2 3; do rounds+=("$(hot_round 1000 20)"); done
best=$(printf '%s\n' "${rounds[@]}" | sort -t'|' -k1,1n | sed -n 2p)
cold=$(hot_round 1000 0)
long=$(hot_round 8000 20)
hot_rows=$(
  echo "| hot SKU: 1,000 units, 64 buyers over 2 instances, warmed up (median of 3 rounds) | ${best%%|*} holds/s |"
  echo "| holds granted / held in the database / level after | $(echo "$best" | cut -d'|' -f2) / $(echo "$best" | cut -d'|' -f3) / $(echo "$best" | cut -d'|' -f4) |"
  echo "| CPU per 1,000 holds in that round | $(echo "$best" | cut -d'|' -f5) |"
  echo "| the same from cold connections (no warm-up) | ${cold%%|*} holds/s; granted / held: $(echo "$cold" | cut -d'|' -f2) / $(echo "$cold" | cut -d'|' -f3) |"
  echo "| 8,000 units, warmed up | ${long%%|*} holds/s; granted / held: $(echo "$long" | cut -d'|' -f2) / $(echo "$long" | cut -d'|' -f3); CPU per 1,000: $(echo "$long" | cut -d'|' -f5) |"
)
if [ "$only" = hot ]; then
  printf 'Measured at %s.\n\n| measure | value |\n|---|---|\n%s\n' "$commit" "$hot_rows" | tee bench/out/inventory.md
  exit 0
fi

# 2. The 10,000-row import.
import=$(DATABASE_URL=$DATABASE_URL cargo run --quiet --release -p commerce --features server --example import_speed) \
  || fail "the import did not do what was timed"
echo "$import"
imported=$(psql -X -At "$DATABASE_OWNER_URL" -c "SELECT count(*) FROM products WHERE name LIKE 'Bench Product %'")
[ "$imported" = 10000 ] || fail "$imported imported products in the database, not 10,000"

# 3. The product list over 10,000+ products.
cookie=$(awk '/sc1_session/ { print $7 }' "$jar")
# The p95 of 10 s of requests, refusing to give one when any answer was not a 200.
p95() {
  local out
  out=$(wrk -t1 -c4 -d10s -s bench/rate.lua "$@")
  echo "$out" | grep -q "answers_not_200 0$" || fail "not every answer was a 200 for $*: $(echo "$out" | grep answers_not_200)"
  echo "$out" | awk '/p95_ms/ { print $2 }'
}
page=$(p95 -H "Cookie: sc1_session=$cookie" -H 'Accept: text/html' "$base/admin/products")
search=$(p95 -H "Cookie: sc1_session=$cookie" -H 'Accept: text/html' "$base/admin/products?search=bench%20product%2004217")
rest=$(p95 -H "Authorization: Bearer $token" "$base/api/v1/marketplace/products?limit=50")
products=$(psql -X -At "$DATABASE_OWNER_URL" -c "SELECT count(*) FROM products p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'ojafresh'")

{
  echo "Measured at $commit."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "$hot_rows"
  echo "| 10,000-row product import | $(echo "$import" | grep '^import' | sed 's/^import: //') |"
  echo "| the same file, preview (rolled back) | $(echo "$import" | grep '^preview' | sed 's/^preview: //') |"
  echo "| GET /admin/products, $products products (page, signed in), p95 | $page ms |"
  echo "| GET /admin/products?search=… (typo-tolerant search), p95 | $search ms |"
  echo "| GET /api/v1/marketplace/products?limit=50, p95 | $rest ms |"
} | tee bench/out/inventory.md
