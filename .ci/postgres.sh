#!/usr/bin/env bash
# Start/stop the Debian PostgreSQL 15 cluster used by the tests, and make sure the
# role and database exist.  Idempotent; usable by hand as well as from .ci/run.
#
#   bash .ci/postgres.sh start   # start (creating the cluster if there is none), create role+db
#   bash .ci/postgres.sh stop    # stop the cluster
#   bash .ci/postgres.sh status
#
# Afterwards:  DATABASE_URL=postgres://bilag:bilag@127.0.0.1:5432/bilag
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
DB_NAME="${DB_NAME:-bilag}"
DB_USER="${DB_USER:-bilag}"
DB_PASSWORD="${DB_PASSWORD:-bilag}"
export LANG="${LANG:-C.UTF-8}"

as_postgres() {
    # run from / so the postgres user never complains about an unreadable cwd
    (cd / && if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres -- "$@"; fi)
}

psql_admin() {
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"
}

cluster_exists() {
    pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'
}

cluster_online() {
    pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c && $4 ~ /^online/ {f=1} END {exit !f}'
}

wait_ready() {
    local i
    for i in $(seq 1 60); do
        if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then return 0; fi
        sleep 0.5
    done
    echo "error: PostgreSQL did not accept connections on 127.0.0.1:$PG_PORT within 30s" >&2
    tail -n 50 "/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log" >&2 2>/dev/null || true
    return 1
}

start() {
    command -v pg_ctlcluster >/dev/null || { echo "error: postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
    if ! cluster_exists; then
        echo "No PostgreSQL $PG_VERSION/$PG_CLUSTER cluster; creating one (UTF8, C.UTF-8)"
        pg_createcluster --locale C.UTF-8 --encoding UTF8 -p "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER"
    fi
    if cluster_online; then
        echo "PostgreSQL $PG_VERSION/$PG_CLUSTER is already running"
    else
        # pg_ctlcluster runs pg_ctl directly when systemd is not PID 1 (containers)
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
    fi
    wait_ready
    psql_admin -v u="$DB_USER" -v p="$DB_PASSWORD" <<'SQL'
SELECT format(
    CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u')
         THEN 'ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L'
         ELSE 'CREATE ROLE %I WITH LOGIN CREATEDB PASSWORD %L' END,
    :'u', :'p') \gexec
SQL
    psql_admin -v d="$DB_NAME" -v u="$DB_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'d', :'u', 'UTF8')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'d') \gexec
SQL
    local enc
    enc=$(psql_admin -At -c "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'")
    if [ "$enc" != "UTF8" ]; then
        echo "warning: template1 encoding is $enc, not UTF8; Django's test database would inherit it" >&2
    fi
    echo "PostgreSQL ready: postgres://$DB_USER:***@127.0.0.1:$PG_PORT/$DB_NAME (template1 encoding $enc)"
}

stop() {
    if cluster_exists && cluster_online; then
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast || true
        echo "PostgreSQL $PG_VERSION/$PG_CLUSTER stopped"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) pg_lsclusters ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
