//! Orders given over several rows (Douyin 抖店: one row per 子订单; JD POP:
//! one row per SKU) gathered into one order each, whatever the rows' places
//! in the file.
//!
//! The reader reads the whole file before it gives the first order: rows of
//! one order are usually adjacent, but a file sorted by product in Excel, or
//! two exports pasted together, puts them apart, and an order given in parts
//! would let a part overwrite the whole (a paid total replaced by a partial
//! sum) and make a re-import of the same file rewrite it. Gathered first,
//! each order reaches the loader once, complete, in the place of its first
//! row, and its fingerprint is that of the whole order, so a re-import of
//! the same file changes nothing. The memory this takes is the file's rows
//! (these platforms export a bounded period per file).
//!
//! A row that cannot be read rejects its whole order: every other row of that
//! order is rejected too (`SiblingRejected`, naming the bad row's line), so
//! an order is never stored with part of its money, and the seller fixes the
//! row and imports the order's rows again together. A row whose order number
//! itself cannot be read rejects only itself.
//!
//! The same 子订单编号 twice (Douyin) or the same SKU twice (JD) in one order
//! is one line given twice (overlapping exports pasted together): the later
//! row stands.

use super::{ReportReader, raw_text};
use crate::domain::{OrderStatus, Platform};
use crate::import::clean;
use crate::import::presets::Field;
use crate::import::record::{OrderRecord, RejectedRow, RowRef};
use crate::import::records::field_str;
use crate::import::{Reason, Refusal};
use std::collections::{HashMap, VecDeque};
use std::io::Read;

/// Whether a platform's order export gives an order over several rows.
pub(super) fn gathers(platform: Platform) -> bool {
    matches!(platform, Platform::Douyin | Platform::Jd)
}

/// What the reader gives next once the file is gathered.
enum Out {
    Order(Box<OrderRecord>),
    Rejected(RejectedRow),
}

/// One order's rows (each as the row alone makes it), with their raw text.
#[derive(Default)]
struct Group {
    rows: Vec<(OrderRecord, String)>,
}

enum Entry {
    Group(usize),
    Rejected(RejectedRow),
}

#[derive(Default)]
pub(super) struct Groups {
    /// The file's data rows.
    pub(super) rows: u64,
    gathered: bool,
    out: VecDeque<Out>,
}

impl<R: Read> ReportReader<R> {
    /// The order number of the record just read, when it is one.
    fn current_order_no(&self) -> Option<String> {
        let i = self.map.get(Field::OrderNo)?;
        let cell = clean::cell(field_str(self.current.get(i)?));
        clean::order_no(cell).ok().map(str::to_string)
    }

    /// The next order (whole) or rejected row of a file whose orders span rows.
    pub(super) fn next_gathered(&mut self) -> Result<Option<RowRef<'_>>, Refusal> {
        let mut g = self.groups.take().unwrap_or_default();
        if !g.gathered {
            (g.out, g.rows) = self.gather()?;
            g.gathered = true;
        }
        let next = g.out.pop_front();
        self.groups = Some(g);
        Ok(match next {
            None => None,
            Some(Out::Order(o)) => {
                self.order = *o;
                Some(RowRef::Order(&mut self.order))
            }
            Some(Out::Rejected(r)) => Some(RowRef::Rejected(r)),
        })
    }

    fn gather(&mut self) -> Result<(VecDeque<Out>, u64), Refusal> {
        let platform = self.preset.platform;
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        // Orders with a rejected row: the first such row's line.
        let mut bad: HashMap<String, u64> = HashMap::new();
        let mut n = 0;
        loop {
            let row = match self.next_single()? {
                None => break,
                Some(RowRef::Order(o)) => Ok(std::mem::take(o)),
                Some(RowRef::Rejected(r)) => Err(r),
                Some(RowRef::Line(_)) => continue,
            };
            n += 1;
            match row {
                Ok(o) => {
                    let raw = raw_text(&self.current, self.delimiter);
                    let i = *index.entry(o.order_no.clone()).or_insert_with(|| {
                        groups.push(Group::default());
                        entries.push(Entry::Group(groups.len() - 1));
                        groups.len() - 1
                    });
                    groups[i].rows.push((o, raw));
                }
                Err(r) => {
                    if let Some(no) = self.current_order_no() {
                        bad.entry(no).or_insert(r.line);
                    }
                    entries.push(Entry::Rejected(r));
                }
            }
        }
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            match e {
                Entry::Rejected(r) => out.push(Out::Rejected(r)),
                Entry::Group(i) => {
                    let rows = std::mem::take(&mut groups[i].rows);
                    let Some(order_no) = rows.first().map(|r| r.0.order_no.clone()) else {
                        continue;
                    };
                    if let Some(&line) = bad.get(&order_no) {
                        for (o, raw) in rows {
                            out.push(Out::Rejected(RejectedRow {
                                line: o.line,
                                reason: Reason::SiblingRejected {
                                    order_no: order_no.clone(),
                                    line,
                                },
                                raw,
                            }));
                        }
                        continue;
                    }
                    let first = rows[0].0.line;
                    let raws: Vec<(u64, String)> =
                        rows.iter().map(|(o, raw)| (o.line, raw.clone())).collect();
                    let rows: Vec<OrderRecord> = rows.into_iter().map(|r| r.0).collect();
                    match merge(platform, rows) {
                        Ok(o) => out.push(Out::Order(Box::new(o))),
                        Err(reason) => {
                            for (line, raw) in raws {
                                let reason = if line == first {
                                    reason.clone()
                                } else {
                                    Reason::SiblingRejected {
                                        order_no: order_no.clone(),
                                        line: first,
                                    }
                                };
                                out.push(Out::Rejected(RejectedRow { line, reason, raw }));
                            }
                        }
                    }
                }
            }
        }
        // In the file's order: an order at its first row, a rejected row at its line.
        out.sort_by_key(|o| match o {
            Out::Order(o) => o.line,
            Out::Rejected(r) => r.line,
        });
        Ok((out.into(), n))
    }
}

