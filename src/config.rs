//! The seller's settings: a commented TOML file in the user config dir
//! (`KEHU_CONFIG` overrides the path), written with defaults on first run.

use crate::domain::complaint::{Category, Sla};
use crate::domain::followup::{DEFAULT_LOOKBACK_DAYS, Rule};
use crate::domain::segment::{Segment, SegmentRules};
use crate::domain::tier::Tier;
use crate::domain::tier::TierThresholds;
use crate::i18n::{Explain, Text, codes};
use anyhow::Result;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file written on first run; every setting explained.
pub const DEFAULT_TOML: &str = r#"# kehu 配置 / kehu settings

[points]
# 每元积分：已完成订单按 (实付 − 退款) 的整元数乘以此数计分。
# Points per whole yuan of (paid − refunded) on a completed order.
# Changing it re-targets every order's points at the next kehu command.
per_yuan = 1
# 积分有效期（月），0 为永不过期。`kehu points expire` 按先进先出扣除过期积分。
# Months after which earned points expire (0 = never). Run `kehu points expire`.
expiry_months = 0

[tiers]
# 近 12 个月消费（已完成订单，实付 − 退款，元）达到即升级。
# Rolling 12-month spend (yuan) at which each tier starts; regular starts at 0.
silver_yuan = 500
gold_yuan = 2000
diamond_yuan = 5000

[segments]
# 客户分群（RFM 八类）：最近一笔有效订单（待发货、已发货、交易成功）在 recent_days 天内为"近"，
# 有效订单数达到 frequent_orders 为"频"，全部订单累计实付 − 退款达到 high_value_yuan 元为"高"。
# RFM segments: recent = last valid order (paid, shipped, completed) within recent_days;
# frequent = at least frequent_orders valid orders; high value = paid − refunded over all
# orders of at least high_value_yuan.
recent_days = 90
frequent_orders = 2
high_value_yuan = 500

[complaints]
# 可用的投诉类别 / complaint categories in use
# (quality, logistics, wrong-item, service, price, other)
categories = ["quality", "logistics", "wrong-item", "service", "price", "other"]
# 首次响应时限与解决时限（小时）/ SLA hours: first response, resolution
first_response_hours = 24
resolution_hours = 72

[followups]
# 回访规则：每次导入后和 `kehu followup plan` 时按规则生成回访任务，同一任务不会生成两次。
# 列出任何规则即替换全部默认规则；rules = [] 表示不自动生成。
# Follow-up rules, applied after every import and by `kehu followup plan`; a task is
# never made twice. Listing any rule replaces the defaults; `rules = []` means none.
#   after-order:     days 天后回访已完成订单（min_tier 起的会员；只补 lookback_days 天内到期的）
#                    a task `days` after each completed order's payment, buyers at min_tier or above
#   after-complaint: 投诉解决或关闭 days 天后回访 / `days` after a complaint is resolved or closed
#   segment:         每 every_days 天回访一次该分群的客户 / each customer of `segment` every `every_days`
[[followups.rules]]
kind = "after-order"
days = 7
min_tier = "银卡"
lookback_days = 30

[[followups.rules]]
kind = "after-complaint"
days = 3

[[followups.rules]]
kind = "segment"
segment = "at-risk"
every_days = 30

[backups]
# 每次导入前、以及每天首次打开应用时，kehu 在数据库旁的 backups/ 文件夹里写一份备份；
# 保留最近 keep 份，更早的删除。0 表示不自动备份。
# Before every import, and once a day when the app opens, kehu writes a backup into
# backups/ beside the database and keeps the newest `keep` (0 = no automatic backups).
keep = 10
"#;

/// `[backups]`: how many automatic backups to keep.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupsConfig {
    pub keep: usize,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig {
            keep: crate::db::DEFAULT_BACKUPS_KEEP,
        }
    }
}

/// One `[[followups.rules]]` entry as written; [`Config::followup_rules`]
/// reads it into a [`Rule`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub kind: String,
    pub days: Option<i64>,
    pub min_tier: Option<String>,
    pub lookback_days: Option<i64>,
    pub segment: Option<String>,
    pub every_days: Option<i64>,
}

/// `[followups]`: the planning rules. A config file without the section
/// plans nothing (it predates follow-ups); a new config lists the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupsConfig {
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
}

