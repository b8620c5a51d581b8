//! JD POP order rows: one row per SKU, the order's amounts repeated on each
//! row (`import::group` counts them once), 下单账号 the buyer key. An order
//! with no 付款确认时间 was never paid: it counts 0.

use super::{Cells, Reason, set};
use crate::domain::{OrderStatus, Platform, status};
use crate::import::presets::Field;
use crate::import::record::{LineRecord, OrderRecord};

pub(crate) fn order(c: &Cells, line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
    c.text_into(Field::Buyer, &mut o.buyer_key);
    if o.buyer_key.is_empty() {
        return Err(Reason::NoBuyer {
            column: c.label(Field::Buyer).to_string(),
        });
    }
    set(&mut o.nick, &o.buyer_key);
    c.text_into(Field::Mobile, &mut o.phone);
    c.text_into(Field::Address, &mut o.address);
    if o.paid_at.is_none() {
        o.paid_fen = 0;
    }
    o.status = status::jd_status(&o.status_raw);
    // Cancelled after payment: JD returns the money.
    if o.status == OrderStatus::Closed && o.paid_fen > 0 {
        o.refund_fen = o.paid_fen;
    }
    o.status = status::map(Platform::Jd, &o.status_raw, o.refund_fen);
    let price = c.money(Field::Price)?;
    let qty = c.count(Field::Quantity)?;
    o.item_qty = qty;
    o.goods_fen = super::receiver::line_amount(c, price, qty)?;
    if o.total_fen == 0 {
        o.total_fen = o.goods_fen + o.postage_fen;
    }
    o.item_kinds = 1;
    o.lines.push(LineRecord {
        line,
        order_no: o.order_no.clone(),
        title: o.title.clone(),
        price_fen: price,
        qty,
        status_raw: o.status_raw.clone(),
        merchant_code: c.text(Field::MerchantCode),
        ..LineRecord::default()
    });
    Ok(())
}
