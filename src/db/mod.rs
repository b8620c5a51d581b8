//! The store: the only module that speaks SQL. One SQLite file, migrated on open.

mod admin;
mod busy;
mod complaints;
mod customer_find;
mod export;
mod files;
mod history;
mod identity;
mod ledger;
mod load;
mod lookup;
mod made;
mod orders_find;
mod query;
mod summary;
mod views;

pub use admin::{CheckReport, RejectEntry};
pub use busy::{ImportRunning, import_running, is_busy, wait_for_import};
pub use complaints::{
    ComplaintDetail, ComplaintEvent, ComplaintMove, ComplaintRow, ComplaintStats, CountBy,
    NewComplaint,
};
pub use customer_find::CustomerMatch;
pub use export::{CustomerExport, ExportScope, OrderExport};
pub use files::{FileProgress, ImportRun, RefusedFile, is_report_name};
pub use history::{Actor, BlacklistEvent, NoteHistory, NoteVersion};
pub use identity::FileIdentity;
pub use ledger::{LedgerEntry, PointsBalance, Refused};
pub use load::{FileSummary, ImportError, ImportOptions};
pub use lookup::{
    COUNT_CAP, LookupHit, LookupPage, MatchField, MatchRank, Matched, trace as lookup_trace,
};
pub use made::PersonMade;
pub use query::{CustomerCard, CustomerRow, OrderDetail, OrderRow, Stats};
pub use summary::Count;
pub use views::{Cursor, CustomerQuery, CustomerSort, Direction, OrderQuery, SortValue, flip_read};

use crate::domain::time;
use anyhow::{Context, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Numbered migrations; `PRAGMA user_version` records how many are applied.
/// Never edit one that has shipped: add the next.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_foundation.sql"),
    include_str!("migrations/002_complaints_ledger.sql"),
    include_str!("migrations/003_list_filters.sql"),
    include_str!("migrations/004_segment_filters.sql"),
    include_str!("migrations/005_lines_fp_side_table.sql"),
    include_str!("migrations/006_valid_orders_reject_codes.sql"),
    include_str!("migrations/007_lookup_indexes.sql"),
    include_str!("migrations/008_note_history_blacklist_reasons.sql"),
];

/// The page cache of the connection, in KiB (bulk imports use more while they run).
const CACHE_KIB: u32 = 32_768;

/// How long a write waits for another writer before SQLite says busy.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The one owner of the database connection.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Writes wait for a running import instead of being refused.
    wait: bool,
}

impl Store {
    /// Open (creating if needed, mode 0600) and migrate the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("无法创建目录 {}", dir.display()))?;
        }
        create_private(path)?;
        let conn =
            Connection::open(path).with_context(|| format!("无法打开数据库 {}", path.display()))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            wait: false,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// An in-memory store, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: PathBuf::from(":memory:"),
            wait: false,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<()> {
        self.conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        self.conn
            .pragma_update(None, "cache_size", -(CACHE_KIB as i64))?;
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.set_prepared_statement_cache_capacity(64);
        // kehu's one clock (`KEHU_NOW` or pinned), for SQL that needs "now".
        use rusqlite::functions::FunctionFlags;
        self.conn
            .create_scalar_function("kehu_now", 0, FunctionFlags::SQLITE_UTF8, |_| {
                Ok(time::now_text())
            })?;
        self.conn.create_scalar_function(
            "kehu_spend_since",
            0,
            FunctionFlags::SQLITE_UTF8,
            |_| {
                let (since, _) = crate::domain::tier::spend_window(time::beijing_now());
                Ok(time::fmt(since))
            },
        )?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let version: usize = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?
            .try_into()
            .unwrap_or(0);
        if version > MIGRATIONS.len() {
            anyhow::bail!(
                "数据库 {} 由更新版本的 kehu 创建（结构版本 {version}），请升级 kehu",
                self.path.display()
            );
        }
        // A migration that rewrites a big table (005 drops a column of `orders`)
        // keeps its statement journal in a temporary file, not in memory.
        let pending = version < MIGRATIONS.len();
        if pending {
            self.conn.execute_batch("PRAGMA temp_store = FILE")?;
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)
                .with_context(|| format!("迁移 {} 失败", i + 1))?;
            if i + 1 == 2 {
                // Points for orders imported before the ledger existed: one full pass.
                ledger::reconcile(&tx, ledger::Scope::All)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        if pending {
            self.conn.execute_batch("PRAGMA temp_store = MEMORY")?;
        }
        Ok(())
    }

    /// The schema version in force.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// Create the database file readable by its owner only, before SQLite opens it
/// (SQLite gives its -wal and -shm files the same mode).
fn create_private(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("无法创建数据库文件 {}", path.display())),
    }
}

/// The default database path in the user data dir.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "kehu")
        .context("找不到用户数据目录；请用 --db 指定数据库文件")?;
    Ok(dirs.data_dir().join("kehu.db"))
}
