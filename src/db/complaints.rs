//! Complaints: creation, moves through the workflow (every one recorded in
//! `complaint_events`), compensation points, lists with the SLA flag, stats.

use super::Store;
use super::keyset::{Direction, IdKeyset};
use super::ledger::{Refused, customer_label, no_customer};
use crate::domain::complaint::{ComplaintStatus, MoveKind, Sla, classify_move, is_overdue};
use crate::domain::time;
pub use crate::model::{
    ComplaintDetail, ComplaintEvent, ComplaintFilter, ComplaintMove, ComplaintRow, ComplaintStats,
    CountBy, NewComplaint,
};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

pub(super) const COLS: &str =
    "k.id, k.customer_id, c.platform || ':' || c.buyer_key, k.order_id, o.order_no,
    k.category, k.severity, k.channel, k.summary, k.status, k.created_at, k.first_response_at,
    k.resolved_at, k.closed_at, k.resolution, k.compensation_fen, k.compensation_points, k.coupon,
    k.satisfaction";
const FROM: &str =
    "complaints k JOIN customers c ON c.id = k.customer_id LEFT JOIN orders o ON o.id = k.order_id";

impl ComplaintRow {
    pub(super) fn from_row(r: &Row<'_>, sla: &Sla) -> rusqlite::Result<ComplaintRow> {
        let mut row = ComplaintRow {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            customer: r.get(2)?,
            order_id: r.get(3)?,
            order_no: r.get(4)?,
            category: r.get(5)?,
            severity: r.get(6)?,
            channel: r.get(7)?,
            summary: r.get(8)?,
            status: r.get(9)?,
            created_at: r.get(10)?,
            first_response_at: r.get(11)?,
            resolved_at: r.get(12)?,
            closed_at: r.get(13)?,
            resolution: r.get(14)?,
            compensation_fen: r.get(15)?,
            compensation_points: r.get(16)?,
            coupon: r.get(17)?,
            satisfaction: r.get(18)?,
            overdue: false,
        };
        if let (Some(st), Some(created)) = (
            ComplaintStatus::parse(&row.status),
            time::parse_stored(&row.created_at),
        ) {
            let first = row
                .first_response_at
                .as_deref()
                .and_then(time::parse_stored);
            row.overdue = is_overdue(st, created, first, time::beijing_now(), sla);
        }
        Ok(row)
    }
}

/// Why compensation cannot be recorded with this move, and what to do instead.
fn compensation_refused(id: i64, from: ComplaintStatus, m: &ComplaintMove) -> Refused {
    use crate::i18n::Lang;
    let mut flags = Vec::new();
    if m.compensate_points > 0 {
        flags.push(format!("--compensate-points {}", m.compensate_points));
    }
    if m.compensate_fen > 0 {
        flags.push(format!(
            "--compensate {}",
            crate::domain::money::fen_to_plain(m.compensate_fen)
        ));
    }
    let flags = flags.join(" ");
    let points = m.compensate_points;
    match (from == m.to, from) {
        // Not a move: the complaint is already where compensation is recorded.
        (true, ComplaintStatus::Resolved) => Refused::new(
            format!(
                "投诉 {id} 已是「{}」：补偿随改为「已解决」或「已关闭」的那一步记录，这一步已经过去。要现在补偿，请在关闭时一起记录：kehu complaint set {id} --status closed {flags}",
                from.label(Lang::Zh)
            ),
            format!(
                "complaint {id} is already resolved: compensation is recorded with the move to resolved or closed, and that move is done. To compensate now, record it as you close the complaint: kehu complaint set {id} --status closed {flags}"
            ),
        ),
        (true, ComplaintStatus::Closed) if points == 0 => Refused::new(
            format!(
                "投诉 {id} 已是「{}」：补偿随改为「已解决」或「已关闭」的那一步记录，这一步已经过去。要补记，请先重新打开（--status processing），再改为已解决并一起记录：kehu complaint set {id} --status resolved {flags}",
                from.label(Lang::Zh)
            ),
            format!(
                "complaint {id} is already closed: compensation is recorded with the move to resolved or closed, and that move is done. To record it, reopen the complaint (--status processing), then resolve it with the compensation: kehu complaint set {id} --status resolved {flags}"
            ),
        ),
        (true, ComplaintStatus::Closed) => Refused::new(
            format!(
                "投诉 {id} 已是「{}」：补偿随改为「已解决」或「已关闭」的那一步记录，这一步已经过去。要现在补积分，请用：kehu points adjust 客户 {points} --note \"投诉 {id} 补偿\"",
                from.label(Lang::Zh)
            ),
            format!(
                "complaint {id} is already closed: compensation is recorded with the move to resolved or closed, and that move is done. To give points now: kehu points adjust CUSTOMER {points} --note \"complaint {id}\""
            ),
        ),
        _ => Refused::new(
            format!(
                "补偿只能随改为「已解决」或「已关闭」一起记录（现在是改为「{}」）",
                m.to.label(Lang::Zh)
            ),
            format!(
                "compensation is recorded with a move to resolved or closed (this is a move to {})",
                m.to.code()
            ),
        ),
    }
}

