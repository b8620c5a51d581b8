#!/usr/bin/env bash
# Kill a first import at random moments (kill -9) and check what it leaves: into
# an empty database the import is all its files or none (db/first_import.rs), so
# the database holds the orders and item lines of no file or of both — never the
# order report alone, never part of one — and `kehu check` passes after each
# kill. Prints one line per trial and a total.
#
#   benches/kill-import.sh [TRIALS] [ORDERS] [SEED]      (defaults: 20, 200000, 42)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS="${1:-20}"
ORDERS="${2:-200000}"
SEED="${3:-42}"
cargo build --release --quiet
BIN="$PWD/target/release/kehu"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export KEHU_NOW="2025-12-01 09:00:00" KEHU_CONFIG="$WORK/config.toml" LC_ALL=C.UTF-8
"$BIN" demo --export-csv "$WORK/export" --orders "$ORDERS" --seed "$SEED" >/dev/null 2>&1
FILES=("$WORK"/export/*)
count() { sqlite3 "$1" "SELECT (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM order_lines)"; }

# The whole import, timed, gives the full counts and the window to kill in.
start=$(date +%s%N)
"$BIN" --db "$WORK/full.db" import "${FILES[@]}" >/dev/null 2>&1
ms=$(( ($(date +%s%N) - start) / 1000000 ))
read -r FULL_ORDERS FULL_LINES < <(count "$WORK/full.db")
echo "full import: $FULL_ORDERS orders, $FULL_LINES lines in $ms ms"

passed=0
failed=0
for t in $(seq "$TRIALS"); do
    db="$WORK/t$t.db"
    at=$(( (RANDOM * 32768 + RANDOM) % (ms + 1) ))
    "$BIN" --db "$db" import "${FILES[@]}" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -f "$db" ]; then
        read -r o l < <(count "$db")
        check=$("$BIN" --db "$db" check >/dev/null 2>&1 && echo ok || echo FAILED)
    else
        o=0 l=0 check=ok
    fi
    state=between
    if [ "$o $l" = "0 0" ]; then
        state=before
    elif [ "$o $l" = "$FULL_ORDERS 0" ]; then
        state="orders only"
    elif [ "$o $l" = "$FULL_ORDERS $FULL_LINES" ]; then
        state=after
    fi
    if [ "$state" != between ] && [ "$state" != "orders only" ] && [ "$check" = ok ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    echo "trial $t: killed at $at ms: $o orders, $l lines ($state), check $check"
done
echo "kill-import: $TRIALS trials, $passed passed, $failed failed ($ORDERS orders, seed $SEED)"
[ "$failed" -eq 0 ]
