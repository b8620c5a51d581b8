//! The loader half of import: typed rows into the database, one transaction per
//! file, prepared statements, progress reported as bytes read.

use super::Store;
use crate::domain::text::{bigram_tokens, search_runs, unigram_tokens};
use crate::domain::{OrderStatus, Platform, time};
use crate::import::record::Fingerprint;
use crate::import::{LineRecord, OrderRecord, Refusal, RejectedRow, ReportKind, ReportReader, Row};
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
}

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
    pub lines: u64,
    pub lines_written: u64,
    pub rejected: Vec<RejectedRow>,
    /// Status texts kehu does not know, with how many orders carry each.
    pub unknown_statuses: BTreeMap<String, u64>,
}

/// Working state of one file's import.
struct Loader<'a> {
    tx: &'a Transaction<'a>,
    platform: Platform,
    batch_id: i64,
    now: String,
    customers: HashMap<String, i64>,
    receivers: HashMap<u64, i64>,
    touched: HashSet<i64>,
    /// Orders this file inserted or updated: their points are reconciled in `finish`.
    touched_orders: HashSet<i64>,
    new_customers: HashSet<i64>,
    doc_dirty: HashSet<i64>,
    /// Orders whose lines this file already wrote: next line number.
    lines_seen: HashMap<i64, i64>,
    sum: FileSummary,
}

struct StoredOrder {
    id: i64,
    customer_id: i64,
    status: OrderStatus,
    fp: i64,
}

impl Store {
    /// Import one report. The whole file is one transaction: a refusal anywhere
    /// (undecodable bytes, a truncated end) rolls everything back.
    pub fn import_report<R: Read>(
        &mut self,
        file: &str,
        mut reader: ReportReader<R>,
        opts: ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<FileSummary, ImportError> {
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
        let mut loader = Loader {
            tx: &tx,
            platform: reader.platform(),
            batch_id,
            now,
            customers: HashMap::new(),
            receivers: HashMap::new(),
            touched: HashSet::new(),
            touched_orders: HashSet::new(),
            new_customers: HashSet::new(),
            doc_dirty: HashSet::new(),
            lines_seen: HashMap::new(),
            sum: FileSummary {
                file: file.to_string(),
                kind: Some(reader.kind()),
                platform: Some(reader.platform()),
                encoding: reader.encoding.to_string(),
                ..FileSummary::default()
            },
        };
        let mut group: Vec<LineRecord> = Vec::new();
        let mut n = 0u64;
        while let Some(row) = reader.next_row()? {
            n += 1;
            if n % 4096 == 0 {
                progress(reader.bytes_read());
            }
            loader.sum.rows += 1;
            match row {
                Row::Order(o) => loader.order(*o)?,
                Row::Line(l) => {
                    if group.first().is_some_and(|g| g.order_no != l.order_no) {
                        loader.line_group(std::mem::take(&mut group))?;
                    }
                    group.push(l);
                }
                Row::Rejected(r) => loader.reject(r)?,
            }
        }
        if !group.is_empty() {
            loader.line_group(group)?;
        }
        progress(reader.bytes_read());
        loader.finish()?;
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
        }
        Ok(sum)
    }
}

fn hash_receiver(cid: i64, name: &str, phone: &str, address: &str) -> u64 {
    Fingerprint::new()
        .int(cid)
        .str(name)
        .str(phone)
        .str(address)
        .finish() as u64
}

