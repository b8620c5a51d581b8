//! The store: the only module that speaks SQL. One SQLite file, migrated on open.

mod admin;
mod analyse;
mod backups;
mod busy;
mod campaigns;
mod complaints;
mod customer_find;
mod dbfile;
mod export;
mod first_import;
mod followups;
mod history;
mod identity;
mod keyset;
mod ledger;
mod load;
mod lookup;
mod made;
mod merge;
mod merge_rows;
mod merge_suggest;
mod merge_undo;
#[cfg(test)]
mod migration_tests;
mod orders_find;
mod pinyin;
mod predict;
mod privacy;
mod query;
mod rhythm;
mod satisfaction;
mod segment_sql;
mod suggest;
mod suggest_inc;
mod summary;
mod today;
mod undo;
mod undo_keep;
mod views;

pub use crate::i18n::Refused;
pub use admin::{CheckReport, RejectEntry};
pub use backups::{
    BackupFile, DEFAULT_KEEP as DEFAULT_BACKUPS_KEEP, Restored, backups_dir, list_backups, restore,
};
pub use busy::{ImportLock, ImportRunning, import_running, is_busy, wait_for_import};
pub use complaints::{
    ComplaintDetail, ComplaintEvent, ComplaintFilter, ComplaintMove, ComplaintRow, ComplaintStats,
    CountBy, NewComplaint,
};
pub use customer_find::CustomerMatch;
pub use dbfile::{Access, Notice, sqlite_refusal};
pub use export::{CustomerExport, ExportScope, OrderExport};
pub use history::{Actor, BlacklistEvent, NoteHistory, NoteVersion};
pub use identity::FileIdentity;
pub use keyset::{Direction, flip_read};
pub use ledger::{LedgerEntry, PointsBalance};
pub(crate) use load::trace as trace_import;
pub use load::{FileSummary, ImportError, ImportOptions};
pub use lookup::{
    COUNT_CAP, LookupHit, LookupPage, MatchField, MatchRank, Matched, trace as lookup_trace,
};
pub use made::PersonMade;
pub use privacy::{Erased, PrivacyLogEntry, key_hash as privacy_key_hash};
pub use query::{CustomerCard, CustomerRow, OrderDetail, OrderRow, Stats};
pub use summary::Count;
pub use today::SECTION_MAX as TODAY_SECTION_MAX;
pub use views::{Cursor, CustomerQuery, CustomerSort, OrderQuery, SortValue};

use crate::domain::time;
use crate::i18n::{Explain, Failed, Text};
use anyhow::Result;
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
    include_str!("migrations/009_followups_feedback_campaigns.sql"),
    include_str!("migrations/010_reorder_rhythm.sql"),
    include_str!("migrations/011_pinyin.sql"),
    include_str!("migrations/012_predictions.sql"),
    include_str!("migrations/013_suggestions.sql"),
    include_str!("migrations/014_analyse_index.sql"),
    include_str!("migrations/015_merge.sql"),
    include_str!("migrations/016_privacy.sql"),
    include_str!("migrations/017_undo.sql"),
    include_str!("migrations/018_erased_texts.sql"),
    include_str!("migrations/019_fewer_order_indexes.sql"),
    include_str!("migrations/020_undo_new_lines.sql"),
];

/// The page cache of the connection, in KiB (bulk imports use more while they run).
const CACHE_KIB: u32 = 32_768;

/// How long a write waits for another writer before SQLite says busy.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The one owner of the database connection.
/// What the config in force asks of a database kehu opens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// The points rule: points earned per yuan paid.
    pub points_per_yuan: i64,
    /// The follow-up planning rules, run after every import, and what they
    /// read tiers and segments by.
    pub followup_rules: Vec<crate::domain::followup::Rule>,
    pub tiers: crate::domain::tier::TierThresholds,
    pub segments: crate::domain::segment::SegmentRules,
    /// Automatic backups kept (`None`: the default, 10; 0: none written).
    pub backups_keep: Option<usize>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    notice: Option<Notice>,
    /// The config's settings once applied (follow-up planning reads them).
    settings: Option<Settings>,
    /// Writes wait for a running import instead of being refused.
    wait: bool,
    /// The last order report's map of order numbers, for the item report
    /// after it in the same run (db/load).
    carried: Option<load::Carried>,
    /// A first import's new file is written to disk while it is built
    /// (db/first_import.rs).
    syncer: Option<first_import::Syncer>,
}

