#!/usr/bin/env bash
# Times kehu against the sqlite3 shell on a generated Taobao export (GBK, order + item report).
#
#   benches/import-1m.sh [ORDERS] [WORKDIR]      (defaults: 1000000, ./bench-data)
#
# Baseline (product decision): the sqlite3 shell loading the same export converted to UTF-8,
# order report and item report each into its own raw table (.mode csv, .import), fresh WAL
# database, timed as a whole process in the same run. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS=${1:-1000000}
WORK=${2:-bench-data}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
# The generated export ends at "now": pin it, so the same seed gives the same files.
export KEHU_NOW="${KEHU_NOW:-2025-12-01 09:00:00}"
cargo build --release --quiet
# The build goes wherever cargo puts it (CARGO_TARGET_DIR, else ./target).
K=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/kehu
command -v sqlite3 >/dev/null || { echo "sqlite3 shell needed (apt-get install sqlite3)"; exit 1; }

now_ns() { date +%s%N; }
# run CMD... → prints "seconds max_rss_mb"
timed() {
  local t0 t1 rss
  t0=$(now_ns)
  /usr/bin/time -f '%M' -o "$WORK/.rss" "$@" >/dev/null 2>"$WORK/.err" || { cat "$WORK/.err"; return 1; }
  t1=$(now_ns)
  rss=$(tail -1 "$WORK/.rss")
  awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN { printf "%.2f %.0f\n", (b-a)/1e9, r/1024 }'
}

if ! ls "$WORK"/ExportOrderList*.csv >/dev/null 2>&1; then
  echo "generating $ORDERS orders into $WORK ..." >&2
  "$K" demo --export-csv "$WORK" --orders "$ORDERS" --seed 42 >&2
fi
ORD=$(ls "$WORK"/ExportOrderList*.csv | head -1)
ITM=$(ls "$WORK"/ExportOrderDetailList*.csv | head -1)
iconv -f gb18030 -t utf-8 "$ORD" > "$WORK/orders-utf8.csv"
iconv -f gb18030 -t utf-8 "$ITM" > "$WORK/items-utf8.csv"

rm -f "$WORK"/base.db* "$WORK"/kehu.db*
cat > "$WORK/base.sql" <<SQL
PRAGMA journal_mode=WAL;
.mode csv
.import $WORK/orders-utf8.csv raw_orders
.import $WORK/items-utf8.csv raw_items
SQL
read -r base_s base_mb < <(timed sqlite3 "$WORK/base.db" ".read $WORK/base.sql")
read -r fresh_s fresh_mb < <(timed "$K" --db "$WORK/kehu.db" import "$ORD" "$ITM")
read -r again_s again_mb < <(timed "$K" --db "$WORK/kehu.db" import "$ORD" "$ITM")

# Lookup as a whole process: median of 7 runs per query kind.
nick=$("$K" --db "$WORK/kehu.db" stats --json >/dev/null; sqlite3 "$WORK/kehu.db" "SELECT substr(nick, 1, 6) FROM customers WHERE id = (SELECT max(id)/2 FROM customers)")
name=$(sqlite3 "$WORK/kehu.db" "SELECT name FROM receivers WHERE length(name) = 2 LIMIT 1 OFFSET 5000")
tail4=$(sqlite3 "$WORK/kehu.db" "SELECT substr(phone, -4) FROM receivers LIMIT 1 OFFSET 7000")
order=$(sqlite3 "$WORK/kehu.db" "SELECT order_no FROM orders WHERE id = (SELECT max(id)/3 FROM orders)")
lookup_ms() {
  local runs=() t0 t1
  for _ in 1 2 3 4 5 6 7; do
    t0=$(now_ns); "$K" --db "$WORK/kehu.db" lookup "$1" --json >/dev/null; t1=$(now_ns)
    runs+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${runs[@]}" | sort -n | awk 'NR==4 { printf "%.1f", $1/1000 }'
}

orders_n=$(sqlite3 "$WORK/kehu.db" "SELECT count(*) FROM orders")
lines_n=$(sqlite3 "$WORK/kehu.db" "SELECT count(*) FROM order_lines")
cust_n=$(sqlite3 "$WORK/kehu.db" "SELECT count(*) FROM customers")
echo "| measure | value | target |"
echo "|---|---|---|"
echo "| export | $orders_n orders, $lines_n lines, $cust_n customers; $(du -m "$ORD" | cut -f1) MB + $(du -m "$ITM" | cut -f1) MB GBK | |"
echo "| sqlite3 .import baseline (UTF-8, two raw tables) | ${base_s} s | |"
echo "| kehu import, fresh | ${fresh_s} s = $(awk -v a="$fresh_s" -v b="$base_s" 'BEGIN{printf "%.2f", a/b}')× baseline, peak ${fresh_mb} MB | ≤ 0.6×, ≤ 200 MB |"
echo "| kehu import, again (all unchanged) | ${again_s} s = $(awk -v a="$again_s" -v b="$base_s" 'BEGIN{printf "%.2f", a/b}')× baseline, peak ${again_mb} MB | ≤ 0.3× |"
echo "| lookup nickname fragment \`$nick\` | $(lookup_ms "$nick") ms | ≤ 30 ms |"
echo "| lookup 2-character name \`$name\` | $(lookup_ms "$name") ms | ≤ 30 ms |"
echo "| lookup phone tail \`$tail4\` | $(lookup_ms "$tail4") ms | ≤ 30 ms |"
echo "| lookup order number | $(lookup_ms "$order") ms | ≤ 30 ms |"
