//! Orders given over several rows (Douyin 抖店: one row per 子订单; JD POP:
//! one row per SKU) gathered into one order each, whatever the rows' places
//! in the file.
//!
//! Each order reaches the loader once, complete: an order given in parts
//! would let a part overwrite the whole (a paid total replaced by a partial
//! sum) and make a re-import of the same file rewrite it. Its fingerprint is
//! then that of the whole order, so a re-import of the same file changes
//! nothing. The rows of one order are usually next to each other: such a
//! run goes to the loader as soon as the next order's row starts. Rows of one
//! order standing apart (a file sorted by product in Excel, two exports
//! pasted together) are held until the end of the file and given then. Which
//! orders stand apart is learnt by reading the file once before
//! ([`ReportReader::scan_apart`], which `kehu import` does); a reader that was
//! not given that first reading holds every order to the end (all of the
//! file in memory).
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
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;

/// Whether a platform's order export gives an order over several rows.
pub(super) fn gathers(platform: Platform) -> bool {
    matches!(platform, Platform::Douyin | Platform::Jd)
}

/// What the reader gives next.
enum Out {
    Order(Box<OrderRecord>),
    Rejected(RejectedRow),
}

/// One row as it stands alone: the order it makes with its raw text, or why
/// it is rejected.
type Item = Result<(OrderRecord, String), RejectedRow>;

#[derive(Default)]
pub(super) struct Groups {
    /// The file's data rows read so far.
    pub(super) rows: u64,
    /// Orders whose rows stand apart, from a first reading of the file;
    /// `None`: not read, every order is held to the end.
    apart: Option<HashSet<String>>,
    /// The rows of the order being read, and its number.
    run: Vec<Item>,
    run_no: Option<String>,
    /// Orders held to the end of the file, in the order of their first row.
    held: Vec<Vec<Item>>,
    held_at: HashMap<String, usize>,
    out: VecDeque<Out>,
    ended: bool,
}

impl Groups {
    fn holds(&self, no: &str) -> bool {
        self.apart.as_ref().is_none_or(|a| a.contains(no))
    }

    /// The run of rows read ends: it goes out, or is held.
    fn end_run(&mut self, platform: Platform) {
        let Some(no) = self.run_no.take() else {
            return;
        };
        let items = std::mem::take(&mut self.run);
        if self.holds(&no) {
            let i = *self.held_at.entry(no).or_insert_with(|| {
                self.held.push(Vec::new());
                self.held.len() - 1
            });
            self.held[i].extend(items);
        } else {
            self.out.extend(finish(platform, items));
        }
    }
}

/// An order's rows into what the loader gets: the order, or every row rejected.
fn finish(platform: Platform, items: Vec<Item>) -> Vec<Out> {
    let Some(order_no) = items.iter().find_map(|i| match i {
        Ok((o, _)) => Some(o.order_no.clone()),
        Err(_) => None,
    }) else {
        return items
            .into_iter()
            .filter_map(|i| i.err().map(Out::Rejected))
            .collect();
    };
    let mut out = Vec::new();
    let bad = items.iter().find_map(|i| i.as_ref().err().map(|r| r.line));
    if let Some(line) = bad {
        for i in items {
            out.push(Out::Rejected(match i {
                Err(r) => r,
                Ok((o, raw)) => RejectedRow {
                    line: o.line,
                    reason: Reason::SiblingRejected {
                        order_no: order_no.clone(),
                        line,
                    },
                    raw,
                },
            }));
        }
    } else {
        let rows: Vec<(OrderRecord, String)> = items.into_iter().filter_map(Result::ok).collect();
        let first = rows[0].0.line;
        let raws: Vec<(u64, String)> = rows.iter().map(|(o, raw)| (o.line, raw.clone())).collect();
        match merge(platform, rows.into_iter().map(|r| r.0).collect()) {
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
    out.sort_by_key(|o| match o {
        Out::Order(o) => o.line,
        Out::Rejected(r) => r.line,
    });
    out
}

impl<R: Read> ReportReader<R> {
    /// The order number of the record just read, when it is one.
    fn current_order_no(&self) -> Option<String> {
        let i = self.map.get(Field::OrderNo)?;
        let cell = clean::cell(field_str(self.current.get(i)?));
        clean::order_no(cell).ok().map(str::to_string)
    }

    /// Whether this export gives an order over several rows (Douyin, JD).
    pub fn gathers(&self) -> bool {
        self.groups.is_some()
    }

    /// Read the same file once more, through `again`, before this reader
    /// gives its first row: which orders' rows stand apart. Only those are
    /// then held to the end of the file; the others go to the loader as soon
    /// as their rows end.
    pub fn scan_apart<R2: Read>(&mut self, again: R2) -> Result<(), Refusal> {
        let first = ReportReader::open(again, Some(self.platform()))?;
        self.scan_apart_from(first)
    }

    /// [`scan_apart`](Self::scan_apart) through a second reader of the same
    /// report, opened by the caller (a workbook's sheet as well as CSV text).
    pub fn scan_apart_from<R2: Read>(
        &mut self,
        mut first: ReportReader<R2>,
    ) -> Result<(), Refusal> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut apart: HashSet<String> = HashSet::new();
        let mut last: Option<String> = None;
        while first.read_pending()? {
            std::mem::swap(&mut first.current, &mut first.pending);
            let no = first.current_order_no();
            if let Some(n) = &no
                && last.as_ref() != Some(n)
                && !seen.insert(n.clone())
            {
                apart.insert(n.clone());
            }
            last = no;
        }
        if let Some(g) = &mut self.groups {
            g.apart = Some(apart);
        }
        Ok(())
    }

    /// The next order (whole) or rejected row of a file whose orders span rows.
    pub(super) fn next_gathered(&mut self) -> Result<Option<RowRef<'_>>, Refusal> {
        let mut g = self.groups.take().unwrap_or_default();
        let platform = self.preset.platform;
        let next = loop {
            if let Some(o) = g.out.pop_front() {
                break Some(o);
            }
            if g.ended {
                break None;
            }
            let item: Item = match self.next_single()? {
                None => {
                    g.end_run(platform);
                    for items in std::mem::take(&mut g.held) {
                        g.out.extend(finish(platform, items));
                    }
                    g.ended = true;
                    continue;
                }
                Some(RowRef::Order(o)) => Ok((std::mem::take(o), String::new())),
                Some(RowRef::Rejected(r)) => Err(r),
                Some(RowRef::Line(_)) => continue,
            };
            g.rows += 1;
            let item = item.map(|(o, _)| (o, raw_text(&self.current, self.delimiter)));
            let no = self.current_order_no();
            if no != g.run_no {
                g.end_run(platform);
            }
            match no {
                Some(no) => {
                    g.run_no = Some(no);
                    g.run.push(item);
                }
                None => g.out.extend(finish(platform, vec![item])),
            }
        };
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
