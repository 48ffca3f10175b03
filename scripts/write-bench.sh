#!/usr/bin/env bash
# Write throughput (issue 13): acknowledged POST /chat/Message per second at 1, 8 and 32
# concurrent writers, with p50/p99 latency and the server's CPU per write, on a release build:
#   - SQLite: a fresh file (WAL, synchronous = FULL);
#   - PostgreSQL: a throwaway cluster started here with the durable defaults (fsync = on,
#     synchronous_commit = on), unlike scripts/with-postgres.sh's test cluster.
# Then, at 32 writers on each store, where the time goes: fsync/fdatasync calls (strace -c) of the
# process that syncs, and a CPU profile of confab serve (perf record), top symbols printed.
#
#   scripts/write-bench.sh [--seconds 20] [--no-profile]
#
# Results go to standard output and, as JSON lines, to $WRITE_BENCH_JSON if set.
# CONFAB_BUILD_PATH overrides the build directory (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20 profile=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --no-profile) profile=0; shift ;;
    *) echo "usage: $0 [--seconds N] [--no-profile]" >&2; exit 2 ;;
  esac
done

build_path="${CONFAB_BUILD_PATH:-.build}"
swift build -c release --product confab --scratch-path "$build_path" >/dev/null
confab="$(swift build -c release --show-bin-path --scratch-path "$build_path")/confab"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

workdir="$(mktemp -d "${TMPDIR:-/tmp}/confab-writes.XXXXXX")"
pgdata="$workdir/pg"
cleanup() {
  if [ -f "$pgdata/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), commit $(git rev-parse --short HEAD)"
json_args=()
[ -n "${WRITE_BENCH_JSON:-}" ] && json_args=(--json "$WRITE_BENCH_JSON")

# PostgreSQL with durable settings, owned by the postgres user when we are root.
mkdir -p "$pgdata"
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$workdir" "$pgdata"
pgport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_owner "$PG_BIN/initdb" -D "$pgdata" -U confab --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_owner "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start -o \
  "-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories='$pgdata' -c max_connections=100" >/dev/null
postgres_url="postgres://confab@127.0.0.1:$pgport/postgres?sslmode=disable"
psql_here() { as_owner "$PG_BIN/psql" -h 127.0.0.1 -p "$pgport" -U confab -d postgres -Atqc "$1"; }
echo "PostgreSQL $(psql_here 'SHOW server_version'): fsync=$(psql_here 'SHOW fsync'), synchronous_commit=$(psql_here 'SHOW synchronous_commit')"

for store in sqlite postgres; do
  if [ "$store" = sqlite ]; then database="sqlite:$workdir/writes.sqlite"; else database="$postgres_url"; fi
  python3 scripts/loadgen.py writes --confab "$confab" --database "$database" --writers 1,8,32 \
    --seconds "$seconds" --label "$store" "${json_args[@]}"
done

[ "$profile" = 1 ] || exit 0
command -v strace >/dev/null && command -v perf >/dev/null || { echo "profile: needs strace and perf" >&2; exit 0; }

# One more run per store at 32 writers for 15 s: 4 s in, strace counts the syncs for 5 s, then
# perf samples confab serve for 5 s. The numbers of this run are slowed by the tracing; only the
# counts and the profile are of interest.
profile_store() {
  local store="$1" database="$2" server_pid="" sync_pids
  python3 scripts/loadgen.py writes --confab "$confab" --database "$database" --writers 32 --seconds 15 \
    --label "$store (traced)" >"$workdir/traced-$store.txt" &
  local load=$!
  for _ in $(seq 1 200); do
    server_pid="$(pgrep -n -f "$confab serve" || true)"
    [ -n "$server_pid" ] && break
    sleep 0.1
  done
  sleep 4
  if [ "$store" = sqlite ]; then
    sync_pids="$server_pid"
  else
    sync_pids="$(pgrep -d, -P "$(head -1 "$pgdata/postmaster.pid")")"
  fi
  timeout -s INT 5 strace -c -f -e trace=fsync,fdatasync -p "$sync_pids" -o "$workdir/strace-$store.txt" 2>/dev/null || true
  perf record -F 499 -g -p "$server_pid" -o "$workdir/perf-$store.data" -- sleep 5 >/dev/null 2>&1 || true
  wait "$load" || true
  echo "== $store, 32 writers: fsync/fdatasync over 5 s (strace -c -f, pids $sync_pids)"
  cat "$workdir/strace-$store.txt"
  echo "== $store, 32 writers: confab serve CPU profile, top self symbols (perf, 5 s)"
  { perf report -i "$workdir/perf-$store.data" --no-children -g none --sort dso,symbol --stdio 2>/dev/null \
      | grep -v '^#' | grep '%' | head -25 | (command -v swift-demangle >/dev/null && swift-demangle --simplified || cat); } || true
  echo "== $store, 32 writers: by shared object"
  { perf report -i "$workdir/perf-$store.data" --no-children -g none --sort dso --stdio 2>/dev/null \
      | grep -v '^#' | grep '%' | head -10; } || true
}
profile_store sqlite "sqlite:$workdir/traced.sqlite"
# A fresh PostgreSQL database for the traced run.
psql_here 'CREATE DATABASE traced' >/dev/null
profile_store postgres "postgres://confab@127.0.0.1:$pgport/traced?sslmode=disable"
