//! The end-of-file pass: customer aggregates (kept in memory for the
//! customers a file creates, refreshed from the orders for the others), the
//! lookup index text, the dropped indexes rebuilt, and points reconciled.

use super::{Loader, trace};
use crate::domain::text::{bigram_tokens, search_runs, unigram_tokens};
use crate::model::ReportKind;
use rusqlite::params;
use std::collections::{HashMap, HashSet};

/// One customer's order aggregates, kept while a file creates the customer, so
/// the customer row is written once instead of refreshed from the orders.
#[derive(Clone, Copy, Default)]
pub(super) struct Aggregate {
    pub(super) count: i64,
    pub(super) paid_fen: i64,
    pub(super) refund_fen: i64,
    pub(super) first_at: u64,
    pub(super) last_at: u64,
    /// The latest order (by creation time, then id).
    pub(super) last_id: i64,
    /// Valid orders (paid, shipped, completed): how many, and the latest
    /// creation time (0: none).
    pub(super) valid: i64,
    pub(super) last_valid_at: u64,
    /// The median gap between the valid orders, in seconds (0: no rhythm;
    /// set at the end of the file, see `fresh_rhythm`).
    pub(super) gap_s: i64,
    /// An order of this customer was updated, or a time is not in the stored
    /// form: refresh from the orders table as before.
    pub(super) slow: bool,
}

/// `YYYY-MM-DD HH:MM:SS` as the integer YYYYMMDDHHMMSS (same order); `None` for anything else.
pub(super) fn pack_time(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 19 {
        return None;
    }
    let mut v = 0u64;
    for (i, &c) in b.iter().enumerate() {
        match i {
            4 | 7 => (c == b'-').then_some(())?,
            10 => (c == b' ').then_some(())?,
            13 | 16 => (c == b':').then_some(())?,
            _ => {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + u64::from(c - b'0');
            }
        }
    }
    Some(v)
}

/// A packed time as a date and time, `None` when it is not a calendar date.
fn packed_datetime(v: u64) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDate::from_ymd_opt(
        (v / 10_000_000_000) as i32,
        (v / 100_000_000 % 100) as u32,
        (v / 1_000_000 % 100) as u32,
    )?
    .and_hms_opt(
        (v / 10_000 % 100) as u32,
        (v / 100 % 100) as u32,
        (v % 100) as u32,
    )
}

/// The reorder window `gap_s` after the packed time `last`: from one gap to
/// one and a half, as `db::rhythm::refresh` writes it.
fn reorder_window(last: u64, gap_s: i64) -> Option<(String, String)> {
    let last = packed_datetime(last)?;
    let after = |s: i64| crate::domain::time::fmt(last + chrono::Duration::seconds(s));
    Some((after(gap_s), after(3 * gap_s / 2)))
}

fn unpack_time(v: u64) -> String {
    let d = format!("{v:014}");
    format!(
        "{}-{}-{} {}:{}:{}",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    )
}

/// SQL for [`crate::domain::text::later_cell`]: the customer's name or phone
/// from their latest order's receiver, unless that one is blank or masked and
/// the stored one is not.
pub(crate) fn later_sql(new: &str, stored: &str) -> String {
    format!(
        "CASE WHEN coalesce({new}, '') = '' OR ((instr({new}, '*') > 0 OR instr({new}, '＊') > 0) AND {stored} != '')
         THEN {stored} ELSE {new} END"
    )
}

/// Orders written by a file above which its map of order numbers is not kept.
const KEEP_MAP_MAX_WRITTEN: u64 = 65_536;

/// New customers from which a file's lookup documents are written with
/// [`BIG_SEARCH_BUFFER`].
const BIG_INDEX_BUILD: usize = 65_536;
/// FTS5's buffer of pending index entries (its `hashsize`), by default
/// [`SEARCH_BUFFER`]. Each time the buffer fills, FTS5 writes it out as a new
/// segment and merges segments as they pile up: at 1M orders (429k
/// customers), a 16 MiB buffer writes about a sixteenth as many and takes
/// the documents from 3.4 s to 2.7 s, for no more peak memory (the pinyin
/// keys of the same pass weigh more). The index holds the same entries.
const BIG_SEARCH_BUFFER: i64 = 16 << 20;
/// FTS5's default buffer.
const SEARCH_BUFFER: i64 = 1 << 20;

