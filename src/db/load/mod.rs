//! The loader half of import: typed rows into the database, one transaction per
//! file, prepared statements, progress reported as bytes read.
//!
//! This module holds the entry point ([`Store::import_report`]), what a file's
//! import reports ([`FileSummary`]) and the working state of one file
//! (`Loader`); the work itself is in the submodules:
//! - `columns`: the order columns a row sets, listed once, and the SQL built
//!   from them;
//! - `orders`: one order row into `customers`, `receivers` and `orders`;
//! - `lines`: an item report's rows (an order's lines) into `order_lines`;
//! - `order_map`: the in-memory map of stored order numbers bulk mode reads;
//! - `bulk`: switching to bulk mode (the map, a larger cache, indexes down);
//! - `finish`: the end-of-file pass (customer aggregates, lookup index,
//!   indexes rebuilt, points reconciled).

mod bulk;
mod columns;
mod finish;
pub(crate) use finish::{refresh_customers_sql, refresh_touched, search_doc};

/// The names in a customer's lookup document beside its nickname: its
/// receiver names, and the nicknames of the customers merged into it
/// (`db/merge.rs`), in name order.
pub(crate) const DOC_NAMES_SQL: &str = "SELECT name FROM receivers WHERE customer_id = ?1
     UNION SELECT nick FROM customers WHERE merged_into = ?1 ORDER BY 1";
mod lines;
mod order_map;
mod orders;

use self::bulk::DroppedIndex;
use self::finish::Aggregate;
use self::order_map::{BitSet, OrderMap};
use super::Store;
use crate::domain::{Platform, time};
pub use crate::model::FileSummary;
use crate::model::{LineRecord, Records, Refusal, ReportKind, RowRef};
use rusqlite::{Transaction, params};
use std::collections::{HashMap, HashSet};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("数据库错误：{0}")]
    Db(#[from] rusqlite::Error),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub dry_run: bool,
    /// Rows loaded one by one (an indexed look-up per row) before the loader
    /// switches to bulk mode: stored order numbers read in one pass into a
    /// compact map, and — when the database held few orders — secondary indexes
    /// rebuilt once at the end of the file. `None`: [`PRELOAD_AFTER_ROWS`].
    /// The result is the same either way; tests set 0 to cover bulk mode.
    pub preload_after: Option<u64>,
    /// Import the rows of erased buyers too (`kehu import --allow-erased`);
    /// without it they are rejected ("erased customer", db/privacy.rs).
    pub allow_erased: bool,
}

/// An order report's map of the platform's order numbers, kept after its
/// file for the item report that follows in the same run: the same orders,
/// so that file reads only its lines' fingerprints.
pub(crate) struct Carried {
    platform: Platform,
    map: OrderMap,
    /// The rows this connection had changed, and the database's data
    /// version, when the order report was committed: if anything was written
    /// since (here, or by another connection), the map is not used.
    changes: u64,
    data_version: i64,
}

fn data_version(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}

/// Rows after which a file is big enough for bulk mode (see [`ImportOptions`]).
pub const PRELOAD_AFTER_ROWS: u64 = 4096;

