//! Export reads: every customer, order, complaint or ledger entry in a scope
//! (all, one segment, one customer), streamed row by row to a callback. Each
//! export is one `SELECT` read in index order, so a million rows never sit in
//! memory and the rows come from one consistent snapshot.

use super::Store;
use super::complaints::{self, ComplaintRow};
use super::ledger::{self, LedgerEntry};
use crate::domain::complaint::Sla;
use crate::domain::segment::{CustomerFacts, Segment, SegmentRules};
use crate::domain::tier::{Tier, TierThresholds, tier_for};
use crate::domain::time;
use anyhow::Result;
use chrono::NaiveDateTime;
use rusqlite::types::Value;
use rusqlite::{Row, params_from_iter};

/// Which rows an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportScope {
    /// Only this customer's rows.
    pub customer_id: Option<i64>,
    /// Only rows of customers in this segment (at `now`, under `rules`).
    pub segment: Option<Segment>,
    pub rules: SegmentRules,
    /// "Now" for segments, tiers and the SLA: Beijing time.
    pub now: NaiveDateTime,
}

impl ExportScope {
    /// Everything, at the current Beijing time, with the default segment rules.
    pub fn all() -> ExportScope {
        ExportScope {
            customer_id: None,
            segment: None,
            rules: SegmentRules::default(),
            now: time::beijing_now(),
        }
    }

    /// `WHERE` terms and their parameters: customers aliased `c`, the owning
    /// customer id of the exported row in `customer_col`.
    fn filter(&self, customer_col: &str) -> (String, Vec<Value>) {
        let mut terms = Vec::new();
        let mut params = Vec::new();
        if let Some(id) = self.customer_id {
            terms.push(format!("{customer_col} = ?"));
            params.push(Value::Integer(id));
        }
        if let Some(seg) = self.segment {
            let (sql, values) =
                super::segment_sql::segment_predicate(seg, "c", self.now, &self.rules);
            terms.push(sql);
            params.extend(values);
        }
        if terms.is_empty() {
            terms.push("1".into());
        }
        (terms.join(" AND "), params)
    }
}

/// One customer as exported: the list's facts plus points, tier, segment, tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerExport {
    pub id: i64,
    pub platform: String,
    pub buyer_key: String,
    pub nick: String,
    /// The receiver of the latest order.
    pub name: String,
    /// Unmasked; the caller masks.
    pub phone: String,
    pub orders: i64,
    pub paid_fen: i64,
    pub refund_fen: i64,
    pub first_order_at: Option<String>,
    pub last_order_at: Option<String>,
    pub points: i64,
    pub spend_12m_fen: i64,
    pub tier: Tier,
    pub segment: Segment,
    pub blacklisted: bool,
    pub tags: Vec<String>,
}

/// One order as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderExport {
    pub order_no: String,
    pub platform: String,
    pub buyer_key: String,
    pub created_at: String,
    pub paid_at: Option<String>,
    pub status: String,
    pub status_raw: String,
    /// `title [props] ×qty; …` from the item lines, else the order's title.
    pub items: String,
    pub paid_fen: i64,
    pub refund_fen: i64,
    pub receiver_name: String,
    /// Unmasked; the caller masks.
    pub receiver_phone: String,
    pub address: String,
    pub message: String,
    pub remark: String,
}

/// The separator between tags in the one `tags` value read per customer.
const TAG_SEP: char = '\u{1F}';