/// Set the lookup index's buffer of pending entries for this connection.
/// FTS5 keeps every such setting in its config table; the default leaves no
/// row there, so setting it back removes the row, and the table reads as
/// one the index never had a setting in.
fn set_search_buffer(tx: &rusqlite::Connection, bytes: i64) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', ?)",
        [bytes],
    )?;
    if bytes == SEARCH_BUFFER {
        tx.execute(
            "DELETE FROM customer_search_config WHERE k = 'hashsize'",
            [],
        )?;
    }
    Ok(())
}

impl Loader<'_> {
    /// Refresh derived customer columns and the lookup index for what this file
    /// touched, rebuild what bulk mode took down, and reconcile points.
    pub(super) fn finish(&mut self) -> rusqlite::Result<()> {
        self.new_lines.flush(self.tx, self.batch_id)?;
        // The map of order numbers is kept for an item report after this
        // file (`Carried`) unless the file wrote many orders: the pass below
        // then builds much (lookup documents, points), and its memory comes
        // first; the item report reads the map again (0.3 s at 1M orders).
        if self.sum.orders_new + self.sum.orders_updated > KEEP_MAP_MAX_WRITTEN {
            self.map = None;
        }
        self.customers = HashMap::new();
        self.receivers = HashMap::new();
        self.rebuild_indexes("orders")?;
        self.rebuild_indexes("receivers")?;
        trace("rebuild orders/receivers idx");
        self.fresh_rhythm();
        let tx = self.tx;
        // Customers this file created: their aggregates are known (and
        // their name's sort key set with the name, in the same row write).
        {
            let mut upd = tx.prepare_cached(&format!(
                "UPDATE customers SET orders_count = ?1, paid_fen = ?2, refund_fen = ?3, first_order_at = ?4,
                   last_order_at = ?5, valid_orders = ?8, last_valid_at = ?9,
                   median_gap_s = ?10, reorder_from = ?11, reorder_until = ?12,
                   (last_order_no, last_order_status, name, phone, name_sort) =
                     (SELECT o.order_no, o.status, {name}, {phone}, kehu_name_sort({name})
                      FROM orders o LEFT JOIN receivers r ON r.id = o.receiver_id WHERE o.id = ?6)
                 WHERE id = ?7",
                name = later_sql("r.name", "customers.name"),
                phone = later_sql("r.phone", "customers.phone"),
            ))?;
            for (i, a) in self.fresh.iter().enumerate() {
                if a.slow || a.count == 0 {
                    continue;
                }
                let cid = self.customers_before + 1 + i as i64;
                let window = (a.gap_s > 0)
                    .then(|| reorder_window(a.last_valid_at, a.gap_s))
                    .flatten();
                upd.execute(params![
                    a.count,
                    a.paid_fen,
                    a.refund_fen,
                    unpack_time(a.first_at),
                    unpack_time(a.last_at),
                    a.last_id,
                    cid,
                    a.valid,
                    (a.last_valid_at > 0).then(|| unpack_time(a.last_valid_at)),
                    (a.gap_s > 0).then_some(a.gap_s),
                    window.as_ref().map(|w| &w.0),
                    window.as_ref().map(|w| &w.1),
                ])?;
            }
        }
        trace("fresh customers update");
        let fresh_ids = || {
            let base = self.customers_before;
            (0..self.fresh.len() as i64).map(move |i| base + 1 + i)
        };
        tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY); DELETE FROM temp.touched;")?;
        {
            let mut ins =
                tx.prepare_cached("INSERT OR IGNORE INTO temp.touched (id) VALUES (?)")?;
            for id in self.touched.iter().chain(self.doc_dirty.iter()) {
                ins.execute([id])?;
            }
            for (i, cid) in fresh_ids().enumerate() {
                let a = &self.fresh[i];
                if a.slow || a.count == 0 {
                    ins.execute([cid])?;
                }
            }
        }
        refresh_touched(tx)?;
        trace("touched refresh");
        // Their rhythm (Today's reorders; the new customers' was written
        // with their aggregates): only an order report moves orders, and
        // only buyers with 3+ valid orders have one (the others are cleared
        // where they had one).
        if self.kind == ReportKind::Orders {
            crate::db::rhythm::refresh(
                tx,
                "SELECT c.id FROM customers c
                 WHERE c.id IN (SELECT id FROM temp.touched)
                   AND (c.valid_orders >= 3 OR c.median_gap_s IS NOT NULL)",
            )?;
        }
        tx.execute_batch("DELETE FROM temp.touched;")?;
        trace("rhythm");
        let mut dirty: Vec<i64> = self.doc_dirty.iter().copied().collect();
        dirty.sort_unstable();
        {
            // Their pinyin keys too, written in key order after the documents.
            let mut keys = crate::db::pinyin::Keys::default();
            let mut nick_stmt = tx.prepare_cached("SELECT nick FROM customers WHERE id = ?")?;
            let mut names_stmt = tx.prepare_cached(super::DOC_NAMES_SQL)?;
            let mut del = tx.prepare_cached("DELETE FROM customer_search WHERE rowid = ?")?;
            let mut ins =
                tx.prepare_cached("INSERT INTO customer_search (rowid, bi, uni) VALUES (?, ?, ?)")?;
            for cid in dirty {
                let nick: String = nick_stmt.query_row([cid], |r| r.get(0))?;
                let names: Vec<String> = names_stmt
                    .query_map([cid], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let (bi, uni) = search_doc(&nick, &names);
                keys.add(cid, &nick, names.iter().map(String::as_str));
                del.execute([cid])?;
                ins.execute(params![cid, bi, uni])?;
            }
            // The customers this file created, in one pass: each with its
            // distinct receiver names in name order (as the query above gives them).
            let big = self.fresh.len() >= BIG_INDEX_BUILD;
            if big {
                set_search_buffer(tx, BIG_SEARCH_BUFFER)?;
            }
            crate::db::pinyin::each_customer_texts(
                tx,
                self.customers_before,
                |cid, nick, names| {
                    let (bi, uni) = search_doc(nick, names);
                    ins.execute(params![cid, bi, uni])?;
                    keys.add(cid, nick, names.iter().map(String::as_str));
                    Ok(())
                },
            )?;
            if big {
                set_search_buffer(tx, SEARCH_BUFFER)?;
            }
            trace("fts docs");
            keys.write(tx)?;
        }
        self.fresh = Vec::new();
        trace("pinyin keys");
        self.rebuild_indexes("customers")?;
        trace("customers idx");
        self.reconcile_points()?;
        trace("points");
        Ok(())
    }

    /// The reorder rhythm of the customers this file created, from their
    /// valid orders' times: the median gap into their aggregate (the window
    /// follows from it and their last valid order), as `db::rhythm::refresh`
    /// computes it in SQL. A customer with a time that is not a calendar
    /// date is left to that refresh (marked slow).
    fn fresh_rhythm(&mut self) {
        let mut times = std::mem::take(&mut self.fresh_valid_times);
        times.sort_unstable();
        let mut gaps = Vec::new();
        for run in times.chunk_by(|a, b| a.0 == b.0) {
            let a = &mut self.fresh[run[0].0 as usize];
            if run.len() < 3 || a.slow {
                continue;
            }
            let Some(at) = run
                .iter()
                .map(|&(_, at)| packed_datetime(at))
                .collect::<Option<Vec<_>>>()
            else {
                a.slow = true;
                continue;
            };
            gaps.clear();
            gaps.extend(at.windows(2).map(|w| (w[1] - w[0]).num_seconds()));
            gaps.sort_unstable();
            let n = gaps.len();
            // The middle one or two (1-based (n + 1) / 2 and (n + 2) / 2, as in SQL).
            let (lo, hi) = (n.div_ceil(2) - 1, n / 2);
            a.gap_s = (gaps[lo] + gaps[hi]) / 2;
        }
    }

    /// Earn/reverse entries for the orders this file changed, in the same
    /// transaction: the updated orders from before, then every order it inserted.
    fn reconcile_points(&mut self) -> rusqlite::Result<()> {
        let tx = self.tx;
        if !self.touched_orders.is_empty() {
            self.rebuild_indexes("ledger")?;
            tx.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS touched_orders (id INTEGER PRIMARY KEY); DELETE FROM temp.touched_orders;",
            )?;
            {
                let mut ins =
                    tx.prepare_cached("INSERT INTO temp.touched_orders (id) VALUES (?)")?;
                for id in &self.touched_orders {
                    ins.execute([id])?;
                }
            }
            crate::db::ledger::reconcile(tx, crate::db::ledger::Scope::Touched)?;
            tx.execute_batch("DELETE FROM temp.touched_orders;")?;
        }
        crate::db::ledger::reconcile(tx, crate::db::ledger::Scope::After(self.orders_before))?;
        self.rebuild_indexes("ledger")
    }
}