/// The one line a row gives, for telling the same line given twice.
fn line_key(platform: Platform, o: &OrderRecord) -> Option<String> {
    let l = o.lines.first()?;
    let key = match platform {
        Platform::Douyin => &l.sub_order_no,
        _ => &l.merchant_code,
    };
    (!key.is_empty()).then(|| key.clone())
}

/// An order's status from its rows': the furthest-on of the rows still
/// open or done (a part shipped is shipped); when every row ended closed
/// or refunded, refunded if any money went back, else closed.
pub(crate) fn merge_status(a: OrderStatus, b: OrderStatus) -> OrderStatus {
    let ended = |s| matches!(s, OrderStatus::Closed | OrderStatus::Refunded);
    match (ended(a), ended(b)) {
        (true, true) if a == OrderStatus::Refunded || b == OrderStatus::Refunded => {
            OrderStatus::Refunded
        }
        (true, true) => OrderStatus::Closed,
        (true, false) => b,
        (false, true) => a,
        (false, false) => {
            if b.rank() > a.rank() {
                b
            } else {
                a
            }
        }
    }
}

/// The rows of one order (in file order) as one order. Douyin: 订单应付金额
/// is each line's, so the paid total and refunds are sums. JD: the order's
/// amounts are repeated on every row and counted once.
fn merge(platform: Platform, rows: Vec<OrderRecord>) -> Result<OrderRecord, Reason> {
    // The same line twice: the later row stands, in the place of the first.
    let mut kept: Vec<OrderRecord> = Vec::with_capacity(rows.len());
    let mut at: HashMap<String, usize> = HashMap::new();
    for o in rows {
        match line_key(platform, &o) {
            Some(k) => match at.get(&k) {
                Some(&i) => kept[i] = o,
                None => {
                    at.insert(k, kept.len());
                    kept.push(o);
                }
            },
            None => kept.push(o),
        }
    }
    let mut rows = kept.into_iter();
    let Some(mut acc) = rows.next() else {
        return Ok(OrderRecord::default());
    };
    let sums = platform == Platform::Douyin;
    let mut raws = vec![acc.status_raw.clone()];
    for o in rows {
        acc.goods_fen = acc.goods_fen.saturating_add(o.goods_fen);
        acc.item_qty = acc.item_qty.saturating_add(o.item_qty);
        if sums {
            acc.paid_fen = acc.paid_fen.saturating_add(o.paid_fen);
            acc.refund_fen = acc.refund_fen.saturating_add(o.refund_fen);
            acc.postage_fen = acc.postage_fen.max(o.postage_fen);
        } else {
            acc.paid_fen = acc.paid_fen.max(o.paid_fen);
            acc.refund_fen = acc.refund_fen.max(o.refund_fen);
            acc.postage_fen = acc.postage_fen.max(o.postage_fen);
            acc.total_fen = acc.total_fen.max(o.total_fen);
        }
        acc.status = merge_status(acc.status, o.status);
        if !raws.contains(&o.status_raw) {
            raws.push(o.status_raw.clone());
        }
        if !o.title.is_empty() && !acc.title.split('，').any(|t| t == o.title) {
            if !acc.title.is_empty() {
                acc.title.push('，');
            }
            acc.title.push_str(&o.title);
        }
        for (slot, v) in [
            (&mut acc.message, o.message),
            (&mut acc.remark, o.remark),
            (&mut acc.carrier, o.carrier),
            (&mut acc.tracking_no, o.tracking_no),
            (&mut acc.close_reason, o.close_reason),
            (&mut acc.shop, o.shop),
        ] {
            if slot.is_empty() {
                *slot = v;
            }
        }
        for (slot, v) in [
            (&mut acc.paid_at, o.paid_at),
            (&mut acc.shipped_at, o.shipped_at),
            (&mut acc.completed_at, o.completed_at),
        ] {
            if slot.is_none() {
                *slot = v;
            }
        }
        acc.lines.extend(o.lines);
    }
    if sums {
        acc.total_fen = acc.goods_fen.saturating_add(acc.postage_fen);
    }
    acc.status_raw = raws.join("/");
    acc.item_kinds = acc.lines.len() as i64;
    // A sum past the per-order limit is not an amount kehu stores.
    let limit = crate::domain::money::MAX_ORDER_FEN;
    if acc.paid_fen > limit || acc.total_fen > limit {
        return Err(Reason::AmountTooLarge {
            column: "订单应付金额".to_string(),
            value: crate::domain::money::fen_to_plain(acc.paid_fen.max(acc.total_fen)),
        });
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn status_of_rows() {
        assert_eq!(merge_status(Completed, Refunded), Completed);
        assert_eq!(merge_status(Closed, Refunded), Refunded);
        assert_eq!(merge_status(Closed, Closed), Closed);
        assert_eq!(merge_status(Paid, Shipped), Shipped);
        assert_eq!(merge_status(Unknown, Paid), Paid);
    }
}
