//! Order rows of the platforms whose buyer is keyed by a buyer column when
//! the export has one, else by the receiver (Kuaishou, Youzan): the key, the
//! refund that went back, the status it settles, and the row's one line.

use super::{Cells, Reason, set};
use crate::domain::OrderStatus;
use crate::domain::text::{digits, phone_tail};
use crate::import::presets::Field;
use crate::import::record::{LineRecord, OrderRecord};

/// The receiver's phone and address into `o`: the address column, else its
/// parts (province, city, district, street) joined by spaces.
pub(super) fn read_receiver(c: &Cells, o: &mut OrderRecord) {
    c.text_into(Field::Mobile, &mut o.phone);
    c.text_into(Field::Address, &mut o.address);
    if o.address.is_empty() {
        let parts: Vec<String> = [Field::Province, Field::City, Field::District, Field::Street]
            .iter()
            .map(|f| c.text(*f))
            .filter(|s| !s.is_empty())
            .collect();
        o.address = parts.join(" ");
    }
}

/// The buyer key: the buyer column when the row has it, else the receiver
/// ([`receiver_key`]). The name shown is the buyer column, unless it is a
/// number (a buyer id says little to a seller) and the receiver has a name.
pub(super) fn key_buyer(c: &Cells, o: &mut OrderRecord) -> Result<(), Reason> {
    c.text_into(Field::Buyer, &mut o.buyer_key);
    if !o.buyer_key.is_empty() {
        let is_id = o.buyer_key.bytes().all(|b| b.is_ascii_digit());
        if is_id && !o.name.is_empty() {
            set(&mut o.nick, &o.name);
        } else {
            set(&mut o.nick, &o.buyer_key);
        }
        return Ok(());
    }
    if o.name.is_empty() {
        return Err(if c.map.get(Field::Name).is_some() {
            Reason::NoReceiver {
                column: c.label(Field::Name).to_string(),
            }
        } else {
            Reason::NoBuyer {
                column: c.label(Field::Buyer).to_string(),
            }
        });
    }
    o.buyer_key = receiver_key(&o.name, &o.phone, &o.address);
    set(&mut o.nick, &o.name);
    Ok(())
}

/// A buyer keyed by the receiver, as for Pinduoduo: name, the phone's last
/// four digits and the address without spaces (`张三|1234|浙江省杭州市…`).
/// A masked (`138****1234`) or encrypted (`##…`, `$$…`) phone is never part
/// of an identity: such a row is keyed by name and address (`张三||浙江省…`).
pub fn receiver_key(name: &str, phone: &str, address: &str) -> String {
    let tail = if phone_is_identity(phone) {
        phone_tail(phone).unwrap_or_default()
    } else {
        String::new()
    };
    let addr: String = address.chars().filter(|c| !c.is_whitespace()).collect();
    format!("{name}|{tail}|{addr}")
}

/// Whether a phone cell is a whole phone number: at least 7 digits and
/// nothing but digits, `-`, `+` and spaces, so a masked (`138****1234`) or
/// encrypted (`##…`, `$$…`) one never is.
pub fn phone_is_identity(phone: &str) -> bool {
    digits(phone).len() >= 7
        && phone
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b' '))
}

/// Whether a refund or after-sale state says the money went back (a refund
/// asked for, under way, refused or withdrawn did not).
pub fn money_went_back(state: &str) -> bool {
    ["退款成功", "已退款", "退款完成"]
        .iter()
        .any(|w| state.contains(w))
}

/// The refund that went back: the refund amount column when the state (if
/// the export has one) says the money went back, else the amount paid when
/// the state says so, else nothing.
pub(super) fn refund_back(c: &Cells, paid_fen: i64, state_fields: &[Field]) -> Result<i64, Reason> {
    let has_state = state_fields.iter().any(|f| c.map.get(*f).is_some());
    let back = state_fields.iter().any(|f| money_went_back(c.cell(*f)));
    if c.map.get(Field::Refund).is_some() && (back || !has_state) {
        let amount = c.refund_money(Field::Refund)?;
        if amount > 0 {
            return Ok(amount.min(paid_fen));
        }
    }
    Ok(if back { paid_fen } else { 0 })
}

/// The status after the refund: refunded when the money went back in full,
/// or when the order closed with some money back. An order never paid has
/// paid nothing (its 实付 cell holds what it would have cost): an unpaid one,
/// or one closed with no payment time in an export that has the column.
pub(super) fn settle(c: &Cells, o: &mut OrderRecord, status: OrderStatus) {
    o.status = status;
    let never_paid = o.paid_at.is_none()
        && (status == OrderStatus::Unpaid
            || (status == OrderStatus::Closed
                && o.refund_fen == 0
                && c.map.get(Field::PaidAt).is_some()));
    if never_paid {
        if o.total_fen == 0 {
            o.total_fen = o.paid_fen;
        }
        o.paid_fen = 0;
        o.refund_fen = 0;
    }
    if o.refund_fen > 0 && (status == OrderStatus::Closed || o.refund_fen >= o.paid_fen) {
        o.status = OrderStatus::Refunded;
    }
}

/// The row's one line, and the order's totals from it.
pub(super) fn inline_line(c: &Cells, line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
    if o.total_fen == 0 {
        o.total_fen = o.goods_fen.saturating_add(o.postage_fen);
    }
    if o.total_fen == 0 {
        o.total_fen = o.paid_fen;
    }
    o.item_kinds = 1;
    let qty = o.item_qty.max(1);
    let mut price_fen = c.money(Field::Price)?;
    if price_fen == 0 {
        let goods = if o.goods_fen > 0 {
            o.goods_fen
        } else {
            o.total_fen
        };
        price_fen = goods / qty;
    }
    o.inline_line = Some(LineRecord {
        line,
        order_no: o.order_no.clone(),
        title: o.title.clone(),
        props: c.text(Field::Props),
        price_fen,
        qty: o.item_qty,
        refund_fen: o.refund_fen,
        status_raw: o.status_raw.clone(),
        merchant_code: c.text(Field::MerchantCode),
        ..LineRecord::default()
    });
    Ok(())
}

/// A line's amount, price × quantity, bounded like an order's amount.
pub(super) fn line_amount(c: &Cells, price: i64, qty: i64) -> Result<i64, Reason> {
    price
        .checked_mul(qty.max(0))
        .filter(|v| *v <= crate::domain::money::MAX_ORDER_FEN)
        .ok_or_else(|| Reason::AmountTooLarge {
            column: c.label(Field::Price).to_string(),
            value: format!("{price} × {qty}"),
        })
}
