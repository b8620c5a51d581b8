//! The per-row upsert of an order report: a row's buyer and receiver found or
//! created, the order inserted, updated or left alone (unchanged, or older
//! than what is stored), and rejected rows recorded.

use super::Loader;
use super::columns::{Facts, INSERT_ORDER, UPDATE_ORDER};
use super::finish::{Aggregate, pack_time};
use crate::domain::OrderStatus;
use crate::model::Fingerprint;
use crate::model::{OrderRecord, RejectedRow};
use rusqlite::{OptionalExtension, ToSql, params, params_from_iter};

/// What the loader needs of a stored order to decide what a row does to it.
struct StoredOrder {
    id: i64,
    customer_id: i64,
    status: OrderStatus,
    fp: i64,
}

/// The lines a row carries: its one inline line, or the lines of an order
/// gathered from several rows.
fn take_lines(o: &mut OrderRecord) -> Vec<crate::model::LineRecord> {
    match o.inline_line.take() {
        Some(l) => vec![l],
        None => std::mem::take(&mut o.lines),
    }
}

/// A receiver's key in the loader's memory of the receivers it found.
fn hash_receiver(cid: i64, name: &str, phone: &str, address: &str) -> u64 {
    Fingerprint::new()
        .int(cid)
        .str(name)
        .str(phone)
        .str(address)
        .finish() as u64
}

impl Loader<'_> {
    fn is_fresh_customer(&self, cid: i64) -> bool {
        cid > self.customers_before
    }

    /// Index in `fresh` of a customer this file created.
    fn fresh_index(&self, cid: i64) -> usize {
        (cid - self.customers_before - 1) as usize
    }

    fn fresh_mut(&mut self, cid: i64) -> &mut Aggregate {
        let i = self.fresh_index(cid);
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

    pub(super) fn reject(&mut self, mut r: RejectedRow) -> rusqlite::Result<()> {
        // A row of an erased person, rejected for whatever reason, is not
        // kept with their data: the line and "erased customer" only.
        if self.check_erased
            && r.reason != crate::model::Reason::ErasedCustomer
            && crate::db::privacy::raw_names_erased(self.tx, &r.raw)?
        {
            r = RejectedRow {
                line: r.line,
                reason: crate::model::Reason::ErasedCustomer,
                raw: format!("{}:line {} (erased)", self.platform.code(), r.line),
            };
        }
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

    /// The stored customer of the row's buyer key, if any (this file's
    /// customers first).
    fn known_customer(&mut self, o: &OrderRecord) -> rusqlite::Result<Option<i64>> {
        if let Some(&id) = self.customers.get(&o.buyer_key) {
            return Ok(Some(id));
        }
        // A database without customers before this file has none but those in
        // `self.customers` (every customer this file created is there).
        let existing: Option<i64> = if self.customers_before == 0 {
            None
        } else {
            self.tx
                // A customer merged into another: the survivor (db/merge.rs).
                .prepare_cached(
                    "SELECT coalesce(merged_into, id) FROM customers WHERE platform = ? AND buyer_key = ?",
                )?
                .query_row(params![self.platform.code(), o.buyer_key], |r| r.get(0))
                .optional()?
        };
        if let Some(id) = existing {
            self.customers.insert(o.buyer_key.clone(), id);
        }
        Ok(existing)
    }

    /// A new customer would be made for the row's buyer: is the buyer one
    /// the seller erased (and this import does not re-admit)?
    fn erased_buyer(&self, known: Option<i64>, o: &OrderRecord) -> rusqlite::Result<bool> {
        if known.is_some() || !self.check_erased {
            return Ok(false);
        }
        crate::db::privacy::is_erased(self.tx, self.platform.code(), &o.buyer_key)
    }

    fn customer(&mut self, known: Option<i64>, o: &OrderRecord) -> rusqlite::Result<i64> {
        // A known customer is in `self.customers` already (`known_customer`).
        if let Some(id) = known {
            return Ok(id);
        }
        self.tx
            .prepare_cached(
                "INSERT INTO customers (platform, buyer_key, nick, name, phone, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![self.platform.code(), o.buyer_key, o.nick, o.name, o.phone, self.now])?;
        let id = self.tx.last_insert_rowid();
        self.fresh_mut(id);
        self.sum.customers_new += 1;
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

    pub(super) fn order(&mut self, o: &mut OrderRecord) -> rusqlite::Result<()> {
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
        let known = self.known_customer(o)?;
        if self.erased_buyer(known, o)? {
            return self.reject(RejectedRow {
                line: o.line,
                reason: crate::model::Reason::ErasedCustomer,
                // Not the row: that would keep the erased person's data.
                raw: format!("{}:{} (erased)", self.platform.code(), o.order_no),
            });
        }
        if let Some(s) = &stored {
            self.keep_stored(s.id, o)?;
        }
        let cid = self.customer(known, o)?;
        let rid = self.receiver(cid, o)?;
        match stored {
            None => {
                self.tx
                    .prepare_cached(&INSERT_ORDER)?
                    .execute(params_from_iter(
                        [&self.platform.code() as &dyn ToSql, &o.order_no]
                            .into_iter()
                            .chain(Facts::new(cid, rid, o).values())
                            .chain([&fp as &dyn ToSql, &self.batch_id]),
                    ))?;
                let oid = self.tx.last_insert_rowid();
                self.orders_seen.insert(oid);
                if let Some(map) = &mut self.map {
                    map.add(&o.order_no, oid);
                }
                self.sum.orders_new += 1;
                if self.is_fresh_customer(cid) {
                    let at = pack_time(&o.created_at);
                    if let (Some(at), true) = (at, o.status.is_valid()) {
                        let i = self.fresh_index(cid) as u32;
                        self.fresh_valid_times.push((i, at));
                    }
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
                let lines = take_lines(o);
                if !lines.is_empty() {
                    self.write_lines(oid, &lines, true)?;
                }
            }
            Some(s) => {
                // A closed order with a refund is refunded.
                if o.status == OrderStatus::Closed && o.refund_fen > 0 {
                    o.status = OrderStatus::Refunded;
                }
                // Its fingerprint at least changes: kept for an undo.
                crate::db::undo_keep::save_order(self.tx, self.batch_id, s.id)?;
                let changed = self
                    .tx
                    .prepare_cached(&UPDATE_ORDER)?
                    .execute(params_from_iter(
                        Facts::new(cid, rid, o)
                            .values()
                            .chain([&self.batch_id as &dyn ToSql, &s.id]),
                    ))?;
                self.tx
                    .prepare_cached("UPDATE orders SET fp = ? WHERE id = ?")?
                    .execute(params![fp, s.id])?;
                if let Some(map) = &mut self.map {
                    map.set(&o.order_no, Some(fp));
                }
                let lines = take_lines(o);
                let lines_changed = !lines.is_empty() && self.write_lines(s.id, &lines, false)?;
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
}
