#!/usr/bin/env bash
# End-to-end check of the app in a real terminal (tmux): build the release
# binary, build the demo shop into a fresh database, drive the app with keys
# as a seller would (Today: open a due follow-up's card, mark it done with a
# satisfaction score; the campaigns; the shop analysis; look a buyer up, open the card, switch tabs, import an
# export folder with `i` (undo it from the summary, import it again), log a complaint, open it from the card, blacklist
# with a reason and take it back; merge a buyer found in both shops and undo
# it) and read the screen back. Exits
# non-zero, printing the screen, on the first failure.
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

export LC_ALL=C.UTF-8
# Hermetic: the clock pinned, a home of its own (no user config or data read).
export KEHU_NOW="2025-12-01 09:00:00"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share"
mkdir -p "$HOME"
DB="$WORK/kehu.db"
KEHU_CONFIG="$WORK/config.toml"
export KEHU_CONFIG
"$BIN" demo --db "$DB" --no-tui >/dev/null 2>&1
# The demo's busiest buyer: a fragment of the nickname, and the order count
# the lookup must show for them.
read -r NICK ORDERS < <(sqlite3 -separator ' ' "$DB" \
    "SELECT c.nick, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id
     GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1")
FRAG="${NICK:0:6}"
# A start of that nickname many buyers share (more than a page of 20): the
# buyer, ranked by orders among the nicknames that start so, must still be on
# the first screen.
WIDE=""
WIDE_N=0
for len in 6 5 4 3 2 1; do
    f="${NICK:0:len}"
    n=$("$BIN" --db "$DB" lookup "$f" --json --limit 1000 | grep -o '"matched":' | wc -l || true)
    if ((n > 20)); then
        WIDE="$f"
        WIDE_N=$n
        break
    fi
done
OPEN=$(sqlite3 "$DB" "SELECT count(*) FROM complaints WHERE status IN ('open', 'processing')")
ORDERS0=$(sqlite3 "$DB" "SELECT count(*) FROM orders")
# A second export, as a seller would download it, for the in-app import.
mkdir -p "$WORK/downloads"
"$BIN" demo --export-csv "$WORK/downloads" --orders 200 --seed 99 >/dev/null 2>&1

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
    "env -u LC_ALL LANG=C.UTF-8 KEHU_CONFIG='$KEHU_CONFIG' KEHU_NOW='$KEHU_NOW' HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' PS1='e2e\$ ' bash --norc --noprofile"
tmux send-keys -t "$SESSION" "'$BIN' --db '$DB'; echo \"kehu exited \$?\"" Enter

expect "kehu.db"
expect "客户 1"
expect "未结投诉 $OPEN"

# The app opens on Today: the demo's follow-ups due. Enter opens the first
# one's card on that follow-up; d marks it done with a satisfaction of 4; the
# card shows the score and Today no longer lists it.
TODAY_JSON=$("$BIN" --db "$DB" today --json)
DUE_N=$(jq '.followups | length' <<<"$TODAY_JSON")
FU_ID=$(jq -r '.followups[0].id' <<<"$TODAY_JSON")
FU_BUYER=$(jq -r '.followups[0].buyer' <<<"$TODAY_JSON")
((DUE_N > 0)) || fail "the demo has no follow-up due today"
echo "tui-e2e: Today lists $DUE_N follow-ups; the first is #$FU_ID for $FU_BUYER" >&2
expect "0 今天"
expect "今天该回访 ($DUE_N)"
expect "▶ ${FU_BUYER:0:4}"
tmux send-keys -t "$SESSION" Enter
expect "客户卡片 · $FU_BUYER"
expect "▶ 回访 ("
tmux send-keys -t "$SESSION" "d"
expect "回访完成 ·"
tmux send-keys -t "$SESSION" -l "电话回访 买家满意 q"
tmux send-keys -t "$SESSION" Tab
tmux send-keys -t "$SESSION" Right Right Right Right
expect "‹ 4 "
tmux send-keys -t "$SESSION" Enter
expect "回访已完成"
expect "最近满意度 4/5"
expect "电话回访 买家满意 q"
[[ "$(sqlite3 "$DB" "SELECT status || ' ' || satisfaction FROM followups WHERE id = $FU_ID")" == "done 4" ]] \
    || fail "follow-up #$FU_ID is not done with a 4 in the database"
tmux send-keys -t "$SESSION" Escape
expect_not "客户卡片 ·"
expect "今天该回访 ($((DUE_N - 1)))"
# c on Today: the campaigns with their reports.
tmux send-keys -t "$SESSION" "c"
expect "营销活动"
expect "回购率"
tmux send-keys -t "$SESSION" Escape
expect_not "对照组回购率"
# a on Today: the shop analysis, its charts and the figures `kehu analyse`
# prints (the repurchase rate, the best-selling item's title).
ANALYSE_JSON=$("$BIN" --db "$DB" analyse --json)
RATE=$(LC_ALL=C printf '%.2f' "$(jq '.repurchase_rate * 100' <<<"$ANALYSE_JSON")")
TOP_ITEM=$(jq -r '.top_items[0].title' <<<"$ANALYSE_JSON")
tmux send-keys -t "$SESSION" "a"
expect "店铺分析"
expect "按月销售（元）"
expect "新客▇ 回头客▇"
expect "客户分群"
expect "重要价值"
expect "热销商品（金额，元）"
expect "${TOP_ITEM:0:4}"
expect "复购率 ${RATE}%"
echo "tui-e2e: the shop analysis shows repurchase ${RATE}% and ${TOP_ITEM} on top" >&2
tmux send-keys -t "$SESSION" Escape
expect_not "按月销售（元）"
# The busy buyer among many: counted, ranked within the first screen (a result
# line, which says what matched with ←, not the list behind the popup).
[[ -n "$WIDE" ]] || fail "no start of $NICK finds more than 20 buyers"
echo "tui-e2e: $NICK ($ORDERS orders) looked up by \"$WIDE\", which finds $WIDE_N buyers" >&2
tmux send-keys -t "$SESSION" "/"
expect "快速查找"
tmux send-keys -t "$SESSION" -l "$WIDE"
expect "共 $WIDE_N 位"
expect_result() {
    for _ in $(seq 50); do
        if screen | grep -F -- "$1" | grep -qF "←"; then return 0; fi
        sleep 0.1
    done
    fail "expected a result line with: $1"
}
expect_result "$NICK"
expect "$ORDERS 单"
tmux send-keys -t "$SESSION" Escape
expect_not "快速查找"
# Look the buyer up by part of the nickname: their order count is on screen.
tmux send-keys -t "$SESSION" "/"
expect "快速查找"
tmux send-keys -t "$SESSION" -l "$FRAG"
expect "$NICK"
expect "$ORDERS 单"
tmux send-keys -t "$SESSION" Enter
expect "客户卡片 · $NICK"
expect "订单 $ORDERS"
# 2 shows the orders, from the card too.
tmux send-keys -t "$SESSION" "2"
expect_not "客户卡片 ·"
expect "下单时间"

# Import a downloads folder inside the app: completion, then the summary.
tmux send-keys -t "$SESSION" "i"
expect "导入导出文件"
tmux send-keys -t "$SESSION" C-u
tmux send-keys -t "$SESSION" -l "$WORK/downlo"
tmux send-keys -t "$SESSION" Tab
expect "$WORK/downloads/"
tmux send-keys -t "$SESSION" Enter
expect "导入完成"
expect "宝贝报表 · ExportOrderDetailList"
expect "没有被拒的行"
# u in the summary undoes the whole import after a question: the header's
# order count is back to the shop's; then the same folder goes in again.
AFTER=$(sqlite3 "$DB" "SELECT count(*) FROM orders")
[ "$AFTER" -gt "$ORDERS0" ] || fail "the import added no orders ($ORDERS0 → $AFTER)"
expect "订单 $AFTER"
tmux send-keys -t "$SESSION" "u"
expect "撤销这次导入（批次"
tmux send-keys -t "$SESSION" "y"
expect "已撤销导入（批次"
expect "订单 $ORDERS0"
expect "已撤销：数据库回到这次导入之前"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM orders")" = "$ORDERS0" ] || fail "undo left orders behind"
tmux send-keys -t "$SESSION" "i"
tmux send-keys -t "$SESSION" C-u
tmux send-keys -t "$SESSION" -l "$WORK/downloads/"
tmux send-keys -t "$SESSION" Enter
expect "导入完成"
expect "订单 $AFTER"
tmux send-keys -t "$SESSION" Escape
expect_not "导入导出文件"

