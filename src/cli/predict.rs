//! `kehu predict CUSTOMER [--json]`: the customer's next order, churn risk
//! and 12-month value; `kehu predict --backtest --cutoff DATE [--horizon
//! DAYS] [--json]`: the model against naive rules on what followed a cutoff.

use super::EXIT_OK;
use super::common::{customer_id, finish, open_store};
use super::out::{outln, print_json};
use crate::db::Access;
use crate::domain::backtest::{Bin, Report};
use crate::i18n::Lang;
use crate::i18n::predict as say;
use crate::model::CustomerPrediction;
use anyhow::Result;
use serde_json::json;
use std::path::Path;

/// What `kehu predict` was asked.
pub struct PredictArgs {
    pub customer: Option<String>,
    pub json: bool,
    pub backtest: bool,
    pub cutoff: Option<String>,
    pub horizon: i64,
}

pub fn run(a: PredictArgs, db: &Path, lang: Lang) -> Result<i32> {
    finish(
        (|| {
            if !(1..=3650).contains(&a.horizon) {
                return Err(say::bad_horizon(a.horizon).into());
            }
            if a.backtest {
                let Some(cutoff) = a.cutoff.as_deref() else {
                    return Err(say::backtest_needs_cutoff().into());
                };
                let (store, _) = open_store(db, Access::Read, lang)?;
                let r = store.predict_backtest(cutoff.trim(), a.horizon)?;
                return print_backtest(&r, a.json, lang);
            }
            let Some(spec) = a.customer.as_deref() else {
                return Err(say::predict_needs_customer().into());
            };
            let (mut store, _) = open_store(db, Access::Read, lang)?;
            let id = customer_id(&store, spec)?;
            store.ensure_predictions()?;
            let p = store.prediction(id)?;
            print_prediction(id, p.as_ref(), a.json, lang)
        })(),
        lang,
    )
}

fn print_prediction(
    id: i64,
    p: Option<&CustomerPrediction>,
    json: bool,
    lang: Lang,
) -> Result<i32> {
    let risk = p.and_then(|p| p.churn_risk);
    if json {
        print_json(&json!({
            "customer_id": id,
            "as_of": p.map(|p| p.as_of.clone()),
            "horizon_days": p.map_or(crate::domain::predict::HORIZON_DAYS, |p| p.horizon_days),
            "next_order_at": p.and_then(|p| p.next_order_at.clone()),
            "churn_risk": risk.map(crate::domain::backtest::round4),
            "value_12m_fen": p.map_or(0, |p| p.value_12m_fen),
            "valuable_at_risk": p.is_some_and(|p| p.valuable_at_risk),
        }))?;
        return Ok(EXIT_OK);
    }
    for (label, value) in CustomerPrediction::lines(p, lang) {
        outln!("{label}  {value}")?;
    }
    if let Some(p) = p {
        outln!("({})", say::as_of(lang, &p.as_of))?;
    }
    Ok(EXIT_OK)
}

fn print_backtest(r: &Report, json: bool, lang: Lang) -> Result<i32> {
    if json {
        print_json(r)?;
        return Ok(EXIT_OK);
    }
    let w = say::backtest_words(lang);
    let f = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |v| format!("{v:.4}"));
    outln!(
        "{}  cutoff {}  horizon {} {}",
        w.heading,
        r.cutoff,
        r.horizon_days,
        w.days
    )?;
    outln!("{}: {}", w.customers, r.customers)?;
    outln!(
        "{}  AUC {} {} / {} {}   Brier {} {} / {} {}",
        w.churn,
        w.model,
        f(r.churn.auc),
        w.baseline,
        f(r.churn.baseline_auc),
        w.model,
        f(r.churn.brier),
        w.baseline,
        f(r.churn.baseline_brier)
    )?;
    outln!(
        "{}  n {}  MAE {} {} {} / {} {} {}",
        w.next_order,
        r.next_order.n,
        w.model,
        f(r.next_order.mae_days),
        w.days,
        w.baseline,
        f(r.next_order.baseline_mae_days),
        w.days
    )?;
    outln!("{}", w.calibration)?;
    outln!(
        "  {:<8} {:>9} {:>9} {:>8}",
        w.bin,
        w.predicted,
        w.observed,
        "n"
    )?;
    for Bin {
        bin,
        predicted,
        observed,
        n,
    } in &r.calibration
    {
        outln!("  {bin:<8} {predicted:>9.4} {observed:>9.4} {n:>8}")?;
    }
    Ok(EXIT_OK)
}
