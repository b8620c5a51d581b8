//! Suggestions' queries: every order of the shop as the counts see it (for
//! the backtest and the rebuild), the shop's counts kept in the
//! `suggest_*` tables (migration 013), and one buyer's evidence read from
//! them. The scoring is `domain::suggest`'s.

use super::Store;
use crate::domain::segment::{CustomerFacts, Segment, SegmentRules};
use crate::domain::suggest::counts::{Counts, OrderFacts, segments_before};
use crate::domain::suggest::{self, Evidence, Own, Pair, Why, backtest};
use crate::domain::time;
use crate::model::{SuggestBacktest, SuggestWhy, Suggestion};
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::{BTreeSet, HashMap};

/// How many of the most frequent titles a buyer's evidence carries (shop, segment).
const TOP_K: usize = backtest::TOP_K;

/// Every order of the shop, with its distinct titles as ids; the titles in
/// text order (an id is its place in it).
pub(crate) fn shop_orders(conn: &Connection) -> rusqlite::Result<(Vec<String>, Vec<OrderFacts>)> {
    let valid = crate::domain::status::valid_codes_sql();
    let mut orders = Vec::new();
    let mut slot: Vec<u32> = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, customer_id, CAST(strftime('%s', created_at) AS INTEGER),
                    status IN ({valid}), paid_fen - refund_fen
             FROM orders ORDER BY id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let Ok(id) = usize::try_from(id) else {
                continue;
            };
            if slot.len() <= id {
                slot.resize(id + 1, u32::MAX);
            }
            slot[id] = orders.len() as u32;
            orders.push(OrderFacts {
                customer: r.get(1)?,
                at: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                valid: r.get(3)?,
                net_fen: r.get(4)?,
                titles: Vec::new(),
            });
        }
    }
    // Titles as ids in the order met, renumbered in text order after.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut stmt = conn.prepare("SELECT order_id, title FROM order_lines")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let oid: i64 = r.get(0)?;
        let Some(&at) = usize::try_from(oid).ok().and_then(|o| slot.get(o)) else {
            continue;
        };
        if at == u32::MAX {
            continue;
        }
        let title = r.get_ref(1)?.as_str()?;
        let id = match ids.get(title) {
            Some(&id) => id,
            None => {
                let id = ids.len() as u32;
                ids.insert(title.to_string(), id);
                id
            }
        };
        orders[at as usize].titles.push(id);
    }
    let mut titles: Vec<(String, u32)> = ids.into_iter().collect();
    titles.sort();
    let mut renumber = vec![0u32; titles.len()];
    for (new, (_, old)) in titles.iter().enumerate() {
        renumber[*old as usize] = new as u32;
    }
    for o in &mut orders {
        for t in &mut o.titles {
            *t = renumber[*t as usize];
        }
        o.titles.sort_unstable();
        o.titles.dedup();
    }
    Ok((titles.into_iter().map(|(t, _)| t).collect(), orders))
}

/// The counts of `orders` (in order id order, every order of each buyer in
/// them) over `titles` titles: each buyer's part depends on their own orders
/// only, so the counts of some buyers are those buyers' part of the shop's.
pub(crate) fn count_orders(orders: &[OrderFacts], titles: usize, rules: &SegmentRules) -> Counts {
    let segments = segments_before(orders, rules);
    let mut counts = Counts::new(titles);
    // Buyer by buyer, each one's orders in time order: every count is a sum
    // over orders, and the habit's check reads the buyer's own earlier
    // orders only, so this is the same as adding every order in time order,
    // while one buyer's history at a time is held (at 1M orders, holding
    // every buyer's took over 100 MB).
    let mut order: Vec<usize> = (0..orders.len()).filter(|&i| orders[i].counts()).collect();
    order.sort_by_key(|&i| (orders[i].customer, orders[i].at, i));
    for run in order.chunk_by(|&a, &b| orders[a].customer == orders[b].customer) {
        for &i in run {
            let o = &orders[i];
            counts.add_order(o.customer, o.at, &o.titles, segments[i]);
        }
        counts.forget(orders[run[0]].customer);
    }
    counts
}

/// The shop's counts over every valid order with lines.
fn count_all(conn: &Connection, rules: &SegmentRules) -> rusqlite::Result<(Vec<String>, Counts)> {
    let (titles, orders) = shop_orders(conn)?;
    let counts = count_orders(&orders, titles.len(), rules);
    Ok((titles, counts))
}

