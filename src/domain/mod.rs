//! Plain domain rules: money, times, statuses, text safety, points, segments. No I/O.

pub mod complaint;
pub mod lookup;
pub mod money;
pub mod points;
pub mod segment;
pub mod status;
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
}

impl Platform {
    pub fn code(self) -> &'static str {
        match self {
            Platform::Taobao => "taobao",
            Platform::Pdd => "pdd",
        }
    }

    pub fn from_code(s: &str) -> Option<Platform> {
        match s.trim().to_ascii_lowercase().as_str() {
            "taobao" | "tmall" | "tb" | "淘宝" | "天猫" => Some(Platform::Taobao),
            "pdd" | "pinduoduo" | "拼多多" => Some(Platform::Pdd),
            _ => None,
        }
    }
}
