#!/usr/bin/env bash
# Times a day's import into a big shop, and the part of it that keeps the
# suggestions' counts up to date (docs/benchmarks.md, "The suggestions'
# counts after a daily import").
#
#   benches/suggest-daily-1m.sh DB DIR [RUNS]    (RUNS default 3)
#
# DB: a shop imported by benches/import-1m.sh; DIR: the day's export, e.g.
# `KEHU_NOW="2025-12-02 09:00:00" kehu demo --export-csv DIR --orders 300 --seed 5`.
# Each run imports DIR into a fresh copy of DB (the original is left as it
# is) with KEHU_NOW="2025-12-02 09:00:00" and prints the whole import's wall
# time and, from KEHU_IMPORT_TRACE, each file's time from the end-of-file
# pass to the counts updated (or marked for a rebuild). KEHU_BIN=path times
# another build.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$1
DIR=$2
RUNS=${3:-3}
source benches/lib.sh
kehu_bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export KEHU_CONFIG="$WORK/config.toml"
export KEHU_NOW="2025-12-02 09:00:00"
cp "$DB" "$WORK/base.db"
# Open once first: a database of an older schema is migrated here (and the
# counts built), not timed.
"$K" --db "$WORK/base.db" stats >/dev/null
for r in $(seq "$RUNS"); do
  cp "$WORK/base.db" "$WORK/run.db"
  s=$(date +%s%N)
  KEHU_IMPORT_TRACE=1 "$K" --db "$WORK/run.db" import "$DIR" >/dev/null 2>"$WORK/trace"
  e=$(date +%s%N)
  counts=$(awk '$2 == "finish" { f = $1 } $2 == "suggest" { printf "%s %.0f ms; ", $4, ($1 - f) * 1000 }' "$WORK/trace")
  echo "run $r: import $(( (e - s) / 1000000 )) ms; counts: ${counts:-(no trace)}"
done
