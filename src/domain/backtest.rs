//! The measures a prediction backtest reports: AUC (ties count half), Brier
//! score, mean absolute error and calibration bins, each rounded to 4
//! decimals as `kehu predict --backtest` prints them, and the backtest
//! itself: fit on the orders before a cutoff, compare with the window after.

use super::predict::{DAY, History, Model};
use serde::Serialize;

/// What `kehu predict --backtest` reports (see docs/prediction.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub cutoff: String,
    pub horizon_days: i64,
    pub customers: usize,
    pub churn: Churn,
    pub next_order: NextOrder,
    pub calibration: Vec<Bin>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Churn {
    pub auc: Option<f64>,
    pub baseline_auc: Option<f64>,
    pub brier: Option<f64>,
    pub baseline_brier: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextOrder {
    pub n: usize,
    pub mae_days: Option<f64>,
    pub baseline_mae_days: Option<f64>,
}

/// Backtest at `cutoff` (seconds; the start of the cutoff day): the model
/// is fitted and predicts from the orders created before it only; a buyer
/// churned when no valid order of theirs was created in
/// `[cutoff, cutoff + horizon days)`.
pub fn run(buyers: &[History<'_>], cutoff: i64, horizon_days: i64, cutoff_text: &str) -> Report {
    let end = cutoff + horizon_days * DAY;
    let past: Vec<History<'_>> = buyers.iter().map(|h| h.before(cutoff)).collect();
    let model = Model::fit(&past, cutoff, horizon_days);
    let (mut probs, mut recency, mut churned) = (Vec::new(), Vec::new(), Vec::new());
    let (mut pred, mut base, mut actual) = (Vec::new(), Vec::new(), Vec::new());
    let days = |s: i64| s as f64 / DAY as f64;
    for (h, p) in buyers.iter().zip(&past) {
        let Some(guess) = model.predict(p, cutoff) else {
            continue;
        };
        let last = p.times[p.times.len() - 1];
        let first_after = h.first_from(cutoff).filter(|&x| x < end);
        probs.push(guess.churn_risk);
        recency.push(days(cutoff - last));
        churned.push(first_after.is_none());
        if let (Some(a), [.., before_last, _]) = (first_after, p.times) {
            pred.push(days(guess.next_order_at));
            base.push(days(last + (last - before_last)));
            actual.push(days(a));
        }
    }
    let rate = churned.iter().filter(|&&c| c).count() as f64 / churned.len().max(1) as f64;
    let constant = vec![rate; churned.len()];
    Report {
        cutoff: cutoff_text.to_string(),
        horizon_days,
        customers: probs.len(),
        churn: Churn {
            auc: auc(&probs, &churned).map(round4),
            baseline_auc: auc(&recency, &churned).map(round4),
            brier: brier(&probs, &churned).map(round4),
            baseline_brier: brier(&constant, &churned).map(round4),
        },
        next_order: NextOrder {
            n: pred.len(),
            mae_days: mae(&pred, &actual).map(round4),
            baseline_mae_days: mae(&base, &actual).map(round4),
        },
        calibration: calibration(&probs, &churned),
    }
}

/// Round to 4 decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The area under the ROC curve of `scores` for `labels` (true = positive):
/// the chance that a positive scores above a negative, a tie counting half.
/// `None` without both kinds.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let pos = labels.iter().filter(|&&l| l).count() as f64;
    let neg = labels.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    // Mann-Whitney: sum over positives of (negatives below + half the tied).
    let mut wins = 0f64;
    let mut negs_below = 0f64;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j < idx.len() && scores[idx[j]] == scores[idx[i]] {
            j += 1;
        }
        let group = &idx[i..j];
        let p = group.iter().filter(|&&k| labels[k]).count() as f64;
        let q = group.len() as f64 - p;
        wins += p * (negs_below + q / 2.0);
        negs_below += q;
        i = j;
    }
    Some(wins / (pos * neg))
}

/// The mean squared difference between probabilities and outcomes (0 or 1).
pub fn brier(probs: &[f64], labels: &[bool]) -> Option<f64> {
    if probs.is_empty() {
        return None;
    }
    let s: f64 = probs
        .iter()
        .zip(labels)
        .map(|(p, &l)| (p - f64::from(u8::from(l))).powi(2))
        .sum();
    Some(s / probs.len() as f64)
}

/// The mean of absolute differences.
pub fn mae(predicted: &[f64], actual: &[f64]) -> Option<f64> {
    if predicted.is_empty() {
        return None;
    }
    let s: f64 = predicted
        .iter()
        .zip(actual)
        .map(|(p, a)| (p - a).abs())
        .sum();
    Some(s / predicted.len() as f64)
}

/// One calibration bin: probabilities in `[lo, lo + 0.1)` (the last bin
/// takes 1.0), their mean and the share of positives among them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// `"0.3-0.4"`.
    pub bin: String,
    pub predicted: f64,
    pub observed: f64,
    pub n: usize,
}

