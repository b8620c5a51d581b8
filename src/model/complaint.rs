//! Complaints: a new one, a move along its workflow, rows, history and statistics.

use crate::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
use serde::Serialize;

/// What `add_complaint` needs.
#[derive(Debug, Clone)]
pub struct NewComplaint {
    pub customer_id: i64,
    /// Order number; must belong to the customer.
    pub order_no: Option<String>,
    pub category: Category,
    pub severity: Severity,
    pub channel: Channel,
    pub summary: String,
    /// When the buyer complained (default: now). A seller may log it later.
    pub at: Option<String>,
}

/// Which complaints a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ComplaintFilter {
    /// Only those open or in progress.
    pub open_only: bool,
    /// Only one customer's.
    pub customer_id: Option<i64>,
}

/// A status change (or a note, when `to` equals the current status).
#[derive(Debug, Clone)]
pub struct ComplaintMove {
    pub to: ComplaintStatus,
    pub note: String,
    pub resolution: Option<String>,
    pub compensate_points: i64,
    pub compensate_fen: i64,
    pub coupon: Option<String>,
    pub satisfaction: Option<u8>,
    /// When the move happened (default: now).
    pub at: Option<String>,
}

/// One complaint as lists and the detail show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ComplaintRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub order_id: Option<i64>,
    pub order_no: Option<String>,
    pub category: String,
    pub severity: String,
    pub channel: String,
    pub summary: String,
    pub status: String,
    pub created_at: String,
    pub first_response_at: Option<String>,
    pub resolved_at: Option<String>,
    pub closed_at: Option<String>,
    pub resolution: String,
    pub compensation_fen: i64,
    pub compensation_points: i64,
    pub coupon: String,
    pub satisfaction: Option<i64>,
    pub overdue: bool,
}

/// One line of a complaint's history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ComplaintEvent {
    pub at: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ComplaintDetail {
    #[serde(flatten)]
    pub complaint: ComplaintRow,
    /// Oldest first.
    pub history: Vec<ComplaintEvent>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct CountBy {
    pub key: String,
    pub count: i64,
    /// The customer counted, for counts per customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ComplaintStats {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub by_category: Vec<CountBy>,
    pub by_month: Vec<CountBy>,
    /// Mean hours from creation to (latest) resolution, over resolved complaints.
    pub mean_hours_to_resolve: Option<f64>,
    /// Customers with two complaints or more, most first.
    pub repeat_complainers: Vec<CountBy>,
}

impl ComplaintMove {
    pub fn to(status: ComplaintStatus) -> ComplaintMove {
        ComplaintMove {
            to: status,
            note: String::new(),
            resolution: None,
            compensate_points: 0,
            compensate_fen: 0,
            coupon: None,
            satisfaction: None,
            at: None,
        }
    }
}
