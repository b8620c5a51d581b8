//! Undoing a merge (`db/merge.rs`): both customers as they were, every row
//! the merge changed written back from the log, and the points transfer
//! reversed by new ledger entries (the ledger is append-only). Refused when
//! the survivor has had activity since (a new or changed order, note, tag,
//! complaint, follow-up, points entry …), naming it, or when a later merge
//! involving the survivor is still in force.

use super::Store;
use super::merge::{MARKED, MOVED, Marks, Saved, ids, label, marks, rewrite_doc, transfer};
use super::merge_rows;
use crate::i18n::Lang;
use crate::i18n::merge as say;
use crate::model::{MergeRecord, MergeUndone};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// How each marked table reaches its customer.
fn owner_sql(table: &str) -> &'static str {
    match table {
        "note_history" => {
            "SELECT count(*) FROM note_history h JOIN notes n ON n.id = h.note_id WHERE n.customer_id = ?1 AND h.id > ?2"
        }
        "complaint_events" => {
            "SELECT count(*) FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.customer_id = ?1 AND e.id > ?2"
        }
        "followup_events" => {
            "SELECT count(*) FROM followup_events e JOIN followups f ON f.id = e.followup_id WHERE f.customer_id = ?1 AND e.id > ?2"
        }
        _ => "",
    }
}

/// The kind of activity a marked table's rows are.
fn kind_of(table: &str) -> &'static str {
    match table {
        "notes" | "note_history" => "notes",
        "complaints" | "complaint_events" => "complaints",
        "followups" | "followup_events" => "followups",
        "feedback" => "feedback",
        "blacklist_events" => "blacklist",
        _ => "ledger",
    }
}

/// What happened to the survivor (or the merged customer) since the merge.
fn activity(
    conn: &Connection,
    a: i64,
    b: i64,
    m: &Marks,
    s: &Saved,
) -> rusqlite::Result<Vec<&'static str>> {
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut add = |k: &'static str| {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    };
    let changed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM orders WHERE customer_id = ?1
           AND (coalesce(batch_id, 0) > ?2 OR coalesce(updated_batch_id, 0) > ?2))",
        params![a, m.batch],
        |r| r.get(0),
    )?;
    let mut st = conn.prepare_cached("SELECT customer_id FROM orders WHERE id = ?")?;
    let mut gone = false;
    for (oid, _, _) in &s.orders {
        let owner: Option<i64> = st.query_row([oid], |r| r.get(0)).optional()?;
        gone |= owner != Some(a);
    }
    if changed || gone {
        add("orders");
    }
    for (t, max) in &m.ids {
        let sql = owner_sql(t);
        let n: i64 = if !sql.is_empty() {
            conn.query_row(sql, params![a, max], |r| r.get(0))?
        } else if t == "ledger" {
            conn.query_row(
                "SELECT count(*) FROM ledger WHERE customer_id IN (?1, ?3) AND id > ?2",
                params![a, max, b],
                |r| r.get(0),
            )?
        } else {
            conn.query_row(
                &format!("SELECT count(*) FROM {t} WHERE customer_id = ?1 AND id > ?2"),
                params![a, max],
                |r| r.get(0),
            )?
        };
        if n > 0 {
            add(kind_of(t));
        }
    }
    let now = marks(conn, a, b)?;
    if now.tags != m.tags {
        add("tags");
    }
    if now.members != m.members {
        add("campaigns");
    }
    if now.customers != m.customers {
        add("customer");
    }
    debug_assert!(MARKED.len() == m.ids.len());
    Ok(kinds)
}

/// A merge's ledger entry: customer, delta, kind, order id and number.
type Entry = (i64, i64, String, Option<i64>, Option<String>);

fn flip(kind: &str) -> &str {
    match kind {
        "earn" => "reverse",
        "reverse" => "earn",
        k => k,
    }
}