impl FollowupsConfig {
    /// What a file without `[followups]` means: no rules.
    fn absent() -> Self {
        FollowupsConfig { rules: Vec::new() }
    }
}

impl Default for FollowupsConfig {
    /// The defaults a new config lists (the same as [`DEFAULT_TOML`]'s).
    fn default() -> Self {
        let rule = |kind: &str| RuleConfig {
            kind: kind.to_string(),
            days: None,
            min_tier: None,
            lookback_days: None,
            segment: None,
            every_days: None,
        };
        FollowupsConfig {
            rules: vec![
                RuleConfig {
                    days: Some(7),
                    min_tier: Some("银卡".to_string()),
                    lookback_days: Some(DEFAULT_LOOKBACK_DAYS),
                    ..rule("after-order")
                },
                RuleConfig {
                    days: Some(3),
                    ..rule("after-complaint")
                },
                RuleConfig {
                    segment: Some("at-risk".to_string()),
                    every_days: Some(30),
                    ..rule("segment")
                },
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PointsConfig {
    pub per_yuan: i64,
    pub expiry_months: u32,
}

impl Default for PointsConfig {
    fn default() -> Self {
        PointsConfig {
            per_yuan: 1,
            expiry_months: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TiersConfig {
    pub silver_yuan: i64,
    pub gold_yuan: i64,
    pub diamond_yuan: i64,
}

impl Default for TiersConfig {
    fn default() -> Self {
        TiersConfig {
            silver_yuan: 500,
            gold_yuan: 2000,
            diamond_yuan: 5000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentsConfig {
    pub recent_days: i64,
    pub frequent_orders: i64,
    pub high_value_yuan: i64,
}

impl Default for SegmentsConfig {
    fn default() -> Self {
        let r = SegmentRules::default();
        SegmentsConfig {
            recent_days: r.recent_days,
            frequent_orders: r.frequent_orders,
            high_value_yuan: r.high_value_fen / 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplaintsConfig {
    pub categories: Vec<String>,
    pub first_response_hours: i64,
    pub resolution_hours: i64,
}

impl Default for ComplaintsConfig {
    fn default() -> Self {
        ComplaintsConfig {
            categories: Category::ALL.iter().map(|c| c.code().to_string()).collect(),
            first_response_hours: 24,
            resolution_hours: 72,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub points: PointsConfig,
    pub tiers: TiersConfig,
    pub segments: SegmentsConfig,
    pub complaints: ComplaintsConfig,
    #[serde(default = "FollowupsConfig::absent")]
    pub followups: FollowupsConfig,
    pub backups: BackupsConfig,
}

impl Config {
    /// The follow-up planning rules in force, read from `[followups]`.
    pub fn followup_rules(&self) -> Result<Vec<Rule>> {
        self.followups
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| rule_of(i + 1, r))
            .collect()
    }

    /// The settings a database is opened with under this config.
    pub fn store_settings(&self) -> crate::db::Settings {
        crate::db::Settings {
            points_per_yuan: self.points.per_yuan,
            // Checked when the file was read; a rule gone wrong since plans nothing.
            followup_rules: self.followup_rules().unwrap_or_default(),
            tiers: self.tiers(),
            segments: self.segments(),
            backups_keep: Some(self.backups.keep),
        }
    }

    /// `KEHU_CONFIG`, else `config.toml` in the user config dir.
    pub fn path() -> Result<PathBuf> {
        if let Some(p) = std::env::var_os("KEHU_CONFIG").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        let dirs = directories::ProjectDirs::from("", "", "kehu").ok_or_else(|| {
            Text::new(
                "找不到用户配置目录；请用环境变量 KEHU_CONFIG 指定配置文件",
                "no user config folder found; name the config file with the KEHU_CONFIG variable",
            )
        })?;
        Ok(dirs.config_dir().join("config.toml"))
    }

    /// Load the settings, writing the commented defaults on first run.
    pub fn load() -> Result<(Config, PathBuf)> {
        let path = Config::path()?;
        Ok((Config::load_from(&path)?, path))
    }

    pub fn load_from(path: &Path) -> Result<Config> {
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_said(|| {
                    let d = dir.display();
                    Text::new(
                        format!("无法创建配置目录 {d}"),
                        format!("cannot create the config folder {d}"),
                    )
                })?;
            }
            std::fs::write(path, DEFAULT_TOML).with_said(|| {
                let p = path.display();
                Text::new(
                    format!("无法写入默认配置 {p}"),
                    format!("cannot write the default config {p}"),
                )
            })?;
        }
        let p = path.display();
        let text = std::fs::read_to_string(path).with_said(|| {
            Text::new(
                format!("无法读取配置 {p}"),
                format!("cannot read the config {p}"),
            )
        })?;
        Config::parse(&text).with_said(|| {
            Text::new(
                format!("配置文件 {p} 有误"),
                format!("the config file {p} is wrong"),
            )
        })
    }

    pub fn parse(text: &str) -> Result<Config> {
        let c: Config = toml::from_str(text)?;
        c.validate()?;
        c.followup_rules()?;
        Ok(c)
    }

    fn validate(&self) -> Result<()> {
        if self.points.per_yuan < 0 {
            return Err(Text::new(
                "points.per_yuan 不能为负",
                "points.per_yuan cannot be negative",
            )
            .into());
        }
        let t = &self.tiers;
        if !(0 <= t.silver_yuan && t.silver_yuan <= t.gold_yuan && t.gold_yuan <= t.diamond_yuan) {
            return Err(Text::new(
                "tiers 的门槛须满足 0 ≤ silver ≤ gold ≤ diamond",
                "the tiers must satisfy 0 ≤ silver ≤ gold ≤ diamond",
            )
            .into());
        }
        let g = &self.segments;
        if !(1..=36_500).contains(&g.recent_days)
            || g.frequent_orders < 1
            || !(0..=i64::MAX / 100).contains(&g.high_value_yuan)
        {
            return Err(Text::new(
                "segments 的门槛须满足 recent_days 为 1–36500、frequent_orders ≥ 1、high_value_yuan ≥ 0",
                "the segments must have recent_days 1–36500, frequent_orders ≥ 1, high_value_yuan ≥ 0",
            )
            .into());
        }
        for c in &self.complaints.categories {
            if Category::parse(c).is_none() {
                let (zh, en) = (Category::choices(), codes(Category::ALL, Category::code));
                return Err(Text::new(
                    format!("未知投诉类别 {c:?}；可用：{zh}"),
                    format!("unknown complaint category {c:?}; use one of: {en}"),
                )
                .into());
            }
        }
        if self.complaints.first_response_hours <= 0 || self.complaints.resolution_hours <= 0 {
            return Err(Text::new(
                "complaints 的时限须大于 0 小时",
                "the complaints time limits must be more than 0 hours",
            )
            .into());
        }
        Ok(())
    }

    pub fn tiers(&self) -> TierThresholds {
        TierThresholds {
            silver_fen: self.tiers.silver_yuan.saturating_mul(100),
            gold_fen: self.tiers.gold_yuan.saturating_mul(100),
            diamond_fen: self.tiers.diamond_yuan.saturating_mul(100),
        }
    }

    pub fn segments(&self) -> SegmentRules {
        SegmentRules {
            recent_days: self.segments.recent_days,
            frequent_orders: self.segments.frequent_orders,
            high_value_fen: self.segments.high_value_yuan.saturating_mul(100),
        }
    }

    pub fn sla(&self) -> Sla {
        Sla {
            first_response_hours: self.complaints.first_response_hours,
            resolution_hours: self.complaints.resolution_hours,
        }
    }

    pub fn categories(&self) -> Vec<Category> {
        self.complaints
            .categories
            .iter()
            .filter_map(|c| Category::parse(c))
            .collect()
    }
}

/// Rule `n` of `[followups]` as a [`Rule`], or what is wrong with it.
fn rule_of(n: usize, r: &RuleConfig) -> Result<Rule> {
    let bad = |zh: String, en: String| -> anyhow::Error {
        Text::new(
            format!("[followups] 第 {n} 条规则：{zh}"),
            format!("[followups] rule {n}: {en}"),
        )
        .into()
    };
    let days = |v: Option<i64>, name: &str| -> Result<i64> {
        match v {
            Some(d) if (0..=3650).contains(&d) => Ok(d),
            Some(d) => Err(bad(
                format!("{name} = {d} 须在 0–3650 之间"),
                format!("{name} = {d} must be 0–3650"),
            )),
            None => Err(bad(format!("缺少 {name}"), format!("{name} is missing"))),
        }
    };
    let lookback = r.lookback_days.map_or(Ok(DEFAULT_LOOKBACK_DAYS), |_| {
        days(r.lookback_days, "lookback_days")
    })?;
    match r.kind.trim() {
        "after-order" => Ok(Rule::AfterOrder {
            days: days(r.days, "days")?,
            min_tier: match r.min_tier.as_deref() {
                None => None,
                Some(t) => Some(Tier::parse(t).ok_or_else(|| {
                    bad(
                        format!("min_tier「{t}」不是会员等级（普通会员/银卡/金卡/钻石）"),
                        format!("min_tier \"{t}\" is not a tier (regular, silver, gold, diamond)"),
                    )
                })?),
            },
            lookback_days: lookback,
        }),
        "after-complaint" => Ok(Rule::AfterComplaint {
            days: days(r.days, "days")?,
            lookback_days: lookback,
        }),
        "segment" => {
            let name = r.segment.as_deref().unwrap_or("");
            let segment = Segment::parse(name).ok_or_else(|| {
                bad(
                    format!("segment「{name}」不是客户分群"),
                    format!("segment \"{name}\" is not a segment"),
                )
            })?;
            let every = days(r.every_days, "every_days")?.max(1);
            Ok(Rule::Segment {
                segment,
                every_days: every,
            })
        }
        k => Err(bad(
            format!("kind「{k}」须为 after-order、after-complaint 或 segment"),
            format!("kind \"{k}\" must be after-order, after-complaint or segment"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn followup_rules_default_replace_or_none() {
        // A new config: the three defaults.
        let c = Config::parse(DEFAULT_TOML).unwrap();
        assert_eq!(c.followup_rules().unwrap(), Rule::defaults());
        assert_eq!(
            Config::default().followup_rules().unwrap(),
            Rule::defaults()
        );
        assert_eq!(c.followups, FollowupsConfig::default());
        // A file from before follow-ups: none.
        let old = Config::parse("[points]\nper_yuan = 2\n").unwrap();
        assert!(old.followup_rules().unwrap().is_empty());
        // `rules = []`: none. Listing one replaces the defaults.
        let none = Config::parse("[followups]\nrules = []\n").unwrap();
        assert!(none.followup_rules().unwrap().is_empty());
        let one =
            Config::parse("[[followups.rules]]\nkind = \"after-complaint\"\ndays = 5\n").unwrap();
        assert_eq!(
            one.followup_rules().unwrap(),
            [Rule::AfterComplaint {
                days: 5,
                lookback_days: DEFAULT_LOOKBACK_DAYS
            }]
        );
        // Wrong rules are refused with the rule's number.
        for bad in [
            "[[followups.rules]]\nkind = \"weekly\"\n",
            "[[followups.rules]]\nkind = \"after-order\"\n",
            "[[followups.rules]]\nkind = \"after-order\"\ndays = 7\nmin_tier = \"铜卡\"\n",
            "[[followups.rules]]\nkind = \"segment\"\nsegment = \"vip\"\nevery_days = 30\n",
        ] {
            let e = Config::parse(bad).unwrap_err();
            assert!(format!("{e:#}").contains("1"), "{bad}: {e:#}");
        }
    }

    #[test]
    fn default_file_parses_to_defaults() {
        assert_eq!(Config::parse(DEFAULT_TOML).unwrap(), Config::default());
        // An empty file has every default but the follow-up rules: a file
        // that lists no rule plans none.
        let empty = Config::parse("").unwrap();
        assert_eq!(
            empty,
            Config {
                followups: FollowupsConfig::absent(),
                ..Config::default()
            }
        );
        assert_eq!(Config::default().segments(), SegmentRules::default());
    }

    #[test]
    fn refuses_bad_settings() {
        assert!(Config::parse("[points]\nper_yuan = -1").is_err());
        assert!(Config::parse("[tiers]\nsilver_yuan = 9000").is_err());
        assert!(Config::parse("[complaints]\ncategories = [\"x\"]").is_err());
        assert!(Config::parse("[pointz]\n").is_err());
        assert!(Config::parse("[segments]\nrecent_days = 0").is_err());
        assert!(Config::parse("[segments]\nfrequent_orders = 0").is_err());
        assert!(Config::parse("[segments]\nhigh_value_yuan = -1").is_err());
    }
}
