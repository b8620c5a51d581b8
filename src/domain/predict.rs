//! Predictions per customer (预测): when the next valid order comes, the risk
//! of none within a horizon, and the expected net spend over 12 months.
//!
//! The churn risk is a logistic model of a few recency and frequency features,
//! fitted by Newton's method (IRLS) on the shop's own history: features as of
//! `T − horizon`, labels from `[T − horizon, T)`, so a prediction at `T` uses
//! nothing at or after `T`. The next order is the last valid order plus the
//! buyer's median gap shrunk toward the shop's typical gap; the value is the
//! chance of staying times the orders expected in a year times a mean order
//! value shrunk toward the shop's. See docs/prediction.md.
//!
//! Times are whole seconds on one clock (Beijing wall time as stored); a
//! buyer's history is their valid orders' creation times in ascending order
//! with each order's net (paid − refunded) in fen.

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// The default horizon of the churn risk, in days.
pub const HORIZON_DAYS: i64 = 90;
/// Features, the intercept first.
const NF: usize = 23;
/// Knots (days since the last valid order) of the flexible recency term:
/// a buyer's chance of coming back need not fall with recency (one who
/// bought yesterday is seldom due again within the horizon).
const KNOTS: [f64; 4] = [7.0, 21.0, 45.0, 90.0];
/// Prior weight (in gaps) of the shop's typical gap against the buyer's own.
const GAP_PRIOR: f64 = 2.0;
/// Prior weight (in orders) of the shop's mean order value against the buyer's.
const VALUE_PRIOR: f64 = 3.0;
/// Training snapshots, and the days between them.
const SNAPSHOTS: usize = 4;
const SNAPSHOT_STEP_DAYS: i64 = 30;
/// Training examples at most (a big shop keeps every k-th buyer).
const MAX_EXAMPLES: usize = 200_000;
/// Ridge on the slopes (not the intercept), per training example.
const RIDGE: f64 = 1e-4;

/// Seconds since 1970-01-01 of a stored time `YYYY-MM-DD HH:MM:SS` (or a
/// date alone, at midnight); `None` when it is not one.
pub fn secs(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let (hh, mm, ss) = if b.len() >= 19 {
        (num(11..13)?, num(14..16)?, num(17..19)?)
    } else {
        (0, 0, 0)
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * DAY + hh * 3600 + mm * 60 + ss)
}

/// The date `YYYY-MM-DD` of seconds since 1970-01-01.
pub fn date_of(secs: i64) -> String {
    let z = secs.div_euclid(DAY) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One buyer's valid orders: creation times ascending, and each order's
/// net; and the creation times of their refunded orders, ascending (a
/// refund is a reason to stop buying).
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    pub times: &'a [i64],
    pub nets: &'a [i64],
    pub refunds: &'a [i64],
}

impl<'a> History<'a> {
    /// The orders created before `t`.
    pub fn before(&self, t: i64) -> History<'a> {
        let k = self.times.partition_point(|&x| x < t);
        let r = self.refunds.partition_point(|&x| x < t);
        History {
            times: &self.times[..k],
            nets: &self.nets[..k.min(self.nets.len())],
            refunds: &self.refunds[..r],
        }
    }

    /// Whether a valid order was created in `[from, to)`.
    pub fn any_in(&self, from: i64, to: i64) -> bool {
        let k = self.times.partition_point(|&x| x < from);
        self.times.get(k).is_some_and(|&x| x < to)
    }

    /// The first valid order created at or after `from`.
    pub fn first_from(&self, from: i64) -> Option<i64> {
        let k = self.times.partition_point(|&x| x < from);
        self.times.get(k).copied()
    }
}

/// The median of gaps in seconds (the mean of the middle two for an even
/// count); `None` for none.
pub fn median_gap(times: &[i64]) -> Option<f64> {
    let mut gaps: Vec<i64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let n = gaps.len();
    Some(if n % 2 == 1 {
        gaps[n / 2] as f64
    } else {
        (gaps[n / 2 - 1] + gaps[n / 2]) as f64 / 2.0
    })
}

/// What the shop's buyers do on the whole: the typical gap between a buyer's
/// valid orders (the median over repeat buyers of their median gaps, days) and
/// the mean net of a valid order (fen).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shop {
    pub gap_days: f64,
    pub order_fen: f64,
}

