//! When orders are placed: a grid of hour cells weighted by season, weekday,
//! the shop's growth and hour of day.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

use super::GenOptions;
use super::rng::{Rng, det_expm1, det_ln};
use crate::demo::names::{HOUR_WEIGHTS, SPRING_FESTIVALS};

/// Order times: a fixed grid of hour cells weighted by season, weekday, trend
/// and hour of day; ascending uniform order statistics mapped through it.
pub(super) struct Timeline {
    start: NaiveDateTime,
    span_secs: i64,
    cells: Vec<Cell>,
    total: f64,
    cell: usize,
    /// The last order statistic drawn, in [0, 1).
    x: f64,
    /// Orders still to place before the final one at `end`.
    left: u64,
}

pub(super) struct Cell {
    off: i64,
    len: i64,
    lo: f64,
    w: f64,
}

impl Timeline {
    pub(super) fn new(opts: &GenOptions, seed: u64) -> Timeline {
        let mut rng = Rng::new(seed);
        let span_secs = i64::from(opts.span_days) * 86_400;
        let start = opts.end - Duration::seconds(span_secs);
        let first_day = start.date();
        let days = (opts.end.date() - first_day).num_days() + 1;
        let day_weight: Vec<f64> = (0..days)
            .map(|d| (0.8 + 0.4 * rng.unit_open()) * day_factor(first_day + Duration::days(d)))
            .collect();

        let mut cells = Vec::with_capacity(days as usize * 24 + 2);
        let mut total = 0.0;
        let mut off = 0i64;
        while off < span_secs {
            let t = start + Duration::seconds(off);
            let into_hour = i64::from(t.minute() * 60 + t.second());
            let len = (3600 - into_hour).min(span_secs - off);
            let d = (t.date() - first_day).num_days();
            // The shop grows: the newest day sells about 2.6× the oldest.
            let trend = 0.55 + 0.9 * (off as f64 / span_secs as f64);
            let w = trend
                * day_weight[d as usize]
                * HOUR_WEIGHTS[t.hour() as usize]
                * (len as f64 / 3600.0);
            cells.push(Cell {
                off,
                len,
                lo: total,
                w,
            });
            total += w;
            off += len;
        }
        Timeline {
            start,
            span_secs,
            cells,
            total,
            cell: 0,
            x: 0.0,
            left: opts.orders.saturating_sub(1),
        }
    }

    /// The creation time of the next order; the last one is `end` itself.
    pub(super) fn next(&mut self, rng: &mut Rng) -> NaiveDateTime {
        if self.left == 0 || self.cells.is_empty() {
            self.left = self.left.saturating_sub(1);
            return self.start + Duration::seconds(self.span_secs);
        }
        // The minimum of `left` uniforms on (x, 1).
        let step = -det_expm1(det_ln(rng.unit_open()) / self.left as f64);
        self.x = (self.x + (1.0 - self.x) * step).min(1.0 - f64::EPSILON);
        self.left -= 1;
        let target = self.x * self.total;
        while self.cell + 1 < self.cells.len() {
            let c = &self.cells[self.cell];
            if c.lo + c.w <= target {
                self.cell += 1;
            } else {
                break;
            }
        }
        let c = &self.cells[self.cell];
        let within = if c.w > 0.0 {
            (((target - c.lo) / c.w) * c.len as f64) as i64
        } else {
            0
        };
        self.start + Duration::seconds(c.off + within.clamp(0, c.len - 1))
    }
}

/// Seasonal weight of a day: shopping festivals, school terms, Spring Festival.
pub(super) fn day_factor(date: NaiveDate) -> f64 {
    let (m, d) = (date.month(), date.day());
    let mut f = match (m, d) {
        (11, 1..=10) => 1.6,
        (11, 11) => 6.0,
        (11, 12..=13) => 1.4,
        (12, 12) => 2.0,
        (6, 1..=17) => 1.25,
        (6, 18) => 3.0,
        (8, 20..=31) | (9, 1..=10) => 1.7,
        (2, 15..=29) | (3, 1..=5) => 1.3,
        _ => 1.0,
    };
    f *= match date.weekday().num_days_from_monday() {
        4 => 0.95,
        5 => 0.9,
        6 => 1.05,
        _ => 1.0,
    };
    for &(y, sm, sd) in SPRING_FESTIVALS {
        if y != date.year() && y != date.year() + 1 {
            continue;
        }
        if let Some(fest) = NaiveDate::from_ymd_opt(y, sm, sd) {
            let delta = (date - fest).num_days();
            if (-3..=3).contains(&delta) {
                f = 0.15;
            } else if (-10..=6).contains(&delta) {
                f *= 0.35;
            }
        }
    }
    f
}
