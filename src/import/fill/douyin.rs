//! Douyin 抖店 order rows: one row per 子订单, no buyer id (the key is
//! derived from the receiver), masked or encrypted personal fields kept as
//! given. Each row is one line; `import::group` makes one order of a
//! 主订单编号's rows.

use super::receiver::{money_went_back, receiver_key};
use super::{Cells, Reason, set};
use crate::domain::status;
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
    o.buyer_key = receiver_key(&o.name, &o.phone, &o.address);
    set(&mut o.nick, &o.name);
    // 订单应付金额 is this line's payable amount; the money went back only
    // when the after-sale says a refund succeeded.
    if money_went_back(c.cell(Field::AfterSale)) {
        o.refund_fen = o.paid_fen;
    }
    o.status = status::map(crate::domain::Platform::Douyin, &o.status_raw, o.refund_fen);
    let price = c.money(Field::Price)?;
    let qty = c.count(Field::Quantity)?;
    o.item_qty = qty;
    o.goods_fen = super::receiver::line_amount(c, price, qty)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_and_encrypted_phones_are_not_identity() {
        assert_eq!(
            receiver_key("张三", "13812341234", "广东省 深圳市 南山区"),
            "张三|1234|广东省深圳市南山区"
        );
        assert_eq!(
            receiver_key("张三", "138****1234", "广东省 深圳市"),
            "张三||广东省深圳市"
        );
        assert_eq!(
            receiver_key("张三", "$$Aa8f3kQ1234$$", "广东省 深圳市"),
            "张三||广东省深圳市"
        );
        assert_eq!(
            receiver_key("张三", "##9f8a1234##", "广东省 深圳市"),
            "张三||广东省深圳市"
        );
        assert_eq!(receiver_key("张三", "", "广东省"), "张三||广东省");
    }

    #[test]
    fn refunds_only_when_the_money_went_back() {
        assert!(money_went_back("退款成功"));
        assert!(money_went_back("已退款"));
        assert!(money_went_back("退货退款成功"));
        assert!(!money_went_back("售后中"));
        assert!(!money_went_back("退款关闭"));
        assert!(!money_went_back(""));
    }
}
