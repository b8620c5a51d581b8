//! One record's cells into a typed row: an order or an item line with its
//! amounts, times and buyer key, or the reason the row is rejected. What
//! differs per platform (the buyer key, refunds, the status wording) is in
//! the platform's own file, named by its preset's `order_rules`.

pub(crate) mod douyin;
pub(crate) mod jd;
pub(crate) mod pdd;
pub(crate) mod taobao;

// Keyed by a buyer column, else by the receiver.
pub(crate) mod kuaishou;
pub(crate) mod receiver;
pub(crate) mod youzan;

use super::Reason;
use super::clean;
use super::clean::{ECHO_CHARS, clip};
use super::presets::{self, ColumnMap, Field, Preset};
use super::record::{LineRecord, OrderRecord};
use crate::domain::{OrderStatus, Platform, parse_fen, time};

/// The cells of one record, by field.
pub(crate) struct Cells<'a> {
    pub(super) map: &'a ColumnMap,
    pub(super) preset: &'static Preset,
    pub(super) rec: &'a csv::ByteRecord,
    /// The record's bytes as text, checked once (see [`record_text`]).
    pub(super) text: &'a str,
}

/// A record's bytes (all its cells, end to end) as text, checked at once.
/// Cells are then slices of it: CSV splits only at ASCII bytes, so each
/// cell's range falls on character boundaries. `None` only if the bytes are
/// not UTF-8, which text decoded by kehu never is.
pub(crate) fn record_text(rec: &csv::ByteRecord) -> Option<&str> {
    simdutf8::basic::from_utf8(rec.as_slice()).ok()
}

pub(super) fn empty(c: &Cells, f: Field) -> Reason {
    Reason::Empty {
        column: c.label(f).to_string(),
    }
}

/// `s` into the reused buffer `buf`.
pub(super) fn set(buf: &mut String, s: &str) {
    buf.clear();
    buf.push_str(s);
}

impl Cells<'_> {
    pub(super) fn cell(&self, f: Field) -> &str {
        self.map
            .get(f)
            .and_then(|i| self.rec.range(i))
            .and_then(|r| self.text.get(r))
            .map(clean::cell)
            .unwrap_or("")
    }

    /// A text cell into `buf` (placeholders are empty).
    pub(super) fn text_into(&self, f: Field, buf: &mut String) {
        let c = self.cell(f);
        set(buf, if clean::is_placeholder(c) { "" } else { c });
    }

    pub(super) fn text(&self, f: Field) -> String {
        let mut s = String::new();
        self.text_into(f, &mut s);
        s
    }

    /// An amount of an order or a line: 0 ..= ¥10,000,000.00 (a negative or
    /// absurd amount is a rejected row, so sums can never overflow).
    pub(super) fn money(&self, f: Field) -> Result<i64, Reason> {
        use crate::domain::money::{AmountError, MoneyError, check_order_amount};
        let c = self.cell(f);
        let column = || self.label(f).to_string();
        let fen = parse_fen(c).map_err(|e| match e {
            MoneyError::TooLarge(_) => Reason::AmountTooLarge {
                column: column(),
                value: clip(c, ECHO_CHARS),
            },
            _ => Reason::NotMoney {
                column: column(),
                value: clip(c, ECHO_CHARS),
            },
        })?;
        check_order_amount(fen.map_or(0, |v| v.0)).map_err(|e| match e {
            AmountError::Negative => Reason::NegativeAmount {
                column: column(),
                value: clip(c, ECHO_CHARS),
            },
            AmountError::TooLarge => Reason::AmountTooLarge {
                column: column(),
                value: clip(c, ECHO_CHARS),
            },
        })
    }

    /// Refund-like cells: text without digits (`无退款申请`) means no refund.
    pub(super) fn refund_money(&self, f: Field) -> Result<i64, Reason> {
        let c = self.cell(f);
        if !c.bytes().any(|b| b.is_ascii_digit()) {
            return Ok(0);
        }
        self.money(f)
    }

    pub(super) fn count(&self, f: Field) -> Result<i64, Reason> {
        let c = self.cell(f);
        if clean::is_placeholder(c) {
            return Ok(0);
        }
        c.parse::<i64>().map_err(|_| Reason::NotWholeNumber {
            column: self.label(f).to_string(),
            value: clip(c, ECHO_CHARS),
        })
    }

    /// A time cell into `buf`: whether it held a time.
    pub(super) fn time_into(&self, f: Field, buf: &mut String) -> Result<bool, Reason> {
        let c = self.cell(f);
        time::parse_time_into(c, buf).map_err(|_| Reason::NotDateTime {
            column: self.label(f).to_string(),
            value: clip(c, ECHO_CHARS),
        })
    }

    /// An optional time cell into `slot`, its buffer reused (kept in `spare` while empty).
    pub(super) fn opt_time(
        &self,
        f: Field,
        slot: &mut Option<String>,
        spare: &mut Vec<String>,
    ) -> Result<(), Reason> {
        let mut buf = slot.take().or_else(|| spare.pop()).unwrap_or_default();
        match self.time_into(f, &mut buf) {
            Ok(true) => {
                *slot = Some(buf);
                Ok(())
            }
            Ok(false) => {
                spare.push(buf);
                Ok(())
            }
            Err(e) => {
                spare.push(buf);
                Err(e)
            }
        }
    }

    pub(super) fn label(&self, f: Field) -> &'static str {
        presets::field_label(self.preset, f)
    }
}

