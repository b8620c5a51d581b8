//! Why a row was not imported, as a code and its parameters. A reason is
//! stored that way and put into words (in [`crate::i18n::import`]) only when
//! someone reads it, in the reader's language: a row rejected by an import in Chinese reads in English
//! under `--lang en`, and the other way round.

use crate::domain::text::{one_line, quote};
use crate::i18n::{Lang, import as say};
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
    /// A row of an order given over several rows (Douyin, JD) whose other
    /// row at `line` was rejected: the order is imported whole or not at all.
    SiblingRejected {
        order_no: String,
        line: u64,
    },
    /// A row of a buyer whose data the seller erased (`kehu privacy erase`):
    /// not brought back unless the import is told `--allow-erased`.
    ErasedCustomer,
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
            Reason::ShortRow { .. } | Reason::OrderNoEmpty | Reason::ErasedCustomer => {}
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
            Reason::OrderNotStored { order_no } | Reason::SiblingRejected { order_no, .. } => {
                *order_no = quote(order_no)
            }
            Reason::Text { text } => *text = one_line(text).into_owned(),
        }
        r
    }

    /// The reason in words, in `lang`: one line, safe for a terminal, each
    /// quoted cell at most 200 characters.
    pub fn text(&self, lang: Lang) -> String {
        let limit = crate::domain::Fen(crate::domain::money::MAX_ORDER_FEN);
        let words = match self.quoted() {
            Reason::ShortRow { columns, header } => say::short_row(columns, header),
            Reason::Empty { column } => say::empty_cell(&column),
            Reason::NotMoney { column, value } => say::not_money(&column, &value),
            Reason::NegativeAmount { column, value } => say::negative_amount(&column, &value),
            Reason::AmountTooLarge { column, value } => {
                say::amount_too_large(&column, &value, &limit)
            }
            Reason::NotWholeNumber { column, value } => say::not_whole_number(&column, &value),
            Reason::NotDateTime { column, value } => say::not_date_time(&column, &value),
            Reason::OrderNoEmpty => say::order_no_empty(),
            Reason::OrderNoScientific { value } => say::order_no_scientific(&value),
            Reason::OrderNoDecimal { value } => say::order_no_decimal(&value),
            Reason::OrderNoInvalid { value } => say::order_no_invalid(&value),
            Reason::NoBuyer { column } => say::no_buyer(&column),
            Reason::NoReceiver { column } => say::no_receiver(&column),
            Reason::OrderNotStored { order_no } => say::order_not_stored(&order_no),
            Reason::SiblingRejected { order_no, line } => say::sibling_rejected(&order_no, line),
            Reason::ErasedCustomer => crate::i18n::privacy::erased_customer(),
            // Words an earlier kehu stored, in the language of that import.
            Reason::Text { text } => return text,
        };
        words.get(lang).to_string()
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
            Reason::SiblingRejected {
                order_no: "123".into(),
                line: 7,
            },
            Reason::ErasedCustomer,
        ];
        for r in all {
            let back = Reason::stored(Some(&r.code()), Some(&r.params_json()), "x");
            assert_eq!(back, r);
            assert!(!r.code().is_empty());
        }
        assert_eq!(Reason::OrderNoEmpty.code(), "order-no-empty");
        assert_eq!(Reason::ErasedCustomer.code(), "erased-customer");
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
