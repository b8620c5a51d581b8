//! What importing one file did, as the CLI, the app and `--json` report it.

use super::record::{RejectedRow, ReportKind};
use crate::domain::Platform;
use serde::Serialize;
use std::collections::BTreeMap;

/// What importing one file did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    pub file: String,
    /// The import batch this file became (`kehu undo BATCH` undoes it); none
    /// on a dry run.
    pub batch: Option<i64>,
    pub kind: Option<ReportKind>,
    pub platform: Option<Platform>,
    pub encoding: String,
    pub rows: u64,
    pub orders_new: u64,
    pub orders_updated: u64,
    pub orders_unchanged: u64,
    /// Rows older than what is stored (a lower status): ignored.
    pub orders_stale: u64,
    pub customers_new: u64,
    /// Item rows of orders kehu holds (an item report's lines).
    pub lines: u64,
    /// Item rows written (the others were already stored as they are).
    pub lines_written: u64,
    /// Item rows of an older report (their status behind the stored lines'): ignored.
    pub lines_stale: u64,
    /// Serialized by the caller, which puts the reasons into the reader's words.
    #[serde(skip)]
    pub rejected: Vec<RejectedRow>,
    /// Status texts kehu does not know, with how many orders carry each.
    pub unknown_statuses: BTreeMap<String, u64>,
    /// Lines of order rows whose order an earlier row of the same file
    /// already gave, with different facts (the later row wins).
    pub duplicate_rows: Vec<u64>,
}