/// The segment rules the counts were made with, as `suggest_totals` keeps them.
pub(crate) fn rule_keys(rules: &SegmentRules) -> [(&'static str, i64); 3] {
    [
        ("rule_recent_days", rules.recent_days),
        ("rule_frequent_orders", rules.frequent_orders),
        ("rule_high_value_fen", rules.high_value_fen),
    ]
}

/// Rebuild the `suggest_*` tables from every order (in one transaction).
pub(crate) fn rebuild(conn: &Connection, rules: &SegmentRules) -> rusqlite::Result<()> {
    let (titles, counts) = count_all(conn, rules)?;
    conn.execute_batch(
        "DELETE FROM suggest_titles; DELETE FROM suggest_pairs;
         DELETE FROM suggest_segments; DELETE FROM suggest_totals;",
    )?;
    let mut t = conn.prepare("INSERT INTO suggest_titles (title, orders) VALUES (?, ?)")?;
    let mut p = conn.prepare("INSERT INTO suggest_pairs (a, b, orders) VALUES (?, ?, ?)")?;
    let mut s =
        conn.prepare("INSERT INTO suggest_segments (segment, title, orders) VALUES (?, ?, ?)")?;
    let mut tot = conn.prepare("INSERT INTO suggest_totals (key, value) VALUES (?, ?)")?;
    for (a, name) in titles.iter().enumerate() {
        if counts.title[a] > 0 {
            t.execute(params![name, counts.title[a] as i64])?;
        }
        let mut with: Vec<(&u32, &u64)> = counts.pairs[a].iter().collect();
        with.sort();
        for (b, n) in with {
            p.execute(params![name, titles[*b as usize], *n as i64])?;
        }
    }
    for (i, seg) in Segment::ALL.iter().enumerate() {
        for (a, name) in titles.iter().enumerate() {
            let n = counts.segment_title[i][a];
            if n > 0 {
                s.execute(params![seg.code(), name, n as i64])?;
            }
        }
        tot.execute(params![seg.code(), counts.segment_orders[i] as i64])?;
    }
    for (key, value) in rule_keys(rules) {
        tot.execute(params![key, value])?;
    }
    tot.execute(params!["", counts.orders as i64])?;
    tot.execute(params!["repeat_seen", counts.repeat_seen as i64])?;
    tot.execute(params![
        "repeat_expected_ppm",
        counts.repeat_expected_ppm as i64
    ])?;
    Ok(())
}

/// Whether the counts are built (an import that could not keep them up to
/// date empties them).
fn built(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM suggest_totals WHERE key = '')",
        [],
        |r| r.get(0),
    )
}

