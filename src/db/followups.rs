//! Follow-ups (回访) and feedback (满意度): add a task, list tasks by due
//! date, finish one (with an outcome and maybe a satisfaction score, which
//! writes exactly one feedback record) or skip it; every step kept in an
//! append-only history. Planning applies the config's rules set-wise and is
//! idempotent: each planned task has a unique key, so a rule never makes the
//! same task twice, nor again once it was done or skipped.

use super::{Actor, Refused, Store};
use crate::domain::followup::{FeedbackSource, FollowupReason, FollowupStatus, Rule, valid_score};
use crate::domain::segment::SegmentRules;
use crate::domain::tier::{Tier, TierThresholds};
use crate::domain::time;
use crate::model::{
    FeedbackRow, FollowupFilter, FollowupRow, NewFeedback, NewFollowup, PlanResult,
};
use anyhow::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params, params_from_iter};

const COLS: &str = "f.id, c.platform || ':' || c.buyer_key, f.customer_id,
    coalesce(nullif(c.nick, ''), c.name), o.order_no, f.due, f.reason, f.rule, f.status,
    f.note, f.outcome, f.satisfaction, f.created_at";
const FROM: &str = "followups f JOIN customers c ON c.id = f.customer_id
    LEFT JOIN orders o ON o.id = f.order_id";

fn followup_from_row(r: &Row<'_>) -> rusqlite::Result<FollowupRow> {
    let code = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    Ok(FollowupRow {
        id: r.get(0)?,
        customer: r.get(1)?,
        customer_id: r.get(2)?,
        buyer: r.get(3)?,
        order_no: r.get(4)?,
        due: r.get(5)?,
        reason: FollowupReason::parse(&code(6)?).unwrap_or(FollowupReason::Custom),
        rule: r.get(7)?,
        status: FollowupStatus::parse(&code(8)?).unwrap_or(FollowupStatus::Open),
        note: r.get(9)?,
        outcome: r.get(10)?,
        satisfaction: r.get(11)?,
        created_at: r.get(12)?,
    })
}

fn feedback_from_row(r: &Row<'_>) -> rusqlite::Result<FeedbackRow> {
    Ok(FeedbackRow {
        id: r.get(0)?,
        customer: r.get(1)?,
        customer_id: r.get(2)?,
        order_no: r.get(3)?,
        score: r.get(4)?,
        source: FeedbackSource::parse(&r.get::<_, String>(5)?).unwrap_or(FeedbackSource::Chat),
        text: r.get(6)?,
        at: r.get(7)?,
    })
}

/// The id of order `no` of customer `customer_id`, or a refusal naming it.
pub(super) fn order_of_customer(conn: &Connection, customer_id: i64, no: &str) -> Result<i64> {
    let found: Option<(i64, i64)> = conn
        .query_row(
            "SELECT id, customer_id FROM orders WHERE order_no = ? ORDER BY customer_id = ? DESC LIMIT 1",
            params![no, customer_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        Some((oid, cid)) if cid == customer_id => Ok(oid),
        Some(_) => Err(Refused::not_their_order(no).into()),
        None => Err(Refused::no_order(no).into()),
    }
}

fn no_customer(id: i64) -> anyhow::Error {
    Refused::no_customer(id).into()
}

fn customer_exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM customers WHERE id = ?", [id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn bad_score(n: i64) -> anyhow::Error {
    Refused::new(
        format!("满意度 {n} 不在 1–5 之间"),
        format!("satisfaction {n} is not between 1 and 5"),
    )
    .into()
}

/// How long after it is placed an order can still be paid, at most: the
/// platforms close unpaid orders within days (Taobao 72 hours).
const PAID_WITHIN_DAYS: i64 = 30;

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Check that customer `id` exists and resolve their order number, if one
/// was given: the order's id, or a refusal naming what is wrong.
fn customer_and_order(conn: &Connection, id: i64, order_no: Option<&str>) -> Result<Option<i64>> {
    if !customer_exists(conn, id)? {
        return Err(no_customer(id));
    }
    match order_no.map(str::trim) {
        None | Some("") => Ok(None),
        Some(no) => Ok(Some(order_of_customer(conn, id, no)?)),
    }
}

