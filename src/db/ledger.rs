//! The points ledger: append-only entries, reconciliation of each order's
//! points with the rule, balances, redemptions, adjustments and expiry.

use super::Store;
use super::keyset::{Direction, IdKeyset};
use crate::domain::tier::{TierThresholds, tier_for};
use crate::domain::time;
pub use crate::i18n::Refused;
use crate::i18n::Text;
pub use crate::model::{LedgerEntry, PointsBalance};
use anyhow::Result;
use chrono::Months;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

pub(super) const ENTRY_COLS: &str =
    "l.id, l.customer_id, c.platform || ':' || c.buyer_key, l.created_at, l.delta, l.kind,
    l.ref_order_id, l.ref_order_no, l.ref_complaint_id, l.note,
    (SELECT sum(delta) FROM ledger b WHERE b.customer_id = l.customer_id AND b.id <= l.id)";

impl LedgerEntry {
    pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
        Ok(LedgerEntry {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            customer: r.get(2)?,
            created_at: r.get(3)?,
            delta: r.get(4)?,
            kind: r.get(5)?,
            ref_order_id: r.get(6)?,
            ref_order_no: r.get(7)?,
            ref_complaint_id: r.get(8)?,
            note: r.get(9)?,
            balance: r.get(10)?,
        })
    }
}

/// The points rule in SQL, for orders aliased `o`, per-yuan bound as `?1`.
/// Must agree with `domain::points::points_for_order` (property-tested).
const TARGET: &str = "CASE WHEN o.status = 'completed' THEN (max(o.paid_fen - o.refund_fen, 0) / 100) * ?1 ELSE 0 END";

/// Which orders a reconciliation pass covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every order: one set-based statement.
    All,
    /// The orders listed in `temp.touched_orders` (the file just imported).
    Touched,
    /// The orders with an id above this one (those the file just inserted).
    After(i64),
}

/// The points rule in force (points per yuan), kept with the data.
pub(crate) fn points_per_yuan(conn: &Connection) -> rusqlite::Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'points_per_yuan'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(1))
}

/// Bring each order's earn/reverse sum to the rule, on the order's buyer: an
/// `earn` entry for a shortfall, a `reverse` entry for an excess. An order that
/// a later export gives to another buyer takes its points along: the former
/// buyer's entries for it are reversed. Keyed by order and buyer, so running it
/// again writes nothing. Returns how many entries were written.
pub(crate) fn reconcile(conn: &Connection, scope: Scope) -> rusqlite::Result<usize> {
    let per_yuan = points_per_yuan(conn)?;
    let (moved, settle) = reconcile_sql(scope);
    let mut written = 0;
    if let Some(moved) = moved {
        written += conn
            .prepare_cached(&moved)?
            .execute(params![time::now_text()])?;
    }
    written += conn
        .prepare_cached(&settle)?
        .execute(params![per_yuan, time::now_text()])?;
    Ok(written)
}

