//! The suggestions' counts kept up to date by an import without counting
//! every order again. While a file loads, temporary triggers note the stored
//! orders it changes as they were before (their buyer, time, validity, net
//! amount, and their titles when their lines change). At the end of the file
//! the buyers it touched (new orders, and the old and new buyer of a changed
//! order) lose their part of the counts as it was and gain it as it is.
//!
//! That is exact: every count is a sum of one part per buyer made from that
//! buyer's orders alone (the segment an order counts toward is the buyer's
//! just before it, from their earlier orders; the habit's calibration follows
//! each buyer's own history; its expectation is summed in whole millionths).
//! When the touched buyers hold more than a tenth of the shop's orders (and
//! more than [`SMALL_ORDERS`]), or the counts were not built with the rules
//! in force, the counts are marked out of date and rebuilt from every order.

use super::suggest::{built_with, count_orders, mark_stale};
use crate::domain::segment::{Segment, SegmentRules};
use crate::domain::suggest::counts::{Counts, OrderFacts};
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Below this many orders of the touched buyers, the update is always
/// incremental (it costs milliseconds whatever the shop's size).
const SMALL_ORDERS: i64 = 5_000;

/// Start noting what a file changes, when the counts are built with `rules`
/// and the shop has orders (`orders_before`: the highest order id before the
/// file). Returns whether it does.
pub(crate) fn begin(
    conn: &Connection,
    orders_before: i64,
    rules: &SegmentRules,
) -> rusqlite::Result<bool> {
    if orders_before == 0 || !built_with(conn, rules)? {
        return Ok(false);
    }
    let valid = crate::domain::status::valid_codes_sql();
    let lines = |event: &str, row: &str| {
        format!(
            "CREATE TEMP TRIGGER suggest_lines_{event} BEFORE {event} ON main.order_lines
             WHEN {row}.order_id <= {orders_before}
               AND NOT EXISTS (SELECT 1 FROM temp.suggest_lines_seen WHERE order_id = {row}.order_id)
             BEGIN
               INSERT INTO temp.suggest_old_lines (order_id, title)
                 SELECT order_id, title FROM main.order_lines WHERE order_id = {row}.order_id;
               INSERT INTO temp.suggest_lines_seen (order_id) VALUES ({row}.order_id);
             END;"
        )
    };
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS suggest_old_orders (
             id INTEGER PRIMARY KEY, customer_id INTEGER, at INTEGER, valid INTEGER, net INTEGER);
         CREATE TEMP TABLE IF NOT EXISTS suggest_old_lines (order_id INTEGER, title TEXT);
         CREATE TEMP TABLE IF NOT EXISTS suggest_lines_seen (order_id INTEGER PRIMARY KEY);
         DELETE FROM temp.suggest_old_orders; DELETE FROM temp.suggest_old_lines;
         DELETE FROM temp.suggest_lines_seen;
         DROP TRIGGER IF EXISTS temp.suggest_order_update;
         DROP TRIGGER IF EXISTS temp.suggest_lines_insert;
         DROP TRIGGER IF EXISTS temp.suggest_lines_delete;
         DROP TRIGGER IF EXISTS temp.suggest_lines_update;
         CREATE TEMP TRIGGER suggest_order_update BEFORE UPDATE ON main.orders
         WHEN OLD.id <= {orders_before}
         BEGIN
           INSERT OR IGNORE INTO temp.suggest_old_orders (id, customer_id, at, valid, net)
           VALUES (OLD.id, OLD.customer_id, CAST(strftime('%s', OLD.created_at) AS INTEGER),
                   OLD.status IN ({valid}), OLD.paid_fen - OLD.refund_fen);
         END;
         {} {} {}",
        lines("insert", "NEW"),
        lines("delete", "OLD"),
        lines("update", "OLD"),
    ))?;
    Ok(true)
}

/// Stop noting and forget what was noted.
fn end(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS temp.suggest_order_update;
         DROP TRIGGER IF EXISTS temp.suggest_lines_insert;
         DROP TRIGGER IF EXISTS temp.suggest_lines_delete;
         DROP TRIGGER IF EXISTS temp.suggest_lines_update;
         DROP TABLE IF EXISTS temp.suggest_old_orders;
         DROP TABLE IF EXISTS temp.suggest_old_lines;
         DROP TABLE IF EXISTS temp.suggest_lines_seen;
         DROP TABLE IF EXISTS temp.suggest_buyers;",
    )
}

