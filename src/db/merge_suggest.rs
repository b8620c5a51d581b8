//! Who may be one person: pairs of customers sharing a full phone number, or
//! a receiver (name, phone tail and address, normalised), strongest evidence
//! first (rules in `domain::merge`). Pairs already merged are one customer
//! and pairs the seller declined (`merge_declined`) are left out. One pass
//! over the receivers, grouped in memory.

use super::Store;
use crate::domain::merge::{Evidence, full_phone, receiver_key_of, score};
use crate::model::{Fingerprint, MergePair};
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A phone or receiver shared by more customers than this is a shop's or a
/// pickup point's, not a person's: no evidence.
const GROUP_CAP: usize = 8;

/// The evidence found for each pair (lower id first).
type Found = BTreeMap<(i64, i64), BTreeSet<Evidence>>;

fn add_groups(found: &mut Found, groups: HashMap<String, Vec<i64>>, e: Evidence) {
    for (_, mut ids) in groups {
        ids.sort_unstable();
        ids.dedup();
        if ids.len() < 2 || ids.len() > GROUP_CAP {
            continue;
        }
        for (i, x) in ids.iter().enumerate() {
            for y in &ids[i + 1..] {
                found.entry((*x, *y)).or_default().insert(e);
            }
        }
    }
}

fn declined(conn: &Connection) -> rusqlite::Result<HashSet<(i64, i64)>> {
    conn.prepare_cached("SELECT a, b FROM merge_declined")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

/// Ordered pairs: survivor first (more orders, then the older customer).
fn pairs(conn: &Connection, found: Found) -> rusqlite::Result<Vec<MergePair>> {
    let no = declined(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT platform || ':' || buyer_key, orders_count FROM customers WHERE id = ? AND merged_into IS NULL",
    )?;
    let mut out = Vec::new();
    for ((x, y), ev) in found {
        if no.contains(&(x, y)) {
            continue;
        }
        let cx: Option<(String, i64)> = stmt.query_row([x], |r| Ok((r.get(0)?, r.get(1)?))).ok();
        let cy: Option<(String, i64)> = stmt.query_row([y], |r| Ok((r.get(0)?, r.get(1)?))).ok();
        let (Some(cx), Some(cy)) = (cx, cy) else {
            continue;
        };
        let ((a_id, a), (b_id, b)) = if cy.1 > cx.1 {
            ((y, cy.0), (x, cx.0))
        } else {
            ((x, cx.0), (y, cy.0))
        };
        let evidence: Vec<Evidence> = ev.into_iter().collect();
        out.push(MergePair {
            a_id,
            b_id,
            a,
            b,
            score: score(&evidence),
            evidence,
        });
    }
    out.sort_by(|p, q| {
        q.score
            .cmp(&p.score)
            .then(p.a_id.min(p.b_id).cmp(&q.a_id.min(q.b_id)))
            .then(p.a_id.max(p.b_id).cmp(&q.a_id.max(q.b_id)))
    });
    Ok(out)
}

/// Receivers grouped by the two kinds of evidence.
#[derive(Default)]
struct Groups {
    by_phone: HashMap<String, Vec<i64>>,
    by_receiver: HashMap<String, Vec<i64>>,
}

impl Groups {
    fn add(&mut self, cid: i64, name: &str, phone: &str, address: &str) {
        // The receiver key needs a full phone's tail: no phone, no key.
        if let Some(p) = full_phone(phone) {
            if let Some(k) = receiver_key_of(name, &p, address) {
                self.by_receiver.entry(k).or_default().push(cid);
            }
            self.by_phone.entry(p).or_default().push(cid);
        }
    }

    fn found(self) -> Found {
        let mut found = Found::new();
        add_groups(&mut found, self.by_phone, Evidence::SamePhone);
        add_groups(&mut found, self.by_receiver, Evidence::SameReceiver);
        found
    }
}

impl Store {
    /// Every pair of customers who may be one person, strongest evidence first.
    ///
    /// One pass over the receivers keeps only a 64-bit hash of each piece of
    /// evidence with its customer (no text kept: at 1M orders, holding and
    /// freeing the texts cost more than reading them); the few customers
    /// sharing a hash are then read again and grouped by the exact texts.
    pub fn merge_suggestions(&self) -> Result<Vec<MergePair>> {
        let mut stmt = self
            .conn
            .prepare("SELECT customer_id, name, phone, address FROM receivers WHERE phone != ''")?;
        let mut rows = stmt.query([])?;
        let mut hashes: Vec<(u64, i64)> = Vec::new();
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<&str> {
                Ok(r.get_ref(i)?.as_str().unwrap_or_default())
            };
            let cid: i64 = r.get(0)?;
            let Some(p) = full_phone(text(2)?) else {
                continue;
            };
            hashes.push((Fingerprint::new().str("p").str(&p).finish() as u64, cid));
            if let Some(k) = receiver_key_of(text(1)?, &p, text(3)?) {
                hashes.push((Fingerprint::new().str("r").str(&k).finish() as u64, cid));
            }
        }
        drop(rows);
        hashes.sort_unstable();
        hashes.dedup();
        let mut candidates: Vec<i64> = Vec::new();
        for run in hashes.chunk_by(|x, y| x.0 == y.0) {
            if run.len() >= 2 && run.len() <= GROUP_CAP {
                candidates.extend(run.iter().map(|h| h.1));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut groups = Groups::default();
        let mut st = self
            .conn
            .prepare_cached("SELECT name, phone, address FROM receivers WHERE customer_id = ?")?;
        for cid in candidates {
            let mut rows = st.query([cid])?;
            while let Some(r) = rows.next()? {
                let text = |i: usize| -> rusqlite::Result<&str> {
                    Ok(r.get_ref(i)?.as_str().unwrap_or_default())
                };
                groups.add(cid, text(0)?, text(1)?, text(2)?);
            }
        }
        Ok(pairs(&self.conn, groups.found())?)
    }

    /// The pairs one customer is in, read from its receivers (by the phone
    /// and name indexes, not every receiver): the card's suggestion.
    pub fn merge_suggestions_for(&self, cid: i64) -> Result<Vec<MergePair>> {
        let own: Vec<(String, String, String)> = self
            .conn
            .prepare_cached("SELECT name, phone, address FROM receivers WHERE customer_id = ?")?
            .query_map([cid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut groups = Groups::default();
        let mut seen = HashSet::new();
        let mut by_phone = self.conn.prepare_cached(
            "SELECT id, customer_id, name, phone, address FROM receivers WHERE phone = ? LIMIT 64",
        )?;
        let mut by_name = self.conn.prepare_cached(
            "SELECT id, customer_id, name, phone, address FROM receivers WHERE name = ? LIMIT 256",
        )?;
        for (name, phone, _) in &own {
            for (st, key) in [(&mut by_phone, phone), (&mut by_name, name)] {
                if key.is_empty() {
                    continue;
                }
                let got: Vec<(i64, i64, String, String, String)> = st
                    .query_map(params![key], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                for (rid, c, n, p, a) in got {
                    if seen.insert(rid) {
                        groups.add(c, &n, &p, &a);
                    }
                }
            }
        }
        let mut found = groups.found();
        found.retain(|(x, y), _| *x == cid || *y == cid);
        Ok(pairs(&self.conn, found)?)
    }

    /// The seller says two customers are not one person: never suggested again.
    pub fn decline_merge(&mut self, x: i64, y: i64) -> Result<()> {
        self.before_write()?;
        self.conn.execute(
            "INSERT OR IGNORE INTO merge_declined (a, b, at) VALUES (?, ?, ?)",
            params![x.min(y), x.max(y), crate::domain::time::now_text()],
        )?;
        Ok(())
    }
}