/// Ten bins of width 0.1; empty bins are left out.
pub fn calibration(probs: &[f64], labels: &[bool]) -> Vec<Bin> {
    let mut sums = [(0f64, 0f64, 0usize); 10];
    for (&p, &l) in probs.iter().zip(labels) {
        let b = ((p * 10.0).floor() as usize).min(9);
        sums[b].0 += p;
        sums[b].1 += f64::from(u8::from(l));
        sums[b].2 += 1;
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s.2 > 0)
        .map(|(i, &(p, o, n))| Bin {
            bin: format!("{:.1}-{:.1}", i as f64 / 10.0, (i + 1) as f64 / 10.0),
            predicted: round4(p / n as f64),
            observed: round4(o / n as f64),
            n,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_by_hand() {
        // Positives 0.9, 0.4; negatives 0.5, 0.1. Pairs: (0.9>0.5) (0.9>0.1)
        // (0.4<0.5) (0.4>0.1): 3 of 4.
        let s = [0.9, 0.5, 0.4, 0.1];
        let l = [true, false, true, false];
        assert_eq!(auc(&s, &l), Some(0.75));
        // A tie counts half: positive 0.5 against negatives 0.5 and 0.2 = 1.5 of 2.
        assert_eq!(auc(&[0.5, 0.5, 0.2], &[true, false, false]), Some(0.75));
        // Everything tied: 0.5.
        assert_eq!(auc(&[1.0; 4], &l), Some(0.5));
        // Perfectly backwards: 0.
        assert_eq!(auc(&[0.1, 0.9], &[true, false]), Some(0.0));
        assert_eq!(auc(&[0.1, 0.9], &[true, true]), None);
    }

    #[test]
    fn brier_and_mae_by_hand() {
        // (0.8-1)^2 + (0.3-0)^2 = 0.04 + 0.09; over 2: 0.065.
        let b = brier(&[0.8, 0.3], &[true, false]).unwrap();
        assert!((b - 0.065).abs() < 1e-12);
        // A constant at the base rate 0.5: 0.25.
        assert_eq!(brier(&[0.5, 0.5], &[true, false]), Some(0.25));
        assert_eq!(mae(&[10.0, 4.0, 7.0], &[12.0, 1.0, 7.0]), Some(5.0 / 3.0));
        assert_eq!(mae(&[], &[]), None);
        assert_eq!(round4(5.0 / 3.0), 1.6667);
    }

    #[test]
    fn calibration_bins_by_hand() {
        let p = [0.05, 0.15, 0.12, 1.0, 0.95];
        let l = [false, true, false, true, false];
        let bins = calibration(&p, &l);
        assert_eq!(bins.len(), 3);
        assert_eq!(bins[0].bin, "0.0-0.1");
        assert_eq!((bins[0].n, bins[0].observed), (1, 0.0));
        assert_eq!(bins[1].bin, "0.1-0.2");
        assert_eq!(
            (bins[1].predicted, bins[1].observed, bins[1].n),
            (0.135, 0.5, 2)
        );
        assert_eq!(bins[2].bin, "0.9-1.0");
        assert_eq!((bins[2].predicted, bins[2].n), (0.975, 2));
    }

    #[test]
    fn the_backtest_reads_nothing_from_the_window_but_its_labels() {
        // Buyer 0 orders every 10 days throughout; buyer 1 stopped; buyer 2
        // orders every 20 days. The cutoff is day 100, the horizon 30 days.
        let b0: Vec<i64> = (0..20).map(|i| i * 10 * DAY).collect();
        let b1: Vec<i64> = vec![0, 5 * DAY];
        let b2: Vec<i64> = (0..10).map(|i| (i * 20 + 1) * DAY).collect();
        let nets = [100; 20];
        let hs: Vec<History<'_>> = [&b0, &b1, &b2]
            .iter()
            .map(|t| History {
                times: t,
                nets: &nets[..t.len()],
                refunds: &[],
            })
            .collect();
        let r = run(&hs, 100 * DAY, 30, "1970-04-11");
        assert_eq!(r.customers, 3);
        // Buyer 0: last before 100 is day 90, the gap 10: baseline day 100,
        // the first in the window day 100. Buyer 2: last day 81, gap 20:
        // baseline day 101, first in the window day 101.
        assert_eq!(r.next_order.n, 2);
        assert_eq!(r.next_order.baseline_mae_days, Some(0.0));
        // Recency: 10, 95 and 19 days; only buyer 1 churned: the baseline ranks it top.
        assert_eq!(r.churn.baseline_auc, Some(1.0));
        // A constant at the churn rate 1/3: (4/9 + 2 * 1/9) / 3.
        assert_eq!(r.churn.baseline_brier, Some(round4(2.0 / 9.0)));
        assert_eq!(r.calibration.iter().map(|b| b.n).sum::<usize>(), 3);
    }
}
