//! Plain domain rules: money, times, statuses, text safety, points, segments. No I/O.

pub mod backtest;
pub mod complaint;
pub mod followup;
pub mod lookup;
pub mod merge;
pub mod money;
pub mod pinyin;
pub mod points;
pub mod predict;
pub mod segment;
pub mod status;
pub mod suggest;
pub mod text;
pub mod tier;
pub mod time;

pub use money::{Fen, parse_fen};
pub use status::OrderStatus;

/// Platforms kehu imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Taobao,
    Pdd,
    Douyin,
    Jd,
    Kuaishou,
    Youzan,
}

impl Platform {
    /// Every platform kehu imports from.
    pub const ALL: [Platform; 6] = [
        Platform::Taobao,
        Platform::Pdd,
        Platform::Douyin,
        Platform::Jd,
        Platform::Kuaishou,
        Platform::Youzan,
    ];

    /// The codes of every platform as an SQL list (`'taobao', 'pdd', …`), for
    /// `platform IN (…)` so the (platform, buyer_key) index is used.
    pub fn codes_sql() -> String {
        Platform::ALL
            .iter()
            .map(|p| format!("'{}'", p.code()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn code(self) -> &'static str {
        match self {
            Platform::Taobao => "taobao",
            Platform::Pdd => "pdd",
            Platform::Douyin => "douyin",
            Platform::Jd => "jd",
            Platform::Kuaishou => "kuaishou",
            Platform::Youzan => "youzan",
        }
    }

    /// The platform's name for people: 淘宝/拼多多, Taobao/Pinduoduo.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Platform::Taobao => lang.t("淘宝", "Taobao"),
            Platform::Pdd => lang.t("拼多多", "Pinduoduo"),
            Platform::Douyin => lang.t("抖店", "Douyin"),
            Platform::Jd => lang.t("京东", "JD"),
            Platform::Kuaishou => lang.t("快手", "Kuaishou"),
            Platform::Youzan => lang.t("有赞", "Youzan"),
        }
    }

    /// The name for a stored platform code; an unknown code as it is.
    pub fn label_of(code: &str, lang: crate::i18n::Lang) -> &str {
        Platform::from_code(code).map_or(code, |p| p.label(lang))
    }

    pub fn from_code(s: &str) -> Option<Platform> {
        match s.trim().to_ascii_lowercase().as_str() {
            "taobao" | "tmall" | "tb" | "淘宝" | "天猫" => Some(Platform::Taobao),
            "pdd" | "pinduoduo" | "拼多多" => Some(Platform::Pdd),
            "douyin" | "抖店" | "抖音" | "doudian" => Some(Platform::Douyin),
            "jd" | "京东" | "jingdong" => Some(Platform::Jd),
            "kuaishou" | "快手" | "ks" => Some(Platform::Kuaishou),
            "youzan" | "有赞" => Some(Platform::Youzan),
            _ => None,
        }
    }
}
