//! Automatic backups and restore. Before every import (not a dry run, not
//! into an empty database) and once a day when the app opens, kehu writes a
//! consistent copy (SQLite's online backup, page for page) into `backups/` beside the database:
//! `<db name>-YYYYMMDD-HHMMSS[-reason].db`, owner-only (0600, folder 0700),
//! written under a temporary name and renamed, so a listed backup is always
//! whole. The last N are kept (`[backups] keep` in the config).
//!
//! `restore` checks a file (SQLite, integrity, kehu's tables, a schema this
//! kehu knows), keeps the current database as one more backup and swaps a
//! checked copy in by rename: at any moment the database path holds either
//! the old database or the restored one.

use super::{Refused, Store, dbfile};
use crate::i18n::backup as say;
use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Backups kept when the config does not say.
pub const DEFAULT_KEEP: usize = 10;

/// One file in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupFile {
    pub file: String,
    /// When it was written, Beijing time (`YYYY-MM-DD HH:MM:SS`).
    pub time: String,
    pub size: u64,
    /// `import`, `daily`, `before-restore`, or empty.
    pub reason: String,
    /// The schema version in the file's header (`None` when unreadable).
    pub schema_version: Option<u32>,
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    modified: Option<std::time::SystemTime>,
}

/// The backups folder of the database at `db`.
pub fn backups_dir(db: &Path) -> PathBuf {
    match db.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(d) => d.join("backups"),
        None => PathBuf::from("backups"),
    }
}

fn db_stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kehu".into())
}

/// `(time, reason)` of a backup's name, or `None` when it is not one.
fn parse_name(name: &str, stem: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?;
    let rest = rest.strip_suffix(".db")?;
    let stamp = rest.get(..15)?;
    let b = stamp.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..8) && b[8] == b'-' && digits(9..15)) {
        return None;
    }
    let time = format!(
        "{}-{}-{} {}:{}:{}",
        &stamp[0..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    );
    let tail = rest.get(15..)?;
    let reason = match tail.strip_prefix('-') {
        None if tail.is_empty() => String::new(),
        None => return None,
        // A second backup in the same second carries `-2`, `-3`…
        Some(r) => match r.rsplit_once('-') {
            Some((head, n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => {
                head.to_string()
            }
            _ if r.bytes().all(|c| c.is_ascii_digit()) => String::new(),
            _ => r.to_string(),
        },
    };
    Some((time, reason))
}

/// The schema version (`PRAGMA user_version`) in an SQLite file's header.
fn header_version(path: &Path) -> Option<u32> {
    use std::io::Read;
    let mut head = [0u8; 64];
    std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if &head[..16] != b"SQLite format 3\0" {
        return None;
    }
    Some(u32::from_be_bytes([head[60], head[61], head[62], head[63]]))
}

/// The backups of the database at `db`, newest first.
pub fn list_backups(db: &Path) -> Result<Vec<BackupFile>> {
    let dir = backups_dir(db);
    let stem = db_stem(db);
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e.into()),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((time, reason)) = parse_name(&name, &stem) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let path = entry.path();
        found.push(BackupFile {
            file: path.display().to_string(),
            time,
            size: meta.len(),
            reason,
            schema_version: header_version(&path),
            modified: meta.modified().ok(),
            path,
        });
    }
    found.sort_by(|a, b| (&b.time, b.modified, &b.file).cmp(&(&a.time, a.modified, &a.file)));
    Ok(found)
}

/// Make the backups folder (0700) if it is missing.
fn ensure_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)
            .map_err(|_| anyhow::Error::from(say::cannot_write(&dir.display())))?;
    }
    Ok(())
}

/// Flush a file's (or folder's) contents to the disk.
fn sync_path(p: &Path) {
    if let Ok(f) = std::fs::File::open(p) {
        let _ = f.sync_all();
    }
}

/// A consistent copy of `conn`'s database into the (empty) file `to`: SQLite's
/// online backup, every page in one step under one read transaction, so it
/// is the database as of one moment. Page for page rather than `VACUUM
/// INTO`, which rebuilds every table and index and took four times as long
/// at 1M orders (docs/benchmarks.md). The copy is left out of WAL mode: one
/// self-contained file.
fn copy_pages(conn: &Connection, to: &Path) -> rusqlite::Result<()> {
    let mut dest = Connection::open(to)?;
    // A temporary file: no journal of its own and no sync per step; the
    // caller syncs it once, whole, before the rename makes it a backup.
    dest.pragma_update(None, "journal_mode", "OFF")?;
    dest.pragma_update(None, "synchronous", "OFF")?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut dest)?;
        use rusqlite::backup::StepResult;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                _ => std::thread::sleep(std::time::Duration::from_millis(10)),
            }
        }
    }
    dest.pragma_update(None, "journal_mode", "DELETE")?;
    dest.close().map_err(|(_, e)| e)
}