/// Working state of one file's import.
struct Loader<'a> {
    tx: &'a Transaction<'a>,
    platform: Platform,
    /// The import's language: rejected rows keep their reason in its words too.
    lang: crate::i18n::Lang,
    kind: ReportKind,
    batch_id: i64,
    now: String,
    /// Highest customer and order ids before this file: ids above them were
    /// created by this file (ids only grow; nothing else writes meanwhile).
    customers_before: i64,
    orders_before: i64,
    /// Some buyer was erased and the import rejects their rows: a key not
    /// stored is looked up among the erased ones before a customer is made.
    check_erased: bool,
    customers: HashMap<String, i64>,
    receivers: HashMap<u64, i64>,
    /// Customers from before this file whose orders changed (the new ones are
    /// all refreshed).
    touched: HashSet<i64>,
    /// Orders from before this file that this file updated: their points are
    /// reconciled in `finish` (with every order the file inserted).
    touched_orders: HashSet<i64>,
    /// Customers from before this file whose lookup text may have changed.
    doc_dirty: HashSet<i64>,
    /// Running aggregates of the customers this file created, by id − `customers_before` − 1.
    fresh: Vec<Aggregate>,
    /// The valid orders' creation times of the customers this file created
    /// (index in `fresh`, packed time), for their reorder rhythm.
    fresh_valid_times: Vec<(u32, u64)>,
    /// Orders whose lines this file already wrote (a bit per order id), and
    /// the next line number of those whose rows came back later in the file.
    lines_seen: BitSet,
    lines_next: HashMap<i64, i64>,
    /// The highest order id with stored lines before this file: an item
    /// report's first group for a later order has nothing to replace.
    lines_before: i64,
    /// The orders above `lines_before` whose lines this file writes, for its undo.
    new_lines: crate::db::undo_keep::NewLines,
    /// Orders this file's rows already gave (a bit per order id).
    orders_seen: BitSet,
    /// Bulk mode: stored order numbers in memory, in place of a look-up per row.
    map: Option<OrderMap>,
    /// The map the order report before this file left, still true (see [`Carried`]).
    carried: Option<OrderMap>,
    /// Bulk mode on a nearly empty database: the indexes dropped, to rebuild.
    dropped: Vec<DroppedIndex>,
    preload_after: u64,
    sum: FileSummary,
}

/// With `KEHU_IMPORT_TRACE` set, the time since the first call, the process's
/// resident memory now and at its peak (MB, where `/proc` tells), and a phase
/// name on stderr (how the phase timings in docs/benchmarks.md are taken).
pub(crate) fn trace(what: &str) {
    use std::sync::OnceLock;
    static T0: OnceLock<std::time::Instant> = OnceLock::new();
    if std::env::var_os("KEHU_IMPORT_TRACE").is_some() {
        let t0 = T0.get_or_init(std::time::Instant::now);
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let mb = |key: &str| -> String {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .map_or_else(|| "-".into(), |kb| (kb / 1024).to_string())
        };
        eprintln!(
            "{:8.3} {:>4} {:>4} MB {what}",
            t0.elapsed().as_secs_f64(),
            mb("VmRSS:"),
            mb("VmHWM:")
        );
    }
}

impl Store {
    /// The end of an import run: an order report's map is for the item
    /// report of the same run only, not kept in a long-lived app.
    pub(crate) fn end_import_run(&mut self) {
        self.carried = None;
    }

