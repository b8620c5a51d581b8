#!/usr/bin/env bash
# Times `kehu merge suggest` as a whole process on a database imported by
# benches/import-1m.sh (1M orders), then one merge and its undo of the
# strongest pair (or of the two busiest buyers when nothing is suggested).
#
#   benches/merge-1m.sh [DB] [RUNS]      (defaults: bench-data/kehu.db, 7)
#
# Works on a copy of DB (the original is left as imported). KEHU_BIN=path
# times another build. Prints a Markdown table: median and max of the runs;
# target for suggest ≤ 5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-bench-data/kehu.db}
RUNS=${2:-7}
source benches/lib.sh
kehu_bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$DB" "$WORK/kehu.db"
D="$WORK/kehu.db"
export KEHU_CONFIG="$WORK/config.toml"
export KEHU_NOW=${KEHU_NOW:-"2025-12-01 09:00:00"}
# Open once first: a database of an older schema is migrated here, not timed.
"$K" --db "$D" stats >/dev/null
echo "| command | runs | median | max |"
echo "|---|---|---|---|"
many '`kehu merge suggest --json`' "$RUNS" "$K" --db "$D" merge suggest --json
pairs=$("$K" --db "$D" merge suggest --json | grep -c '"score"' || true)
echo "pairs suggested: $pairs" >&2
a=$(sqlite3 "$D" "SELECT '#' || id FROM customers ORDER BY orders_count DESC, id LIMIT 1")
b=$(sqlite3 "$D" "SELECT '#' || id FROM customers ORDER BY orders_count DESC, id LIMIT 1 OFFSET 1")
t0=$(now_us); out=$("$K" --db "$D" merge "$a" "$b" --json); t1=$(now_us)
id=$(echo "$out" | sed -n 's/.*"merge_id": *\([0-9]*\).*/\1/p')
printf '| `kehu merge %s %s` | 1 | %.1f ms | |\n' "$a" "$b" "$(echo "($t1 - $t0) / 1000" | bc -l)"
t0=$(now_us); "$K" --db "$D" merge undo "$id" --json >/dev/null; t1=$(now_us)
printf '| `kehu merge undo %s` | 1 | %.1f ms | |\n' "$id" "$(echo "($t1 - $t0) / 1000" | bc -l)"
