#!/usr/bin/env bash
# `make test`: every test against a throwaway Postgres that is removed afterwards; the
# development data under .data/ is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/tools.sh test
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export SQLX_OFFLINE=true

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/sc1-test-pg.XXXXXX")
cleanup() {
  scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
# Durability buys nothing for a database thrown away in minutes.
PG_FSYNC=off PG_SYNC_COMMIT=off scripts/pg.sh start "$pgdir" $((28000 + RANDOM % 2000))
eval "$(scripts/pg.sh env "$pgdir")"

echo "== Rust tests (unit, database, HTTP)"
# Each database test creates a database of its own, so the tests connect as the owner role.
DATABASE_URL=$DATABASE_OWNER_URL cargo test --workspace --no-fail-fast

echo "== Building the site for the browser tests"
scripts/build-site.sh

echo "== Browser tests (Playwright, Debian's Chromium)"
scripts/pg.sh createdb "$pgdir" commerce_e2e
eval "$(scripts/pg.sh env "$pgdir" commerce_e2e)"
# Pictures go beside the throwaway database, and go with it.
export MEDIA_DIR=$pgdir/media
# Letters to people (sign-up and reset links) are written there too, for the tests to read.
export MAIL_DIR=$pgdir/mail
target/debug/server seed
# Below the ports the kernel gives outgoing connections (32768 and up), which a listener
# cannot bind while one of them holds it.
port=$((26000 + RANDOM % 2000))
SECRETS_KEYS="test:$(head -c 32 /dev/urandom | base64)"
export SECRETS_KEYS
# The start page's demo logins are shown only by a server in demo mode, as `make run` starts it.
DEMO_MODE=true E2E_PORT=$port E2E_PG_DIR=$pgdir npx playwright test --config end2end/playwright.config.ts

echo "== API fuzzing (schemathesis over /api/v1/openapi.json: no 5xx, no undocumented status)"
scripts/api-fuzz.sh
