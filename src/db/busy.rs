//! Who is writing: an import holds an OS lock on a small file beside the
//! database (`kehu.db-import`, its pid and start time inside) for as long as it
//! runs, so other writers can say "an import is running (started HH:MM)"
//! instead of waiting out SQLite's busy timeout and failing with "database is
//! locked". The lock is the kernel's (`flock`): an import that is killed
//! releases it with its process, so a stale file never blocks anyone. The
//! file is left in place (removing it would let two imports lock two files).

// std's file locks are stable since Rust 1.89. The manifest says 1.85, but the
// crate already needs 1.88 (let chains); raising `rust-version` switches on
// newer lints across every module, which is a change of its own.
#![allow(clippy::incompatible_msrv)]

use super::Store;
use crate::i18n::Lang;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A write refused because an import holds the database (CLI exit status 3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Zh))]
pub struct ImportRunning {
    /// When the import started (`HH:MM`, Beijing time), when known; `None`
    /// also stands for a busy database without a known import.
    pub since: Option<String>,
}

impl ImportRunning {
    pub fn message(&self, lang: Lang) -> String {
        match (&self.since, lang) {
            (Some(t), Lang::Zh) => {
                format!("正在导入（{t} 开始）；请等导入完成后再试，或加 --wait 等它完成")
            }
            (Some(t), Lang::En) => format!(
                "an import is running (started {t}); try again when it finishes or pass --wait"
            ),
            (None, Lang::Zh) => {
                "数据库正忙（另一个 kehu 正在写入）；请稍后再试，或加 --wait 等它完成".to_string()
            }
            (None, Lang::En) => {
                "the database is busy (another kehu is writing); try again shortly or pass --wait"
                    .to_string()
            }
        }
    }
}

/// The lock file of the database at `db`.
fn lock_path(db: &Path) -> Option<PathBuf> {
    if db.as_os_str() == ":memory:" {
        return None;
    }
    let mut p = db.as_os_str().to_os_string();
    p.push("-import");
    Some(PathBuf::from(p))
}

/// The import running on the database at `db`, if one is. Creates nothing.
pub fn import_running(db: &Path) -> Option<ImportRunning> {
    let path = lock_path(db)?;
    let mut file = File::open(path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            // "pid started_at": the time's HH:MM.
            let since = text
                .split_whitespace()
                .nth(2)
                .and_then(|t| t.get(..5))
                .map(str::to_string);
            Some(ImportRunning { since })
        }
        Err(TryLockError::Error(_)) => None,
    }
}

/// Block until no import runs on the database at `db`.
pub fn wait_for_import(db: &Path) {
    let Some(path) = lock_path(db) else { return };
    if let Ok(file) = File::open(path)
        && file.lock_shared().is_ok()
    {
        let _ = file.unlock();
    }
}

/// Whether `e` is a write that could not get the database: an import holds
/// it, or SQLite's busy timeout ran out.
pub fn is_busy(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<ImportRunning>().is_some()
            || c.downcast_ref::<rusqlite::Error>().is_some_and(|e| {
                matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                )
            })
    })
}

/// Held by a running import; dropping it (or the process ending) releases it.
pub struct ImportLock {
    file: Option<File>,
}

impl Drop for ImportLock {
    /// Unlocks before the descriptor closes: a child process another thread
    /// started at the wrong moment may hold a copy of the descriptor until
    /// it executes, and a lock released only by closing would last as long.
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            let _ = f.unlock();
        }
    }
}

impl ImportLock {
    /// Take the import lock of the database at `db`: refused while another
    /// import holds it, unless `wait` (then as long as it takes).
    pub(crate) fn take(db: &Path, wait: bool) -> anyhow::Result<ImportLock> {
        let Some(path) = lock_path(db) else {
            return Ok(ImportLock { file: None });
        };
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(&path)?;
        // A writer checking for an import holds a shared lock for an instant
        // (longer on a loaded machine, where it may be descheduled holding it):
        // tries over a second tell that apart from a running import.
        let mut tries = 0;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if wait => {
                    file.lock()?;
                    break;
                }
                Err(TryLockError::WouldBlock) if tries < 100 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(import_running(db)
                        .unwrap_or(ImportRunning { since: None })
                        .into());
                }
                Err(TryLockError::Error(e)) => return Err(e.into()),
            }
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(
            file,
            "{} {}",
            std::process::id(),
            crate::domain::time::now_text()
        )?;
        file.flush()?;
        Ok(ImportLock { file: Some(file) })
    }
}

impl Store {
    /// How writes meet a running import: refused at once with
    /// [`ImportRunning`] (the default), or, with `wait`, delayed until it
    /// finishes however long that takes.
    /// Hold the import lock while a set of files goes in: refused while
    /// another import runs (or waited for, with [`Store::set_wait`]).
    pub fn lock_import(&self) -> anyhow::Result<ImportLock> {
        ImportLock::take(&self.path, self.wait)
    }

    pub fn set_wait(&mut self, wait: bool) -> anyhow::Result<()> {
        self.wait = wait;
        // SQLite counts its busy timeout in milliseconds in an int.
        let timeout = if wait {
            Duration::from_millis(i32::MAX as u64)
        } else {
            super::BUSY_TIMEOUT
        };
        self.conn.busy_timeout(timeout)?;
        Ok(())
    }

    /// Wait at most `d` for another writer (the app's interactive connection
    /// uses a short one and queues the write instead of freezing).
    pub fn set_busy_timeout(&mut self, d: Duration) -> anyhow::Result<()> {
        self.conn.busy_timeout(d)?;
        Ok(())
    }

    /// Whether writes wait for a running import.
    pub fn waits(&self) -> bool {
        self.wait
    }

    /// The import running on this database, if one is.
    pub fn import_running(&self) -> Option<ImportRunning> {
        import_running(&self.path)
    }

    /// Before a write: refuse it while an import runs, or wait for the end.
    pub(crate) fn before_write(&self) -> anyhow::Result<()> {
        if self.wait {
            wait_for_import(&self.path);
            return Ok(());
        }
        match import_running(&self.path) {
            Some(r) => Err(r.into()),
            None => Ok(()),
        }
    }
}
