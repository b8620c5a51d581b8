#!/usr/bin/env bash
# Times `kehu analyse` as a whole process (start, open, the three scans, the
# JSON or the tables printed) on a database imported by benches/import-1m.sh.
#
#   benches/know-1m.sh [DB] [RUNS]      (defaults: bench-data/kehu.db, 7)
#
# KEHU_BIN=path times another build instead of building this one. The clock
# is pinned to the generator's "now" (the export ends near it). Prints a
# Markdown table: median and max of RUNS runs per form; target ≤ 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-bench-data/kehu.db}
RUNS=${2:-7}
export KEHU_NOW="${KEHU_NOW:-2025-12-01 09:00:00}"
source benches/lib.sh
kehu_bin
# Open once first: a database of an older schema is migrated here, not timed.
"$K" --db "$DB" stats >/dev/null
forms=(
  "analyse --json|analyse --json"
  "analyse (tables)|analyse"
  "analyse --from 2025-01 --to 2025-06 --json|analyse --from 2025-01 --to 2025-06 --json"
)
echo "| command | median | max | target |"
echo "|---|---|---|---|"
for f in "${forms[@]}"; do
  name=${f%%|*}
  read -r -a args <<<"${f#*|}"
  runs=()
  for _ in $(seq "$RUNS"); do
    t0=$(now_us)
    "$K" --db "$DB" "${args[@]}" >/dev/null
    t1=$(now_us)
    runs+=($((t1 - t0)))
  done
  printf '%s\n' "${runs[@]}" | sort -n | awk -v n="$name" '
    { a[NR] = $1 }
    END { printf "| `kehu %s` | %.2f s | %.2f s | ≤ 2 s |\n", n, a[int((NR + 1) / 2)] / 1e6, a[NR] / 1e6 }'
done