/// Whether the counts are built, with these segment rules.
pub(crate) fn built_with(conn: &Connection, rules: &SegmentRules) -> rusqlite::Result<bool> {
    if !built(conn)? {
        return Ok(false);
    }
    let mut stmt = conn.prepare_cached("SELECT value FROM suggest_totals WHERE key = ?")?;
    for (key, value) in rule_keys(rules) {
        let kept: Option<i64> =
            stmt.query_row([key], |r| r.get(0))
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
        if kept != Some(value) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Say the counts are out of date (the loader, after a file changed orders
/// or lines it could not follow: see `db/suggest_inc.rs`).
pub(crate) fn mark_stale(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM suggest_totals WHERE key = ''", [])?;
    Ok(())
}

impl Store {
    pub(crate) fn segment_rules(&self) -> SegmentRules {
        self.settings
            .as_ref()
            .map(|s| s.segments)
            .unwrap_or_default()
    }

    /// Rebuild the suggestions' counts when an import left them out of date
    /// (nothing to do on a read-only database: lookups then count in memory).
    pub fn refresh_suggest_counts(&mut self) -> Result<bool> {
        let rules = self.segment_rules();
        if self.read_only || built_with(&self.conn, &rules)? {
            return Ok(false);
        }
        let tx = self.conn.transaction()?;
        rebuild(&tx, &rules)?;
        tx.commit()?;
        Ok(true)
    }

    /// The top 5 titles for a customer, now, from the kept counts (counted
    /// in memory when an import left them out of date and nothing rebuilt
    /// them yet: see [`Store::refresh_suggest_counts`]).
    pub fn suggest(&self, customer_id: i64) -> Result<Vec<Suggestion>> {
        let now = time::beijing_now();
        let now_s = now.and_utc().timestamp();
        let valid = crate::domain::status::valid_codes_sql();
        let conn = &self.conn;
        // Their valid orders with lines, oldest first.
        let mut own_rows: Vec<(i64, i64, String)> = Vec::new();
        {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT o.id, CAST(strftime('%s', o.created_at) AS INTEGER), l.title
                 FROM orders o JOIN order_lines l ON l.order_id = o.id
                 WHERE o.customer_id = ? AND o.status IN ({valid})
                 ORDER BY o.created_at, o.id"
            ))?;
            let mut rows = stmt.query([customer_id])?;
            while let Some(r) = rows.next()? {
                own_rows.push((
                    r.get(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get(2)?,
                ));
            }
        }
        let facts: CustomerFacts = conn.query_row(
            "SELECT valid_orders, paid_fen, refund_fen, last_valid_at FROM customers WHERE id = ?",
            [customer_id],
            |r| {
                Ok(CustomerFacts {
                    valid_orders: r.get(0)?,
                    paid_fen: r.get(1)?,
                    refund_fen: r.get(2)?,
                    last_valid_at: r
                        .get::<_, Option<String>>(3)?
                        .and_then(|t| time::parse_stored(&t)),
                })
            },
        )?;
        let segment = Segment::of(&facts, now, &self.segment_rules());
        let fresh = built(conn)?;
        let (names, e) = if fresh {
            evidence_from_tables(conn, now_s, &own_rows, segment)?
        } else {
            // A read-only database an import left stale: count in memory.
            let (titles, counts) = count_all(conn, &self.segment_rules())?;
            let index: HashMap<&str, u32> = titles
                .iter()
                .enumerate()
                .map(|(i, t)| (t.as_str(), i as u32))
                .collect();
            let own = own_orders(&own_rows, |t| index.get(t).copied());
            let own: Vec<(i64, &[u32])> = own.iter().map(|(at, t)| (*at, t.as_slice())).collect();
            (titles.clone(), counts.evidence(now_s, &own, segment, TOP_K))
        };
        Ok(suggest::suggest(&e, suggest::TOP)
            .into_iter()
            .map(|s| Suggestion {
                title: names[s.title as usize].clone(),
                score: (s.score * 10_000.0).round() / 10_000.0,
                why: match s.why {
                    Why::Due {
                        every_days,
                        ago_days,
                    } => SuggestWhy::Due {
                        every_days,
                        ago_days,
                    },
                    Why::Again { ago_days } => SuggestWhy::Again { ago_days },
                    Why::Together { with } => SuggestWhy::Together {
                        with: names[with as usize].clone(),
                    },
                    Why::Segment(s) => SuggestWhy::Segment(s),
                    Why::Popular => SuggestWhy::Popular,
                },
            })
            .collect())
    }

    /// The backtest of issue 14 over the whole shop.
    pub fn suggest_backtest(&self) -> Result<SuggestBacktest> {
        let (titles, orders) = shop_orders(&self.conn)?;
        let out = backtest::run(&orders, titles.len(), &self.segment_rules());
        Ok(SuggestBacktest {
            buyers: out.buyers,
            hit_rate_at_5: out.hit_rate(),
            baseline_hit_rate_at_5: out.baseline_hit_rate(),
        })
    }
}

/// A buyer's orders (id, time, title rows, in order) as (time, distinct title ids).
fn own_orders(
    rows: &[(i64, i64, String)],
    id: impl Fn(&str) -> Option<u32>,
) -> Vec<(i64, Vec<u32>)> {
    let mut out: Vec<(i64, Vec<u32>)> = Vec::new();
    let mut last = None;
    for (oid, at, title) in rows {
        if last != Some(*oid) {
            out.push((*at, Vec::new()));
            last = Some(*oid);
        }
        if let (Some(o), Some(t)) = (out.last_mut(), id(title)) {
            o.1.push(t);
        }
    }
    for o in &mut out {
        o.1.sort_unstable();
        o.1.dedup();
    }
    out
}

/// A buyer's evidence from the kept counts: titles numbered in text order
/// among those the evidence names.
fn evidence_from_tables(
    conn: &Connection,
    now: i64,
    own_rows: &[(i64, i64, String)],
    segment: Segment,
) -> rusqlite::Result<(Vec<String>, Evidence)> {
    let mut mine: Vec<String> = own_rows.iter().map(|r| r.2.clone()).collect();
    mine.sort();
    mine.dedup();
    let total = |seg: &str| -> rusqlite::Result<u64> {
        conn.prepare_cached("SELECT coalesce(max(value), 0) FROM suggest_totals WHERE key = ?")?
            .query_row([seg], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
    };
    let top = |sql: &str, arg: Option<&str>| -> rusqlite::Result<Vec<(String, u64)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let map =
            |r: &rusqlite::Row| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64));
        match arg {
            Some(a) => stmt.query_map(params![a, TOP_K as i64], map)?.collect(),
            None => stmt.query_map(params![TOP_K as i64], map)?.collect(),
        }
    };
    let shop_top = top(
        "SELECT title, orders FROM suggest_titles ORDER BY orders DESC, title LIMIT ?",
        None,
    )?;
    let seg_top = top(
        "SELECT title, orders FROM suggest_segments WHERE segment = ?
         ORDER BY orders DESC, title LIMIT ?",
        Some(segment.code()),
    )?;
    let mut pairs_text: Vec<(String, String, u64, u64)> = Vec::new();
    {
        let mut with_n =
            conn.prepare_cached("SELECT orders FROM suggest_titles WHERE title = ?")?;
        let mut pairs = conn.prepare_cached("SELECT b, orders FROM suggest_pairs WHERE a = ?")?;
        for a in &mine {
            let n: i64 = with_n.query_row([a], |r| r.get(0)).or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(0),
                e => Err(e),
            })?;
            let mut rows = pairs.query([a])?;
            while let Some(r) = rows.next()? {
                pairs_text.push((
                    a.clone(),
                    r.get(0)?,
                    r.get::<_, i64>(1)?.max(0) as u64,
                    n.max(0) as u64,
                ));
            }
        }
    }
    let names: Vec<String> = mine
        .iter()
        .cloned()
        .chain(shop_top.iter().map(|t| t.0.clone()))
        .chain(seg_top.iter().map(|t| t.0.clone()))
        .chain(pairs_text.iter().map(|p| p.1.clone()))
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let id = |t: &str| {
        names
            .binary_search_by(|n| n.as_str().cmp(t))
            .ok()
            .map(|i| i as u32)
    };
    let own = own_orders(own_rows, id);
    let mut by_title: HashMap<u32, Vec<i64>> = HashMap::new();
    for (at, titles) in &own {
        for &t in titles {
            by_title.entry(t).or_default().push(*at);
        }
    }
    let mut owns: Vec<Own> = by_title
        .into_iter()
        .map(|(title, bought)| Own { title, bought })
        .collect();
    owns.sort_by_key(|o| o.title);
    let ids = |v: Vec<(String, u64)>| -> Vec<(u32, u64)> {
        v.into_iter()
            .filter_map(|(t, n)| id(&t).map(|i| (i, n)))
            .collect()
    };
    let pairs = pairs_text
        .iter()
        .filter_map(|(a, b, both, with_orders)| {
            Some(Pair {
                with: id(a)?,
                title: id(b)?,
                both: *both,
                with_orders: *with_orders,
            })
        })
        .collect();
    let e = Evidence {
        now,
        own_orders: own.len() as u32,
        own: owns,
        pairs,
        segment,
        segment_orders: total(segment.code())?,
        segment_top: ids(seg_top),
        shop_orders: total("")?,
        shop_top: ids(shop_top),
        repeat_scale: (total("repeat_seen")? as f64 + 1.0)
            / (total("repeat_expected_ppm")? as f64 / 1e6 + 1.0),
    };
    Ok((names, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::segment::SegmentRules;

    /// `count_orders` adds buyer by buyer; the counts are those of adding
    /// every order in time order, habit check included.
    #[test]
    fn counting_buyer_by_buyer_is_counting_in_time_order() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let orders: Vec<OrderFacts> = (0..600)
            .map(|_| {
                let mut titles: Vec<u32> = (0..1 + next(3)).map(|_| next(12) as u32).collect();
                titles.sort_unstable();
                titles.dedup();
                OrderFacts {
                    customer: next(40) as i64,
                    at: next(400) as i64 * 86_400,
                    valid: next(5) > 0,
                    net_fen: next(50_000) as i64,
                    titles,
                }
            })
            .collect();
        let rules = SegmentRules::default();
        let segments = segments_before(&orders, &rules);
        let mut reference = Counts::new(12);
        let mut by_time: Vec<usize> = (0..orders.len()).filter(|&i| orders[i].counts()).collect();
        by_time.sort_by_key(|&i| (orders[i].at, i));
        for i in by_time {
            let o = &orders[i];
            reference.add_order(o.customer, o.at, &o.titles, segments[i]);
        }
        let counts = count_orders(&orders, 12, &rules);
        assert!(reference.repeat_seen > 0 && reference.repeat_expected_ppm > 0);
        assert_eq!(
            (
                counts.orders,
                &counts.title,
                &counts.pairs,
                counts.segment_orders
            ),
            (
                reference.orders,
                &reference.title,
                &reference.pairs,
                reference.segment_orders
            )
        );
        assert_eq!(counts.segment_title, reference.segment_title);
        assert_eq!(
            (counts.repeat_seen, counts.repeat_expected_ppm),
            (reference.repeat_seen, reference.repeat_expected_ppm)
        );
    }
}
