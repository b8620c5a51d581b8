//! Today (今天): open follow-ups due, complaints past their resolution
//! target, valuable buyers who just slipped, buyers due to reorder, and
//! points about to expire. Each section is one bounded read.

use super::Store;
use crate::domain::complaint::Sla;
use crate::domain::segment::SegmentRules;
use crate::domain::time;
use crate::model::{Expiring, FollowupFilter, OverdueComplaint, Reorder, Slipping, Today, Who};
use anyhow::Result;
use chrono::{Duration, Months, NaiveDateTime};
use rusqlite::params;

/// At most this many items per section: a morning's list, not a report.
pub const SECTION_MAX: usize = 200;

/// How far back "just slipped" looks.
const SLIPPED_WITHIN_DAYS: i64 = 7;
/// How far ahead expiring points are shown.
const EXPIRING_WITHIN_DAYS: i64 = 30;

const WHO: &str = "c.platform || ':' || c.buyer_key, c.id, coalesce(nullif(c.nick, ''), c.name)";

fn who(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Who> {
    Ok(Who {
        customer: r.get(at)?,
        customer_id: r.get(at + 1)?,
        buyer: r.get(at + 2)?,
    })
}

fn days_between(from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    (to - from).num_days()
}

impl Store {
    /// The Today list as of now.
    pub fn today(&self, sla: &Sla, segments: &SegmentRules, expire_months: u32) -> Result<Today> {
        let now = time::beijing_now();
        let date = now.date();
        Ok(Today {
            date: date.format("%Y-%m-%d").to_string(),
            followups: self.followups(
                FollowupFilter {
                    open_only: true,
                    due_by: Some(date),
                    customer_id: None,
                },
                SECTION_MAX,
            )?,
            complaints_overdue: self.complaints_past_target(now, sla)?,
            slipping: self.slipping(now, segments)?,
            reorders: self.reorders_due(now)?,
            points_expiring: self.points_expiring(now, expire_months)?,
        })
    }

    fn complaints_past_target(
        &self,
        now: NaiveDateTime,
        sla: &Sla,
    ) -> Result<Vec<OverdueComplaint>> {
        let target = time::fmt(now - Duration::hours(sla.resolution_hours));
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT k.id, k.summary, k.created_at, {WHO} FROM complaints k
             JOIN customers c ON c.id = k.customer_id
             WHERE k.status IN ('open', 'processing') AND k.created_at < ?
             ORDER BY k.created_at, k.id LIMIT ?"
        ))?;
        let rows = st
            .query_map(params![target, SECTION_MAX as i64], |r| {
                let created: String = r.get(2)?;
                let due = time::parse_stored(&created)
                    .map(|t| t + Duration::hours(sla.resolution_hours))
                    .unwrap_or(now);
                Ok(OverdueComplaint {
                    who: who(r, 3)?,
                    complaint_id: r.get(0)?,
                    summary: r.get(1)?,
                    created_at: created,
                    hours_over: (now - due).num_hours(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// High value (M at or above the segment rule's bar) whose last valid
    /// order left the recent window within the last 7 days.
    fn slipping(&self, now: NaiveDateTime, rules: &SegmentRules) -> Result<Vec<Slipping>> {
        let edge = rules.recent_since(now);
        let from = time::fmt(edge - Duration::days(SLIPPED_WITHIN_DAYS));
        let to = time::fmt(edge);
        // A valid order is an order: last_order_at >= last_valid_at bounds the
        // range on the list index.
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT c.last_valid_at, c.paid_fen - c.refund_fen, {WHO}
             FROM customers c INDEXED BY customers_last_order
             WHERE c.last_order_at >= ?1 AND c.last_valid_at >= ?1 AND c.last_valid_at < ?2
               AND c.paid_fen - c.refund_fen >= ?3 AND c.blacklisted = 0
             ORDER BY c.paid_fen - c.refund_fen DESC, c.id LIMIT ?4"
        ))?;
        let rows = st
            .query_map(
                params![from, to, rules.high_value_fen, SECTION_MAX as i64],
                |r| {
                    let last: String = r.get(0)?;
                    let days = time::parse_stored(&last).map_or(0, |t| days_between(t, now));
                    Ok(Slipping {
                        who: who(r, 2)?,
                        last_valid_at: last,
                        value_fen: r.get(1)?,
                        days_since: days,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Buyers with at least 3 valid orders whose time since the last one is
    /// between 1× and 1.5× their median gap: read from the rhythm the import
    /// keeps on each customer row (`rhythm.rs`), by its index.
    fn reorders_due(&self, now: NaiveDateTime) -> Result<Vec<Reorder>> {
        let now_s = time::fmt(now);
        // Most valid orders first: among the buyers the rule picks, the
        // regulars are the likeliest to order again (docs/serving.md: 72% of
        // the first 50 ordered within 14 days on held-out months, against
        // 20% when ranked by how overdue they are).
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT c.valid_orders, c.median_gap_s, c.last_valid_at, {WHO}
             FROM customers c INDEXED BY customers_reorder
             WHERE c.reorder_until >= ?1 AND c.reorder_from <= ?1 AND c.blacklisted = 0
               AND c.valid_orders >= 3
             ORDER BY c.valid_orders DESC, c.last_valid_at, c.id LIMIT ?2"
        ))?;
        let rows = st
            .query_map(params![now_s, SECTION_MAX as i64], |r| {
                let last: String = r.get(2)?;
                let since = time::parse_stored(&last).map_or(0, |t| (now - t).num_seconds());
                let med: i64 = r.get(1)?;
                Ok(Reorder {
                    who: who(r, 3)?,
                    valid_orders: r.get(0)?,
                    median_gap_days: med / 86_400,
                    days_since: since / 86_400,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Points that expire within 30 days (oldest points spent first), when
    /// points expire at all (`months` > 0).
    fn points_expiring(&self, now: NaiveDateTime, months: u32) -> Result<Vec<Expiring>> {
        if months == 0 {
            return Ok(Vec::new());
        }
        let by = now + Duration::days(EXPIRING_WITHIN_DAYS);
        let cutoff = time::fmt(by.checked_sub_months(Months::new(months)).unwrap_or(by));
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT x.amount, {WHO} FROM (
                 SELECT customer_id, min(old_pos + neg, bal) AS amount FROM (
                     SELECT customer_id,
                         sum(CASE WHEN delta > 0 AND created_at <= ?1 THEN delta ELSE 0 END) AS old_pos,
                         sum(CASE WHEN delta < 0 THEN delta ELSE 0 END) AS neg,
                         sum(delta) AS bal
                     FROM ledger GROUP BY customer_id)
                 WHERE amount > 0) x
             JOIN customers c ON c.id = x.customer_id
             ORDER BY x.amount DESC, c.id LIMIT ?2"
        ))?;
        let day = by.format("%Y-%m-%d").to_string();
        let rows = st
            .query_map(params![cutoff, SECTION_MAX as i64], |r| {
                Ok(Expiring {
                    who: who(r, 1)?,
                    points: r.get(0)?,
                    by: day.clone(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
