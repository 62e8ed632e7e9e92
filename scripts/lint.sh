#!/usr/bin/env bash
# `make lint`, as CI judges it: formatting; clippy on the server build and on the browser build;
# and that .sqlx/ (the checked query descriptions that builds use instead of a database) says
# exactly what the queries and the migrations say now. Clippy expands every query macro against
# a throwaway database with every migration applied and writes what it learns beside .sqlx/;
# any difference means someone changed a query or the schema without `make sqlx-prepare`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

echo "== rustfmt"
cargo fmt --all -- --check

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/sc1-lint-pg.XXXXXX")
fresh=$(mktemp -d "${TMPDIR:-/tmp}/sc1-lint-sqlx.XXXXXX")
trap 'scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir" "$fresh"' EXIT
PG_FSYNC=off PG_SYNC_COMMIT=off scripts/pg.sh start "$pgdir" $((22000 + RANDOM % 2000))
scripts/pg.sh migrate "$pgdir"
eval "$(scripts/pg.sh env "$pgdir")"

echo "== clippy (server build), checking every query against the migrated schema"
# Touching the sources makes cargo expand every query macro again, even after an earlier build.
find src app/src server/src -name '*.rs' -exec touch {} +
SQLX_OFFLINE=false DATABASE_URL=$DATABASE_OWNER_URL SQLX_OFFLINE_DIR=$fresh \
  cargo clippy --workspace --all-targets -- -D warnings

echo "== .sqlx/ matches the queries"
if ! diff -rq .sqlx "$fresh" >/dev/null; then
  diff -rq .sqlx "$fresh" | sed "s|$fresh|(the queries now)|" >&2 || true
  echo "lint: .sqlx/ is out of date with the queries or the migrations; run make sqlx-prepare" >&2
  exit 1
fi

echo "== clippy (browser build)"
cargo clippy -p app --target wasm32-unknown-unknown --no-default-features --features hydrate \
  --target-dir target/front -- -D warnings

echo "== clippy (the till)"
cargo clippy -p till --target wasm32-unknown-unknown --target-dir target/front -- -D warnings
