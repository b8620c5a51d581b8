//! Customers as the store gives them: list rows, the card, contacts, notes, shop totals.

use super::order::{OrderRow, Receiver};
use serde::Serialize;
use std::collections::BTreeMap;

/// A customer as lists show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub platform: String,
    pub buyer: String,
    pub nick: String,
    pub name: String,
    pub phone: String,
    pub orders: i64,
    pub paid_fen: i64,
    pub refund_fen: i64,
    pub first_order_at: Option<String>,
    pub last_order_at: Option<String>,
    pub last_order_no: Option<String>,
    pub last_order_status: Option<String>,
    pub blacklisted: bool,
    /// Points balance (sum of the ledger).
    pub points: i64,
    /// Completed spend over the last 12 months (the tier's measure).
    pub spend_12m_fen: i64,
    /// Valid orders (paid, shipped, completed) and the latest one's creation
    /// time: what the RFM segment counts.
    pub valid_orders: i64,
    pub last_valid_at: Option<String>,
    /// Predicted net spend over the next 12 months (0 before any prediction).
    pub value_12m_fen: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub created_at: String,
    /// Later than `created_at` once the note was edited.
    pub updated_at: String,
    pub body: String,
}

/// Everything the customer card shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CustomerCard {
    pub customer: CustomerRow,
    pub receivers: Vec<Receiver>,
    pub recent_orders: Vec<OrderRow>,
    pub notes: Vec<Note>,
    pub tags: Vec<String>,
    /// When blacklisted: the listing (when and why).
    pub blacklist: Option<super::BlacklistEvent>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Stats {
    pub customers: i64,
    pub orders: i64,
    pub lines: i64,
    pub paid_fen: i64,
    pub refund_fen: i64,
    pub status_counts: BTreeMap<String, i64>,
    pub rejects: i64,
    pub blacklisted: i64,
    /// Sum of every points balance (all ledger deltas).
    pub points_outstanding: i64,
    /// Complaints open or processing.
    pub complaints_open: i64,
}

impl CustomerRow {
    /// What the customer's RFM segment is computed from.
    pub fn segment_facts(&self) -> crate::domain::segment::CustomerFacts {
        crate::domain::segment::CustomerFacts {
            valid_orders: self.valid_orders,
            paid_fen: self.paid_fen,
            refund_fen: self.refund_fen,
            last_valid_at: self
                .last_valid_at
                .as_deref()
                .and_then(crate::domain::time::parse_stored),
        }
    }
}
