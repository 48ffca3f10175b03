#!/usr/bin/env bash
# The soak (issue 13): on each store, a fresh database served by `confab serve` with its default
# limits takes a 60 s closed-loop mixed load at 64 connections from scripts/loadgen.py (half
# POST /chat/Message, a quarter a dialog's GET /chat/Message, a quarter the admin message list).
# Fails (exit 1) on any 5xx, any non-2xx answer other than 429, any connection error, a server
# RSS at the end more than 10% away from its RSS after a 10 s warm-up, or an unclean SIGTERM exit.
#
#   scripts/soak.sh           release build, 60 s per store
#   scripts/soak.sh --smoke   debug build, 5 s per store (CI): the answers are checked, the RSS
#                             only reported (5 s is too short to call memory flat)
#
# PostgreSQL runs on a throwaway cluster (scripts/with-postgres.sh) unless CONFAB_TEST_POSTGRES_URL
# names one; the soak then uses that URL's database, which should hold no Confab data.
# CONFAB_BUILD_PATH overrides the build directory (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
case "${1:-}" in
  --smoke) smoke=1 ;;
  "") ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac

if [ -z "${CONFAB_TEST_POSTGRES_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi

build_path="${CONFAB_BUILD_PATH:-.build}"
if [ "$smoke" = 1 ]; then
  configuration=debug seconds=5 warmup=2 rss=(--no-rss-check)
else
  configuration=release seconds=60 warmup=10 rss=()
fi
swift build -c "$configuration" --product confab --scratch-path "$build_path" >/dev/null
confab="$(swift build -c "$configuration" --show-bin-path --scratch-path "$build_path")/confab"

workdir="$(mktemp -d "${TMPDIR:-/tmp}/confab-soak.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT

status=0
for store in sqlite postgres; do
  if [ "$store" = sqlite ]; then database="sqlite:$workdir/soak.sqlite"; else database="$CONFAB_TEST_POSTGRES_URL"; fi
  echo "soak: $store, ${seconds} s at 64 connections ($configuration build)"
  if ! python3 scripts/loadgen.py soak --confab "$confab" --database "$database" \
      --seconds "$seconds" --warmup "$warmup" --connections 64 "${rss[@]}"; then
    echo "soak: FAILED on $store" >&2
    status=1
  fi
done
exit "$status"
