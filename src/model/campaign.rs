//! Campaigns (精准营销): whom they picked, whom they held back, what came back.

use crate::domain::segment::Segment;
use crate::domain::tier::Tier;
use serde::Serialize;

/// Who a campaign picks. Values of one filter are alternatives; every
/// filter given must hold. Blacklisted customers are never picked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CampaignFilters {
    pub segments: Vec<Segment>,
    pub tiers: Vec<Tier>,
    pub tags: Vec<String>,
}

/// A campaign to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    pub name: String,
    pub filters: CampaignFilters,
    pub template: String,
    pub coupon: String,
    /// Per cent of the picked customers held back as a control group.
    pub control_pct: i64,
    pub seed: u64,
    /// When it went out (`YYYY-MM-DD HH:MM:SS`); now when `None`.
    pub at: Option<String>,
}

/// A campaign as `campaign show` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub filters: CampaignFilters,
    pub template: String,
    pub coupon: String,
    pub control_pct: i64,
    pub seed: u64,
    /// `platform:key` of each recipient (the control excluded).
    pub recipients: Vec<String>,
    /// `platform:key` of each customer held back.
    pub control: Vec<String>,
}

/// One line of `campaign list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub recipients: i64,
    pub control: i64,
}

/// What a campaign brought back within `days` of its time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignReport {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub days: i64,
    pub recipients: i64,
    pub control: i64,
    pub responders: i64,
    pub control_responders: i64,
    /// Rounded to 4 decimals; `None` for an empty group.
    pub response_rate: Option<f64>,
    pub control_rate: Option<f64>,
    /// response_rate − control_rate, 4 decimals.
    pub lift: Option<f64>,
    /// What the recipients' responding orders paid.
    pub revenue_fen: i64,
}
