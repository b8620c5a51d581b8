//! The suggestions' backtest, as issue 14 states it:
//!
//! - every buyer with at least 2 valid orders that have lines is in it; their
//!   last such order (by creation time, then id) is hidden;
//! - they get their top 5 from what was created strictly before the hidden
//!   order: their own orders, and every other buyer's orders (the counts are
//!   made in time order, each buyer asked between the orders before and the
//!   orders from its hidden order's time on);
//! - a hit is any title of the hidden order in the top 5;
//! - the baseline suggests everyone the 5 titles in the most distinct valid
//!   orders, over every valid order with lines that is not hidden (ties by
//!   title id, which the store assigns in title order).

use super::TOP;
use super::counts::{Counts, OrderFacts, segments_before};
use crate::domain::segment::SegmentRules;

/// How many of the top titles the evidence carries per popularity list.
pub const TOP_K: usize = 20;

/// What the backtest found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub buyers: u64,
    pub hits: u64,
    pub baseline_hits: u64,
}

impl Outcome {
    pub fn hit_rate(&self) -> f64 {
        rate(self.hits, self.buyers)
    }
    pub fn baseline_hit_rate(&self) -> f64 {
        rate(self.baseline_hits, self.buyers)
    }
}

/// A share rounded to 4 decimals (0 of 0 is 0).
pub fn rate(n: u64, of: u64) -> f64 {
    if of == 0 {
        return 0.0;
    }
    (n as f64 / of as f64 * 10_000.0).round() / 10_000.0
}

/// Run the backtest over every order of the shop (`titles` ids below `titles`).
pub fn run(orders: &[OrderFacts], titles: usize, rules: &SegmentRules) -> Outcome {
    let segments = segments_before(orders, rules);
    // Each buyer's valid orders with lines, in time order (then input order).
    let mut by_buyer: Vec<usize> = (0..orders.len()).filter(|&i| orders[i].counts()).collect();
    by_buyer.sort_by_key(|&i| (orders[i].customer, orders[i].at, i));
    // (buyer's first index in by_buyer, count): the eligible buyers.
    let mut buyers: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < by_buyer.len() {
        let c = orders[by_buyer[start]].customer;
        let mut end = start;
        while end < by_buyer.len() && orders[by_buyer[end]].customer == c {
            end += 1;
        }
        if end - start >= 2 {
            buyers.push((start, end - start));
        }
        start = end;
    }
    let mut hidden = vec![false; orders.len()];
    for &(s, n) in &buyers {
        hidden[by_buyer[s + n - 1]] = true;
    }
    // The baseline's five.
    let mut all = vec![0u64; titles];
    for (i, o) in orders.iter().enumerate() {
        if o.counts() && !hidden[i] {
            for &t in &o.titles {
                all[t as usize] += 1;
            }
        }
    }
    let base: Vec<u32> = Counts::top(&all, TOP).into_iter().map(|(t, _)| t).collect();
    // The model: counts in time order, each buyer asked before the orders
    // created at or after its hidden order's time are added.
    let mut adds: Vec<usize> = (0..orders.len()).filter(|&i| orders[i].counts()).collect();
    adds.sort_by_key(|&i| (orders[i].at, i));
    let mut asks: Vec<usize> = (0..buyers.len()).collect();
    let hidden_of = |b: usize| by_buyer[buyers[b].0 + buyers[b].1 - 1];
    asks.sort_by_key(|&b| (orders[hidden_of(b)].at, b));
    let mut counts = Counts::new(titles);
    let mut next = 0;
    let mut out = Outcome {
        buyers: buyers.len() as u64,
        hits: 0,
        baseline_hits: 0,
    };
    for b in asks {
        let h = hidden_of(b);
        let at = orders[h].at;
        while next < adds.len() && orders[adds[next]].at < at {
            let i = adds[next];
            counts.add_order(
                orders[i].customer,
                orders[i].at,
                &orders[i].titles,
                segments[i],
            );
            next += 1;
        }
        let (s, n) = buyers[b];
        let own: Vec<(i64, &[u32])> = by_buyer[s..s + n - 1]
            .iter()
            .map(|&i| &orders[i])
            .filter(|o| o.at < at)
            .map(|o| (o.at, o.titles.as_slice()))
            .collect();
        let e = counts.evidence(at, &own, segments[h], TOP_K);
        let top = super::suggest(&e, TOP);
        let held = &orders[h].titles;
        if top.iter().any(|s| held.binary_search(&s.title).is_ok()) {
            out.hits += 1;
        }
        if base.iter().any(|t| held.binary_search(t).is_ok()) {
            out.baseline_hits += 1;
        }
    }
    out
}
