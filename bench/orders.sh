#!/usr/bin/env bash
# Selling online under load, on a release build, all figures from one run:
#   1. the storefront's home shelf and a category page against a plain axum + sqlx page that
#      renders the same products from the same database (server/examples/plain_shelf.rs):
#      requests per second and p99 at 32 connections, each answer checked to be a 200;
#   2. what a product page and a first visit to the storefront download (gzip), and the time
#      until a shopper can add to cart on throttled 3G with the processor slowed four times
#      (bench/store_phone.mjs);
#   3. 200 shoppers checking out at once for the last 50 units over two instances, paying through
#      the test gateway: exactly 50 paid orders and 150 refusals, checked in the database
#      (bench/last_units.mjs);
#   4. orders placed per second through HTTP, pay on delivery, 3 lines each, over two instances,
#      with the count checked in the database (bench/order_rate.mjs): three of 30 products in
#      each order, then the same three in every order.
# Usage: bench/orders.sh [shelf|phone|race|rate]...   (no argument: all of them; results printed
#        and written to bench/out/orders.md)
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${*:-shelf phone race rate}
want() { [[ " $stages " == *" $1 "* ]]; }
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export SQLX_OFFLINE=true
command -v wrk >/dev/null || { sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }; sudo_ apt-get install -y -qq wrk >/dev/null; }
mkdir -p bench/out
# A benchmark that times a wrong answer fails instead of printing a figure.
fail() { echo "bench/orders.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server migrations public || echo "+changes")

source bench/lib.sh
bench_database

if [ -z "${SKIP_BUILD:-}" ]; then
  scripts/build-site.sh --release >bench/out/orders-build.log 2>&1 || fail "the release build failed (bench/out/orders-build.log)"
  cargo build --quiet --release -p server --example plain_shelf || fail "the plain page did not build"
fi
server_bin=target/release/server
"$server_bin" seed >/dev/null 2>&1 || fail "the demo data did not load"
# The planner's statistics, as autovacuum would have them for a database in use.
psql -X -q "$DATABASE_OWNER_URL" -c ANALYZE >/dev/null 2>&1 || true

# Two instances on one database, as deployed behind a proxy: the checkout's limit per address
# (20 orders in 10 minutes) reads the shoppers' addresses from X-Forwarded-For.
ports=($((47000 + RANDOM % 1000)) $((48000 + RANDOM % 1000)))
for port in "${ports[@]}"; do bench_serve "$port" TRUSTED_PROXIES=127.0.0.1; done
base="http://127.0.0.1:${ports[0]}"
other="http://127.0.0.1:${ports[1]}"
sql() { psql -X -At "$DATABASE_OWNER_URL" -c "$1"; }
rows=()

# 1. The shelf against the plain page.
if want shelf; then
  plain_port=$((49000 + RANDOM % 1000))
  target/release/examples/plain_shelf "127.0.0.1:$plain_port" >/dev/null 2>&1 &
  servers+=($!)
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$plain_port/store/ojafresh" && break; sleep 0.2; done
  plain="http://127.0.0.1:$plain_port"
  # A third instance that keeps nothing: every page made afresh from the database.
  afresh_port=$((46000 + RANDOM % 1000))
  bench_serve "$afresh_port" STORE_CACHE=off
  afresh="http://127.0.0.1:$afresh_port"
  # The category with the most products on sale, with those of its subcategories.
  category=$(sql "SELECT c.id FROM categories c JOIN tenants t ON t.id = c.tenant_id AND t.slug = 'ojafresh'
                   WHERE c.parent_id IS NULL
                   ORDER BY (SELECT count(*) FROM products p WHERE p.tenant_id = c.tenant_id AND p.status = 'active'
                              AND p.category_id IN (SELECT d.id FROM categories d WHERE d.id = c.id OR d.parent_id = c.id)) DESC, c.id
                   LIMIT 1")
  [ -n "$category" ] || fail "the demo store has no category"
  # Both pages show the same products, in the same order.
  names() { curl -sf -H 'Accept: text/html' "$1" | grep -o 'data-product="[^"]*"'; }
  for path in "/store/ojafresh" "/store/ojafresh/c/$category"; do
    ours=$(names "$base$path"); theirs=$(names "$plain$path")
    [ -n "$ours" ] || fail "$path shows no products"
    [ "$(names "$afresh$path")" = "$ours" ] || fail "$path made afresh shows other products"
    [ "$ours" = "$theirs" ] || { diff <(echo "$ours") <(echo "$theirs") | head >&2; fail "$path and the plain page show different products"; }
  done
  # Requests per second and p99 over 10 s at 32 connections, refusing a figure when any answer
  # was not a 200. Each page is measured right after its plain counterpart. Neither is asked to
  # compress (the plain page cannot): what is compared is making the page.
  measure() {
    local out
    out=$(wrk -t2 -c32 -d10s -s bench/rate.lua -H 'Accept: text/html' ${2:+-H "$2"} "$1")
    echo "$out" | grep -q "answers_not_200 0$" || fail "not every answer was a 200 for $1: $(echo "$out" | grep answers_not_200)"
    echo "$(echo "$out" | awk '/^rate/ { print $2 }') $(echo "$out" | awk '/^p99_ms/ { print $2 }')"
  }
  measure "$base/store/ojafresh" >/dev/null  # warm-up
  for page in "home shelf|/store/ojafresh" "category page|/store/ojafresh/c/$category"; do
    name=${page%%|*}; path=${page#*|}
    read -r plain_rate plain_p99 <<<"$(measure "$plain$path")"
    read -r ours_rate ours_p99 <<<"$(measure "$base$path")"
    read -r afresh_rate afresh_p99 <<<"$(measure "$afresh$path")"
    # As a browser asks for it: compressed (the plain page cannot be, so only ours).
    read -r browser_rate browser_p99 <<<"$(measure "$base$path" 'Accept-Encoding: gzip, deflate, br, zstd')"
    [ "$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip, deflate, br, zstd' "$base$path" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }')" = br ] \
      || fail "$path is not sent compressed to a browser that asks"
    ratio=$(awk "BEGIN { printf \"%.2f\", $ours_rate / $plain_rate }")
    afresh_ratio=$(awk "BEGIN { printf \"%.2f\", $afresh_rate / $plain_rate }")
    count=$(names "$base$path" | wc -l)
    echo "$name: ours $ours_rate/s p99 $ours_p99 ms; compressed $browser_rate/s p99 $browser_p99 ms; afresh $afresh_rate/s p99 $afresh_p99 ms; plain $plain_rate/s p99 $plain_p99 ms; ${ratio}x" >&2
    rows+=("| $name ($count products), ours (kept) / plain page | $ours_rate / $plain_rate requests/s (**${ratio}×**); p99 $ours_p99 / $plain_p99 ms | ≥ 0.5×, p99 < 20 ms |")
    rows+=("| the same page made afresh every time (\`STORE_CACHE=off\`) / plain page | $afresh_rate / $plain_rate requests/s (${afresh_ratio}×); p99 $afresh_p99 ms | |")
    rows+=("| the same page, kept, as a browser asks for it (Brotli) | $browser_rate requests/s; p99 $browser_p99 ms | |")
  done
fi

# 2. What a phone downloads and waits for.
if want phone; then
  product=$(sql "SELECT p.id FROM products p JOIN tenants t ON t.id = p.tenant_id AND t.slug = 'ojafresh'
                  WHERE p.status = 'active'
                    AND EXISTS (SELECT 1 FROM product_images i WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id)
                    AND EXISTS (SELECT 1 FROM variants v JOIN stock_levels l ON l.tenant_id = v.tenant_id AND l.variant_id = v.id
                                 WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND l.on_hand - l.reserved > 5)
                  ORDER BY lower(p.name), p.id LIMIT 1")
  [ -n "$product" ] || fail "the demo store has no product with a picture in stock"
  result=$(node bench/store_phone.mjs "$base" ojafresh "$product") || fail "measuring the phone's visit failed"
  echo "phone: $result" >&2
  kb() { node -e "console.log((JSON.parse(process.argv[1])$2 / 1024).toFixed(1))" "$result"; }
  seconds() { node -e "console.log(JSON.parse(process.argv[1]).three_g.$2)" "$result"; }
  product_kb=$(node -e "const r = JSON.parse(process.argv[1]); console.log(((r.product.html + r.product.css) / 1024).toFixed(1))" "$result")
  home_kb=$(kb "$result" .home.total)
  awk "BEGIN { exit !($product_kb < 150) }" || fail "a product page's HTML and CSS are $product_kb KiB gzipped"
  awk "BEGIN { exit !($home_kb < 250) }" || fail "a first visit downloads $home_kb KiB gzipped"
  awk "BEGIN { exit !($(seconds "$result" can_add_s) < 5) }" || fail "a shopper on 3G waits $(seconds "$result" can_add_s) s to add to cart"
  rows+=("| a product page, HTML + CSS, gzip (no wasm) | **$product_kb KiB** (HTML $(kb "$result" .product.html), CSS $(kb "$result" .product.css), the storefront's script $(kb "$result" .product.js)) | < 150 KB |")
  rows+=("| everything a first visit to the store's home downloads, gzip | **$home_kb KiB** in $(node -e "console.log(JSON.parse(process.argv[1]).home.count)" "$result") files (HTML $(kb "$result" .home.html), CSS $(kb "$result" .home.css), script $(kb "$result" .home.js), wasm $(kb "$result" .home.wasm), pictures $(kb "$result" .home.pictures)) | < 250 KB |")
  rows+=("| 3G (1.6 Mbit/s, 300 ms) with the processor 4× slower, cold cache: until \"Add to cart\" can be pressed | **$(seconds "$result" can_add_s) s** (the storefront's script in place at $(seconds "$result" script_ready_s) s; the press shows the cart $(seconds "$result" add_to_cart_shown_s) s later) | < 5 s |")
fi

# The API client that stocks the benchmark's products and places the REST orders.
if want race || want rate; then
  token=$(bench_token "$base" bench/out/cookies products:write inventory:write settings:read orders:write)
  api() { curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
  location=$(api "$base/api/v1/locations" | sed -n 's/.*"data":\[{"id":"\([^"]*\)".*/\1/p')
  # A product on sale with one variant, and `units` of it at the first shop: prints
  # "<product id> <variant id>".
  stocked() {
    local sku=$1 units=$2 made product variant
    made=$(api --data "{\"name\":\"Bench $sku\",\"status\":\"active\",\"variants\":[{\"sku\":\"$sku\",\"price\":\"2500\"}]}" \
      "$base/api/v1/marketplace/products")
    product=$(echo "$made" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
    variant=$(echo "$made" | sed -n 's/.*"variants":\[{"id":"\([^"]*\)".*/\1/p')
    [ -n "$variant" ] || fail "the product $sku was not made: $made"
    api --data "{\"source\":\"bench\",\"items\":[{\"sku\":\"$sku\",\"location_id\":\"$location\",\"count\":$units}]}" \
      "$base/api/v1/inventory/sync" >/dev/null
    echo "$product $variant"
  }
fi

# 3. The last 50 units, 200 shoppers, five rounds: every round exactly 50 paid and 150 refused.
if want race; then
  seconds=()
  for round in 1 2 3 4 5; do
    read -r product variant <<<"$(stocked "LAST-50-$round" 50)"
    result=$(node bench/last_units.mjs "$base" "$other" ojafresh "$product" "$variant" 200)
    echo "last units, round $round: $result" >&2
    field() { echo "$result" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
    [ "$(field paid)" = 50 ] || fail "round $round: $(field paid) shoppers paid for 50 units"
    [ "$(field refused)" = 150 ] || fail "round $round: $(field refused) shoppers refused, not 150"
    [ "$(field others)" = 0 ] || fail "round $round: answers that were neither: $result"
    paid=$(sql "SELECT count(DISTINCT o.id) FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
                 WHERE l.variant_id = '$variant' AND o.status = 'paid'")
    placed=$(sql "SELECT count(DISTINCT o.id) FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
                   WHERE l.variant_id = '$variant'")
    level=$(sql "SELECT sum(on_hand) || ' on hand, ' || sum(reserved) || ' held' FROM stock_levels WHERE variant_id = '$variant'")
    [ "$paid" = 50 ] && [ "$placed" = 50 ] || fail "round $round: $paid paid orders of $placed in the database, not 50 of 50"
    [ "$level" = "0 on hand, 0 held" ] || fail "round $round: the stock is $level after 50 units were paid for"
    seconds+=("$(field seconds)")
  done
  refusal=$(echo "$result" | sed -n 's/.*"refusals":{"\([^"]*\)".*/\1/p')
  rows+=("| 200 shoppers checking out at once for the last 50 units, 2 instances, 5 rounds | 50 paid and 150 refused every round, checked in the database (orders, stock 0 on hand, 0 held); each round's checkouts took $(IFS=/; echo "${seconds[*]}") s; the refusal: \"$refusal\" | exactly 50 / 150 |")
fi

# 4. Orders per second through REST: pay on delivery, three lines, 32 clients over two
#    instances; each order three of 30 products (shoppers buy different things), then the worst
#    case, the same three products in every order (each order waits on the last one's stock rows).
if want rate; then
  variants=()
  for n in $(seq 30); do read -r _ v <<<"$(stocked "RATE-$n" 1000000)"; variants+=("$v"); done
  spread=$(IFS=,; echo "${variants[*]}")
  same=$(IFS=,; echo "${variants[*]:0:3}")
  sql "ANALYZE" >/dev/null 2>&1 || true
  node bench/order_rate.mjs "$base" "$other" "$token" "$spread" 32 500 >/dev/null  # warm-up
  # Runs TOTAL orders over VARIANTS and checks every one of them in the database; prints the result.
  rate_run() {
    local variants=$1 total=$2 before after lines_before lines_after result
    before=$(sql "SELECT count(*) FROM orders WHERE note = 'bench order'")
    lines_before=$(sql "SELECT count(*) FROM order_lines l JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id WHERE o.note = 'bench order'")
    result=$(node bench/order_rate.mjs "$base" "$other" "$token" "$variants" 32 "$total")
    echo "order rate: $result" >&2
    [ "$(echo "$result" | sed -n 's/.*"others":\([0-9]*\).*/\1/p')" = 0 ] || fail "orders refused or failed: $result"
    after=$(sql "SELECT count(*) FROM orders WHERE note = 'bench order'")
    lines_after=$(sql "SELECT count(*) FROM order_lines l JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id WHERE o.note = 'bench order'")
    [ $((after - before)) = "$total" ] || fail "$((after - before)) orders in the database after $total answered 201"
    [ $((lines_after - lines_before)) = $((total * 3)) ] || fail "$((lines_after - lines_before)) order lines in the database, not 3 per order"
    echo "$result"
  }
  field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
  spread_result=$(rate_run "$spread" 6000)
  same_result=$(rate_run "$same" 2000)
  rows+=("| orders placed through POST /api/v1/orders (pay on delivery, 3 lines of 30 products), 32 clients over 2 instances | **$(field "$spread_result" rate) orders/s** (6,000 in $(field "$spread_result" seconds) s; 6,000 in the database, 3 lines each) | ≥ 300/s |")
  rows+=("| the same, every order the same 3 products | $(field "$same_result" rate) orders/s (2,000 in $(field "$same_result" seconds) s, checked the same way) | |")
fi

{
  echo "Measured at $commit."
  echo
  echo "| measure | value | goal |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee bench/out/orders.md
