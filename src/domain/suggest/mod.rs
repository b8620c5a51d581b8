//! Suggestions (个性化推荐): the items a buyer might want next, each with the
//! reason a seller can say to them.
//!
//! A pure score over evidence the caller gathers (from the store for one
//! buyer, or from running counts in the backtest). Titles are small ids the
//! caller maps to text; times are seconds. Four signals, each an estimate of
//! the chance that the buyer's next order holds the title:
//!
//! - **their own habit:** the share of their valid orders that held it,
//!   raised when it is due by its rhythm (the median gap between the orders
//!   that held it against the time since the last one) and lowered when it
//!   was bought just now;
//! - **bought together:** for each title they bought, the share of the shop's
//!   valid orders holding it that also held this one (the conditional
//!   probability), averaged with the weight of how often they bought it;
//! - **their segment:** the share of the orders placed by buyers in the
//!   same RFM segment (as that buyer was just before ordering) that held it;
//! - **the shop:** the share of all valid orders that held it.
//!
//! The score is the weighted sum; the reason is the signal that gave most.

pub mod backtest;
pub mod counts;

use super::segment::Segment;
use std::collections::HashMap;

/// How many suggestions a buyer gets.
pub const TOP: usize = 5;

/// Seconds in a day.
const DAY: f64 = 86_400.0;

/// Weights of the other signals, among those the buyer has.
const W_TOGETHER: f64 = 0.5;
const W_SEGMENT: f64 = 0.3;
const W_SHOP: f64 = 0.2;

/// A title the buyer bought: the times of their valid orders holding it,
/// ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Own {
    pub title: u32,
    pub bought: Vec<i64>,
}

/// How often `title` was in the same valid order as `with` (one of the
/// buyer's titles), across the shop: `both` orders held the two, `with_orders`
/// held `with`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub with: u32,
    pub title: u32,
    pub both: u64,
    pub with_orders: u64,
}

/// Everything the score reads for one buyer at one time.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Now, in seconds.
    pub now: i64,
    /// The buyer's valid orders with lines.
    pub own_orders: u32,
    pub own: Vec<Own>,
    pub pairs: Vec<Pair>,
    pub segment: Segment,
    /// Orders placed by buyers in the segment, and the most frequent titles in them.
    pub segment_orders: u64,
    pub segment_top: Vec<(u32, u64)>,
    /// All valid orders with lines, and the most frequent titles in them.
    pub shop_orders: u64,
    pub shop_top: Vec<(u32, u64)>,
    /// What the habit term is worth in this shop (see
    /// [`counts::Counts::repeat_scale`]): it turns the term into a chance.
    pub repeat_scale: f64,
}

/// Why a title is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Bought in several orders: about every `every_days`, the last
    /// `ago_days` ago.
    Due { every_days: i64, ago_days: i64 },
    /// Bought once, `ago_days` ago.
    Again { ago_days: i64 },
    /// Often in the same order as `with`, a title they bought.
    Together { with: u32 },
    /// Popular among buyers in their segment.
    Segment(Segment),
    /// Popular in the shop.
    Popular,
}

/// One suggestion: a title, its score (0..), and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub title: u32,
    pub score: f64,
    pub why: Why,
}

/// The median of gaps, in seconds (the rule predictions use too).
pub(crate) use crate::domain::predict::median_gap;

/// How much the rhythm raises or lowers a title bought before: `elapsed`
/// since the last order holding it against its usual `gap` (both seconds).
/// Just bought: lower; due (about one gap): highest; long overdue: lower again.
pub fn due_factor(elapsed: f64, gap: Option<f64>) -> f64 {
    match gap {
        Some(g) if g > 0.0 => {
            let r = elapsed / g;
            if r < 1.0 {
                0.6 + 0.6 * r
            } else {
                (1.2 - 0.1 * (r - 1.0)).max(0.5)
            }
        }
        _ => 0.9,
    }
}

/// The habit term of a title bought in `k` of the buyer's `n` orders, the
/// last `elapsed` seconds ago, usually every `gap`: their share of orders
/// holding it (shrunk toward 0 for few orders), times the rhythm's factor.
pub(crate) fn habit(k: f64, n: f64, elapsed: f64, gap: Option<f64>) -> f64 {
    k / (n + 1.0) * due_factor(elapsed, gap)
}

