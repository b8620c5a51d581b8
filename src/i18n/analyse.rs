//! The words of the shop analysis (数据分析), for `kehu analyse` and the
//! app's analysis view alike.

use super::{Lang, Text};

/// Section titles.
pub fn months_title(lang: Lang) -> &'static str {
    lang.t("按月销售", "Sales by month")
}

pub fn buyers_title(lang: Lang) -> &'static str {
    lang.t("新客与回头客", "New and returning buyers")
}

pub fn segments_title(lang: Lang) -> &'static str {
    lang.t("客户分群", "Segments")
}

pub fn tiers_title(lang: Lang) -> &'static str {
    lang.t("会员等级", "Tiers")
}

pub fn items_title(lang: Lang) -> &'static str {
    lang.t("热销商品", "Top items")
}

/// The months table's column names.
pub fn months_header(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => [
            "月份",
            "订单",
            "有效订单",
            "买家",
            "新客",
            "回头客",
            "实付",
            "退款",
        ],
        Lang::En => [
            "month",
            "orders",
            "valid",
            "buyers",
            "new",
            "returning",
            "paid",
            "refunded",
        ],
    }
}

/// The segments and tiers tables' column names (the first names the group).
pub fn group_header(lang: Lang, tier: bool) -> [&'static str; 3] {
    let first = if tier {
        lang.t("等级", "tier")
    } else {
        lang.t("分群", "segment")
    };
    [
        first,
        lang.t("客户", "customers"),
        lang.t("净消费", "net spend"),
    ]
}

/// The top items table's column names.
pub fn items_header(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => ["#", "商品", "订单", "件数", "金额", "投诉"],
        Lang::En => ["#", "item", "orders", "qty", "sales", "complaints"],
    }
}

/// `复购率 34.56%（两单及以上 120 / 有效买家 347）`.
pub fn repurchase_line(lang: Lang, rate: f64, repeat: i64, buyers: i64) -> String {
    let pct = rate * 100.0;
    match lang {
        Lang::Zh => format!("复购率 {pct:.2}%（两单及以上 {repeat} / 有效买家 {buyers}）"),
        Lang::En => {
            format!("repurchase rate {pct:.2}% ({repeat} of {buyers} buyers with 2+ valid orders)")
        }
    }
}

/// Short: `复购率 34.56%`.
pub fn repurchase_short(lang: Lang, rate: f64) -> String {
    format!("{} {:.2}%", lang.t("复购率", "repurchase"), rate * 100.0)
}

/// The range the months and items cover, under their titles.
pub fn range_note(lang: Lang, from: Option<&str>, to: Option<&str>) -> Option<String> {
    let (f, t) = (from.unwrap_or("…"), to.unwrap_or("…"));
    (from.is_some() || to.is_some()).then(|| match lang {
        Lang::Zh => format!("月份 {f} 至 {t}（分群、等级与复购率按全部订单、截至现在）"),
        Lang::En => format!(
            "months {f} to {t} (segments, tiers and the repurchase rate: all orders, as of now)"
        ),
    })
}

pub fn no_orders(lang: Lang) -> &'static str {
    lang.t("没有订单", "no orders")
}

pub fn no_items(lang: Lang) -> &'static str {
    lang.t(
        "没有商品明细（导入宝贝报表后可见）",
        "no item lines (import an item report)",
    )
}

/// Legends of the app's charts.
pub fn legend_new(lang: Lang) -> &'static str {
    lang.t("新客", "new")
}

pub fn legend_returning(lang: Lang) -> &'static str {
    lang.t("回头客", "returning")
}

pub fn by_count(lang: Lang) -> &'static str {
    lang.t("人数", "customers")
}

pub fn by_money(lang: Lang) -> &'static str {
    lang.t("净消费", "net spend")
}

pub fn by_money_yuan(lang: Lang) -> &'static str {
    lang.t("净消费（元）", "net spend (yuan)")
}

/// Sales in the app's chart title: `按月销售（元）`.
pub fn sales_unit(lang: Lang) -> String {
    format!("{}{}", months_title(lang), lang.t("（元）", " (yuan)"))
}

/// The buyers chart's unit: `（人）`.
pub fn buyers_unit(lang: Lang) -> &'static str {
    lang.t("（人）", "(buyers)")
}

/// The top items chart's title: `热销商品（金额，元）`.
pub fn items_unit(lang: Lang) -> String {
    format!(
        "{}{}",
        items_title(lang),
        lang.t("（金额，元）", " (sales, yuan)")
    )
}

/// `--from`/`--to` that is not a month.
pub fn bad_month(s: &str) -> Text {
    Text::new(
        format!("「{s}」不是月份；请写 YYYY-MM，例如 2025-03"),
        format!("\"{s}\" is not a month; write YYYY-MM, e.g. 2025-03"),
    )
}

/// `--from` after `--to`.
pub fn range_backwards(from: &str, to: &str) -> Text {
    Text::new(
        format!("--from {from} 在 --to {to} 之后"),
        format!("--from {from} is after --to {to}"),
    )
}
