//! Quick lookup: who is this buyer? Every way a seller may know one (order
//! number, phone, its last four digits, name, nickname, any fragment), ranked
//! so the direct matches and the buyers that need care come first, counted
//! (up to [`COUNT_CAP`]), paged, and each result saying what matched.
//!
//! Ranks, most direct first: exact order number, full phone, exact name (a
//! receiver name, the nickname or buyer key), phone tail, start of a
//! nickname, any other fragment, then pinyin (receiver names and the Chinese
//! part of nicknames by full pinyin or initials; `db/pinyin.rs`). Within a
//! rank: blacklisted buyers, then open complaints, then by orders and spend
//! (then newest customer first).
//!
//! Fragments come from the bigram index (`customer_search`), read as row ids
//! only: reading each candidate's row is what costs in a fresh process (a
//! page from disk cache per customer), so the work is bounded:
//!
//! - the count stops at [`COUNT_CAP`] ("1000+");
//! - up to [`RANK_CAP`] fragment matches are all ranked; with more, the
//!   oldest [`RANK_CAP`] (long-standing buyers, who have the most orders) are
//!   ranked together with every matching blacklisted buyer, buyer with an
//!   open complaint, and (when every match is listed) buyer among the
//!   [`TOP_SPENDERS`] biggest spenders; the other matches follow, newest
//!   first, so paging reaches every counted match;
//! - beyond [`COUNT_CAP`], blacklisted and complaining buyers are checked
//!   against their own texts (asking the index about one row costs more);
//! - an exact order number or a full phone is definitive: no fragment search.
//!
//! Candidates' rows are read in one statement (`json_each` of their ids). See
//! docs/benchmarks.md for the figures; `KEHU_LOOKUP_TRACE=1` prints the phases.
//!
//! What matched is read for the shown results only: the nickname, the current
//! receiver name or an earlier one (the bigram phrase can span two texts of
//! one customer; such a rare match says the nickname).

use super::Store;
use super::query::fts_query;
pub use crate::domain::lookup::{MatchField, MatchRank};
use crate::domain::text::{mask_phone, search_runs};
pub use crate::model::{LookupHit, LookupPage, Matched};
use anyhow::Result;
use rusqlite::{OptionalExtension, params};
use std::collections::{HashMap, HashSet};

/// A receiver's customer, or the survivor it was merged into (a merged-away
/// customer keeps the receivers its survivor also has; db/merge.rs).
const OWNER: &str =
    "coalesce((SELECT merged_into FROM customers WHERE id = r.customer_id), r.customer_id)";

/// Matches counted at most; more reads as "1000+".
pub const COUNT_CAP: usize = 1000;
/// Fragment matches ranked in full; beyond, the oldest this many are ranked
/// with the notable buyers, and the rest follow newest first.
pub const RANK_CAP: usize = 200;
/// With more matches than [`RANK_CAP`], the biggest spenders ranked as well.
pub const TOP_SPENDERS: usize = 200;
/// Pinyin keys read at most by one lookup (see `db/pinyin.rs`).
pub const SCAN_CAP: usize = 30_000;

/// The bounds of one lookup (smaller in tests).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    pub count: usize,
    pub rank: usize,
    pub top: usize,
    /// Pinyin keys read at most.
    pub scan: usize,
}

impl Caps {
    pub const DEFAULT: Caps = Caps {
        count: COUNT_CAP,
        rank: RANK_CAP,
        top: TOP_SPENDERS,
        scan: SCAN_CAP,
    };
}

/// A matching customer before it is ranked.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    pub(super) rank: MatchRank,
    /// The matched text, when known from the match itself (order number,
    /// phone, exact name); fragments are checked against the texts later.
    pub(super) hit: Option<(MatchField, String)>,
    pub(super) order_id: Option<i64>,
}

/// The columns ranking needs, read for every candidate.
pub(super) struct Facts {
    nick: String,
    buyer: String,
    name: String,
    phone: String,
    blacklisted: bool,
    orders: i64,
    paid_fen: i64,
}