/// The two statements of [`reconcile`]: the reversal of points an order took
/// to another buyer (none for orders just inserted), and the settling of each
/// order's sum to the rule.
fn reconcile_sql(scope: Scope) -> (Option<String>, String) {
    let orders = match scope {
        Scope::All => Some("orders o JOIN ledger l"),
        // CROSS JOIN keeps the few touched orders first: left to itself the
        // planner scans every order (or every ledger entry) of a big shop.
        Scope::Touched => {
            Some("temp.touched_orders t CROSS JOIN orders o ON o.id = t.id CROSS JOIN ledger l")
        }
        Scope::After(_) => None,
    };
    let moved = orders.map(|orders| {
        format!(
            "INSERT INTO ledger (customer_id, created_at, delta, kind, ref_order_id, ref_order_no, note)
             SELECT l.customer_id, ?1, -sum(l.delta), 'reverse', o.id, o.order_no, ''
             FROM {orders} ON l.ref_order_id = o.id
             WHERE l.kind IN ('earn', 'reverse') AND l.customer_id != o.customer_id
             GROUP BY o.id, l.customer_id HAVING sum(l.delta) != 0
             ORDER BY o.id, l.customer_id"
        )
    });
    let source = match scope {
        Scope::All => format!(
            "SELECT o.id, o.customer_id, o.order_no, {TARGET} AS target, coalesce(l.cur, 0) AS cur
             FROM orders o LEFT JOIN (
                 SELECT ref_order_id, customer_id, sum(delta) AS cur FROM ledger
                 WHERE kind IN ('earn', 'reverse') AND ref_order_id IS NOT NULL
                 GROUP BY ref_order_id, customer_id) l
               ON l.ref_order_id = o.id AND l.customer_id = o.customer_id"
        ),
        Scope::Touched => format!(
            "SELECT o.id, o.customer_id, o.order_no, {TARGET} AS target,
                 coalesce((SELECT sum(delta) FROM ledger
                           WHERE ref_order_id = o.id AND customer_id = o.customer_id
                             AND kind IN ('earn', 'reverse')), 0) AS cur
             FROM temp.touched_orders t CROSS JOIN orders o ON o.id = t.id"
        ),
        // Orders are never deleted and the ledger references them by key, so
        // an order inserted by this file has no entry yet: its current sum is 0.
        Scope::After(id) => format!(
            "SELECT o.id, o.customer_id, o.order_no, {TARGET} AS target, 0 AS cur
             FROM orders o WHERE o.id > {id}"
        ),
    };
    let settle = format!(
        "INSERT INTO ledger (customer_id, created_at, delta, kind, ref_order_id, ref_order_no, note)
         SELECT customer_id, ?2, target - cur, CASE WHEN target > cur THEN 'earn' ELSE 'reverse' END,
                id, order_no, ''
         FROM ({source}) WHERE target != cur ORDER BY id"
    );
    (moved, settle)
}

fn balance_of(conn: &Connection, customer_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT coalesce(sum(delta), 0) FROM ledger WHERE customer_id = ?")?
        .query_row([customer_id], |r| r.get(0))
}

pub(crate) fn customer_label(
    conn: &Connection,
    customer_id: i64,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT platform || ':' || buyer_key FROM customers WHERE id = ?")?
        .query_row([customer_id], |r| r.get(0))
        .optional()
}

pub(crate) fn no_customer(customer_id: i64) -> anyhow::Error {
    Refused::no_customer(customer_id).into()
}

/// Ledger invariants for `kehu check`, as problem sentences.
pub(crate) fn check_problems(conn: &Connection) -> rusqlite::Result<Vec<Text>> {
    let per_yuan = points_per_yuan(conn)?;
    let mut out = Vec::new();
    let wrong: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM orders o WHERE {TARGET} != coalesce((SELECT sum(delta) FROM ledger
               WHERE ref_order_id = o.id AND customer_id = o.customer_id AND kind IN ('earn', 'reverse')), 0)
             OR EXISTS (SELECT 1 FROM ledger WHERE ref_order_id = o.id AND customer_id != o.customer_id
               AND kind IN ('earn', 'reverse') GROUP BY customer_id HAVING sum(delta) != 0)"
        ),
        [per_yuan],
        |r| r.get(0),
    )?;
    if wrong > 0 {
        out.push(Text::new(
            format!("{wrong} 个订单的积分流水与积分规则不符"),
            format!("{wrong} order(s) whose points entries do not match the points rule"),
        ));
    }
    let below: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT kind, delta,
             sum(delta) OVER (PARTITION BY customer_id ORDER BY created_at, id) AS bal FROM ledger)
         WHERE kind IN ('redeem', 'adjust') AND delta < 0 AND bal < 0",
        [],
        |r| r.get(0),
    )?;
    if below > 0 {
        out.push(Text::new(
            format!("{below} 笔兑换或调整使积分余额低于零"),
            format!("{below} redemption(s) or adjustment(s) took a balance below zero"),
        ));
    }
    let orphan: i64 = conn.query_row(
        "SELECT count(*) FROM ledger l WHERE kind = 'compensation'
         AND (ref_complaint_id IS NULL OR NOT EXISTS (SELECT 1 FROM complaints c WHERE c.id = l.ref_complaint_id))",
        [],
        |r| r.get(0),
    )?;
    if orphan > 0 {
        out.push(Text::new(
            format!("{orphan} 笔补偿积分没有对应的投诉"),
            format!("{orphan} compensation entr(ies) with no complaint behind them"),
        ));
    }
    Ok(out)
}

impl Store {
    /// A customer's points balance: the sum of their ledger entries.
    pub fn balance(&self, customer_id: i64) -> Result<i64> {
        Ok(balance_of(&self.conn, customer_id)?)
    }

