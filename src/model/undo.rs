//! Import batches as `kehu batches` lists them, and what an undo did.

/// One import batch (one file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchRow {
    pub id: i64,
    pub at: String,
    pub file: String,
    pub kind: String,
    pub platform: String,
    pub new: i64,
    pub updated: i64,
    pub rejected: i64,
    /// Whether the batch kept what an undo needs (imported by this kehu).
    pub undoable: bool,
    pub undone_at: Option<String>,
}

/// What an undo did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchUndone {
    pub batch: i64,
    pub orders_removed: i64,
    pub orders_restored: i64,
    pub customers_removed: i64,
    pub rejects_removed: i64,
    pub ledger_entries: i64,
}
