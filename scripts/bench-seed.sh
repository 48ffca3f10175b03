#!/usr/bin/env bash
# Times `confab seed` (release build) into a fresh SQLite file and reports wall time and peak RSS.
# Usage: scripts/bench-seed.sh [MESSAGES] [DIALOGS]      (default 1000000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-1000000}
dialogs=${2:-100000}

swift build -c release --product confab >/dev/null
bin=.build/release/confab
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$bin" apps create --name bench --database "sqlite:$dir/bench.sqlite" >/dev/null
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak RSS: %M KiB" -o "$dir/time.txt" \
    "$bin" seed --app 1 --dialogs "$dialogs" --messages "$messages" --database "sqlite:$dir/bench.sqlite" | tail -1
  cat "$dir/time.txt"
else
  "$bin" seed --app 1 --dialogs "$dialogs" --messages "$messages" --database "sqlite:$dir/bench.sqlite" | tail -1
fi
end=$(date +%s.%N)
echo "wall: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s; database: $(du -h "$dir/bench.sqlite" | cut -f1)"