impl Store {
    /// Add a follow-up by hand (status open).
    pub fn add_followup(&mut self, f: &NewFollowup, actor: Actor) -> Result<i64> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let order_id = customer_and_order(&tx, f.customer_id, f.order_no.as_deref())?;
        let now = time::now_text();
        tx.execute(
            "INSERT INTO followups (customer_id, order_id, due, reason, note, status, created_at)
             VALUES (?, ?, ?, ?, ?, 'open', ?)",
            params![
                f.customer_id,
                order_id,
                day(f.due),
                f.reason.code(),
                f.note.trim(),
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO followup_events (followup_id, at, kind, note, actor) VALUES (?, ?, 'create', ?, ?)",
            params![id, now, f.note.trim(), actor.code()],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Follow-ups by due date, then id: all, or only open ones, due by a
    /// day, of one customer. At most `limit`.
    pub fn followups(&self, filter: FollowupFilter, limit: usize) -> Result<Vec<FollowupRow>> {
        let mut terms = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if filter.open_only {
            terms.push("f.status = 'open'");
        }
        if let Some(d) = filter.due_by {
            terms.push("f.due <= ?");
            values.push(Value::Text(day(d)));
        }
        if let Some(c) = filter.customer_id {
            terms.push("f.customer_id = ?");
            values.push(Value::Integer(c));
        }
        let cond = if terms.is_empty() {
            "1".to_string()
        } else {
            terms.join(" AND ")
        };
        values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM {FROM} WHERE {cond} ORDER BY f.due, f.id LIMIT ?"
        ))?;
        let rows = st
            .query_map(params_from_iter(values), followup_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One follow-up.
    pub fn followup(&self, id: i64) -> Result<Option<FollowupRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM {FROM} WHERE f.id = ?"))?
            .query_row([id], followup_from_row)
            .optional()?)
    }