/// The two statements that refresh the order aggregates, latest order and
/// name of the customers `which` selects (an SQL condition on `customers`)
/// from their orders; a buyer whose only orders moved to another buyer keeps
/// name and phone.
pub(crate) fn refresh_customers_sql(which: &str) -> [String; 2] {
    [
        format!(
            "UPDATE customers SET
               (orders_count, paid_fen, refund_fen, first_order_at, last_order_at, valid_orders, last_valid_at) =
                 (SELECT count(*), coalesce(sum(paid_fen), 0), coalesce(sum(refund_fen), 0), min(created_at), max(created_at),
                    coalesce(sum(status IN ({valid})), 0), max(CASE WHEN status IN ({valid}) THEN created_at END)
                  FROM orders WHERE customer_id = customers.id),
               (last_order_no, last_order_status, name, phone, name_sort) =
                 (SELECT o.order_no, o.status, {name}, {phone}, kehu_name_sort({name})
                  FROM orders o LEFT JOIN receivers r ON r.id = o.receiver_id
                  WHERE o.customer_id = customers.id ORDER BY o.created_at DESC, o.id DESC LIMIT 1)
             WHERE {which} AND EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id)",
            valid = crate::domain::status::valid_codes_sql(),
            name = later_sql("r.name", "customers.name"),
            phone = later_sql("r.phone", "customers.phone"),
        ),
        format!(
            "UPDATE customers SET orders_count = 0, paid_fen = 0, refund_fen = 0, first_order_at = NULL,
               last_order_at = NULL, last_order_no = NULL, last_order_status = NULL,
               valid_orders = 0, last_valid_at = NULL
             WHERE {which} AND NOT EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id)"
        ),
    ]
}