/// With `KEHU_LOOKUP_TRACE` set, the time since process start (of the first
/// call) and a phase name on stderr (how docs/benchmarks.md splits a lookup).
pub fn trace(what: &str) {
    use std::sync::OnceLock;
    static T0: OnceLock<std::time::Instant> = OnceLock::new();
    if std::env::var_os("KEHU_LOOKUP_TRACE").is_some() {
        let t0 = T0.get_or_init(std::time::Instant::now);
        eprintln!("{:7.3} ms {what}", t0.elapsed().as_secs_f64() * 1e3);
    }
}

fn looks_like_order_no(q: &str) -> bool {
    q.len() >= 8
        && q.chars().any(|c| c.is_ascii_digit())
        && q.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Does `text` (lower-cased) contain every run of the query?
fn contains_runs(text: &str, runs: &[String]) -> bool {
    let t = text.to_lowercase();
    runs.iter().all(|r| t.contains(r.as_str()))
}

impl Store {
    /// The first `limit` results of a lookup (see [`Store::lookup_page`]).
    pub fn lookup(&self, query: &str, limit: usize, reveal: bool) -> Result<Vec<LookupHit>> {
        Ok(self.lookup_page(query, 0, limit, reveal)?.hits)
    }

    /// Results `offset..offset + limit` of a lookup, ranked, with the count.
    pub fn lookup_page(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
        reveal: bool,
    ) -> Result<LookupPage> {
        self.lookup_capped(query, offset, limit, reveal, Caps::DEFAULT)
    }

    pub(crate) fn lookup_capped(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
        reveal: bool,
        caps: Caps,
    ) -> Result<LookupPage> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(LookupPage::default());
        }
        trace("lookup");
        let lower = q.to_lowercase();
        let runs = search_runs(q);
        let mut direct = self.direct_matches(q, caps.count)?;
        trace("direct");
        // An exact order number or full phone is definitive; their long digit
        // runs would only make the text index walk its busiest bigrams.
        let exact = direct
            .values()
            .any(|c| matches!(c.rank, MatchRank::OrderNo | MatchRank::FullPhone));
        let fq = if exact { None } else { fts_query(q) };
        let mut fragments: Vec<i64> = Vec::new();
        if let Some(fq) = &fq {
            fragments = self
                .conn
                .prepare_cached(
                    "SELECT rowid FROM customer_search WHERE customer_search MATCH ? ORDER BY rowid DESC LIMIT ?",
                )?
                .query_map(params![fq, (caps.count + 1) as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
        }
        trace(&format!(
            "direct {} + index {}",
            direct.len(),
            fragments.len()
        ));
        let capped = fragments.len() > caps.count;
        fragments.truncate(caps.count);
        let open = self.open_complaint_customers()?;

        // The fragments ranked with the direct matches: all of them, or the
        // oldest RANK_CAP (long-standing buyers, who have most orders) and the
        // buyers among them a seller must not miss; the rest follow, newest
        // first.
        let mut ranked_frags: Vec<i64> = fragments.clone();
        let mut rest: Vec<i64> = Vec::new();
        if fragments.len() > caps.rank {
            let oldest: Vec<i64> = match (&fq, capped) {
                (Some(fq), true) => self
                    .conn
                    .prepare_cached(
                        "SELECT rowid FROM customer_search WHERE customer_search MATCH ? ORDER BY rowid LIMIT ?",
                    )?
                    .query_map(params![fq, caps.rank as i64], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?,
                _ => fragments[fragments.len() - caps.rank..].to_vec(),
            };
            trace("oldest");
            let mut pulled: HashSet<i64> = oldest.iter().copied().collect();
            let listed: HashSet<i64> = fragments.iter().copied().collect();
            let mut unlisted_must: Vec<i64> = Vec::new();
            for (id, must) in self.notable_customers(&open, caps.top)? {
                // With every match listed, a notable buyer matches when listed.
                if listed.contains(&id) {
                    pulled.insert(id);
                } else if capped && must && fq.is_some() && !pulled.contains(&id) {
                    unlisted_must.push(id);
                }
            }
            // Beyond COUNT_CAP, the ones that must not be missed (blacklisted,
            // open complaints) are checked against their texts: asking the
            // index about one row costs more (it opens every segment for
            // every token).
            pulled.extend(self.texts_hold(&unlisted_must, &runs)?);
            ranked_frags = pulled.iter().copied().collect();
            rest = fragments
                .iter()
                .copied()
                .filter(|id| !pulled.contains(id))
                .collect();
        }
        trace("notables");
        // Read what ranking needs for every candidate.
        let mut ranked: Vec<(i64, Cand, Facts)> =
            Vec::with_capacity(direct.len() + ranked_frags.len());
        for (id, f) in self.facts_many(&ranked_frags)? {
            let c = match direct.remove(&id) {
                Some(d) => d,
                None => Cand {
                    rank: MatchRank::Fragment,
                    hit: None,
                    order_id: None,
                },
            };
            ranked.push((id, c, f));
        }
        trace("fragment facts");
        let ids: Vec<i64> = direct.keys().copied().collect();
        let mut facts = self.facts_many(&ids)?;
        for (id, c) in direct.drain() {
            if let Some(f) = facts.remove(&id) {
                ranked.push((id, c, f));
            }
        }
        for (_, c, f) in &mut ranked {
            // The nickname may say more than the match found: exactly it, or
            // its start (an exact nickname ranks above a phone tail).
            if let Some(r) = nick_rank(f, &lower)
                && r < c.rank
            {
                *c = Cand {
                    rank: r,
                    hit: Some((MatchField::Nick, f.nick.clone())),
                    order_id: None,
                };
            }
        }
        ranked.sort_by(|a, b| by_rank(&open, a, b));
        trace(&format!("ranked {}", ranked.len()));
        let seen: HashSet<i64> = ranked.iter().map(|(id, _, _)| *id).collect();
        rest.retain(|id| !seen.contains(id));
        let mut total = if capped {
            caps.count
        } else {
            ranked.len() + rest.len()
        };
        let mut capped = capped;

        // Pinyin, the last rank: after every direct match and fragment (none
        // when those are definitive or already past the count).
        let pkey = if exact || capped {
            None
        } else {
            crate::domain::pinyin::query_key(q)
        };
        let (mut pin_ranked, mut pin_rest) = (Vec::new(), Vec::new());
        if let Some(key) = &pkey {
            let listed: HashSet<i64> = seen.iter().chain(rest.iter()).copied().collect();
            let (ids, more) = self.pinyin_matches(key, caps.scan)?;
            let ids: Vec<i64> = ids.into_iter().filter(|id| !listed.contains(id)).collect();
            trace(&format!("pinyin {}", ids.len()));
            (pin_ranked, pin_rest) = self.rank_pinyin(&ids, &open, caps)?;
            total += ids.len();
            if total > caps.count || more {
                total = caps.count;
                capped = true;
            }
        }
        let pin = |id: i64| {
            (
                id,
                Cand {
                    rank: MatchRank::Pinyin,
                    hit: None,
                    order_id: None,
                },
                None,
            )
        };

        // The page: ranked first, then the rest newest first; then the same
        // for pinyin.
        let mut page: Vec<(i64, Cand, Option<Facts>)> = ranked
            .into_iter()
            .map(|(id, c, f)| (id, c, Some(f)))
            .chain(rest.into_iter().map(|id| {
                (
                    id,
                    Cand {
                        rank: MatchRank::Fragment,
                        hit: None,
                        order_id: None,
                    },
                    None,
                )
            }))
            .chain(pin_ranked.into_iter().map(|(id, c, f)| (id, c, Some(f))))
            .chain(pin_rest.into_iter().map(pin))
            .skip(offset)
            .take(limit)
            .collect();
        let mut hits = Vec::with_capacity(page.len());
        for (id, cand, facts) in page.drain(..) {
            let f = match facts {
                Some(f) => f,
                None => match self.facts(id)? {
                    Some(f) => f,
                    None => continue,
                },
            };
            let (field, value) = match cand.hit {
                Some((MatchField::OldPhone, p)) => {
                    let field = if p == f.phone {
                        MatchField::Phone
                    } else {
                        MatchField::OldPhone
                    };
                    (field, if reveal { p } else { mask_phone(&p) })
                }
                Some((MatchField::OldName, n)) if n == f.name => (MatchField::Name, n),
                Some(hit) => hit,
                None if cand.rank == MatchRank::Pinyin => {
                    let key = pkey.as_deref().unwrap_or_default();
                    self.pinyin_text(id, &f.nick, &f.name, key)?
                }
                None => self.text_matching(id, &f, &runs)?,
            };
            let Some(mut hit) = self.hit(id, reveal)? else {
                continue;
            };
            hit.open_complaints = open.get(&id).copied().unwrap_or(0);
            hit.matched = Matched { field, value };
            hit.rank = cand.rank;
            hit.order_id = cand.order_id;
            hits.push(hit);
        }
        trace(&format!("page {}", hits.len()));
        Ok(LookupPage {
            hits,
            total,
            capped,
        })
    }

    /// Matches that need no text index: an order number, a phone or its
    /// last four digits, an exact receiver name or buyer key.
    fn direct_matches(&self, q: &str, count_cap: usize) -> Result<HashMap<i64, Cand>> {
        let mut cands: HashMap<i64, Cand> = HashMap::new();
        let mut add = |id: i64, c: Cand| match cands.get_mut(&id) {
            Some(old) if old.rank <= c.rank => {}
            Some(old) => *old = c,
            None => {
                cands.insert(id, c);
            }
        };
        let cap = (count_cap + 1) as i64;
        if looks_like_order_no(q) {
            let mut st = self
                .conn
                .prepare_cached("SELECT id, customer_id FROM orders WHERE order_no = ?")?;
            let mut rows = st.query([q])?;
            while let Some(r) = rows.next()? {
                add(
                    r.get(1)?,
                    Cand {
                        rank: MatchRank::OrderNo,
                        hit: Some((MatchField::OrderNo, q.to_string())),
                        order_id: Some(r.get(0)?),
                    },
                );
            }
        }
        let digits: String = q.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() >= 4 && digits.chars().all(|c| c.is_ascii_digit()) {
            let (sql, rank) = if digits.len() == 4 {
                (
                    "SELECT {OWNER}, phone FROM receivers r WHERE substr(phone, -4) = ? LIMIT ?",
                    MatchRank::PhoneTail,
                )
            } else {
                (
                    "SELECT {OWNER}, phone FROM receivers r WHERE phone = ? LIMIT ?",
                    MatchRank::FullPhone,
                )
            };
            let mut st = self.conn.prepare_cached(&sql.replace("{OWNER}", OWNER))?;
            let mut rows = st.query(params![digits, cap])?;
            while let Some(r) = rows.next()? {
                add(
                    r.get(0)?,
                    Cand {
                        rank,
                        // Phone or old phone: decided against the customer's own.
                        hit: Some((MatchField::OldPhone, r.get(1)?)),
                        order_id: None,
                    },
                );
            }
        }
        if !search_runs(q).is_empty() {
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT {OWNER}, name FROM receivers r WHERE name = ? LIMIT ?"
            ))?;
            let mut rows = st.query(params![q, cap])?;
            while let Some(r) = rows.next()? {
                add(
                    r.get(0)?,
                    Cand {
                        rank: MatchRank::ExactName,
                        hit: Some((MatchField::OldName, r.get(1)?)),
                        order_id: None,
                    },
                );
            }
            // A merged-away customer's key finds the survivor.
            let mut st = self.conn.prepare_cached(&format!(
                "SELECT coalesce(merged_into, id), nick FROM customers WHERE platform IN ({}) AND buyer_key = ?",
                crate::domain::Platform::codes_sql()
            ))?;
            let mut rows = st.query([q])?;
            while let Some(r) = rows.next()? {
                add(
                    r.get(0)?,
                    Cand {
                        rank: MatchRank::ExactName,
                        hit: Some((MatchField::Nick, r.get(1)?)),
                        order_id: None,
                    },
                );
            }
        }
        Ok(cands)
    }

    /// Blacklisted buyers and buyers with open complaints (`true`: must not be
    /// missed), then the biggest spenders (`false`).
    pub(super) fn notable_customers(
        &self,
        open: &HashMap<i64, i64>,
        top: usize,
    ) -> Result<Vec<(i64, bool)>> {
        let mut ids: Vec<(i64, bool)> = self
            .conn
            .prepare_cached("SELECT id FROM customers WHERE blacklisted = 1")?
            .query_map([], |r| Ok((r.get(0)?, true)))?
            .collect::<rusqlite::Result<_>>()?;
        ids.extend(open.keys().map(|id| (*id, true)));
        let top: Vec<(i64, bool)> = self
            .conn
            .prepare_cached("SELECT id FROM customers ORDER BY paid_fen DESC, id DESC LIMIT ?")?
            .query_map([top as i64], |r| Ok((r.get(0)?, false)))?
            .collect::<rusqlite::Result<_>>()?;
        ids.extend(top);
        Ok(ids)
    }

    /// Of these customers, those whose texts (nickname, receiver names) hold
    /// every run of the query, each in one of them (as the lookup index
    /// matches).
    fn texts_hold(&self, ids: &[i64], runs: &[String]) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut texts: HashMap<i64, Vec<String>> = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, c.nick, r.name FROM customers c LEFT JOIN receivers r ON r.customer_id = c.id
             WHERE c.id IN (SELECT value FROM json_each(?))",
        )?;
        let mut rows = st.query([serde_json::to_string(ids)?])?;
        while let Some(r) = rows.next()? {
            let t = texts.entry(r.get(0)?).or_default();
            if t.is_empty() {
                t.push(r.get::<_, String>(1)?.to_lowercase());
            }
            if let Some(name) = r.get::<_, Option<String>>(2)? {
                t.push(name.to_lowercase());
            }
        }
        Ok(texts
            .into_iter()
            .filter(|(_, t)| {
                runs.iter()
                    .all(|r| t.iter().any(|x| x.contains(r.as_str())))
            })
            .map(|(id, _)| id)
            .collect())
    }

    /// [`Store::facts`] of many customers in one statement (a row read per
    /// customer, without a statement run per customer).
    pub(super) fn facts_many(&self, ids: &[i64]) -> Result<HashMap<i64, Facts>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = serde_json::to_string(ids)?;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, nick, buyer_key, name, phone, blacklisted, orders_count, paid_fen
                 FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            )?
            .query_map([list], |r| {
                Ok((
                    r.get(0)?,
                    Facts {
                        nick: r.get(1)?,
                        buyer: r.get(2)?,
                        name: r.get(3)?,
                        phone: r.get(4)?,
                        blacklisted: r.get::<_, i64>(5)? != 0,
                        orders: r.get(6)?,
                        paid_fen: r.get(7)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn facts(&self, id: i64) -> Result<Option<Facts>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT nick, buyer_key, name, phone, blacklisted, orders_count, paid_fen FROM customers WHERE id = ?",
            )?
            .query_row([id], |r| {
                Ok(Facts {
                    nick: r.get(0)?,
                    buyer: r.get(1)?,
                    name: r.get(2)?,
                    phone: r.get(3)?,
                    blacklisted: r.get::<_, i64>(4)? != 0,
                    orders: r.get(5)?,
                    paid_fen: r.get(6)?,
                })
            })
            .optional()?)
    }

    /// A result's columns (what matched is filled in by the caller).
    pub(super) fn hit(&self, id: i64, reveal: bool) -> Result<Option<LookupHit>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.id, c.platform, c.buyer_key, c.nick, c.name, c.phone, c.orders_count, c.paid_fen,
                   c.refund_fen, c.last_order_at, c.last_order_no, c.last_order_status, c.blacklisted,
                   (SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.customer_id = c.id)
                 FROM customers c WHERE c.id = ?",
            )?
            .query_row([id], |r| {
                let phone: String = r.get(5)?;
                Ok(LookupHit {
                    id: r.get(0)?,
                    platform: r.get(1)?,
                    buyer: r.get(2)?,
                    nick: r.get(3)?,
                    name: r.get(4)?,
                    phone: if reveal { phone } else { mask_phone(&phone) },
                    orders: r.get(6)?,
                    paid_fen: r.get(7)?,
                    refund_fen: r.get(8)?,
                    last_order_at: r.get(9)?,
                    last_order_no: r.get(10)?,
                    last_order_status: r.get(11)?,
                    blacklisted: r.get::<_, i64>(12)? != 0,
                    points: r.get(13)?,
                    open_complaints: 0,
                    matched: Matched {
                        field: MatchField::Nick,
                        value: String::new(),
                    },
                    rank: MatchRank::Fragment,
                    order_id: None,
                })
            })
            .optional()?)
    }

    /// Customers with complaints open or in progress, and how many.
    fn open_complaint_customers(&self) -> Result<HashMap<i64, i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT customer_id, count(*) FROM complaints WHERE status IN ('open', 'processing') GROUP BY customer_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Which of a customer's texts holds the query's runs: the nickname, the
    /// current receiver name, an earlier one; runs spread over several texts
    /// ("lucky 邵娜": nickname and name) name the text holding the first.
    fn text_matching(&self, id: i64, f: &Facts, runs: &[String]) -> Result<(MatchField, String)> {
        if contains_runs(&f.nick, runs) {
            return Ok((MatchField::Nick, f.nick.clone()));
        }
        if contains_runs(&f.name, runs) {
            return Ok((MatchField::Name, f.name.clone()));
        }
        let names: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT name FROM receivers WHERE customer_id = ? ORDER BY first_seen DESC, id DESC",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let name_field = |n: &str| {
            if n == f.name {
                MatchField::Name
            } else {
                MatchField::OldName
            }
        };
        if let Some(n) = names.iter().find(|n| contains_runs(n, runs)) {
            return Ok((name_field(n), n.clone()));
        }
        let first = runs.first().map(String::as_str).unwrap_or_default();
        if let Some(n) = names.iter().find(|n| n.to_lowercase().contains(first))
            && !f.nick.to_lowercase().contains(first)
        {
            return Ok((name_field(n), n.clone()));
        }
        // The nickname holds the first run, or (the bigram index matched a
        // phrase across two texts) none holds it whole.
        Ok((MatchField::Nick, f.nick.clone()))
    }
}

