//! The seller's own edits on a customer that keep their history: notes edited
//! or deleted (their earlier texts stay in `note_history`), and the blacklist
//! (every listing and un-listing in `blacklist_events`, with the reason).

use super::Store;
use super::ledger::{Refused, customer_label, no_customer};
use crate::domain::time;
pub use crate::model::{Actor, BlacklistEvent, NoteHistory, NoteVersion};
use anyhow::Result;
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

impl BlacklistEvent {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<BlacklistEvent> {
        Ok(BlacklistEvent {
            at: r.get(0)?,
            listed: r.get::<_, i64>(1)? != 0,
            reason: r.get(2)?,
            actor: r.get(3)?,
        })
    }
}

const BLACKLIST_COLS: &str = "at, listed, reason, actor";

impl Store {
    /// The latest blacklist change of a customer, if any.
    pub fn blacklist_latest(&self, customer_id: i64) -> Result<Option<BlacklistEvent>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {BLACKLIST_COLS} FROM blacklist_events WHERE customer_id = ? ORDER BY id DESC LIMIT 1"
            ))?
            .query_row([customer_id], BlacklistEvent::from_row)
            .optional()?)
    }

    /// Every blacklist change of a customer, oldest first.
    pub fn blacklist_history(&self, customer_id: i64) -> Result<Vec<BlacklistEvent>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {BLACKLIST_COLS} FROM blacklist_events WHERE customer_id = ? ORDER BY id"
            ))?
            .query_map([customer_id], BlacklistEvent::from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Put a customer on the blacklist, with the reason (required), now.
    /// Refused when the reason is empty, the customer unknown or already listed.
    pub fn blacklist(&mut self, customer_id: i64, reason: &str, actor: Actor) -> Result<()> {
        let reason = crate::domain::text::one_line(reason.trim()).into_owned();
        if reason.is_empty() {
            return Err(Refused::new("请写明拉黑原因", "give the reason for blacklisting").into());
        }
        self.set_listed(customer_id, true, &reason, actor)
    }

    /// Take a customer off the blacklist, now. Refused when not listed.
    pub fn unblacklist(&mut self, customer_id: i64, actor: Actor) -> Result<()> {
        self.set_listed(customer_id, false, "", actor)
    }

    fn set_listed(&mut self, customer_id: i64, on: bool, reason: &str, actor: Actor) -> Result<()> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(label) = customer_label(&tx, customer_id)? else {
            return Err(no_customer(customer_id));
        };
        let listed: bool = tx.query_row(
            "SELECT blacklisted FROM customers WHERE id = ?",
            [customer_id],
            |r| Ok(r.get::<_, i64>(0)? != 0),
        )?;
        if listed == on {
            return Err(if on {
                Refused::new(
                    format!("{label} 已在黑名单上"),
                    format!("{label} is already blacklisted"),
                )
            } else {
                Refused::new(
                    format!("{label} 不在黑名单上"),
                    format!("{label} is not blacklisted"),
                )
            }
            .into());
        }
        tx.execute(
            "UPDATE customers SET blacklisted = ? WHERE id = ?",
            params![i64::from(on), customer_id],
        )?;
        tx.execute(
            "INSERT INTO blacklist_events (customer_id, at, listed, reason, actor) VALUES (?, ?, ?, ?, ?)",
            params![customer_id, time::now_text(), i64::from(on), reason, actor.code()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Replace a note's text; the text it had is kept in its history.
    /// Unchanged text writes nothing.
    pub fn edit_note(&mut self, note_id: i64, body: &str, actor: Actor) -> Result<()> {
        let body = body.trim();
        if body.is_empty() {
            return Err(Refused::new(
                "备注不能为空（要删除请用删除）",
                "a note cannot be empty (delete it instead)",
            )
            .into());
        }
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = live_note(&tx, note_id)?;
        if old == body {
            return Ok(());
        }
        let now = time::now_text();
        tx.execute(
            "INSERT INTO note_history (note_id, at, kind, body, actor) VALUES (?, ?, 'edit', ?, ?)",
            params![note_id, now, old, actor.code()],
        )?;
        tx.execute(
            "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
            params![body, now, note_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Delete a note from the card; it stays, with its history, marked deleted.
    pub fn delete_note(&mut self, note_id: i64, actor: Actor) -> Result<()> {
        self.before_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = live_note(&tx, note_id)?;
        let now = time::now_text();
        tx.execute(
            "INSERT INTO note_history (note_id, at, kind, body, actor) VALUES (?, ?, 'delete', ?, ?)",
            params![note_id, now, old, actor.code()],
        )?;
        tx.execute(
            "UPDATE notes SET deleted_at = ? WHERE id = ?",
            params![now, note_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every note of a customer, deleted ones too, newest first, each with
    /// its changes.
    pub fn note_history(&self, customer_id: i64) -> Result<Vec<NoteHistory>> {
        let mut notes: Vec<NoteHistory> = self
            .conn
            .prepare_cached(
                "SELECT id, created_at, updated_at, body, deleted_at FROM notes
                 WHERE customer_id = ? ORDER BY created_at DESC, id DESC",
            )?
            .query_map([customer_id], |r| {
                Ok(NoteHistory {
                    id: r.get(0)?,
                    created_at: r.get(1)?,
                    updated_at: r.get(2)?,
                    body: r.get(3)?,
                    deleted_at: r.get(4)?,
                    changes: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self.conn.prepare_cached(
            "SELECT at, kind, body, actor FROM note_history WHERE note_id = ? ORDER BY id",
        )?;
        for n in &mut notes {
            n.changes = st
                .query_map([n.id], |r| {
                    Ok(NoteVersion {
                        at: r.get(0)?,
                        kind: r.get(1)?,
                        body: r.get(2)?,
                        actor: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(notes)
    }
}

/// A note's text, refused when there is no such note or it was deleted.
fn live_note(tx: &rusqlite::Transaction<'_>, note_id: i64) -> Result<String> {
    let row: Option<(String, Option<String>)> = tx
        .query_row(
            "SELECT body, deleted_at FROM notes WHERE id = ?",
            [note_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((body, None)) => Ok(body),
        Some((_, Some(_))) => Err(Refused::new(
            format!("备注 {note_id} 已删除"),
            format!("note {note_id} was deleted"),
        )
        .into()),
        None => Err(Refused::new(
            format!("没有编号为 {note_id} 的备注"),
            format!("no note {note_id}"),
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::MIGRATIONS;
    use super::*;

    fn store() -> Store {
        crate::domain::time::pin_now(crate::domain::time::parse_stored("2025-12-01 09:00:00"));
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute(
                "INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00')",
                [],
            )
            .unwrap();
        store
    }

    #[test]
    fn blacklisting_needs_a_reason_and_keeps_every_change() {
        let mut s = store();
        assert!(s.blacklist(1, "  ", Actor::App).is_err());
        assert!(s.blacklist(99, "x", Actor::App).is_err());
        assert!(s.unblacklist(1, Actor::App).is_err(), "not listed");
        s.blacklist(1, "恶意差评 要挟退款", Actor::App).unwrap();
        assert!(
            s.blacklist(1, "again", Actor::Cli).is_err(),
            "already listed"
        );
        assert!(s.customer(1).unwrap().unwrap().blacklisted);
        let blacklist_problems = |s: &Store| {
            s.check()
                .unwrap()
                .problems
                .iter()
                .filter(|p| p.contains("黑名单"))
                .count()
        };
        assert_eq!(blacklist_problems(&s), 0);
        s.unblacklist(1, Actor::Cli).unwrap();
        assert!(!s.customer(1).unwrap().unwrap().blacklisted);
        s.conn
            .execute("UPDATE customers SET blacklisted = 1 WHERE id = 1", [])
            .unwrap();
        assert_eq!(
            blacklist_problems(&s),
            1,
            "check sees a flag the history does not explain"
        );
        s.conn
            .execute("UPDATE customers SET blacklisted = 0 WHERE id = 1", [])
            .unwrap();
        let h = s.blacklist_history(1).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].listed, h[0].reason.as_str(), h[0].actor.as_str()),
            (true, "恶意差评 要挟退款", "app")
        );
        assert_eq!(h[0].at.as_deref(), Some("2025-12-01 09:00:00"));
        assert_eq!((h[1].listed, h[1].actor.as_str()), (false, "cli"));
        assert_eq!(s.blacklist_latest(1).unwrap(), Some(h[1].clone()));
    }

    #[test]
    fn notes_keep_their_earlier_texts_and_their_deletion() {
        let mut s = store();
        let id = s.add_note(1, "要发顺丰").unwrap();
        s.edit_note(id, "要发顺丰，不要韵达", Actor::App).unwrap();
        s.edit_note(id, "要发顺丰，不要韵达", Actor::App).unwrap();
        assert!(s.edit_note(id, " ", Actor::App).is_err());
        let card = s.customer_card(1, 5).unwrap().unwrap();
        assert_eq!(card.notes[0].body, "要发顺丰，不要韵达");
        s.delete_note(id, Actor::Cli).unwrap();
        assert!(s.customer_card(1, 5).unwrap().unwrap().notes.is_empty());
        assert!(s.edit_note(id, "x", Actor::App).is_err(), "deleted");
        assert!(s.delete_note(id, Actor::App).is_err(), "deleted once");
        let h = s.note_history(1).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].body, "要发顺丰，不要韵达");
        assert_eq!(h[0].deleted_at.as_deref(), Some("2025-12-01 09:00:00"));
        let changes: Vec<(&str, &str)> = h[0]
            .changes
            .iter()
            .map(|c| (c.kind.as_str(), c.body.as_str()))
            .collect();
        assert_eq!(
            changes,
            [("edit", "要发顺丰"), ("delete", "要发顺丰，不要韵达")]
        );
    }

    /// A database at the schema before this migration opens with its notes
    /// intact and its blacklisted customers' listings in the history.
    #[test]
    fn upgrade_keeps_notes_and_records_existing_listings() {
        let mine = MIGRATIONS
            .iter()
            .position(|m| m.contains("CREATE TABLE note_history"))
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("before.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..mine] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(&format!(
                "PRAGMA user_version = {mine};
                 INSERT INTO customers (id, platform, buyer_key, nick, created_at, blacklisted) VALUES
                   (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00', 1),
                   (2, 'taobao', 'b', 'b', '2024-01-01 00:00:00', 0);
                 INSERT INTO notes (customer_id, created_at, updated_at, body) VALUES
                   (2, '2024-02-01 10:00:00', '2024-02-01 10:00:00', '老客户');"
            ))
            .unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let h = s.blacklist_history(1).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].listed, h[0].at.as_deref()), (true, None));
        assert!(s.blacklist_history(2).unwrap().is_empty());
        let card = s.customer_card(2, 5).unwrap().unwrap();
        assert_eq!(card.notes[0].body, "老客户");
        s.edit_note(card.notes[0].id, "老客户，好评多", Actor::App)
            .unwrap();
        s.unblacklist(1, Actor::App).unwrap();
        assert_eq!(s.blacklist_history(1).unwrap().len(), 2);
    }
}
