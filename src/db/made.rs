//! What a person made in a database (notes, tags, the blacklist, complaints
//! and their moves, redemptions, adjustments and compensation, follow-ups), as
//! opposed to what imports and the demo generated. `kehu demo` asks before it
//! replaces a database: the demo's own complaints and redemptions sit below a
//! baseline it records when it is built; anything past it a person did.

use super::Store;
use anyhow::Result;
use rusqlite::{OptionalExtension, params};

/// The settings key of the demo's baseline: the highest complaint event,
/// ledger, follow-up event, feedback and campaign ids the demo itself wrote
/// (an older baseline holds the first two; the others are then 0).
const DEMO_BASELINE: &str = "demo_baseline";

/// Counts of what a person made. All zero: nothing a person would miss.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonMade {
    /// Notes, deleted ones included (they keep their history).
    pub notes: i64,
    pub tags: i64,
    /// Buyers on the blacklist, or on it once.
    pub blacklisted: i64,
    /// Complaints recorded, or moved, by a person.
    pub complaints: i64,
    /// Redemptions, adjustments and compensation entries a person wrote.
    pub points: i64,
    /// Follow-ups (回访) added, done or skipped by a person.
    pub follow_ups: i64,
    /// Feedback records and campaigns a person recorded.
    pub feedback: i64,
    pub campaigns: i64,
}

impl PersonMade {
    pub fn is_empty(&self) -> bool {
        *self == PersonMade::default()
    }
}

impl Store {
    /// Record that everything so far is the demo's own (call once it is built).
    pub fn mark_demo_baseline(&self) -> Result<()> {
        let max = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let ids: Vec<String> = [
            "complaint_events",
            "ledger",
            "followup_events",
            "feedback",
            "campaigns",
        ]
        .iter()
        .map(|t| max(&format!("SELECT coalesce(max(id), 0) FROM {t}")).map(|n| n.to_string()))
        .collect::<Result<_>>()?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![DEMO_BASELINE, ids.join(" ")],
        )?;
        Ok(())
    }

    /// What a person made here: everything past the demo's baseline (all of
    /// it in a database the demo did not build).
    pub fn person_made(&self) -> Result<PersonMade> {
        let baseline: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?",
                [DEMO_BASELINE],
                |r| r.get(0),
            )
            .optional()?;
        let ids: Vec<i64> = baseline
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        let base = |i: usize| ids.get(i).copied().unwrap_or(0);
        let (events, ledger, fevents, feedback, campaigns) =
            (base(0), base(1), base(2), base(3), base(4));
        let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<i64> {
            Ok(self.conn.query_row(sql, p, |r| r.get(0))?)
        };
        let made = PersonMade {
            notes: count("SELECT count(*) FROM notes", &[])?,
            tags: count("SELECT count(*) FROM tags", &[])?,
            // Listed now, or listed once and taken off (the history stays).
            blacklisted: count(
                "SELECT count(*) FROM customers WHERE blacklisted != 0
                 OR id IN (SELECT customer_id FROM blacklist_events)",
                &[],
            )?,
            // A new complaint has its 'create' event, a moved one its move.
            complaints: count(
                "SELECT count(DISTINCT complaint_id) FROM complaint_events WHERE id > ?",
                &[&events],
            )?,
            points: count(
                "SELECT count(*) FROM ledger WHERE id > ? AND kind IN ('redeem', 'adjust', 'compensation')",
                &[&ledger],
            )?,
            follow_ups: count(
                "SELECT count(DISTINCT followup_id) FROM followup_events WHERE id > ?",
                &[&fevents],
            )?,
            feedback: count(
                "SELECT count(*) FROM feedback WHERE id > ? AND source NOT IN ('followup', 'complaint')",
                &[&feedback],
            )?,
            campaigns: count("SELECT count(*) FROM campaigns WHERE id > ?", &[&campaigns])?,
        };
        Ok(made)
    }
}
