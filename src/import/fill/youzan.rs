//! Youzan 有赞 order rows: one order with its item. The buyer is 买家昵称
//! when the export carries it, else derived from the receiver
//! (收货人/提货人 …) like Pinduoduo's; a 退款状态 moves an order to refunded
//! only once the money went back.

use super::receiver::{inline_line, key_buyer, read_receiver, refund_back, settle};
use super::{Cells, Reason};
use crate::domain::status;
use crate::import::presets::Field;
use crate::import::record::OrderRecord;

pub(crate) fn order(c: &Cells, line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
    read_receiver(c, o);
    key_buyer(c, o)?;
    o.refund_fen = refund_back(c, o.paid_fen, &[Field::RefundStatus, Field::AfterSale])?;
    settle(c, o, status::youzan_status(&o.status_raw));
    inline_line(c, line, o)
}
