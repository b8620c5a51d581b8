//! Merges of two customers into one: suggestions, a merge done, and the log.

use crate::domain::merge::Evidence;

/// Two customers who may be one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePair {
    /// The suggested survivor (more orders; the older customer on a tie).
    pub a_id: i64,
    pub b_id: i64,
    /// `platform:key` of each.
    pub a: String,
    pub b: String,
    pub score: u32,
    /// The evidence, strongest first.
    pub evidence: Vec<Evidence>,
}

impl MergePair {
    /// The evidence's codes, strongest first (for `i18n::merge::why`).
    pub fn why_codes(&self) -> Vec<&'static str> {
        self.evidence.iter().map(|e| e.code()).collect()
    }
}

/// What `merge` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MergeDone {
    pub merge_id: i64,
    /// `platform:key` of the survivor and of the customer merged into it.
    pub survivor: String,
    pub merged: String,
}

/// One merge in the log, with its undo when there was one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MergeRecord {
    pub merge_id: i64,
    pub survivor_id: i64,
    pub merged_id: i64,
    pub survivor: String,
    pub merged: String,
    pub at: String,
    pub undone_at: Option<String>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MergeUndone {
    pub merge_id: i64,
    pub survivor: String,
    pub restored: String,
}
