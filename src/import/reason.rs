//! Why a row was not imported, as a code and its parameters. A reason is
//! stored that way and put into words only when someone reads it, in the
//! reader's language: a row rejected by an import in Chinese reads in English
//! under `--lang en`, and the other way round.

use crate::domain::text::{one_line, quote};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// One reason a row was rejected. `column` is the export's own header name
/// (quoted as data in English); `value` the cell as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "params", rename_all = "kebab-case")]
pub enum Reason {
    /// The row has too few columns.
    ShortRow {
        columns: u64,
        header: u64,
    },
    /// A required cell is empty.
    Empty {
        column: String,
    },
    NotMoney {
        column: String,
        value: String,
    },
    /// An amount below zero.
    NegativeAmount {
        column: String,
        value: String,
    },
    /// An amount above the per-order limit (¥10,000,000.00), or too large to
    /// be an amount at all.
    AmountTooLarge {
        column: String,
        value: String,
    },
    NotWholeNumber {
        column: String,
        value: String,
    },
    NotDateTime {
        column: String,
        value: String,
    },
    OrderNoEmpty,
    /// Excel turned the order number into scientific notation.
    OrderNoScientific {
        value: String,
    },
    OrderNoDecimal {
        value: String,
    },
    OrderNoInvalid {
        value: String,
    },
    /// Taobao: no 买家会员名, so no buyer.
    NoBuyer {
        column: String,
    },
    /// Pinduoduo: no receiver, so no derived buyer key.
    NoReceiver {
        column: String,
    },
    /// An item row of an order kehu does not hold.
    OrderNotStored {
        order_no: String,
    },
    /// A reason stored as text by an earlier kehu, in the language of that import.
    Text {
        text: String,
    },
}

impl Reason {
    /// The code stored with the row (`not-money`, …).
    pub fn code(&self) -> String {
        match serde_json::to_value(self) {
            Ok(v) => v["code"].as_str().unwrap_or_default().to_string(),
            Err(_) => String::new(),
        }
    }

    /// The parameters stored with the row, as JSON (`null` when there are none).
    pub fn params_json(&self) -> String {
        match serde_json::to_value(self) {
            Ok(v) => v.get("params").cloned().unwrap_or_default().to_string(),
            Err(_) => "null".to_string(),
        }
    }

