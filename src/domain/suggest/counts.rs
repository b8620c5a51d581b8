//! The shop's counts the suggestions read, kept as orders are added: valid
//! orders per title, pairs of titles in the same order, and titles per
//! segment. The backtest adds orders in time order and asks between two
//! adds; the store's refresh adds them all and keeps the result.
//!
//! An order counts toward the segment its buyer was in just before placing
//! it (from their orders created before it), so a count made at one time
//! never changes later and reads nothing from after its order.

use super::{Evidence, Own, Pair};
use crate::domain::segment::{Segment, SegmentRules};
use std::collections::HashMap;

/// One order as the suggestions see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub customer: i64,
    /// Creation time, seconds.
    pub at: i64,
    /// Paid, shipped or completed.
    pub valid: bool,
    /// Paid − refunded.
    pub net_fen: i64,
    /// Its distinct titles (ids), ascending; empty when it has no lines.
    pub titles: Vec<u32>,
}

impl OrderFacts {
    /// A valid order with lines: the orders suggestions learn from.
    pub fn counts(&self) -> bool {
        self.valid && !self.titles.is_empty()
    }
}

/// Index of a segment in the per-segment arrays.
pub fn segment_index(s: Segment) -> usize {
    Segment::ALL.iter().position(|&x| x == s).unwrap_or(0)
}

/// The segment of each order's buyer just before it was created: from the
/// buyer's orders created strictly before it, R against its creation time.
/// `orders` grouped any way; returned in the same order.
pub fn segments_before(orders: &[OrderFacts], rules: &SegmentRules) -> Vec<Segment> {
    let mut idx: Vec<usize> = (0..orders.len()).collect();
    idx.sort_by_key(|&i| (orders[i].customer, orders[i].at, i));
    let mut out = vec![Segment::Dormant; orders.len()];
    let recent = rules.recent_days * 86_400;
    let mut start = 0;
    while start < idx.len() {
        let cust = orders[idx[start]].customer;
        let mut end = start;
        while end < idx.len() && orders[idx[end]].customer == cust {
            end += 1;
        }
        // Facts of the orders strictly before the current time.
        let (mut valid, mut net, mut last_valid) = (0i64, 0i64, None::<i64>);
        let mut applied = start;
        for k in start..end {
            let at = orders[idx[k]].at;
            while applied < k && orders[idx[applied]].at < at {
                let o = &orders[idx[applied]];
                net = net.saturating_add(o.net_fen);
                if o.valid {
                    valid += 1;
                    last_valid = Some(last_valid.map_or(o.at, |l: i64| l.max(o.at)));
                }
                applied += 1;
            }
            out[idx[k]] = Segment::from_rfm(
                last_valid.is_some_and(|l| l >= at - recent),
                valid >= rules.frequent_orders,
                net >= rules.high_value_fen,
            );
        }
        start = end;
    }
    out
}

/// A buyer's orders so far, and each title with the times of the orders
/// holding it.
type History = (u32, Vec<(u32, Vec<i64>)>);

/// Running counts over the valid orders with lines added so far.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub orders: u64,
    /// Orders holding each title, by id.
    pub title: Vec<u64>,
    /// For each title, the titles in the same orders and how many orders.
    pub pairs: Vec<HashMap<u32, u64>>,
    pub segment_orders: [u64; 8],
    /// Orders holding each title, by segment index then title id.
    pub segment_title: [Vec<u64>; 8],
    /// How the buyers' own habit did on the orders added so far: titles of
    /// an order the buyer had bought before, against what the habit term
    /// ([`super::habit`]) expected of them, in millionths: each order's
    /// expectation rounded to a whole millionth, so the sum is the same in
    /// any order and a buyer's part can be taken out exactly.
    pub repeat_seen: u64,
    pub repeat_expected_ppm: u64,
    /// Each buyer's titles so far (with the times of the orders holding
    /// them) and their orders, for the habit's calibration.
    history: HashMap<i64, History>,
}

impl Counts {
    pub fn new(titles: usize) -> Counts {
        Counts {
            orders: 0,
            title: vec![0; titles],
            pairs: vec![HashMap::new(); titles],
            segment_orders: [0; 8],
            segment_title: std::array::from_fn(|_| vec![0; titles]),
            repeat_seen: 0,
            repeat_expected_ppm: 0,
            history: HashMap::new(),
        }
    }

