# What the benchmark scripts share, sourced by each after it defines `fail` (which prints why a
# figure was refused and exits non-zero).

# The servers to stop when the script ends.
servers=()

# Starts a throwaway Postgres (fsync and synchronous commit off) for the script and sets its
# DATABASE_URL and DATABASE_OWNER_URL; it and every server in `servers` stop when the script
# ends, whatever ends it.
bench_database() {
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/sc1-bench-pg.XXXXXX")
  trap bench_cleanup EXIT
  PG_FSYNC=off PG_SYNC_COMMIT=off scripts/pg.sh start "$pgdir" $((52000 + RANDOM % 3000))
  eval "$(scripts/pg.sh env "$pgdir")"
}

bench_cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}

# Starts `$server_bin serve` on 127.0.0.1:PORT, with any NAME=value settings given after the
# port, and waits until it answers that it is ready.
bench_serve() {
  local port=$1
  shift
  env "$@" LOG_LEVEL=warn "$server_bin" serve --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  servers+=($!)
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && return 0; sleep 0.2; done
  fail "the server on $port did not start"
}

# Signs the demo login EMAIL in at BASE, keeping the session's cookie in the file JAR.
bench_login() {
  local base=$1 jar=$2 email=$3
  rm -f "$jar"
  curl -s -c "$jar" -o /dev/null -H "Origin: $base" -H 'Accept: text/html' \
    --data-urlencode email="$email" --data-urlencode password=naija-demo-2026 --data-urlencode next= "$base/rpc/log_in"
}

# Signs the demo's owner (BENCH_EMAIL, or else the grocery's) in at BASE, keeping the session's
# cookie in the file JAR, and makes an API client with the scopes given after them; prints the
# client's bearer token.
bench_token() {
  local base=$1 jar=$2 made id secret token scope n=0
  shift 2
  bench_login "$base" "$jar" "${BENCH_EMAIL:-owner@ojafresh.ng}"
  local scopes=()
  for scope in "$@"; do scopes+=(--data-urlencode "scopes[$n]=$scope"); n=$((n + 1)); done
  made=$(curl -s -b "$jar" -H "Origin: $base" -H 'Accept: application/json' --data-urlencode name=bench \
    "${scopes[@]}" "$base/rpc/create_api_client")
  id=$(echo "$made" | sed -n 's/.*"client_id":"\([^"]*\)".*/\1/p')
  secret=$(echo "$made" | sed -n 's/.*"client_secret":"\([^"]*\)".*/\1/p')
  token=$(curl -s --data-urlencode grant_type=client_credentials --data-urlencode client_id="$id" \
    --data-urlencode client_secret="$secret" "$base/api/v1/oauth/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || fail "no API token from $base"
  echo "$token"
}