# Log a complaint from the buyer's card: the header counts it.
tmux send-keys -t "$SESSION" "/"
tmux send-keys -t "$SESSION" -l "$FRAG"
expect "$ORDERS 单"
tmux send-keys -t "$SESSION" Enter
expect "客户卡片 · $NICK"
tmux send-keys -t "$SESSION" "c"
expect "登记投诉 ·"
tmux send-keys -t "$SESSION" -l "杯子裂了 q"
tmux send-keys -t "$SESSION" Enter
expect "投诉已登记"
expect "未结投诉 $((OPEN + 1))"
# The card lists it; → then Enter opens it, and o comes back to the card.
expect "杯子裂了 q"
tmux send-keys -t "$SESSION" Right
expect "▶ 投诉"
tmux send-keys -t "$SESSION" Enter
expect "投诉详情 · #"
tmux send-keys -t "$SESSION" "o"
expect "客户卡片 · $NICK"
# b asks why; the card shows the reason; taking off asks first.
tmux send-keys -t "$SESSION" "b"
expect "拉黑原因"
tmux send-keys -t "$SESSION" -l "恶意差评 q"
tmux send-keys -t "$SESSION" Enter
expect "原因: 恶意差评 q"
tmux send-keys -t "$SESSION" "b"
expect "移出黑名单？"
tmux send-keys -t "$SESSION" "y"
expect "已移出黑名单"
tmux send-keys -t "$SESSION" "h"
expect "黑名单记录 (2)"
tmux send-keys -t "$SESSION" Escape
tmux send-keys -t "$SESSION" "3"
expect "杯子裂了 q"

