//! The loader half of import: typed rows into the database, one transaction per
//! file, prepared statements, progress reported as bytes read.

use super::Store;
use crate::domain::text::{bigram_tokens, search_runs, unigram_tokens};
use crate::domain::{OrderStatus, Platform, time};
use crate::import::parse::RowRef;
use crate::import::record::Fingerprint;
use crate::import::{LineRecord, OrderRecord, Refusal, RejectedRow, ReportKind, ReportReader};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

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
}

/// Rows after which a file is big enough for bulk mode (see [`ImportOptions`]).
pub const PRELOAD_AFTER_ROWS: u64 = 4096;

/// Bulk mode drops and rebuilds secondary indexes only when the database held
/// at most this many orders before the file: rebuilding is then cheaper than
/// maintaining the indexes row by row.
const REBUILD_INDEXES_MAX_ORDERS: i64 = 32_768;

/// What importing one file did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub kind: Option<ReportKind>,
    pub platform: Option<Platform>,
    pub encoding: String,
    pub rows: u64,
    pub orders_new: u64,
    pub orders_updated: u64,
    pub orders_unchanged: u64,
    /// Rows older than what is stored (a lower status): ignored.
    pub orders_stale: u64,
    pub customers_new: u64,
    /// Item rows of orders kehu holds (an item report's lines).
    pub lines: u64,
    /// Item rows written (the others were already stored as they are).
    pub lines_written: u64,
    /// Item rows of an older report (their status behind the stored lines'): ignored.
    pub lines_stale: u64,
    /// Serialized by the caller, which puts the reasons into the reader's words.
    #[serde(skip)]
    pub rejected: Vec<RejectedRow>,
    /// Status texts kehu does not know, with how many orders carry each.
    pub unknown_statuses: BTreeMap<String, u64>,
    /// Lines of order rows whose order an earlier row of the same file
    /// already gave, with different facts (the later row wins).
    pub duplicate_rows: Vec<u64>,
}

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
    /// Orders whose lines this file already wrote (a bit per order id), and
    /// the next line number of those whose rows came back later in the file.
    lines_seen: BitSet,
    lines_next: HashMap<i64, i64>,
    /// The highest order id with stored lines before this file: an item
    /// report's first group for a later order has nothing to replace.
    lines_before: i64,
    /// Orders this file's rows already gave (a bit per order id).
    orders_seen: BitSet,
    /// Bulk mode: stored order numbers in memory, in place of a look-up per row.
    map: Option<OrderMap>,
    /// Bulk mode on a nearly empty database: the indexes dropped, to rebuild.
    dropped: Vec<DroppedIndex>,
    preload_after: u64,
    sum: FileSummary,
}

/// A secondary index taken down for a bulk load, with the SQL that made it.
struct DroppedIndex {
    table: String,
    sql: String,
}

/// One customer's order aggregates, kept while a file creates the customer, so
/// the customer row is written once instead of refreshed from the orders.
#[derive(Clone, Copy, Default)]
struct Aggregate {
    count: i64,
    paid_fen: i64,
    refund_fen: i64,
    first_at: u64,
    last_at: u64,
    /// The latest order (by creation time, then id).
    last_id: i64,
    /// Valid orders (paid, shipped, completed): how many, and the latest
    /// creation time (0: none).
    valid: i64,
    last_valid_at: u64,
    /// An order of this customer was updated, or a time is not in the stored
    /// form: refresh from the orders table as before.
    slow: bool,
}

