//! What an import keeps so that it can be undone (`db/undo.rs`), written by
//! the loader in the file's transaction: the id ranges of the customers and
//! receivers it creates, and each stored order it changes as it was before —
//! its row before its first update in the batch, its lines before they are
//! first replaced (or, for an order that had none, that it had none: runs of
//! ids, [`NewLines`]). Orders the file leaves alone cost nothing.

use rusqlite::{Connection, params};

/// The file's batch starts: the highest customer and receiver ids before it.
pub(crate) fn mark_start(
    conn: &Connection,
    batch_id: i64,
    customers_before: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO undo_marks (batch_id, customers_lo, receivers_lo, followups_lo)
         VALUES (?1, ?2, (SELECT coalesce(max(id), 0) FROM receivers),
                 (SELECT coalesce(max(id), 0) FROM followups))",
        params![batch_id, customers_before],
    )?;
    Ok(())
}

/// The file's batch ends: the highest customer and receiver ids after it.
pub(crate) fn mark_end(conn: &Connection, batch_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE undo_marks SET customers_hi = (SELECT coalesce(max(id), 0) FROM customers),
           receivers_hi = (SELECT coalesce(max(id), 0) FROM receivers)
         WHERE batch_id = ?1",
        [batch_id],
    )?;
    Ok(())
}

/// A stored order is about to change: keep its row as it is, once per batch.
pub(crate) fn save_order(conn: &Connection, batch_id: i64, order_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO undo_prior_orders SELECT ?1, * FROM orders WHERE id = ?2",
    )?
    .execute(params![batch_id, order_id])?;
    Ok(())
}

/// Orders `lo..=hi` had no lines before the batch, which wrote them (an
/// item report's orders above the highest one with lines: see
/// [`NewLines`]).
fn mark_new_lines(conn: &Connection, batch_id: i64, lo: i64, hi: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO undo_new_lines (undo_batch, lo, hi) VALUES (?, ?, ?)")?
        .execute(params![batch_id, lo, hi])?;
    Ok(())
}

/// The orders whose first lines a file writes, kept as runs of ids: an
/// item report lists its orders as the order report did, so at 1M orders a
/// first import's million orders make a few runs instead of a row each.
#[derive(Default)]
pub(crate) struct NewLines {
    run: Option<(i64, i64)>,
}

impl NewLines {
    /// The batch writes the first lines of order `id` (each order once).
    pub(crate) fn add(
        &mut self,
        conn: &Connection,
        batch_id: i64,
        id: i64,
    ) -> rusqlite::Result<()> {
        match &mut self.run {
            Some((_, hi)) if *hi + 1 == id => *hi = id,
            _ => {
                self.flush(conn, batch_id)?;
                self.run = Some((id, id));
            }
        }
        Ok(())
    }

    /// Write the run in progress (before the file's transaction ends).
    pub(crate) fn flush(&mut self, conn: &Connection, batch_id: i64) -> rusqlite::Result<()> {
        if let Some((lo, hi)) = self.run.take() {
            mark_new_lines(conn, batch_id, lo, hi)?;
        }
        Ok(())
    }
}

/// A stored order's lines are about to be replaced: keep them and their
/// fingerprint as they are, once per batch.
pub(crate) fn save_lines(conn: &Connection, batch_id: i64, order_id: i64) -> rusqlite::Result<()> {
    let first = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO undo_lines_saved (undo_batch, order_id, fp)
             VALUES (?1, ?2, (SELECT fp FROM order_lines_fp WHERE order_id = ?2))",
        )?
        .execute(params![batch_id, order_id])?;
    if first > 0 {
        conn.prepare_cached(
            "INSERT INTO undo_prior_lines SELECT ?1, * FROM order_lines WHERE order_id = ?2",
        )?
        .execute(params![batch_id, order_id])?;
    }
    Ok(())
}
