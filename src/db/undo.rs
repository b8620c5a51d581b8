//! Undoing an import batch exactly (`kehu undo BATCH`): the orders, lines,
//! customers, receivers and rejected rows it added are removed, the orders it
//! updated go back to the rows it kept (`db/undo_keep.rs`, migration 017), the
//! ledger is corrected by reversal entries, and the derived columns of the
//! customers it touched are refreshed as the loader's end of file does.
//! Refused (nothing written) when a later batch or the seller's own work
//! depends on what it brought in.

use super::Store;
use crate::i18n::undo as say;
use crate::model::{BatchRow, BatchUndone};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// `check`'s count of rows referring to missing rows: the ledger's entries on
/// orders and customers an undo removed stay (the ledger is append-only), and
/// are no problem when each such order's entries net to zero for its buyer.
pub(crate) const FK_PROBLEMS_SQL: &str = "SELECT count(*) FROM pragma_foreign_key_check k
     WHERE k.\"table\" != 'ledger' OR k.rowid NOT IN (
       SELECT l.id FROM ledger l JOIN (
         SELECT ref_order_id, customer_id FROM ledger WHERE kind IN ('earn', 'reverse')
         GROUP BY ref_order_id, customer_id HAVING sum(delta) = 0) z
       ON z.ref_order_id = l.ref_order_id AND z.customer_id = l.customer_id
       WHERE l.kind IN ('earn', 'reverse'))";

/// The batch's id ranges: customers and receivers it created are in `(lo, hi]`.
struct Marks {
    c_lo: i64,
    c_hi: i64,
    r_lo: i64,
    r_hi: i64,
    f_lo: i64,
}

/// Column names of a table, `prefix.`-qualified and comma-joined, without `skip`.
fn columns(conn: &Connection, table: &str, skip: &str) -> rusqlite::Result<String> {
    let names: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names
        .into_iter()
        .filter(|n| n != skip)
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", "))
}

fn label(conn: &Connection, cid: i64) -> rusqlite::Result<String> {
    conn.query_row(
        "SELECT platform || ':' || buyer_key FROM customers WHERE id = ?",
        [cid],
        |r| r.get(0),
    )
    .optional()
    .map(|l| l.unwrap_or_else(|| format!("#{cid}")))
}

