//! The loyalty-points ledger: entries with running balances, a customer's balance.

use crate::domain::tier::Tier;
use serde::Serialize;

/// One ledger entry with the customer's balance after it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub created_at: String,
    pub delta: i64,
    pub kind: String,
    pub ref_order_id: Option<i64>,
    pub ref_order_no: Option<String>,
    pub ref_complaint_id: Option<i64>,
    pub note: String,
    pub balance: i64,
}

/// A customer's points and tier.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PointsBalance {
    pub customer_id: i64,
    pub customer: String,
    pub balance: i64,
    pub tier: Tier,
    /// Spend (paid − refund on completed orders) over the 12 months ending now.
    pub spend_12m_fen: i64,
}