/// Refresh the derived columns of the customers in `temp.touched` from their
/// orders (the end of a file, and an undo).
pub(crate) fn refresh_touched(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    for sql in refresh_customers_sql("id IN (SELECT id FROM temp.touched)") {
        conn.execute(&sql, [])?;
    }
    Ok(())
}

/// The lookup index text of one customer: bigrams of every run of the nickname
/// and receiver names, and their distinct single characters.
pub(crate) fn search_doc(nick: &str, names: &[String]) -> (String, String) {
    let mut bi = String::new();
    let mut uni = String::new();
    let mut seen = HashSet::new();
    for text in std::iter::once(nick).chain(names.iter().map(String::as_str)) {
        if !seen.insert(text) {
            continue;
        }
        for run in search_runs(text) {
            bigram_tokens(&run, &mut bi);
        }
    }
    let mut chars: Vec<char> = seen
        .iter()
        .flat_map(|t| search_runs(t))
        .flat_map(|r| r.chars().collect::<Vec<_>>())
        .collect();
    chars.sort_unstable();
    chars.dedup();
    for c in chars {
        let mut b = [0u8; 4];
        unigram_tokens(c.encode_utf8(&mut b), &mut uni);
    }
    (bi, uni)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_pack_in_order_and_back() {
        let a = pack_time("2024-01-31 23:59:59").unwrap();
        let b = pack_time("2024-02-01 00:00:00").unwrap();
        assert!(a < b);
        assert_eq!(unpack_time(a), "2024-01-31 23:59:59");
        for bad in [
            "2024-01-31",
            "2024/01/31 23:59:59",
            "2024-01-31T23:59:59",
            "2024-01-31 23:59:5x",
        ] {
            assert_eq!(pack_time(bad), None, "{bad}");
        }
    }

    /// Every entry of the lookup index, and its config table.
    fn index_entries(conn: &rusqlite::Connection) -> (Vec<String>, Vec<String>) {
        conn.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, customer_search, instance)",
        )
        .unwrap();
        let rows = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        (
            rows("SELECT term || ' ' || doc || ' ' || col || ' ' || offset FROM temp.v ORDER BY 1"),
            rows("SELECT k || '=' || v FROM customer_search_config ORDER BY k"),
        )
    }

    #[test]
    fn a_big_build_buffer_gives_the_same_index_and_leaves_no_setting() {
        let build = |buffer: Option<i64>| {
            let store = crate::db::Store::open_in_memory().unwrap();
            let conn = &store.conn;
            // A buffer smaller than the documents, so that the default one
            // is written out several times and the big one once.
            conn.execute(
                "INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', 4096)",
                [],
            )
            .unwrap();
            // One transaction, as an import's: FTS5 writes its buffer out
            // when full, and at the end.
            conn.execute_batch("BEGIN").unwrap();
            if let Some(b) = buffer {
                set_search_buffer(conn, b).unwrap();
            }
            let mut ins = conn
                .prepare("INSERT INTO customer_search (rowid, bi, uni) VALUES (?, ?, ?)")
                .unwrap();
            for i in 0..2_000i64 {
                let names = [format!(
                    "张{}",
                    ["伟", "芳", "小明", "秀英"][i as usize % 4]
                )];
                let (bi, uni) = search_doc(&format!("买家{i}号"), &names);
                ins.execute(params![i + 1, bi, uni]).unwrap();
            }
            drop(ins);
            if buffer.is_some() {
                set_search_buffer(conn, SEARCH_BUFFER).unwrap();
            }
            conn.execute_batch("COMMIT").unwrap();
            if buffer.is_none() {
                conn.execute(
                    "DELETE FROM customer_search_config WHERE k = 'hashsize'",
                    [],
                )
                .unwrap();
            }
            let segments: i64 = conn
                .query_row("SELECT count(*) FROM customer_search_data", [], |r| {
                    r.get(0)
                })
                .unwrap();
            (index_entries(conn), segments)
        };
        let (small, small_rows) = build(None);
        let (big, big_rows) = build(Some(BIG_SEARCH_BUFFER));
        assert!(big_rows < small_rows, "{big_rows} vs {small_rows}");
        assert_eq!(small.0.len(), big.0.len());
        assert!(small.0.len() > 10_000);
        assert_eq!(small, big);
        assert_eq!(big.1, vec!["version=4".to_string()]);
    }

    #[test]
    fn setting_the_buffer_back_removes_its_row() {
        let store = crate::db::Store::open_in_memory().unwrap();
        let config = || index_entries(&store.conn).1;
        set_search_buffer(&store.conn, BIG_SEARCH_BUFFER).unwrap();
        assert!(config().contains(&format!("hashsize={BIG_SEARCH_BUFFER}")));
        set_search_buffer(&store.conn, SEARCH_BUFFER).unwrap();
        assert_eq!(config(), vec!["version=4".to_string()]);
    }

    #[test]
    fn search_doc_counts_a_repeated_name_once() {
        let (bi, uni) = search_doc("小美", &["小美".to_string(), "张三".to_string()]);
        let (bi2, uni2) = search_doc("小美", &["张三".to_string()]);
        assert_eq!((bi, uni), (bi2, uni2));
    }
}
