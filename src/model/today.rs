//! Today (今天): whom to contact this morning and why, as facts; the views
//! and the CLI put the why into the seller's words.

use super::followup::FollowupRow;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::serve as say;
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

/// Which section of Today an item is in, in the order a seller works them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodayKind {
    Followup,
    Complaint,
    Slipping,
    Reorder,
    Points,
}

impl TodayKind {
    pub const ALL: [TodayKind; 5] = [
        TodayKind::Followup,
        TodayKind::Complaint,
        TodayKind::Slipping,
        TodayKind::Reorder,
        TodayKind::Points,
    ];

    /// The section's index for `i18n::serve::today_section`.
    pub fn index(self) -> usize {
        TodayKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// One line of Today: the buyer and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayItem {
    pub kind: TodayKind,
    pub customer_id: i64,
    /// `platform:key`.
    pub customer: String,
    pub buyer: String,
    /// Why, in the app's language.
    pub why: String,
    /// The follow-up this item is (follow-up items only).
    pub followup_id: Option<i64>,
}

impl Today {
    /// Every item, section by section, with why in `lang`: what the app's
    /// Today tab and `kehu today` both show.
    pub fn items(&self, lang: Lang) -> Vec<TodayItem> {
        let mut items = Vec::new();
        let mut push = |kind, who: &Who, why: String, followup_id| {
            items.push(TodayItem {
                kind,
                customer_id: who.customer_id,
                customer: who.customer.clone(),
                buyer: who.buyer.clone(),
                why,
                followup_id,
            })
        };
        for f in &self.followups {
            let who = Who {
                customer: f.customer.clone(),
                customer_id: f.customer_id,
                buyer: f.buyer.clone(),
            };
            let why = say::why_followup(lang, f.reason.label(lang), &f.due, &self.date);
            push(TodayKind::Followup, &who, why, Some(f.id));
        }
        for c in &self.complaints_overdue {
            let why = say::why_complaint(lang, &one_line(&c.summary), c.hours_over);
            push(TodayKind::Complaint, &c.who, why, None);
        }
        for s in &self.slipping {
            let value = crate::domain::Fen(s.value_fen).to_string();
            let why = say::why_slipping(lang, &value, s.days_since);
            push(TodayKind::Slipping, &s.who, why, None);
        }
        for r in &self.reorders {
            let why = say::why_reorder(lang, r.valid_orders, r.median_gap_days, r.days_since);
            push(TodayKind::Reorder, &r.who, why, None);
        }
        for p in &self.points_expiring {
            let why = say::why_points(lang, p.points, &p.by);
            push(TodayKind::Points, &p.who, why, None);
        }
        items
    }
}
