//! Each buyer's rhythm: the median gap between their valid orders, and the
//! window from one to one and a half gaps after the last one, kept on the
//! customer row (migration 010) so Today reads the buyers due to reorder
//! from an index instead of every buyer's orders. Refreshed by the import
//! for the buyers a file touched, and by the migration for all.

use rusqlite::Connection;

/// Recompute the rhythm of the customers whose ids `ids_sql` selects (a
/// `SELECT id …`): NULL for fewer than 3 valid orders or a zero median.
/// The median of an even count is the mean of the two middle gaps (whole
/// seconds, rounded down), as `model::today::median` computes it.
pub(crate) fn refresh(conn: &Connection, ids_sql: &str) -> rusqlite::Result<()> {
    let valid = crate::domain::status::valid_codes_sql();
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS rhythm (id INTEGER PRIMARY KEY, med INTEGER);
         DELETE FROM temp.rhythm;
         INSERT INTO temp.rhythm (id, med)
         WITH v AS (
             SELECT customer_id AS id, created_at,
                    lag(created_at) OVER (PARTITION BY customer_id ORDER BY created_at) AS prev
             -- Driven by the buyers (few after a small file), their orders in
             -- time order from the index: no scan of every order, no sort.
             FROM orders INDEXED BY orders_customer
             WHERE customer_id IN ({ids_sql}) AND status IN ({valid})),
         g AS (
             SELECT id, CAST(round((julianday(created_at) - julianday(prev)) * 86400) AS INTEGER) AS gap
             FROM v WHERE prev IS NOT NULL),
         r AS (
             SELECT id, gap, row_number() OVER (PARTITION BY id ORDER BY gap) AS rn,
                    count(*) OVER (PARTITION BY id) AS n
             FROM g)
         SELECT id, sum(gap) / count(*) FROM r
         WHERE n >= 2 AND rn IN ((n + 1) / 2, (n + 2) / 2)
         GROUP BY id;
         UPDATE customers SET median_gap_s = NULL, reorder_from = NULL, reorder_until = NULL
         WHERE id IN ({ids_sql}) AND median_gap_s IS NOT NULL;
         UPDATE customers SET
             median_gap_s = r.med,
             reorder_from = datetime(customers.last_valid_at, '+' || r.med || ' seconds'),
             reorder_until = datetime(customers.last_valid_at, '+' || (3 * r.med / 2) || ' seconds')
         FROM temp.rhythm r
         WHERE customers.id = r.id AND r.med > 0;
         DELETE FROM temp.rhythm;"
    ))
}
