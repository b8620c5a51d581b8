//! One person's data (PIPL's rights to a copy and to deletion): everything
//! kehu holds about a customer given out as one JSON document, and erased.
//!
//! Erasing redacts the person (names, phones, addresses, nicknames, buyer
//! messages, notes with their history, complaint and follow-up texts, the
//! raw text of rejected rows) and keeps the shop's facts (order numbers,
//! times, statuses, amounts, items, points): sales figures stay right. The
//! lookup index forgets the person, the identities' keys are kept only hashed
//! (`erased_keys`, migration 016) so an import does not bring them back, and
//! the erasure is written with `secure_delete` and checkpointed so that the
//! database file holds none of the removed text.

use super::Store;
use super::load::DOC_NAMES_SQL;
use super::pinyin::Keys;
use crate::domain::time;
use crate::i18n::privacy as say;
use anyhow::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The hashed identity kept of an erased buyer key: SHA-256 hex of
/// `platform:buyer_key`.
pub fn key_hash(platform: &str, buyer_key: &str) -> String {
    let digest = Sha256::digest(format!("{platform}:{buyer_key}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash an identifying text is kept under (`erased_texts`, migration
/// 018): SHA-256 hex of the text without spaces, quotes and a leading `=`
/// or tab (as spreadsheets and exports dress cells).
pub(crate) fn text_hash(text: &str) -> Option<String> {
    let bare: String = text
        .trim_start_matches(['=', '\t', '\'', '"', ' '])
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect();
    if bare.chars().count() < 2 {
        return None;
    }
    let digest = Sha256::digest(bare.as_bytes());
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether any cell of a rejected row's raw text is one that identified an
/// erased person (a buyer key, nickname, phone or address).
pub(crate) fn raw_names_erased(conn: &Connection, raw: &str) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM erased_texts WHERE hash = ?")?;
    for cell in raw.split([',', '\t']) {
        if let Some(h) = text_hash(cell)
            && stmt.query_row([h], |_| Ok(())).optional()?.is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// What an erasure did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Erased {
    pub customer_id: i64,
    pub at: String,
    /// SHA-256 hex of the customer's `platform:buyer_key`.
    pub key_hash: String,
    /// The customer's identities erased (merged-away ones included).
    pub identities: usize,
    /// Rows changed or removed.
    pub rows: u64,
}

/// One line of the privacy log.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PrivacyLogEntry {
    pub id: i64,
    pub at: String,
    /// `export` or `erase`.
    pub action: String,
    pub key_hash: String,
    pub rows: i64,
}

/// The customer and every customer merged into it.
fn identities(conn: &Connection, cid: i64) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached("SELECT id FROM customers WHERE id = ?1 OR merged_into = ?1 ORDER BY id")?
        .query_map([cid], |r| r.get(0))?
        .collect()
}

/// Ids as an SQL list (they come from the database: integers only).
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn cell(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
    }
}

/// Every row of `sql` as a JSON object by column name.
fn rows(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut out = Vec::new();
    let mut rs = stmt.query(p)?;
    while let Some(r) = rs.next()? {
        let mut m = Map::new();
        for (i, n) in names.iter().enumerate() {
            m.insert(n.clone(), cell(r.get_ref(i)?));
        }
        out.push(Value::Object(m));
    }
    Ok(out)
}

/// Each parent row with its children (`child_sql` takes the parent's `id`).
fn with_children(
    conn: &Connection,
    parents: Vec<Value>,
    key: &str,
    child_sql: &str,
) -> rusqlite::Result<Vec<Value>> {
    parents
        .into_iter()
        .map(|mut p| {
            let id = p["id"].as_i64().unwrap_or_default();
            p[key] = Value::Array(rows(conn, child_sql, [id])?);
            Ok(p)
        })
        .collect()
}

/// The platform and buyer key of a customer.
fn identity(conn: &Connection, id: i64) -> rusqlite::Result<(String, String)> {
    conn.query_row(
        "SELECT platform, buyer_key FROM customers WHERE id = ?",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn log(conn: &Connection, action: &str, hash: &str, rows: u64, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO privacy_log (at, action, key_hash, rows) VALUES (?, ?, ?, ?)",
        params![at, action, hash, rows as i64],
    )?;
    Ok(())
}

/// Run `f` with the append-only triggers of `table` lifted, inside the
/// caller's transaction: erasure is the one edit of those histories (their
/// texts only), and the triggers are back before the transaction commits.
fn without_triggers(
    conn: &Connection,
    table: &str,
    f: impl FnOnce(&Connection) -> rusqlite::Result<usize>,
) -> rusqlite::Result<usize> {
    let triggers: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\";"))?;
    }
    let n = f(conn)?;
    for (_, sql) in &triggers {
        conn.execute_batch(&format!("{sql};"))?;
    }
    Ok(n)
}

