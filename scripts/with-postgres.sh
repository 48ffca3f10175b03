#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server, with CONFAB_TEST_POSTGRES_URL naming it:
#
#   scripts/with-postgres.sh swift test
#
# The server is a new cluster in a temporary folder, on a free loopback port, trusted for one
# user and nothing else; it is stopped and removed on every exit path. If PostgreSQL 15 is not
# installed and we are root, Debian's postgresql package is installed first.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENTS...]" >&2
    exit 2
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PG_BIN/postgres" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL 15 is not in $PG_BIN; install Debian's postgresql package (or set PG_BIN)." >&2
        exit 1
    fi
    echo "Installing PostgreSQL 15 (Debian's postgresql package)..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/confab-postgres.XXXXXX")"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DATA_DIR"
stop_server() {
    if [ -f "$DATA_DIR/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DATA_DIR"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="${CONFAB_POSTGRES_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U confab --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
# A test server: durability off (the cluster is thrown away), room for parallel tests' pools.
as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories='$DATA_DIR' \
     -c max_connections=500 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null

export CONFAB_TEST_POSTGRES_URL="postgres://confab@127.0.0.1:$PORT/postgres?sslmode=disable"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT for this run ($CONFAB_TEST_POSTGRES_URL)"

set +e
"$@"
status=$?
set -e
exit "$status"