/// How a file's end left the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing the counts read changed.
    Unchanged,
    /// Updated for this many touched buyers.
    Updated(usize),
    /// Marked out of date, to be rebuilt from every order.
    Stale,
}

/// After a file: bring the counts up to date for what it changed
/// (`changed`: it wrote orders or lines; `noting`: [`begin`] said yes).
pub(crate) fn finish(
    conn: &Connection,
    orders_before: i64,
    rules: &SegmentRules,
    changed: bool,
    noting: bool,
) -> rusqlite::Result<Outcome> {
    let out = if !changed {
        Outcome::Unchanged
    } else if !noting {
        mark_stale(conn)?;
        Outcome::Stale
    } else {
        update(conn, orders_before, rules)?
    };
    end(conn)?;
    Ok(out)
}

/// One order as the touched buyers' orders are read: its id and facts, with
/// titles as text.
struct Row {
    id: i64,
    customer: i64,
    at: i64,
    valid: bool,
    net_fen: i64,
    titles: Vec<String>,
}

fn update(
    conn: &Connection,
    orders_before: i64,
    rules: &SegmentRules,
) -> rusqlite::Result<Outcome> {
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS suggest_buyers (id INTEGER PRIMARY KEY);
         DELETE FROM temp.suggest_buyers;
         INSERT OR IGNORE INTO temp.suggest_buyers (id)
           SELECT customer_id FROM main.orders WHERE id > {orders_before};
         INSERT OR IGNORE INTO temp.suggest_buyers (id)
           SELECT customer_id FROM temp.suggest_old_orders;
         INSERT OR IGNORE INTO temp.suggest_buyers (id)
           SELECT o.customer_id FROM main.orders o
           WHERE o.id IN (SELECT id FROM temp.suggest_old_orders
                          UNION SELECT order_id FROM temp.suggest_lines_seen);"
    ))?;
    let (touched, all): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM main.orders
                 WHERE customer_id IN (SELECT id FROM temp.suggest_buyers)),
                (SELECT coalesce(max(id), 0) FROM main.orders)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if touched > SMALL_ORDERS && touched * 10 > all {
        mark_stale(conn)?;
        return Ok(Outcome::Stale);
    }
    let valid = crate::domain::status::valid_codes_sql();
    // The touched buyers' orders as they are, in id order.
    let mut now: Vec<Row> = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, customer_id, CAST(strftime('%s', created_at) AS INTEGER),
                    status IN ({valid}), paid_fen - refund_fen
             FROM main.orders WHERE customer_id IN (SELECT id FROM temp.suggest_buyers)
             ORDER BY id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            now.push(Row {
                id: r.get(0)?,
                customer: r.get(1)?,
                at: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                valid: r.get(3)?,
                net_fen: r.get(4)?,
                titles: Vec::new(),
            });
        }
    }
    {
        let mut stmt =
            conn.prepare_cached("SELECT title FROM main.order_lines WHERE order_id = ?")?;
        for r in &mut now {
            r.titles = stmt
                .query_map([r.id], |x| x.get(0))?
                .collect::<rusqlite::Result<_>>()?;
        }
    }
    // As they were: the stored ones with what the triggers noted (an order
    // that moved between buyers is read with its new buyer, touched too, and
    // counts here with its old one, touched as well).
    let mut old_orders: HashMap<i64, (i64, i64, bool, i64)> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT id, customer_id, at, valid, net FROM temp.suggest_old_orders")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            old_orders.insert(
                r.get(0)?,
                (
                    r.get(1)?,
                    r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    r.get(3)?,
                    r.get(4)?,
                ),
            );
        }
    }
    let mut old_lines: HashMap<i64, Vec<String>> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT order_id FROM temp.suggest_lines_seen")?;
        for id in stmt.query_map([], |r| r.get::<_, i64>(0))? {
            old_lines.insert(id?, Vec::new());
        }
        let mut stmt = conn.prepare("SELECT order_id, title FROM temp.suggest_old_lines")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            old_lines.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let buyers: HashSet<i64> = now.iter().map(|r| r.customer).collect();
    let mut was: Vec<Row> = Vec::new();
    for r in now.iter().filter(|r| r.id <= orders_before) {
        let (customer, at, valid, net_fen) = old_orders
            .get(&r.id)
            .copied()
            .unwrap_or((r.customer, r.at, r.valid, r.net_fen));
        let titles = old_lines
            .get(&r.id)
            .cloned()
            .unwrap_or_else(|| r.titles.clone());
        was.push(Row {
            id: r.id,
            customer,
            at,
            valid,
            net_fen,
            titles,
        });
    }
    let mut names: Vec<String> = now
        .iter()
        .chain(was.iter())
        .flat_map(|r| r.titles.iter().cloned())
        .collect();
    names.sort();
    names.dedup();
    let facts = |rows: &[Row]| -> Vec<OrderFacts> {
        rows.iter()
            .map(|r| {
                let mut titles: Vec<u32> = r
                    .titles
                    .iter()
                    .filter_map(|t| names.binary_search(t).ok().map(|i| i as u32))
                    .collect();
                titles.sort_unstable();
                titles.dedup();
                OrderFacts {
                    customer: r.customer,
                    at: r.at,
                    valid: r.valid,
                    net_fen: r.net_fen,
                    titles,
                }
            })
            .collect()
    };
    let before = count_orders(&facts(&was), names.len(), rules);
    let after = count_orders(&facts(&now), names.len(), rules);
    apply(conn, &names, &before, &after)?;
    Ok(Outcome::Updated(buyers.len()))
}

