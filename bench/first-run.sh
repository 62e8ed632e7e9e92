#!/usr/bin/env bash
# The first `make run` as a new user meets it: a clean clone of this checkout's commit, with
# none of the project's tools. Cargo gets an empty home of its own (no crates downloaded, no
# wasm-bindgen; only rustup's proxies, as a fresh Rust install has), npm an empty cache, the
# clone no target folder and no node_modules. Times `make run` from its start until /readyz
# answers 200, then checks that the demo data loaded and the start page serves its script, and
# prints how long each step took.
# Usage: bench/first-run.sh        (needs the network of the package registries, ~10 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
commit=$(git rev-parse --short HEAD)
proxies=$(dirname "$(command -v rustup)")
work=$(mktemp -d "${TMPDIR:-/tmp}/sc1-first-run.XXXXXX")
# The private database runs as another user, who must be able to reach the clone's folder.
chmod 755 "$work"
port=$((46000 + RANDOM % 2000))
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  pkill -f "serve --bind 127.0.0.1:$port" 2>/dev/null || true
  (cd "$work/clone" 2>/dev/null && scripts/pg.sh stop .data/pg >/dev/null 2>&1) || true
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$repo" "$work/clone"
mkdir -p "$work/cargo/bin"
for tool in cargo rustc rustup rustdoc rustfmt cargo-clippy clippy-driver; do
  [ -e "$proxies/$tool" ] && ln -s "$proxies/$tool" "$work/cargo/bin/$tool"
done

cd "$work/clone"
log=$work/make-run.log
started=$(date +%s)
(
  export CARGO_HOME=$work/cargo npm_config_cache=$work/npm PATH="$work/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  unset DATABASE_URL DATABASE_OWNER_URL SQLX_OFFLINE CARGO_TARGET_DIR
  BIND_ADDR=127.0.0.1:$port METRICS_ADDR=127.0.0.1:$((port + 1)) make run 2>&1 |
    while IFS= read -r line; do echo "$(($(date +%s) - started)) $line"; done >"$log"
) &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do
  if ! kill -0 "$server" 2>/dev/null; then
    tail -30 "$log" >&2
    echo "first-run: make run stopped before serving" >&2
    exit 1
  fi
  sleep 2
done
total=$(($(date +%s) - started))

# What was served is the demo, with its script: not merely a process that answers.
page=$(curl -sf "http://127.0.0.1:$port/")
grep -q "owner@ojafresh.ng" <<<"$page" || { echo "first-run: the start page lacks the demo logins" >&2; exit 1; }
script=$(grep -o '/pkg/sc1-[0-9a-f]\{16\}\.js' <<<"$page" | head -1)
[ -n "$script" ] || { echo "first-run: the start page lacks its script" >&2; exit 1; }
curl -sf -o /dev/null "http://127.0.0.1:$port${script%.js}_bg.wasm" || { echo "first-run: no wasm is served" >&2; exit 1; }

at() { grep -m1 "$1" "$log" | cut -d' ' -f1; }
echo "first run of commit $commit on $(nproc) cores"
echo "| step | finished after |"
echo "|---|---|"
echo "| wasm-bindgen installed | $(at 'Installed package') s |"
echo "| npm tools installed | $(at 'added [0-9]* packages') s |"
echo "| server and wasm built (side by side) | $(grep 'Finished' "$log" | tail -1 | cut -d' ' -f1) s |"
echo "| database started, migrated, demo data loaded | $(at 'SC-1 Commerce Suite is starting') s |"
echo "| **clone to serving** | **${total} s ($((total / 60)) min $((total % 60)) s)** |"
