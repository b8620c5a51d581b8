//! The seller's settings: a commented TOML file in the user config dir
//! (`KEHU_CONFIG` overrides the path), written with defaults on first run.

use crate::domain::complaint::{Category, Sla};
use crate::domain::segment::SegmentRules;
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
"#;

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
}

impl Config {
    /// The settings a database is opened with under this config.
    pub fn store_settings(&self) -> crate::db::Settings {
        crate::db::Settings {
            points_per_yuan: self.points.per_yuan,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_parses_to_defaults() {
        assert_eq!(Config::parse(DEFAULT_TOML).unwrap(), Config::default());
        assert_eq!(Config::parse("").unwrap(), Config::default());
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
