//! Membership tiers by spend over a rolling 12 months.

use crate::i18n::Lang;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Regular,
    Silver,
    Gold,
    Diamond,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Regular, Tier::Silver, Tier::Gold, Tier::Diamond];

    /// A tier named in Chinese or English (`银卡`, `silver`), as the config
    /// and the command line write it.
    pub fn parse(s: &str) -> Option<Tier> {
        let t = s.trim();
        let l = t.to_ascii_lowercase();
        Tier::ALL.into_iter().find(|tier| {
            l == tier.code()
                || t == tier.label(Lang::Zh)
                || (*tier == Tier::Regular && (t == "普通" || l == "normal"))
                || (*tier == Tier::Diamond && t == "钻石会员")
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Tier::Regular => "regular",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
            Tier::Diamond => "diamond",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Tier::Regular => lang.t("普通会员", "regular"),
            Tier::Silver => lang.t("银卡", "silver"),
            Tier::Gold => lang.t("金卡", "gold"),
            Tier::Diamond => lang.t("钻石", "diamond"),
        }
    }
}

/// Spend (fen) at which each tier starts; regular starts at zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierThresholds {
    pub silver_fen: i64,
    pub gold_fen: i64,
    pub diamond_fen: i64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            silver_fen: 500 * 100,
            gold_fen: 2000 * 100,
            diamond_fen: 5000 * 100,
        }
    }
}

/// The window of the tier's measure: the 12 months ending `now`, as
/// (exclusive start, inclusive end). The one month arithmetic for it in kehu
/// (the SQL reads it through `kehu_spend_since()`).
pub fn spend_window(now: chrono::NaiveDateTime) -> (chrono::NaiveDateTime, chrono::NaiveDateTime) {
    let since = now
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(now);
    (since, now)
}

/// The tier a 12-month spend earns.
pub fn tier_for(spend_fen: i64, t: &TierThresholds) -> Tier {
    if spend_fen >= t.diamond_fen {
        Tier::Diamond
    } else if spend_fen >= t.gold_fen {
        Tier::Gold
    } else if spend_fen >= t.silver_fen {
        Tier::Silver
    } else {
        Tier::Regular
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_named_in_either_language() {
        assert_eq!(Tier::parse("银卡"), Some(Tier::Silver));
        assert_eq!(Tier::parse(" Gold "), Some(Tier::Gold));
        assert_eq!(Tier::parse("普通会员"), Some(Tier::Regular));
        assert_eq!(Tier::parse("铜卡"), None);
    }

    #[test]
    fn thresholds_are_inclusive() {
        let t = TierThresholds::default();
        assert_eq!(tier_for(0, &t), Tier::Regular);
        assert_eq!(tier_for(49_999, &t), Tier::Regular);
        assert_eq!(tier_for(500 * 100, &t), Tier::Silver);
        assert_eq!(tier_for(2000 * 100, &t), Tier::Gold);
        assert_eq!(tier_for(999_900, &t), Tier::Diamond);
    }
}
