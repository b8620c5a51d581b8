//! What the terminal app reads and writes: keyset-paged customer and order
//! lists (never `OFFSET`, never "load all"), header counts, and the card's
//! edits (notes, tags, blacklist).
//!
//! Lists sort newest/biggest first: `ORDER BY key DESC, id DESC`. A NULL key
//! sorts after every non-NULL key (its own segment, by id), so a page that runs
//! out of one segment continues in the other.

use super::Store;
use super::keyset::{Direction, flip_read};
use super::ledger::Refused;
use super::query::{CUSTOMER_COLS, CustomerRow, ORDER_COLS, OrderRow};
use crate::domain::tier::{Tier, TierThresholds};
use crate::domain::time;
pub use crate::model::{Cursor, CustomerQuery, CustomerSort, OrderQuery, SortValue};
use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{ToSql, params, params_from_iter};

impl SortValue {
    fn to_value(&self) -> Value {
        match self {
            SortValue::Text(s) => Value::Text(s.clone()),
            SortValue::Int(i) => Value::Integer(*i),
            SortValue::Null => Value::Null,
        }
    }
}

/// One keyset read: `select … from … where <filter> and <segment> order by … limit`.
struct Keyset<'a> {
    select: String,
    key: &'a str,
    id: &'a str,
    /// Conditions, each with the values of its `?`s.
    filter: Vec<(String, Vec<Value>)>,
    /// Smallest key first (names A to Z) instead of biggest; NULL keys
    /// still last.
    ascending: bool,
}

impl Keyset<'_> {
    fn read<T>(
        &self,
        store: &Store,
        cursor: Option<&Cursor>,
        dir: Direction,
        inclusive: bool,
        limit: usize,
        from_row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let (k, id) = (self.key, self.id);
        let (cmp, order) = match (dir, inclusive) {
            (Direction::Down, false) => ("<", "DESC"),
            (Direction::Down, true) => ("<=", "DESC"),
            (Direction::Up, false) => (">", "ASC"),
            (Direction::Up, true) => (">=", "ASC"),
        };
        let (cmp, order) = if self.ascending {
            let cmp = match cmp {
                "<" => ">",
                "<=" => ">=",
                ">" => "<",
                _ => "<=",
            };
            (cmp, if order == "DESC" { "ASC" } else { "DESC" })
        } else {
            (cmp, order)
        };
        // Segments in reading order, each with its own condition and params.
        let mut segments: Vec<(String, Vec<Value>)> = Vec::new();
        let nonnull_all = (format!("{k} IS NOT NULL"), vec![]);
        let null_all = (format!("{k} IS NULL"), vec![]);
        match (cursor, dir) {
            (None, Direction::Down) => segments.extend([nonnull_all, null_all]),
            (None, Direction::Up) => segments.extend([null_all, nonnull_all]),
            (Some(c), Direction::Down) if c.key != SortValue::Null => {
                segments.push((
                    format!("({k}, {id}) {cmp} (?, ?)"),
                    vec![c.key.to_value(), Value::Integer(c.id)],
                ));
                segments.push(null_all);
            }
            (Some(c), Direction::Down) => {
                segments.push((
                    format!("{k} IS NULL AND {id} {cmp} ?"),
                    vec![Value::Integer(c.id)],
                ));
            }
            (Some(c), Direction::Up) if c.key == SortValue::Null => {
                segments.push((
                    format!("{k} IS NULL AND {id} {cmp} ?"),
                    vec![Value::Integer(c.id)],
                ));
                segments.push(nonnull_all);
            }
            (Some(c), Direction::Up) => {
                segments.push((
                    format!("({k}, {id}) {cmp} (?, ?)"),
                    vec![c.key.to_value(), Value::Integer(c.id)],
                ));
            }
        }
        let mut out = Vec::new();
        for (cond, mut args) in segments {
            if out.len() >= limit {
                break;
            }
            let mut wh = vec![cond];
            for (f, v) in &self.filter {
                wh.push(f.clone());
                args.extend(v.iter().cloned());
            }
            args.push(Value::Integer((limit - out.len()) as i64));
            let order_by = if wh[0].starts_with(&format!("{k} IS NULL")) {
                format!("{id} {order}")
            } else {
                format!("{k} {order}, {id} {order}")
            };
            let sql = format!(
                "{} WHERE {} ORDER BY {order_by} LIMIT ?",
                self.select,
                wh.join(" AND ")
            );
            let mut st = store.conn.prepare_cached(&sql)?;
            let refs: Vec<&dyn ToSql> = args.iter().map(|v| v as &dyn ToSql).collect();
            for row in st.query_map(params_from_iter(refs), from_row)? {
                out.push(row?);
            }
        }
        if dir == Direction::Up {
            out.reverse();
        }
        Ok(out)
    }
}

