//! The logical dump the undo and import tests compare: every table's rows,
//! sorted, as text — apart from the batch log, the undo's own tables, and the ledger's entries that net to zero
//! per order and buyer (an undo's reversals and what they reverse). The
//! lookup index is read through its vocabulary (term, customer, column,
//! offset), as it has no stored text.

use rusqlite::Connection;
use std::path::Path;

pub fn dump(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let tables = table_names(
        &conn,
        "name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%'
         AND name NOT LIKE 'undo_%' AND name NOT IN ('import_batches', 'ledger')",
    );
    let mut out = Vec::new();
    let mut rows_of = |label: &str, sql: &str| {
        let rows = sorted_rows(&conn, sql);
        out.push(format!("== {label} ({} rows)", rows.len()));
        out.extend(rows);
    };
    for t in &tables {
        rows_of(t, &format!("SELECT * FROM \"{t}\""));
    }
    // The ledger: each order's earn/reverse sum per buyer when not zero, and
    // every other entry as it is.
    rows_of(
        "ledger sums",
        "SELECT customer_id, ref_order_id, ref_order_no, sum(delta) FROM ledger
         WHERE kind IN ('earn', 'reverse') GROUP BY customer_id, ref_order_id HAVING sum(delta) != 0",
    );
    rows_of(
        "ledger others",
        "SELECT customer_id, created_at, delta, kind, ref_order_id, ref_order_no, ref_complaint_id, note
         FROM ledger WHERE kind NOT IN ('earn', 'reverse')",
    );
    conn.execute_batch(
        "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, customer_search, 'instance');",
    )
    .unwrap();
    rows_of(
        "customer_search",
        "SELECT term, doc, col, offset FROM temp.search_vocab",
    );
    out
}

/// The names of the tables `condition` (SQL on `sqlite_master`) keeps, in order.
pub fn table_names(conn: &Connection, condition: &str) -> Vec<String> {
    conn.prepare(&format!(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND ({condition}) ORDER BY name"
    ))
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Every row `sql` gives, each as its values joined, sorted.
pub fn sorted_rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let mut rows: Vec<String> = stmt
        .query_map([], |r| {
            let mut s = String::new();
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i)?;
                s.push_str(&format!("{v:?}|"));
            }
            Ok(s)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort();
    rows
}

/// The first difference between two dumps, for a readable failure.
pub fn first_difference(a: &[String], b: &[String]) -> Option<String> {
    for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
        if x != y {
            let table = a[..=i].iter().rev().find(|l| l.starts_with("== "));
            return Some(format!("line {i} in {table:?}:\n  {x}\n  {y}"));
        }
    }
    (a.len() != b.len()).then(|| format!("lengths {} and {}", a.len(), b.len()))
}

/// The dump without the predictions: fitted again after an undo commits, in
/// a transaction of their own (as after an import), and refitted by the next
/// read when a kill came between (the undo marks them out of date).
pub fn without_predictions(d: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = false;
    for l in d {
        if l.starts_with("== ") {
            skip = l.starts_with("== prediction");
        }
        if !skip {
            out.push(l.clone());
        }
    }
    out
}
