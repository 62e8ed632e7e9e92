#!/usr/bin/env bash
# The till, on a release build, all figures from one run:
#   1. 10,000 sales queued offline on 10 registers (1,000 each, with their shifts' openings),
#      synced at once in the till's batches of 100, then the same batches again: every document
#      booked once, the replay booking nothing, both checked in the database (bench/till_sync.mjs);
#   2. what the till's first load downloads (gzip), and the time to ring a sale with the network
#      off, from the scan to the sale kept in the browser, at full speed and with the processor
#      slowed four times (bench/till_phone.mjs).
# Usage: bench/pos.sh   (results printed and written to bench/out/pos.md)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export SQLX_OFFLINE=true
mkdir -p bench/out
fail() { echo "bench/pos.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server till migrations public || echo "+changes")

source bench/lib.sh
bench_database

if [ -z "${SKIP_BUILD:-}" ]; then
  scripts/build-site.sh --release >bench/out/pos-build.log 2>&1 || fail "the release build failed (bench/out/pos-build.log)"
fi
server_bin=target/release/server
"$server_bin" seed >/dev/null 2>&1 || fail "the demo data did not load"
psql -X -q "$DATABASE_OWNER_URL" -c ANALYZE >/dev/null 2>&1 || true
port=$((47000 + RANDOM % 1000))
bench_serve "$port" TRUSTED_PROXIES=127.0.0.1
base="http://127.0.0.1:$port"
sql() { psql -X -At "$DATABASE_OWNER_URL" -c "$1"; }

# Registers of the supermarket's Ikeja shop, added by its owner, each enrolled from an address of
# its own (enrolment is held to ten tries per address in ten minutes).
jar=$(mktemp)
curl -s -c "$jar" -o /dev/null -H "Origin: $base" -H 'Accept: text/html' --data-urlencode email=owner@ojafresh.ng \
  --data-urlencode password=naija-demo-2026 --data-urlencode next= "$base/rpc/log_in"
shop=$(sql "SELECT l.id FROM locations l JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = 'ojafresh' AND l.name = 'Ikeja GRA'")
code_for() {
  curl -s -b "$jar" -H "Origin: $base" -H 'Accept: application/json' --data-urlencode "location=$shop" \
    --data-urlencode "name=$1" "$base/rpc/add_register" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p'
}
registers=()
for n in $(seq 10); do
  code=$(code_for "Bench till $n")
  [ -n "$code" ] || fail "no code for register $n"
  enrolled=$(curl -s -H 'Content-Type: application/json' -H "X-Forwarded-For: 10.9.$n.1" \
    -d "{\"code\":\"$code\"}" "$base/api/v1/pos/enrol")
  credential=$(echo "$enrolled" | sed -n 's/.*"credential":"\([^"]*\)".*/\1/p')
  [ -n "$credential" ] || fail "register $n did not enrol: $enrolled"
  prefix=$(sql "SELECT prefix FROM registers WHERE name = 'Bench till $n'")
  registers+=("{\"credential\":\"$credential\",\"prefix\":\"$prefix\"}")
done
cashier=$(sql "SELECT id FROM users WHERE email = 'cashier@ojafresh.ng'")
vat=$(sql "SELECT json_build_object('rate', vat_rate::text, 'prices_include_tax', prices_include_tax) FROM tenants WHERE slug = 'ojafresh'")
variants=$(sql "SELECT json_agg(json_build_object('id', v.id, 'name', p.name, 'sku', v.sku, 'price', v.price::text,
                                                  'tax_class', p.tax_class))
                  FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                  JOIN tenants t ON t.id = v.tenant_id
                 WHERE t.slug = 'ojafresh' AND p.status = 'active'")
setup=$(mktemp)
(IFS=,; echo "{\"registers\":[${registers[*]}],\"cashier\":\"$cashier\",\"vat\":$vat,\"variants\":$variants}") >"$setup"

# 1. The sync and its replay.
movements_before=$(sql "SELECT count(*) FROM stock_movements")
echo "== 10,000 queued sales from 10 registers, then the same batches again"
synced=$(node bench/till_sync.mjs "$base" "$setup" 1000) || fail "the sync failed"
echo "$synced"
orders=$(sql "SELECT count(*) FROM orders WHERE channel = 'pos'")
documents=$(sql "SELECT count(*) FROM till_documents WHERE status = 'booked'")
lines=$(sql "SELECT count(*) FROM order_lines l JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id WHERE o.channel = 'pos'")
moved=$(( $(sql "SELECT count(*) FROM stock_movements") - movements_before ))
[ "$orders" = 10000 ] || fail "the server holds $orders till sales, not 10,000"
[ "$documents" = 10010 ] || fail "$documents documents booked, not 10,010"
[ "$moved" = "$lines" ] || fail "$moved stock movements for $lines lines sold"
echo "in the database: $orders sales, $documents documents, $moved stock movements for $lines lines"

# 2. The phone: the first load and ringing offline.
echo "== the till's first load and a sale rung offline"
code=$(code_for "Bench phone")
phone=$(node bench/till_phone.mjs "$base" "$code") || fail "the phone run failed"
echo "$phone"

field() { node -e "const v = JSON.parse(process.argv[1]); console.log(process.argv[2].split('.').reduce((o, k) => o[k], v))" "$1" "$2"; }
{
  echo "Run of $(date -u +%Y-%m-%d) at commit $commit (\`make bench-pos\`, release build):"
  echo
  echo "| measure | figure | goal |"
  echo "|---|---|---|"
  echo "| 10,000 sales from 10 registers, synced | $(field "$synced" sync.seconds) s ($(field "$synced" sync.per_second) documents/s, slowest batch $(field "$synced" sync.slowest_batch_ms) ms) | < 20 s |"
  echo "| the same batches again | $(field "$synced" replay.seconds) s, $(field "$synced" replay.outcomes.already_booked) acknowledged, nothing booked | nothing created |"
  echo "| first load of /pos, gzip | $(( $(field "$phone" first_load_gzip.total) / 1024 )) KiB (wasm $(( $(field "$phone" first_load_gzip.wasm) / 1024 )) KiB, $(field "$phone" first_load_gzip.files) files) | < 600 KB |"
  echo "| a sale rung offline, scan to kept | median $(field "$phone" ring_offline.median_ms) ms, p95 $(field "$phone" ring_offline.p95_ms) ms | < 100 ms |"
  echo "| the same, processor slowed 4× | median $(field "$phone" ring_offline_cpu_x4.median_ms) ms, p95 $(field "$phone" ring_offline_cpu_x4.p95_ms) ms | |"
} | tee bench/out/pos.md
