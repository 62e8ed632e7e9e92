#!/usr/bin/env bash
# A private Postgres cluster in a folder of its own: no system service, loopback only.
#   pg.sh start DIR [PORT]   initialise DIR once, start the server, create the roles and database
#   pg.sh stop DIR           stop it
#   pg.sh env DIR            print the connection variables for it
#   pg.sh createdb DIR NAME  create another database owned by the owner role
#   pg.sh migrate DIR        apply every migration to its database with psql (for the checks of
#                            queries against the schema; the server migrates itself otherwise)
# Postgres refuses to run as root, so as root the server runs as the `postgres` system user.
set -euo pipefail

OWNER=commerce_owner
APP=commerce_app
DB=commerce

die() { echo "pg.sh: $*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null 2>&1; then dir=$(dirname "$(command -v pg_ctl)"); fi
  echo "$dir"
}

ensure_binaries() {
  if [ -z "$(bin_dir)" ] || [ ! -x "$(bin_dir)/initdb" ]; then
    echo "installing PostgreSQL server packages"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  fi
  [ -x "$(bin_dir)/initdb" ] || die "no PostgreSQL server binaries found after installing"
}

# Runs a command as the cluster's user: `postgres` when we are root, else ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

psql_super() {
  local dir=$1; shift
  PGOPTIONS="-c client_min_messages=warning" as_pg "$(bin_dir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$(cat "$dir/port")" -U postgres "$@"
}

start() {
  local dir=$1 wanted=${2:-54329}
  [ -n "$wanted" ] || wanted=54329
  ensure_binaries
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    as_pg test -x "$dir" || die "the postgres user cannot reach $dir; put the project where other users can read it"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg mkdir -p "$dir/data" "$dir/run"
    as_pg "$(bin_dir)/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$dir/run'"
      echo "max_connections = 200"
      echo "shared_buffers = 256MB"
      echo "fsync = ${PG_FSYNC:-on}"
      echo "synchronous_commit = ${PG_SYNC_COMMIT:-on}"
    } | as_pg tee -a "$dir/data/postgresql.conf" >/dev/null
  fi
  if ! as_pg "$(bin_dir)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    local port
    # Keep the port of earlier runs so that connection strings stay valid across restarts.
    if [ -f "$dir/port" ] && ! port_in_use "$(cat "$dir/port")"; then
      port=$(cat "$dir/port")
    else
      port=$(free_port "$wanted")
    fi
    echo "$port" | as_pg tee "$dir/port" >/dev/null
    as_pg "$(bin_dir)/pg_ctl" -D "$dir/data" -o "-p $port" -l "$dir/postgres.log" -w -t 60 start >/dev/null \
      || die "Postgres did not start; see $dir/postgres.log"
  fi
  psql_super "$dir" -d postgres <<SQL
SELECT 'CREATE ROLE $OWNER LOGIN CREATEDB' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OWNER')\gexec
SELECT 'CREATE ROLE $APP LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP')\gexec
SELECT 'CREATE DATABASE $DB OWNER $OWNER' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB')\gexec
SQL
}

stop() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] || return 0
  if as_pg "$(bin_dir)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_pg "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    echo "Postgres in $dir stopped"
  fi
}

print_env() {
  local dir=$1 db=${2:-$DB} port
  port=$(cat "$dir/port")
  echo "export DATABASE_URL=postgres://$APP@127.0.0.1:$port/$db"
  echo "export DATABASE_OWNER_URL=postgres://$OWNER@127.0.0.1:$port/$db"
}

createdb() {
  local dir=$1 name=$2
  psql_super "$dir" -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\" OWNER $OWNER"
}

migrate() {
  local dir=$1 url
  url=$(print_env "$dir" | sed -n 's/^export DATABASE_OWNER_URL=//p')
  for migration in migrations/*.sql; do
    psql -X -q -v ON_ERROR_STOP=1 "$url" -f "$migration"
  done
}

case "${1:-}" in
  start) start "${2:?DIR}" "${3:-}" ;;
  stop) stop "${2:?DIR}" ;;
  env) print_env "${2:?DIR}" "${3:-}" ;;
  createdb) createdb "${2:?DIR}" "${3:?NAME}" ;;
  migrate) migrate "${2:?DIR}" ;;
  *) die "usage: pg.sh start|stop|env|createdb|migrate DIR ..." ;;
esac