    /// A stored reason: its code and parameters, or for rows stored before
    /// codes existed (no code) the text as it was written.
    pub fn stored(code: Option<&str>, params: Option<&str>, text: &str) -> Reason {
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            return Reason::Text {
                text: text.to_string(),
            };
        };
        let params: serde_json::Value = params
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let mut v = serde_json::json!({ "code": code });
        if !params.is_null() {
            v["params"] = params;
        }
        serde_json::from_value(v).unwrap_or_else(|_| Reason::Text {
            text: text.to_string(),
        })
    }

    /// The same reason with every quoted cell and column name made one safe
    /// line of at most 200 characters ([`quote`]): a stored reason is file
    /// data, whatever kehu wrote it.
    fn quoted(&self) -> Reason {
        let mut r = self.clone();
        match &mut r {
            Reason::ShortRow { .. } | Reason::OrderNoEmpty => {}
            Reason::Empty { column }
            | Reason::NoBuyer { column }
            | Reason::NoReceiver { column } => {
                *column = quote(column);
            }
            Reason::NotMoney { column, value }
            | Reason::NegativeAmount { column, value }
            | Reason::AmountTooLarge { column, value }
            | Reason::NotWholeNumber { column, value }
            | Reason::NotDateTime { column, value } => {
                *column = quote(column);
                *value = quote(value);
            }
            Reason::OrderNoScientific { value }
            | Reason::OrderNoDecimal { value }
            | Reason::OrderNoInvalid { value } => *value = quote(value),
            Reason::OrderNotStored { order_no } => *order_no = quote(order_no),
            Reason::Text { text } => *text = one_line(text).into_owned(),
        }
        r
    }

    /// The reason in words, in `lang`: one line, safe for a terminal, each
    /// quoted cell at most 200 characters.
    pub fn text(&self, lang: Lang) -> String {
        match (&self.quoted(), lang) {
            (Reason::ShortRow { columns, header }, Lang::Zh) => {
                format!("该行只有 {columns} 个单元格，表头有 {header} 列")
            }
            (Reason::ShortRow { columns, header }, Lang::En) => {
                format!("the row has {columns} cells, the header {header}")
            }
            (Reason::Empty { column }, Lang::Zh) => format!("{column}为空"),
            (Reason::Empty { column }, Lang::En) => format!("column \"{column}\" is empty"),
            (Reason::NotMoney { column, value }, Lang::Zh) => {
                format!("{column}「{value}」不是金额")
            }
            (Reason::NotMoney { column, value }, Lang::En) => {
                format!("column \"{column}\": {value:?} is not an amount of money")
            }
            (Reason::NegativeAmount { column, value }, Lang::Zh) => {
                format!("{column}「{value}」是负数；金额不能为负")
            }
            (Reason::NegativeAmount { column, value }, Lang::En) => {
                format!("column \"{column}\": {value:?} is negative; an amount cannot be")
            }
            (Reason::AmountTooLarge { column, value }, Lang::Zh) => format!(
                "{column}「{value}」超过每单上限 {}，不像真实金额",
                crate::domain::Fen(crate::domain::money::MAX_ORDER_FEN)
            ),
            (Reason::AmountTooLarge { column, value }, Lang::En) => format!(
                "column \"{column}\": {value:?} is above the limit of {} per order; not a real amount",
                crate::domain::Fen(crate::domain::money::MAX_ORDER_FEN)
            ),
            (Reason::NotWholeNumber { column, value }, Lang::Zh) => {
                format!("{column}「{value}」不是整数")
            }
            (Reason::NotWholeNumber { column, value }, Lang::En) => {
                format!("column \"{column}\": {value:?} is not a whole number")
            }
            (Reason::NotDateTime { column, value }, Lang::Zh) => {
                format!("{column}「{value}」不是日期时间")
            }
            (Reason::NotDateTime { column, value }, Lang::En) => {
                format!("column \"{column}\": {value:?} is not a date and time")
            }
            (Reason::OrderNoEmpty, Lang::Zh) => "订单编号为空".to_string(),
            (Reason::OrderNoEmpty, Lang::En) => "the order number is empty".to_string(),
            (Reason::OrderNoScientific { value }, Lang::Zh) => format!(
                "订单编号 {value} 已被 Excel 改写为科学计数法，位数已丢失，无法还原；请用平台原始导出文件重新导入"
            ),
            (Reason::OrderNoScientific { value }, Lang::En) => format!(
                "order number {value} was turned into scientific notation by Excel and its digits are lost; import the platform's original export instead"
            ),
            (Reason::OrderNoDecimal { value }, Lang::Zh) => {
                format!("订单编号 {value} 带小数点，像被表格软件改写过；请用原始导出文件")
            }
            (Reason::OrderNoDecimal { value }, Lang::En) => format!(
                "order number {value} has a decimal point, as if a spreadsheet rewrote it; use the original export"
            ),
            (Reason::OrderNoInvalid { value }, Lang::Zh) => {
                format!("订单编号 {value:?} 含有无效字符")
            }
            (Reason::OrderNoInvalid { value }, Lang::En) => {
                format!("order number {value:?} has characters an order number cannot have")
            }
            (Reason::NoBuyer { column }, Lang::Zh) => format!("{column}为空，无法识别买家"),
            (Reason::NoBuyer { column }, Lang::En) => {
                format!("the buyer column \"{column}\" is empty: the buyer cannot be told")
            }
            (Reason::NoReceiver { column }, Lang::Zh) => format!("{column}为空，无法识别买家"),
            (Reason::NoReceiver { column }, Lang::En) => {
                format!("the receiver column \"{column}\" is empty: the buyer cannot be told")
            }
            (Reason::OrderNotStored { order_no }, Lang::Zh) => {
                format!("订单 {order_no} 不在数据库中：请先导入（或同时导入）对应的订单报表")
            }
            (Reason::OrderNotStored { order_no }, Lang::En) => format!(
                "order {order_no} is not in the database: import its order report first (or with it)"
            ),
            (Reason::Text { text }, _) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_params_round_trip() {
        let all = [
            Reason::ShortRow {
                columns: 3,
                header: 40,
            },
            Reason::Empty {
                column: "订单状态".into(),
            },
            Reason::NotMoney {
                column: "买家实际支付金额".into(),
                value: "abc".into(),
            },
            Reason::NegativeAmount {
                column: "退款金额".into(),
                value: "-1.00".into(),
            },
            Reason::AmountTooLarge {
                column: "买家实际支付金额".into(),
                value: "92233720368547758.07".into(),
            },
            Reason::OrderNoEmpty,
            Reason::OrderNoScientific {
                value: "1.23457E+18".into(),
            },
            Reason::OrderNotStored {
                order_no: "123".into(),
            },
        ];
        for r in all {
            let back = Reason::stored(Some(&r.code()), Some(&r.params_json()), "x");
            assert_eq!(back, r);
            assert!(!r.code().is_empty());
        }
        assert_eq!(Reason::OrderNoEmpty.code(), "order-no-empty");
        assert_eq!(
            Reason::stored(None, None, "旧的原因"),
            Reason::Text {
                text: "旧的原因".into()
            }
        );
        assert_eq!(
            Reason::stored(Some("no-such-code"), None, "旧"),
            Reason::Text { text: "旧".into() }
        );
    }
}
