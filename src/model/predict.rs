//! A customer's predictions as stored by the last refresh (see
//! `domain::predict` for the model and docs/prediction.md).

use crate::domain::Fen;
use crate::i18n::Lang;
use crate::i18n::predict as say;
use serde::Serialize;

/// What the model says of one customer, for the day it was refreshed on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerPrediction {
    pub customer_id: i64,
    /// The day the predictions are for (`YYYY-MM-DD`).
    pub as_of: String,
    pub horizon_days: i64,
    /// The expected date of the next valid order; `None` without any valid order.
    pub next_order_at: Option<String>,
    /// The probability, 0 to 1, of no valid order within the horizon.
    pub churn_risk: Option<f64>,
    /// Expected net spend over the next 12 months, fen.
    pub value_12m_fen: i64,
    /// Valuable (12-month value in the shop's top fifth) and at risk
    /// (churn risk at least [`AT_RISK`]).
    pub valuable_at_risk: bool,
}

/// The churn risk from which a valuable customer counts as at risk.
pub const AT_RISK: f64 = 0.5;
/// The share of customers with the highest 12-month value that count as valuable.
pub const VALUABLE_SHARE: f64 = 0.2;

impl CustomerPrediction {
    /// The section's lines, label and value: what the card shows too.
    pub fn lines(p: Option<&CustomerPrediction>, lang: Lang) -> Vec<(String, String)> {
        let none = say::none(lang).to_string();
        let horizon = p.map_or(crate::domain::predict::HORIZON_DAYS, |p| p.horizon_days);
        let mut out = vec![
            (
                say::next_order(lang).to_string(),
                p.and_then(|p| p.next_order_at.clone())
                    .unwrap_or_else(|| none.clone()),
            ),
            (
                say::churn_risk(lang, horizon),
                p.and_then(|p| p.churn_risk)
                    .map_or_else(|| none.clone(), |r| format!("{:.0}%", r * 100.0)),
            ),
            (
                say::value_12m(lang).to_string(),
                Fen(p.map_or(0, |p| p.value_12m_fen)).to_string(),
            ),
        ];
        if p.is_some_and(|p| p.valuable_at_risk) {
            out.push((String::new(), say::valuable_at_risk(lang).to_string()));
        }
        out
    }
}
