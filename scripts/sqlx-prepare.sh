#!/usr/bin/env bash
# Regenerates .sqlx/, the checked descriptions of every query, so that builds (and CI) need no
# database: the query macros check each query against a throwaway database with every
# migration applied, and write what they learn there.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/sc1-sqlx-pg.XXXXXX")
trap 'scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
PG_FSYNC=off PG_SYNC_COMMIT=off scripts/pg.sh start "$pgdir" $((20000 + RANDOM % 2000))
scripts/pg.sh migrate "$pgdir"
eval "$(scripts/pg.sh env "$pgdir")"

rm -rf .sqlx
mkdir -p .sqlx
# Touching the sources makes cargo expand every query macro again.
find src app/src server/src -name '*.rs' -exec touch {} +
SQLX_OFFLINE=false DATABASE_URL=$DATABASE_OWNER_URL SQLX_OFFLINE_DIR="$PWD/.sqlx" \
  cargo check --workspace --all-targets --quiet
echo "wrote $(ls .sqlx | wc -l) query descriptions to .sqlx/"
