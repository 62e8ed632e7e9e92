#!/usr/bin/env bash
# The dashboard on a million orders, on a release build, all figures from one run:
#   1. `server seed --orders 1000000`: two years of orders across the demo businesses, timed, and
#      its rollups checked against a straight count of the orders;
#   2. the figures for the last 30 days and the last 12 months, read from the rollups and counted
#      straight from the orders, each p50/p95 (examples/dashboard_figures.rs, which refuses to
#      time figures that disagree), and GET /api/v1/dashboard for both (wrk, every answer a 200);
#   3. the whole dashboard page, signed in (wrk, every answer a 200 that is the dashboard);
#   4. what keeping the rollups costs: orders placed per second through POST /api/v1/orders
#      with the rollups' triggers on and off, each run checked in the database.
# A wrong answer stops it (figures that disagree, an answer other than 200, an order missing);
# a latency goal missed is marked in the table, and the run goes on to measure the rest.
# Usage: bench/dashboard.sh   (results printed and written to bench/out/dashboard.md)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
command -v wrk >/dev/null || { sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }; sudo_ apt-get install -y -qq wrk >/dev/null; }
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export SQLX_OFFLINE=true
mkdir -p bench/out
fail() { echo "bench/dashboard.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server migrations examples || echo "+changes")
orders=${ORDERS:-1000000}

source bench/lib.sh
bench_database

if [ -z "${SKIP_BUILD:-}" ]; then
  scripts/build-site.sh --release >bench/out/dashboard-build.log 2>&1 || fail "the release build failed (bench/out/dashboard-build.log)"
  cargo build --release -p commerce --features server --example dashboard_figures >>bench/out/dashboard-build.log 2>&1 || fail "the timing example did not build"
fi
server_bin=target/release/server
sql() { psql -X -At "$DATABASE_OWNER_URL" -c "$1"; }
rows=()
# Keeps a row of the table, and prints it at once, so that a run stopped later keeps what it measured.
row() { rows+=("$1"); echo "$1" >&2; }

# 1. The history.
started=$(date +%s.%N)
"$server_bin" seed --orders "$orders" >bench/out/dashboard-seed.log 2>&1 || fail "seeding failed (bench/out/dashboard-seed.log)"
seeded=$(awk "BEGIN { printf \"%.0f\", $(date +%s.%N) - $started }")
held=$(sql "SELECT count(*) FROM orders")
[ "$held" -ge "$orders" ] || fail "the database holds $held orders, fewer than $orders"
wrong=$(sql "SELECT (SELECT count(*) FROM (SELECT * FROM sales_hours EXCEPT SELECT * FROM sales_hours_counted) a)
                  + (SELECT count(*) FROM (SELECT * FROM sales_hours_counted EXCEPT SELECT * FROM sales_hours) b)
                  + (SELECT count(*) FROM (SELECT * FROM sales_payments_counted EXCEPT SELECT * FROM sales_payments) c)
                  + (SELECT count(*) FROM (SELECT * FROM sales_products_counted EXCEPT SELECT * FROM sales_products) d)
                  + (SELECT count(*) FROM (SELECT * FROM sales_customers_counted EXCEPT SELECT * FROM sales_customers) e)
                  + (SELECT count(*) FROM (SELECT * FROM sales_customer_sets_counted EXCEPT SELECT * FROM sales_customer_sets) f)
                  + (SELECT count(*) FROM (SELECT * FROM sales_customer_sets EXCEPT SELECT * FROM sales_customer_sets_counted) g)")
[ "$wrong" = 0 ] || fail "$wrong rollup rows differ from a straight count of the orders"
hours=$(sql "SELECT count(*) FROM sales_hours")
row "| \`server seed --orders $orders\` (demo data, then two years of orders: lines, till shifts and tenders, customers; rollups written once) | $seeded s; $held orders in the database, $hours hourly rollup rows, every rollup equal to a straight count | |"

port=$((47000 + RANDOM % 1000))
bench_serve "$port"
base="http://127.0.0.1:$port"
token=$(bench_token "$base" bench/out/dashboard-cookies dashboard:read orders:read inventory:read orders:write)

# 2. The figures: rollups against a straight count, in the domain and through the API.
figures=$(DATABASE_URL=$DATABASE_OWNER_URL target/release/examples/dashboard_figures) || fail "the figures disagree or could not be read"
echo "$figures" >&2
# Answers wrk's FIELD for a run on URL with the given headers (every answer must be a 200).
wrk_run() {
  local url=$1 result
  shift
  result=$(wrk -t2 -c4 -d15s -s bench/rate.lua "$@" "$url")
  [ "$(echo "$result" | sed -n 's/^answers_not_200 //p')" = 0 ] || fail "answers other than 200 from $url: $result"
  echo "$result"
}
field() { echo "$1" | sed -n "s/^$2 //p"; }
for span in 30d 12m; do
  read -r _ r50 r95 o50 o95 count <<<"$(echo "$figures" | grep "^$span ")"
  answer=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/dashboard?span=$span")
  echo "$answer" | grep -q "\"orders\":$count," || fail "the API's $span figures do not count the $count orders the domain does"
  api=$(wrk_run "$base/api/v1/dashboard?span=$span" -H "Authorization: Bearer $token")
  api_p95=$(field "$api" p95_ms)
  met=$(awk "BEGIN { print ($api_p95 < 150) ? \"met\" : \"**missed**\" }")
  ratio=$(awk "BEGIN { printf \"%.1f\", $o95 / $r95 }")
  label=$([ "$span" = 30d ] && echo "the last 30 days" || echo "the last 12 months")
  row "| figures for $label ($count orders in them): GET /api/v1/dashboard, 4 clients | **p95 $api_p95 ms**, p50 $(field "$api" p50_ms) ms, $(field "$api" rate) requests/s | p95 < 150 ms: $met |"
  row "| the same figures in the domain, from the rollups / counted straight from the orders (one at a time) | p95 $r95 / $o95 ms (**${ratio}× faster**); p50 $r50 / $o50 ms | |"
done

# 3. The page, signed in as the owner.
session=$(awk '$6 == "sc1_session" { print $7 }' bench/out/dashboard-cookies)
[ -n "$session" ] || fail "no session cookie"
page=$(curl -s -H "Cookie: sc1_session=$session" "$base/admin?span=30d")
echo "$page" | grep -q 'data-widget="revenue_chart"' || fail "the signed-in page is not the dashboard"
whole=$(wrk_run "$base/admin?span=30d" -H "Cookie: sc1_session=$session")
page_p95=$(field "$whole" p95_ms)
page_met=$(awk "BEGIN { print ($page_p95 < 200) ? \"met\" : \"**missed**\" }")
row "| the whole dashboard page for the last 30 days, signed in, 4 clients | **p95 $page_p95 ms**, p50 $(field "$whole" p50_ms) ms, $(field "$whole" rate) pages/s ($(echo "$page" | wc -c) bytes) | p95 < 200 ms: $page_met |"

# 4. The cost of keeping the rollups: orders per second with their triggers on, then off.
location=$(sql "SELECT l.id FROM locations l JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = 'ojafresh' AND l.kind = 'shop' ORDER BY l.name LIMIT 1")
variants=$(sql "SELECT string_agg(v.id::text, ',') FROM (SELECT v.id FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                 JOIN tenants t ON t.id = v.tenant_id WHERE t.slug = 'ojafresh' AND p.status = 'active' ORDER BY v.id LIMIT 30) v")
skus=$(sql "SELECT string_agg(v.sku, ',') FROM variants v WHERE v.id = ANY('{$variants}'::uuid[])")
items=$(echo "$skus" | tr ',' '\n' | sed "s/.*/{\"sku\":\"&\",\"location_id\":\"$location\",\"count\":1000000}/" | paste -sd, -)
curl -s -H "Authorization: Bearer $(bench_token "$base" bench/out/dashboard-cookies inventory:write)" -H 'Content-Type: application/json' \
  --data "{\"source\":\"bench\",\"items\":[$items]}" "$base/api/v1/inventory/sync" >/dev/null
triggers() { for table in orders order_lines till_tenders; do sql "ALTER TABLE $table $1 TRIGGER sales_rollups" >/dev/null; done; }
rate_run() {
  local since before after result
  # Counted from a fixed moment: a sliding window would lose the history's last orders as it moves.
  since=$(sql "SELECT now()")
  before=$(sql "SELECT count(*) FROM orders WHERE channel = 'draft' AND placed_at >= '$since'")
  result=$(node bench/order_rate.mjs "$base" "$base" "$token" "$variants" 16 3000)
  [ "$(echo "$result" | sed -n 's/.*"others":\([0-9]*\).*/\1/p')" = 0 ] || fail "orders refused or failed: $result"
  after=$(sql "SELECT count(*) FROM orders WHERE channel = 'draft' AND placed_at >= '$since'")
  [ $((after - before)) = 3000 ] || fail "$((after - before)) orders in the database after 3,000 answered 201"
  echo "$result" | sed -n 's/.*"rate":\([0-9.]*\).*/\1/p'
}
node bench/order_rate.mjs "$base" "$base" "$token" "$variants" 16 300 >/dev/null  # warm-up
with=$(rate_run)
triggers DISABLE
without=$(rate_run)
triggers ENABLE
with_again=$(rate_run)
tenant=$(sql "SELECT id FROM tenants WHERE slug = 'ojafresh'")
sql "SELECT rebuild_sales_rollups('$tenant')" >/dev/null
cost=$(awk "BEGIN { printf \"%.0f\", (1 - ($with + $with_again) / 2 / $without) * 100 }")
row "| orders placed per second through POST /api/v1/orders (3 lines, pay on delivery), 16 clients: rollups kept / not kept / kept again | $with / **$without** / $with_again orders/s (3,000 a run, each checked in the database): keeping them costs about $cost% | |"

{
  echo "Measured at $commit."
  echo
  echo "| measure | value | goal |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee bench/out/dashboard.md