impl Shop {
    /// The shop as seen from the orders created before `t`.
    pub fn of<'a>(buyers: impl Iterator<Item = History<'a>>, t: i64) -> Shop {
        let mut gaps = Vec::new();
        let (mut sum, mut n) = (0f64, 0f64);
        for h in buyers {
            let h = h.before(t);
            if let Some(g) = median_gap(h.times) {
                gaps.push(g / DAY as f64);
            }
            sum += h.nets.iter().map(|&v| v as f64).sum::<f64>();
            n += h.nets.len() as f64;
        }
        gaps.sort_by(f64::total_cmp);
        let gap_days = if gaps.is_empty() {
            30.0
        } else {
            gaps[gaps.len() / 2].max(1.0)
        };
        let order_fen = if n > 0.0 { sum / n } else { 0.0 };
        Shop {
            gap_days,
            order_fen,
        }
    }

    /// A buyer's gap in days: their median gap shrunk toward the shop's, by
    /// how many gaps they have shown (none: the shop's). At least a day.
    pub fn gap_of(&self, times: &[i64]) -> f64 {
        let m = times.len().saturating_sub(1) as f64;
        let own = median_gap(times).map_or(self.gap_days, |g| g / DAY as f64);
        ((GAP_PRIOR * self.gap_days + m * own) / (GAP_PRIOR + m)).max(1.0)
    }
}

/// The features of a buyer at `t` (orders before `t` only; at least one).
fn features(h: &History<'_>, t: i64, shop: &Shop, horizon_days: i64) -> [f64; NF] {
    let days = |s: i64| (s as f64 / DAY as f64).max(0.0);
    let n = h.times.len().max(1) as f64;
    let last = h.times.last().copied().unwrap_or(t);
    let first = h.times.first().copied().unwrap_or(t);
    let r = days(t - last);
    let gap = shop.gap_of(h.times);
    let late = r / gap;
    let due = (r + horizon_days as f64) / gap;
    let refunded_since = h.refunds.last().is_some_and(|&x| x >= last);
    let recent = h.times.len() - h.times.partition_point(|&x| x < t - 180 * DAY);
    let one = h.times.len() < 2;
    [
        1.0,
        (1.0 + r).ln(),
        n.ln(),
        (1.0 + late).ln(),
        (1.0 + days(t - first)).ln(),
        gap.ln(),
        f64::from(u8::from(n < 1.5)),
        late.min(6.0),
        f64::from(u8::from(late > 1.5)),
        f64::from(u8::from(refunded_since)),
        (1.0 + recent as f64).ln(),
        // One-order buyers fade with recency at their own rate.
        f64::from(u8::from(n < 1.5)) * (1.0 + r).ln(),
        // How long the buyer has been gone against the horizon.
        (r / horizon_days.max(1) as f64).min(4.0),
        // Whether the next gap can end within the horizon at all: a buyer
        // with a long rhythm who just ordered is not due in it.
        due.min(4.0),
        f64::from(u8::from(due < 0.6)),
        // The flexible recency term, for one-order and repeat buyers apart.
        hinge(r, KNOTS[0], one),
        hinge(r, KNOTS[1], one),
        hinge(r, KNOTS[2], one),
        hinge(r, KNOTS[3], one),
        hinge(r, KNOTS[0], !one),
        hinge(r, KNOTS[1], !one),
        hinge(r, KNOTS[2], !one),
        hinge(r, KNOTS[3], !one),
    ]
}

/// A piece of the flexible recency term: `ln(1 + r) − ln(1 + knot)` past
/// the knot, 0 before it, and 0 outside its group of buyers.
fn hinge(r: f64, knot: f64, on: bool) -> f64 {
    if on {
        ((1.0 + r).ln() - (1.0 + knot).ln()).max(0.0)
    } else {
        0.0
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The fitted model: the logistic weights, the shop it was fitted on and
/// its horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub weights: [f64; NF],
    pub shop: Shop,
    pub horizon_days: i64,
}

/// What the model says of one buyer at one time.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Seconds since 1970-01-01 of the expected next valid order.
    pub next_order_at: i64,
    /// The probability of no valid order within the horizon.
    pub churn_risk: f64,
    /// Expected net spend over the next 12 months, fen.
    pub value_12m_fen: i64,
}