    /// How much the habit term is worth in this shop: titles bought again
    /// per unit the term expected (1 with no evidence yet; a shop where
    /// buyers repeat nothing drives it toward 0).
    pub fn repeat_scale(&self) -> f64 {
        (self.repeat_seen as f64 + 1.0) / (self.repeat_expected_ppm as f64 / 1e6 + 1.0)
    }

    /// Count one order of `customer` at `at` (added in time order), first
    /// checking the habit term against it: what the buyer's earlier orders
    /// expected, and which of their titles came back.
    pub fn add_order(&mut self, customer: i64, at: i64, titles: &[u32], segment: Segment) {
        let entry = self.history.entry(customer).or_default();
        let (n, own) = entry;
        if *n > 0 {
            let mut expected = 0.0;
            for (t, bought) in own.iter() {
                let Some(&last) = bought.last() else {
                    continue;
                };
                let gap = super::median_gap(bought);
                expected += super::habit(
                    bought.len() as f64,
                    f64::from(*n),
                    (at - last).max(0) as f64,
                    gap,
                );
                if titles.binary_search(t).is_ok() {
                    self.repeat_seen += 1;
                }
            }
            self.repeat_expected_ppm += (expected * 1e6).round().max(0.0) as u64;
        }
        *n += 1;
        for &t in titles {
            match own.iter_mut().find(|(x, _)| *x == t) {
                Some((_, b)) => b.push(at),
                None => own.push((t, vec![at])),
            }
        }
        self.add(titles, segment);
    }

    /// Drop what is held of `customer`'s orders for the habit's check: no
    /// order of theirs will be added again.
    pub fn forget(&mut self, customer: i64) {
        self.history.remove(&customer);
    }

    /// Count one valid order's distinct titles, placed by a buyer in `segment`.
    pub fn add(&mut self, titles: &[u32], segment: Segment) {
        self.orders += 1;
        let s = segment_index(segment);
        self.segment_orders[s] += 1;
        for (i, &a) in titles.iter().enumerate() {
            self.title[a as usize] += 1;
            self.segment_title[s][a as usize] += 1;
            for &b in &titles[i + 1..] {
                *self.pairs[a as usize].entry(b).or_default() += 1;
                *self.pairs[b as usize].entry(a).or_default() += 1;
            }
        }
    }

    /// The `k` titles in most orders of `counts` (ties by id), with their counts.
    pub fn top(counts: &[u64], k: usize) -> Vec<(u32, u64)> {
        let mut v: Vec<(u32, u64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(t, c)| (t as u32, *c))
            .collect();
        let by = |a: &(u32, u64), b: &(u32, u64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if v.len() > k {
            v.select_nth_unstable_by(k, by);
            v.truncate(k);
        }
        v.sort_by(by);
        v
    }

    /// The evidence for a buyer in `segment` at `now` whose valid orders with
    /// lines (before now) are `own_orders` (each its distinct titles and time).
    pub fn evidence(
        &self,
        now: i64,
        own_orders: &[(i64, &[u32])],
        segment: Segment,
        top_k: usize,
    ) -> Evidence {
        let mut own: HashMap<u32, Vec<i64>> = HashMap::new();
        for (at, titles) in own_orders {
            for &t in *titles {
                own.entry(t).or_default().push(*at);
            }
        }
        let mut own: Vec<Own> = own
            .into_iter()
            .map(|(title, mut bought)| {
                bought.sort_unstable();
                Own { title, bought }
            })
            .collect();
        own.sort_by_key(|o| o.title);
        let mut pairs = Vec::new();
        for o in &own {
            let mut with: Vec<(u32, u64)> = self.pairs[o.title as usize]
                .iter()
                .map(|(&b, &n)| (b, n))
                .collect();
            with.sort_unstable();
            pairs.extend(with.into_iter().map(|(title, both)| Pair {
                with: o.title,
                title,
                both,
                with_orders: self.title[o.title as usize],
            }));
        }
        let s = segment_index(segment);
        Evidence {
            now,
            own_orders: own_orders.len() as u32,
            own,
            pairs,
            segment,
            segment_orders: self.segment_orders[s],
            segment_top: Counts::top(&self.segment_title[s], top_k),
            shop_orders: self.orders,
            shop_top: Counts::top(&self.title, top_k),
            repeat_scale: self.repeat_scale(),
        }
    }
}