impl Store {
    /// Customers newest buyers first (the app list's order), each passed to `f`.
    /// Returns how many rows were passed.
    pub fn export_customers(
        &self,
        scope: &ExportScope,
        tiers: &TierThresholds,
        f: &mut dyn FnMut(&CustomerExport) -> Result<()>,
    ) -> Result<u64> {
        let (since, now) = crate::domain::tier::spend_window(scope.now);
        let (filter, fparams) = scope.filter("c.id");
        let sql = customers_sql(&filter);
        let mut params = vec![Value::Text(time::fmt(since)), Value::Text(time::fmt(now))];
        params.extend(fparams);
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(params))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let c = customer_from_row(r, scope, tiers)?;
            f(&c)?;
            n += 1;
        }
        Ok(n)
    }

    /// Orders oldest first, each passed to `f`. Returns how many.
    pub fn export_orders(
        &self,
        scope: &ExportScope,
        f: &mut dyn FnMut(&OrderExport) -> Result<()>,
    ) -> Result<u64> {
        let (filter, params) = scope.filter("o.customer_id");
        // CROSS JOIN keeps orders the outer loop, read in `orders_created` order:
        // a segment filter then costs a lookup per order, never a sort.
        let sql = format!(
            "SELECT o.order_no, o.platform, c.buyer_key, o.created_at, o.paid_at, o.status,
                    o.status_raw,
                    coalesce((SELECT group_concat(
                                  l.title || CASE WHEN l.props != '' THEN ' [' || l.props || ']' ELSE '' END
                                  || ' ×' || l.qty, '; ' ORDER BY l.line_no)
                              FROM order_lines l WHERE l.order_id = o.id), o.title),
                    o.paid_fen, o.refund_fen, coalesce(r.name, ''), coalesce(r.phone, ''),
                    coalesce(r.address, ''), o.message, o.remark
             FROM orders o CROSS JOIN customers c ON c.id = o.customer_id
                  LEFT JOIN receivers r ON r.id = o.receiver_id
             WHERE {filter}
             ORDER BY o.created_at, o.id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(params))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            f(&OrderExport {
                order_no: r.get(0)?,
                platform: r.get(1)?,
                buyer_key: r.get(2)?,
                created_at: r.get(3)?,
                paid_at: r.get(4)?,
                status: r.get(5)?,
                status_raw: r.get(6)?,
                items: r.get(7)?,
                paid_fen: r.get(8)?,
                refund_fen: r.get(9)?,
                receiver_name: r.get(10)?,
                receiver_phone: r.get(11)?,
                address: r.get(12)?,
                message: r.get(13)?,
                remark: r.get(14)?,
            })?;
            n += 1;
        }
        Ok(n)
    }

    /// Complaints by id (oldest first) with the overdue mark, each passed to `f`.
    pub fn export_complaints(
        &self,
        scope: &ExportScope,
        sla: &Sla,
        f: &mut dyn FnMut(&ComplaintRow) -> Result<()>,
    ) -> Result<u64> {
        let (filter, params) = scope.filter("k.customer_id");
        let sql = format!(
            "SELECT {} FROM complaints k CROSS JOIN customers c ON c.id = k.customer_id
                  LEFT JOIN orders o ON o.id = k.order_id
             WHERE {filter} ORDER BY k.id",
            complaints::COLS
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(params))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            f(&ComplaintRow::from_row(r, sla)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Ledger entries by id (oldest first) with each customer's running balance,
    /// each passed to `f`.
    pub fn export_ledger(
        &self,
        scope: &ExportScope,
        f: &mut dyn FnMut(&LedgerEntry) -> Result<()>,
    ) -> Result<u64> {
        let (filter, params) = scope.filter("l.customer_id");
        let sql = format!(
            "SELECT {} FROM ledger l CROSS JOIN customers c ON c.id = l.customer_id
             WHERE {filter} ORDER BY l.id",
            ledger::ENTRY_COLS
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(params))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            f(&LedgerEntry::from_row(r)?)?;
            n += 1;
        }
        Ok(n)
    }
}

/// The customers export. The 12-month spend reads each customer's orders through
/// `orders_customer`: left to itself SQLite picks `orders_status_created` and
/// walks a year of every buyer's completed orders for each customer.
pub(super) fn customers_sql(filter: &str) -> String {
    format!(
        "SELECT c.id, c.platform, c.buyer_key, c.nick, c.name, c.phone, c.orders_count,
                c.paid_fen, c.refund_fen, c.first_order_at, c.last_order_at, c.blacklisted,
                (SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.customer_id = c.id),
                (SELECT coalesce(sum(max(o.paid_fen - o.refund_fen, 0)), 0)
                 FROM orders o INDEXED BY orders_customer
                 WHERE o.customer_id = c.id AND o.status = 'completed'
                   AND o.created_at > ? AND o.created_at <= ?),
                (SELECT group_concat(t.tag, char(31) ORDER BY t.tag) FROM tags t
                 WHERE t.customer_id = c.id),
                c.valid_orders, c.last_valid_at
         FROM customers c WHERE c.merged_into IS NULL AND ({filter})
         ORDER BY c.last_order_at DESC, c.id DESC"
    )
}

