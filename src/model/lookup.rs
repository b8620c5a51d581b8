//! Quick lookup results: the buyer found, what matched, a page of hits.

use crate::domain::lookup::{MatchField, MatchRank};
use serde::Serialize;

/// How the query matched a customer: the field and its value (phones masked
/// unless revealed).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Matched {
    pub field: MatchField,
    pub value: String,
}

/// One customer found by quick lookup.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LookupHit {
    pub id: i64,
    pub platform: String,
    pub buyer: String,
    pub nick: String,
    pub name: String,
    pub phone: String,
    pub orders: i64,
    pub paid_fen: i64,
    pub refund_fen: i64,
    pub last_order_at: Option<String>,
    pub last_order_no: Option<String>,
    pub last_order_status: Option<String>,
    pub blacklisted: bool,
    /// Points balance.
    pub points: i64,
    /// Complaints still open or in progress: worth knowing before replying.
    pub open_complaints: i64,
    /// What matched: `{field, value}`.
    pub matched: Matched,
    #[serde(skip)]
    pub rank: MatchRank,
    /// The order whose number matched, to open it.
    #[serde(skip)]
    pub order_id: Option<i64>,
}

/// One page of lookup results and how many customers match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupPage {
    pub hits: Vec<LookupHit>,
    /// Customers matching (at most [`COUNT_CAP`] when `capped`).
    pub total: usize,
    /// More than [`COUNT_CAP`] match: `total` is a floor.
    pub capped: bool,
}

impl LookupPage {
    /// "30", or "1000+" when capped.
    pub fn total_label(&self) -> String {
        if self.capped {
            format!("{}+", self.total)
        } else {
            self.total.to_string()
        }
    }
}
