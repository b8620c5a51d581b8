//! The buyer pool: how many orders each buyer places (a truncated Pareto) and
//! which buyer places the next order; and each buyer's unique nickname number.

use super::BUYERS_PER_ORDER;
use super::rng::{Rng, det_exp, det_ln, feistel};

/// The buyers and how many orders each still has to place. A Fenwick tree
/// over the remaining counts draws the buyer of each order, so every buyer
/// places exactly their count and repeat orders spread over the whole span.
pub(super) struct Pool {
    tree: Vec<u32>,
    remaining: u64,
    top: usize,
}

impl Pool {
    pub(super) fn new(orders: u64, seed: u64) -> Pool {
        let mut rng = Rng::new(seed);
        // Truncated discrete Pareto: most buy once, a few buy dozens of times.
        let cap = ((2.0 * (orders as f64).sqrt()).round() as u64).clamp(20, 120);
        let alpha = pareto_alpha(cap, 1.0 / BUYERS_PER_ORDER);
        let tail = det_exp(-alpha * det_ln((cap + 1) as f64));
        let mut tree: Vec<u32> = Vec::with_capacity((orders as f64 * 0.4) as usize + 2);
        tree.push(0); // 1-based
        let mut sum = 0u64;
        while sum < orders {
            let u = rng.unit_open();
            let x = det_exp(-det_ln(1.0 - (1.0 - u) * (1.0 - tail)) / alpha);
            let c = (x as u64).clamp(1, cap).min(orders - sum);
            tree.push(c as u32);
            sum += c;
        }
        let n = tree.len() - 1;
        for i in 1..=n {
            let j = i + (i & i.wrapping_neg());
            if j <= n {
                tree[j] += tree[i];
            }
        }
        let top = if n == 0 {
            0
        } else {
            1 << (usize::BITS - 1 - n.leading_zeros())
        };
        Pool {
            tree,
            remaining: sum,
            top,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.tree.len() - 1
    }

    /// The buyer of the next order.
    pub(super) fn draw(&mut self, rng: &mut Rng) -> usize {
        debug_assert!(self.remaining > 0);
        let mut rest = rng.below(self.remaining) as u32;
        let n = self.len();
        let mut pos = 0;
        let mut step = self.top;
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rest {
                pos = next;
                rest -= self.tree[next];
            }
            step >>= 1;
        }
        let mut i = pos + 1;
        while i <= n {
            self.tree[i] -= 1;
            i += i & i.wrapping_neg();
        }
        self.remaining -= 1;
        pos
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