/// The order of results: by rank, then blacklisted buyers, open complaints,
/// orders, spend, newest customer.
pub(super) fn by_rank(
    open: &HashMap<i64, i64>,
    (ia, ca, fa): &(i64, Cand, Facts),
    (ib, cb, fb): &(i64, Cand, Facts),
) -> std::cmp::Ordering {
    let open_a = open.contains_key(ia);
    let open_b = open.contains_key(ib);
    ca.rank
        .cmp(&cb.rank)
        .then(fb.blacklisted.cmp(&fa.blacklisted))
        .then(open_b.cmp(&open_a))
        .then(fb.orders.cmp(&fa.orders))
        .then(fb.paid_fen.cmp(&fa.paid_fen))
        .then(ib.cmp(ia))
}

/// How the nickname (or buyer key) matches the lower-cased query, if it
/// holds it whole: exactly, at its start, or inside.
fn nick_rank(f: &Facts, lower: &str) -> Option<MatchRank> {
    let nick = f.nick.to_lowercase();
    if nick == lower || f.buyer.to_lowercase() == lower {
        Some(MatchRank::ExactName)
    } else if nick.starts_with(lower) {
        Some(MatchRank::NickStart)
    } else if nick.contains(lower) {
        Some(MatchRank::Fragment)
    } else {
        None
    }
}

#[cfg(test)]
#[path = "lookup_tests.rs"]
mod tests;