/// Write `after − before` into the kept counts (rows that reach 0 go).
fn apply(
    conn: &Connection,
    names: &[String],
    before: &Counts,
    after: &Counts,
) -> rusqlite::Result<()> {
    let d = |a: u64, b: u64| a as i64 - b as i64;
    let mut title = conn.prepare_cached(
        "INSERT INTO suggest_titles (title, orders) VALUES (?1, ?2)
         ON CONFLICT (title) DO UPDATE SET orders = orders + ?2",
    )?;
    let mut title_zero =
        conn.prepare_cached("DELETE FROM suggest_titles WHERE title = ? AND orders = 0")?;
    for (i, name) in names.iter().enumerate() {
        let n = d(after.title[i], before.title[i]);
        if n != 0 {
            title.execute(params![name, n])?;
            title_zero.execute([name])?;
        }
    }
    let mut pair = conn.prepare_cached(
        "INSERT INTO suggest_pairs (a, b, orders) VALUES (?1, ?2, ?3)
         ON CONFLICT (a, b) DO UPDATE SET orders = orders + ?3",
    )?;
    let mut pair_zero =
        conn.prepare_cached("DELETE FROM suggest_pairs WHERE a = ? AND b = ? AND orders = 0")?;
    for a in 0..names.len() {
        let mut delta: BTreeMap<u32, i64> = BTreeMap::new();
        for (&b, &n) in &after.pairs[a] {
            *delta.entry(b).or_default() += n as i64;
        }
        for (&b, &n) in &before.pairs[a] {
            *delta.entry(b).or_default() -= n as i64;
        }
        for (b, n) in delta.into_iter().filter(|(_, n)| *n != 0) {
            let b = &names[b as usize];
            pair.execute(params![names[a], b, n])?;
            pair_zero.execute(params![names[a], b])?;
        }
    }
    let mut seg = conn.prepare_cached(
        "INSERT INTO suggest_segments (segment, title, orders) VALUES (?1, ?2, ?3)
         ON CONFLICT (segment, title) DO UPDATE SET orders = orders + ?3",
    )?;
    let mut seg_zero = conn.prepare_cached(
        "DELETE FROM suggest_segments WHERE segment = ? AND title = ? AND orders = 0",
    )?;
    let mut total = conn.prepare_cached(
        "INSERT INTO suggest_totals (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = value + ?2",
    )?;
    for (s, segment) in Segment::ALL.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            let n = d(after.segment_title[s][i], before.segment_title[s][i]);
            if n != 0 {
                seg.execute(params![segment.code(), name, n])?;
                seg_zero.execute(params![segment.code(), name])?;
            }
        }
        total.execute(params![
            segment.code(),
            d(after.segment_orders[s], before.segment_orders[s])
        ])?;
    }
    total.execute(params!["", d(after.orders, before.orders)])?;
    total.execute(params![
        "repeat_seen",
        d(after.repeat_seen, before.repeat_seen)
    ])?;
    total.execute(params![
        "repeat_expected_ppm",
        d(after.repeat_expected_ppm, before.repeat_expected_ppm)
    ])?;
    Ok(())
}
