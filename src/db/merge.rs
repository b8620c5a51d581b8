//! Merging two customers who are one person (issue 15 §3), never automatic,
//! always undoable. `merge(survivor, merged)` moves the merged customer's
//! orders, receivers, notes, tags, complaints, follow-ups, feedback,
//! blacklist history and campaign places to the survivor, transfers its
//! points by new ledger entries (the ledger is append-only), and keeps the
//! merged customer's row pointing at the survivor (`merged_into`): imports
//! and lookups of its key land on the survivor. Everything changed is kept
//! in the `merges` log as it was, for `db/merge_undo.rs`. The design is in
//! docs/merge.md.

use super::Store;
use super::merge_rows::{self, Row};
use crate::i18n::Lang;
use crate::i18n::merge as say;
use crate::model::MergeDone;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

/// Tables whose rows name their customer by `customer_id` and move whole.
pub(crate) const MOVED: [&str; 5] = [
    "notes",
    "complaints",
    "followups",
    "feedback",
    "blacklist_events",
];

/// What a merge changed, as it was: its undo writes it back.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Saved {
    /// Both customer rows, whole.
    pub customers: Vec<Row>,
    /// Customers merged earlier into the merged one (now pointing at the survivor).
    pub redirected: Vec<i64>,
    /// Orders that moved: id and receiver before.
    pub orders: Vec<(i64, i64, Option<i64>)>,
    pub receivers_moved: Vec<i64>,
    /// Rows of [`MOVED`] that moved, by table.
    pub moved: Vec<(String, Vec<i64>)>,
    pub tags_merged: Vec<Row>,
    pub tags_added: Vec<String>,
    pub members_merged: Vec<Row>,
    pub members_added: Vec<i64>,
    pub pinyin_merged: Vec<String>,
    pub pinyin_added: Vec<String>,
    pub predictions: Vec<Row>,
    /// The suggestion counts' totals before they were marked out of date.
    pub suggest_totals: Vec<Row>,
}

/// Right after a merge: the highest ids, the survivor's tags and campaigns,
/// and both customer rows. Anything beyond on the survivor is later activity.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Marks {
    pub batch: i64,
    pub ids: Vec<(String, i64)>,
    pub tags: Vec<String>,
    pub members: Vec<i64>,
    pub customers: Vec<Row>,
}

/// Tables with an id whose highest value the marks keep.
pub(crate) const MARKED: [&str; 9] = [
    "notes",
    "note_history",
    "complaints",
    "complaint_events",
    "followups",
    "followup_events",
    "feedback",
    "blacklist_events",
    "ledger",
];

pub(crate) fn label(conn: &Connection, id: i64) -> rusqlite::Result<String> {
    conn.prepare_cached("SELECT platform || ':' || buyer_key FROM customers WHERE id = ?")?
        .query_row([id], |r| r.get(0))
}

pub(crate) fn ids(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached(sql)?
        .query_map([id], |r| r.get(0))?
        .collect()
}

fn strings(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(sql)?
        .query_map([id], |r| r.get(0))?
        .collect()
}

/// The survivor's tags and campaign places, and the marks' highest ids.
pub(crate) fn marks(conn: &Connection, a: i64, b: i64) -> rusqlite::Result<Marks> {
    let mut m = Marks {
        batch: conn.query_row("SELECT coalesce(max(id), 0) FROM import_batches", [], |r| {
            r.get(0)
        })?,
        tags: strings(
            conn,
            "SELECT tag FROM tags WHERE customer_id = ? ORDER BY tag",
            a,
        )?,
        members: ids(
            conn,
            "SELECT campaign_id FROM campaign_members WHERE customer_id = ? ORDER BY campaign_id",
            a,
        )?,
        customers: merge_rows::read(conn, "customers", "id IN (?, ?) ORDER BY id", &[&a, &b])?,
        ..Marks::default()
    };
    for t in MARKED {
        let max: i64 =
            conn.query_row(&format!("SELECT coalesce(max(id), 0) FROM {t}"), [], |r| {
                r.get(0)
            })?;
        m.ids.push((t.to_string(), max));
    }
    Ok(m)
}