impl Loader<'_> {
    fn reject(&mut self, r: RejectedRow) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO rejects (batch_id, file, line, reason, raw, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                self.batch_id,
                self.sum.file,
                r.line as i64,
                r.reason,
                r.raw,
                self.now
            ])?;
        self.sum.rejected.push(r);
        Ok(())
    }

    fn customer(&mut self, o: &OrderRecord) -> rusqlite::Result<i64> {
        if let Some(&id) = self.customers.get(&o.buyer_key) {
            return Ok(id);
        }
        let existing: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM customers WHERE platform = ? AND buyer_key = ?")?
            .query_row(params![self.platform.code(), o.buyer_key], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO customers (platform, buyer_key, nick, name, phone, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    )?
                    .execute(params![self.platform.code(), o.buyer_key, o.nick, o.name, o.phone, self.now])?;
                let id = self.tx.last_insert_rowid();
                self.new_customers.insert(id);
                self.doc_dirty.insert(id);
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
        let existing: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT id FROM receivers WHERE customer_id = ? AND name = ? AND phone = ? AND address = ?",
            )?
            .query_row(params![cid, o.name, o.phone, o.address], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO receivers (customer_id, name, phone, address, first_seen) VALUES (?, ?, ?, ?, ?)",
                    )?
                    .execute(params![cid, o.name, o.phone, o.address, o.created_at])?;
                self.doc_dirty.insert(cid);
                self.tx.last_insert_rowid()
            }
        };
        self.receivers.insert(h, id);
        Ok(Some(id))
    }

    fn stored_order(&self, order_no: &str) -> rusqlite::Result<Option<StoredOrder>> {
        self.tx
            .prepare_cached(
                "SELECT id, customer_id, status, fp FROM orders WHERE order_no = ? AND platform = ?",
            )?
            .query_row(params![order_no, self.platform.code()], |r| {
                Ok(StoredOrder {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    status: OrderStatus::from_code(&r.get::<_, String>(2)?)
                        .unwrap_or(OrderStatus::Unknown),
                    fp: r.get(3)?,
                })
            })
            .optional()
    }

    fn order(&mut self, mut o: OrderRecord) -> rusqlite::Result<()> {
        if o.status == OrderStatus::Unknown {
            *self
                .sum
                .unknown_statuses
                .entry(o.status_raw.clone())
                .or_default() += 1;
        }
        let fp = o.fingerprint();
        let stored = self.stored_order(&o.order_no)?;
        if let Some(s) = &stored {
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
        let cid = self.customer(&o)?;
        let rid = self.receiver(cid, &o)?;
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
                self.sum.orders_new += 1;
                self.touched.insert(cid);
                self.touched_orders.insert(oid);
                if let Some(l) = o.inline_line.take() {
                    self.write_lines(oid, std::slice::from_ref(&l), true)?;
                }
            }
            Some(s) => {
                // A refund amount never decreases; a closed order with a refund is refunded.
                let stored_refund: i64 = self
                    .tx
                    .prepare_cached("SELECT refund_fen FROM orders WHERE id = ?")?
                    .query_row([s.id], |r| r.get(0))?;
                o.refund_fen = o.refund_fen.max(stored_refund);
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
                let lines_changed = match o.inline_line.take() {
                    Some(l) => self.write_lines(s.id, std::slice::from_ref(&l), false)?,
                    None => false,
                };
                if changed > 0 || lines_changed {
                    self.sum.orders_updated += 1;
                    self.touched.insert(cid);
                    self.touched.insert(s.customer_id);
                    self.touched_orders.insert(s.id);
                } else {
                    self.sum.orders_unchanged += 1;
                }
            }
        }
        Ok(())
    }

    /// Replace an order's lines when their fingerprint changed. Returns whether anything was written.
    fn write_lines(
        &mut self,
        oid: i64,
        lines: &[LineRecord],
        is_new: bool,
    ) -> rusqlite::Result<bool> {
        let mut f = Fingerprint::new();
        for l in lines {
            f.int(l.fingerprint());
        }
        let lines_fp = f.finish();
        if !is_new {
            let stored: Option<i64> = self
                .tx
                .prepare_cached("SELECT lines_fp FROM orders WHERE id = ?")?
                .query_row([oid], |r| r.get(0))?;
            if stored == Some(lines_fp) {
                return Ok(false);
            }
            self.tx
                .prepare_cached("DELETE FROM order_lines WHERE order_id = ?")?
                .execute([oid])?;
        }
        self.insert_lines(oid, 1, lines)?;
        self.tx
            .prepare_cached("UPDATE orders SET lines_fp = ? WHERE id = ?")?
            .execute(params![lines_fp, oid])?;
        Ok(true)
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
    fn line_group(&mut self, group: Vec<LineRecord>) -> rusqlite::Result<()> {
        let order_no = group[0].order_no.clone();
        let oid: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM orders WHERE order_no = ? AND platform = ?")?
            .query_row(params![order_no, self.platform.code()], |r| r.get(0))
            .optional()?;
        let Some(oid) = oid else {
            for l in group {
                self.reject(RejectedRow {
                    line: l.line,
                    reason: format!(
                        "订单 {order_no} 不在数据库中：请先导入（或同时导入）对应的订单报表"
                    ),
                    raw: l.to_raw(),
                })?;
            }
            return Ok(());
        };
        self.sum.lines += group.len() as u64;
        if let Some(next) = self.lines_seen.get(&oid).copied() {
            // The same order appeared earlier in this file: its rows continue.
            self.insert_lines(oid, next, &group)?;
            self.lines_seen.insert(oid, next + group.len() as i64);
            self.tx
                .prepare_cached("UPDATE orders SET lines_fp = NULL WHERE id = ?")?
                .execute([oid])?;
            return Ok(());
        }
        self.write_lines(oid, &group, false)?;
        self.lines_seen.insert(oid, group.len() as i64 + 1);
        Ok(())
    }

    /// Refresh derived customer columns and the lookup index for what this file touched.
    fn finish(&mut self) -> rusqlite::Result<()> {
        let tx = self.tx;
        tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY); DELETE FROM temp.touched;")?;
        {
            let mut ins =
                tx.prepare_cached("INSERT OR IGNORE INTO temp.touched (id) VALUES (?)")?;
            for id in self.touched.iter().chain(self.doc_dirty.iter()) {
                ins.execute([id])?;
            }
        }
        tx.execute_batch(
            "UPDATE customers SET
               (orders_count, paid_fen, refund_fen, first_order_at, last_order_at) =
                 (SELECT count(*), coalesce(sum(paid_fen), 0), coalesce(sum(refund_fen), 0), min(created_at), max(created_at)
                  FROM orders WHERE customer_id = customers.id),
               (last_order_no, last_order_status, name, phone) =
                 (SELECT o.order_no, o.status, coalesce(r.name, customers.name), coalesce(r.phone, customers.phone)
                  FROM orders o LEFT JOIN receivers r ON r.id = o.receiver_id
                  WHERE o.customer_id = customers.id ORDER BY o.created_at DESC, o.id DESC LIMIT 1)
             WHERE id IN (SELECT id FROM temp.touched)
               AND EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id);
             -- A buyer whose only orders moved to another buyer keeps name and phone.
             UPDATE customers SET orders_count = 0, paid_fen = 0, refund_fen = 0, first_order_at = NULL,
               last_order_at = NULL, last_order_no = NULL, last_order_status = NULL
             WHERE id IN (SELECT id FROM temp.touched)
               AND NOT EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id);
             DELETE FROM temp.touched;",
        )?;
        let mut dirty: Vec<i64> = self.doc_dirty.iter().copied().collect();
        dirty.sort_unstable();
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
            if !self.new_customers.contains(&cid) {
                del.execute([cid])?;
            }
            ins.execute(params![cid, bi, uni])?;
        }
        self.reconcile_points()
    }

    /// Earn/reverse entries for the orders this file changed, in the same transaction.
    fn reconcile_points(&self) -> rusqlite::Result<()> {
        let tx = self.tx;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS touched_orders (id INTEGER PRIMARY KEY); DELETE FROM temp.touched_orders;",
        )?;
        {
            let mut ins = tx.prepare_cached("INSERT INTO temp.touched_orders (id) VALUES (?)")?;
            for id in &self.touched_orders {
                ins.execute([id])?;
            }
        }
        super::ledger::reconcile(tx, super::ledger::Scope::Touched)?;
        tx.execute_batch("DELETE FROM temp.touched_orders;")
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