impl Store {
    /// Open (creating if needed, mode 0600) and migrate the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_as(path, Access::Write)
    }

    /// Open the database at `path` for `access`. Nothing is changed before
    /// the file is known to be kehu's and of a version this kehu knows: a
    /// file that is not SQLite, another program's database and a newer
    /// kehu's are refused untouched. For writing, a missing file is created
    /// (0600), a read-only one refused, and one open to others made 0600
    /// ([`Store::take_notice`] says so). For reading, a read-only file or folder
    /// is opened read-only.
    pub fn open_as(path: &Path, access: Access) -> Result<Store> {
        let writable = access == Access::Write || dbfile::writable(path);
        if access == Access::Write {
            if path.exists() && !dbfile::writable(path) {
                return Err(dbfile::read_only(path).into());
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_said(|| {
                    let d = dir.display();
                    Text::new(
                        format!("无法创建目录 {d}"),
                        format!("cannot create the folder {d}"),
                    )
                })?;
            }
            create_private(path)?;
        }
        // Whether the file is SQLite at all is SQLite's to say (NOTADB on
        // the first read below). kehu never opens the file itself: closing
        // any descriptor of it drops the POSIX locks of every connection this
        // process holds on it (the app's, while its import worker opens a
        // second), and another process's checkpoint would then pull the
        // write-ahead log from under them.
        let refuse = |e: rusqlite::Error| -> anyhow::Error {
            match dbfile::sqlite_refusal(&e, path) {
                Some(r) => r.into(),
                None => {
                    let p = path.display();
                    let text = Text::new(
                        format!("无法打开数据库 {p}"),
                        format!("cannot open the database {p}"),
                    );
                    Failed::wrap(text, e)
                }
            }
        };
        let conn = if writable {
            Connection::open(path).map_err(refuse)?
        } else {
            dbfile::open_read_only(path).map_err(refuse)?
        };
        // SQLite falls back to reading when the OS refuses writing.
        let read_only = !writable || conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
        if read_only && access == Access::Write {
            return Err(dbfile::read_only(path).into());
        }
        let version = dbfile::check_schema(&conn, path, MIGRATIONS.len())?;
        if read_only && version < MIGRATIONS.len() {
            let p = path.display();
            return Err(Refused::new(
                format!("数据库 {p} 是只读的，而它需要先升级到这个 kehu 的结构版本；请让它可写后再运行一次"),
                format!("database {p} is read-only and needs upgrading to this kehu's schema first; make it writable and run again"),
            )
            .into());
        }
        let notice = if read_only {
            None
        } else {
            dbfile::make_private(path)
        };
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            notice,
            settings: None,
            wait: false,
            carried: None,
            syncer: None,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Open the database at `path` for `access` with the settings of the
    /// config in force: the one way the CLI, the app and its import worker
    /// open a database (see [`Store::open_as`] and [`Store::apply_settings`]).
    pub fn open_configured(path: &Path, access: Access, settings: &Settings) -> Result<Store> {
        let mut store = Store::open_as(path, access)?;
        store.apply_settings(settings)?;
        Ok(store)
    }

    /// Bring the config's settings into force in the database: its points
    /// rule (every order reconciled when it changed). A read-only store is
    /// read as it is.
    pub fn apply_settings(&mut self, settings: &Settings) -> Result<()> {
        self.settings = Some(settings.clone());
        if self.read_only {
            return Ok(());
        }
        self.set_points_per_yuan(settings.points_per_yuan)
    }

    /// Plan follow-ups by the rules of the settings in force (none before
    /// [`Store::apply_settings`]): what importing does after its files.
    pub fn plan_by_settings(&mut self) -> Result<crate::model::PlanResult> {
        let Some(s) = self.settings.clone() else {
            return Ok(crate::model::PlanResult::default());
        };
        if s.followup_rules.is_empty() {
            return Ok(crate::model::PlanResult::default());
        }
        self.plan_followups(&s.followup_rules, &s.tiers, &s.segments, false)
    }

    /// Whether the database was opened read-only (a read command on a
    /// read-only file or folder).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// What opening changed that the seller should hear about, once.
    pub fn take_notice(&mut self) -> Option<Notice> {
        self.notice.take()
    }

    /// An in-memory store, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: PathBuf::from(":memory:"),
            read_only: false,
            notice: None,
            settings: None,
            wait: false,
            carried: None,
            syncer: None,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<()> {
        if self.read_only {
            self.conn.execute_batch(
                "PRAGMA query_only = ON;
                 PRAGMA foreign_keys = ON;
                 PRAGMA temp_store = MEMORY;",
            )?;
        } else {
            // SQLite's 4 KiB pages: at 1M orders, 8 and 16 KiB pages made a
            // first import no faster in alternating runs, and the phone-tail
            // lookup slower (15.6 / 16.5 / 18.4 ms; docs/benchmarks.md).
            self.conn.execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA temp_store = MEMORY;",
            )?;
        }
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
        pinyin::register(&self.conn)?;
        // sum() that never fails: exact in i128, clamped to i64 at the end.
        // Amounts imported are bounded per order, so totals fit; this keeps
        // `stats` and `check` answering on whatever an older kehu stored.
        self.conn.create_aggregate_function(
            "kehu_sum",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            CheckedSum,
        )?;
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
            let p = self.path.display();
            return Err(Text::new(
                format!("数据库 {p} 由更新版本的 kehu 创建（结构版本 {version}），请升级 kehu"),
                format!(
                    "database {p} was made by a newer kehu (schema version {version}); upgrade kehu"
                ),
            )
            .into());
        }
        if version == MIGRATIONS.len() {
            return Ok(());
        }
        // A migration that rewrites a big table (005 drops a column of `orders`)
        // keeps its statement journal in a temporary file, not in memory.
        let pending = version < MIGRATIONS.len();
        if pending {
            self.conn.execute_batch("PRAGMA temp_store = FILE")?;
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            if let Err(e) = tx.execute_batch(sql) {
                return Err(dbfile::migration_refusal(&e, &self.path, i + 1).into());
            }
            if i + 1 == 2 {
                // Points for orders imported before the ledger existed: one full pass.
                ledger::reconcile(&tx, ledger::Scope::All)?;
            }
            if i + 1 == 10 {
                // Every buyer's rhythm, from the orders already stored.
                rhythm::refresh(&tx, "SELECT id FROM customers")?;
            }
            if i + 1 == 11 {
                // Pinyin keys and name sort keys of the customers already
                // stored (pinyin is not computed in SQL).
                pinyin::backfill(&tx)?;
            }
            if i + 1 == 13 {
                // The suggestions' counts, from the orders already stored.
                suggest::rebuild(&tx, &Default::default())?;
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

/// `kehu_sum(x)`: the sum of the integers (and reals, truncated) in `x`,
/// never an overflow error: kept in i128, clamped to the i64 range.
struct CheckedSum;

impl rusqlite::functions::Aggregate<i128, i64> for CheckedSum {
    fn init(&self, _: &mut rusqlite::functions::Context<'_>) -> rusqlite::Result<i128> {
        Ok(0)
    }

    fn step(
        &self,
        ctx: &mut rusqlite::functions::Context<'_>,
        acc: &mut i128,
    ) -> rusqlite::Result<()> {
        use rusqlite::types::ValueRef;
        let v: i128 = match ctx.get_raw(0) {
            ValueRef::Integer(i) => i128::from(i),
            // `as` saturates (and NaN is 0).
            ValueRef::Real(f) => f as i64 as i128,
            _ => 0,
        };
        *acc = acc.saturating_add(v);
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut rusqlite::functions::Context<'_>,
        acc: Option<i128>,
    ) -> rusqlite::Result<i64> {
        let v = acc.unwrap_or(0);
        Ok(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
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
        Err(e) => Err(e).with_said(|| {
            let p = path.display();
            Text::new(
                format!("无法创建数据库文件 {p}"),
                format!("cannot create the database file {p}"),
            )
        }),
    }
}

/// The default database path in the user data dir.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "kehu").ok_or_else(|| {
        Text::new(
            "找不到用户数据目录；请用 --db 指定数据库文件",
            "no user data folder found; name the database file with --db",
        )
    })?;
    Ok(dirs.data_dir().join("kehu.db"))
}
