//! Pinduoduo order rows: no buyer id, so the key is derived from the
//! receiver; a row is one order with its one line inline.

use super::{Cells, Reason, set};
use crate::domain::text::phone_tail;
use crate::domain::{OrderStatus, status, time};
use crate::import::presets::Field;
use crate::import::record::{LineRecord, OrderRecord};

pub(crate) fn order(c: &Cells, line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
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
    o.total_fen = o
        .goods_fen
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
pub(super) fn date_from_order_no(order_no: &str) -> Option<String> {
    let (prefix, _) = order_no.split_once('-')?;
    if prefix.len() != 6 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let text = format!("20{}-{}-{}", &prefix[..2], &prefix[2..4], &prefix[4..]);
    time::parse_time(&text).ok().flatten()
}
