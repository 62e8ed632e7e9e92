#!/usr/bin/env bash
# The marketplace at scale, on a release build, all figures from one run. The demo's Naija Gadget
# Market is given 50 more vendors with 2,000 products each and 100,000 orders already placed,
# each one vendor's part (bench/marketplace.sql); then:
#   1. the storefront's search over those 100,000 products: p95 of a search that finds thousands
#      (ordered by relevance), one that finds a few, and one misspelt, each page checked to show
#      products; kept pages and pages made afresh every time (STORE_CACHE=off);
#   2. a vendor portal's orders page, signed in as the demo vendor, the first page and the
#      delivered ones: p95, each page checked to hold a full page of the vendor's orders;
#   3. checkouts through POST /api/v1/orders, pay on delivery, five lines each: one line from each
#      of five vendors (the order split in five parts) against five lines of one vendor (one
#      part), orders per second side by side over two instances, each order and its parts counted
#      in the database.
# Usage: bench/marketplace.sh [search|orders|checkout]...   (no argument: all of them; results
#        printed and written to bench/out/marketplace.md)
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${*:-search orders checkout}
want() { [[ " $stages " == *" $1 "* ]]; }
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export SQLX_OFFLINE=true
command -v wrk >/dev/null || { sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }; sudo_ apt-get install -y -qq wrk >/dev/null; }
mkdir -p bench/out
# A benchmark that times a wrong answer fails instead of printing a figure.
fail() { echo "bench/marketplace.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server migrations public || echo "+changes")

source bench/lib.sh
bench_database

if [ -z "${SKIP_BUILD:-}" ]; then
  scripts/build-site.sh --release >bench/out/marketplace-build.log 2>&1 || fail "the release build failed (bench/out/marketplace-build.log)"
fi
server_bin=target/release/server
"$server_bin" seed >/dev/null 2>&1 || fail "the demo data did not load"
started=$(date +%s)
psql -X -q "$DATABASE_OWNER_URL" -f bench/marketplace.sql >/dev/null || fail "the marketplace's bench data did not load"
echo "bench data loaded in $(($(date +%s) - started)) s" >&2
sql() { psql -X -At "$DATABASE_OWNER_URL" -c "$1"; }
products=$(sql "SELECT count(*) FROM products p JOIN vendors v ON v.tenant_id = p.tenant_id AND v.id = p.vendor_id
                 WHERE v.slug LIKE 'bench-seller-%' AND p.on_sale")
parts=$(sql "SELECT count(*) FROM order_parts p JOIN tenants t ON t.id = p.tenant_id AND t.slug = 'gadgetmarket'")
[ "$products" = 100000 ] || fail "$products of the bench vendors' products are on sale, not 100,000"
[ "$parts" -ge 100000 ] || fail "the marketplace holds $parts parts of orders, not 100,000"

ports=($((47000 + RANDOM % 1000)) $((48000 + RANDOM % 1000)))
for port in "${ports[@]}"; do bench_serve "$port" TRUSTED_PROXIES=127.0.0.1; done
base="http://127.0.0.1:${ports[0]}"
other="http://127.0.0.1:${ports[1]}"
rows=()

# p95, p99 and the rate over 10 s at CONNECTIONS (16 unless set), refusing a figure when any
# answer was not a 200 within 10 s; prints "rate p95 p99".
measure() {
  local url=$1 out
  shift
  out=$(wrk -t2 -c"${CONNECTIONS:-16}" -d10s --timeout 10s -s bench/rate.lua -H 'Accept: text/html' "$@" "$url")
  echo "$out" | grep -q "answers_not_200 0$" || fail "not every answer was a 200 for $url: $(echo "$out" | grep answers_not_200)"
  echo "$(echo "$out" | awk '/^rate/ { print $2 }') $(echo "$out" | awk '/^p95_ms/ { print $2 }') $(echo "$out" | awk '/^p99_ms/ { print $2 }')"
}
# "met" or "not met": whether $1 is under $2.
verdict() { if awk "BEGIN { exit !($1 < $2) }"; then echo met; else echo "not met"; fi; }

# 1. Search.
if want search; then
  afresh_port=$((46000 + RANDOM % 1000))
  bench_serve "$afresh_port" STORE_CACHE=off
  afresh="http://127.0.0.1:$afresh_port"
  shown() { curl -sf -H 'Accept: text/html' "$1" | grep -o 'data-product="' | wc -l; }
  for search in "many|samsung" "few|oraimo%20speaker%20105" "misspelt|samsnug%20charger"; do
    name=${search%%|*}; q=${search#*|}
    path="/store/gadgetmarket?q=$q"
    # What matches, as the store finds it: the words in full text, or when none has them, the
    # names close to them.
    found=$(sql "SET pg_trgm.word_similarity_threshold = 0.5;
                 SELECT set_config('app.tenant_id', (SELECT id::text FROM tenants WHERE slug = 'gadgetmarket'), false);
                 SELECT count(*) FROM products_matching(replace('$q', '%20', ' '))" | tail -n 1)
    count=$(shown "$base$path")
    [ "$count" -gt 0 ] || fail "the search $path shows no products"
    [ "$(shown "$afresh$path")" = "$count" ] || fail "the search $path made afresh shows other products"
    measure "$base$path" >/dev/null  # warm-up
    read -r kept_rate kept_p95 kept_p99 <<<"$(measure "$base$path")"
    # Made afresh, each search is the database's work alone: 4 connections, one for each of
    # the two cores' database processes and the server's.
    read -r afresh_rate afresh_p95 afresh_p99 <<<"$(CONNECTIONS=4 measure "$afresh$path")"
    echo "search $name: kept $kept_rate/s p95 $kept_p95 ms; afresh $afresh_rate/s p95 $afresh_p95 ms" >&2
    rows+=("| search \"${q//%20/ }\" over 100,000 vendors' products ($found match; $count on the first page), made afresh (\`STORE_CACHE=off\`), 4 connections | p95 **$afresh_p95 ms**, p99 $afresh_p99 ms; $afresh_rate requests/s | p95 < 50 ms: **$(verdict "$afresh_p95" 50)** |")
    rows+=("| the same search, kept, 16 connections | p95 $kept_p95 ms, p99 $kept_p99 ms; $kept_rate requests/s | |")
  done
fi

# 2. A vendor portal's orders page.
if want orders; then
  jar=bench/out/vendor-cookies
  bench_login "$base" "$jar" vendor@gadgetmarket.ng
  session=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar")
  [ -n "$session" ] || fail "the demo vendor could not sign in"
  vendor=$(sql "SELECT v.name FROM memberships s JOIN vendors v ON v.tenant_id = s.tenant_id AND v.id = s.vendor_id
                  JOIN users u ON u.id = s.user_id WHERE u.email = 'vendor@gadgetmarket.ng'")
  own=$(sql "SELECT count(*) FROM order_parts p JOIN memberships s ON s.tenant_id = p.tenant_id AND s.vendor_id = p.vendor_id
               JOIN users u ON u.id = s.user_id WHERE u.email = 'vendor@gadgetmarket.ng'")
  for page in "first page|/vendor/orders" "delivered|/vendor/orders?status=delivered"; do
    name=${page%%|*}; path=${page#*|}
    count=$(curl -sf -H 'Accept: text/html' -H "Cookie: $session" "$base$path" | grep -o 'data-testid="vendor-order-row"' | wc -l)
    [ "$count" = 50 ] || fail "$path shows $count of $vendor's orders, not a page of 50"
    measure "$base$path" -H "Cookie: $session" >/dev/null  # warm-up
    read -r rate p95 p99 <<<"$(measure "$base$path" -H "Cookie: $session")"
    echo "vendor orders, $name: $rate/s p95 $p95 ms" >&2
    rows+=("| the vendor portal's orders, $name (\`$path\`, 50 of $vendor's $own parts; $parts in the marketplace), 16 connections | p95 **$p95 ms**, p99 $p99 ms; $rate requests/s | p95 < 100 ms: **$(verdict "$p95" 100)** |")
  done
fi

# 3. Checkouts across five vendors against checkouts from one.
if want checkout; then
  BENCH_EMAIL=owner@gadgetmarket.ng token=$(bench_token "$base" bench/out/cookies orders:write)
  # 20 products of each of the first five bench vendors, a group a vendor: "v,v,...;v,v,...".
  groups() {
    sql "SELECT string_agg(variants, ';' ORDER BY vendor) FROM (
           SELECT p.vendor_id AS vendor, string_agg(v.id::text, ',' ORDER BY v.sku) AS variants
             FROM vendors d
             JOIN products p ON p.tenant_id = d.tenant_id AND p.vendor_id = d.id
             JOIN variants v ON v.tenant_id = p.tenant_id AND v.product_id = p.id
            WHERE d.slug IN ($1) AND v.sku ~ '-([1-9]|1[0-9]|20)$'
            GROUP BY p.vendor_id) g"
  }
  five=$(groups "'bench-seller-1', 'bench-seller-2', 'bench-seller-3', 'bench-seller-4', 'bench-seller-5'")
  # The one vendor's 100 products, five groups of 20, so that each order holds five of them.
  one=$(sql "SELECT string_agg(variants, ';' ORDER BY g) FROM (
               SELECT g, string_agg(id, ',') AS variants FROM (
                 SELECT (row_number() OVER (ORDER BY v.sku) - 1) / 20 AS g, v.id::text AS id
                   FROM vendors d
                   JOIN products p ON p.tenant_id = d.tenant_id AND p.vendor_id = d.id
                   JOIN variants v ON v.tenant_id = p.tenant_id AND v.product_id = p.id
                  WHERE d.slug = 'bench-seller-6' ORDER BY v.sku LIMIT 100) x
                GROUP BY g) y")
  [ "$(echo "$five" | tr ';' '\n' | wc -l)" = 5 ] || fail "five vendors' products were not found"
  # Enough stock that no checkout is refused for want of it.
  sql "UPDATE stock_levels SET on_hand = 10000000
        WHERE variant_id IN (SELECT v.id FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                              JOIN vendors d ON d.tenant_id = p.tenant_id AND d.id = p.vendor_id
                             WHERE d.slug IN ('bench-seller-1', 'bench-seller-2', 'bench-seller-3', 'bench-seller-4',
                                              'bench-seller-5', 'bench-seller-6'))" >/dev/null
  sql "ANALYZE" >/dev/null 2>&1 || true
  node bench/order_rate.mjs "$base" "$other" "$token" "$five" 32 300 >/dev/null  # warm-up
  # Runs TOTAL orders over GROUPS and checks each in the database: PARTS parts and five lines
  # an order. Prints the result.
  rate_run() {
    local groups=$1 total=$2 parts=$3 before after parts_before parts_after lines_before lines_after result
    count() { sql "SELECT count(*) FROM $1 x JOIN orders o ON o.tenant_id = x.tenant_id AND o.id = x.${2:-order_id} WHERE o.note = 'bench order'"; }
    before=$(sql "SELECT count(*) FROM orders WHERE note = 'bench order'")
    parts_before=$(count order_parts); lines_before=$(count order_lines)
    result=$(node bench/order_rate.mjs "$base" "$other" "$token" "$groups" 32 "$total")
    echo "order rate: $result" >&2
    [ "$(echo "$result" | sed -n 's/.*"others":\([0-9]*\).*/\1/p')" = 0 ] || fail "orders refused or failed: $result"
    after=$(sql "SELECT count(*) FROM orders WHERE note = 'bench order'")
    parts_after=$(count order_parts); lines_after=$(count order_lines)
    [ $((after - before)) = "$total" ] || fail "$((after - before)) orders in the database after $total answered 201"
    [ $((parts_after - parts_before)) = $((total * parts)) ] || fail "$((parts_after - parts_before)) parts in the database, not $parts an order"
    [ $((lines_after - lines_before)) = $((total * 5)) ] || fail "$((lines_after - lines_before)) order lines in the database, not 5 an order"
    echo "$result"
  }
  field() { echo "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"; }
  five_result=$(rate_run "$five" 3000 5)
  one_result=$(rate_run "$one" 3000 1)
  five_rate=$(field "$five_result" rate); one_rate=$(field "$one_result" rate)
  ratio=$(awk "BEGIN { printf \"%.2f\", $five_rate / $one_rate }")
  rows+=("| checkouts through POST /api/v1/orders, pay on delivery, 5 lines, **one from each of 5 vendors** (5 parts an order), 32 clients over 2 instances | **$five_rate orders/s** (3,000 in $(field "$five_result" seconds) s; 3,000 orders, 15,000 parts and 15,000 lines in the database) | side by side |")
  rows+=("| the same, **5 lines of one vendor** (1 part an order) | **$one_rate orders/s** (3,000 in $(field "$one_result" seconds) s; 3,000 orders, 3,000 parts, 15,000 lines); five vendors / one: **${ratio}×** | |")
fi

{
  echo "Measured at $commit."
  echo
  echo "| measure | value | goal |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee bench/out/marketplace.md