impl Model {
    /// Fit on `buyers` for predictions at `t`: features as of
    /// `t − horizon`, labels "no valid order in `[t − horizon, t)`". Only
    /// orders before `t` are read. With no one to learn from, the model
    /// says the training-free rule: risk rises with recency in gaps.
    pub fn fit<'a>(buyers: &[History<'a>], t: i64, horizon_days: i64) -> Model {
        let mut xs: Vec<[f64; NF]> = Vec::new();
        let mut ys: Vec<f64> = Vec::new();
        // Several snapshots a month apart, each with a whole horizon after
        // it before `t`: more examples for a small shop. A big one keeps
        // every k-th buyer, enough for a handful of weights.
        let stride = (buyers.len() * SNAPSHOTS / MAX_EXAMPLES).max(1);
        for k in 0..SNAPSHOTS as i64 {
            let t0 = t - horizon_days * DAY - k * SNAPSHOT_STEP_DAYS * DAY;
            let shop0 = Shop::of(buyers.iter().copied(), t0);
            for h in buyers.iter().step_by(stride) {
                let past = h.before(t0);
                if past.times.is_empty() {
                    continue;
                }
                xs.push(features(&past, t0, &shop0, horizon_days));
                let end = t0 + horizon_days * DAY;
                ys.push(if h.any_in(t0, end) { 0.0 } else { 1.0 });
            }
        }
        let mut fallback = [0.0; NF];
        fallback[3] = 1.0;
        let weights = irls(&xs, &ys).unwrap_or(fallback);
        Model {
            weights,
            shop: Shop::of(buyers.iter().copied(), t),
            horizon_days,
        }
    }

    /// The prediction for a buyer at `t` from their orders before `t`;
    /// `None` for a buyer with none.
    pub fn predict(&self, h: &History<'_>, t: i64) -> Option<Prediction> {
        let h = h.before(t);
        let last = *h.times.last()?;
        let x = features(&h, t, &self.shop, self.horizon_days);
        let z: f64 = x.iter().zip(&self.weights).map(|(a, b)| a * b).sum();
        let churn_risk = sigmoid(z);
        let gap = self.shop.gap_of(h.times);
        let next = next_order(last, gap, t);
        let n = h.nets.len() as f64;
        let own: f64 = h.nets.iter().map(|&v| v as f64).sum();
        let per_order = ((VALUE_PRIOR * self.shop.order_fen + own) / (VALUE_PRIOR + n)).max(0.0);
        let orders_12m = (365.0 / gap).clamp(1.0, 52.0);
        let value = (1.0 - churn_risk) * orders_12m * per_order;
        Some(Prediction {
            next_order_at: next,
            churn_risk,
            value_12m_fen: value.round() as i64,
        })
    }
}

/// The next order: one gap after the last; a buyer already past it is
/// expected half a gap from now (never before `t`).
pub fn next_order(last: i64, gap_days: f64, t: i64) -> i64 {
    let gap = (gap_days * DAY as f64) as i64;
    let due = last + gap;
    if due >= t { due } else { t + gap / 2 }
}

