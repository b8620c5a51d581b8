//! A request the data refuses, said in both languages.

use super::Lang;

/// A request the data refuses (CLI exit status 3); nothing was written.
/// `Display` is the Chinese; readers take [`Refused::message`] in theirs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{zh}")]
pub struct Refused {
    pub zh: String,
    pub en: String,
}

impl Refused {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Refused {
        Refused {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        lang.t(&self.zh, &self.en)
    }

    /// No customer has this id (the store and the CLI say it alike).
    pub fn no_customer(id: i64) -> Refused {
        Refused::new(
            format!("没有编号为 #{id} 的客户"),
            format!("no customer #{id}"),
        )
    }

    /// No order has this number.
    pub fn no_order(no: &str) -> Refused {
        Refused::new(format!("没有订单 {no}"), format!("no order {no}"))
    }

    /// The order is another buyer's.
    pub fn not_their_order(no: &str) -> Refused {
        Refused::new(
            format!("订单 {no} 不属于这位客户"),
            format!("order {no} does not belong to this customer"),
        )
    }

    /// No complaint has this id (the store and the CLI say it alike).
    pub fn no_complaint(id: i64) -> Refused {
        Refused::new(
            format!("没有编号为 {id} 的投诉"),
            format!("no complaint {id}"),
        )
    }
}
