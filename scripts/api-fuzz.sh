#!/usr/bin/env bash
# Fuzzes the REST API against its own OpenAPI document with schemathesis: every operation gets
# generated requests, valid and invalid, and the run fails on any 5xx answer and on any status
# the document does not list for that operation.
#
#   scripts/api-fuzz.sh           start target/debug/server on a free port against DATABASE_URL
#                                 (which must hold the demo data), fuzz it, stop it
#   scripts/api-fuzz.sh URL       fuzz a server already running at URL (http://127.0.0.1:3000)
#
# The demo shop's owner signs in and makes an API client with every scope; the fuzzer then
# creates, changes and deletes that business's data at random. Never point it at data you keep.
# API_FUZZ_EXAMPLES (default 50) bounds the requests per operation and phase; API_FUZZ_SEED
# (default fixed) makes a run repeatable.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzzer=.venv-tools/bin/schemathesis
[ -x "$fuzzer" ] || { echo "api-fuzz.sh: schemathesis is missing; run scripts/tools.sh test" >&2; exit 1; }

base=${1:-}
if [ -z "$base" ]; then
  : "${DATABASE_URL:?api-fuzz.sh: set DATABASE_URL to a database with the demo data, or pass a server URL}"
  # Below the ports the kernel gives outgoing connections (32768 and up), which a listener
  # cannot bind while one of them holds it.
  port=$((24000 + RANDOM % 2000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  base="http://127.0.0.1:$port"
  log=$(mktemp "${TMPDIR:-/tmp}/sc1-api-fuzz-server.XXXXXX")
  LOG_LEVEL=${LOG_LEVEL:-warn} target/debug/server serve --bind "127.0.0.1:$port" >"$log" 2>&1 &
  server=$!
  stop_server() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    # What the server said (its warnings and errors) helps read a failed run.
    if [ -s "$log" ]; then echo "-- the server's log"; tail -n 200 "$log"; fi
    rm -f "$log"
  }
  trap stop_server EXIT
  for _ in $(seq 120); do
    curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { echo "api-fuzz.sh: the server did not start" >&2; exit 1; }
    sleep 0.5
  done
fi

# Signs in as the demo shop's owner, as the sign-in form does, and makes an API client with
# every scope; the client's secret is shown this once.
jar=$(mktemp "${TMPDIR:-/tmp}/sc1-api-fuzz-cookies.XXXXXX")
rpc() {
  curl -fsS -b "$jar" -c "$jar" -H "Origin: $base" -H "Content-Type: application/x-www-form-urlencoded" "$@"
}
rpc -o /dev/null -H "Accept: text/html" --data-urlencode "email=owner@ojafresh.ng" \
  --data-urlencode "password=naija-demo-2026" --data "next=" "$base/rpc/log_in"
scopes=(dashboard:write settings:write staff:write audit:write products:write inventory:write orders:write marketplace:write)
form="name=api-fuzz-$(date +%s)"
for i in "${!scopes[@]}"; do form+="&scopes%5B$i%5D=${scopes[$i]}"; done
client=$(rpc --data "$form" "$base/rpc/create_api_client")
rm -f "$jar"
field() { python3 -c "import json, sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
id=$(field client_id <<<"$client")
secret=$(field client_secret <<<"$client")
token=$(curl -fsS --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$id" \
  --data-urlencode "client_secret=$secret" "$base/api/v1/oauth/token" | field access_token)

echo "fuzzing the API at $base/api/v1 with ${API_FUZZ_EXAMPLES:-50} examples per operation and phase"
"$fuzzer" run "$base/api/v1/openapi.json" \
  --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${API_FUZZ_EXAMPLES:-50}" \
  --seed "${API_FUZZ_SEED:-20261203}" \
  --workers 1 \
  --request-timeout 30 \
  --no-shrink
