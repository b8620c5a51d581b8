//! The words of suggestions (个性化推荐): the reasons, the card's section and
//! the command line's.

use super::{Lang, Refused};

/// Bought in several orders: about every `every` days, the last `ago` days ago.
pub fn due(lang: Lang, every: i64, ago: i64) -> String {
    match lang {
        Lang::Zh => format!("约每 {every} 天买一次，上次在 {ago} 天前"),
        Lang::En => format!("bought about every {every} days, last bought {ago} days ago"),
    }
}

/// Bought once, `ago` days ago.
pub fn again(lang: Lang, ago: i64) -> String {
    match lang {
        Lang::Zh => format!("{ago} 天前买过"),
        Lang::En => format!("bought {ago} days ago"),
    }
}

/// Often in the same order as `with`, which they bought.
pub fn together(lang: Lang, with: &str) -> String {
    match lang {
        Lang::Zh => format!("常与他买过的「{with}」一起买"),
        Lang::En => format!("often bought together with \"{with}\", which they bought"),
    }
}

/// Popular among the buyers of a segment (its name in `lang`).
pub fn segment(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("在{name}中热销"),
        Lang::En => format!("popular with {name} buyers"),
    }
}

/// Popular in the shop.
pub fn popular(lang: Lang) -> &'static str {
    lang.t("店里热销", "popular in the shop")
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
