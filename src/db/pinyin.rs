//! Pinyin keys of customers (`customer_pinyin`, migration 011): written by the
//! import with the lookup documents, backfilled once for the customers an
//! older kehu stored, and read by quick lookup as its last rank. The keys are
//! made in `domain::pinyin`; the name sort key of the customers list too
//! (`kehu_name_sort(name)`, an SQL function of every connection).

use super::Store;
use super::lookup::{Cand, Caps, Facts, by_rank};
use crate::domain::lookup::MatchField;
use crate::domain::lookup::MatchRank;
use crate::domain::pinyin::{self, keys_match, name_keys, prefix_end};
use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};

/// A candidate with what ranking reads of it.
type Ranked = (i64, Cand, Facts);

/// Pinyin keys waiting to be written, `(key, customer_id)`: the keys' text
/// in one buffer and a 16-byte entry each (a first import of a million
/// orders gathers about two million; a `String` each cost twice the memory).
#[derive(Default)]
pub(crate) struct Keys {
    text: String,
    /// Offset and length in `text`, and the customer.
    at: Vec<(u32, u32, i64)>,
}

impl Keys {
    /// The keys of one customer's nickname and receiver names.
    pub fn add<'a>(&mut self, cid: i64, nick: &str, names: impl IntoIterator<Item = &'a str>) {
        for k in pinyin::customer_keys(nick, names) {
            let (Ok(off), Ok(len)) = (u32::try_from(self.text.len()), u32::try_from(k.len()))
            else {
                continue;
            };
            self.text.push_str(&k);
            self.at.push((off, len, cid));
        }
    }

    fn key(&self, e: &(u32, u32, i64)) -> &str {
        &self.text[e.0 as usize..(e.0 + e.1) as usize]
    }

    /// The keys gathered, as `(key, customer_id)` (erasure removes them).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, i64)> {
        self.at.iter().map(|e| (self.key(e), e.2))
    }

    /// Write them in key order (appends to the index's b-tree rather than
    /// scattered inserts); keys already there are kept.
    pub fn write(mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut at = std::mem::take(&mut self.at);
        at.sort_unstable_by(|a, b| self.key(a).cmp(self.key(b)).then(a.2.cmp(&b.2)));
        at.dedup_by(|a, b| a.2 == b.2 && self.key(a) == self.key(b));
        let mut ins = conn.prepare_cached(
            "INSERT OR IGNORE INTO customer_pinyin (key, customer_id) VALUES (?, ?)",
        )?;
        for e in &at {
            ins.execute(params![self.key(e), e.2])?;
        }
        Ok(())
    }
}

/// Every customer's nickname with its distinct receiver names, in one pass
/// (customers above `after`), handed to `f`.
pub(crate) fn each_customer_texts(
    conn: &Connection,
    after: i64,
    mut f: impl FnMut(i64, &str, &[String]) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut all = conn.prepare(
        "SELECT c.id, c.nick, r.name FROM customers c
         LEFT JOIN receivers r ON r.customer_id = c.id
         WHERE c.id > ? ORDER BY c.id, r.name",
    )?;
    let mut rows = all.query([after])?;
    let mut cur: Option<(i64, String)> = None;
    let mut names: Vec<String> = Vec::new();
    while let Some(r) = rows.next()? {
        let cid: i64 = r.get(0)?;
        if cur.as_ref().is_none_or(|c| c.0 != cid) {
            if let Some((id, nick)) = &cur {
                f(*id, nick, &names)?;
            }
            names.clear();
            cur = Some((cid, r.get(1)?));
        }
        if let Some(name) = r.get::<_, Option<String>>(2)?
            && names.last() != Some(&name)
        {
            names.push(name);
        }
    }
    if let Some((id, nick)) = &cur {
        f(*id, nick, &names)?;
    }
    Ok(())
}

