//! The shop analysis (数据分析): sales by month with new and returning
//! buyers, the repurchase rate, customers by segment and by tier (as of now,
//! by the segment and tier rules the customers list uses), and the top items
//! from the item lines of valid orders.
//!
//! A month range restricts the months and the top items (orders created in
//! it); the repurchase rate, segments and tiers are taken over every order,
//! as of now. A buyer is new in the month of their first valid order ever,
//! even when that month is outside the range.
//!
//! At a million orders the whole analysis is three scans, each read once in
//! the order it is stored in and summed here (no SQL grouping, which would
//! sort): the orders by creation time (from the covering index
//! `orders_created`), the customers, and the item lines.

use super::Store;
use crate::domain::OrderStatus;
use crate::domain::segment::{CustomerFacts, Segment, SegmentRules};
use crate::domain::tier::{Tier, TierThresholds, spend_window, tier_for};
use crate::domain::time;
use crate::model::analyse::{Analysis, GroupRow, ItemRow, MonthRange, MonthRow, TOP_ITEMS, round4};
use anyhow::Result;
use rusqlite::types::ValueRef;
use std::collections::HashMap;

/// FNV-1a: titles are short and few, and the item pass looks one up per
/// line (1.5M at a million orders), where SipHash showed in the profile.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Text of a column, empty when it is not text.
fn text<'a>(v: ValueRef<'a>) -> &'a str {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).unwrap_or(""),
        _ => "",
    }
}

/// Whether the stored time `at` falls in the months of `range`.
fn in_range(range: &MonthRange, month: &str) -> bool {
    range.from.as_deref().is_none_or(|f| month >= f)
        && range.to.as_deref().is_none_or(|t| month <= t)
}

/// Per customer, from their orders.
#[derive(Default, Clone, Copy)]
struct Buyer {
    valid_orders: i64,
    /// The last month (index into the months seen) they had a valid order in.
    last_month: Option<usize>,
    /// Completed spend in the tier's 12-month window.
    spend_12m_fen: i64,
}

/// What the orders pass leaves for the others.
struct OrdersPass {
    months: Vec<MonthRow>,
    /// By customer id (ids are dense: a vector, no hashing).
    buyers: Vec<Buyer>,
    /// Order ids (as indexes) that are valid and in the range: their lines count.
    counted: Vec<bool>,
}

impl Store {
    /// The analysis over the months of `range` (see the module doc).
    pub fn analyse(
        &self,
        range: &MonthRange,
        segments: &SegmentRules,
        tiers: &TierThresholds,
    ) -> Result<Analysis> {
        let pass = self.analyse_orders(range)?;
        let buyers = pass.buyers.iter().filter(|b| b.valid_orders >= 1).count() as i64;
        let repeat_buyers = pass.buyers.iter().filter(|b| b.valid_orders >= 2).count() as i64;
        let (segments, tiers) = self.analyse_groups(&pass.buyers, segments, tiers)?;
        let top_items = self.analyse_items(range, &pass.counted)?;
        let repurchase_rate = if buyers == 0 {
            0.0
        } else {
            round4(repeat_buyers as f64 / buyers as f64)
        };
        let months = pass
            .months
            .into_iter()
            .filter(|m| in_range(range, &m.month))
            .collect();
        Ok(Analysis {
            months,
            repurchase_rate,
            buyers,
            repeat_buyers,
            segments,
            tiers,
            top_items,
        })
    }

