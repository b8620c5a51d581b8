//! Customer segments: the 8-class RFM model (RFM 八类客户) sellers know from
//! the platforms' analytics and e-commerce courses.
//!
//! Each customer is scored high or low on three axes, from the columns the
//! import keeps on `customers` (so a segment is cheap to compute and to filter on):
//!
//! R and F count **valid orders** only: paid, shipped or completed
//! ([`crate::domain::OrderStatus::is_valid`]). An unpaid ¥0.00 order does not
//! make a buyer recent, nor a closed or refunded one frequent.
//!
//! - **R** recency: high when the last valid order (`last_valid_at`) is
//!   within [`SegmentRules::recent_days`] of now (Beijing time), inclusive.
//!   A customer without valid orders is low.
//! - **F** frequency: high at [`SegmentRules::frequent_orders`] valid orders
//!   or more (`valid_orders`).
//! - **M** monetary: high when net spend, paid − refunded over all orders
//!   (`paid_fen − refund_fen`), reaches [`SegmentRules::high_value_fen`].
//!
//! The eight combinations partition the customers: every customer is in
//! exactly one segment, so there is no precedence to remember.
//!
//! | R | F | M | segment |
//! |---|---|---|---|
//! | high | high | high | 重要价值客户 `top` |
//! | high | low | high | 重要发展客户 `promising` |
//! | low | high | high | 重要保持客户 `at-risk` |
//! | low | low | high | 重要挽留客户 `win-back` |
//! | high | high | low | 一般价值客户 `loyal` |
//! | high | low | low | 一般发展客户 `new` |
//! | low | high | low | 一般保持客户 `slipping` |
//! | low | low | low | 一般挽留客户 `dormant` |

use super::complaint::code_enum;
use chrono::NaiveDateTime;

code_enum!(
    /// One of the eight RFM classes. Declaration order: most valuable first.
    Segment {
        Top = "top", "重要价值客户" | "重要价值";
        Promising = "promising", "重要发展客户" | "重要发展";
        AtRisk = "at-risk", "重要保持客户" | "重要保持" | "at_risk" | "atrisk";
        WinBack = "win-back", "重要挽留客户" | "重要挽留" | "win_back" | "winback";
        Loyal = "loyal", "一般价值客户" | "一般价值";
        New = "new", "一般发展客户" | "一般发展";
        Slipping = "slipping", "一般保持客户" | "一般保持";
        Dormant = "dormant", "一般挽留客户" | "一般挽留";
    }
);

/// Default recency window: a last order within 90 days is recent.
pub const RECENT_DAYS: i64 = 90;
/// Default frequency threshold: two orders make a returning buyer.
pub const FREQUENT_ORDERS: i64 = 2;
/// Default monetary threshold: ¥500 of net spend (the silver tier's threshold).
pub const HIGH_VALUE_FEN: i64 = 500 * 100;

/// The three thresholds (config `[segments]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentRules {
    pub recent_days: i64,
    pub frequent_orders: i64,
    pub high_value_fen: i64,
}

impl Default for SegmentRules {
    fn default() -> Self {
        SegmentRules {
            recent_days: RECENT_DAYS,
            frequent_orders: FREQUENT_ORDERS,
            high_value_fen: HIGH_VALUE_FEN,
        }
    }
}

impl SegmentRules {
    /// The earliest last-order time that still counts as recent.
    pub fn recent_since(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - chrono::Duration::days(self.recent_days)
    }
}

/// What a segment is computed from: the customer's denormalised order facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerFacts {
    /// Valid orders (paid, shipped, completed).
    pub valid_orders: i64,
    /// Paid and refunded over all orders.
    pub paid_fen: i64,
    pub refund_fen: i64,
    /// Creation time of the latest valid order.
    pub last_valid_at: Option<NaiveDateTime>,
}

impl Segment {
    /// The segment of a customer at `now`.
    pub fn of(facts: &CustomerFacts, now: NaiveDateTime, rules: &SegmentRules) -> Segment {
        let r = facts
            .last_valid_at
            .is_some_and(|t| t >= rules.recent_since(now));
        let f = facts.valid_orders >= rules.frequent_orders;
        let m = facts.paid_fen.saturating_sub(facts.refund_fen) >= rules.high_value_fen;
        Segment::from_rfm(r, f, m)
    }

    pub fn from_rfm(recent: bool, frequent: bool, high_value: bool) -> Segment {
        match (recent, frequent, high_value) {
            (true, true, true) => Segment::Top,
            (true, false, true) => Segment::Promising,
            (false, true, true) => Segment::AtRisk,
            (false, false, true) => Segment::WinBack,
            (true, true, false) => Segment::Loyal,
            (true, false, false) => Segment::New,
            (false, true, false) => Segment::Slipping,
            (false, false, false) => Segment::Dormant,
        }
    }

