#!/usr/bin/env bash
# `make run`: install what is missing, start the private database unless DATABASE_URL is set,
# build, migrate, load the demo data once, and serve http://127.0.0.1:3000.
#   scripts/run.sh        the browser's files as shoppers get them: optimised wasm, minified CSS
#   scripts/run.sh --dev  (`make dev`) every file built for development, quickest to rebuild
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
build=--release-wasm
case "${1:-}" in
  "") ;;
  --dev) build="" ;;
  *) echo "usage: scripts/run.sh [--dev]" >&2; exit 2 ;;
esac

scripts/tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ -z "${DATABASE_URL:-}" ]; then
  scripts/pg.sh start .data/pg 54329
  eval "$(scripts/pg.sh env .data/pg)"
  echo "using the private Postgres in .data/pg (stop it with: make stop)"
fi

# The key that seals stored secrets, made once for this machine's private data.
if [ -z "${SECRETS_KEYS:-}" ]; then
  mkdir -p .data
  [ -s .data/secrets.keys ] || (umask 077 && echo "dev1:$(head -c 32 /dev/urandom | base64)" > .data/secrets.keys)
  SECRETS_KEYS=$(cat .data/secrets.keys)
  export SECRETS_KEYS
fi

scripts/build-site.sh $build
target/debug/server seed

bind=${BIND_ADDR:-127.0.0.1:3000}
base="http://$bind"
# Metrics are for the operator: on an address of their own, here one only this machine reaches.
METRICS_ADDR=${METRICS_ADDR:-127.0.0.1:9464}
export METRICS_ADDR
cat <<TXT

  SC-1 Commerce Suite is starting on $base (ready in $(( $(date +%s) - started )) s)

    Start page      $base/
    Back office     $base/admin
    Storefront      $base/store/ojafresh      (shop, two locations)
                    $base/store/gadgetmarket  (marketplace)
    Vendor portal   $base/vendor
    Point of sale   $base/pos                 (enrol it with the code from Back office → Registers)

  Demo logins (password: naija-demo-2026)
    Owner        owner@ojafresh.ng          (Oja Fresh Supermarket)
    Manager      manager@ojafresh.ng
    Accountant   accounts@ojafresh.ng
    Cashier      cashier@ojafresh.ng        (till PIN 2580; the manager's is 2468, the owner's 1470)
    Owner        owner@gadgetmarket.ng      (Naija Gadget Market)
    Vendor staff vendor@gadgetmarket.ng     (Slot Phones Hub, vendor portal)
    Platform     admin@sc1.ng               (all businesses: $base/platform)
  Sign in at $base/admin/login, or open a new business at $base/signup
  Letters to people (sign-up and password links) appear in this log unless SMTP_URL or MAIL_DIR is set

  Health $base/healthz · readiness $base/readyz · metrics http://$METRICS_ADDR/metrics
  Stop the server with Ctrl-C; stop the database with: make stop

TXT
# Demo mode: the start page shows the demo logins above, which only a demonstration may.
exec target/debug/server serve --bind "$bind" --demo