# A big import runs in another terminal: a write from the command line is
# refused at once (exit 3, saying so); a note saved in the app waits (the app
# keeps responding) and is saved when the import finishes.
mkdir -p "$WORK/big"
"$BIN" demo --export-csv "$WORK/big" --orders 200000 --seed 97 >/dev/null 2>&1
"$BIN" --db "$DB" import "$WORK/big" >"$WORK/big.log" 2>&1 &
BIG=$!
for _ in $(seq 100); do
    [[ -s "$DB-import" ]] && ! flock -n "$DB-import" true && break
    sleep 0.1
done
set +e
REFUSED=$("$BIN" --db "$DB" note "#1" "命令行" 2>&1)
CODE=$?
set -e
[[ $CODE -eq 3 && "$REFUSED" == *"正在导入"* ]] || fail "a write during an import: exit $CODE: $REFUSED"
tmux send-keys -t "$SESSION" "/"
expect "快速查找"
tmux send-keys -t "$SESSION" -l "$FRAG"
expect "$ORDERS 单"
tmux send-keys -t "$SESSION" Enter
expect "客户卡片 · $NICK"
tmux send-keys -t "$SESSION" "n"
tmux send-keys -t "$SESSION" -l "导入时写的备注 q"
tmux send-keys -t "$SESSION" Enter
expect "导入完成后保存：1 项等待中"
kill -0 "$BIG" 2>/dev/null || fail "the import ended before the note was saved; a bigger export is needed"
# Keys go where the screen shows: the card (Right moves its sections).
tmux send-keys -t "$SESSION" Right
expect "▶ 投诉"
wait "$BIG" || fail "the big import failed: $(cat "$WORK/big.log")"
expect "等待的 1 项已保存"
expect "导入时写的备注 q"
[[ "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE body = '导入时写的备注 q'")" == 1 ]] \
    || fail "the note is not in the database"
tmux send-keys -t "$SESSION" Escape
expect_not "客户卡片 ·"

# One person in both shops: the Taobao buyer's card says who may be the same
# person (the Douyin buyer with the same phone and address); m merges after a
# question, the card then lists both identities; U takes the merge back.
PAIR_A=$("$BIN" --db "$DB" merge suggest --json | jq -r '[.[] | select(.a | startswith("taobao:"))][0].a')
[[ -n "$PAIR_A" && "$PAIR_A" != null ]] || fail "the demo suggests no Taobao buyer to merge"
SURVIVOR="${PAIR_A#taobao:}"
tmux send-keys -t "$SESSION" "/"
expect "快速查找"
tmux send-keys -t "$SESSION" -l "$SURVIVOR"
tmux send-keys -t "$SESSION" Enter
expect "客户卡片 · $SURVIVOR"
expect "可能是同一人"
tmux send-keys -t "$SESSION" "m"
expect "请确认"
tmux send-keys -t "$SESSION" "y"
expect "平台身份"
[[ "$(sqlite3 "$DB" "SELECT count(*) FROM customers WHERE merged_into IS NOT NULL")" == 1 ]] \
    || fail "the merge is not in the database"
tmux send-keys -t "$SESSION" "U"
expect "请确认"
tmux send-keys -t "$SESSION" "y"
expect "可能是同一人"
[[ "$(sqlite3 "$DB" "SELECT count(*) FROM customers WHERE merged_into IS NOT NULL")" == 0 ]] \
    || fail "the merge was not undone"
tmux send-keys -t "$SESSION" Escape
expect_not "客户卡片 ·"

# Another terminal imports into the same file while the app is open (WAL):
# Ctrl-R shows the new counts.
mkdir -p "$WORK/more"
"$BIN" demo --export-csv "$WORK/more" --orders 150 --seed 98 >/dev/null 2>&1
"$BIN" --db "$DB" import "$WORK/more" >/dev/null
TOTAL=$(sqlite3 "$DB" "SELECT count(*) FROM orders")
tmux send-keys -t "$SESSION" C-r
expect "订单 $TOTAL"

# The file moved away from another terminal: within a second the header
# says so, and the app writes nothing more.
mv "$DB" "$WORK/moved.db"
expect "数据库文件已被删除"

tmux send-keys -t "$SESSION" "q"
expect "kehu exited 0"
expect "e2e\$"
echo "tui-e2e: ok"