    /// (recent, frequent, high value) for this segment.
    pub fn rfm(self) -> (bool, bool, bool) {
        match self {
            Segment::Top => (true, true, true),
            Segment::Promising => (true, false, true),
            Segment::AtRisk => (false, true, true),
            Segment::WinBack => (false, false, true),
            Segment::Loyal => (true, true, false),
            Segment::New => (true, false, false),
            Segment::Slipping => (false, true, false),
            Segment::Dormant => (false, false, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_stored;
    use crate::i18n::Lang;

    fn t(s: &str) -> NaiveDateTime {
        parse_stored(s).unwrap()
    }

    fn facts(orders: i64, paid_yuan: i64, refund_yuan: i64, last: Option<&str>) -> CustomerFacts {
        CustomerFacts {
            valid_orders: orders,
            paid_fen: paid_yuan * 100,
            refund_fen: refund_yuan * 100,
            last_valid_at: last.map(t),
        }
    }

    #[test]
    fn eight_classes() {
        let now = t("2025-06-30 12:00:00");
        let r = SegmentRules::default();
        let seg = |f: CustomerFacts| Segment::of(&f, now, &r);
        let recent = Some("2025-06-01 08:00:00");
        let old = Some("2024-01-01 08:00:00");
        assert_eq!(seg(facts(5, 900, 0, recent)), Segment::Top);
        assert_eq!(seg(facts(1, 900, 0, recent)), Segment::Promising);
        assert_eq!(seg(facts(5, 900, 0, old)), Segment::AtRisk);
        assert_eq!(seg(facts(1, 900, 0, old)), Segment::WinBack);
        assert_eq!(seg(facts(3, 80, 0, recent)), Segment::Loyal);
        assert_eq!(seg(facts(1, 80, 0, recent)), Segment::New);
        assert_eq!(seg(facts(3, 80, 0, old)), Segment::Slipping);
        assert_eq!(seg(facts(1, 80, 0, old)), Segment::Dormant);
        // No orders at all: nothing recent, frequent or valuable.
        assert_eq!(seg(facts(0, 0, 0, None)), Segment::Dormant);
    }

    #[test]
    fn boundaries_are_inclusive() {
        let now = t("2025-06-30 12:00:00");
        let r = SegmentRules::default();
        let seg = |f: CustomerFacts| Segment::of(&f, now, &r);
        // Exactly 90 days before now is still recent; one second more is not.
        assert_eq!(
            seg(facts(1, 10, 0, Some("2025-04-01 12:00:00"))),
            Segment::New
        );
        assert_eq!(
            seg(facts(1, 10, 0, Some("2025-04-01 11:59:59"))),
            Segment::Dormant
        );
        // Two orders are frequent, one is not.
        assert_eq!(
            seg(facts(2, 10, 0, Some("2025-06-29 00:00:00"))),
            Segment::Loyal
        );
        // Exactly ¥500 net is high value; ¥499.99 is not.
        let at = |paid_fen, refund_fen| CustomerFacts {
            valid_orders: 1,
            paid_fen,
            refund_fen,
            last_valid_at: Some(now),
        };
        assert_eq!(Segment::of(&at(50_000, 0), now, &r), Segment::Promising);
        assert_eq!(Segment::of(&at(49_999, 0), now, &r), Segment::New);
        // Refunds come off the spend.
        assert_eq!(Segment::of(&at(60_000, 10_001), now, &r), Segment::New);
        assert_eq!(
            Segment::of(&at(60_000, 10_000), now, &r),
            Segment::Promising
        );
    }

    #[test]
    fn rules_move_the_thresholds() {
        let now = t("2025-06-30 12:00:00");
        let r = SegmentRules {
            recent_days: 30,
            frequent_orders: 3,
            high_value_fen: 100 * 100,
        };
        let f = facts(2, 150, 0, Some("2025-05-15 00:00:00"));
        assert_eq!(Segment::of(&f, now, &r), Segment::WinBack);
        assert_eq!(
            Segment::of(&f, now, &SegmentRules::default()),
            Segment::Loyal
        );
    }

    #[test]
    fn rfm_round_trips_and_names_parse() {
        for &s in Segment::ALL {
            let (r, f, m) = s.rfm();
            assert_eq!(Segment::from_rfm(r, f, m), s);
            assert_eq!(Segment::parse(s.code()), Some(s));
            assert_eq!(Segment::parse(s.label(Lang::Zh)), Some(s));
        }
        assert_eq!(Segment::ALL.len(), 8);
        assert_eq!(Segment::parse("重要挽留"), Some(Segment::WinBack));
        assert_eq!(Segment::parse("AT-RISK"), Some(Segment::AtRisk));
        assert_eq!(Segment::parse("vip"), None);
    }
}
