//! The buyers and their habits: who places the next order. A buyer arrives
//! with a number of orders in mind (a truncated Pareto: most buy once, a few
//! buy dozens of times) and a repurchase cycle (shorter for those who buy
//! more); they come back about every cycle until their orders are placed, or
//! sooner stop. An order slot goes to the buyer most overdue, else to a new
//! buyer. Also each buyer's unique nickname number.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::BUYERS_PER_ORDER;
use super::rng::{Rng, det_exp, det_ln, feistel};

/// Shortest and longest repurchase cycle, in days.
const CYCLE_DAYS: (f64, f64) = (5.0, 200.0);

/// A buyer waiting for their next order: (due, buyer, orders left, cycle).
type Waiting = Reverse<(i64, u32, u32, u32)>;

/// The buyer of an order and what they are like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Drawn {
    /// The buyer's index, in order of their first order.
    pub(super) idx: usize,
    /// Orders this buyer placed before this one.
    pub(super) placed: u32,
    /// Orders this buyer meant to place in all (at least 1).
    pub(super) planned: u32,
    cycle: u32,
}

/// Buyers that will order again, by when they are due, and the stream that
/// draws new buyers' plans.
pub(super) struct Pool {
    rng: Rng,
    waiting: BinaryHeap<Waiting>,
    /// Planned orders of every buyer so far, by index.
    planned: Vec<u32>,
    cap: u64,
    alpha: f64,
    tail: f64,
    span_days: f64,
}

impl Pool {
    pub(super) fn new(orders: u64, span_days: u32, seed: u64) -> Pool {
        let cap = ((2.0 * (orders as f64).sqrt()).round() as u64).clamp(20, 120);
        let alpha = pareto_alpha(cap, 1.0 / BUYERS_PER_ORDER);
        Pool {
            rng: Rng::new(seed),
            waiting: BinaryHeap::new(),
            planned: Vec::with_capacity((orders as f64 * 0.45) as usize + 2),
            cap,
            alpha,
            tail: det_exp(-alpha * det_ln((cap + 1) as f64)),
            span_days: f64::from(span_days.max(1)),
        }
    }

    /// Buyers so far.
    pub(super) fn len(&self) -> usize {
        self.planned.len()
    }

    /// The buyer of the order placed at `now` (seconds on any fixed scale):
    /// the one most overdue, else a new buyer.
    pub(super) fn draw(&mut self, now: i64) -> Drawn {
        let due = matches!(self.waiting.peek(), Some(Reverse((at, ..))) if *at <= now);
        if due && let Some(Reverse((_, idx, left, cycle))) = self.waiting.pop() {
            let planned = self.planned[idx as usize];
            return Drawn {
                idx: idx as usize,
                placed: planned - left,
                planned,
                cycle,
            };
        }
        let idx = self.planned.len() as u32;
        let u = self.rng.unit_open();
        let x = det_exp(-det_ln(1.0 - (1.0 - u) * (1.0 - self.tail)) / self.alpha);
        let planned = (x as u64).clamp(1, self.cap) as u32;
        self.planned.push(planned);
        // Who buys often buys at shorter intervals: the plan spread over a
        // quarter to all of the history, within the cycle bounds.
        let spread = self.span_days * det_exp(det_ln(0.25) * self.rng.unit_open());
        let days = (spread / f64::from(planned)).clamp(CYCLE_DAYS.0, CYCLE_DAYS.1);
        Drawn {
            idx: idx as usize,
            placed: 0,
            planned,
            cycle: (days * 86_400.0) as u32,
        }
    }

    /// After `d`'s order at `now`: unless they `stop` (e.g. after a refund),
    /// a buyer with orders still to place is due one cycle on, give or take
    /// 40%; one gap in twelve is a long pause.
    pub(super) fn after(&mut self, d: Drawn, now: i64, stop: bool) {
        let left = d.planned - d.placed - 1;
        if left == 0 || stop {
            return;
        }
        let (idx, cycle) = (d.idx as u32, d.cycle);
        let mut gap = f64::from(cycle) * (0.6 + 0.8 * self.rng.unit_open());
        if self.rng.chance(83) {
            gap *= 2.0 + 2.0 * self.rng.unit_open();
        }
        self.waiting
            .push(Reverse((now + gap as i64, idx, left, cycle)));
    }
}

/// The exponent giving a truncated discrete Pareto on `1..=cap` the wanted mean.
pub(super) fn pareto_alpha(cap: u64, mean: f64) -> f64 {
    let mean_of = |a: f64| {
        let tail = det_exp(-a * det_ln((cap + 1) as f64));
        let s: f64 = (1..=cap)
            .map(|k| det_exp(-a * det_ln(k as f64)) - tail)
            .sum();
        s / (1.0 - tail)
    };
    let (mut lo, mut hi) = (0.9, 6.0);
    if mean_of(lo) <= mean {
        return lo;
    }
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if mean_of(mid) > mean {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A number in 100000..100000000 unique to buyer `idx` (cycle-walking the
/// Feistel permutation of 0..10^8 down to 0..10^8-10^5).
pub(super) fn nick_number(idx: u64, key: u64) -> u64 {
    const SPACE: u64 = 100_000_000 - 100_000;
    if idx >= SPACE {
        return 100_000_000 + idx;
    }
    let mut y = feistel(idx, 10_000, key);
    while y >= SPACE {
        y = feistel(y, 10_000, key);
    }
    y + 100_000
}
