//! An item report's rows: each order's group of lines written when their
//! fingerprint changed, continued when the order comes back later in the file,
//! ignored when older than the stored lines, rejected when kehu lacks the order.

use super::Loader;
use super::order_map::Known;
use crate::model::Fingerprint;
use crate::model::{LineRecord, RejectedRow, ReportKind};
use rusqlite::{OptionalExtension, params};

impl Loader<'_> {
    /// Replace an order's lines when their fingerprint changed. Returns whether
    /// anything was written. `stored` is the order's `lines_fp` when already known.
    pub(super) fn write_lines(
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
            if none_stored {
                self.new_lines.add(self.tx, self.batch_id, oid)?;
            } else {
                crate::db::undo_keep::save_lines(self.tx, self.batch_id, oid)?;
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
        let platform = self.platform;
        let rank = |raw: &str, refund_fen: i64| {
            crate::domain::status::map(platform, raw, refund_fen).rank()
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
    pub(super) fn line_group(&mut self, group: &[LineRecord]) -> rusqlite::Result<()> {
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
                    reason: crate::model::Reason::OrderNotStored {
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
}
