#!/usr/bin/env bash
# The export and page benchmark: seeds, serves and exports 100,000 and 1,000,000 messages
# (SQLite) and 1,000,000 (PostgreSQL), compares with reading the database directly, times pages
# with wrk, and writes the tables into BENCHMARKS.md. Release build; takes about 15 minutes.
#
#   scripts/bench.sh           the full run
#   scripts/bench.sh --smoke   2,000 messages on each store with the debug build: checks that the
#                              benchmark still runs and its exports are exact (CI); writes nothing
#   scripts/bench.sh --mirror  confab mirror of 200,000 messages on each store, then of as many again
#                              through the change feed (changes/s)
#   scripts/bench.sh --stats   the statistics endpoints at 1,000,000 messages over a year, SQLite and
#                              PostgreSQL, beside the first page (issue 17)
#   CONFAB_BENCH_KEEP=dir scripts/bench.sh --scale
#                              1,000,000 and 10,000,000 messages on SQLite: pages, exports, seeds
#                              (issue 16's scale targets); the seeded databases are kept in dir and
#                              reused by the next run (the 10,000,000 seed takes most of an hour)
#
# Needs node, sqlite3, psql, wrk and GNU time; installs all but node from Debian's packages when missing
# (as root). Starts a throwaway PostgreSQL cluster unless CONFAB_TEST_POSTGRES_URL names one.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v wrk >/dev/null || missing+=(wrk)
command -v psql >/dev/null || missing+=(postgresql-client)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bench: install ${missing[*]} (Debian packages) first" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
fi

if [ -z "${CONFAB_TEST_POSTGRES_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi

# confab-bench is a package of its own (Benchmarks/Package.swift), so that Confab's own builds
# never compile it; it builds into Benchmarks/.build.
if [ "${1:-}" = "--smoke" ]; then
  configuration=debug
else
  configuration=release
fi
swift build -c "$configuration" --product confab >/dev/null
# --stats and --mirror measure over HTTP and the CLI only: no confab-bench to build for them.
case "${1:-}" in
  --stats | --mirror) ;;
  *) swift build -c "$configuration" --package-path Benchmarks --product confab-bench >/dev/null ;;
esac
bin=$(swift build -c "$configuration" --show-bin-path)
bench_bin=$(swift build -c "$configuration" --package-path Benchmarks --show-bin-path)
exec python3 scripts/bench.py --bin "$bin" --bench-bin "$bench_bin" "$@"
