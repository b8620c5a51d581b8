//! Follow-ups (回访) and feedback (满意度) as the store gives and takes them.

use crate::domain::followup::{FollowupReason, FollowupStatus};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// A follow-up the seller adds by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowup {
    pub customer_id: i64,
    /// An order number of this customer's, if the task is about one.
    pub order_no: Option<String>,
    pub due: NaiveDate,
    pub reason: FollowupReason,
    pub note: String,
}

/// One follow-up, as lists and `--json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowupRow {
    pub id: i64,
    /// `platform:key`.
    pub customer: String,
    pub customer_id: i64,
    /// The buyer's shown name (nickname, else receiver name).
    #[serde(skip)]
    pub buyer: String,
    pub order_no: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub reason: FollowupReason,
    /// The planning rule's kind, or `None` when added by hand.
    pub rule: Option<String>,
    pub status: FollowupStatus,
    pub note: String,
    pub outcome: String,
    pub satisfaction: Option<i64>,
    pub created_at: String,
}

/// Which follow-ups a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FollowupFilter {
    pub open_only: bool,
    /// Due on or before this day.
    pub due_by: Option<NaiveDate>,
    pub customer_id: Option<i64>,
}

/// What planning made (or would make, on a dry run).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PlanResult {
    pub created: i64,
    /// Tasks per rule name (`after-order`, `after-complaint`, `segment:at-risk`).
    pub by_rule: BTreeMap<String, i64>,
}

/// Where a satisfaction score came from.
pub use crate::domain::followup::FeedbackSource;

/// A feedback record the seller adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    pub customer_id: i64,
    pub order_no: Option<String>,
    pub score: i64,
    pub source: FeedbackSource,
    pub text: String,
}

/// One feedback record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackRow {
    pub id: i64,
    pub customer: String,
    pub customer_id: i64,
    pub order_no: Option<String>,
    pub score: i64,
    pub source: FeedbackSource,
    pub text: String,
    pub at: String,
}
