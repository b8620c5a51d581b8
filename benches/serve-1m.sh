#!/usr/bin/env bash
# Times the serving commands as whole processes on a database imported by
# benches/import-1m.sh (1M orders): `followup plan` (first run, then a
# second that finds nothing new), `today`, `satisfaction --by month`, and
# `campaign create` over every customer not blacklisted (100k+ recipients).
#
#   benches/serve-1m.sh [DB] [RUNS]      (defaults: bench-data/kehu.db, 11)
#
# Works on a copy of DB (the original is left as imported). Import DB with a
# config that plans nothing (`[followups]` `rules = []`), so the first
# `followup plan` here does the planning an import would. KEHU_BIN=path
# times another build. Prints a Markdown table: median and max of RUNS runs.
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
# Open once first: a database of an older schema is migrated here, not timed.
# (This also writes the default config, whose rules the plan below applies.)
"$K" --db "$D" stats >/dev/null
planned=$(sqlite3 "$D" "SELECT count(*) FROM followups")
((planned == 0)) || echo "note: DB already holds $planned follow-ups; the first plan finds fewer" >&2
# Feedback to summarise: a thousand scores over the last year.
sqlite3 "$D" "INSERT INTO feedback (customer_id, score, source, text, at)
  SELECT id, 1 + (id * 7) % 5, 'survey', '', datetime('now', '-' || (id % 365) || ' days')
  FROM customers ORDER BY id LIMIT 1000"

# once NAME CMD...: one timed run (a run that changes the database).
once() {
  local name=$1; shift
  local t0 t1
  t0=$(now_us); "$@" >/dev/null; t1=$(now_us)
  awk -v n="$name" -v t="$((t1 - t0))" 'BEGIN { printf "| %s | 1 | %.0f ms | %.0f ms |\n", n, t / 1000, t / 1000 }'
}
echo "| command | runs | median | max |"
echo "|---|---|---|---|"
once "followup plan (first)" "$K" --db "$D" followup plan --json
many "followup plan (again, nothing new)" "$RUNS" "$K" --db "$D" followup plan --json
many "today" "$RUNS" "$K" --db "$D" today --json
many "satisfaction --by month" "$RUNS" "$K" --db "$D" satisfaction --by month --json
# campaign NAME ARGS...: one timed create; the row names how many it picked.
campaign() {
  local name=$1; shift
  local t0 t1 n
  t0=$(now_us)
  "$K" --db "$D" campaign create "$name" "$@" --control 10 --seed 1 --out "$WORK/$name.csv" --json >"$WORK/$name.json"
  t1=$(now_us)
  n=$(sqlite3 "$D" "SELECT count(*) FROM campaign_members m JOIN campaigns k ON k.id = m.campaign_id WHERE k.name = '$name'")
  awk -v n="campaign create, $n picked ($*)" -v t="$((t1 - t0))" 'BEGIN { printf "| %s | 1 | %.0f ms | %.0f ms |\n", n, t / 1000, t / 1000 }'
}
campaign dormant --segment dormant
campaign everyone