pub(super) fn customer_from_row(
    r: &Row<'_>,
    scope: &ExportScope,
    tiers: &TierThresholds,
) -> rusqlite::Result<CustomerExport> {
    let orders: i64 = r.get(6)?;
    let paid_fen: i64 = r.get(7)?;
    let refund_fen: i64 = r.get(8)?;
    let last_order_at: Option<String> = r.get(10)?;
    let spend_12m_fen: i64 = r.get(13)?;
    let last_valid_at: Option<String> = r.get(16)?;
    let facts = CustomerFacts {
        valid_orders: r.get(15)?,
        paid_fen,
        refund_fen,
        last_valid_at: last_valid_at.as_deref().and_then(time::parse_stored),
    };
    let tags: Option<String> = r.get(14)?;
    Ok(CustomerExport {
        id: r.get(0)?,
        platform: r.get(1)?,
        buyer_key: r.get(2)?,
        nick: r.get(3)?,
        name: r.get(4)?,
        phone: r.get(5)?,
        orders,
        paid_fen,
        refund_fen,
        first_order_at: r.get(9)?,
        last_order_at,
        blacklisted: r.get::<_, i64>(11)? != 0,
        points: r.get(12)?,
        spend_12m_fen,
        tier: tier_for(spend_12m_fen, tiers),
        segment: Segment::of(&facts, scope.now, &scope.rules),
        tags: tags
            .map(|t| t.split(TAG_SEP).map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    /// Customers across every RFM combination, boundaries included.
    fn store_with_customers() -> (Store, NaiveDateTime) {
        let store = Store::open_in_memory().unwrap();
        let now = time::parse_stored("2025-06-30 12:00:00").unwrap();
        let lasts = [
            None,
            Some("2025-06-30 12:00:00"),
            Some("2025-04-01 12:00:00"), // exactly 90 days: recent
            Some("2025-04-01 11:59:59"), // one second older: not
            Some("2023-01-01 00:00:00"),
        ];
        let mut i = 0;
        for last in lasts {
            for orders in [0, 1, 2, 7] {
                for (paid, refund) in [(0, 0), (49_999, 0), (50_000, 0), (60_000, 10_001)] {
                    i += 1;
                    // Every other customer also has a later order that is not
                    // valid (unpaid, closed): recent and counted, but not in RFM.
                    let invalid = i % 2;
                    let last_any = if invalid == 1 {
                        Some("2025-06-30 12:00:00")
                    } else {
                        last
                    };
                    store
                        .conn
                        .execute(
                            "INSERT INTO customers (platform, buyer_key, nick, created_at,
                                 last_order_at, orders_count, paid_fen, refund_fen,
                                 valid_orders, last_valid_at)
                             VALUES ('taobao', ?1, ?1, '2023-01-01 00:00:00', ?2, ?3, ?4, ?5, ?6, ?7)",
                            params![
                                format!("b{i}"),
                                last_any,
                                orders + invalid,
                                paid,
                                refund,
                                orders,
                                last.filter(|_| orders > 0)
                            ],
                        )
                        .unwrap();
                }
            }
        }
        (store, now)
    }

    #[test]
    fn segment_predicate_agrees_with_the_rule() {
        let (store, now) = store_with_customers();
        let mut seen = 0;
        let mut all = ExportScope::all();
        all.now = now;
        let mut expected: std::collections::BTreeMap<Segment, Vec<i64>> = Default::default();
        store
            .export_customers(&all, &TierThresholds::default(), &mut |c| {
                expected.entry(c.segment).or_default().push(c.id);
                Ok(())
            })
            .unwrap();
        for &seg in Segment::ALL {
            let scope = ExportScope {
                segment: Some(seg),
                ..all
            };
            let mut got = Vec::new();
            store
                .export_customers(&scope, &TierThresholds::default(), &mut |c| {
                    assert_eq!(c.segment, seg, "{c:?}");
                    got.push(c.id);
                    Ok(())
                })
                .unwrap();
            assert_eq!(
                got,
                expected.get(&seg).cloned().unwrap_or_default(),
                "{seg:?}"
            );
            assert!(!got.is_empty(), "{seg:?} has customers in the fixture");
            seen += got.len();
        }
        assert_eq!(seen, 5 * 4 * 4, "every customer in exactly one segment");
    }

    #[test]
    fn exports_read_in_index_order_without_sorting() {
        let (store, now) = store_with_customers();
        let scope = ExportScope {
            customer_id: None,
            segment: Some(Segment::AtRisk),
            rules: SegmentRules::default(),
            now,
        };
        let plan = |sql: &str, params: Vec<Value>| -> String {
            let mut st = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            st.query_map(params_from_iter(params), |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (filter, params) = scope.filter("o.customer_id");
        let p = plan(
            &format!(
                "SELECT o.id FROM orders o CROSS JOIN customers c ON c.id = o.customer_id
                 WHERE {filter} ORDER BY o.created_at, o.id"
            ),
            params,
        );
        assert!(p.contains("orders_created"), "{p}");
        assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{p}");
        let (filter, params) = scope.filter("c.id");
        let mut all = vec![
            Value::Text("2024-06-30".into()),
            Value::Text("2025-06-30".into()),
        ];
        all.extend(params);
        let p = plan(&customers_sql(&filter), all);
        assert!(p.contains("customers_last_order"), "{p}");
        assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{p}");
        // Per customer: their own orders, their own ledger entries, their tags.
        assert!(p.contains("orders_customer"), "{p}");
        assert!(p.contains("ledger_customer"), "{p}");
        assert!(!p.contains("orders_status_created"), "{p}");
        // One customer: their orders by the customer index, not a walk of all orders.
        let one = ExportScope {
            customer_id: Some(3),
            segment: None,
            ..scope
        };
        let (filter, params) = one.filter("o.customer_id");
        let p = plan(
            &format!(
                "SELECT o.id FROM orders o CROSS JOIN customers c ON c.id = o.customer_id
                 WHERE {filter} ORDER BY o.created_at, o.id"
            ),
            params,
        );
        assert!(p.contains("orders_customer"), "{p}");
        let (filter, params) = one.filter("l.customer_id");
        let p = plan(
            &format!(
                "SELECT l.id FROM ledger l CROSS JOIN customers c ON c.id = l.customer_id
                 WHERE {filter} ORDER BY l.id"
            ),
            params,
        );
        assert!(p.contains("ledger_customer"), "{p}");
    }
}
