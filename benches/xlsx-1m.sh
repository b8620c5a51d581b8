#!/usr/bin/env bash
# A generated Taobao order report imported as CSV and as the xlsx of the same
# rows: time and peak memory (max RSS) of each, as a whole process.
#
#   benches/xlsx-1m.sh [ORDERS] [WORKDIR]      (defaults: 1000000, ./bench-data-xlsx)
#
# The CSV is `kehu demo --export-csv` (GBK, as the back office writes it); the
# workbook is made from it by examples/csv_to_xlsx.rs in constant-memory mode
# (times as Excel dates, amounts as numbers, ids as text, strings inline).
# Each import goes into a fresh database. Targets: xlsx ≤ 2× the CSV time,
# ≤ 300 MB. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
ORDERS=${1:-1000000}
WORK=${2:-bench-data-xlsx}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
export KEHU_NOW="${KEHU_NOW:-2025-12-01 09:00:00}"
kehu_bin
cargo build --release --quiet --example csv_to_xlsx
X=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/examples/csv_to_xlsx

# run CMD... → prints "seconds max_rss_mb cpu_seconds" (CPU: user + system, which a
# busy machine inflates less than the wall clock)
timed() {
  local t0 t1 rss cpu
  t0=$(now_us)
  /usr/bin/time -f '%M %U %S' -o "$WORK/.rss" "$@" >/dev/null 2>"$WORK/.err" || { cat "$WORK/.err" >&2; return 1; }
  t1=$(now_us)
  read -r rss u s < <(tail -1 "$WORK/.rss")
  awk -v a="$t0" -v b="$t1" -v r="$rss" -v u="$u" -v s="$s" 'BEGIN { printf "%.2f %.0f %.1f\n", (b-a)/1e6, r/1024, u+s }'
}

if ! ls "$WORK"/ExportOrderList*.csv >/dev/null 2>&1; then
  echo "generating $ORDERS orders into $WORK ..." >&2
  "$K" demo --export-csv "$WORK" --orders "$ORDERS" --seed 42 >&2
fi
ORD=$(ls "$WORK"/ExportOrderList*.csv | head -1)
XLSX="$WORK/orders.xlsx"
if [[ ! -f "$XLSX" ]]; then
  echo "converting to $XLSX ..." >&2
  read -r conv_s conv_mb _ < <(timed "$X" "$ORD" "$XLSX" --constant-memory)
else
  conv_s="-"; conv_mb="-"
fi

rm -f "$WORK"/csv.db* "$WORK"/xlsx.db*
read -r csv_s csv_mb csv_cpu < <(timed "$K" --db "$WORK/csv.db" import "$ORD")
read -r xlsx_s xlsx_mb xlsx_cpu < <(timed "$K" --db "$WORK/xlsx.db" import "$XLSX")
stats_csv=$("$K" --db "$WORK/csv.db" stats --json)
stats_xlsx=$("$K" --db "$WORK/xlsx.db" stats --json)
same=$([[ "$stats_csv" == "$stats_xlsx" ]] && echo "equal" || echo "DIFFERENT")
rows=$(grep -o '"orders": [0-9]*' <<<"$stats_csv" | head -1 | grep -o '[0-9]*$')

echo "| measure | value | target |"
echo "|---|---|---|"
echo "| order report | $rows orders; CSV $(du -m "$ORD" | cut -f1) MB GBK, xlsx $(du -m "$XLSX" | cut -f1) MB | |"
echo "| csv_to_xlsx (constant memory) | ${conv_s} s, peak ${conv_mb} MB | |"
echo "| kehu import CSV, fresh | ${csv_s} s (CPU ${csv_cpu} s), peak ${csv_mb} MB | |"
echo "| kehu import xlsx, fresh | ${xlsx_s} s = $(awk -v a="$xlsx_s" -v b="$csv_s" 'BEGIN{printf "%.2f", a/b}')× CSV (CPU ${xlsx_cpu} s = $(awk -v a="$xlsx_cpu" -v b="$csv_cpu" 'BEGIN{printf "%.2f", a/b}')×), peak ${xlsx_mb} MB | ≤ 2×, ≤ 300 MB |"
echo "| \`kehu stats --json\` of the two databases | $same | equal |"