/// Write a consistent copy of `conn`'s database into the backups folder of
/// `db` under a temporary name, then rename it; drop the oldest beyond
/// `keep`. Returns the backup's path.
fn write_backup(conn: &Connection, db: &Path, reason: &str, keep: usize) -> Result<PathBuf> {
    let dir = backups_dir(db);
    ensure_dir(&dir)?;
    let stem = db_stem(db);
    let stamp = crate::domain::time::beijing_now().format("%Y%m%d-%H%M%S");
    let suffix = if reason.is_empty() {
        String::new()
    } else {
        format!("-{reason}")
    };
    // A second backup in the same second counts on from the highest taken
    // (names stay in the order they were written, whatever was pruned).
    let base = format!("{stem}-{stamp}{suffix}");
    let taken = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let rest = name.strip_prefix(&base)?.strip_suffix(".db")?;
                    match rest.strip_prefix('-') {
                        None if rest.is_empty() => Some(1),
                        Some(n) => n.parse::<u32>().ok(),
                        None => None,
                    }
                })
                .max()
        })
        .ok()
        .flatten();
    let name = match taken {
        None => format!("{base}.db"),
        Some(n) => format!("{base}-{}.db", n + 1),
    };
    let dest = dir.join(&name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let _ = std::fs::remove_file(&tmp);
    let cannot = || anyhow::Error::from(say::cannot_write(&dest.display()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(&tmp).map_err(|_| cannot())?;
    if copy_pages(conn, &tmp).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return Err(cannot());
    }
    super::trace_import("backup: copied");
    sync_path(&tmp);
    super::trace_import("backup: synced");
    if std::fs::rename(&tmp, &dest).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return Err(cannot());
    }
    sync_path(&dir);
    prune(db, keep)?;
    super::trace_import("backup: pruned");
    Ok(dest)
}

/// Keep the newest `keep` backups of `db`; remove the rest, and temporary
/// files an interrupted backup left behind.
pub fn prune(db: &Path, keep: usize) -> Result<()> {
    for old in list_backups(db)?.into_iter().skip(keep.max(1)) {
        std::fs::remove_file(&old.path)?;
    }
    let dir = backups_dir(db);
    let stem = format!(".{}-", db_stem(db));
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let stale = e
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 600);
            if name.starts_with(&stem) && name.ends_with(".tmp") && stale {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

impl Store {
    /// How many automatic backups to keep (the config's `[backups] keep`);
    /// 0 turns automatic backups off. A store opened without the config's
    /// settings (the library, tests) writes none: backups are the config's.
    pub fn backups_keep(&self) -> usize {
        match &self.settings {
            Some(s) => s.backups_keep.unwrap_or(DEFAULT_KEEP),
            None => 0,
        }
    }

    /// Whether the database holds no customer and no order yet.
    fn is_empty_shop(&self) -> Result<bool> {
        let any: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM customers)",
            [],
            |r| r.get(0),
        )?;
        Ok(!any)
    }

    /// An automatic backup with `reason`, unless the store is in memory, the
    /// shop is empty or backups are off. Returns the file written.
    pub fn auto_backup(&self, reason: &str, keep: usize) -> Result<Option<PathBuf>> {
        if keep == 0 || self.path.as_os_str() == ":memory:" || self.is_empty_shop()? {
            return Ok(None);
        }
        if self.read_only {
            self.conn.execute_batch("PRAGMA query_only = OFF")?;
        }
        let written = write_backup(&self.conn, &self.path, reason, keep);
        if self.read_only {
            self.conn.execute_batch("PRAGMA query_only = ON")?;
        }
        written.map(Some)
    }

    /// The backup before an import: refused (exit 3, nothing imported) when
    /// it cannot be written.
    pub fn backup_before_import(&self) -> Result<Option<PathBuf>> {
        self.auto_backup("import", self.backups_keep())
            .map_err(|e| {
                match e.downcast_ref::<Refused>() {
                    Some(r) => say::import_without_backup(&r.zh, &r.en),
                    None => {
                        let why = e.to_string();
                        say::import_without_backup(&why, &why)
                    }
                }
                .into()
            })
    }

    /// The backup of the day, when none was written today (the app, on opening).
    pub fn daily_backup(&self, keep: usize) -> Result<Option<PathBuf>> {
        let today = crate::domain::time::now_text();
        let today = today.get(..10).unwrap_or_default();
        if list_backups(&self.path)?
            .iter()
            .any(|b| b.time.starts_with(today))
        {
            return Ok(None);
        }
        self.auto_backup("daily", keep)
    }
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    pub file: String,
    pub db: String,
    /// Where the database before the restore was kept (none when there was none).
    pub kept: Option<String>,
    pub schema_version: u32,
    /// Customers of the backup erased again: the current database had
    /// erased them after the backup was written.
    pub reerased: usize,
}

/// The temporary file a restore copies into, beside the database.
fn restore_tmp(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kehu.db".into());
    db.with_file_name(format!(".{name}.restore-tmp"))
}

