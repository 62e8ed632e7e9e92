#!/usr/bin/env bash
# What access control costs:
#   1. a sign-in: argon2id parameters and time per hash and per verify;
#   2. the tenant setting: a plain read by the tables' owner (no row-level security, one
#      statement) against the same read as the application does it (its own role, bound by
#      row-level security, inside a transaction that sets app.tenant_id) — pgbench, 2 clients;
#   3. authenticated API reads per second through HTTP (wrk) on GET /api/v1/locations and
#      GET /api/v1/settings, with a token from the OAuth endpoint.
# Usage: bench/access.sh   (results printed and written to bench/out/access.md)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export SQLX_OFFLINE=true
command -v wrk >/dev/null || { sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }; sudo_ apt-get install -y -qq wrk >/dev/null; }
mkdir -p bench/out
# A benchmark that times a wrong answer fails instead of printing a figure.
fail() { echo "bench/access.sh: $*" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src app server migrations || echo "+changes")

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/sc1-bench-pg.XXXXXX")
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap cleanup EXIT
PG_FSYNC=off PG_SYNC_COMMIT=off scripts/pg.sh start "$pgdir" $((52000 + RANDOM % 3000))
eval "$(scripts/pg.sh env "$pgdir")"

cost=$(cargo run --quiet -p commerce --features server --example password_cost)

scripts/build-site.sh --release >/dev/null 2>&1
server_bin=target/release/server
"$server_bin" seed >/dev/null 2>&1

pgbench=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pgbench
tenant=$(psql -X -At "$DATABASE_OWNER_URL" -c "SELECT id FROM tenants WHERE slug = 'ojafresh'")
cat > bench/out/plain.sql <<SQL
SELECT id, name, kind FROM locations WHERE tenant_id = '$tenant' ORDER BY name;
SQL
# As commerce::db::tenant_tx does it: BEGIN and the setting in one round trip.
cat > bench/out/tenant.sql <<SQL
BEGIN \; SET LOCAL app.tenant_id = '$tenant';
SELECT id, name, kind FROM locations WHERE tenant_id = '$tenant' ORDER BY name;
COMMIT;
SQL
# Transactions per second, after checking the script reads what the timing assumes (the shop's
# locations) and that pgbench finished every transaction it started.
tps() {
  local out
  [ "$(psql -X -At "$1" -f "$2" | grep -c .)" -ge 2 ] || fail "$2 does not read the shop's locations as $1"
  out=$("$pgbench" -n -c 2 -j 2 -T 10 -f "$2" "$1" 2>&1)
  echo "$out" | grep -q "number of failed transactions: 0" || fail "pgbench: transactions failed: $out"
  echo "$out" | awk '/^tps/ { print int($3) }'
}
plain=$(tps "$DATABASE_OWNER_URL" bench/out/plain.sql)
scoped=$(tps "$DATABASE_URL" bench/out/tenant.sql)

port=$((47000 + RANDOM % 2000))
base="http://127.0.0.1:$port"
LOG_LEVEL=warn "$server_bin" serve --bind "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
jar=bench/out/cookies
rm -f "$jar"
curl -s -c "$jar" -o /dev/null -H "Origin: $base" -H 'Accept: text/html' \
  --data-urlencode email=owner@ojafresh.ng --data-urlencode password=naija-demo-2026 --data-urlencode next= "$base/rpc/log_in"
made=$(curl -s -b "$jar" -H "Origin: $base" -H 'Accept: application/json' \
  --data-urlencode name=bench --data-urlencode 'scopes[0]=settings:read' "$base/rpc/create_api_client")
id=$(echo "$made" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
secret=$(echo "$made" | sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p')
token=$(curl -s --data-urlencode grant_type=client_credentials --data-urlencode client_id="$id" \
  --data-urlencode client_secret="$secret" "$base/api/v1/oauth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || fail "no API token: $made"
# Requests per second over 10 s, refusing a figure when any answer was not a 200.
rps() {
  local out
  out=$(wrk -t1 -c16 -d10s -s bench/rate.lua "$@")
  echo "$out" | grep -q "answers_not_200 0$" || fail "not every answer was a 200 for $*: $(echo "$out" | grep answers_not_200)"
  echo "$out" | awk '/Requests\/sec/ { print int($2) }'
}
health=$(rps "$base/healthz")
[ "$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/settings" | grep -c '"Oja Fresh Supermarket"')" = 1 ] \
  || fail "the token does not read the shop's settings"
locations=$(rps -H "Authorization: Bearer $token" "$base/api/v1/locations")
settings=$(rps -H "Authorization: Bearer $token" "$base/api/v1/settings")

{
  echo "Measured at $commit."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| sign-in cost | $cost |"
  echo "| plain read, owner role, no RLS (pgbench, 2 clients) | $plain tps |"
  echo "| same read as the application: own role, RLS, transaction setting app.tenant_id | $scoped tps |"
  echo "| **tenant-scoped / plain** | **$(awk "BEGIN { printf \"%.2f\", $scoped / $plain }")** |"
  echo "| GET /healthz (no auth, no database; wrk 16 connections) | $health req/s |"
  echo "| GET /api/v1/settings (Bearer token look-up + read) | $settings req/s |"
  echo "| GET /api/v1/locations (token + tenant transaction + RLS read) | $locations req/s |"
} | tee bench/out/access.md
