//! The words of suggestions (个性化推荐): the reasons, the card's section and
//! the command line's.

use super::{Lang, Refused};
use crate::model::SuggestWhy;

/// Why a title is suggested, in a sentence a seller can say.
pub fn why(lang: Lang, w: &SuggestWhy) -> String {
    match (lang, w) {
        (
            Lang::Zh,
            SuggestWhy::Due {
                every_days,
                ago_days,
            },
        ) => format!("约每 {every_days} 天买一次，上次在 {ago_days} 天前"),
        (
            Lang::En,
            SuggestWhy::Due {
                every_days,
                ago_days,
            },
        ) => format!("bought about every {every_days} days, last bought {ago_days} days ago"),
        (Lang::Zh, SuggestWhy::Again { ago_days }) => format!("{ago_days} 天前买过"),
        (Lang::En, SuggestWhy::Again { ago_days }) => format!("bought {ago_days} days ago"),
        (Lang::Zh, SuggestWhy::Together { with }) => format!("常与他买过的「{with}」一起买"),
        (Lang::En, SuggestWhy::Together { with }) => {
            format!("often bought together with \"{with}\", which they bought")
        }
        (Lang::Zh, SuggestWhy::Segment(s)) => format!("在{}中热销", s.label(lang)),
        (Lang::En, SuggestWhy::Segment(s)) => {
            format!("popular with {} buyers", s.label(lang))
        }
        (_, SuggestWhy::Popular) => lang.t("店里热销", "popular in the shop").to_string(),
    }
}

/// The card's section title.
pub fn card_title(lang: Lang) -> &'static str {
    lang.t("可能想要", "might want")
}

/// A buyer with nothing to suggest (a shop without item reports).
pub fn nothing(lang: Lang) -> &'static str {
    lang.t(
        "暂无推荐（导入宝贝报表后可用）",
        "no suggestions (import an item report first)",
    )
}

/// The backtest's figures, for reading.
pub fn backtest_lines(lang: Lang, buyers: u64, hit: f64, base: f64) -> [String; 3] {
    match lang {
        Lang::Zh => [
            format!("回测买家：{buyers}（每人隐去最后一个有效订单）"),
            format!("前 5 条推荐命中率：{hit:.4}"),
            format!("基准（全店最热 5 个商品）命中率：{base:.4}"),
        ],
        Lang::En => [
            format!("buyers in the backtest: {buyers} (each one's last valid order hidden)"),
            format!("hit rate of the top 5: {hit:.4}"),
            format!("baseline (the shop's 5 most-ordered titles): {base:.4}"),
        ],
    }
}

/// `kehu suggest` without CUSTOMER nor --backtest.
pub fn customer_or_backtest() -> Refused {
    Refused::new(
        "请给出客户（CUSTOMER）或 --backtest",
        "give a CUSTOMER or --backtest",
    )
}
