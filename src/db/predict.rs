//! Predictions in the store: every buyer's valid orders read in one pass
//! (the `orders_valid_history` index), the model fitted and applied
//! (`domain::predict`), the rows kept in `predictions` (migration 012) for
//! the card, the customers list and `kehu predict`, and the backtest.

use super::Store;
use crate::domain::backtest::{self, Report};
use crate::domain::predict::{self, History, Model};
use crate::domain::time;
use crate::model::{AT_RISK, CustomerPrediction, VALUABLE_SHARE};
use anyhow::Result;
use rusqlite::{OptionalExtension, params};

/// Every buyer's valid orders, flat: buyer `i` owns `times[starts[i]..starts[i + 1]]`.
pub(crate) struct Histories {
    pub ids: Vec<i64>,
    starts: Vec<usize>,
    times: Vec<i64>,
    nets: Vec<i64>,
    /// Buyer `i`'s refunded orders: `refunds[rstarts[i]..rstarts[i + 1]]`.
    rstarts: Vec<usize>,
    refunds: Vec<i64>,
}

impl Histories {
    pub fn all(&self) -> Vec<History<'_>> {
        (0..self.ids.len())
            .map(|i| {
                let r = self.starts[i]..self.starts[i + 1];
                History {
                    times: &self.times[r.clone()],
                    nets: &self.nets[r],
                    refunds: &self.refunds[self.rstarts[i]..self.rstarts[i + 1]],
                }
            })
            .collect()
    }
}

impl Store {
    /// Every buyer's valid orders (those with at least one), in customer
    /// order, with their refunded orders.
    pub(crate) fn valid_histories(&self) -> Result<Histories> {
        // Read from the index alone, in its order.
        let mut st = self.conn.prepare(
            "SELECT customer_id, created_at, status, paid_fen - refund_fen
             FROM orders INDEXED BY orders_customer
             WHERE status IN ('paid', 'shipped', 'completed', 'refunded')
             ORDER BY customer_id, created_at",
        )?;
        let mut h = Histories {
            ids: Vec::new(),
            starts: Vec::new(),
            times: Vec::new(),
            nets: Vec::new(),
            rstarts: Vec::new(),
            refunds: Vec::new(),
        };
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let at = r.get_ref(1)?.as_str()?;
            let Some(t) = predict::secs(at) else { continue };
            if h.ids.last() != Some(&id) {
                h.ids.push(id);
                h.starts.push(h.times.len());
                h.rstarts.push(h.refunds.len());
            }
            if r.get_ref(2)?.as_str()? == "refunded" {
                h.refunds.push(t);
            } else {
                h.times.push(t);
                h.nets.push(r.get(3)?);
            }
        }
        h.starts.push(h.times.len());
        h.rstarts.push(h.refunds.len());
        Ok(h)
    }

    /// The backtest at `cutoff` (a date) over `horizon_days`.
    pub fn predict_backtest(&self, cutoff: &str, horizon_days: i64) -> Result<Report> {
        let Some(at) = predict::secs(cutoff) else {
            return Err(
                crate::i18n::predict::bad_cutoff(&crate::domain::text::one_line(cutoff)).into(),
            );
        };
        let h = self.valid_histories()?;
        Ok(backtest::run(&h.all(), at, horizon_days, cutoff))
    }

    /// Today's date (Beijing), the day predictions are made for.
    fn prediction_day() -> String {
        time::fmt(time::beijing_now())[..10].to_string()
    }

    /// Whether the stored predictions are for today.
    pub fn predictions_fresh(&self) -> Result<bool> {
        let as_of: Option<String> = self
            .conn
            .query_row("SELECT as_of FROM prediction_run WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(as_of.as_deref() == Some(Self::prediction_day().as_str()))
    }

    /// Refresh the predictions when they are not for today, if this store
    /// may write (a read-only file, or an import running, keeps the last
    /// ones). Returns whether it refreshed.
    pub fn ensure_predictions(&mut self) -> Result<bool> {
        if self.predictions_fresh()? || self.read_only || self.before_write().is_err() {
            return Ok(false);
        }
        self.refresh_predictions()?;
        Ok(true)
    }

    /// Fit the model on every buyer's valid orders and store each
    /// customer's predictions at now (customers without a valid order get
    /// a row with no date and no risk, value 0).
    pub fn refresh_predictions(&mut self) -> Result<()> {
        self.before_write()?;
        let now_dt = time::beijing_now();
        let now = predict::secs(&time::fmt(now_dt)).unwrap_or(0);
        let horizon = predict::HORIZON_DAYS;
        let h = self.valid_histories()?;
        let all = h.all();
        let model = Model::fit(&all, now, horizon);
        let preds: Vec<_> = all.iter().map(|b| model.predict(b, now)).collect();
        let mut values: Vec<i64> = preds.iter().flatten().map(|p| p.value_12m_fen).collect();
        values.sort_unstable();
        let cut = ((values.len() as f64) * (1.0 - VALUABLE_SHARE)) as usize;
        // The top fifth; at least one fen, so no one is valuable at 0.
        let valuable = values.get(cut).copied().unwrap_or(i64::MAX).max(1);
        let tx = self.conn.transaction()?;
        // Rows in id order into a bare table, its indexes built after: one
        // sort each instead of a random insert per row.
        tx.execute_batch(
            "DROP INDEX IF EXISTS predictions_value;
             DELETE FROM predictions;",
        )?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO predictions (customer_id, next_order_at, churn_risk, value_12m_fen, at_risk)
                 VALUES (?, ?, ?, ?, ?)",
            )?;
            for (id, p) in h.ids.iter().zip(&preds) {
                let Some(p) = p else { continue };
                let at_risk = p.value_12m_fen >= valuable && p.churn_risk >= AT_RISK;
                ins.execute(params![
                    id,
                    predict::date_of(p.next_order_at),
                    p.churn_risk,
                    p.value_12m_fen,
                    at_risk
                ])?;
            }
        }
        // Everyone else: no valid order yet.
        tx.execute_batch(
            "INSERT OR IGNORE INTO predictions (customer_id, value_12m_fen)
             SELECT id, 0 FROM customers WHERE valid_orders = 0;
             CREATE INDEX predictions_value ON predictions (value_12m_fen, customer_id);",
        )?;
        let weights = model
            .weights
            .iter()
            .map(|w| format!("{w:.6}"))
            .collect::<Vec<_>>()
            .join(",");
        let desc = format!(
            "logistic [{weights}]; shop gap {:.2} days, order {:.0} fen",
            model.shop.gap_days, model.shop.order_fen
        );
        tx.execute(
            "INSERT INTO prediction_run (id, as_of, horizon_days, valuable_fen, model)
             VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET as_of = ?1, horizon_days = ?2, valuable_fen = ?3, model = ?4",
            params![Self::prediction_day(), horizon, valuable, desc],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The stored predictions of one customer (after [`Store::ensure_predictions`]).
    pub fn prediction(&self, customer_id: i64) -> Result<Option<CustomerPrediction>> {
        Ok(self
            .conn
            .query_row(
                "SELECT p.next_order_at, p.churn_risk, p.value_12m_fen, p.at_risk, r.as_of, r.horizon_days
                 FROM predictions p, prediction_run r WHERE p.customer_id = ? AND r.id = 1",
                params![customer_id],
                |r| {
                    Ok(CustomerPrediction {
                        customer_id,
                        next_order_at: r.get(0)?,
                        churn_risk: r.get(1)?,
                        value_12m_fen: r.get(2)?,
                        valuable_at_risk: r.get(3)?,
                        as_of: r.get(4)?,
                        horizon_days: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }
}
