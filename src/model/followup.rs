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
    /// When it was heard (`YYYY-MM-DD HH:MM:SS`); now when `None`.
    pub at: Option<String>,
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

/// How satisfaction scores are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SatisfactionBy {
    /// `YYYY-MM` of the feedback time.
    Month,
    Source,
    /// The complaint's category for complaint feedback, `none` otherwise.
    Category,
    /// The customer's RFM segment now.
    Segment,
    /// The customer's member tier now.
    Tier,
}

impl SatisfactionBy {
    pub fn parse(s: &str) -> Option<SatisfactionBy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "month" | "月" | "月份" => Some(SatisfactionBy::Month),
            "source" | "来源" => Some(SatisfactionBy::Source),
            "category" | "类别" => Some(SatisfactionBy::Category),
            "segment" | "分群" => Some(SatisfactionBy::Segment),
            "tier" | "等级" => Some(SatisfactionBy::Tier),
            _ => None,
        }
    }
}

/// Scores summed up: how many, their mean (2 decimals) and the share of low
/// scores, 2 or less (4 decimals). `None` when there is no score.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ScoreSummary {
    pub count: i64,
    pub mean: Option<f64>,
    pub low_share: Option<f64>,
}

/// One group of scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreGroup {
    pub key: String,
    #[serde(flatten)]
    pub scores: ScoreSummary,
}

/// Satisfaction overall and by a grouping, groups ordered by key.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Satisfaction {
    pub overall: ScoreSummary,
    pub groups: Vec<ScoreGroup>,
}

/// Sums of scores, summed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreSums {
    pub count: i64,
    pub total: i64,
    pub low: i64,
}

impl ScoreSums {
    pub fn add(&mut self, o: ScoreSums) {
        self.count += o.count;
        self.total += o.total;
        self.low += o.low;
    }

    pub fn summary(self) -> ScoreSummary {
        if self.count == 0 {
            return ScoreSummary::default();
        }
        let round = |x: f64, places: i32| {
            let f = 10f64.powi(places);
            (x * f).round() / f
        };
        let n = self.count as f64;
        ScoreSummary {
            count: self.count,
            mean: Some(round(self.total as f64 / n, 2)),
            low_share: Some(round(self.low as f64 / n, 4)),
        }
    }
}