/// The signals of one title.
#[derive(Debug, Clone, Copy, Default)]
struct Parts {
    own: f64,
    own_why: Option<Why>,
    together: f64,
    together_with: Option<(u32, f64)>,
    segment: f64,
    shop: f64,
}

/// The top `n` titles for the buyer, best first (ties by title id).
///
/// The habit term, scaled by what habits are worth in the shop, is a chance
/// that the next order holds the title; the other signals, weighted among
/// those the buyer has, make another; the score is the chance of either
/// (1 − (1 − a)(1 − b)). The reason is the largest part.
pub fn suggest(e: &Evidence, n: usize) -> Vec<Scored> {
    let mut parts: HashMap<u32, Parts> = HashMap::new();
    let orders = f64::from(e.own_orders);
    let mut weight_sum = 0.0;
    let mut weight_of: HashMap<u32, f64> = HashMap::new();
    for o in &e.own {
        let Some(&last) = o.bought.last() else {
            continue;
        };
        let k = o.bought.len() as f64;
        let gap = median_gap(&o.bought);
        let elapsed = (e.now - last).max(0) as f64;
        let p = parts.entry(o.title).or_default();
        p.own = (e.repeat_scale * habit(k, orders, elapsed, gap)).min(1.0);
        let ago_days = (elapsed / DAY).floor() as i64;
        p.own_why = Some(match gap {
            Some(g) => Why::Due {
                every_days: ((g / DAY).round() as i64).max(1),
                ago_days,
            },
            None => Why::Again { ago_days },
        });
        weight_of.insert(o.title, k);
        weight_sum += k;
    }
    // Weights of the signals the buyer has.
    let w_together = if weight_sum > 0.0 && !e.pairs.is_empty() {
        W_TOGETHER
    } else {
        0.0
    };
    let w_segment = if e.segment_orders > 0 { W_SEGMENT } else { 0.0 };
    let w_shop = if e.shop_orders > 0 { W_SHOP } else { 0.0 };
    let w_all = w_together + w_segment + w_shop;
    if w_all == 0.0 {
        return own_only(parts, n);
    }
    if w_together > 0.0 {
        for pair in &e.pairs {
            let w = weight_of.get(&pair.with).copied().unwrap_or(0.0) / weight_sum;
            let cond = pair.both as f64 / (pair.with_orders as f64 + 1.0);
            let add = w_together / w_all * w * cond;
            let p = parts.entry(pair.title).or_default();
            p.together += add;
            if p.together_with.is_none_or(|(_, best)| add > best) {
                p.together_with = Some((pair.with, add));
            }
        }
    }
    for &(title, count) in &e.segment_top {
        parts.entry(title).or_default().segment =
            w_segment / w_all * count as f64 / (e.segment_orders as f64 + 1.0);
    }
    for &(title, count) in &e.shop_top {
        parts.entry(title).or_default().shop =
            w_shop / w_all * count as f64 / (e.shop_orders as f64 + 1.0);
    }
    let mut all: Vec<Scored> = parts
        .into_iter()
        .map(|(title, p)| {
            let other = (p.together + p.segment + p.shop).min(1.0);
            let score = 1.0 - (1.0 - p.own) * (1.0 - other);
            let why = match (p.own_why, p.together_with) {
                (Some(w), _) if p.own >= p.together && p.own >= p.segment && p.own >= p.shop => w,
                (_, Some((with, _))) if p.together >= p.segment && p.together >= p.shop => {
                    Why::Together { with }
                }
                _ if p.segment >= p.shop && p.segment > 0.0 => Why::Segment(e.segment),
                _ => Why::Popular,
            };
            Scored { title, score, why }
        })
        .filter(|s| s.score > 0.0)
        .collect();
    rank(&mut all, n);
    all
}

/// Best first, ties by title id, the first `n`.
fn rank(all: &mut Vec<Scored>, n: usize) {
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.title.cmp(&b.title)));
    all.truncate(n);
}

/// A shop with no counts at all: the buyer's own titles only.
fn own_only(parts: HashMap<u32, Parts>, n: usize) -> Vec<Scored> {
    let mut all: Vec<Scored> = parts
        .into_iter()
        .filter_map(|(title, p)| {
            Some(Scored {
                title,
                score: p.own,
                why: p.own_why?,
            })
        })
        .filter(|s| s.score > 0.0)
        .collect();
    rank(&mut all, n);
    all
}

#[cfg(test)]
mod tests;
