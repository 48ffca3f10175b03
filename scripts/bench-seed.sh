#!/usr/bin/env bash
# Times `confab seed` (release build) and reports wall time, peak RSS and the data's size.
# Usage: scripts/bench-seed.sh [MESSAGES] [DIALOGS] [POSTGRES_URL]     (default 1000000 100000)
# Without a URL the data goes to a fresh SQLite file; with one, to that PostgreSQL database,
# which must be empty (e.g. `createdb confab_bench`).
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-1000000}
dialogs=${2:-100000}
postgres=${3:-}

swift build -c release --product confab >/dev/null
bin=.build/release/confab
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
database=${postgres:-sqlite:$dir/bench.sqlite}

"$bin" apps create --name bench --database "$database" --json >"$dir/app.json"
app=$(sed -E 's/.*"application_id":([0-9]+).*/\1/' "$dir/app.json")
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS: %M KiB" -o "$dir/time.txt" \
    "$bin" seed --app "$app" --dialogs "$dialogs" --messages "$messages" --database "$database" | tail -1
  cat "$dir/time.txt"
else
  "$bin" seed --app "$app" --dialogs "$dialogs" --messages "$messages" --database "$database" | tail -1
fi
end=$(date +%s.%N)
if [ -n "$postgres" ]; then
  size=$(psql "${postgres%%\?*}" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")
else
  size=$(du -h "$dir/bench.sqlite" | cut -f1)
fi
echo "wall: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s; database: $size"