    /// Import one report. The whole file is one transaction: a refusal anywhere
    /// (undecodable bytes, a truncated end) rolls everything back.
    pub fn import_report<R: Records>(
        &mut self,
        file: &str,
        reader: R,
        opts: ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<FileSummary, ImportError> {
        let result = self.import_file(file, reader, opts, progress);
        // Bulk mode enlarges the page cache for the file: back to the default.
        self.conn
            .pragma_update(None, "cache_size", -(super::CACHE_KIB as i64))?;
        crate::db::dbfile::release_freed_memory();
        trace("memory released");
        result
    }

    fn import_file<R: Records>(
        &mut self,
        file: &str,
        mut reader: R,
        opts: ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<FileSummary, ImportError> {
        trace("file");
        let platform = reader.platform();
        let carried = match self.carried.take() {
            Some(c)
                if c.platform == platform
                    && c.changes == self.conn.total_changes()
                    && c.data_version == data_version(&self.conn)? =>
            {
                Some(c.map)
            }
            _ => None,
        };
        let rules = self.segment_rules();
        let tx = self.conn.transaction()?;
        let now = time::now_text();
        tx.execute(
            "INSERT INTO import_batches (file, kind, platform, encoding, started_at) VALUES (?, ?, ?, ?, ?)",
            params![
                file,
                match reader.kind() {
                    ReportKind::Orders => "orders",
                    ReportKind::Items => "items",
                },
                reader.platform().code(),
                reader.encoding(),
                now
            ],
        )?;
        let batch_id = tx.last_insert_rowid();
        let max_id = |table: &str| -> rusqlite::Result<i64> {
            tx.query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )
        };
        let orders_before: i64 = max_id("orders")?;
        super::undo_keep::mark_start(&tx, batch_id, max_id("customers")?)?;
        // The suggestions' counts follow what the file changes (db/suggest_inc.rs).
        let noting = super::suggest_inc::begin(&tx, orders_before, &rules)?;
        let mut loader = Loader {
            tx: &tx,
            platform: reader.platform(),
            lang: reader.lang(),
            kind: reader.kind(),
            batch_id,
            now,
            customers_before: max_id("customers")?,
            orders_before,
            customers: HashMap::new(),
            receivers: HashMap::new(),
            touched: HashSet::new(),
            touched_orders: HashSet::new(),
            doc_dirty: HashSet::new(),
            fresh: Vec::new(),
            fresh_valid_times: Vec::new(),
            lines_seen: BitSet::default(),
            lines_next: HashMap::new(),
            lines_before: tx.query_row(
                "SELECT coalesce(max(order_id), 0) FROM order_lines",
                [],
                |r| r.get(0),
            )?,
            new_lines: Default::default(),
            orders_seen: BitSet::default(),
            map: None,
            carried,
            dropped: Vec::new(),
            preload_after: opts.preload_after.unwrap_or(PRELOAD_AFTER_ROWS),
            check_erased: !opts.allow_erased && crate::db::privacy::any_erased(&tx)?,
            sum: FileSummary {
                file: file.to_string(),
                batch: (!opts.dry_run).then_some(batch_id),
                kind: Some(reader.kind()),
                platform: Some(reader.platform()),
                encoding: reader.encoding().to_string(),
                ..FileSummary::default()
            },
        };
        // The item rows of the current order; the records are reused (swapped
        // with the reader's), only the first `group_len` are this order's.
        let mut group: Vec<LineRecord> = Vec::new();
        let mut group_len = 0;
        let mut n = 0u64;
        while let Some(row) = reader.next_ref()? {
            if n == loader.preload_after {
                loader.go_bulk()?;
            }
            n += 1;
            loader.sum.rows += 1;
            match row {
                RowRef::Order(o) => loader.order(o)?,
                RowRef::Line(l) => {
                    if group_len > 0 && group[0].order_no != l.order_no {
                        loader.line_group(&group[..group_len])?;
                        group_len = 0;
                    }
                    if group_len == group.len() {
                        group.push(std::mem::take(l));
                    } else {
                        std::mem::swap(&mut group[group_len], l);
                    }
                    group_len += 1;
                }
                RowRef::Rejected(r) => loader.reject(r)?,
            }
            if n.is_multiple_of(4096) {
                progress(reader.bytes_read());
            }
        }
        if group_len > 0 {
            loader.line_group(&group[..group_len])?;
        }
        progress(reader.bytes_read());
        if let Some(rows) = reader.rows_read() {
            loader.sum.rows = rows;
        }
        trace("rows");
        loader.finish()?;
        trace("finish");
        let sum = loader.sum;
        let map = loader.map.filter(|_| loader.kind == ReportKind::Orders);
        // The suggestions' counts: updated for the buyers the file touched,
        // or marked to be rebuilt before they are next read.
        let changed = sum.orders_new + sum.orders_updated + sum.lines_written > 0;
        let counts = super::suggest_inc::finish(&tx, orders_before, &rules, changed, noting)?;
        trace(&format!("suggest counts: {counts:?}"));
        super::undo_keep::mark_end(&tx, batch_id)?;
        tx.execute(
            "UPDATE import_batches SET finished_at = ?, rows = ?, orders_new = ?, orders_updated = ?,
             orders_unchanged = ?, customers_new = ?, lines = ?, rejected = ? WHERE id = ?",
            params![
                time::now_text(),
                sum.rows as i64,
                sum.orders_new as i64,
                sum.orders_updated as i64,
                sum.orders_unchanged as i64,
                sum.customers_new as i64,
                sum.lines as i64,
                sum.rejected.len() as i64,
                batch_id
            ],
        )?;
        if opts.dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
            trace("commit");
            if let Some(map) = map {
                self.carried = Some(Carried {
                    platform,
                    map,
                    changes: self.conn.total_changes(),
                    data_version: data_version(&self.conn)?,
                });
            }
        }
        Ok(sum)
    }
}