    /// A customer's balance and tier; `None` for an unknown customer.
    pub fn points_balance(
        &self,
        customer_id: i64,
        tiers: &TierThresholds,
    ) -> Result<Option<PointsBalance>> {
        let Some(customer) = customer_label(&self.conn, customer_id)? else {
            return Ok(None);
        };
        let balance = balance_of(&self.conn, customer_id)?;
        let (since, now) = crate::domain::tier::spend_window(time::beijing_now());
        let spend: i64 = self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(max(paid_fen - refund_fen, 0)), 0) FROM orders INDEXED BY orders_customer
             WHERE customer_id = ? AND status = 'completed' AND created_at > ? AND created_at <= ?",
            )?
            .query_row(
                params![customer_id, time::fmt(since), time::fmt(now)],
                |r| r.get(0),
            )?;
        Ok(Some(PointsBalance {
            customer_id,
            customer,
            balance,
            tier: tier_for(spend, tiers),
            spend_12m_fen: spend,
        }))
    }

    /// Ledger entries oldest first, with the customer's running balance, after
    /// entry id `after_id` (keyset paging). `customer_id` narrows to one customer.
    pub fn ledger_page(
        &self,
        customer_id: Option<i64>,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<LedgerEntry>> {
        let limit = limit.min(i64::MAX as usize) as i64;
        let rows = match customer_id {
            Some(cid) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLS} FROM ledger l JOIN customers c ON c.id = l.customer_id
                     WHERE l.customer_id = ? AND l.id > ? ORDER BY l.id LIMIT ?"
                ))?
                .query_map(params![cid, after_id, limit], LedgerEntry::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLS} FROM ledger l JOIN customers c ON c.id = l.customer_id
                     WHERE l.id > ? ORDER BY l.id LIMIT ?"
                ))?
                .query_map(params![after_id, limit], LedgerEntry::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    /// One page of a points ledger (oldest first: by id, ascending), with
    /// running balances, read from entry `cursor` in `dir` (from the top or,
    /// `Up`, the bottom when `None`); `inclusive` also returns the cursor's
    /// entry. Down reads later entries, Up earlier ones; rows come in list
    /// order either way. `customer_id` narrows to one customer.
    pub fn ledger_keyset(
        &self,
        customer_id: Option<i64>,
        cursor: Option<i64>,
        dir: Direction,
        inclusive: bool,
        limit: usize,
    ) -> Result<Vec<LedgerEntry>> {
        let ks = IdKeyset::new(false, cursor, dir, inclusive);
        let limit = limit.min(i64::MAX as usize) as i64;
        let (cmp, order) = (ks.cmp, ks.order);
        let mut rows = match customer_id {
            Some(cid) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLS} FROM ledger l JOIN customers c ON c.id = l.customer_id
                     WHERE l.customer_id = ? AND l.id {cmp} ? ORDER BY l.id {order} LIMIT ?"
                ))?
                .query_map(params![cid, ks.bound, limit], LedgerEntry::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLS} FROM ledger l JOIN customers c ON c.id = l.customer_id
                     WHERE l.id {cmp} ? ORDER BY l.id {order} LIMIT ?"
                ))?
                .query_map(params![ks.bound, limit], LedgerEntry::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        if dir == Direction::Up {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Spend `points` of a customer's balance. Refused (nothing written) when
    /// the note is empty, the amount is not positive, or exceeds the balance.
    /// Returns the new balance.
    pub fn redeem_points(&mut self, customer_id: i64, points: i64, note: &str) -> Result<i64> {
        if points <= 0 {
            return Err(
                Refused::new("兑换积分须为正整数", "points to redeem must be positive").into(),
            );
        }
        self.manual_entry(customer_id, -points, "redeem", note)
    }

    /// Add (positive) or remove (negative) points by hand. Refused when the note
    /// is empty, the delta is zero, or the balance would go below zero.
    pub fn adjust_points(&mut self, customer_id: i64, delta: i64, note: &str) -> Result<i64> {
        if delta == 0 {
            return Err(Refused::new("调整积分不能为 0", "an adjustment cannot be 0").into());
        }
        self.manual_entry(customer_id, delta, "adjust", note)
    }

    fn manual_entry(
        &mut self,
        customer_id: i64,
        delta: i64,
        kind: &str,
        note: &str,
    ) -> Result<i64> {
        let note = note.trim();
        if note.is_empty() {
            return Err(Refused::new(
                "请用 --note 写明原因（兑换或调整积分必须有备注）",
                "give a reason with --note (redemptions and adjustments need a note)",
            )
            .into());
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if customer_label(&tx, customer_id)?.is_none() {
            return Err(no_customer(customer_id));
        }
        let balance = balance_of(&tx, customer_id)?;
        let after = balance.checked_add(delta).ok_or_else(|| {
            anyhow::Error::from(Refused::new("积分数额过大", "points amount too large"))
        })?;
        if delta < 0 && after < 0 {
            return Err(Refused::new(
                format!(
                    "积分不足：当前余额 {balance}，无法扣除 {}；未做任何更改",
                    -delta
                ),
                format!(
                    "not enough points: balance {balance}, cannot take {}; nothing changed",
                    -delta
                ),
            )
            .into());
        }
        tx.execute(
            "INSERT INTO ledger (customer_id, created_at, delta, kind, note) VALUES (?, ?, ?, ?, ?)",
            params![customer_id, time::now_text(), delta, kind, note],
        )?;
        tx.commit()?;
        Ok(after)
    }

    /// The sum of every balance.
    pub fn points_outstanding(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(sum(delta), 0) FROM ledger", [], |r| {
                r.get(0)
            })?)
    }

    /// Make the points rule in force `per_yuan` points per yuan; when it changes,
    /// every order is reconciled to the new rule (earn/reverse entries).
    pub fn set_points_per_yuan(&mut self, per_yuan: i64) -> Result<()> {
        if points_per_yuan(&self.conn)? == per_yuan {
            return Ok(());
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('points_per_yuan', ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [per_yuan.to_string()],
        )?;
        reconcile(&tx, Scope::All)?;
        tx.commit()?;
        Ok(())
    }

    /// Expire points earned more than `months` months ago that were not spent
    /// since (oldest points are spent first): one `expire` entry per customer.
    /// Points from earn, compensation and positive adjustments expire; a balance
    /// never goes below zero through expiry. Returns (customers, points) expired.
    pub fn expire_points(&mut self, months: u32) -> Result<(i64, i64)> {
        if months == 0 {
            return Ok((0, 0));
        }
        let now = time::beijing_now();
        let cutoff = time::fmt(now.checked_sub_months(Months::new(months)).unwrap_or(now));
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let note = format!("{months} 个月前的积分过期 / points older than {months} months");
        let n = tx.execute(
            "INSERT INTO ledger (customer_id, created_at, delta, kind, note)
             SELECT customer_id, ?2, -amount, 'expire', ?3 FROM (
                 SELECT customer_id, min(old_pos + neg, bal) AS amount FROM (
                     SELECT customer_id,
                         sum(CASE WHEN delta > 0 AND created_at <= ?1 THEN delta ELSE 0 END) AS old_pos,
                         sum(CASE WHEN delta < 0 THEN delta ELSE 0 END) AS neg,
                         sum(delta) AS bal
                     FROM ledger GROUP BY customer_id))
             WHERE amount > 0 ORDER BY customer_id",
            params![cutoff, time::now_text(), note],
        )?;
        let total: i64 = tx.query_row(
            "SELECT coalesce(-sum(delta), 0) FROM ledger WHERE kind = 'expire' AND id > (SELECT coalesce(max(id), 0) - ? FROM ledger)",
            [n as i64],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok((n as i64, total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pass after a file reads the orders it touched, never every order or
    /// every ledger entry (at 1M orders that took 11 s for 215 touched orders).
    #[test]
    fn the_touched_pass_starts_from_the_touched_orders() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch("CREATE TEMP TABLE touched_orders (id INTEGER PRIMARY KEY);")
            .unwrap();
        let (moved, settle) = reconcile_sql(Scope::Touched);
        for sql in [moved.unwrap(), settle] {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let scans: Vec<&String> = plan.iter().filter(|d| d.starts_with("SCAN")).collect();
            assert_eq!(scans, ["SCAN t"], "{plan:#?}");
        }
    }

    #[test]
    fn the_database_refuses_edits_to_the_ledger() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00');
                 INSERT INTO ledger (customer_id, created_at, delta, kind) VALUES (1, '2024-01-01 00:00:00', 5, 'adjust');",
            )
            .unwrap();
        assert!(
            store
                .conn
                .execute("UPDATE ledger SET delta = 500", [])
                .is_err()
        );
        assert!(store.conn.execute("DELETE FROM ledger", []).is_err());
        assert_eq!(store.points_outstanding().unwrap(), 5);
    }

    #[test]
    fn expiry_takes_unspent_old_points_only() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES (1, 'taobao', 'a', 'a', '2020-01-01 00:00:00');
                 INSERT INTO ledger (customer_id, created_at, delta, kind, note) VALUES
                   (1, '2020-01-01 00:00:00', 100, 'adjust', 'old'),
                   (1, '2020-02-01 00:00:00', -30, 'redeem', 'spent'),
                   (1, '2099-01-01 00:00:00', 50, 'adjust', 'new');",
            )
            .unwrap();
        assert_eq!(store.expire_points(0).unwrap(), (0, 0));
        assert_eq!(store.expire_points(12).unwrap(), (1, 70));
        assert_eq!(store.points_outstanding().unwrap(), 50);
        assert_eq!(store.expire_points(12).unwrap(), (0, 0), "expires once");
    }

    #[test]
    fn the_ledger_pages_both_ways_by_id() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES
                   (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00'),
                   (2, 'taobao', 'b', 'b', '2024-01-01 00:00:00');",
            )
            .unwrap();
        for i in 1..=10 {
            store
                .conn
                .execute(
                    "INSERT INTO ledger (customer_id, created_at, delta, kind) VALUES (?, '2024-01-01 00:00:00', ?, 'adjust')",
                    params![1 + i % 2, i],
                )
                .unwrap();
        }
        let ids = |c: Option<i64>, cur: Option<i64>, dir, incl, n| -> Vec<i64> {
            store
                .ledger_keyset(c, cur, dir, incl, n)
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect()
        };
        use Direction::{Down, Up};
        assert_eq!(ids(None, None, Down, false, 3), [1, 2, 3]);
        assert_eq!(ids(None, Some(3), Down, false, 3), [4, 5, 6]);
        assert_eq!(ids(None, Some(3), Down, true, 2), [3, 4]);
        assert_eq!(ids(None, None, Up, false, 3), [8, 9, 10]);
        assert_eq!(ids(None, Some(8), Up, false, 3), [5, 6, 7]);
        assert_eq!(ids(None, Some(8), Up, true, 2), [7, 8]);
        assert_eq!(ids(None, Some(2), Up, false, 5), [1]);
        assert_eq!(ids(Some(1), None, Up, false, 2), [8, 10]);
        assert_eq!(ids(Some(1), Some(4), Down, false, 9), [6, 8, 10]);
        // The running balance is the customer's, whichever way it is read.
        let up = store.ledger_keyset(Some(2), None, Up, false, 1).unwrap();
        assert_eq!(up[0].balance, 1 + 3 + 5 + 7 + 9);
    }
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    /// A schema-1 database with orders gets their points in one pass when it
    /// is opened by a kehu that has the ledger; opening again writes nothing.
    #[test]
    fn upgrade_awards_points_for_earlier_imports_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(super::super::MIGRATIONS[0]).unwrap();
            conn.execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00');
                 INSERT INTO orders (platform, order_no, customer_id, status, status_raw, paid_fen, refund_fen, created_at, fp) VALUES
                   ('taobao', '1001', 1, 'completed', '交易成功', 12345, 0, '2024-01-01 00:00:00', 0),
                   ('taobao', '1002', 1, 'completed', '交易成功', 5000, 1000, '2024-01-02 00:00:00', 0),
                   ('taobao', '1003', 1, 'shipped', '卖家已发货，等待买家确认', 9900, 0, '2024-01-03 00:00:00', 0);",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.points_outstanding().unwrap(), 123 + 40);
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.ledger_page(None, 0, 100).unwrap().len(), 2);
        // a rule change re-targets every order
        store.set_points_per_yuan(2).unwrap();
        assert_eq!(store.points_outstanding().unwrap(), 2 * (123 + 40));
        assert_eq!(check_problems(&store.conn).unwrap(), Vec::<Text>::new());
    }
}
