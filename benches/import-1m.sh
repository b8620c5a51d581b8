#!/usr/bin/env bash
# Times kehu against the sqlite3 shell on a generated Taobao export (GBK, order + item report).
#
#   benches/import-1m.sh [ORDERS] [WORKDIR] [ROUNDS]     (defaults: 1000000, ./bench-data, 3)
#
# Baseline (product decision): the sqlite3 shell loading the same export converted to UTF-8,
# order report and item report each into its own raw table (.mode csv, .import), fresh WAL
# database, timed as a whole process in the same run. Each round alternates: the baseline,
# kehu importing both files into an empty database, then kehu importing them again (every
# order unchanged). The machine's own swings show between rounds, so the ratio is taken
# within each round. kehu runs on its own config with `[backups] keep = 0`: a fresh import
# writes no backup anyway, and the re-import would otherwise copy the whole database first
# (that copy is timed in docs/benchmarks.md, "The backup before an import").
# KEHU_BIN=path times another build. Prints Markdown tables; the last database stays at
# WORKDIR/kehu.db for benches/lookup-1m.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
ORDERS=${1:-1000000}
WORK=${2:-bench-data}
ROUNDS=${3:-3}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# The generated export ends at "now": pin it, so the same seed gives the same files.
export KEHU_NOW="${KEHU_NOW:-2025-12-01 09:00:00}"
export KEHU_CONFIG="$WORK/bench-config.toml"
printf '[backups]\nkeep = 0\n' > "$KEHU_CONFIG"
kehu_bin
command -v sqlite3 >/dev/null || { echo "sqlite3 shell needed (apt-get install sqlite3)"; exit 1; }

# run CMD... → prints "seconds max_rss_mb"
timed() {
  local t0 t1 rss
  sync; sleep 1
  t0=$(now_us)
  /usr/bin/time -f '%M' -o "$WORK/.rss" "$@" >/dev/null 2>"$WORK/.err" || { cat "$WORK/.err"; return 1; }
  t1=$(now_us)
  rss=$(tail -1 "$WORK/.rss")
  awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.2f %.0f\n", (b-a)/1e6, r/1024 }'
}

if ! ls "$WORK"/ExportOrderList*.csv >/dev/null 2>&1; then
  echo "generating $ORDERS orders into $WORK ..." >&2
  "$K" demo --export-csv "$WORK" --orders "$ORDERS" --seed 42 >&2
fi
ORD=$(ls "$WORK"/ExportOrderList*.csv | head -1)
ITM=$(ls "$WORK"/ExportOrderDetailList*.csv | head -1)
iconv -f gb18030 -t utf-8 "$ORD" > "$WORK/orders-utf8.csv"
iconv -f gb18030 -t utf-8 "$ITM" > "$WORK/items-utf8.csv"
cat > "$WORK/base.sql" <<SQL
PRAGMA journal_mode=WAL;
.mode csv
.import $WORK/orders-utf8.csv raw_orders
.import $WORK/items-utf8.csv raw_items
SQL

echo "| round | sqlite3 .import | kehu fresh | ratio | peak | kehu again | ratio | peak |"
echo "|---|---|---|---|---|---|---|---|"
fresh_r=() again_r=()
for round in $(seq "$ROUNDS"); do
  rm -f "$WORK"/base.db* "$WORK"/kehu.db*
  read -r base_s _ < <(timed sqlite3 "$WORK/base.db" ".read $WORK/base.sql")
  rm -f "$WORK"/base.db*
  read -r fresh_s fresh_mb < <(timed "$K" --db "$WORK/kehu.db" import "$ORD" "$ITM")
  read -r again_s again_mb < <(timed "$K" --db "$WORK/kehu.db" import "$ORD" "$ITM")
  fresh_r+=("$(ratio "$fresh_s" "$base_s")")
  again_r+=("$(ratio "$again_s" "$base_s")")
  echo "| $round | ${base_s} s | ${fresh_s} s | ${fresh_r[-1]}× | ${fresh_mb} MB | ${again_s} s | ${again_r[-1]}× | ${again_mb} MB |"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

orders_n=$(sqlite3 "$WORK/kehu.db" "SELECT count(*) FROM orders")
lines_n=$(sqlite3 "$WORK/kehu.db" "SELECT count(*) FROM order_lines")
cust_n=$(sqlite3 "$WORK/kehu.db" "SELECT count(*) FROM customers")
echo
echo "| measure | value | target |"
echo "|---|---|---|"
echo "| export | $orders_n orders, $lines_n lines, $cust_n customers; $(du -m "$ORD" | cut -f1) MB + $(du -m "$ITM" | cut -f1) MB GBK | |"
echo "| fresh import, median ratio of $ROUNDS rounds | $(median "${fresh_r[@]}")× | ≤ 0.6× |"
echo "| re-import, median ratio of $ROUNDS rounds | $(median "${again_r[@]}")× | ≤ 0.2× |"
echo
echo "Lookups on the last database: benches/lookup-1m.sh $WORK/kehu.db"
