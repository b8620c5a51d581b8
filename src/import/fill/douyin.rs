//! Douyin 抖店 order rows: one row per 子订单, no buyer id (the key is
//! derived from the receiver), masked or encrypted personal fields kept as
//! given. Each row is one line; `import::group` makes one order of a
//! 主订单编号's rows.

use super::{Cells, Reason, set};
use crate::domain::status;
use crate::domain::text::phone_tail;
use crate::import::presets::Field;
use crate::import::record::{LineRecord, OrderRecord};

pub(crate) fn order(c: &Cells, line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
    c.text_into(Field::Mobile, &mut o.phone);
    let parts: Vec<String> = [
        Field::Province,
        Field::City,
        Field::District,
        Field::Street,
        Field::Address,
    ]
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
    if crate::import::clean::is_placeholder(&o.message) {
        o.message.clear();
    }
    o.buyer_key = douyin_buyer_key(&o.name, &o.phone, &o.address);
    set(&mut o.nick, &o.name);
    // 订单应付金额 is this line's payable amount; the money went back only
    // when the after-sale says a refund succeeded.
    if refund_paid(&c.text(Field::AfterSale)) {
        o.refund_fen = o.paid_fen;
    }
    o.status = status::map(crate::domain::Platform::Douyin, &o.status_raw, o.refund_fen);
    let price = c.money(Field::Price)?;
    let qty = c.count(Field::Quantity)?;
    o.item_qty = qty;
    o.goods_fen = price
        .checked_mul(qty.max(0))
        .filter(|v| *v <= crate::domain::money::MAX_ORDER_FEN)
        .ok_or_else(|| Reason::AmountTooLarge {
            column: c.label(Field::Price).to_string(),
            value: format!("{price} × {qty}"),
        })?;
    o.total_fen = o.goods_fen + o.postage_fen;
    o.item_kinds = 1;
    o.lines.push(LineRecord {
        line,
        order_no: o.order_no.clone(),
        sub_order_no: c.text(Field::SubOrderNo),
        title: o.title.clone(),
        props: c.text(Field::Props),
        price_fen: price,
        qty,
        refund_fen: o.refund_fen,
        status_raw: o.status_raw.clone(),
        merchant_code: c.text(Field::MerchantCode),
        remark: String::new(),
    });
    Ok(())
}

/// Whether a 售后状态 says the money went back to the buyer.
pub(crate) fn refund_paid(after_sale: &str) -> bool {
    after_sale.contains("退款成功") || matches!(after_sale, "已退款" | "退款完成")
}

/// Whether a phone cell is a whole number kehu can read: not masked
/// (`138****1234`) and not encrypted (`##…`, `$$…`).
pub fn is_full_phone(phone: &str) -> bool {
    let digits = phone.bytes().filter(u8::is_ascii_digit).count();
    digits >= 7
        && phone
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b' '))
}

/// Douyin exports carry no buyer id. kehu keys such a buyer like a
/// Pinduoduo one — receiver name, the phone's last four digits and the
/// address (省 市 区 街道 详细地址, spaces removed) joined by `|` — except that
/// a masked or encrypted phone is never part of an identity: such a row is
/// keyed by name and address only, `张三||广东省深圳市南山区粤海街道科技园1号`.
pub fn douyin_buyer_key(name: &str, phone: &str, address: &str) -> String {
    let tail = if is_full_phone(phone) {
        phone_tail(phone).unwrap_or_default()
    } else {
        String::new()
    };
    let addr: String = address.chars().filter(|c| !c.is_whitespace()).collect();
    format!("{name}|{tail}|{addr}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_and_encrypted_phones_are_not_identity() {
        assert_eq!(
            douyin_buyer_key("张三", "13812341234", "广东省 深圳市 南山区"),
            "张三|1234|广东省深圳市南山区"
        );
        assert_eq!(
            douyin_buyer_key("张三", "138****1234", "广东省 深圳市"),
            "张三||广东省深圳市"
        );
        assert_eq!(
            douyin_buyer_key("张三", "$$Aa8f3kQ1234$$", "广东省 深圳市"),
            "张三||广东省深圳市"
        );
        assert_eq!(
            douyin_buyer_key("张三", "##9f8a1234##", "广东省 深圳市"),
            "张三||广东省深圳市"
        );
        assert_eq!(douyin_buyer_key("张三", "", "广东省"), "张三||广东省");
    }

    #[test]
    fn refunds_only_when_the_money_went_back() {
        assert!(refund_paid("退款成功"));
        assert!(refund_paid("已退款"));
        assert!(refund_paid("退货退款成功"));
        assert!(!refund_paid("售后中"));
        assert!(!refund_paid("退款关闭"));
        assert!(!refund_paid(""));
    }
}