fn event(
    conn: &Connection,
    id: i64,
    at: &str,
    from: Option<ComplaintStatus>,
    to: ComplaintStatus,
    kind: &str,
    note: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO complaint_events (complaint_id, at, from_status, to_status, kind, note) VALUES (?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![id, at, from.map(|s| s.code()), to.code(), kind, note])?;
    Ok(())
}

impl Store {
    /// Record a new complaint (status open) and its `create` event. Returns its id.
    pub fn add_complaint(&mut self, c: &NewComplaint) -> Result<i64> {
        let summary = c.summary.trim();
        if summary.is_empty() {
            return Err(Refused::new(
                "请用 --summary 写明投诉内容",
                "give the complaint with --summary",
            )
            .into());
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if customer_label(&tx, c.customer_id)?.is_none() {
            return Err(no_customer(c.customer_id));
        }
        let order_id = match c.order_no.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(no) => Some(super::followups::order_of_customer(&tx, c.customer_id, no)?),
        };
        let now = c.at.clone().unwrap_or_else(time::now_text);
        tx.execute(
            "INSERT INTO complaints (customer_id, order_id, category, severity, channel, summary, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
            params![
                c.customer_id,
                order_id,
                c.category.code(),
                c.severity.code(),
                c.channel.code(),
                summary,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        event(&tx, id, &now, None, ComplaintStatus::Open, "create", "")?;
        tx.commit()?;
        Ok(id)
    }

    /// Move a complaint (forward, or a reopen), or add a note when the status
    /// stays. Compensation points need a move to resolved or closed and write
    /// one `compensation` ledger entry. All in one transaction.
    pub fn move_complaint(&mut self, id: i64, m: &ComplaintMove) -> Result<()> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let cur: Option<(String, i64, Option<String>)> = tx
            .query_row(
                "SELECT status, customer_id, first_response_at FROM complaints WHERE id = ?",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((status, customer_id, first_response)) = cur else {
            return Err(Refused::no_complaint(id).into());
        };
        let from = ComplaintStatus::parse(&status).unwrap_or(ComplaintStatus::Open);
        let kind = if from == m.to {
            None
        } else {
            Some(classify_move(from, m.to).ok_or_else(|| {
                anyhow::Error::from(Refused::new(
                    format!(
                        "不能从「{}」改为「{}」",
                        from.label(crate::i18n::Lang::Zh),
                        m.to.label(crate::i18n::Lang::Zh)
                    ),
                    format!("cannot move from {} to {}", from.code(), m.to.code()),
                ))
            })?)
        };
        if m.compensate_points < 0 || m.compensate_fen < 0 {
            return Err(Refused::new("补偿不能为负", "compensation cannot be negative").into());
        }
        let to_done = m.to.is_done() && kind.is_some();
        if (m.compensate_points > 0 || m.compensate_fen > 0) && !to_done {
            return Err(compensation_refused(id, from, m).into());
        }
        if let Some(s) = m.satisfaction {
            if !(1..=5).contains(&s) {
                return Err(
                    Refused::new("满意度须为 1 到 5", "satisfaction must be 1 to 5").into(),
                );
            }
            if !m.to.is_done() {
                return Err(Refused::new(
                    "满意度只能在解决之后记录",
                    "satisfaction is recorded after resolution",
                )
                .into());
            }
        }
        if kind.is_none()
            && m.note.trim().is_empty()
            && m.resolution.is_none()
            && m.satisfaction.is_none()
            && m.coupon.is_none()
        {
            return Err(Refused::new(
                format!("投诉 {id} 已是「{}」", from.label(crate::i18n::Lang::Zh)),
                format!("complaint {id} is already {}", from.code()),
            )
            .into());
        }
        let now = m.at.clone().unwrap_or_else(time::now_text);
        match kind {
            Some(MoveKind::Reopen) => {
                tx.execute(
                    "UPDATE complaints SET status = ?, resolved_at = NULL, closed_at = NULL WHERE id = ?",
                    params![m.to.code(), id],
                )?;
            }
            Some(MoveKind::Forward) => {
                let first = first_response.unwrap_or_else(|| now.clone());
                tx.execute(
                    "UPDATE complaints SET status = ?1, first_response_at = ?2,
                     resolved_at = CASE WHEN ?1 IN ('resolved', 'closed') THEN coalesce(resolved_at, ?3) ELSE resolved_at END,
                     closed_at = CASE WHEN ?1 = 'closed' THEN ?3 ELSE closed_at END
                     WHERE id = ?4",
                    params![m.to.code(), first, now, id],
                )?;
            }
            None => {}
        }
        if let Some(r) = &m.resolution {
            tx.execute(
                "UPDATE complaints SET resolution = ? WHERE id = ?",
                params![r.trim(), id],
            )?;
        }
        if let Some(c) = &m.coupon {
            tx.execute(
                "UPDATE complaints SET coupon = ? WHERE id = ?",
                params![c.trim(), id],
            )?;
        }
        if let Some(s) = m.satisfaction {
            tx.execute(
                "UPDATE complaints SET satisfaction = ? WHERE id = ?",
                params![s, id],
            )?;
            // One feedback record per complaint: its latest satisfaction.
            tx.execute(
                "INSERT INTO feedback (customer_id, order_id, score, source, text, at, complaint_id)
                 SELECT customer_id, order_id, ?1, 'complaint', summary, ?2, id FROM complaints WHERE id = ?3
                 ON CONFLICT (complaint_id) DO UPDATE SET score = excluded.score, at = excluded.at",
                params![s, now, id],
            )?;
        }
        if m.compensate_fen > 0 || m.compensate_points > 0 {
            tx.execute(
                "UPDATE complaints SET compensation_fen = compensation_fen + ?, compensation_points = compensation_points + ? WHERE id = ?",
                params![m.compensate_fen, m.compensate_points, id],
            )?;
        }
        if m.compensate_points > 0 {
            let note = if m.note.trim().is_empty() {
                format!("投诉 {id} 补偿")
            } else {
                m.note.trim().to_string()
            };
            tx.execute(
                "INSERT INTO ledger (customer_id, created_at, delta, kind, ref_complaint_id, note) VALUES (?, ?, ?, 'compensation', ?, ?)",
                params![customer_id, now, m.compensate_points, id, note],
            )?;
        }
        let mut note = m.note.trim().to_string();
        if let Some(r) = &m.resolution {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(r.trim());
        }
        event(
            &tx,
            id,
            &now,
            Some(from),
            m.to,
            kind.map(MoveKind::code).unwrap_or("note"),
            &note,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Complaints newest first, before id `before_id` (keyset paging; use
    /// `i64::MAX` for the first page). `open_only` keeps open and processing.
    pub fn complaints_page(
        &self,
        open_only: bool,
        customer_id: Option<i64>,
        before_id: i64,
        limit: usize,
        sla: &Sla,
    ) -> Result<Vec<ComplaintRow>> {
        let sql = format!(
            "SELECT {COLS} FROM {FROM} WHERE k.id < ?1
             AND (?2 = 0 OR k.status IN ('open', 'processing'))
             AND (?3 IS NULL OR k.customer_id = ?3)
             ORDER BY k.id DESC LIMIT ?4"
        );
        let limit = limit.min(i64::MAX as usize) as i64;
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st
            .query_map(
                params![before_id, open_only as i64, customer_id, limit],
                |r| ComplaintRow::from_row(r, sla),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One page of a complaints list (newest first: by id, descending), read
    /// from complaint `cursor` in `dir` (from the top or, `Up`, the bottom when
    /// `None`); `inclusive` also returns the cursor's complaint. Down reads
    /// older complaints, Up newer ones; rows come in list order either way.
    pub fn complaints_keyset(
        &self,
        filter: ComplaintFilter,
        cursor: Option<i64>,
        dir: Direction,
        inclusive: bool,
        limit: usize,
        sla: &Sla,
    ) -> Result<Vec<ComplaintRow>> {
        let ks = IdKeyset::new(true, cursor, dir, inclusive);
        let sql = format!(
            "SELECT {COLS} FROM {FROM} WHERE k.id {} ?1
             AND (?2 = 0 OR k.status IN ('open', 'processing'))
             AND (?3 IS NULL OR k.customer_id = ?3)
             ORDER BY k.id {} LIMIT ?4",
            ks.cmp, ks.order
        );
        let limit = limit.min(i64::MAX as usize) as i64;
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<ComplaintRow> = st
            .query_map(
                params![ks.bound, filter.open_only as i64, filter.customer_id, limit],
                |r| ComplaintRow::from_row(r, sla),
            )?
            .collect::<rusqlite::Result<_>>()?;
        if dir == Direction::Up {
            rows.reverse();
        }
        Ok(rows)
    }

    /// One complaint with its history, oldest first.
    pub fn complaint_detail(&self, id: i64, sla: &Sla) -> Result<Option<ComplaintDetail>> {
        let row = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM {FROM} WHERE k.id = ?"))?
            .query_row([id], |r| ComplaintRow::from_row(r, sla))
            .optional()?;
        let Some(complaint) = row else {
            return Ok(None);
        };
        let history = self
            .conn
            .prepare_cached(
                "SELECT at, kind, from_status, to_status, note FROM complaint_events WHERE complaint_id = ? ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok(ComplaintEvent {
                    at: r.get(0)?,
                    kind: r.get(1)?,
                    from_status: r.get(2)?,
                    to_status: r.get(3)?,
                    note: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(ComplaintDetail { complaint, history }))
    }

    /// Counts by category and month, mean time to resolve, repeat complainers.
    pub fn complaint_stats(&self, sla: &Sla) -> Result<ComplaintStats> {
        let counts = |sql: &str| -> Result<Vec<CountBy>> {
            Ok(self
                .conn
                .prepare(sql)?
                .query_map([], |r| {
                    Ok(CountBy {
                        key: r.get(0)?,
                        count: r.get(1)?,
                        customer_id: if r.as_ref().column_count() > 2 {
                            r.get(2)?
                        } else {
                            None
                        },
                    })
                })?
                .collect::<rusqlite::Result<_>>()?)
        };
        let mut s = ComplaintStats {
            by_category: counts(
                "SELECT category, count(*) FROM complaints GROUP BY category ORDER BY count(*) DESC, category",
            )?,
            by_month: counts(
                "SELECT substr(created_at, 1, 7), count(*) FROM complaints GROUP BY 1 ORDER BY 1",
            )?,
            repeat_complainers: counts(
                "SELECT c.platform || ':' || c.buyer_key, count(*), k.customer_id FROM complaints k JOIN customers c ON c.id = k.customer_id
                 GROUP BY k.customer_id HAVING count(*) >= 2 ORDER BY count(*) DESC, k.customer_id LIMIT 50",
            )?,
            ..ComplaintStats::default()
        };
        s.total = self
            .conn
            .query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))?;
        s.open = self.conn.query_row(
            "SELECT count(*) FROM complaints WHERE status IN ('open', 'processing')",
            [],
            |r| r.get(0),
        )?;
        s.mean_hours_to_resolve = self.conn.query_row(
            "SELECT avg((julianday(resolved_at) - julianday(created_at)) * 24) FROM complaints WHERE resolved_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        s.overdue = self
            .complaints_page(true, None, i64::MAX, usize::MAX, sla)?
            .iter()
            .filter(|c| c.overdue)
            .count() as i64;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaint::{Category, Channel, Severity};

    #[test]
    fn complaints_page_both_ways_by_id() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES
                   (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00'),
                   (2, 'taobao', 'b', 'b', '2024-01-01 00:00:00');",
            )
            .unwrap();
        for i in 1..=8 {
            store
                .add_complaint(&NewComplaint {
                    customer_id: 1 + i % 2,
                    order_no: None,
                    category: Category::Other,
                    severity: Severity::Medium,
                    channel: Channel::Other,
                    summary: format!("c{i}"),
                    at: None,
                })
                .unwrap();
        }
        let sla = Sla::default();
        let ids = |f: ComplaintFilter, cur: Option<i64>, dir, incl, n| -> Vec<i64> {
            store
                .complaints_keyset(f, cur, dir, incl, n, &sla)
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect()
        };
        use Direction::{Down, Up};
        let all = ComplaintFilter::default();
        assert_eq!(ids(all, None, Down, false, 3), [8, 7, 6]);
        assert_eq!(ids(all, Some(6), Down, false, 2), [5, 4]);
        assert_eq!(ids(all, Some(6), Down, true, 2), [6, 5]);
        assert_eq!(ids(all, None, Up, false, 3), [3, 2, 1]);
        assert_eq!(ids(all, Some(3), Up, false, 2), [5, 4]);
        assert_eq!(ids(all, Some(3), Up, true, 2), [4, 3]);
        assert_eq!(ids(all, Some(7), Up, false, 5), [8]);
        let one = ComplaintFilter {
            customer_id: Some(1),
            ..all
        };
        assert_eq!(ids(one, None, Up, false, 2), [4, 2]);
        assert_eq!(ids(one, Some(6), Down, false, 9), [4, 2]);
    }
}