    /// Every order once, oldest first: the months, each customer's valid
    /// orders and 12-month spend, and which orders' lines count.
    fn analyse_orders(&self, range: &MonthRange) -> Result<OrdersPass> {
        let (since, now) = spend_window(time::beijing_now());
        let (since, now) = (time::fmt(since), time::fmt(now));
        let max_id: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM orders", [], |r| r.get(0))?;
        let max_customer: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM customers", [], |r| {
                    r.get(0)
                })?;
        let mut counted = vec![false; usize::try_from(max_id).unwrap_or(0) + 1];
        let mut months: Vec<MonthRow> = Vec::new();
        let mut buyers = vec![Buyer::default(); usize::try_from(max_customer).unwrap_or(0) + 1];
        let mut st = self.conn.prepare(
            "SELECT created_at, status, customer_id, paid_fen, refund_fen, id
             FROM orders INDEXED BY orders_created ORDER BY created_at",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let at = text(r.get_ref(0)?);
            let month = at.get(..7).unwrap_or(at);
            if months.last().is_none_or(|m| m.month != month) {
                months.push(MonthRow {
                    month: month.to_string(),
                    ..MonthRow::default()
                });
            }
            let idx = months.len() - 1;
            let m = &mut months[idx];
            let status = OrderStatus::from_code(text(r.get_ref(1)?));
            let (customer, paid, refund): (i64, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
            m.orders += 1;
            m.paid_fen = m.paid_fen.saturating_add(paid);
            m.refund_fen = m.refund_fen.saturating_add(refund);
            let valid = status.is_some_and(OrderStatus::is_valid);
            let completed_in_window =
                status == Some(OrderStatus::Completed) && at > since.as_str() && at <= now.as_str();
            if !valid && !completed_in_window {
                continue;
            }
            let Some(b) = usize::try_from(customer)
                .ok()
                .and_then(|c| buyers.get_mut(c))
            else {
                continue;
            };
            if completed_in_window {
                b.spend_12m_fen = b.spend_12m_fen.saturating_add((paid - refund).max(0));
            }
            if !valid {
                continue;
            }
            m.valid_orders += 1;
            if b.last_month != Some(idx) {
                m.buyers += 1;
                m.new_buyers += i64::from(b.last_month.is_none());
                b.last_month = Some(idx);
            }
            b.valid_orders += 1;
            if in_range(range, month)
                && let Some(c) = usize::try_from(r.get::<_, i64>(5)?)
                    .ok()
                    .and_then(|id| counted.get_mut(id))
            {
                *c = true;
            }
        }
        for m in &mut months {
            m.returning_buyers = m.buyers - m.new_buyers;
        }
        Ok(OrdersPass {
            months,
            buyers,
            counted,
        })
    }

    /// Every customer by segment and by tier, as of now: the segment from the
    /// customer's stored order facts ([`Segment::of`], as the customers list
    /// reads them), the tier from their 12-month completed spend ([`tier_for`]).
    fn analyse_groups(
        &self,
        buyers: &[Buyer],
        rules: &SegmentRules,
        thresholds: &TierThresholds,
    ) -> Result<(Vec<GroupRow>, Vec<GroupRow>)> {
        let now = time::beijing_now();
        let mut seg: HashMap<Segment, GroupRow> = HashMap::new();
        let mut tier: HashMap<Tier, GroupRow> = HashMap::new();
        let mut st = self.conn.prepare(
            "SELECT id, valid_orders, paid_fen, refund_fen, last_valid_at FROM customers",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let facts = CustomerFacts {
                valid_orders: r.get(1)?,
                paid_fen: r.get(2)?,
                refund_fen: r.get(3)?,
                last_valid_at: time::parse_stored(text(r.get_ref(4)?)),
            };
            let spend = usize::try_from(r.get::<_, i64>(0)?)
                .ok()
                .and_then(|c| buyers.get(c))
                .map_or(0, |b| b.spend_12m_fen);
            let net = facts.paid_fen.saturating_sub(facts.refund_fen);
            for g in [
                seg.entry(Segment::of(&facts, now, rules)).or_default(),
                tier.entry(tier_for(spend, thresholds)).or_default(),
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

    /// The top items by paid over the item lines of the `counted` orders
    /// (valid, in the range), with the complaints on orders in the range
    /// holding them.
    fn analyse_items(&self, range: &MonthRange, counted: &[bool]) -> Result<Vec<ItemRow>> {
        struct Sum {
            item: ItemRow,
            last_order: i64,
        }
        let mut sums: FnvMap<String, Sum> = FnvMap::default();
        // Stored by order: an order's lines come together.
        let mut st = self
            .conn
            .prepare("SELECT order_id, title, qty, price_fen FROM order_lines")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let order: i64 = r.get(0)?;
            if !usize::try_from(order)
                .ok()
                .and_then(|i| counted.get(i))
                .is_some_and(|c| *c)
            {
                continue;
            }
            let title = text(r.get_ref(1)?);
            let (qty, price): (i64, i64) = (r.get(2)?, r.get(3)?);
            let s = match sums.get_mut(title) {
                Some(s) => s,
                None => sums.entry(title.to_string()).or_insert(Sum {
                    item: ItemRow {
                        title: title.to_string(),
                        ..ItemRow::default()
                    },
                    last_order: -1,
                }),
            };
            if s.last_order != order {
                s.item.orders += 1;
                s.last_order = order;
            }
            s.item.quantity = s.item.quantity.saturating_add(qty);
            s.item.paid_fen = s.item.paid_fen.saturating_add(price.saturating_mul(qty));
        }
        let mut items: Vec<ItemRow> = sums.into_values().map(|s| s.item).collect();
        items.sort_by(|a, b| {
            b.paid_fen
                .cmp(&a.paid_fen)
                .then_with(|| a.title.cmp(&b.title))
        });
        items.truncate(TOP_ITEMS);
        // Complaints are few: each with the titles of its order's lines.
        let mut st = self.conn.prepare(
            "SELECT DISTINCT k.id, l.title, o.created_at
             FROM complaints k JOIN orders o ON o.id = k.order_id
             JOIN order_lines l ON l.order_id = k.order_id",
        )?;
        let mut complaints: HashMap<String, i64> = HashMap::new();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let at = text(r.get_ref(2)?);
            if in_range(range, at.get(..7).unwrap_or(at)) {
                *complaints
                    .entry(text(r.get_ref(1)?).to_string())
                    .or_default() += 1;
            }
        }
        for i in &mut items {
            i.complaints = complaints.get(&i.title).copied().unwrap_or(0);
        }
        Ok(items)
    }
}