/// `YYYY-MM-DD HH:MM:SS` as the integer YYYYMMDDHHMMSS (same order); `None` for anything else.
fn pack_time(s: &str) -> Option<u64> {
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

/// A growable set of ids, one bit each.
#[derive(Default)]
struct BitSet(Vec<u64>);

impl BitSet {
    fn contains(&self, id: i64) -> bool {
        let i = id as u64 as usize;
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    fn insert(&mut self, id: i64) {
        let i = id as u64 as usize;
        if self.0.len() <= i / 64 {
            self.0.resize(i / 64 + 1, 0);
        }
        self.0[i / 64] |= 1 << (i % 64);
    }
}

/// An order number as a compact key: canonical decimal numbers of up to 19
/// digits (what platforms issue) as `u64`, anything else as text.
enum OrderKey<'s> {
    Num(u64),
    Text(&'s str),
}

fn order_key(no: &str) -> OrderKey<'_> {
    let b = no.as_bytes();
    if !b.is_empty()
        && b.len() <= 19
        && (b[0] != b'0' || b.len() == 1)
        && b.iter().all(u8::is_ascii_digit)
    {
        if let Ok(v) = no.parse() {
            return OrderKey::Num(v);
        }
    }
    OrderKey::Text(no)
}

/// The platform's order numbers → (order id, a stored value: `fp` while
/// loading an order report, `lines_fp` for an item report), read in one pass;
/// orders this file inserts after the read are added with their id only.
///
/// Numeric keys live in one flat array, in id order. A report lists its orders
/// in the order they were first imported, so a look-up first tries the entry
/// after the last one found (no hashing, memory read in sequence); only when
/// that guess fails is an open-addressing table of positions built (about
/// 8 bytes an order) and used from then on.
#[derive(Default)]
struct OrderMap {
    entries: Vec<Entry>,
    /// Positions in `entries` (`EMPTY` = free slot); a power of two long, or
    /// empty while no look-up has needed it.
    slots: Vec<u32>,
    /// The entry the next look-up tries first.
    cursor: usize,
    text: HashMap<Box<str>, Entry>,
}

/// Which stored fingerprint the map holds.
#[derive(Clone, Copy)]
enum Stored {
    /// The order row's (`orders.fp`).
    Fp,
    /// The order's item lines' (`order_lines_fp.fp`).
    LinesFp,
}

#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    id: i64,
    val: i64,
    state: ValState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ValState {
    /// Added by this file: the value is read from the row when needed.
    Unknown,
    Null,
    Known,
}

const EMPTY: u32 = u32::MAX;

/// What the map knows of an order: its id, and the stored value when it was read.
type Known = (i64, Option<Option<i64>>);

impl Entry {
    fn new(key: u64, id: i64, v: Option<Option<i64>>) -> Entry {
        let (val, state) = match v {
            None => (0, ValState::Unknown),
            Some(None) => (0, ValState::Null),
            Some(Some(v)) => (v, ValState::Known),
        };
        Entry {
            key,
            id,
            val,
            state,
        }
    }

    fn known(&self) -> Known {
        let v = match self.state {
            ValState::Unknown => None,
            ValState::Null => Some(None),
            ValState::Known => Some(Some(self.val)),
        };
        (self.id, v)
    }
}

impl OrderMap {
    fn load(tx: &Transaction, platform: Platform, column: Stored) -> rusqlite::Result<OrderMap> {
        let mut map = OrderMap::default();
        let mut stmt = tx.prepare(match column {
            Stored::Fp => "SELECT order_no, id, fp FROM orders WHERE platform = ? ORDER BY id",
            Stored::LinesFp => {
                "SELECT o.order_no, o.id, f.fp FROM orders o
                 LEFT JOIN order_lines_fp f ON f.order_id = o.id
                 WHERE o.platform = ? ORDER BY o.id"
            }
        })?;
        let mut rows = stmt.query([platform.code()])?;
        while let Some(r) = rows.next()? {
            let no = r.get_ref(0)?.as_str()?;
            let id: i64 = r.get(1)?;
            let v: Option<i64> = r.get(2)?;
            // Order numbers are unique per platform: no look-up needed.
            let e = Entry::new(0, id, Some(v));
            match order_key(no) {
                OrderKey::Num(key) => map.entries.push(Entry { key, ..e }),
                OrderKey::Text(t) => {
                    map.text.insert(t.into(), e);
                }
            }
        }
        Ok(map)
    }

    fn slot_of(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The slot holding `key`, or the free slot where it would go (`slots` not empty).
    fn find(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(key);
        loop {
            let p = self.slots[i];
            if p == EMPTY || self.entries[p as usize].key == key {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// (Re)build the table of positions, at most half full after `extra` more entries.
    fn index(&mut self, extra: usize) {
        let len = ((self.entries.len() + extra) * 2)
            .next_power_of_two()
            .max(1024);
        self.slots = vec![EMPTY; len];
        for (p, e) in self.entries.iter().enumerate() {
            let i = self.find(e.key);
            self.slots[i] = p as u32;
        }
    }

    /// The position of a numeric key in `entries`.
    fn position(&mut self, key: u64) -> Option<usize> {
        if let Some(e) = self.entries.get(self.cursor) {
            if e.key == key {
                self.cursor += 1;
                return Some(self.cursor - 1);
            }
        }
        // The entry just found again (an order's stored value being updated).
        if let Some(p) = self.cursor.checked_sub(1) {
            if self.entries.get(p).is_some_and(|e| e.key == key) {
                return Some(p);
            }
        }
        if self.slots.is_empty() {
            if self.entries.is_empty() {
                return None;
            }
            self.index(0);
        }
        match self.slots[self.find(key)] {
            EMPTY => None,
            p => {
                self.cursor = p as usize + 1;
                Some(p as usize)
            }
        }
    }

    fn get(&mut self, no: &str) -> Option<Known> {
        match order_key(no) {
            OrderKey::Num(key) => self.position(key).map(|p| self.entries[p].known()),
            OrderKey::Text(t) => self.text.get(t).map(Entry::known),
        }
    }

    /// A new stored value for an order the map holds.
    fn set(&mut self, no: &str, v: Option<i64>) {
        match order_key(no) {
            OrderKey::Num(key) => {
                if let Some(p) = self.position(key) {
                    let id = self.entries[p].id;
                    self.entries[p] = Entry::new(key, id, Some(v));
                }
            }
            OrderKey::Text(t) => {
                if let Some(e) = self.text.get_mut(t) {
                    *e = Entry::new(0, e.id, Some(v));
                }
            }
        }
    }

    /// An order this file inserted (not in the map: its look-up failed).
    fn add(&mut self, no: &str, id: i64) {
        match order_key(no) {
            OrderKey::Num(key) => {
                let p = self.entries.len();
                self.entries.push(Entry::new(key, id, None));
                if !self.slots.is_empty() {
                    // Keep the table at most half full.
                    if self.entries.len() * 2 > self.slots.len() {
                        self.index(self.entries.len());
                    } else {
                        let i = self.find(key);
                        self.slots[i] = p as u32;
                    }
                }
            }
            OrderKey::Text(t) => {
                self.text.insert(t.into(), Entry::new(0, id, None));
            }
        }
    }
}

struct StoredOrder {
    id: i64,
    customer_id: i64,
    status: OrderStatus,
    fp: i64,
}

/// With `KEHU_IMPORT_TRACE` set, the time since the first call and a phase name on stderr
/// (how the phase timings in docs/benchmarks.md are taken).
fn trace(what: &str) {
    use std::sync::OnceLock;
    static T0: OnceLock<std::time::Instant> = OnceLock::new();
    if std::env::var_os("KEHU_IMPORT_TRACE").is_some() {
        let t0 = T0.get_or_init(std::time::Instant::now);
        eprintln!("{:8.3} {what}", t0.elapsed().as_secs_f64());
    }
}

impl Store {
    /// Import one report. The whole file is one transaction: a refusal anywhere
    /// (undecodable bytes, a truncated end) rolls everything back.
    pub fn import_report<R: Read>(
        &mut self,
        file: &str,
        reader: ReportReader<R>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<FileSummary, ImportError> {
        let result = self.import_file(file, reader, opts, progress);
        // Bulk mode enlarges the page cache for the file: back to the default.
        self.conn
            .pragma_update(None, "cache_size", -(super::CACHE_KIB as i64))?;
        result
    }

    fn import_file<R: Read>(
        &mut self,
        file: &str,
        mut reader: ReportReader<R>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<FileSummary, ImportError> {
        trace("file");
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
                reader.encoding,
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
        let mut loader = Loader {
            tx: &tx,
            platform: reader.platform(),
            lang: reader.lang(),
            kind: reader.kind(),
            batch_id,
            now,
            customers_before: max_id("customers")?,
            orders_before: max_id("orders")?,
            customers: HashMap::new(),
            receivers: HashMap::new(),
            touched: HashSet::new(),
            touched_orders: HashSet::new(),
            doc_dirty: HashSet::new(),
            fresh: Vec::new(),
            lines_seen: BitSet::default(),
            lines_next: HashMap::new(),
            lines_before: tx.query_row(
                "SELECT coalesce(max(order_id), 0) FROM order_lines",
                [],
                |r| r.get(0),
            )?,
            orders_seen: BitSet::default(),
            map: None,
            dropped: Vec::new(),
            preload_after: opts.preload_after.unwrap_or(PRELOAD_AFTER_ROWS),
            sum: FileSummary {
                file: file.to_string(),
                kind: Some(reader.kind()),
                platform: Some(reader.platform()),
                encoding: reader.encoding.to_string(),
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
            if n % 4096 == 0 {
                progress(reader.bytes_read());
            }
        }
        if group_len > 0 {
            loader.line_group(&group[..group_len])?;
        }
        progress(reader.bytes_read());
        trace("rows");
        loader.finish()?;
        trace("finish");
        let sum = loader.sum;
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
        }
        Ok(sum)
    }
}

/// SQL for [`crate::domain::text::later_cell`]: the customer's name or phone
/// from their latest order's receiver, unless that one is blank or masked and
/// the stored one is not.
fn later_sql(new: &str, stored: &str) -> String {
    format!(
        "CASE WHEN coalesce({new}, '') = '' OR ((instr({new}, '*') > 0 OR instr({new}, '＊') > 0) AND {stored} != '')
         THEN {stored} ELSE {new} END"
    )
}

fn hash_receiver(cid: i64, name: &str, phone: &str, address: &str) -> u64 {
    Fingerprint::new()
        .int(cid)
        .str(name)
        .str(phone)
        .str(address)
        .finish() as u64
}

/// Page cache in bulk mode, in KiB (the connection's default is 32 MiB): at
/// 1M orders, 64 MiB takes a fresh import from about 60 s to 50 s for a peak
/// of about 185 MB instead of 150 MB.
const BULK_CACHE_KIB: u32 = 65_536;

/// The tables whose secondary indexes a bulk load of orders rebuilds.
const BULK_TABLES: [&str; 4] = ["orders", "receivers", "customers", "ledger"];

impl Loader<'_> {
    /// Switch to bulk mode: read the stored order numbers once; on a nearly
    /// empty database, also take the secondary indexes down (rebuilt in `finish`,
    /// inside this transaction, so a refused file still leaves nothing behind).
    fn go_bulk(&mut self) -> rusqlite::Result<()> {
        let column = match self.kind {
            ReportKind::Orders => Stored::Fp,
            ReportKind::Items => Stored::LinesFp,
        };
        self.map = Some(OrderMap::load(self.tx, self.platform, column)?);
        trace("order map read");
        // A big file: a larger page cache keeps the pages it revisits (foreign
        // key checks, unique indexes, the end-of-file passes) out of the WAL.
        self.tx
            .pragma_update(None, "cache_size", -(BULK_CACHE_KIB as i64))?;
        if self.kind == ReportKind::Orders && self.orders_before <= REBUILD_INDEXES_MAX_ORDERS {
            let mut stmt = self.tx.prepare(
                "SELECT name, tbl_name, sql FROM sqlite_master
                 WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?, ?, ?, ?) ORDER BY rowid",
            )?;
            let found: Vec<(String, String, String)> = stmt
                .query_map(BULK_TABLES, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, table, sql) in found {
                self.tx
                    .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
                self.dropped.push(DroppedIndex { table, sql });
            }
        }
        Ok(())
    }

    /// Rebuild the dropped indexes of `table`.
    fn rebuild_indexes(&mut self, table: &str) -> rusqlite::Result<()> {
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.dropped)
            .into_iter()
            .partition(|d| d.table == table);
        self.dropped = later;
        for d in now {
            self.tx.execute_batch(&d.sql)?;
        }
        Ok(())
    }

    fn is_fresh_customer(&self, cid: i64) -> bool {
        cid > self.customers_before
    }

    fn fresh_mut(&mut self, cid: i64) -> &mut Aggregate {
        let i = (cid - self.customers_before - 1) as usize;
        if self.fresh.len() <= i {
            self.fresh.resize(i + 1, Aggregate::default());
        }
        &mut self.fresh[i]
    }

    /// A customer's orders changed: note it for the end-of-file refresh.
    fn touch_customer(&mut self, cid: i64) {
        if self.is_fresh_customer(cid) {
            self.fresh_mut(cid).slow = true;
        } else {
            self.touched.insert(cid);
        }
    }

    fn reject(&mut self, r: RejectedRow) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO rejects (batch_id, file, line, reason, raw, created_at, reason_code, reason_params)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                self.batch_id,
                self.sum.file,
                r.line as i64,
                // The words too, in the import's language, for older versions of kehu.
                r.reason.text(self.lang),
                r.raw,
                self.now,
                r.reason.code(),
                r.reason.params_json(),
            ])?;
        self.sum.rejected.push(r);
        Ok(())
    }

    fn customer(&mut self, o: &OrderRecord) -> rusqlite::Result<i64> {
        if let Some(&id) = self.customers.get(&o.buyer_key) {
            return Ok(id);
        }
        // A database without customers before this file has none but those in
        // `self.customers` (every customer this file created is there).
        let existing: Option<i64> = if self.customers_before == 0 {
            None
        } else {
            self.tx
                .prepare_cached("SELECT id FROM customers WHERE platform = ? AND buyer_key = ?")?
                .query_row(params![self.platform.code(), o.buyer_key], |r| r.get(0))
                .optional()?
        };
        let id = match existing {
            Some(id) => id,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO customers (platform, buyer_key, nick, name, phone, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    )?
                    .execute(params![self.platform.code(), o.buyer_key, o.nick, o.name, o.phone, self.now])?;
                let id = self.tx.last_insert_rowid();
                self.fresh_mut(id);
                self.sum.customers_new += 1;
                id
            }
        };
        self.customers.insert(o.buyer_key.clone(), id);
        Ok(id)
    }

    fn receiver(&mut self, cid: i64, o: &OrderRecord) -> rusqlite::Result<Option<i64>> {
        if o.name.is_empty() && o.phone.is_empty() && o.address.is_empty() {
            return Ok(None);
        }
        let h = hash_receiver(cid, &o.name, &o.phone, &o.address);
        if let Some(&id) = self.receivers.get(&h) {
            return Ok(Some(id));
        }
        // A customer this file created has no receivers but those in
        // `self.receivers` (every receiver this file created is there).
        let existing: Option<i64> = if self.is_fresh_customer(cid) {
            None
        } else {
            self.tx
                .prepare_cached(
                    "SELECT id FROM receivers WHERE customer_id = ? AND name = ? AND phone = ? AND address = ?",
                )?
                .query_row(params![cid, o.name, o.phone, o.address], |r| r.get(0))
                .optional()?
        };
        let id = match existing {
            Some(id) => id,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO receivers (customer_id, name, phone, address, first_seen) VALUES (?, ?, ?, ?, ?)",
                    )?
                    .execute(params![cid, o.name, o.phone, o.address, o.created_at])?;
                if !self.is_fresh_customer(cid) {
                    self.doc_dirty.insert(cid);
                }
                self.tx.last_insert_rowid()
            }
        };
        self.receivers.insert(h, id);
        Ok(Some(id))
    }

    /// The stored order with this number. When the fingerprint `new_fp` matches
    /// the one in the map, only `id` and `fp` are filled in (the row is unchanged).
    fn stored_order(
        &mut self,
        order_no: &str,
        new_fp: i64,
    ) -> rusqlite::Result<Option<StoredOrder>> {
        let read = |r: &rusqlite::Row<'_>| {
            Ok(StoredOrder {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                status: OrderStatus::from_code(&r.get::<_, String>(2)?)
                    .unwrap_or(OrderStatus::Unknown),
                fp: r.get(3)?,
            })
        };
        let Some(map) = &mut self.map else {
            return self
                .tx
                .prepare_cached(
                    "SELECT id, customer_id, status, fp FROM orders WHERE order_no = ? AND platform = ?",
                )?
                .query_row(params![order_no, self.platform.code()], read)
                .optional();
        };
        match map.get(order_no) {
            None => Ok(None),
            // The stored fingerprint is known: an unchanged order needs no read.
            Some((id, Some(Some(fp)))) if fp == new_fp => Ok(Some(StoredOrder {
                id,
                customer_id: 0,
                status: OrderStatus::Unknown,
                fp,
            })),
            Some((id, _)) => self
                .tx
                .prepare_cached("SELECT id, customer_id, status, fp FROM orders WHERE id = ?")?
                .query_row([id], read)
                .map(Some),
        }
    }

    fn order(&mut self, o: &mut OrderRecord) -> rusqlite::Result<()> {
        if o.status == OrderStatus::Unknown {
            *self
                .sum
                .unknown_statuses
                .entry(o.status_raw.clone())
                .or_default() += 1;
        }
        let fp = o.fingerprint();
        let stored = self.stored_order(&o.order_no, fp)?;
        if let Some(s) = &stored {
            // Given by an earlier row of this file: the same facts change
            // nothing, others are a repeat the seller should hear of.
            if self.orders_seen.contains(s.id) && s.fp != fp {
                self.sum.duplicate_rows.push(o.line);
            }
            self.orders_seen.insert(s.id);
            if s.fp == fp {
                self.sum.orders_unchanged += 1;
                return Ok(());
            }
            if o.status.rank() < s.status.rank() {
                self.sum.orders_stale += 1;
                self.sum.orders_unchanged += 1;
                return Ok(());
            }
        }
        if let Some(s) = &stored {
            self.keep_stored(s.id, o)?;
        }
        let cid = self.customer(o)?;
        let rid = self.receiver(cid, o)?;
        match stored {
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO orders (platform, order_no, customer_id, receiver_id, status, status_raw,
                         goods_fen, postage_fen, total_fen, paid_fen, refund_fen, created_at, paid_at, shipped_at,
                         completed_at, title, item_kinds, item_qty, message, remark, carrier, tracking_no,
                         close_reason, shop, fp, batch_id)
                         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    )?
                    .execute(params![
                        self.platform.code(),
                        o.order_no,
                        cid,
                        rid,
                        o.status.code(),
                        o.status_raw,
                        o.goods_fen,
                        o.postage_fen,
                        o.total_fen,
                        o.paid_fen,
                        o.refund_fen,
                        o.created_at,
                        o.paid_at,
                        o.shipped_at,
                        o.completed_at,
                        o.title,
                        o.item_kinds,
                        o.item_qty,
                        o.message,
                        o.remark,
                        o.carrier,
                        o.tracking_no,
                        o.close_reason,
                        o.shop,
                        fp,
                        self.batch_id
                    ])?;
                let oid = self.tx.last_insert_rowid();
                self.orders_seen.insert(oid);
                if let Some(map) = &mut self.map {
                    map.add(&o.order_no, oid);
                }
                self.sum.orders_new += 1;
                if self.is_fresh_customer(cid) {
                    let at = pack_time(&o.created_at);
                    let a = self.fresh_mut(cid);
                    match at {
                        Some(at) => {
                            if a.count == 0 || at < a.first_at {
                                a.first_at = at;
                            }
                            if a.count == 0 || at >= a.last_at {
                                a.last_at = at;
                                a.last_id = oid;
                            }
                        }
                        None => a.slow = true,
                    }
                    a.count += 1;
                    if o.status.is_valid() {
                        a.valid += 1;
                        // `at` is known here, or the aggregate is refreshed (slow).
                        a.last_valid_at = a.last_valid_at.max(at.unwrap_or(0));
                    }
                    match (
                        a.paid_fen.checked_add(o.paid_fen),
                        a.refund_fen.checked_add(o.refund_fen),
                    ) {
                        (Some(p), Some(r)) => (a.paid_fen, a.refund_fen) = (p, r),
                        _ => a.slow = true,
                    }
                } else {
                    self.touched.insert(cid);
                }
                if let Some(l) = o.inline_line.take() {
                    self.write_lines(oid, std::slice::from_ref(&l), true)?;
                }
            }
            Some(s) => {
                // A closed order with a refund is refunded.
                if o.status == OrderStatus::Closed && o.refund_fen > 0 {
                    o.status = OrderStatus::Refunded;
                }
                let changed = self
                    .tx
                    .prepare_cached(
                        "UPDATE orders SET customer_id = ?1, receiver_id = ?2, status = ?3, status_raw = ?4,
                         goods_fen = ?5, postage_fen = ?6, total_fen = ?7, paid_fen = ?8, refund_fen = ?9,
                         created_at = ?10, paid_at = ?11, shipped_at = ?12, completed_at = ?13, title = ?14,
                         item_kinds = ?15, item_qty = ?16, message = ?17, remark = ?18, carrier = ?19,
                         tracking_no = ?20, close_reason = ?21, shop = ?22, updated_batch_id = ?23
                         WHERE id = ?24 AND (customer_id, receiver_id, status, status_raw, goods_fen, postage_fen,
                         total_fen, paid_fen, refund_fen, created_at, paid_at, shipped_at, completed_at, title,
                         item_kinds, item_qty, message, remark, carrier, tracking_no, close_reason, shop)
                         IS NOT (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                         ?18, ?19, ?20, ?21, ?22)",
                    )?
                    .execute(params![
                        cid,
                        rid,
                        o.status.code(),
                        o.status_raw,
                        o.goods_fen,
                        o.postage_fen,
                        o.total_fen,
                        o.paid_fen,
                        o.refund_fen,
                        o.created_at,
                        o.paid_at,
                        o.shipped_at,
                        o.completed_at,
                        o.title,
                        o.item_kinds,
                        o.item_qty,
                        o.message,
                        o.remark,
                        o.carrier,
                        o.tracking_no,
                        o.close_reason,
                        o.shop,
                        self.batch_id,
                        s.id
                    ])?;
                self.tx
                    .prepare_cached("UPDATE orders SET fp = ? WHERE id = ?")?
                    .execute(params![fp, s.id])?;
                if let Some(map) = &mut self.map {
                    map.set(&o.order_no, Some(fp));
                }
                let lines_changed = match o.inline_line.take() {
                    Some(l) => self.write_lines(s.id, std::slice::from_ref(&l), false)?,
                    None => false,
                };
                if changed > 0 || lines_changed {
                    self.sum.orders_updated += 1;
                    self.touch_customer(cid);
                    self.touch_customer(s.customer_id);
                    if s.id <= self.orders_before {
                        self.touched_orders.insert(s.id);
                    }
                } else {
                    self.sum.orders_unchanged += 1;
                }
            }
        }
        Ok(())
    }

    /// What a later row of a stored order may not take away: a refund amount
    /// never decreases, and a blank or masked cell never replaces a stored
    /// value (receiver, message, remark, logistics, times). Status and money
    /// otherwise follow the row.
    fn keep_stored(&mut self, oid: i64, o: &mut OrderRecord) -> rusqlite::Result<()> {
        use crate::domain::text::later_cell;
        let mut stmt = self.tx.prepare_cached(
            "SELECT o.refund_fen, coalesce(r.name, ''), coalesce(r.phone, ''), coalesce(r.address, ''),
                    o.message, o.remark, o.title, o.carrier, o.tracking_no, o.close_reason, o.shop,
                    coalesce(o.paid_at, ''), coalesce(o.shipped_at, ''), coalesce(o.completed_at, '')
             FROM orders o LEFT JOIN receivers r ON r.id = o.receiver_id WHERE o.id = ?",
        )?;
        let mut rows = stmt.query([oid])?;
        let Some(r) = rows.next()? else {
            return Ok(());
        };
        o.refund_fen = o.refund_fen.max(r.get(0)?);
        let keep = |i: usize, field: &mut String| -> rusqlite::Result<()> {
            let stored = r.get_ref(i)?.as_str()?;
            if later_cell(field, stored) != field.as_str() {
                field.clear();
                field.push_str(stored);
            }
            Ok(())
        };
        keep(1, &mut o.name)?;
        keep(2, &mut o.phone)?;
        keep(3, &mut o.address)?;
        keep(4, &mut o.message)?;
        keep(5, &mut o.remark)?;
        keep(6, &mut o.title)?;
        keep(7, &mut o.carrier)?;
        keep(8, &mut o.tracking_no)?;
        keep(9, &mut o.close_reason)?;
        keep(10, &mut o.shop)?;
        for (i, t) in [
            (11, &mut o.paid_at),
            (12, &mut o.shipped_at),
            (13, &mut o.completed_at),
        ] {
            let stored = r.get_ref(i)?.as_str()?;
            if t.as_deref().unwrap_or("").is_empty() && !stored.is_empty() {
                *t = Some(stored.to_string());
            }
        }
        Ok(())
    }

    /// Replace an order's lines when their fingerprint changed. Returns whether
    /// anything was written. `stored` is the order's `lines_fp` when already known.
    fn write_lines(
        &mut self,
        oid: i64,
        lines: &[LineRecord],
        is_new: bool,
    ) -> rusqlite::Result<bool> {
        self.write_lines_known(oid, lines, is_new, None)
    }

    fn write_lines_known(
        &mut self,
        oid: i64,
        lines: &[LineRecord],
        is_new: bool,
        stored: Option<Option<i64>>,
    ) -> rusqlite::Result<bool> {
        let mut f = Fingerprint::new();
        for l in lines {
            f.int(l.fingerprint());
        }
        let lines_fp = f.finish();
        if !is_new {
            let stored: Option<i64> = match stored {
                Some(v) => v,
                None => self
                    .tx
                    .prepare_cached("SELECT fp FROM order_lines_fp WHERE order_id = ?")?
                    .query_row([oid], |r| r.get(0))
                    .optional()?,
            };
            if stored == Some(lines_fp) {
                return Ok(false);
            }
            if self.kind == ReportKind::Items
                && oid <= self.lines_before
                && self.older_than_stored_lines(oid, lines)?
            {
                self.sum.lines_stale += lines.len() as u64;
                return Ok(false);
            }
            // In an item report this is the order's first group in the file
            // (later ones continue it), so an order above `lines_before` has
            // no lines to replace.
            let none_stored = self.kind == ReportKind::Items && oid > self.lines_before;
            if !none_stored {
                self.tx
                    .prepare_cached("DELETE FROM order_lines WHERE order_id = ?")?
                    .execute([oid])?;
            }
        }
        self.insert_lines(oid, 1, lines)?;
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO order_lines_fp (order_id, fp) VALUES (?, ?)")?
            .execute(params![oid, lines_fp])?;
        Ok(true)
    }

    /// Whether an item report's rows for an order come from an older report
    /// than its stored lines: their status ranks below the stored lines' (the
    /// stale-row rule of orders, applied to item rows). Rows without a known
    /// status cannot tell and are not older.
    fn older_than_stored_lines(&self, oid: i64, lines: &[LineRecord]) -> rusqlite::Result<bool> {
        let rank = |raw: &str, refund_fen: i64| match self.platform {
            Platform::Taobao => crate::domain::status::taobao_status(raw, refund_fen).rank(),
            Platform::Pdd => crate::domain::status::pdd_status(raw).rank(),
        };
        let new = lines
            .iter()
            .map(|l| rank(&l.status_raw, l.refund_fen))
            .max()
            .unwrap_or(0);
        if new == 0 {
            return Ok(false);
        }
        let mut stmt = self
            .tx
            .prepare_cached("SELECT status_raw, refund_fen FROM order_lines WHERE order_id = ?")?;
        let mut rows = stmt.query([oid])?;
        let mut stored = 0;
        while let Some(r) = rows.next()? {
            stored = stored.max(rank(r.get_ref(0)?.as_str()?, r.get(1)?));
        }
        Ok(new < stored)
    }

    fn insert_lines(
        &mut self,
        oid: i64,
        first_no: i64,
        lines: &[LineRecord],
    ) -> rusqlite::Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO order_lines (order_id, line_no, sub_order_no, title, props, price_fen, qty, refund_fen,
             status_raw, merchant_code, remark) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        )?;
        for (i, l) in lines.iter().enumerate() {
            stmt.execute(params![
                oid,
                first_no + i as i64,
                l.sub_order_no,
                l.title,
                l.props,
                l.price_fen,
                l.qty,
                l.refund_fen,
                l.status_raw,
                l.merchant_code,
                l.remark
            ])?;
        }
        self.sum.lines_written += lines.len() as u64;
        Ok(())
    }

    /// The item rows of one order, as they appear together in an item report.
    fn line_group(&mut self, group: &[LineRecord]) -> rusqlite::Result<()> {
        let order_no = group[0].order_no.clone();
        let found: Option<Known> = match &mut self.map {
            Some(map) => map.get(&order_no),
            None => self
                .tx
                .prepare_cached("SELECT id FROM orders WHERE order_no = ? AND platform = ?")?
                .query_row(params![order_no, self.platform.code()], |r| r.get(0))
                .optional()?
                .map(|id| (id, None)),
        };
        let Some((oid, stored_fp)) = found else {
            for l in group {
                self.reject(RejectedRow {
                    line: l.line,
                    reason: crate::import::Reason::OrderNotStored {
                        order_no: order_no.clone(),
                    },
                    raw: l.to_raw(),
                })?;
            }
            return Ok(());
        };
        self.sum.lines += group.len() as u64;
        if self.lines_seen.contains(oid) {
            // The same order appeared earlier in this file: its rows continue.
            let next = match self.lines_next.get(&oid) {
                Some(&n) => n,
                None => self
                    .tx
                    .prepare_cached(
                        "SELECT coalesce(max(line_no), 0) + 1 FROM order_lines WHERE order_id = ?",
                    )?
                    .query_row([oid], |r| r.get(0))?,
            };
            self.insert_lines(oid, next, group)?;
            self.lines_next.insert(oid, next + group.len() as i64);
            self.tx
                .prepare_cached("DELETE FROM order_lines_fp WHERE order_id = ?")?
                .execute([oid])?;
            return Ok(());
        }
        self.write_lines_known(oid, group, false, stored_fp)?;
        self.lines_seen.insert(oid);
        Ok(())
    }

    /// Refresh derived customer columns and the lookup index for what this file
    /// touched, rebuild what bulk mode took down, and reconcile points.
    fn finish(&mut self) -> rusqlite::Result<()> {
        self.map = None;
        self.customers = HashMap::new();
        self.receivers = HashMap::new();
        self.rebuild_indexes("orders")?;
        self.rebuild_indexes("receivers")?;
        trace("rebuild orders/receivers idx");
        let tx = self.tx;
        // Customers this file created: their aggregates are known.
        {
            let mut upd = tx.prepare_cached(&format!(
                "UPDATE customers SET orders_count = ?1, paid_fen = ?2, refund_fen = ?3, first_order_at = ?4,
                   last_order_at = ?5, valid_orders = ?8, last_valid_at = ?9,
                   (last_order_no, last_order_status, name, phone) =
                     (SELECT o.order_no, o.status, {name}, {phone}
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
        tx.execute_batch(&format!(
            "UPDATE customers SET
               (orders_count, paid_fen, refund_fen, first_order_at, last_order_at, valid_orders, last_valid_at) =
                 (SELECT count(*), coalesce(sum(paid_fen), 0), coalesce(sum(refund_fen), 0), min(created_at), max(created_at),
                    coalesce(sum(status IN ({valid})), 0), max(CASE WHEN status IN ({valid}) THEN created_at END)
                  FROM orders WHERE customer_id = customers.id),
               (last_order_no, last_order_status, name, phone) =
                 (SELECT o.order_no, o.status, {name}, {phone}
                  FROM orders o LEFT JOIN receivers r ON r.id = o.receiver_id
                  WHERE o.customer_id = customers.id ORDER BY o.created_at DESC, o.id DESC LIMIT 1)
             WHERE id IN (SELECT id FROM temp.touched)
               AND EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id);
             -- A buyer whose only orders moved to another buyer keeps name and phone.
             UPDATE customers SET orders_count = 0, paid_fen = 0, refund_fen = 0, first_order_at = NULL,
               last_order_at = NULL, last_order_no = NULL, last_order_status = NULL,
               valid_orders = 0, last_valid_at = NULL
             WHERE id IN (SELECT id FROM temp.touched)
               AND NOT EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id);
             DELETE FROM temp.touched;",
            valid = crate::domain::status::valid_codes_sql(),
            name = later_sql("r.name", "customers.name"),
            phone = later_sql("r.phone", "customers.phone"),
        ))?;
        trace("touched refresh");
        let mut dirty: Vec<i64> = self.doc_dirty.iter().copied().collect();
        dirty.sort_unstable();
        {
            let mut nick_stmt = tx.prepare_cached("SELECT nick FROM customers WHERE id = ?")?;
            let mut names_stmt =
                tx.prepare_cached("SELECT DISTINCT name FROM receivers WHERE customer_id = ?")?;
            let mut del = tx.prepare_cached("DELETE FROM customer_search WHERE rowid = ?")?;
            let mut ins =
                tx.prepare_cached("INSERT INTO customer_search (rowid, bi, uni) VALUES (?, ?, ?)")?;
            for cid in dirty {
                let nick: String = nick_stmt.query_row([cid], |r| r.get(0))?;
                let names: Vec<String> = names_stmt
                    .query_map([cid], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let (bi, uni) = search_doc(&nick, &names);
                del.execute([cid])?;
                ins.execute(params![cid, bi, uni])?;
            }
            // The customers this file created, in one pass: each with its
            // distinct receiver names in name order (as the query above gives them).
            let mut all = tx.prepare(
                "SELECT c.id, c.nick, r.name FROM customers c
                 LEFT JOIN receivers r ON r.customer_id = c.id
                 WHERE c.id > ? ORDER BY c.id, r.name",
            )?;
            let mut rows = all.query([self.customers_before])?;
            let mut cur: Option<(i64, String)> = None;
            let mut names: Vec<String> = Vec::new();
            let mut flush =
                |cur: &Option<(i64, String)>, names: &mut Vec<String>| -> rusqlite::Result<()> {
                    if let Some((cid, nick)) = cur {
                        let (bi, uni) = search_doc(nick, names);
                        ins.execute(params![cid, bi, uni])?;
                    }
                    names.clear();
                    Ok(())
                };
            while let Some(r) = rows.next()? {
                let cid: i64 = r.get(0)?;
                if cur.as_ref().is_none_or(|c| c.0 != cid) {
                    flush(&cur, &mut names)?;
                    cur = Some((cid, r.get(1)?));
                }
                if let Some(name) = r.get::<_, Option<String>>(2)? {
                    if names.last() != Some(&name) {
                        names.push(name);
                    }
                }
            }
            flush(&cur, &mut names)?;
        }
        self.fresh = Vec::new();
        trace("fts docs");
        self.rebuild_indexes("customers")?;
        trace("customers idx");
        self.reconcile_points()?;
        trace("points");
        Ok(())
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
            super::ledger::reconcile(tx, super::ledger::Scope::Touched)?;
            tx.execute_batch("DELETE FROM temp.touched_orders;")?;
        }
        super::ledger::reconcile(tx, super::ledger::Scope::After(self.orders_before))?;
        self.rebuild_indexes("ledger")
    }
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
mod migration_tests {
    use super::super::{MIGRATIONS, Store};

    /// Migration 006 gives every customer of a schema-5 database its valid
    /// orders (paid, shipped, completed) and the time of the latest, puts
    /// them in the list indexes, and keeps the rejected rows' text reasons.
    #[test]
    fn upgrade_to_6_fills_valid_orders_and_keeps_reject_texts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v5.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..5] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 5;
                 INSERT INTO customers (id, platform, buyer_key, nick, created_at, orders_count, paid_fen,
                     first_order_at, last_order_at) VALUES
                   (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00', 5, 30000, '2024-01-01 00:00:00', '2024-05-01 00:00:00'),
                   (2, 'taobao', 'b', 'b', '2024-01-01 00:00:00', 1, 0, '2024-02-01 00:00:00', '2024-02-01 00:00:00'),
                   (3, 'taobao', 'c', 'c', '2024-01-01 00:00:00', 0, 0, NULL, NULL);
                 INSERT INTO orders (id, platform, order_no, customer_id, status, status_raw, created_at, paid_fen, fp) VALUES
                   (1, 'taobao', '1001', 1, 'completed', '交易成功', '2024-01-01 00:00:00', 10000, 1),
                   (2, 'taobao', '1002', 1, 'shipped', '卖家已发货，等待买家确认', '2024-02-01 00:00:00', 10000, 2),
                   (3, 'taobao', '1003', 1, 'paid', '买家已付款，等待卖家发货', '2024-03-01 00:00:00', 10000, 3),
                   (4, 'taobao', '1004', 1, 'refunded', '交易关闭', '2024-04-01 00:00:00', 0, 4),
                   (5, 'taobao', '1005', 1, 'unpaid', '等待买家付款', '2024-05-01 00:00:00', 0, 5),
                   (6, 'taobao', '1006', 2, 'closed', '交易关闭', '2024-02-01 00:00:00', 0, 6);
                 INSERT INTO import_batches (id, file, kind, platform, encoding, started_at)
                   VALUES (1, 'a.csv', 'orders', 'taobao', 'utf-8', '2024-01-01 00:00:00');
                 INSERT INTO rejects (batch_id, file, line, reason, raw, created_at)
                   VALUES (1, 'a.csv', 7, '买家实际支付金额「abc」不是金额', '1007,x,abc', '2024-01-01 00:00:00');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let got: Vec<(i64, i64, Option<String>)> = store
            .conn
            .prepare("SELECT id, valid_orders, last_valid_at FROM customers ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            got,
            vec![
                (1, 3, Some("2024-03-01 00:00:00".to_string())),
                (2, 0, None),
                (3, 0, None)
            ]
        );
        for index in ["customers_last_order", "customers_paid"] {
            let cols: Vec<String> = store
                .conn
                .prepare(&format!("SELECT name FROM pragma_index_info('{index}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                cols.contains(&"valid_orders".to_string()),
                "{index}: {cols:?}"
            );
            assert!(
                cols.contains(&"last_valid_at".to_string()),
                "{index}: {cols:?}"
            );
        }
        // A reason stored as text before codes existed reads as it was written.
        let rejects = store.rejects().unwrap();
        assert_eq!(
            rejects[0].reason,
            crate::import::Reason::Text {
                text: "买家实际支付金额「abc」不是金额".into()
            }
        );
        let report = store.check().unwrap();
        assert!(
            !report.problems.iter().any(|p| p.contains("有效订单")),
            "{:?}",
            report.problems
        );
    }

    /// Migration 005 carries the item fingerprints of a schema-4 database over
    /// to `order_lines_fp` and drops the column from `orders`.
    #[test]
    fn item_fingerprints_move_to_their_own_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..4] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 4;
                 INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00');
                 INSERT INTO orders (id, platform, order_no, customer_id, status, status_raw, created_at, fp, lines_fp) VALUES
                   (1, 'taobao', '1001', 1, 'paid', '买家已付款', '2024-01-01 00:00:00', 7, -42),
                   (2, 'taobao', '1002', 1, 'paid', '买家已付款', '2024-01-02 00:00:00', 8, NULL),
                   (3, 'taobao', '1003', 1, 'paid', '买家已付款', '2024-01-03 00:00:00', 9, 123456789012);",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let moved: Vec<(i64, i64)> = store
            .conn
            .prepare("SELECT order_id, fp FROM order_lines_fp ORDER BY order_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(moved, vec![(1, -42), (3, 123456789012)]);
        let has_column: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'lines_fp'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(has_column, 0);
        let fps: Vec<i64> = store
            .conn
            .prepare("SELECT fp FROM orders ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(fps, vec![7, 8, 9]);
    }
}