/// The customers of one tier: 12-month completed spend (as the card and
/// `points balance` compute it) within the tier's bounds. A customer's
/// lifetime net spend bounds the 12-month one from above and a last order
/// before the window means none in it, so both decide from the list's index
/// first and the per-customer sum runs only for those who could qualify.
pub(super) fn tier_predicate(tier: Tier, t: &TierThresholds) -> (String, Vec<Value>) {
    let (since, now) = crate::domain::tier::spend_window(time::beijing_now());
    let spend = "(SELECT coalesce(sum(max(o.paid_fen - o.refund_fen, 0)), 0)
        FROM orders o INDEXED BY orders_customer
        WHERE o.customer_id = c.id AND o.status = 'completed' AND o.created_at > ? AND o.created_at <= ?)";
    let window = || vec![Value::Text(time::fmt(since)), Value::Text(time::fmt(now))];
    let (lo, hi) = match tier {
        Tier::Regular => (0, Some(t.silver_fen)),
        Tier::Silver => (t.silver_fen, Some(t.gold_fen)),
        Tier::Gold => (t.gold_fen, Some(t.diamond_fen)),
        Tier::Diamond => (t.diamond_fen, None),
    };
    let mut sql = Vec::new();
    let mut args = Vec::new();
    if lo > 0 {
        // No order in the window, no spend in it.
        sql.push(format!(
            "c.last_order_at > ? AND (c.paid_fen - c.refund_fen) >= ? AND {spend} >= ?"
        ));
        args.push(Value::Text(time::fmt(since)));
        args.push(Value::Integer(lo));
        args.extend(window());
        args.push(Value::Integer(lo));
    }
    if let Some(hi) = hi {
        sql.push(format!("((c.paid_fen - c.refund_fen) < ? OR {spend} < ?)"));
        args.push(Value::Integer(hi));
        args.extend(window());
        args.push(Value::Integer(hi));
    }
    (format!("({})", sql.join(" AND ")), args)
}

impl Store {
    /// Customer and order counts for the app's header (cheap: no grouping).
    pub fn counts(&self) -> Result<(i64, i64)> {
        let c = self.conn.query_row(
            "SELECT count(*) FROM customers WHERE merged_into IS NULL",
            [],
            |r| r.get(0),
        )?;
        let o = self
            .conn
            .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?;
        Ok((c, o))
    }