/// Migration 011's step: the keys and name sort keys of every customer
/// already stored, in one pass each.
pub(crate) fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    let mut keys = Keys::default();
    each_customer_texts(conn, 0, |cid, nick, names| {
        keys.add(cid, nick, names.iter().map(String::as_str));
        Ok(())
    })?;
    keys.write(conn)?;
    conn.execute_batch("UPDATE customers SET name_sort = kehu_name_sort(name) WHERE name != ''")
}

/// `kehu_name_sort(name)`: [`pinyin::sort_key`] in SQL.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "kehu_name_sort",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let name: Option<String> = ctx.get(0)?;
            Ok(name.as_deref().and_then(pinyin::sort_key))
        },
    )
}

impl Store {
    /// Pinyin matches (newest first) ranked as fragments are: all of them,
    /// or the oldest [`Caps::rank`] with every blacklisted or complaining
    /// buyer and big spender among them; the rest follow, newest first.
    pub(super) fn rank_pinyin(
        &self,
        ids: &[i64],
        open: &HashMap<i64, i64>,
        caps: Caps,
    ) -> anyhow::Result<(Vec<Ranked>, Vec<i64>)> {
        let mut pulled: HashSet<i64> = ids.iter().rev().take(caps.rank).copied().collect();
        if ids.len() > caps.rank {
            let all: HashSet<i64> = ids.iter().copied().collect();
            for (id, _) in self.notable_customers(open, caps.top)? {
                if all.contains(&id) {
                    pulled.insert(id);
                }
            }
        }
        let rest: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !pulled.contains(id))
            .take(caps.count)
            .collect();
        let pulled: Vec<i64> = pulled.into_iter().collect();
        super::lookup::trace(&format!("pinyin notables, ranking {}", pulled.len()));
        let mut ranked: Vec<Ranked> = self
            .facts_many(&pulled)?
            .into_iter()
            .map(|(id, f)| {
                let c = Cand {
                    rank: MatchRank::Pinyin,
                    hit: None,
                    order_id: None,
                };
                (id, c, f)
            })
            .collect();
        ranked.sort_by(|a, b| by_rank(open, a, b));
        super::lookup::trace("pinyin facts");
        Ok((ranked, rest))
    }

    /// Customers with a pinyin key starting with `key`, newest first: all of
    /// them. The range of the key index is read whole, customer ids only, in
    /// key order; sorting and removing repeats here costs a fraction of
    /// SQLite's `DISTINCT … ORDER BY` (two temporary b-trees).
    ///
    /// Beyond `cap` keys ([`SCAN_CAP`]) (two letters such as `zh` at 1M orders, a
    /// tenth of the shop) only the first `cap` in key order are read,
    /// and `true` says more match: the work of a lookup stays bounded.
    pub(super) fn pinyin_matches(
        &self,
        key: &str,
        cap: usize,
    ) -> rusqlite::Result<(Vec<i64>, bool)> {
        let mut ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT customer_id FROM customer_pinyin WHERE key >= ? AND key < ? LIMIT ?",
            )?
            .query_map(params![key, prefix_end(key), (cap + 1) as i64], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        let more = ids.len() > cap;
        ids.truncate(cap);
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        Ok((ids, more))
    }

    /// Which of a customer's texts the pinyin query `key` found: the current
    /// receiver name, an earlier one, or the nickname.
    pub(super) fn pinyin_text(
        &self,
        id: i64,
        nick: &str,
        name: &str,
        key: &str,
    ) -> rusqlite::Result<(MatchField, String)> {
        if keys_match(&name_keys(name), key) {
            return Ok((MatchField::NamePinyin, name.to_string()));
        }
        let names: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT name FROM receivers WHERE customer_id = ? ORDER BY first_seen DESC, id DESC",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(n) = names.into_iter().find(|n| keys_match(&name_keys(n), key)) {
            return Ok((MatchField::NamePinyin, n));
        }
        Ok((MatchField::NickPinyin, nick.to_string()))
    }
}