/// A row with fewer cells than its header (one or two trailing cells may be
/// left off) cannot be read by column: a line break outside quotes split it,
/// or it was cut.
pub(super) fn short_row(c: &Cells) -> Result<(), Reason> {
    let n = c.rec.len();
    if n + 2 < c.map.width {
        return Err(Reason::ShortRow {
            columns: n as u64,
            header: c.map.width as u64,
        });
    }
    Ok(())
}

/// One order row into `o` (every field is written: `o` holds the previous row).
/// What a platform does with an order row after the common cells are read.
pub(crate) type OrderRules = fn(&Cells, u64, &mut OrderRecord) -> Result<(), Reason>;

pub(super) fn fill_order(
    c: &Cells,
    line: u64,
    o: &mut OrderRecord,
    spare: &mut Vec<String>,
) -> Result<(), Reason> {
    short_row(c)?;
    o.line = line;
    set(&mut o.order_no, clean::order_no(c.cell(Field::OrderNo))?);
    c.text_into(Field::Status, &mut o.status_raw);
    o.paid_fen = c.money(Field::Paid)?;
    let mut created = c.time_into(Field::Created, &mut o.created_at)?;
    if !created && c.preset.platform == Platform::Pdd {
        created = c.time_into(Field::PaidAt, &mut o.created_at)?
            || c.time_into(Field::GroupedAt, &mut o.created_at)?;
        if !created && let Some(t) = pdd::date_from_order_no(&o.order_no) {
            set(&mut o.created_at, &t);
            created = true;
        }
    }
    if !created {
        // A placeholder date (`0000-00-00`) is there, but is not a date.
        let cell = c.cell(Field::Created);
        if !clean::is_placeholder(cell) {
            return Err(Reason::NotDateTime {
                column: c.label(Field::Created).to_string(),
                value: clip(cell, ECHO_CHARS),
            });
        }
        return Err(empty(c, Field::Created));
    }
    o.goods_fen = c.money(Field::GoodsAmount)?;
    o.postage_fen = c.money(Field::Postage)?;
    o.total_fen = c.money(Field::Total)?;
    c.opt_time(Field::PaidAt, &mut o.paid_at, spare)?;
    c.opt_time(Field::ShippedAt, &mut o.shipped_at, spare)?;
    c.opt_time(Field::CompletedAt, &mut o.completed_at, spare)?;
    c.text_into(Field::Title, &mut o.title);
    o.item_qty = c.count(Field::Quantity)?;
    set(&mut o.message, c.cell(Field::Message));
    c.text_into(Field::Remark, &mut o.remark);
    c.text_into(Field::Carrier, &mut o.carrier);
    c.text_into(Field::Tracking, &mut o.tracking_no);
    c.text_into(Field::CloseReason, &mut o.close_reason);
    c.text_into(Field::Shop, &mut o.shop);
    c.text_into(Field::Name, &mut o.name);
    // What the platforms below may leave at its default.
    o.buyer_key.clear();
    o.nick.clear();
    o.phone.clear();
    o.address.clear();
    o.status = OrderStatus::default();
    o.refund_fen = 0;
    o.item_kinds = 0;
    o.inline_line = None;
    o.lines.clear();
    if o.status_raw.is_empty() {
        return Err(empty(c, Field::Status));
    }
    match c.preset.order_rules {
        Some(rules) => rules(c, line, o),
        None => Ok(()),
    }
}

/// One item row into `l` (every field is written: `l` holds an earlier row).
pub(super) fn fill_line(c: &Cells, line: u64, l: &mut LineRecord) -> Result<(), Reason> {
    short_row(c)?;
    l.line = line;
    set(&mut l.order_no, clean::order_no(c.cell(Field::OrderNo))?);
    c.text_into(Field::Title, &mut l.title);
    c.text_into(Field::Props, &mut l.props);
    let package = c.cell(Field::Package);
    if !clean::is_placeholder(package) {
        if !l.props.is_empty() {
            l.props.push('；');
        }
        l.props.push_str(package);
    }
    c.text_into(Field::SubOrderNo, &mut l.sub_order_no);
    l.price_fen = c.money(Field::Price)?;
    l.qty = c.count(Field::Quantity)?;
    l.refund_fen = c.refund_money(Field::Refund)?;
    // Newer item reports say per line whether the refund went through
    // (退款状态): an amount asked for, refused or withdrawn went nowhere.
    if c.map.get(Field::RefundStatus).is_some()
        && !receiver::money_went_back(c.cell(Field::RefundStatus))
    {
        l.refund_fen = 0;
    }
    c.text_into(Field::Status, &mut l.status_raw);
    c.text_into(Field::MerchantCode, &mut l.merchant_code);
    c.text_into(Field::Remark, &mut l.remark);
    Ok(())
}