/// Check the copy at `tmp` of the file `from`: SQLite, intact, kehu's, of a
/// schema this kehu knows. Leaves it in rollback-journal mode (no side files).
fn check_candidate(tmp: &Path, from: &Path, known: usize) -> Result<u32> {
    let damaged =
        |what: &str| -> anyhow::Error { say::restore_damaged(&from.display(), what).into() };
    let conn = Connection::open(tmp).map_err(|e| damaged(&e.to_string()))?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(|e| damaged(&e.to_string()))?;
    if verdict != "ok" {
        return Err(damaged(&verdict));
    }
    let version = match dbfile::check_schema(&conn, from, known) {
        Ok(0) => return Err(say::restore_not_kehu(&from.display()).into()),
        Ok(v) => v,
        Err(e) => return Err(e),
    };
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(|e| damaged(&e.to_string()))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(damaged(&mode));
    }
    drop(conn);
    Ok(u32::try_from(version).unwrap_or(u32::MAX))
}

/// Restore the database at `db` from `from` (see the module's words). The
/// caller has the seller's confirmation.
pub fn restore(db: &Path, from: &Path, keep: usize) -> Result<Restored> {
    let known = super::MIGRATIONS.len();
    // One import at a time, and a restore is not one to run beside it.
    let _lock = super::ImportLock::take(db, false)?;
    let tmp = restore_tmp(db);
    let _ = std::fs::remove_file(&tmp);
    let guard = TmpGuard(&tmp);
    if !from.is_file() {
        return Err(say::restore_unreadable(&from.display()).into());
    }
    std::fs::copy(from, &tmp)
        .map_err(|_| anyhow::Error::from(say::restore_unreadable(&from.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    let version = check_candidate(&tmp, from, known)?;
    sync_path(&tmp);
    // The current database: alone (no other kehu has it open), out of WAL
    // mode (its log folded in, -wal and -shm gone), kept as a backup, and
    // locked until the new file is in place.
    let mut kept = None;
    let mut reerased = 0;
    let current = if db.exists() {
        let conn = Connection::open(db)?;
        conn.busy_timeout(std::time::Duration::from_millis(500))?;
        let in_use = || anyhow::Error::from(say::restore_db_in_use(&db.display()));
        let mode: Option<String> = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .ok();
        match mode {
            Some(m) if m.eq_ignore_ascii_case("delete") => {}
            // Not SQLite, or damaged: kept as the bytes it is.
            None if header_version(db).is_none() || !is_sqlite_ok(&conn) => {}
            _ => return Err(in_use()),
        }
        // A person erased since the backup was written stays erased.
        reerased = super::privacy::carry_erasures(&conn, &tmp)?;
        sync_path(&tmp);
        kept = Some(
            match write_backup(&conn, db, "before-restore", keep.max(1)) {
                Ok(p) => p,
                Err(_) => raw_copy(db, keep)?,
            },
        );
        // Others wait (or are refused) until the swap is done.
        let _ = conn.execute_batch("BEGIN EXCLUSIVE");
        Some(conn)
    } else {
        None
    };
    std::fs::rename(&tmp, db)?;
    guard.disarm();
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        sync_path(dir);
    } else {
        sync_path(Path::new("."));
    }
    drop(current);
    // Side files of the old database (none after the switch above; a
    // damaged one may have left them) would be read as the new one's.
    for side in dbfile::side_files(db) {
        let _ = std::fs::remove_file(side);
    }
    Ok(Restored {
        file: from.display().to_string(),
        db: db.display().to_string(),
        kept: kept.map(|p| p.display().to_string()),
        schema_version: version,
        reerased,
    })
}

/// Whether the connection reads its database at all.
fn is_sqlite_ok(conn: &Connection) -> bool {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok()
}

/// A damaged current database kept byte for byte before a restore.
fn raw_copy(db: &Path, keep: usize) -> Result<PathBuf> {
    let dir = backups_dir(db);
    ensure_dir(&dir)?;
    let stamp = crate::domain::time::beijing_now().format("%Y%m%d-%H%M%S");
    let dest = dir.join(format!("{}-{stamp}-before-restore-raw.db", db_stem(db)));
    let tmp = dir.join(format!(".{}-raw.tmp", db_stem(db)));
    std::fs::copy(db, &tmp).map_err(|_| anyhow::Error::from(say::cannot_write(&dest.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    sync_path(&tmp);
    std::fs::rename(&tmp, &dest)?;
    prune(db, keep.max(1))?;
    Ok(dest)
}

/// Removes the restore's temporary file unless the swap used it.
struct TmpGuard<'a>(&'a Path);

impl TmpGuard<'_> {
    fn disarm(self) {
        std::mem::forget(self);
    }
}

impl Drop for TmpGuard<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_time_and_reason() {
        let p = |n: &str| parse_name(n, "kehu");
        assert_eq!(
            p("kehu-20251201-090000-import.db"),
            Some(("2025-12-01 09:00:00".into(), "import".into()))
        );
        assert_eq!(
            p("kehu-20251201-090000-before-restore-3.db"),
            Some(("2025-12-01 09:00:00".into(), "before-restore".into()))
        );
        assert_eq!(
            p("kehu-20251201-090000.db"),
            Some(("2025-12-01 09:00:00".into(), String::new()))
        );
        assert_eq!(p("kehu-2025120-090000.db"), None);
        assert_eq!(p("other-20251201-090000.db"), None);
        assert_eq!(p(".kehu-20251201-090000-import.db.tmp"), None);
    }
}