/// The texts of a customer's lookup document: the nickname, and the receiver
/// names with the nicknames of the customers merged into it.
pub(crate) fn doc_texts(conn: &Connection, cid: i64) -> rusqlite::Result<(String, Vec<String>)> {
    let nick: String = conn
        .prepare_cached("SELECT nick FROM customers WHERE id = ?")?
        .query_row([cid], |r| r.get(0))?;
    let names = strings(conn, crate::db::load::DOC_NAMES_SQL, cid)?;
    Ok((nick, names))
}

/// Write a customer's lookup document again from its texts (none for a
/// customer merged away).
pub(crate) fn rewrite_doc(conn: &Connection, cid: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM customer_search WHERE rowid = ?")?
        .execute([cid])?;
    let gone: Option<i64> = conn
        .prepare_cached("SELECT merged_into FROM customers WHERE id = ?")?
        .query_row([cid], |r| r.get(0))?;
    if gone.is_none() {
        let (nick, names) = doc_texts(conn, cid)?;
        let (bi, uni) = crate::db::load::search_doc(&nick, &names);
        conn.prepare_cached("INSERT INTO customer_search (rowid, bi, uni) VALUES (?, ?, ?)")?
            .execute(params![cid, bi, uni])?;
    }
    Ok(())
}

/// Refresh the derived columns of a customer from its orders (as the
/// import's end-of-file pass does), and its rhythm.
pub(crate) fn refresh_derived(conn: &Connection, cid: i64) -> rusqlite::Result<()> {
    for sql in crate::db::load::refresh_customers_sql("id = ?1") {
        conn.execute(&sql, [cid])?;
    }
    crate::db::rhythm::refresh(conn, &format!("SELECT {cid}"))
}

/// Write a ledger entry of a merge or its undo, and note it as such.
#[allow(clippy::too_many_arguments)]
pub(crate) fn transfer(
    conn: &Connection,
    merge_id: i64,
    undo: bool,
    customer: i64,
    delta: i64,
    kind: &str,
    order: Option<(i64, String)>,
    note: &str,
) -> rusqlite::Result<()> {
    let (oid, ono) = order.map_or((None, None), |(i, n)| (Some(i), Some(n)));
    conn.prepare_cached(
        "INSERT INTO ledger (customer_id, created_at, delta, kind, ref_order_id, ref_order_no, note)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        customer,
        crate::domain::time::now_text(),
        delta,
        kind,
        oid,
        ono,
        note
    ])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO merge_ledger (ledger_id, merge_id, undo) VALUES (?, ?, ?)")?
        .execute(params![id, merge_id, undo])?;
    Ok(())
}

/// The customer's row must exist and not be merged away.
fn live(conn: &Connection, id: i64) -> Result<()> {
    let into: Option<Option<i64>> = conn
        .prepare_cached("SELECT merged_into FROM customers WHERE id = ?")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match into {
        None => Err(crate::db::Refused::no_customer(id).into()),
        Some(Some(into)) => Err(say::already_merged(&label(conn, id)?, &label(conn, into)?).into()),
        Some(None) => Ok(()),
    }
}