    /// One page of the customers list, read from `cursor` in `dir`.
    pub fn customers_page(
        &self,
        q: &CustomerQuery,
        cursor: Option<&Cursor>,
        dir: Direction,
        inclusive: bool,
        limit: usize,
    ) -> Result<Vec<CustomerRow>> {
        let (key, id, select) = match q.sort {
            CustomerSort::LastOrder => ("c.last_order_at", "c.id", "customers c"),
            CustomerSort::Paid => ("c.paid_fen", "c.id", "customers c"),
            // Read down the predictions' value index, every customer has a row.
            CustomerSort::Value => (
                "p.value_12m_fen",
                "p.customer_id",
                "predictions p JOIN customers c ON c.id = p.customer_id",
            ),
            CustomerSort::Name => ("c.name_sort", "c.id", "customers c"),
        };
        // Customers merged into another are shown as the survivor only.
        let mut filter = vec![("c.merged_into IS NULL".to_string(), vec![])];
        if q.at_risk_only {
            let sql = if q.sort == CustomerSort::Value {
                "p.at_risk = 1"
            } else {
                "EXISTS (SELECT 1 FROM predictions pr WHERE pr.customer_id = c.id AND pr.at_risk = 1)"
            };
            filter.push((sql.to_string(), vec![]));
        }
        if q.blacklisted_only {
            filter.push(("c.blacklisted = ?".to_string(), vec![Value::Integer(1)]));
        }
        if let Some(seg) = q.segment {
            let (sql, values) = super::segment_sql::segment_predicate(
                seg,
                "c",
                time::beijing_now(),
                &q.segment_rules,
            );
            filter.push((format!("({sql})"), values));
        }
        if let Some(tier) = q.tier {
            filter.push(tier_predicate(tier, &q.tiers));
        }
        Keyset {
            select: format!("SELECT {CUSTOMER_COLS} FROM {select}"),
            key,
            id,
            filter,
            ascending: q.sort == CustomerSort::Name,
        }
        .read(self, cursor, dir, inclusive, limit, CustomerRow::from_row)
    }

    /// One page of the orders list, read from `cursor` in `dir`.
    pub fn orders_page(
        &self,
        q: &OrderQuery,
        cursor: Option<&Cursor>,
        dir: Direction,
        inclusive: bool,
        limit: usize,
    ) -> Result<Vec<OrderRow>> {
        if q.oldest_first {
            let newest = OrderQuery {
                oldest_first: false,
                ..q.clone()
            };
            return flip_read(true, dir, |d| {
                self.orders_page(&newest, cursor, d, inclusive, limit)
            });
        }
        let mut filter = Vec::new();
        if let Some(s) = &q.status {
            filter.push(("o.status = ?".to_string(), vec![Value::Text(s.clone())]));
        }
        if let Some(days) = q.days {
            let since = time::beijing_now() - chrono::Duration::days(i64::from(days));
            filter.push((
                "o.created_at >= ?".to_string(),
                vec![Value::Text(time::fmt(since))],
            ));
        }
        Keyset {
            select: format!(
                "SELECT {ORDER_COLS} FROM orders o JOIN customers c ON c.id = o.customer_id"
            ),
            key: "o.created_at",
            id: "o.id",
            filter,
            ascending: false,
        }
        .read(self, cursor, dir, inclusive, limit, OrderRow::from_row)
    }