impl Store {
    /// Everything kehu holds about customer `cid` (and the customers merged
    /// into it), as one JSON document; the export is logged.
    pub fn privacy_export(&mut self, cid: i64) -> Result<Value> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids = identities(&tx, cid)?;
        if ids.is_empty() {
            return Err(crate::db::Refused::no_customer(cid).into());
        }
        let l = id_list(&ids);
        let q = |sql: &str| rows(&tx, &sql.replace("{ids}", &l), []);
        let orders = with_children(
            &tx,
            q("SELECT * FROM orders WHERE customer_id IN ({ids}) ORDER BY created_at, id")?,
            "lines",
            "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no",
        )?;
        let notes = with_children(
            &tx,
            q("SELECT * FROM notes WHERE customer_id IN ({ids}) ORDER BY id")?,
            "history",
            "SELECT * FROM note_history WHERE note_id = ? ORDER BY id",
        )?;
        let complaints = with_children(
            &tx,
            q("SELECT * FROM complaints WHERE customer_id IN ({ids}) ORDER BY id")?,
            "history",
            "SELECT * FROM complaint_events WHERE complaint_id = ? ORDER BY id",
        )?;
        let followups = with_children(
            &tx,
            q("SELECT * FROM followups WHERE customer_id IN ({ids}) ORDER BY id")?,
            "history",
            "SELECT * FROM followup_events WHERE followup_id = ? ORDER BY id",
        )?;
        let at = time::now_text();
        let mut doc = json!({
            "format": "kehu-privacy-export",
            "version": 1,
            "exported_at": at,
            "customer_id": cid,
            "identities": q("SELECT * FROM customers WHERE id IN ({ids}) ORDER BY id")?,
            "receivers": q("SELECT * FROM receivers WHERE customer_id IN ({ids}) ORDER BY id")?,
            "orders": orders,
            "notes": notes,
            "tags": q("SELECT * FROM tags WHERE customer_id IN ({ids}) ORDER BY tag")?,
            "complaints": complaints,
            "ledger": q("SELECT * FROM ledger WHERE customer_id IN ({ids}) ORDER BY id")?,
            "followups": followups,
            "feedback": q("SELECT * FROM feedback WHERE customer_id IN ({ids}) ORDER BY id")?,
            "campaigns": q(
                "SELECT c.id, c.name, c.created_at, c.template, c.coupon, m.control
                 FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
                 WHERE m.customer_id IN ({ids}) ORDER BY c.id"
            )?,
            "blacklist": q("SELECT * FROM blacklist_events WHERE customer_id IN ({ids}) ORDER BY id")?,
            "merges": q(
                "SELECT id, survivor_id, merged_id, at, undone_at FROM merges
                 WHERE survivor_id IN ({ids}) OR merged_id IN ({ids}) ORDER BY id"
            )?,
        });
        let count: usize = doc
            .as_object()
            .map(|o| o.values().filter_map(Value::as_array).map(Vec::len).sum())
            .unwrap_or_default();
        let (platform, key) = identity(&tx, cid)?;
        let hash = key_hash(&platform, &key);
        log(&tx, "export", &hash, count as u64, &at)?;
        tx.commit()?;
        doc["key_hash"] = Value::String(hash);
        Ok(doc)
    }

    /// Erase customer `cid` and the customers merged into it (see the module
    /// doc). Refused for a customer already erased.
    pub fn privacy_erase(&mut self, cid: i64) -> Result<Erased> {
        self.before_write()?;
        // References checked off for this transaction only: removing the
        // person's receivers would otherwise have SQLite look through every
        // order for one still pointing at them (there is no index on an
        // order's receiver, which only an erasure would use: 150 ms at 1M
        // orders). None does: the erasure clears the receiver of every order
        // of the person's identities first, and receivers are per customer.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let result = self.erase_in_tx(cid);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        result
    }

    fn erase_in_tx(&mut self, cid: i64) -> Result<Erased> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        super::trace_import("erase: begin");
        let ids = identities(&tx, cid)?;
        let erased_at: Option<Option<String>> = tx
            .query_row("SELECT erased_at FROM customers WHERE id = ?", [cid], |r| {
                r.get(0)
            })
            .optional()?;
        match erased_at {
            None => return Err(crate::db::Refused::no_customer(cid).into()),
            Some(Some(_)) => return Err(say::already_erased(cid).into()),
            Some(None) => {}
        }
        let at = time::now_text();
        let l = id_list(&ids);
        let (platform, key) = identity(&tx, cid)?;
        let hash = key_hash(&platform, &key);

        // The person's texts, to find in rejected rows; and the lookup
        // documents and pinyin keys they were indexed under.
        let mut texts: Vec<String> = Vec::new();
        let mut keys = Keys::default();
        {
            let mut texts_stmt = tx.prepare(&format!(
                "SELECT buyer_key FROM customers WHERE id IN ({l})
                 UNION SELECT nick FROM customers WHERE id IN ({l})
                 UNION SELECT name FROM customers WHERE id IN ({l})
                 UNION SELECT phone FROM customers WHERE id IN ({l})
                 UNION SELECT name FROM receivers WHERE customer_id IN ({l})
                 UNION SELECT phone FROM receivers WHERE customer_id IN ({l})
                 UNION SELECT address FROM receivers WHERE customer_id IN ({l})"
            ))?;
            texts.extend(
                texts_stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                    .into_iter()
                    .filter(|t| t.chars().count() >= 2),
            );
            let mut names_stmt = tx.prepare_cached(DOC_NAMES_SQL)?;
            for &id in &ids {
                let nick: String =
                    tx.query_row("SELECT nick FROM customers WHERE id = ?", [id], |r| {
                        r.get(0)
                    })?;
                let names: Vec<String> = names_stmt
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                keys.add(id, &nick, names.iter().map(String::as_str));
            }
        }
        super::trace_import("erase: texts");
        let mut n: u64 = 0;
        // The lookup index: with FTS5's own secure-delete, a removed
        // document's tokens leave the index pages rather than being marked.
        tx.execute(
            "INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 1)",
            [],
        )?;
        for &id in &ids {
            n += tx.execute("DELETE FROM customer_search WHERE rowid = ?", [id])? as u64;
        }
        tx.execute(
            "INSERT INTO customer_search (customer_search, rank) VALUES ('secure-delete', 0)",
            [],
        )?;
        super::trace_import("erase: fts");
        {
            let mut del =
                tx.prepare_cached("DELETE FROM customer_pinyin WHERE key = ? AND customer_id = ?")?;
            for (k, id) in keys.pairs() {
                n += del.execute(params![k, id])? as u64;
            }
        }
        super::trace_import("erase: pinyin");
        // The hashed keys an import checks, the hashed texts a rejected
        // row is checked against (not receiver names: a common name would
        // hide other buyers' rejected rows), and new random keys.
        {
            let mut ins = tx.prepare("INSERT OR IGNORE INTO erased_texts (hash) VALUES (?)")?;
            let idents: Vec<String> = tx
                .prepare(&format!(
                    "SELECT buyer_key FROM customers WHERE id IN ({l})
                     UNION SELECT nick FROM customers WHERE id IN ({l})
                     UNION SELECT phone FROM customers WHERE id IN ({l})
                     UNION SELECT phone FROM receivers WHERE customer_id IN ({l})
                     UNION SELECT address FROM receivers WHERE customer_id IN ({l})"
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for h in idents.iter().filter_map(|t| text_hash(t)) {
                ins.execute([h])?;
            }
        }
        {
            let mut ins =
                tx.prepare("INSERT OR IGNORE INTO erased_keys (key_hash, at) VALUES (?, ?)")?;
            for &id in &ids {
                let (p, k) = identity(&tx, id)?;
                ins.execute(params![key_hash(&p, &k), at])?;
            }
        }
        let batch = format!(
            "UPDATE orders SET receiver_id = NULL, message = '', remark = '', fp = 0
               WHERE customer_id IN ({l});
             UPDATE order_lines SET remark = '' WHERE remark != ''
               AND order_id IN (SELECT id FROM orders WHERE customer_id IN ({l}));
             UPDATE undo_prior_orders SET receiver_id = NULL, message = '', remark = '', fp = 0
               WHERE id IN (SELECT id FROM orders WHERE customer_id IN ({l}));
             UPDATE undo_prior_lines SET remark = '' WHERE remark != ''
               AND order_id IN (SELECT id FROM orders WHERE customer_id IN ({l}));
             DELETE FROM receivers WHERE customer_id IN ({l});
             UPDATE customers SET buyer_key = 'erased-' || lower(hex(randomblob(12))),
               nick = '', name = '', phone = '', name_sort = NULL, erased_at = '{at}'
               WHERE id IN ({l});
             UPDATE note_history SET body = ''
               WHERE note_id IN (SELECT id FROM notes WHERE customer_id IN ({l}));
             UPDATE notes SET body = '' WHERE customer_id IN ({l});
             UPDATE complaints SET summary = '', resolution = '' WHERE customer_id IN ({l});
             UPDATE followups SET note = '', outcome = '' WHERE customer_id IN ({l});
             UPDATE feedback SET text = '' WHERE customer_id IN ({l});
             UPDATE blacklist_events SET reason = '' WHERE customer_id IN ({l});
             UPDATE merges SET saved = '{{}}'
               WHERE survivor_id IN ({l}) OR merged_id IN ({l});"
        );
        super::trace_import("erase: keys");
        for stmt in batch.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            n += tx.execute(stmt, [])? as u64;
        }
        super::trace_import("erase: batch");
        // The append-only histories: their texts only.
        for (table, sql) in [
            (
                "complaint_events",
                format!(
                    "UPDATE complaint_events SET note = '' WHERE note != ''
                     AND complaint_id IN (SELECT id FROM complaints WHERE customer_id IN ({l}))"
                ),
            ),
            (
                "followup_events",
                format!(
                    "UPDATE followup_events SET note = '' WHERE note != ''
                     AND followup_id IN (SELECT id FROM followups WHERE customer_id IN ({l}))"
                ),
            ),
            (
                "ledger",
                format!("UPDATE ledger SET note = '' WHERE note != '' AND customer_id IN ({l})"),
            ),
        ] {
            n += without_triggers(&tx, table, |c| c.execute(&sql, []))? as u64;
        }
        super::trace_import("erase: triggers");
        // Rejected rows holding any of the person's texts.
        {
            let mut red = tx.prepare(
                "UPDATE rejects SET raw = 'erased-' || id, reason = '', reason_params = NULL
                 WHERE instr(raw, ?1) > 0 OR instr(coalesce(reason_params, ''), ?1) > 0",
            )?;
            for t in &texts {
                n += red.execute([t])? as u64;
            }
        }
        super::trace_import("erase: rejects");
        log(&tx, "erase", &hash, n, &at)?;
        tx.commit()?;
        super::trace_import("erase: commit");
        // The old pages out of the write-ahead log and into the (zeroed) file.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        super::trace_import("erase: checkpoint");
        Ok(Erased {
            customer_id: cid,
            at,
            key_hash: hash,
            identities: ids.len(),
            rows: n,
        })
    }

    /// The privacy log, oldest first.
    pub fn privacy_log(&self) -> Result<Vec<PrivacyLogEntry>> {
        Ok(self
            .conn
            .prepare("SELECT id, at, action, key_hash, rows FROM privacy_log ORDER BY id")?
            .query_map([], |r| {
                Ok(PrivacyLogEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    action: r.get(2)?,
                    key_hash: r.get(3)?,
                    rows: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// Whether any identity was ever erased (an import checks keys only then).
pub(crate) fn any_erased(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM erased_keys)", [], |r| {
        r.get(0)
    })
}

/// Whether `platform:buyer_key` was erased: one indexed look-up.
pub(crate) fn is_erased(
    conn: &Connection,
    platform: &str,
    buyer_key: &str,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM erased_keys WHERE key_hash = ?")?
        .query_row([key_hash(platform, buyer_key)], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The erasures of the database `current` made good in the database file at
/// `restored` (a backup about to be restored): every customer there whose
/// identity the current database erased is erased again, and the erased keys
/// and the privacy log's entries it lacks are carried over, so a restore
/// never brings back a person erased after the backup was written. Returns
/// how many customers were erased again. A current database without
/// erasures (or unreadable: a restore over a damaged file) carries nothing.
pub(crate) fn carry_erasures(current: &Connection, restored: &std::path::Path) -> Result<usize> {
    let keys: Vec<(String, String)> = match current
        .prepare("SELECT key_hash, at FROM erased_keys")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        }) {
        Ok(k) if !k.is_empty() => k,
        _ => return Ok(0),
    };
    type LogRow = (String, String, String, i64);
    let logged: Vec<LogRow> = current
        .prepare("SELECT at, action, key_hash, rows FROM privacy_log ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let erased: std::collections::HashSet<&str> = keys.iter().map(|(h, _)| h.as_str()).collect();
    let mut store = Store::open(restored)?;
    // Every identity of the backup still there, hashed as erasure hashes it.
    let hits: Vec<i64> = {
        let mut stmt = store.conn.prepare(
            "SELECT coalesce(merged_into, id), platform, buyer_key FROM customers
             WHERE erased_at IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut hits = Vec::new();
        for row in rows {
            let (cid, platform, key) = row?;
            if erased.contains(key_hash(&platform, &key).as_str()) {
                hits.push(cid);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    };
    for &cid in &hits {
        store.privacy_erase(cid)?;
    }
    let tx = store.conn.transaction()?;
    {
        let mut ins =
            tx.prepare("INSERT OR IGNORE INTO erased_keys (key_hash, at) VALUES (?, ?)")?;
        for (h, at) in &keys {
            ins.execute(params![h, at])?;
        }
        let mut has = tx.prepare(
            "SELECT EXISTS (SELECT 1 FROM privacy_log WHERE at = ? AND action = ? AND key_hash = ?)",
        )?;
        for (at, action, h, rows) in &logged {
            if !has.query_row(params![at, action, h], |r| r.get::<_, bool>(0))? {
                log(&tx, action, h, u64::try_from(*rows).unwrap_or(0), at)?;
            }
        }
    }
    tx.commit()?;
    store.conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(hits.len())
}