/// Logistic regression by Newton's method (IRLS) with a small ridge on the
/// slopes; `None` when the labels are all one kind or nothing converges.
#[allow(clippy::needless_range_loop)] // matrix code reads best by index
fn irls(xs: &[[f64; NF]], ys: &[f64]) -> Option<[f64; NF]> {
    let n = xs.len();
    let pos = ys.iter().filter(|&&y| y > 0.5).count();
    if n < 10 || pos == 0 || pos == n {
        return None;
    }
    let mut w = [0.0; NF];
    w[0] = (pos as f64 / (n - pos) as f64).ln();
    let lambda = RIDGE * n as f64;
    for _ in 0..50 {
        let mut g = [0.0; NF];
        let mut hm = [[0.0; NF]; NF];
        for (x, &y) in xs.iter().zip(ys) {
            let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = sigmoid(z);
            let s = (p * (1.0 - p)).max(1e-9);
            for i in 0..NF {
                g[i] += (y - p) * x[i];
                for j in 0..=i {
                    hm[i][j] += s * x[i] * x[j];
                }
            }
        }
        for i in 0..NF {
            for j in 0..i {
                hm[j][i] = hm[i][j];
            }
        }
        for i in 1..NF {
            g[i] -= lambda * w[i];
            hm[i][i] += lambda;
        }
        let step = solve(hm, g)?;
        let mut biggest = 0f64;
        for i in 0..NF {
            w[i] += step[i];
            biggest = biggest.max(step[i].abs());
        }
        if !w.iter().all(|v| v.is_finite()) {
            return None;
        }
        if biggest < 1e-8 {
            break;
        }
    }
    Some(w)
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)]
fn solve(mut a: [[f64; NF]; NF], mut b: [f64; NF]) -> Option<[f64; NF]> {
    for c in 0..NF {
        let p = (c..NF).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-12 {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        for r in c + 1..NF {
            let f = a[r][c] / a[c][c];
            for k in c..NF {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = [0.0; NF];
    for r in (0..NF).rev() {
        let s: f64 = (r + 1..NF).map(|k| a[r][k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> i64 {
        secs(s).unwrap()
    }

    #[test]
    fn seconds_and_dates_round_trip() {
        assert_eq!(t("1970-01-01 00:00:00"), 0);
        assert_eq!(t("1970-01-02"), DAY);
        assert_eq!(t("2000-03-01 00:00:01") - t("2000-02-28 00:00:01"), 2 * DAY);
        assert_eq!(date_of(t("2025-12-01 09:00:00")), "2025-12-01");
        assert_eq!(date_of(t("2024-02-29 23:59:59")), "2024-02-29");
        assert_eq!(secs("2025-13-01"), None);
        assert_eq!(secs("yesterday"), None);
    }

    #[test]
    fn median_gap_of_odd_and_even_counts() {
        assert_eq!(median_gap(&[0]), None);
        assert_eq!(median_gap(&[0, 10, 30]), Some(15.0));
        assert_eq!(median_gap(&[0, 10, 30, 35]), Some(10.0));
    }

    #[test]
    fn a_buyer_gap_shrinks_toward_the_shop() {
        let shop = Shop {
            gap_days: 30.0,
            order_fen: 5000.0,
        };
        assert_eq!(shop.gap_of(&[0]), 30.0);
        // Two gaps of 10 days against a prior of two gaps of 30: 20 days.
        assert_eq!(shop.gap_of(&[0, 10 * DAY, 20 * DAY]), 20.0);
    }

    #[test]
    fn next_order_is_never_before_now() {
        let now = 100 * DAY;
        assert_eq!(next_order(90 * DAY, 20.0, now), 110 * DAY);
        assert_eq!(next_order(50 * DAY, 20.0, now), 110 * DAY);
        assert_eq!(next_order(10 * DAY, 20.0, now), 110 * DAY);
    }

    #[test]
    fn the_recency_pieces_start_at_their_knots_and_stay_in_their_group() {
        assert_eq!(hinge(5.0, 7.0, true), 0.0);
        assert_eq!(hinge(7.0, 7.0, true), 0.0);
        assert!((hinge(15.0, 7.0, true) - 2f64.ln()).abs() < 1e-12);
        assert_eq!(hinge(100.0, 7.0, false), 0.0);
    }

    /// Buyers who order every `gap` days, some of whom stop at `stop`.
    fn shop(n: usize) -> (Vec<Vec<i64>>, Vec<Vec<i64>>) {
        let mut times = Vec::new();
        for i in 0..n {
            let gap = (10 + (i % 7) * 10) as i64 * DAY;
            let stop = if i % 3 == 0 { 200 * DAY } else { 1000 * DAY };
            let mut v = Vec::new();
            let mut x = (i as i64 % 50) * DAY;
            while x < stop && x < 720 * DAY {
                v.push(x);
                x += gap;
            }
            times.push(v);
        }
        let nets = times.iter().map(|v| vec![5000; v.len()]).collect();
        (times, nets)
    }

    #[test]
    fn the_fitted_model_tells_stoppers_from_stayers() {
        let (times, nets) = shop(300);
        let hs: Vec<History<'_>> = times
            .iter()
            .zip(&nets)
            .map(|(t, n)| History {
                times: t,
                nets: n,
                refunds: &[],
            })
            .collect();
        let now = 600 * DAY;
        let m = Model::fit(&hs, now, 90);
        let stopped = m.predict(&hs[0], now).unwrap();
        let stays = m.predict(&hs[1], now).unwrap();
        assert!(stopped.churn_risk > 0.8, "{stopped:?}");
        assert!(stays.churn_risk < 0.2, "{stays:?}");
        assert!(stays.value_12m_fen > stopped.value_12m_fen);
        assert!(stays.next_order_at >= now);
        // Nothing at or after `now` is read.
        let mut later = times.clone();
        later[1].push(now + DAY);
        let hs2: Vec<History<'_>> = later
            .iter()
            .zip(&nets)
            .map(|(t, n)| History {
                times: t,
                nets: n,
                refunds: &[],
            })
            .collect();
        assert_eq!(Model::fit(&hs2, now, 90), m);
    }
}
