//! Today (今天): whom to contact this morning and why, as facts; the views
//! and the CLI put the why into the seller's words.

use super::followup::FollowupRow;
use serde::Serialize;

/// Who an item of Today is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Who {
    /// `platform:key`.
    pub customer: String,
    pub customer_id: i64,
    /// The buyer's shown name (nickname, else receiver name).
    pub buyer: String,
}

/// A complaint past its resolution target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueComplaint {
    #[serde(flatten)]
    pub who: Who,
    pub complaint_id: i64,
    pub summary: String,
    pub created_at: String,
    /// Hours past the resolution target.
    pub hours_over: i64,
}

/// A valuable buyer whose recency crossed the threshold in the last 7 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slipping {
    #[serde(flatten)]
    pub who: Who,
    pub last_valid_at: String,
    /// Paid − refunded over all orders.
    pub value_fen: i64,
    /// Days since the last valid order.
    pub days_since: i64,
}

/// A buyer due to reorder: time since the last valid order is between one
/// and one and a half times their median gap between valid orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reorder {
    #[serde(flatten)]
    pub who: Who,
    pub valid_orders: i64,
    pub median_gap_days: i64,
    pub days_since: i64,
}

/// Points about to expire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    #[serde(flatten)]
    pub who: Who,
    pub points: i64,
    /// The day by which they expire (`YYYY-MM-DD`).
    pub by: String,
}

/// The Today list, each section in the order a seller works it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Today {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub followups: Vec<FollowupRow>,
    pub complaints_overdue: Vec<OverdueComplaint>,
    pub slipping: Vec<Slipping>,
    pub reorders: Vec<Reorder>,
    /// Empty when points never expire.
    pub points_expiring: Vec<Expiring>,
}

/// The median of `gaps` (sorted in place): the middle one, or the mean of
/// the two middle ones for an even count.
pub fn median(gaps: &mut [i64]) -> Option<i64> {
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let n = gaps.len();
    Some(if n % 2 == 1 {
        gaps[n / 2]
    } else {
        (gaps[n / 2 - 1] + gaps[n / 2]) / 2
    })
}