impl Store {
    /// Undo merge `merge_id`: both customers exactly as before it.
    pub fn undo_merge(&mut self, merge_id: i64, lang: Lang) -> Result<MergeUndone> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<(i64, i64, Option<String>, String, String)> = tx
            .query_row(
                "SELECT survivor_id, merged_id, undone_at, saved, marks FROM merges WHERE id = ?",
                [merge_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((a, b, undone, saved, mk)) = row else {
            return Err(say::no_merge(merge_id).into());
        };
        if undone.is_some() {
            return Err(say::already_undone(merge_id).into());
        }
        let later: Option<i64> = tx.query_row(
            "SELECT max(id) FROM merges WHERE id > ?1 AND undone_at IS NULL
                   AND (survivor_id IN (?2, ?3) OR merged_id IN (?2, ?3))",
            params![merge_id, a, b],
            |r| r.get(0),
        )?;
        if let Some(later) = later {
            return Err(say::undo_later_first(merge_id, later).into());
        }
        let s: Saved = serde_json::from_str(&saved)?;
        let m: Marks = serde_json::from_str(&mk)?;
        let kinds = activity(&tx, a, b, &m, &s)?;
        if !kinds.is_empty() {
            return Err(say::activity_after(merge_id, &kinds).into());
        }
        // Points back, by entries reversing the merge's.
        let note = say::undo_note(lang, merge_id);
        let entries: Vec<Entry> = tx
            .prepare(
                "SELECT l.customer_id, l.delta, l.kind, l.ref_order_id, l.ref_order_no
                 FROM merge_ledger m JOIN ledger l ON l.id = m.ledger_id
                 WHERE m.merge_id = ? AND m.undo = 0 ORDER BY l.id",
            )?
            .query_map([merge_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (cid, delta, kind, oid, ono) in entries {
            let order = oid.map(|o| (o, ono.unwrap_or_default()));
            transfer(&tx, merge_id, true, cid, -delta, flip(&kind), order, &note)?;
        }
        // Rows back to the merged customer.
        for rid in &s.receivers_moved {
            tx.execute(
                "UPDATE receivers SET customer_id = ? WHERE id = ?",
                params![b, rid],
            )?;
        }
        for (oid, cid, rid) in &s.orders {
            tx.execute(
                "UPDATE orders SET customer_id = ?, receiver_id = ? WHERE id = ?",
                params![cid, rid, oid],
            )?;
        }
        for (t, moved) in &s.moved {
            if !MOVED.contains(&t.as_str()) {
                continue;
            }
            for id in moved {
                tx.execute(
                    &format!("UPDATE {t} SET customer_id = ? WHERE id = ?"),
                    params![b, id],
                )?;
            }
        }
        for tag in &s.tags_added {
            tx.execute(
                "DELETE FROM tags WHERE customer_id = ? AND tag = ?",
                params![a, tag],
            )?;
        }
        for row in &s.tags_merged {
            merge_rows::insert(&tx, "tags", row)?;
        }
        for c in &s.members_added {
            tx.execute(
                "DELETE FROM campaign_members WHERE customer_id = ? AND campaign_id = ?",
                params![a, c],
            )?;
        }
        for row in &s.members_merged {
            merge_rows::insert(&tx, "campaign_members", row)?;
        }
        tx.execute(
            "DELETE FROM predictions WHERE customer_id IN (?, ?)",
            params![a, b],
        )?;
        for row in &s.predictions {
            merge_rows::insert(&tx, "predictions", row)?;
        }
        for k in &s.pinyin_added {
            tx.execute(
                "DELETE FROM customer_pinyin WHERE key = ? AND customer_id = ?",
                params![k, a],
            )?;
        }
        for k in &s.pinyin_merged {
            tx.execute(
                "INSERT OR IGNORE INTO customer_pinyin (key, customer_id) VALUES (?, ?)",
                params![k, b],
            )?;
        }
        tx.execute("UPDATE customers SET merged_into = NULL WHERE id = ?", [b])?;
        for id in &s.redirected {
            tx.execute(
                "UPDATE customers SET merged_into = ? WHERE id = ?",
                params![b, id],
            )?;
        }
        for row in &s.customers {
            merge_rows::restore(&tx, "customers", "id", row)?;
        }
        rewrite_doc(&tx, a)?;
        rewrite_doc(&tx, b)?;
        // The suggestion counts: as they were, unless rebuilt or imported into since.
        let rebuilt: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM suggest_totals WHERE key = '')",
            [],
            |r| r.get(0),
        )?;
        let batch: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM import_batches", [], |r| {
                r.get(0)
            })?;
        if rebuilt || batch != m.batch {
            crate::db::suggest::mark_stale(&tx)?;
        } else {
            tx.execute("DELETE FROM suggest_totals", [])?;
            for row in &s.suggest_totals {
                merge_rows::insert(&tx, "suggest_totals", row)?;
            }
        }
        tx.execute(
            "UPDATE merges SET undone_at = ? WHERE id = ?",
            params![crate::domain::time::now_text(), merge_id],
        )?;
        let done = MergeUndone {
            merge_id,
            survivor: label(&tx, a)?,
            restored: label(&tx, b)?,
        };
        tx.commit()?;
        Ok(done)
    }

    /// The merges a customer took part in (as survivor or merged), newest first.
    pub fn merges_of(&self, cid: i64) -> Result<Vec<MergeRecord>> {
        let mut st = self.conn.prepare_cached(
            "SELECT m.id, m.survivor_id, m.merged_id, s.platform || ':' || s.buyer_key,
                    d.platform || ':' || d.buyer_key, m.at, m.undone_at
             FROM merges m JOIN customers s ON s.id = m.survivor_id JOIN customers d ON d.id = m.merged_id
             WHERE m.survivor_id = ?1 OR m.merged_id = ?1 ORDER BY m.id DESC",
        )?;
        let rows = st
            .query_map([cid], |r| {
                Ok(MergeRecord {
                    merge_id: r.get(0)?,
                    survivor_id: r.get(1)?,
                    merged_id: r.get(2)?,
                    survivor: r.get(3)?,
                    merged: r.get(4)?,
                    at: r.get(5)?,
                    undone_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every platform identity of a customer: its own `platform:key` first,
    /// then those of the customers merged into it.
    pub fn identities(&self, cid: i64) -> Result<Vec<String>> {
        let mut out = vec![label(&self.conn, cid)?];
        for id in ids(
            &self.conn,
            "SELECT id FROM customers WHERE merged_into = ? ORDER BY id",
            cid,
        )? {
            out.push(label(&self.conn, id)?);
        }
        Ok(out)
    }
}
