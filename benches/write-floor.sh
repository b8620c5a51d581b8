#!/usr/bin/env bash
# The least SQLite itself takes to write what a kehu import writes: every table of an
# imported database copied into an empty database of the same schema as raw records
# (`INSERT INTO t SELECT * FROM src.t`, SQLite's own transfer, no statement per row, no
# parsing, nothing computed), then every secondary index created from the copied rows,
# with the settings of a first import (no journal on disk, no sync, exclusive lock, the
# page cache of a connection). The lookup index's tables are left out, so the figure is
# below the true floor. Against the sqlite3 shell's `.import` of the same export (the
# import baseline, timed here too), it says how much of the 0.6× budget is gone before
# kehu reads a byte.
#
#   benches/write-floor.sh [WORKDIR] [ROUNDS]     (defaults: ./bench-data, 3)
#
# WORKDIR is benches/import-1m.sh's: its kehu.db and its UTF-8 copies of the export.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
WORK=$(cd "${1:-bench-data}" && pwd)
ROUNDS=${2:-3}
SRC=$WORK/kehu.db
[[ -f $SRC && -f $WORK/base.sql ]] || { echo "run benches/import-1m.sh first"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 shell needed (apt-get install sqlite3)"; exit 1; }

# The schema without the lookup index (tables first, then the indexes).
skip="name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%'"
tables=$(sqlite3 "$SRC" "SELECT name FROM sqlite_master WHERE type = 'table' AND $skip ORDER BY rowid")
settings="PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -32768;"
{
  echo "$settings"
  sqlite3 "$SRC" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND $skip ORDER BY rowid"
  echo "ATTACH '$SRC' AS src;"
  echo "BEGIN;"
  for t in $tables; do echo "INSERT INTO main.\"$t\" SELECT * FROM src.\"$t\";"; done
  echo "COMMIT;"
} > "$WORK/floor-tables.sql"
{
  echo "$settings"
  echo "BEGIN;"
  sqlite3 "$SRC" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT LIKE 'customer_search%' ORDER BY rowid"
  echo "COMMIT;"
} > "$WORK/floor-indexes.sql"

timed_s() {
  sync; sleep 1
  local t0 t1
  t0=$(now_us); "$@" >/dev/null 2>&1; t1=$(now_us)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'
}
echo "| round | sqlite3 .import (baseline) | tables copied | indexes created | both | ratio |"
echo "|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  rm -f "$WORK"/base.db* "$WORK"/floor.db*
  base=$(timed_s sqlite3 "$WORK/base.db" ".read $WORK/base.sql")
  rm -f "$WORK"/base.db*
  tables_s=$(timed_s sqlite3 "$WORK/floor.db" ".read $WORK/floor-tables.sql")
  indexes_s=$(timed_s sqlite3 "$WORK/floor.db" ".read $WORK/floor-indexes.sql")
  floor=$(awk -v a="$tables_s" -v b="$indexes_s" 'BEGIN { printf "%.2f", a + b }')
  echo "| $round | $base s | $tables_s s | $indexes_s s | $floor s | $(ratio "$floor" "$base")× |"
done
echo
echo "floor database: $(du -m "$WORK/floor.db" | cut -f1) MB, kehu's: $(du -m "$SRC" | cut -f1) MB"
rm -f "$WORK"/floor.db*
