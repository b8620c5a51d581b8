//! Kuaishou 快手小店 order rows: one order with its one item. The buyer is
//! 买家ID (or a nickname column) when the export carries one, else derived
//! from the receiver like Pinduoduo's; 退货退款 moves an order to refunded
//! only once the money went back.

use super::receiver::{inline_line, key_buyer, read_receiver, refund_back, settle};
use super::{Cells, Reason};
use crate::domain::status;
use crate::import::presets::Field;
use crate::import::record::OrderRecord;

pub(crate) fn order(c: &Cells, line: u64, o: &mut OrderRecord) -> Result<(), Reason> {
    read_receiver(c, o);
    key_buyer(c, o)?;
    o.refund_fen = refund_back(c, o.paid_fen, &[Field::AfterSale])?;
    settle(c, o, status::kuaishou_status(&o.status_raw));
    inline_line(c, line, o)
}
