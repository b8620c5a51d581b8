#!/usr/bin/env bash
# Times the suggestions (个性化推荐) as whole processes on a database imported
# by benches/import-1m.sh (1M orders): `suggest --backtest`, `suggest
# CUSTOMER` for the busiest buyer and for a buyer picked from the middle of
# the customers, the rebuild of the kept counts an import triggers, then the
# card with its suggestions in the app (benches/card_suggest.rs).
#
#   benches/suggest-1m.sh [DB] [RUNS]      (defaults: bench-data/kehu.db, 11)
#
# Works on a copy of DB (the original is left as imported). KEHU_BIN=path
# times another build. Prints a Markdown table: median and max of the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-bench-data/kehu.db}
RUNS=${2:-11}
source benches/lib.sh
kehu_bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$DB" "$WORK/kehu.db"
D="$WORK/kehu.db"
export KEHU_CONFIG="$WORK/config.toml"
export KEHU_NOW=${KEHU_NOW:-"2025-12-01 09:00:00"}
# Open once first: a database of an older schema is migrated here (and the
# counts built), not timed.
"$K" --db "$D" stats >/dev/null
busiest=$(sqlite3 "$D" "SELECT id FROM customers ORDER BY valid_orders DESC, id LIMIT 1")
middle=$(sqlite3 "$D" "SELECT id FROM customers WHERE valid_orders >= 2 LIMIT 1 OFFSET (SELECT count(*) / 2 FROM customers WHERE valid_orders >= 2)")

# The rebuild an import leaves for after its files: counts marked out of
# date, then one suggest (which rebuilds them first).
rebuild() {
  sqlite3 "$D" "DELETE FROM suggest_totals WHERE key = ''"
  "$K" --db "$D" suggest "#$busiest" --json
}
echo "| command | runs | median | max |"
echo "|---|---|---|---|"
many "suggest --backtest" 3 "$K" --db "$D" suggest --backtest --json
many "suggest #$busiest (busiest buyer)" "$RUNS" "$K" --db "$D" suggest "#$busiest" --json
many "suggest #$middle (a middle buyer)" "$RUNS" "$K" --db "$D" suggest "#$middle" --json
many "rebuild of the counts + suggest" 3 rebuild
echo
"$K" --db "$D" suggest --backtest --json
cargo bench --quiet --bench card_suggest -- "$D"