    /// The open follow-up `id`, or a refusal saying why not.
    fn open_followup(conn: &Connection, id: i64) -> Result<(i64, Option<i64>)> {
        let found: Option<(String, i64, Option<i64>)> = conn
            .query_row(
                "SELECT status, customer_id, order_id FROM followups WHERE id = ?",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match found {
            None => {
                Err(Refused::new(format!("没有回访 #{id}"), format!("no follow-up #{id}")).into())
            }
            Some((status, cid, oid)) if status == "open" => Ok((cid, oid)),
            Some((status, ..)) => {
                let s = FollowupStatus::parse(&status).unwrap_or(FollowupStatus::Done);
                Err(Refused::new(
                    format!("回访 #{id} {}，不能再改", s.label(crate::i18n::Lang::Zh)),
                    format!("follow-up #{id} is already {}", s.code()),
                )
                .into())
            }
        }
    }

    /// Mark follow-up `id` done with what came of it; a satisfaction score
    /// (1–5) also writes one feedback record (source `followup`).
    pub fn finish_followup(
        &mut self,
        id: i64,
        outcome: &str,
        satisfaction: Option<i64>,
        actor: Actor,
    ) -> Result<()> {
        if let Some(n) = satisfaction.filter(|n| !valid_score(*n)) {
            return Err(bad_score(n));
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (customer_id, order_id) = Store::open_followup(&tx, id)?;
        let now = time::now_text();
        tx.execute(
            "UPDATE followups SET status = 'done', outcome = ?, satisfaction = ?, closed_at = ? WHERE id = ?",
            params![outcome.trim(), satisfaction, now, id],
        )?;
        tx.execute(
            "INSERT INTO followup_events (followup_id, at, kind, note, actor) VALUES (?, ?, 'done', ?, ?)",
            params![id, now, outcome.trim(), actor.code()],
        )?;
        if let Some(score) = satisfaction {
            tx.execute(
                "INSERT INTO feedback (customer_id, order_id, score, source, text, at, followup_id)
                 VALUES (?, ?, ?, 'followup', ?, ?, ?)",
                params![customer_id, order_id, score, outcome.trim(), now, id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Skip follow-up `id`, saying why.
    pub fn skip_followup(&mut self, id: i64, note: &str, actor: Actor) -> Result<()> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Store::open_followup(&tx, id)?;
        let now = time::now_text();
        tx.execute(
            "UPDATE followups SET status = 'skipped', note = CASE WHEN ? = '' THEN note ELSE ? END, closed_at = ? WHERE id = ?",
            params![note.trim(), note.trim(), now, id],
        )?;
        tx.execute(
            "INSERT INTO followup_events (followup_id, at, kind, note, actor) VALUES (?, ?, 'skip', ?, ?)",
            params![id, now, note.trim(), actor.code()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Apply the planning `rules` as of now: make every task they call for
    /// that does not exist yet. A dry run counts them and writes nothing.
    /// Blacklisted buyers get no planned task.
    pub fn plan_followups(
        &mut self,
        rules: &[Rule],
        tiers: &TierThresholds,
        segments: &SegmentRules,
        dry_run: bool,
    ) -> Result<PlanResult> {
        let now_t = time::beijing_now();
        let today = now_t.date();
        let now = time::fmt(now_t);
        if !dry_run {
            self.before_write()?;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut result = PlanResult::default();
        for rule in rules {
            let reason = rule.reason().code();
            let made = match rule {
                Rule::AfterOrder {
                    days,
                    min_tier,
                    lookback_days,
                } => {
                    let since = today - Duration::days(lookback_days.max(&0) + days.max(&0));
                    let threshold = match min_tier.unwrap_or(Tier::Regular) {
                        Tier::Regular => 0,
                        Tier::Silver => tiers.silver_fen,
                        Tier::Gold => tiers.gold_fen,
                        Tier::Diamond => tiers.diamond_fen,
                    };
                    tx.execute(
                        // The orders without their task yet, then each of
                        // their buyers' 12-month spend once (not once an order).
                        "WITH cand AS MATERIALIZED (
                             SELECT o.id, o.customer_id, coalesce(o.paid_at, o.created_at) AS paid
                             FROM orders o
                             WHERE o.status = 'completed' AND o.created_at >= ?6
                               AND coalesce(o.paid_at, o.created_at) >= ?4
                               AND NOT EXISTS (SELECT 1 FROM followups f
                                               WHERE f.rule_key = 'after-order:' || o.id)),
                         spend AS MATERIALIZED (
                             SELECT w.customer_id,
                                    CASE WHEN ?5 <= 0 THEN 0 ELSE
                                      (SELECT coalesce(sum(max(x.paid_fen - x.refund_fen, 0)), 0)
                                       FROM orders x INDEXED BY orders_customer
                                       WHERE x.customer_id = w.customer_id AND x.status = 'completed'
                                         AND x.created_at > kehu_spend_since() AND x.created_at <= kehu_now())
                                    END AS fen
                             FROM (SELECT DISTINCT customer_id FROM cand) w)
                         INSERT INTO followups (customer_id, order_id, due, reason, status, rule, rule_key, created_at)
                         SELECT k.customer_id, k.id, date(k.paid, ?1), ?2, 'open',
                                'after-order', 'after-order:' || k.id, ?3
                         FROM cand k JOIN customers c ON c.id = k.customer_id
                         JOIN spend s ON s.customer_id = k.customer_id
                         WHERE c.blacklisted = 0 AND (?5 <= 0 OR s.fen >= ?5)
                         ORDER BY k.id
                         ON CONFLICT (rule_key) DO NOTHING",
                        params![
                            format!("+{days} days"),
                            reason,
                            now,
                            day(since),
                            threshold,
                            // An order is paid within days of being placed
                            // (platforms close unpaid ones within 72 hours): the
                            // index on creation time bounds the search.
                            day(since - Duration::days(PAID_WITHIN_DAYS))
                        ],
                    )?
                }
                Rule::AfterComplaint {
                    days,
                    lookback_days,
                } => {
                    let since = today - Duration::days(lookback_days.max(&0) + days.max(&0));
                    tx.execute(
                        "INSERT INTO followups (customer_id, order_id, complaint_id, due, reason, status, rule, rule_key, created_at)
                         SELECT k.customer_id, k.order_id, k.id, date(coalesce(k.resolved_at, k.closed_at), ?1), ?2,
                                'open', 'after-complaint', 'after-complaint:' || k.id, ?3
                         FROM complaints k
                         WHERE k.status IN ('resolved', 'closed')
                           AND coalesce(k.resolved_at, k.closed_at) >= ?4
                         ORDER BY k.id
                         ON CONFLICT (rule_key) DO NOTHING",
                        params![format!("+{days} days"), reason, now, day(since)],
                    )?
                }
                Rule::Segment {
                    segment,
                    every_days,
                } => {
                    let (pred, mut values) =
                        super::segment_sql::segment_predicate(*segment, "c", now_t, segments);
                    let prefix = format!("segment:{}:", segment.code());
                    let since = time::fmt(now_t - Duration::days(*every_days.max(&1)));
                    values.extend([
                        Value::Text(reason.to_string()),
                        Value::Text(now.clone()),
                        Value::Text(prefix.clone()),
                        Value::Text(day(today)),
                        Value::Text(format!("{prefix}%")),
                        Value::Text(since),
                    ]);
                    let n = values.len();
                    let p = |k: usize| n - 6 + k;
                    tx.execute(
                        &format!(
                            "INSERT INTO followups (customer_id, due, reason, status, rule, rule_key, created_at)
                             SELECT c.id, ?{today}, ?{reason}, 'open', 'segment',
                                    ?{prefix} || c.id || ':' || ?{today}, ?{now}
                             FROM customers c
                             WHERE ({pred}) AND c.blacklisted = 0
                               AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.customer_id = c.id
                                   AND f.rule_key LIKE ?{like} AND f.created_at >= ?{since})
                             ORDER BY c.id
                             ON CONFLICT (rule_key) DO NOTHING",
                            pred = number_placeholders(&pred),
                            reason = p(1),
                            now = p(2),
                            prefix = p(3),
                            today = p(4),
                            like = p(5),
                            since = p(6),
                        ),
                        params_from_iter(values),
                    )?
                }
            };
            let made = i64::try_from(made).unwrap_or(i64::MAX);
            *result.by_rule.entry(rule.name()).or_default() += made;
            result.created += made;
        }
        if !dry_run {
            // Each new task's history starts with its creation.
            tx.execute(
                "INSERT INTO followup_events (followup_id, at, kind, note, actor)
                 SELECT f.id, f.created_at, 'create', '', 'plan' FROM followups f
                 WHERE f.rule IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM followup_events e WHERE e.followup_id = f.id)",
                [],
            )?;
            tx.commit()?;
        }
        Ok(result)
    }

    /// Record a satisfaction score the seller heard (a survey, a review, a chat).
    pub fn add_feedback(&mut self, f: &NewFeedback) -> Result<i64> {
        if !valid_score(f.score) {
            return Err(bad_score(f.score));
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let order_id = customer_and_order(&tx, f.customer_id, f.order_no.as_deref())?;
        tx.execute(
            "INSERT INTO feedback (customer_id, order_id, score, source, text, at) VALUES (?, ?, ?, ?, ?, ?)",
            params![
                f.customer_id,
                order_id,
                f.score,
                f.source.code(),
                f.text.trim(),
                f.at.clone().unwrap_or_else(time::now_text)
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// Feedback records, newest first: all, or one customer's.
    pub fn feedback(&self, customer_id: Option<i64>) -> Result<Vec<FeedbackRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT b.id, c.platform || ':' || c.buyer_key, b.customer_id, o.order_no, b.score,
                    b.source, b.text, b.at
             FROM feedback b JOIN customers c ON c.id = b.customer_id
             LEFT JOIN orders o ON o.id = b.order_id
             WHERE ?1 IS NULL OR b.customer_id = ?1
             ORDER BY b.at DESC, b.id DESC",
        )?;
        let rows = st
            .query_map([customer_id], feedback_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// `?` placeholders numbered in order (`?1`, `?2`, …), so a statement can add
/// numbered ones after them.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        out.push(c);
        if c == '?' {
            n += 1;
            out.push_str(&n.to_string());
        }
    }
    out
}
