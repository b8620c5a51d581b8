#!/usr/bin/env bash
# Times predictions on a large shop as whole processes (and the card in-process):
#
#   benches/predict-1m.sh DB [CUTOFF]      (CUTOFF default 2025-09-01)
#
# DB is a kehu database, e.g. a 1M-order shop made with
#   KEHU_NOW="2025-12-01 09:00:00" kehu demo --export-csv DIR --orders 1000000 --seed 42
#   KEHU_NOW="2025-12-01 09:00:00" kehu --db DB import DIR
# The clock is pinned (KEHU_NOW, default 2025-12-01 09:00:00) so runs compare.
# Prints: predict --backtest (target ≤ 30 s), the refresh of every customer's
# predictions (a stale day: target well under 2 s), predict CUSTOMER when fresh
# (target ≤ 50 ms), and the card with predictions opened from the list (≤ 16 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: benches/predict-1m.sh DB [CUTOFF]}
CUTOFF=${2:-2025-09-01}
export KEHU_NOW="${KEHU_NOW:-2025-12-01 09:00:00}"
cargo build --release --quiet
K=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/kehu
command -v sqlite3 >/dev/null || { echo "sqlite3 shell needed"; exit 1; }
secs() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b-a)/1e9 }'; }

echo "database: $DB ($(sqlite3 "$DB" 'SELECT count(*) FROM customers') customers, $(sqlite3 "$DB" 'SELECT count(*) FROM orders') orders)"
for i in 1 2 3; do echo "predict --backtest --cutoff $CUTOFF: $(secs "$K" --db "$DB" predict --backtest --cutoff "$CUTOFF" --json) s"; done
"$K" --db "$DB" predict --backtest --cutoff "$CUTOFF" --json
ID=$(sqlite3 "$DB" "SELECT id FROM customers WHERE valid_orders >= 3 LIMIT 1 OFFSET (SELECT count(*) / 2 FROM customers WHERE valid_orders >= 3)")
for i in 1 2 3; do
  sqlite3 "$DB" "DELETE FROM prediction_run"   # stale: the next command refreshes
  echo "predict #$ID with a refresh of every customer: $(secs "$K" --db "$DB" predict "#$ID") s"
done
for i in 1 2 3 4 5; do echo "predict #$ID (fresh): $(secs "$K" --db "$DB" predict "#$ID" --json) s"; done
cargo bench --quiet --bench predict_card -- "$DB"
