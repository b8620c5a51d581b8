#!/usr/bin/env bash
# End-to-end check of the app in a real terminal (tmux): build the release
# binary, import the two sample exports into a fresh database, drive the app
# with keys and read the screen back. Exits non-zero, printing the screen,
# on the first failure.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/kehu"
[[ "$BIN" = /* ]] || BIN="$PWD/$BIN"

WORK="$(mktemp -d)"
SESSION="kehu-e2e-$$"
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="$WORK/kehu.db"
"$BIN" --db "$DB" import tests/data/ExportOrderList202405201030.csv \
    --items tests/data/ExportOrderDetailList202405201030.csv >/dev/null

screen() { tmux capture-pane -p -t "$SESSION"; }
fail() {
    echo "FAIL: $1" >&2
    echo "----- screen -----" >&2
    screen >&2 || true
    exit 1
}
# Wait until the screen shows $1 (a fixed string), up to ~5 s.
expect() {
    for _ in $(seq 50); do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    fail "expected to see: $1"
}
expect_not() {
    for _ in $(seq 50); do
        if ! screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    fail "expected not to see: $1"
}

tmux new-session -d -s "$SESSION" -x 100 -y 30 \
    "env -u LC_ALL LANG=C.UTF-8 PS1='e2e\$ ' bash --norc --noprofile"
tmux send-keys -t "$SESSION" "'$BIN' --db '$DB'; echo \"kehu exited \$?\"" Enter

expect "kehu.db"
expect "客户 116"
tmux send-keys -t "$SESSION" "/"
expect "快速查找"
tmux send-keys -t "$SESSION" -l "lucky28941"
expect "风吹lucky28941_124"
expect "44 单"
tmux send-keys -t "$SESSION" Enter
expect "客户卡片 · 风吹lucky28941_124"
expect "订单 44"
tmux send-keys -t "$SESSION" Escape
expect_not "客户卡片 ·"
tmux send-keys -t "$SESSION" "2"
expect "下单时间"
tmux send-keys -t "$SESSION" "q"
expect "kehu exited 0"
expect "e2e\$"
echo "tui-e2e: ok"