    /// Add a note to a customer; returns the note's id.
    pub fn add_note(&self, customer_id: i64, body: &str) -> Result<i64> {
        let body = body.trim();
        if body.is_empty() {
            return Err(Refused::new("备注不能为空", "a note cannot be empty").into());
        }
        self.before_write()?;
        let now = time::now_text();
        self.conn.execute(
            "INSERT INTO notes (customer_id, created_at, updated_at, body) VALUES (?, ?, ?, ?)",
            params![customer_id, now, now, body],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Tag a customer; false when the tag was already there.
    pub fn add_tag(&self, customer_id: i64, tag: &str) -> Result<bool> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(Refused::new("标签不能为空", "a tag cannot be empty").into());
        }
        self.before_write()?;
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO tags (customer_id, tag, created_at) VALUES (?, ?, ?)",
            params![customer_id, tag, time::now_text()],
        )?;
        Ok(n > 0)
    }

    /// Remove a tag; false when the customer did not have it.
    pub fn remove_tag(&self, customer_id: i64, tag: &str) -> Result<bool> {
        self.before_write()?;
        let n = self.conn.execute(
            "DELETE FROM tags WHERE customer_id = ? AND tag = ?",
            params![customer_id, tag.trim()],
        )?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Receiver names, one of them empty (a NULL sort key).
    const NAMES: [&str; 7] = ["张三", "李明", "", "林", "安", "曾平", "李"];

    fn store_with(n: i64) -> Store {
        let store = Store::open_in_memory().unwrap();
        for i in 1..=n {
            // Every fifth customer has no orders yet (NULL key).
            let last = (i % 5 != 0).then(|| format!("2024-01-{:02} 10:00:00", i % 28 + 1));
            store
                .conn
                .execute(
                    "INSERT INTO customers (platform, buyer_key, nick, created_at, last_order_at, paid_fen, name, name_sort)
                     VALUES ('taobao', ?1, ?1, '2024-01-01 00:00:00', ?2, ?3, ?4, kehu_name_sort(?4))",
                    params![format!("b{i}"), last, i * 7 % 13, NAMES[(i % 7) as usize]],
                )
                .unwrap();
        }
        store
    }

    fn all_ids(store: &Store, q: &CustomerQuery) -> Vec<i64> {
        store
            .customers_page(q, None, Direction::Down, false, 10_000)
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn paging_down_and_up_walks_the_whole_list() {
        let store = store_with(53);
        for sort in [
            CustomerSort::LastOrder,
            CustomerSort::Paid,
            CustomerSort::Name,
        ] {
            let q = CustomerQuery {
                sort,
                ..CustomerQuery::default()
            };
            let all = all_ids(&store, &q);
            assert_eq!(all.len(), 53);
            let mut seen = Vec::new();
            let mut cur: Option<Cursor> = None;
            loop {
                let page = store
                    .customers_page(&q, cur.as_ref(), Direction::Down, false, 7)
                    .unwrap();
                let Some(last) = page.last() else { break };
                cur = Some(q.cursor(last));
                seen.extend(page.iter().map(|c| c.id));
            }
            assert_eq!(seen, all);
            let mut back = Vec::new();
            let mut cur: Option<Cursor> = None;
            loop {
                let page = store
                    .customers_page(&q, cur.as_ref(), Direction::Up, false, 6)
                    .unwrap();
                let Some(first) = page.first() else { break };
                cur = Some(q.cursor(first));
                back.splice(0..0, page.iter().map(|c| c.id));
            }
            assert_eq!(back, all);
        }
    }

    /// By name: A to Z in pinyin (李 before 李明 before 林), the same
    /// names by id, buyers without a name last. A polyphonic surname sorts
    /// by the character's usual reading (曾 as ceng, see `sort_key`).
    #[test]
    fn the_name_sort_is_pinyin_order() {
        let store = store_with(14);
        let q = CustomerQuery {
            sort: CustomerSort::Name,
            ..CustomerQuery::default()
        };
        let names: Vec<String> = store
            .customers_page(&q, None, Direction::Down, false, 100)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        let want = [
            "安", "安", "曾平", "曾平", "李", "李", "李明", "李明", "林", "林", "张三", "张三", "",
            "",
        ];
        assert_eq!(names, want);
    }

    #[test]
    fn edits_persist() {
        let store = store_with(2);
        store.add_note(1, "  要发顺丰  ").unwrap();
        assert!(store.add_note(1, "   ").is_err());
        assert!(store.add_tag(1, "VIP").unwrap());
        assert!(!store.add_tag(1, "VIP").unwrap());
        let mut store = store;
        store
            .blacklist(1, "差评要挟", super::super::Actor::App)
            .unwrap();
        let card = store.customer_card(1, 5).unwrap().unwrap();
        assert_eq!(card.notes[0].body, "要发顺丰");
        assert_eq!(card.tags, vec!["VIP".to_string()]);
        assert!(card.customer.blacklisted);
        assert!(store.remove_tag(1, "VIP").unwrap());
        let q = CustomerQuery {
            blacklisted_only: true,
            ..Default::default()
        };
        assert_eq!(all_ids(&store, &q), vec![1]);
        assert!(store.blacklist(99, "x", super::super::Actor::App).is_err());
    }
}
