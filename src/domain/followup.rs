//! Follow-ups (回访): why a seller contacts a buyer, where a task stands, and
//! the rules that plan tasks from orders, complaints and segments. The rules
//! are plain data here; the store applies them (`db/followups.rs`).

use super::complaint::code_enum;
use super::segment::Segment;
use super::tier::Tier;
use chrono::{Duration, NaiveDate};

code_enum!(
    /// Why the seller gets in touch.
    FollowupReason {
        AfterSale = "after-sale", "售后回访" | "售后" | "after_sale";
        Complaint = "complaint", "投诉回访" | "投诉";
        Vip = "vip", "VIP关怀" | "VIP" | "关怀";
        WinBack = "win-back", "挽回" | "win_back" | "winback";
        Custom = "custom", "其他" | "other";
    }
);

code_enum!(
    /// Where a follow-up stands: open until done (with an outcome) or skipped.
    FollowupStatus {
        Open = "open", "待回访";
        Done = "done", "已完成" | "完成";
        Skipped = "skipped", "已跳过" | "跳过" | "skip";
    }
);

code_enum!(
    /// Where a satisfaction score came from.
    FeedbackSource {
        Followup = "followup", "回访";
        Complaint = "complaint", "投诉";
        Survey = "survey", "问卷" | "调查";
        Review = "review", "评价";
        Chat = "chat", "聊天" | "旺旺" | "沟通";
    }
);

/// A planning rule from the config (`[[followups.rules]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A task `days` after the paid date of each completed order whose buyer
    /// is at least `min_tier` now; only tasks due no earlier than
    /// `lookback_days` before today (two years of history make no backlog).
    AfterOrder {
        days: i64,
        min_tier: Option<Tier>,
        lookback_days: i64,
    },
    /// A task `days` after a complaint was resolved or closed; as for orders,
    /// only tasks due no earlier than `lookback_days` before today.
    AfterComplaint { days: i64, lookback_days: i64 },
    /// A task due today for each customer in `segment` who had no task from
    /// this rule in the last `every_days`.
    Segment { segment: Segment, every_days: i64 },
}

/// How far back a rule looks for orders or complaints by default.
pub const DEFAULT_LOOKBACK_DAYS: i64 = 30;

impl Rule {
    /// The rule's kind, as the config and `followup plan --json` name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::AfterOrder { .. } => "after-order",
            Rule::AfterComplaint { .. } => "after-complaint",
            Rule::Segment { .. } => "segment",
        }
    }

    /// The rule's name in a plan's counts: its kind, and the segment for a
    /// segment rule (`segment:at-risk`), so two segment rules count apart.
    pub fn name(&self) -> String {
        match self {
            Rule::Segment { segment, .. } => format!("segment:{}", segment.code()),
            r => r.kind().to_string(),
        }
    }

    /// Why the tasks it plans are made.
    pub fn reason(&self) -> FollowupReason {
        match self {
            Rule::AfterOrder {
                min_tier: Some(t), ..
            } if *t > Tier::Regular => FollowupReason::Vip,
            Rule::AfterOrder { .. } => FollowupReason::AfterSale,
            Rule::AfterComplaint { .. } => FollowupReason::Complaint,
            Rule::Segment { .. } => FollowupReason::WinBack,
        }
    }

    /// The rules a new config starts with: after-order 7 days for 银卡 and
    /// above, after-complaint 3 days, the at-risk segment every 30 days.
    pub fn defaults() -> Vec<Rule> {
        vec![
            Rule::AfterOrder {
                days: 7,
                min_tier: Some(Tier::Silver),
                lookback_days: DEFAULT_LOOKBACK_DAYS,
            },
            Rule::AfterComplaint {
                days: 3,
                lookback_days: DEFAULT_LOOKBACK_DAYS,
            },
            Rule::Segment {
                segment: Segment::AtRisk,
                every_days: 30,
            },
        ]
    }
}

/// The due date of a task planned `days` after `from`.
pub fn due_after(from: NaiveDate, days: i64) -> NaiveDate {
    from.checked_add_signed(Duration::days(days))
        .unwrap_or(from)
}

/// Whether a task due `due` is recent enough to plan today: no earlier than
/// `lookback_days` before `today`.
pub fn within_lookback(due: NaiveDate, today: NaiveDate, lookback_days: i64) -> bool {
    due >= today - Duration::days(lookback_days.max(0))
}

/// A satisfaction score: 1 to 5.
pub fn valid_score(n: i64) -> bool {
    (1..=5).contains(&n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reasons_and_statuses_read_either_language() {
        assert_eq!(
            FollowupReason::parse("售后回访"),
            Some(FollowupReason::AfterSale)
        );
        assert_eq!(
            FollowupReason::parse("win-back"),
            Some(FollowupReason::WinBack)
        );
        assert_eq!(FollowupReason::parse("VIP关怀"), Some(FollowupReason::Vip));
        assert_eq!(FollowupReason::parse("nonsense"), None);
        assert_eq!(FollowupStatus::Skipped.code(), "skipped");
        assert_eq!(FollowupReason::Custom.label(Lang::Zh), "其他");
    }

    #[test]
    fn default_rules_are_the_three_the_config_documents() {
        let names: Vec<String> = Rule::defaults().iter().map(Rule::name).collect();
        assert_eq!(names, ["after-order", "after-complaint", "segment:at-risk"]);
        assert_eq!(Rule::defaults()[0].reason(), FollowupReason::Vip);
        assert_eq!(Rule::defaults()[2].reason(), FollowupReason::WinBack);
    }

    #[test]
    fn lookback_bounds_the_oldest_due_date() {
        let today = d("2025-12-01");
        assert!(within_lookback(d("2025-11-01"), today, 30));
        assert!(!within_lookback(d("2025-10-31"), today, 30));
        assert!(within_lookback(d("2026-01-10"), today, 30));
        assert_eq!(due_after(d("2025-11-28"), 7), d("2025-12-05"));
        assert!(valid_score(1) && valid_score(5) && !valid_score(0) && !valid_score(6));
    }
}
