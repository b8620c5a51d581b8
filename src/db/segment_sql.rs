//! The RFM segments (`domain::segment`) as SQL over the `customers` table:
//! the one place the segment rule is written as a `WHERE` condition.
//! `tests/segments.rs` checks it agrees with [`Segment::of`] for every segment.

use crate::domain::segment::{Segment, SegmentRules};
use chrono::NaiveDateTime;
use rusqlite::types::Value;

/// A condition for a `WHERE` clause over `customers` aliased `alias`, true
/// exactly for the customers [`Segment::of`] puts in `seg`, with its
/// parameters in order. Every column it reads is in both list indexes, so the
/// filter is decided from the index. A recent valid order is also a recent
/// order (`last_valid_at <= last_order_at`), so the recent segments also give
/// a range on `last_order_at` that the `customers_last_order` index serves.
pub(super) fn segment_predicate(
    seg: Segment,
    alias: &str,
    now: NaiveDateTime,
    rules: &SegmentRules,
) -> (String, Vec<Value>) {
    let (r, f, m) = seg.rfm();
    let since = crate::domain::time::fmt(rules.recent_since(now));
    let a = alias;
    let mut params = vec![Value::Text(since.clone())];
    let recency = if r {
        params.push(Value::Text(since));
        format!("{a}.last_order_at >= ? AND {a}.last_valid_at >= ?")
    } else {
        // One expression, not an OR: the planner then walks the list's
        // index in order and filters, instead of collecting every
        // not-recent customer and sorting them.
        format!("ifnull({a}.last_valid_at, '') < ?")
    };
    let cmp = |high: bool| if high { ">=" } else { "<" };
    params.push(Value::Integer(rules.frequent_orders));
    params.push(Value::Integer(rules.high_value_fen));
    let sql = format!(
        "{recency} AND {a}.valid_orders {} ? AND ({a}.paid_fen - {a}.refund_fen) {} ?",
        cmp(f),
        cmp(m)
    );
    (sql, params)
}
