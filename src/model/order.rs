//! Orders as the store gives them: list rows, one order with its item lines.

use serde::Serialize;

/// An order as lists show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrderRow {
    pub id: i64,
    pub platform: String,
    pub order_no: String,
    pub created_at: String,
    pub customer_id: i64,
    pub buyer: String,
    pub status: String,
    pub status_raw: String,
    pub title: String,
    pub item_qty: i64,
    pub paid_fen: i64,
    pub refund_fen: i64,
}

/// An order line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrderLine {
    pub line_no: i64,
    pub title: String,
    pub props: String,
    pub price_fen: i64,
    pub qty: i64,
    pub refund_fen: i64,
    pub merchant_code: String,
}

/// Everything the order card shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrderDetail {
    pub order: OrderRow,
    pub goods_fen: i64,
    pub postage_fen: i64,
    pub total_fen: i64,
    pub paid_at: Option<String>,
    pub shipped_at: Option<String>,
    pub completed_at: Option<String>,
    pub message: String,
    pub remark: String,
    pub carrier: String,
    pub tracking_no: String,
    pub close_reason: String,
    pub receiver: Option<Receiver>,
    pub lines: Vec<OrderLine>,
}

/// A receiver (name, phone, address) a customer has used.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Receiver {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub first_seen: String,
}
