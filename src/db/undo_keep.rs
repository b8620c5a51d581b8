//! What an import keeps so that it can be undone (`db/undo.rs`), written by
//! the loader in the file's transaction: the id ranges of the customers and
//! receivers it creates, and each stored order it changes as it was before —
//! its row before its first update in the batch, its lines before they are
//! first replaced. Orders the file leaves alone cost nothing.

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

/// A stored order's lines are about to be replaced: keep them and their
/// fingerprint as they are, once per batch. `may_have_lines`: false when the
/// order is known to have none (nothing to copy, only the mark).
pub(crate) fn save_lines(
    conn: &Connection,
    batch_id: i64,
    order_id: i64,
    may_have_lines: bool,
) -> rusqlite::Result<()> {
    let first = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO undo_lines_saved (undo_batch, order_id, fp)
             VALUES (?1, ?2, (SELECT fp FROM order_lines_fp WHERE order_id = ?2))",
        )?
        .execute(params![batch_id, order_id])?;
    if first > 0 && may_have_lines {
        conn.prepare_cached(
            "INSERT INTO undo_prior_lines SELECT ?1, * FROM order_lines WHERE order_id = ?2",
        )?
        .execute(params![batch_id, order_id])?;
    }
    Ok(())
}
