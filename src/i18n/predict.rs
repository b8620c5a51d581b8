//! The words of predictions (预测): the card's section, `kehu predict` and
//! its backtest, in Chinese and English.

use super::{Lang, Refused};

/// A cutoff that is not a date (`t` already on one safe line).
pub fn bad_cutoff(t: &str) -> Refused {
    Refused::new(
        format!("截止日期「{t}」不是日期；请写 YYYY-MM-DD，例如 2025-06-01"),
        format!("the cutoff \"{t}\" is not a date; write YYYY-MM-DD, e.g. 2025-06-01"),
    )
}

/// A horizon of zero days, or more than ten years.
pub fn bad_horizon(days: i64) -> Refused {
    Refused::new(
        format!("预测期 {days} 天不在 1 到 3650 天之间"),
        format!("a horizon of {days} days is not between 1 and 3650"),
    )
}

/// `kehu predict` without CUSTOMER and without --backtest.
pub fn predict_needs_customer() -> Refused {
    Refused::new(
        "请给出客户（kehu predict 客户），或用 --backtest --cutoff YYYY-MM-DD 回测",
        "name a customer (kehu predict CUSTOMER), or backtest with --backtest --cutoff YYYY-MM-DD",
    )
}

/// --backtest without --cutoff.
pub fn backtest_needs_cutoff() -> Refused {
    Refused::new(
        "回测需要截止日期：--cutoff YYYY-MM-DD",
        "a backtest needs a cutoff: --cutoff YYYY-MM-DD",
    )
}

/// The section's title on the card.
pub fn title(lang: Lang) -> &'static str {
    lang.t("预测", "Predicted")
}

/// "Next order" label.
pub fn next_order(lang: Lang) -> &'static str {
    lang.t("下次下单", "next order")
}

/// "Churn risk (90 days)" label.
pub fn churn_risk(lang: Lang, horizon_days: i64) -> String {
    match lang {
        Lang::Zh => format!("{horizon_days}天流失风险"),
        Lang::En => format!("churn {horizon_days}d"),
    }
}

/// "12-month value" label.
pub fn value_12m(lang: Lang) -> &'static str {
    lang.t("12个月预计消费", "12-month value")
}

/// A value nobody can give (no valid order yet).
pub fn none(lang: Lang) -> &'static str {
    lang.t("无", "none")
}

/// The mark of a valuable customer at risk.
pub fn valuable_at_risk(lang: Lang) -> &'static str {
    lang.t("高价值且有流失风险", "valuable and at risk")
}

/// When the predictions were made.
pub fn as_of(lang: Lang, day: &str) -> String {
    match lang {
        Lang::Zh => format!("预测日期 {day}"),
        Lang::En => format!("as of {day}"),
    }
}

/// The backtest's plain report, line by line.
pub struct BacktestWords {
    pub heading: &'static str,
    pub customers: &'static str,
    pub churn: &'static str,
    pub model: &'static str,
    pub baseline: &'static str,
    pub next_order: &'static str,
    pub calibration: &'static str,
    pub bin: &'static str,
    pub predicted: &'static str,
    pub observed: &'static str,
    pub days: &'static str,
}

pub fn backtest_words(lang: Lang) -> BacktestWords {
    match lang {
        Lang::Zh => BacktestWords {
            heading: "预测回测",
            customers: "客户（截止前有有效订单）",
            churn: "流失",
            model: "模型",
            baseline: "基线",
            next_order: "下次下单",
            calibration: "校准",
            bin: "区间",
            predicted: "预测",
            observed: "实际",
            days: "天",
        },
        Lang::En => BacktestWords {
            heading: "Prediction backtest",
            customers: "customers (a valid order before the cutoff)",
            churn: "churn",
            model: "model",
            baseline: "baseline",
            next_order: "next order",
            calibration: "calibration",
            bin: "bin",
            predicted: "predicted",
            observed: "observed",
            days: "days",
        },
    }
}
