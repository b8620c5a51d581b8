//! The shop analysis (数据分析): sales by month with new and returning
//! buyers, the repurchase rate, customers by segment and by tier (as of now,
//! by the rules the customers list uses), and the top items from the item
//! lines of valid orders.
//!
//! A month range restricts the months and the top items (orders created in
//! it); the repurchase rate, segments and tiers are taken over every order,
//! as of now. A buyer is new in the month of their first valid order ever,
//! even when that month is outside the range.

use super::Store;
use super::query::CUSTOMER_COLS;
use crate::domain::segment::{Segment, SegmentRules};
use crate::domain::tier::{Tier, TierThresholds, tier_for};
use crate::domain::time;
use crate::model::CustomerRow;
use crate::model::analyse::{Analysis, GroupRow, ItemRow, MonthRange, MonthRow, TOP_ITEMS, round4};
use anyhow::Result;
use rusqlite::types::Value;
use std::collections::{BTreeMap, HashMap};

/// The statuses of a valid order, as SQL.
const VALID: &str = "('paid', 'shipped', 'completed')";

/// `created_at` bounds of a month range: `>= from-01` and `< the month after to`.
fn range_sql(range: &MonthRange, col: &str) -> (String, Vec<Value>) {
    let mut sql = Vec::new();
    let mut args = Vec::new();
    if let Some(from) = &range.from {
        sql.push(format!("{col} >= ?"));
        args.push(Value::Text(format!("{from}-01")));
    }
    if let Some(to) = &range.to {
        // `YYYY-MM` followed by anything sorts below `YYYY-MM~`.
        sql.push(format!("{col} < ?"));
        args.push(Value::Text(format!("{to}~")));
    }
    if sql.is_empty() {
        ("1".into(), args)
    } else {
        (sql.join(" AND "), args)
    }
}

impl Store {
    /// The analysis over the months of `range` (see the module doc).
    pub fn analyse(
        &self,
        range: &MonthRange,
        segments: &SegmentRules,
        tiers: &TierThresholds,
    ) -> Result<Analysis> {
        let (months, buyers, repeat_buyers) = self.analyse_months(range)?;
        let (segments, tiers) = self.analyse_groups(segments, tiers)?;
        let repurchase_rate = if buyers == 0 {
            0.0
        } else {
            round4(repeat_buyers as f64 / buyers as f64)
        };
        Ok(Analysis {
            months,
            repurchase_rate,
            buyers,
            repeat_buyers,
            segments,
            tiers,
            top_items: self.analyse_items(range)?,
        })
    }

    /// The months of `range`, and the customers with at least one and at
    /// least two valid orders (over all orders).
    fn analyse_months(&self, range: &MonthRange) -> Result<(Vec<MonthRow>, i64, i64)> {
        let (cond, args) = range_sql(range, "created_at");
        let mut months: BTreeMap<String, MonthRow> = BTreeMap::new();
        let mut st = self.conn.prepare(&format!(
            "SELECT substr(created_at, 1, 7), count(*), sum(status IN {VALID}),
                    kehu_sum(paid_fen), kehu_sum(refund_fen)
             FROM orders WHERE {cond} GROUP BY 1"
        ))?;
        let rows = st.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(MonthRow {
                month: r.get(0)?,
                orders: r.get(1)?,
                valid_orders: r.get(2)?,
                paid_fen: r.get(3)?,
                refund_fen: r.get(4)?,
                ..MonthRow::default()
            })
        })?;
        for row in rows {
            let row = row?;
            months.insert(row.month.clone(), row);
        }
        // Each customer's valid orders, month by month, oldest first: the
        // first is the month they became a buyer.
        let mut st = self.conn.prepare(&format!(
            "SELECT customer_id, substr(created_at, 1, 7), count(*) FROM orders
             WHERE status IN {VALID} GROUP BY customer_id, 2 ORDER BY customer_id, 2"
        ))?;
        let mut rows = st.query([])?;
        let (mut buyers, mut repeat) = (0i64, 0i64);
        let mut current: Option<(i64, i64)> = None; // (customer, valid orders so far)
        while let Some(r) = rows.next()? {
            let (customer, month, n): (i64, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let first = current.is_none_or(|(c, _)| c != customer);
            if first {
                if let Some((_, total)) = current {
                    repeat += i64::from(total >= 2);
                }
                buyers += 1;
                current = Some((customer, 0));
            }
            if let Some((_, total)) = current.as_mut() {
                *total += n;
            }
            if let Some(m) = months.get_mut(&month) {
                m.buyers += 1;
                m.new_buyers += i64::from(first);
            }
        }
        if let Some((_, total)) = current {
            repeat += i64::from(total >= 2);
        }
        let months = months
            .into_values()
            .map(|mut m| {
                m.returning_buyers = m.buyers - m.new_buyers;
                m
            })
            .collect();
        Ok((months, buyers, repeat))
    }

    /// Every customer by segment and by tier, as of now, read as the
    /// customers list reads them.
    fn analyse_groups(
        &self,
        rules: &SegmentRules,
        thresholds: &TierThresholds,
    ) -> Result<(Vec<GroupRow>, Vec<GroupRow>)> {
        let now = time::beijing_now();
        let mut seg: HashMap<Segment, GroupRow> = HashMap::new();
        let mut tier: HashMap<Tier, GroupRow> = HashMap::new();
        let mut st = self
            .conn
            .prepare(&format!("SELECT {CUSTOMER_COLS} FROM customers c"))?;
        for row in st.query_map([], CustomerRow::from_row)? {
            let c = row?;
            let net = c.paid_fen.saturating_sub(c.refund_fen);
            for g in [
                seg.entry(Segment::of(&c.segment_facts(), now, rules))
                    .or_default(),
                tier.entry(tier_for(c.spend_12m_fen, thresholds))
                    .or_default(),
            ] {
                g.customers += 1;
                g.net_fen = g.net_fen.saturating_add(net);
            }
        }
        let segments = Segment::ALL
            .iter()
            .map(|s| GroupRow {
                code: s.code().to_string(),
                ..seg.remove(s).unwrap_or_default()
            })
            .collect();
        let tiers = Tier::ALL
            .iter()
            .map(|t| GroupRow {
                code: t.code().to_string(),
                ..tier.remove(t).unwrap_or_default()
            })
            .collect();
        Ok((segments, tiers))
    }

    /// The top items by paid over the item lines of valid orders created in
    /// `range`, with the complaints on orders (in `range`) holding them.
    fn analyse_items(&self, range: &MonthRange) -> Result<Vec<ItemRow>> {
        let (cond, args) = range_sql(range, "o.created_at");
        let mut st = self.conn.prepare(&format!(
            "SELECT l.title, count(DISTINCT l.order_id), kehu_sum(l.qty), kehu_sum(l.price_fen * l.qty)
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.status IN {VALID} AND {cond}
             GROUP BY l.title ORDER BY 4 DESC, 1 LIMIT {TOP_ITEMS}"
        ))?;
        let mut items = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(ItemRow {
                    title: r.get(0)?,
                    orders: r.get(1)?,
                    quantity: r.get(2)?,
                    paid_fen: r.get(3)?,
                    complaints: 0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = self.conn.prepare(&format!(
            "SELECT l.title, count(DISTINCT k.id)
             FROM complaints k JOIN orders o ON o.id = k.order_id
             JOIN order_lines l ON l.order_id = k.order_id
             WHERE {cond} GROUP BY l.title"
        ))?;
        let complaints: HashMap<String, i64> = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for i in &mut items {
            i.complaints = complaints.get(&i.title).copied().unwrap_or(0);
        }
        Ok(items)
    }
}