impl Store {
    /// Merge customer `merged` into `survivor`. Refused (nothing written)
    /// for a customer into itself, or one already merged away.
    pub fn merge_customers(&mut self, survivor: i64, merged: i64, lang: Lang) -> Result<MergeDone> {
        if survivor == merged {
            return Err(say::into_itself().into());
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        live(&tx, survivor)?;
        live(&tx, merged)?;
        let id = merge_in(&tx, survivor, merged, lang)?;
        let done = MergeDone {
            merge_id: id,
            survivor: label(&tx, survivor)?,
            merged: label(&tx, merged)?,
        };
        tx.commit()?;
        Ok(done)
    }

    /// The customer a merged-away one now is (itself when not merged).
    pub fn merged_survivor(&self, id: i64) -> Result<i64> {
        let mut cur = id;
        // A chain is flattened by each merge; the bound only guards a loop.
        for _ in 0..64 {
            let next: Option<i64> = self
                .conn
                .prepare_cached("SELECT merged_into FROM customers WHERE id = ?")?
                .query_row([cur], |r| r.get(0))
                .optional()?
                .flatten();
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        Ok(cur)
    }
}

/// The merge itself, inside the caller's transaction. Returns the merge id.
fn merge_in(tx: &Connection, a: i64, b: i64, lang: Lang) -> Result<i64> {
    let now = crate::domain::time::now_text();
    tx.execute(
        "INSERT INTO merges (survivor_id, merged_id, at, saved, marks) VALUES (?, ?, ?, '', '')",
        params![a, b, now],
    )?;
    let merge_id = tx.last_insert_rowid();
    let mut s = Saved {
        customers: merge_rows::read(tx, "customers", "id IN (?, ?) ORDER BY id", &[&a, &b])?,
        redirected: ids(
            tx,
            "SELECT id FROM customers WHERE merged_into = ? ORDER BY id",
            b,
        )?,
        ..Saved::default()
    };
    tx.execute(
        "UPDATE customers SET merged_into = ?1 WHERE merged_into = ?2",
        params![a, b],
    )?;
    // Receivers: the survivor's own copy wins (the merged customer keeps its
    // duplicate, unused, so no row is deleted); the others move.
    let rids = ids(
        tx,
        "SELECT id FROM receivers WHERE customer_id = ? ORDER BY id",
        b,
    )?;
    let mut dup: Vec<(i64, i64)> = Vec::new();
    for rid in rids {
        let same: Option<i64> = tx
            .prepare_cached(
                "SELECT s.id FROM receivers r JOIN receivers s ON s.customer_id = ?1
                   AND s.name = r.name AND s.phone = r.phone AND s.address = r.address
                 WHERE r.id = ?2",
            )?
            .query_row(params![a, rid], |r| r.get(0))
            .optional()?;
        match same {
            Some(keep) => dup.push((rid, keep)),
            None => s.receivers_moved.push(rid),
        }
    }
    s.orders = tx
        .prepare(
            "SELECT id, customer_id, receiver_id FROM orders WHERE customer_id = ? ORDER BY id",
        )?
        .query_map([b], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (from, to) in &dup {
        // The merged customer's orders only (by the customer index, not a scan).
        tx.execute(
            "UPDATE orders SET receiver_id = ?1 WHERE customer_id = ?3 AND receiver_id = ?2",
            params![to, from, b],
        )?;
    }
    for rid in &s.receivers_moved {
        tx.execute(
            "UPDATE receivers SET customer_id = ? WHERE id = ?",
            params![a, rid],
        )?;
    }
    tx.execute(
        "UPDATE orders SET customer_id = ?1 WHERE customer_id = ?2",
        params![a, b],
    )?;
    for t in MOVED {
        let moved = ids(
            tx,
            &format!("SELECT id FROM {t} WHERE customer_id = ? ORDER BY id"),
            b,
        )?;
        tx.execute(
            &format!("UPDATE {t} SET customer_id = ?1 WHERE customer_id = ?2"),
            params![a, b],
        )?;
        s.moved.push((t.to_string(), moved));
    }
    // Tags and campaign places: the survivor's own kept, the others added.
    s.tags_merged = merge_rows::read(tx, "tags", "customer_id = ? ORDER BY tag", &[&b])?;
    for row in &s.tags_merged {
        let tag = row.get("tag").and_then(|v| v.as_str()).unwrap_or_default();
        let added = tx.execute(
            "INSERT OR IGNORE INTO tags (customer_id, tag, created_at)
             SELECT ?1, tag, created_at FROM tags WHERE customer_id = ?2 AND tag = ?3",
            params![a, b, tag],
        )?;
        if added > 0 {
            s.tags_added.push(tag.to_string());
        }
    }
    tx.execute("DELETE FROM tags WHERE customer_id = ?", [b])?;
    s.members_merged = merge_rows::read(
        tx,
        "campaign_members",
        "customer_id = ? ORDER BY campaign_id",
        &[&b],
    )?;
    for row in &s.members_merged {
        let cid = row.get("campaign_id").and_then(|v| v.as_i64()).unwrap_or(0);
        let added = tx.execute(
            "INSERT OR IGNORE INTO campaign_members (campaign_id, customer_id, control)
             SELECT campaign_id, ?1, control FROM campaign_members WHERE customer_id = ?2 AND campaign_id = ?3",
            params![a, b, cid],
        )?;
        if added > 0 {
            s.members_added.push(cid);
        }
    }
    tx.execute("DELETE FROM campaign_members WHERE customer_id = ?", [b])?;
    s.predictions = merge_rows::read(
        tx,
        "predictions",
        "customer_id IN (?, ?) ORDER BY customer_id",
        &[&a, &b],
    )?;
    tx.execute("DELETE FROM predictions WHERE customer_id = ?", [b])?;
    // Points: each moved order's points go with it (so reconciling them
    // later finds them on the survivor), the rest of the balance in one entry.
    let note = say::transfer_note(lang, merge_id);
    let moved_orders: std::collections::HashSet<i64> = s.orders.iter().map(|o| o.0).collect();
    let per_order: Vec<(i64, String, i64)> = tx
        .prepare(
            "SELECT ref_order_id, coalesce(max(ref_order_no), ''), sum(delta) FROM ledger
             WHERE customer_id = ? AND kind IN ('earn', 'reverse') AND ref_order_id IS NOT NULL
             GROUP BY ref_order_id HAVING sum(delta) != 0 ORDER BY ref_order_id",
        )?
        .query_map([b], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (oid, no, pts) in per_order {
        if !moved_orders.contains(&oid) {
            continue;
        }
        let (out, inn) = if pts > 0 {
            ("reverse", "earn")
        } else {
            ("earn", "reverse")
        };
        transfer(
            tx,
            merge_id,
            false,
            b,
            -pts,
            out,
            Some((oid, no.clone())),
            &note,
        )?;
        transfer(tx, merge_id, false, a, pts, inn, Some((oid, no)), &note)?;
    }
    let balance: i64 = tx.query_row(
        "SELECT coalesce(sum(delta), 0) FROM ledger WHERE customer_id = ?",
        [b],
        |r| r.get(0),
    )?;
    if balance != 0 {
        transfer(tx, merge_id, false, b, -balance, "adjust", None, &note)?;
        transfer(tx, merge_id, false, a, balance, "adjust", None, &note)?;
    }
    // The merged customer now points at the survivor; derived columns follow.
    tx.execute(
        "UPDATE customers SET merged_into = ?1 WHERE id = ?2",
        params![a, b],
    )?;
    refresh_derived(tx, a)?;
    refresh_derived(tx, b)?;
    // Blacklisted when either was (or as the blacklist history, now the
    // survivor's, last says); the merged customer's mark goes with it.
    tx.execute(
        "UPDATE customers SET blacklisted = coalesce(
           (SELECT listed FROM blacklist_events e WHERE e.customer_id = ?1 ORDER BY e.id DESC LIMIT 1),
           (SELECT max(blacklisted) FROM customers WHERE id IN (?1, ?2)))
         WHERE id = ?1",
        params![a, b],
    )?;
    tx.execute("UPDATE customers SET blacklisted = 0 WHERE id = ?", [b])?;
    // Lookup: the merged customer's document and pinyin keys go to the survivor.
    s.pinyin_merged = strings(
        tx,
        "SELECT key FROM customer_pinyin WHERE customer_id = ? ORDER BY key",
        b,
    )?;
    // By key (the primary key), not a second scan of every key.
    for k in &s.pinyin_merged {
        tx.prepare_cached("DELETE FROM customer_pinyin WHERE key = ? AND customer_id = ?")?
            .execute(params![k, b])?;
    }
    let (nick, names) = doc_texts(tx, a)?;
    let mut keys = crate::domain::pinyin::customer_keys(&nick, names.iter().map(String::as_str));
    keys.sort_unstable();
    keys.dedup();
    for k in keys {
        let added = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO customer_pinyin (key, customer_id) VALUES (?, ?)",
            )?
            .execute(params![k, a])?;
        if added > 0 {
            s.pinyin_added.push(k);
        }
    }
    rewrite_doc(tx, a)?;
    rewrite_doc(tx, b)?;
    // The suggestion counts are per buyer: rebuilt when next read.
    s.suggest_totals = merge_rows::read(tx, "suggest_totals", "1 ORDER BY key", &[])?;
    crate::db::suggest::mark_stale(tx)?;
    let m = marks(tx, a, b)?;
    tx.execute(
        "UPDATE merges SET saved = ?, marks = ? WHERE id = ?",
        params![
            serde_json::to_string(&s)?,
            serde_json::to_string(&m)?,
            merge_id
        ],
    )?;
    Ok(merge_id)
}
