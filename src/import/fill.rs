//! One record's cells into a typed row: an order or an item line with its
//! amounts, times and buyer key, or the reason the row is rejected.

use super::Reason;
use super::clean;
use super::clean::{ECHO_CHARS, clip};
use super::presets::{self, ColumnMap, Field, Preset};
use super::record::{LineRecord, OrderRecord};
use super::records::field_str;
use crate::domain::text::phone_tail;
use crate::domain::{OrderStatus, Platform, parse_fen, status, time};

/// The cells of one record, by field.
pub(super) struct Cells<'a> {
    pub(super) map: &'a ColumnMap,
    pub(super) preset: &'static Preset,
    pub(super) rec: &'a csv::ByteRecord,
}

fn empty(c: &Cells, f: Field) -> Reason {
    Reason::Empty {
        column: c.label(f).to_string(),
    }
}

/// `s` into the reused buffer `buf`.
fn set(buf: &mut String, s: &str) {
    buf.clear();
    buf.push_str(s);
}

impl Cells<'_> {
    fn cell(&self, f: Field) -> &str {
        self.map
            .get(f)
            .and_then(|i| self.rec.get(i))
            .map(|b| clean::cell(field_str(b)))
            .unwrap_or("")
    }

    /// A text cell into `buf` (placeholders are empty).
    fn text_into(&self, f: Field, buf: &mut String) {
        let c = self.cell(f);
        set(buf, if clean::is_placeholder(c) { "" } else { c });
    }

    fn text(&self, f: Field) -> String {
        let mut s = String::new();
        self.text_into(f, &mut s);
        s
    }

    /// An amount of an order or a line: 0 ..= ¥10,000,000.00 (a negative or
    /// absurd amount is a rejected row, so sums can never overflow).
    fn money(&self, f: Field) -> Result<i64, Reason> {
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
    fn refund_money(&self, f: Field) -> Result<i64, Reason> {
        let c = self.cell(f);
        if !c.bytes().any(|b| b.is_ascii_digit()) {
            return Ok(0);
        }
        self.money(f)
    }

    fn count(&self, f: Field) -> Result<i64, Reason> {
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
    fn time_into(&self, f: Field, buf: &mut String) -> Result<bool, Reason> {
        let c = self.cell(f);
        time::parse_time_into(c, buf).map_err(|_| Reason::NotDateTime {
            column: self.label(f).to_string(),
            value: clip(c, ECHO_CHARS),
        })
    }

    /// An optional time cell into `slot`, its buffer reused (kept in `spare` while empty).
    fn opt_time(
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

    fn label(&self, f: Field) -> &'static str {
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
        if !created {
            if let Some(t) = pdd_date_from_order_no(&o.order_no) {
                set(&mut o.created_at, &t);
                created = true;
            }
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
    if o.status_raw.is_empty() {
        return Err(empty(c, Field::Status));
    }
    match c.preset.platform {
        Platform::Taobao => {
            c.text_into(Field::Buyer, &mut o.buyer_key);
            if o.buyer_key.is_empty() {
                return Err(Reason::NoBuyer {
                    column: c.label(Field::Buyer).to_string(),
                });
            }
            set(&mut o.nick, &o.buyer_key);
            c.text_into(Field::Mobile, &mut o.phone);
            if o.phone.is_empty() {
                c.text_into(Field::Phone, &mut o.phone);
            }
            c.text_into(Field::Address, &mut o.address);
            o.refund_fen = c.refund_money(Field::Refund)?;
            o.item_kinds = c.count(Field::Kinds)?;
            if o.total_fen == 0 && o.paid_fen > 0 {
                o.total_fen = o.paid_fen;
            }
            o.status = status::taobao_status(&o.status_raw, o.refund_fen);
        }
        Platform::Pdd => {
            c.text_into(Field::Mobile, &mut o.phone);
            let parts: Vec<String> = [Field::Province, Field::City, Field::District, Field::Street]
                .iter()
                .map(|f| c.text(*f))
                .filter(|s| !s.is_empty())
                .collect();
            o.address = parts.join(" ");
            if o.name.is_empty() {
                return Err(Reason::NoReceiver {
                    column: c.label(Field::Name).to_string(),
                });
            }
            o.buyer_key = pdd_buyer_key(&o.name, &o.phone, &o.address);
            set(&mut o.nick, &o.name);
            let after_sale = c.text(Field::AfterSale);
            if o.status_raw.contains("退款成功") || after_sale.contains("退款成功") {
                o.refund_fen = o.paid_fen;
            }
            o.status = status::pdd_status(&o.status_raw);
            // Cancelled after it was paid and refunded (已取消 with 售后状态
            // 退款成功): refunded, like Taobao's 交易关闭 with a refund.
            if o.status == OrderStatus::Closed && o.refund_fen > 0 {
                o.status = OrderStatus::Refunded;
            }
            // Each part is bounded by `money`; the sum is checked all the same.
            o.total_fen =
                o.goods_fen
                    .checked_add(o.postage_fen)
                    .ok_or_else(|| Reason::AmountTooLarge {
                        column: c.label(Field::GoodsAmount).to_string(),
                        value: format!("{} + {}", o.goods_fen, o.postage_fen),
                    })?;
            o.item_kinds = 1;
            let qty = o.item_qty.max(1);
            o.inline_line = Some(LineRecord {
                line,
                order_no: o.order_no.clone(),
                title: o.title.clone(),
                props: c.text(Field::Props),
                price_fen: o.goods_fen / qty,
                qty: o.item_qty,
                refund_fen: o.refund_fen,
                status_raw: o.status_raw.clone(),
                merchant_code: c.text(Field::MerchantCode),
                ..LineRecord::default()
            });
        }
    }
    Ok(())
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
    c.text_into(Field::Status, &mut l.status_raw);
    c.text_into(Field::MerchantCode, &mut l.merchant_code);
    c.text_into(Field::Remark, &mut l.remark);
    Ok(())
}

/// Pinduoduo exports carry no buyer id. kehu keys such a buyer by receiver name,
/// the phone's last four digits and the address (spaces removed):
/// `张三|1234|广东省深圳市南山区科技园1号`. The phone alone is never the key.
pub fn pdd_buyer_key(name: &str, phone: &str, address: &str) -> String {
    let tail = phone_tail(phone).unwrap_or_default();
    let addr: String = address.chars().filter(|c| !c.is_whitespace()).collect();
    format!("{name}|{tail}|{addr}")
}

/// Pinduoduo order numbers start with the order date, `yyMMdd-…`.
fn pdd_date_from_order_no(order_no: &str) -> Option<String> {
    let (prefix, _) = order_no.split_once('-')?;
    if prefix.len() != 6 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let text = format!("20{}-{}-{}", &prefix[..2], &prefix[2..4], &prefix[4..]);
    time::parse_time(&text).ok().flatten()
}