impl Store {
    /// Every import batch, newest first.
    pub fn batches(&self) -> Result<Vec<BatchRow>> {
        let rows = self
            .conn
            .prepare(
                "SELECT b.id, b.started_at, b.file, b.kind, b.platform, b.orders_new, b.orders_updated,
                        b.rejected, m.batch_id IS NOT NULL, m.undone_at
                 FROM import_batches b LEFT JOIN undo_marks m ON m.batch_id = b.id
                 ORDER BY b.id DESC",
            )?
            .query_map([], |r| {
                Ok(BatchRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    file: r.get(2)?,
                    kind: r.get(3)?,
                    platform: r.get(4)?,
                    new: r.get(5)?,
                    updated: r.get(6)?,
                    rejected: r.get(7)?,
                    undoable: r.get(8)?,
                    undone_at: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Undo import batch `batch`: the database as if it had never been
    /// imported, apart from the batch log and the ledger's reversal entries.
    pub fn undo_batch(&mut self, batch: i64) -> Result<BatchUndone> {
        self.before_write()?;
        // The ledger keeps its entries on the orders and customers the undo
        // removes (it is append-only; they net to zero): references checked
        // off for this transaction only.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let result = self.undo_in_tx(batch);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        let (done, predicted) = result?;
        // The predictions fitted again, as after an import (the undo marked
        // them out of date: a read refits them if this is cut short).
        if predicted {
            self.refresh_predictions()?;
        }
        Ok(done)
    }

    /// The undo in one transaction; also whether predictions were kept.
    fn undo_in_tx(&mut self, batch: i64) -> Result<(BatchUndone, bool)> {
        let rules = self.segment_rules();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM import_batches WHERE id = ?)",
            [batch],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(say::no_batch(batch).into());
        }
        type MarkRow = (i64, Option<i64>, i64, Option<i64>, Option<String>, i64);
        let row: Option<MarkRow> = tx
            .query_row(
                "SELECT customers_lo, customers_hi, receivers_lo, receivers_hi, undone_at, followups_lo
                 FROM undo_marks WHERE batch_id = ?",
                [batch],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((c_lo, c_hi, r_lo, r_hi, undone, f_lo)) = row else {
            return Err(say::not_kept(batch).into());
        };
        if undone.is_some() {
            return Err(say::already_undone(batch).into());
        }
        let m = Marks {
            c_lo,
            c_hi: c_hi.unwrap_or(c_lo),
            r_lo,
            r_hi: r_hi.unwrap_or(r_lo),
            f_lo,
        };
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS undo_new (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS undo_upd (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS touched_orders (id INTEGER PRIMARY KEY);
             CREATE TEMP TABLE IF NOT EXISTS undo_lines_of (id INTEGER PRIMARY KEY);
             DELETE FROM temp.undo_new; DELETE FROM temp.undo_upd;
             DELETE FROM temp.touched; DELETE FROM temp.touched_orders;
             DELETE FROM temp.undo_lines_of;",
        )?;
        // The orders whose lines the batch wrote: those whose earlier lines
        // it kept, and those that had none (runs of ids).
        tx.execute(
            "INSERT OR IGNORE INTO temp.undo_lines_of
             SELECT order_id FROM undo_lines_saved WHERE undo_batch = ?1
             UNION SELECT o.id FROM undo_new_lines n JOIN orders o ON o.id BETWEEN n.lo AND n.hi
             WHERE n.undo_batch = ?1",
            [batch],
        )?;
        tx.execute(
            "INSERT INTO temp.undo_new SELECT id FROM orders WHERE batch_id = ?1",
            [batch],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO temp.undo_upd
             SELECT id FROM undo_prior_orders WHERE undo_batch = ?1
             UNION SELECT id FROM temp.undo_lines_of",
            [batch],
        )?;
        tx.execute_batch("DELETE FROM temp.undo_upd WHERE id IN (SELECT id FROM temp.undo_new);")?;
        refuse_if_depended(&tx, batch, &m)?;
        let mut done = BatchUndone {
            batch,
            ..BatchUndone::default()
        };
        let now = crate::domain::time::now_text();
        // Points of its new orders reversed, per order and buyer.
        let before: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM ledger", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO ledger (customer_id, created_at, delta, kind, ref_order_id, ref_order_no, note)
             SELECT customer_id, ?1, -sum(delta), 'reverse', ref_order_id, max(ref_order_no), ''
             FROM ledger WHERE ref_order_id IN (SELECT id FROM temp.undo_new) AND kind IN ('earn', 'reverse')
             GROUP BY ref_order_id, customer_id HAVING sum(delta) != 0
             ORDER BY ref_order_id, customer_id",
            [&now],
        )?;
        // The customers whose orders change: refreshed at the end.
        tx.execute(
            "INSERT OR IGNORE INTO temp.touched
             SELECT customer_id FROM orders WHERE id IN (SELECT id FROM temp.undo_new UNION SELECT id FROM temp.undo_upd)
             UNION SELECT customer_id FROM undo_prior_orders WHERE undo_batch = ?1",
            [batch],
        )?;
        done.orders_removed = tx.execute(
            "DELETE FROM orders WHERE id IN (SELECT id FROM temp.undo_new)",
            [],
        )? as i64;
        tx.execute_batch(
            "DELETE FROM order_lines WHERE order_id IN (SELECT id FROM temp.undo_new);
             DELETE FROM order_lines_fp WHERE order_id IN (SELECT id FROM temp.undo_new);",
        )?;
        // Updated orders back to their rows and lines before the batch.
        let cols = columns(&tx, "orders", "")?;
        done.orders_restored = tx.execute(
            &format!(
                "INSERT OR REPLACE INTO orders ({cols}) SELECT {cols} FROM undo_prior_orders
                 WHERE undo_batch = ?1 AND id NOT IN (SELECT id FROM temp.undo_new)"
            ),
            [batch],
        )? as i64;
        let line_cols = columns(&tx, "order_lines", "")?;
        tx.execute(
            "DELETE FROM order_lines WHERE order_id IN (SELECT id FROM temp.undo_lines_of)",
            [],
        )?;
        tx.execute(
            &format!(
                "INSERT INTO order_lines ({line_cols}) SELECT {line_cols} FROM undo_prior_lines
                 WHERE undo_batch = ?1 AND order_id NOT IN (SELECT id FROM temp.undo_new)"
            ),
            [batch],
        )?;
        tx.execute(
            "DELETE FROM order_lines_fp WHERE order_id IN (SELECT id FROM temp.undo_lines_of)",
            [],
        )?;
        tx.execute(
            "INSERT INTO order_lines_fp (order_id, fp) SELECT order_id, fp FROM undo_lines_saved
             WHERE undo_batch = ?1 AND fp IS NOT NULL AND order_id NOT IN (SELECT id FROM temp.undo_new)",
            [batch],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO temp.touched
             SELECT customer_id FROM undo_prior_orders WHERE undo_batch = ?1",
            [batch],
        )?;
        // Their points back to the rule, by reversal entries.
        tx.execute_batch("INSERT INTO temp.touched_orders SELECT id FROM temp.undo_upd;")?;
        crate::db::ledger::reconcile(&tx, crate::db::ledger::Scope::Touched)?;
        done.ledger_entries =
            tx.query_row("SELECT count(*) FROM ledger WHERE id > ?", [before], |r| {
                r.get(0)
            })?;
        refuse_negative(&tx, batch)?;
        // Receivers it added to customers from before: their lookup text changes.
        let dirty: Vec<i64> = tx
            .prepare(
                "SELECT DISTINCT customer_id FROM receivers WHERE id > ?1 AND id <= ?2 AND customer_id <= ?3
                 ORDER BY 1",
            )?
            .query_map(params![m.r_lo, m.r_hi, m.c_lo], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute(
            "DELETE FROM receivers WHERE id > ?1 AND id <= ?2",
            params![m.r_lo, m.r_hi],
        )?;
        drop_planned(&tx, &m)?;
        done.rejects_removed =
            tx.execute("DELETE FROM rejects WHERE batch_id = ?", [batch])? as i64;
        // The customers it created.
        for sql in [
            "DELETE FROM customer_search WHERE rowid > ?1 AND rowid <= ?2",
            "DELETE FROM customer_pinyin WHERE customer_id > ?1 AND customer_id <= ?2",
            "DELETE FROM predictions WHERE customer_id > ?1 AND customer_id <= ?2",
            "DELETE FROM merge_declined WHERE (a > ?1 AND a <= ?2) OR (b > ?1 AND b <= ?2)",
            "DELETE FROM temp.touched WHERE id > ?1 AND id <= ?2",
        ] {
            tx.execute(sql, params![m.c_lo, m.c_hi])?;
        }
        done.customers_removed = tx.execute(
            "DELETE FROM customers WHERE id > ?1 AND id <= ?2",
            params![m.c_lo, m.c_hi],
        )? as i64;
        super::load::refresh_touched(&tx)?;
        crate::db::rhythm::refresh(
            &tx,
            "SELECT c.id FROM customers c WHERE c.id IN (SELECT id FROM temp.touched)
               AND (c.valid_orders >= 3 OR c.median_gap_s IS NOT NULL)",
        )?;
        redo_docs(&tx, &dirty)?;
        // The suggestions' counts, counted again when they are kept.
        if super::suggest::built_with(&tx, &rules)? {
            super::suggest::rebuild(&tx, &rules)?;
        }
        let predicted = tx.execute("DELETE FROM prediction_run", [])? > 0;
        tx.execute(
            "UPDATE undo_marks SET undone_at = ?1 WHERE batch_id = ?2",
            params![now, batch],
        )?;
        tx.execute_batch(
            "DELETE FROM temp.undo_new; DELETE FROM temp.undo_upd;
             DELETE FROM temp.touched; DELETE FROM temp.touched_orders;",
        )?;
        tx.commit()?;
        Ok((done, predicted))
    }
}

/// The open tasks the planning rules made for what the batch brought in, or
/// since it began (from what it changed), go with it, with the one event of their history (their creation by the
/// planner): the history's guard is lifted for that delete only, in this
/// transaction. Tasks a person made or closed refuse the undo instead.
fn drop_planned(conn: &Connection, m: &Marks) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS undo_tasks (id INTEGER PRIMARY KEY); DELETE FROM temp.undo_tasks;",
    )?;
    let n = conn.execute(
        "INSERT INTO temp.undo_tasks SELECT id FROM followups WHERE rule IS NOT NULL AND status = 'open'
           AND ((customer_id > ?1 AND customer_id <= ?2) OR order_id IN (SELECT id FROM temp.undo_new)
                OR id > ?3)",
        params![m.c_lo, m.c_hi, m.f_lo],
    )?;
    if n == 0 {
        return Ok(());
    }
    let guard: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'followup_events_no_delete'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if guard.is_some() {
        conn.execute_batch("DROP TRIGGER followup_events_no_delete;")?;
    }
    conn.execute_batch(
        "DELETE FROM followup_events WHERE followup_id IN (SELECT id FROM temp.undo_tasks)
           AND kind = 'create' AND actor = 'plan';
         DELETE FROM followups WHERE id IN (SELECT id FROM temp.undo_tasks);
         DELETE FROM temp.undo_tasks;",
    )?;
    if let Some(sql) = guard {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}

/// The lookup documents and pinyin keys of customers whose receivers changed.
fn redo_docs(conn: &Connection, dirty: &[i64]) -> rusqlite::Result<()> {
    let mut keys = crate::db::pinyin::Keys::default();
    for &cid in dirty {
        let nick: String =
            conn.query_row("SELECT nick FROM customers WHERE id = ?", [cid], |r| {
                r.get(0)
            })?;
        let names: Vec<String> = conn
            .prepare_cached(super::load::DOC_NAMES_SQL)?
            .query_map([cid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let (bi, uni) = super::load::search_doc(&nick, &names);
        conn.execute("DELETE FROM customer_search WHERE rowid = ?", [cid])?;
        conn.execute(
            "INSERT INTO customer_search (rowid, bi, uni) VALUES (?, ?, ?)",
            params![cid, bi, uni],
        )?;
        conn.execute("DELETE FROM customer_pinyin WHERE customer_id = ?", [cid])?;
        keys.add(cid, &nick, names.iter().map(String::as_str));
    }
    keys.write(conn)
}

/// The refusals decided before anything is written: a later batch, or the
/// seller's own work, depends on what the batch brought in.
fn refuse_if_depended(conn: &Connection, batch: i64, m: &Marks) -> Result<()> {
    let complaint: Option<String> = conn
        .query_row(
            "SELECT o.order_no FROM complaints c JOIN orders o ON o.id = c.order_id
             WHERE c.order_id IN (SELECT id FROM temp.undo_new UNION SELECT id FROM temp.undo_upd)
             ORDER BY c.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(no) = complaint {
        return Err(say::complaint(batch, &no).into());
    }
    let later: Option<i64> = conn.query_row(
        "SELECT max(b) FROM (
           SELECT p.undo_batch AS b FROM undo_prior_orders p
             WHERE p.undo_batch > ?1 AND p.id IN (SELECT id FROM temp.undo_new UNION SELECT id FROM temp.undo_upd)
           UNION SELECT s.undo_batch FROM undo_lines_saved s
             WHERE s.undo_batch > ?1 AND s.order_id IN (SELECT id FROM temp.undo_new UNION SELECT id FROM temp.undo_upd)
           UNION SELECT n.undo_batch FROM undo_new_lines n
             WHERE n.undo_batch > ?1
               AND (EXISTS (SELECT 1 FROM temp.undo_new WHERE id BETWEEN n.lo AND n.hi)
                    OR EXISTS (SELECT 1 FROM temp.undo_upd WHERE id BETWEEN n.lo AND n.hi))
           UNION SELECT o.batch_id FROM orders o
             WHERE o.customer_id > ?2 AND o.customer_id <= ?3 AND o.batch_id != ?1
           UNION SELECT coalesce(o.updated_batch_id, o.batch_id) FROM orders o
             WHERE o.receiver_id > ?4 AND o.receiver_id <= ?5
               AND o.id NOT IN (SELECT id FROM temp.undo_new UNION SELECT id FROM temp.undo_upd)
         ) WHERE b NOT IN (SELECT batch_id FROM undo_marks WHERE undone_at IS NOT NULL)",
        params![batch, m.c_lo, m.c_hi, m.r_lo, m.r_hi],
        |r| r.get(0),
    )?;
    if let Some(later) = later {
        return Err(say::later_batch(batch, later).into());
    }
    let range = "> ?1 AND {c} <= ?2";
    let merged: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT CASE WHEN survivor_id {r} THEN survivor_id ELSE merged_id END FROM merges
                 WHERE survivor_id {r} OR merged_id {r2} LIMIT 1",
                r = range.replace("{c}", "survivor_id"),
                r2 = range.replace("{c}", "merged_id"),
            ),
            params![m.c_lo, m.c_hi],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(cid) = merged {
        return Err(say::merged(batch, &label(conn, cid)?).into());
    }
    for (what, table, extra) in [
        ("note", "notes", ""),
        ("tag", "tags", ""),
        // Tasks the planning rules made and nobody closed go with the batch.
        (
            "followup",
            "followups",
            " OR order_id IN (SELECT id FROM temp.undo_new)) AND (rule IS NULL OR status != 'open'",
        ),
        (
            "feedback",
            "feedback",
            " OR order_id IN (SELECT id FROM temp.undo_new)",
        ),
        ("campaign", "campaign_members", ""),
        ("blacklist", "blacklist_events", ""),
        ("complaint", "complaints", ""),
        ("points", "ledger", " AND kind NOT IN ('earn', 'reverse')"),
    ] {
        let cond = if what == "points" {
            format!("customer_id > ?1 AND customer_id <= ?2{extra}")
        } else {
            format!("((customer_id > ?1 AND customer_id <= ?2){extra})")
        };
        let cid: Option<i64> = conn
            .query_row(
                &format!("SELECT customer_id FROM {table} WHERE {cond} LIMIT 1"),
                params![m.c_lo, m.c_hi],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(cid) = cid {
            return Err(say::action(batch, &label(conn, cid)?, what).into());
        }
    }
    Ok(())
}

/// After the reversals: a buyer who redeemed points may not be left below zero.
fn refuse_negative(conn: &Connection, batch: i64) -> Result<()> {
    let neg: Option<(i64, i64)> = conn
        .query_row(
            "SELECT l.customer_id, sum(l.delta) FROM ledger l
             WHERE l.customer_id IN (SELECT id FROM temp.touched)
             GROUP BY l.customer_id
             HAVING sum(l.delta) < 0 AND max(l.kind = 'redeem') = 1 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((cid, bal)) = neg {
        return Err(say::redemption(batch, &label(conn, cid)?, bal).into());
    }
    Ok(())
}
