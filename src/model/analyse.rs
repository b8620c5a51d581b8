//! The shop analysis (数据分析) as `kehu analyse` prints it and the app's
//! analysis view draws it: sales by month, repurchase, segments, tiers and the
//! top items. Money is integer fen; the one rate is rounded to 4 decimals.

use serde::Serialize;

/// One calendar month (Beijing time) with orders created in it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Every order created that month.
    pub orders: i64,
    /// Those paid, shipped or completed.
    pub valid_orders: i64,
    /// Distinct customers with a valid order that month.
    pub buyers: i64,
    /// Buyers whose first valid order ever is in this month.
    pub new_buyers: i64,
    /// `buyers − new_buyers`.
    pub returning_buyers: i64,
    /// Paid and refunded over all the month's orders (as `stats` sums them).
    pub paid_fen: i64,
    pub refund_fen: i64,
}

/// Customers of one segment or tier, with their net spend.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GroupRow {
    /// The code (`top`, `silver`…).
    #[serde(skip)]
    pub code: String,
    pub customers: i64,
    /// Paid − refunded over all their orders.
    pub net_fen: i64,
}

/// An item title's sales over the valid orders' item lines.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ItemRow {
    pub title: String,
    /// Distinct orders with a line of this title.
    pub orders: i64,
    /// Sum of the lines' quantities (购买数量).
    pub quantity: i64,
    /// Sum of price × quantity.
    pub paid_fen: i64,
    /// Complaints whose order holds a line of this title.
    pub complaints: i64,
}

/// The months the analysis is restricted to, both inclusive (`YYYY-MM`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The whole analysis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Oldest first; months without orders left out.
    pub months: Vec<MonthRow>,
    /// Customers with ≥ 2 valid orders over those with ≥ 1 (0 with none).
    pub repurchase_rate: f64,
    /// Customers with ≥ 1 and ≥ 2 valid orders.
    pub buyers: i64,
    pub repeat_buyers: i64,
    /// The eight RFM segments, most valuable first, each listed.
    pub segments: Vec<GroupRow>,
    /// The four tiers, regular first, each listed.
    pub tiers: Vec<GroupRow>,
    /// The top 20 by `paid_fen` (ties by title).
    pub top_items: Vec<ItemRow>,
}

/// How many items `top_items` holds at most.
pub const TOP_ITEMS: usize = 20;

/// `x` rounded to 4 decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
