//! kehu (客户): a terminal CRM for the solo online seller, over one SQLite file.

// Nothing a file or a seller types may panic kehu through `unwrap` (tests may).
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
// No `unsafe` but in `db/dbfile.rs` (one access(2) call), which says why.
#![deny(unsafe_code)]

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod ingest;
pub mod model;
pub mod ui;
