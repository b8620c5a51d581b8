#!/usr/bin/env bash
# Times `kehu lookup` per query kind as a whole process (start, open, query,
# print), on a database imported by benches/import-1m.sh.
#
#   benches/lookup-1m.sh [DB] [RUNS]      (defaults: bench-data/kehu.db, 21)
#
# KEHU_BIN=path times another build (e.g. an older one, on a copy of the
# database at its schema) instead of building this one.
# Queries are taken from the data (the same rows on the same seed). Prints a
# Markdown table: median and max of RUNS runs per kind, and how many match.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-bench-data/kehu.db}
RUNS=${2:-21}
if [[ -n "${KEHU_BIN:-}" ]]; then
  K=$KEHU_BIN
else
  cargo build --release --quiet
  K=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/kehu
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 shell needed (apt-get install sqlite3)"; exit 1; }
# Open once first: a database of an older schema is migrated here, not timed.
"$K" --db "$DB" stats >/dev/null

q() { sqlite3 "$DB" "$1"; }
mid="(SELECT max(id)/2 FROM customers)"
kinds=(
  "order number|$(q "SELECT order_no FROM orders WHERE id = (SELECT max(id)/3 FROM orders)")"
  "full phone|$(q "SELECT phone FROM receivers ORDER BY id LIMIT 1 OFFSET 7000")"
  "exact name, 3 characters|$(q "SELECT name FROM receivers WHERE length(name) = 3 ORDER BY id LIMIT 1 OFFSET 9000")"
  "2-character name|$(q "SELECT name FROM receivers WHERE length(name) = 2 ORDER BY id LIMIT 1 OFFSET 5000")"
  "phone tail|$(q "SELECT substr(phone, -4) FROM receivers ORDER BY id LIMIT 1 OFFSET 7000")"
  "start of a nickname (6 characters)|$(q "SELECT substr(nick, 1, 6) FROM customers WHERE id = $mid")"
  "middle of a nickname (4 characters)|$(q "SELECT substr(nick, 3, 4) FROM customers WHERE id = $mid")"
  "nickname word (lucky)|lucky"
  "2 common characters|$(q "SELECT substr(nick, 1, 2) FROM customers WHERE id = $mid")"
  "1 character of a name|$(q "SELECT substr(name, 2, 1) FROM receivers ORDER BY id LIMIT 1 OFFSET 5000")"
  # A buyer whose nickname has no Chinese: its longest key is its name's full pinyin.
  "pinyin, full name (3 characters)|$(q "SELECT key FROM customer_pinyin WHERE customer_id = (SELECT r.customer_id FROM receivers r JOIN customers c ON c.id = r.customer_id WHERE length(r.name) = 3 AND c.nick NOT GLOB '*[^ -~]*' ORDER BY r.id LIMIT 1 OFFSET 900) ORDER BY length(key) DESC, key LIMIT 1")"
  "pinyin, a common surname (zhang)|zhang"
  "pinyin, start of a full name (zhangs)|zhangs"
  "pinyin initials, 2 letters (zs)|zs"
  "pinyin, 2 letters: the busiest start (zh)|zh"
  "pinyin initials, 3 letters|$(q "SELECT key FROM customer_pinyin WHERE customer_id = (SELECT customer_id FROM receivers WHERE length(name) = 3 ORDER BY id LIMIT 1 OFFSET 9000) AND length(key) = 3 ORDER BY key LIMIT 1")"
  "letters matching nicknames and pinyin (lu)|lu"
  "no match|没有这个人"
)
# Bash's own clock (no `date` process between the runs: that alone costs ~1 ms).
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }
echo "| query kind | query | matches | median | max |"
echo "|---|---|---|---|---|"
for k in "${kinds[@]}"; do
  name=${k%%|*}
  query=${k#*|}
  runs=()
  for _ in $(seq "$RUNS"); do
    t0=$(now_us)
    "$K" --db "$DB" lookup "$query" --json >/dev/null
    t1=$(now_us)
    runs+=($((t1 - t0)))
  done
  total=$("$K" --db "$DB" lookup "$query" --json --limit 2000 | grep -c '"platform":' || true)
  ((total > 1000)) && total="1000+"
  printf '%s\n' "${runs[@]}" | sort -n | awk -v n="$name" -v q="$query" -v t="$total" '
    { a[NR] = $1 }
    END { printf "| %s | `%s` | %s | %.1f ms | %.1f ms |\n", n, q, t, a[int((NR + 1) / 2)] / 1000, a[NR] / 1000 }'
done
