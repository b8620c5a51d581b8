//! Taobao/Tmall order rows: 买家会员名 is the buyer key; 交易关闭 with a
//! refund paid is refunded.

use super::{Cells, Reason, set};
use crate::domain::status;
use crate::import::presets::Field;
use crate::import::record::OrderRecord;

pub(crate) fn order(c: &Cells, _line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
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
    Ok(())
}
