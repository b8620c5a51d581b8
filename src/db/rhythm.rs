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
         {SET_RHYTHMS};
         DELETE FROM temp.rhythm;"
    ))
}

/// The computed rhythms onto their customers. The IN drives the update from
/// the few rhythms: with the join alone SQLite scanned every customer (50 ms
/// at 430k customers, after every order report).
const SET_RHYTHMS: &str = "UPDATE customers SET
             median_gap_s = r.med,
             reorder_from = datetime(customers.last_valid_at, '+' || r.med || ' seconds'),
             reorder_until = datetime(customers.last_valid_at, '+' || (3 * r.med / 2) || ' seconds')
         FROM temp.rhythm r
         WHERE customers.id = r.id AND r.med > 0 AND customers.id IN (SELECT id FROM temp.rhythm)";

#[cfg(test)]
mod tests {
    use crate::db::Store;
    use crate::import::ReportReader;

    /// A customer's id, median gap and reorder window.
    type Rhythm = (i64, Option<i64>, Option<String>, Option<String>);

    fn rhythms(store: &Store) -> Vec<Rhythm> {
        store
            .conn
            .prepare(
                "SELECT id, median_gap_s, reorder_from, reorder_until FROM customers ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Setting the rhythms reads the customers they are for, not every customer.
    #[test]
    fn rhythms_are_set_without_a_scan_of_the_customers() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS rhythm (id INTEGER PRIMARY KEY, med INTEGER)",
            )
            .unwrap();
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::SET_RHYTHMS))
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("SEARCH customers"), "{plan}");
        assert!(!plan.contains("SCAN customers"), "{plan}");
    }

    /// The import writes the rhythm of the customers a file creates from
    /// memory (db/load/finish.rs): the same as this refresh computes from
    /// the stored orders, in bulk mode and row by row.
    #[test]
    fn an_imports_new_customers_have_the_rhythm_the_refresh_computes() {
        crate::domain::time::pin_now(crate::domain::time::parse_stored("2025-12-01 09:00:00"));
        for preload_after in [None, Some(0)] {
            let mut store = Store::open_in_memory().unwrap();
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/taobao/ExportOrderList202405201030.csv"
            );
            let reader = ReportReader::open(std::fs::File::open(path).unwrap(), None).unwrap();
            let opts = crate::db::ImportOptions {
                preload_after,
                ..Default::default()
            };
            store
                .import_report(path, reader, opts, &mut |_| {})
                .unwrap();
            let imported = rhythms(&store);
            let with = imported.iter().filter(|r| r.1.is_some()).count();
            assert!(with >= 5, "{with} customers with a rhythm");
            super::refresh(&store.conn, "SELECT id FROM customers").unwrap();
            assert_eq!(imported, rhythms(&store));
        }
    }
}
