//! A first import, built in a new file. When the database holds nothing yet
//! (no order, customer, batch, note, log: only the settings and what is
//! derived), the import is written into a new database beside it, with no
//! write-ahead log, no journal on disk and no sync until the end, and that
//! file, synced once, is renamed over the empty one. Nothing is written
//! twice (no log, then no checkpoint), and a kill at any moment leaves the
//! empty database as it was: all the files of the import go in, or none.
//!
//! Renamed only when this connection is the database's one: when another
//! kehu (the app) has it open, the new file's pages are copied into the
//! database through SQLite instead (its online backup, one transaction), so
//! that it sees them.

use super::{Access, Store};
use anyhow::Result;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How often the new file's written pages are sent to the disk while the
/// import goes on.
const SYNC_EVERY: Duration = Duration::from_secs(2);

/// Sends a first import's new file to the disk every [`SYNC_EVERY`] while it
/// is built, on a thread of its own. SQLite writes the pages of the one long
/// transaction into the file as its cache fills; the system would keep them
/// in memory until the final sync (at 1M orders, a gigabyte and 2 s of
/// waiting at the end). Synced along the way, the disk works while the
/// import computes, and the final sync has only the last pages left. No
/// guarantee rests on these syncs: the file is put in place only after its
/// final one ([`Store::take_built`]). Stopped when dropped.
pub(crate) struct Syncer {
    /// Dropped to stop the thread (it then sees the channel closed).
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Syncer {
    fn start(path: &Path) -> Option<Syncer> {
        let file = std::fs::File::open(path).ok()?;
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("kehu-sync".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(SYNC_EVERY) {
                    let _ = file.sync_data();
                    SYNCS.fetch_add(1, Ordering::Relaxed);
                }
            })
            .ok()?;
        Some(Syncer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Syncs made along the way by every [`Syncer`] of this process (tests).
pub(crate) static SYNCS: AtomicU64 = AtomicU64::new(0);

/// Tables whose rows an import may build again from nothing: the lookup
/// index's own, the settings, the derived counts and predictions.
fn rebuildable(table: &str) -> bool {
    table.starts_with("customer_search")
        || table.starts_with("suggest_")
        || table.starts_with("sqlite_")
        || matches!(table, "settings" | "predictions" | "prediction_run")
}

/// The new file beside the database at `db`.
fn built_path(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kehu.db".into());
    db.with_file_name(format!(".{name}.first-import"))
}

fn sync_path(p: &Path) {
    if let Ok(f) = std::fs::File::open(p) {
        let _ = f.sync_all();
    }
}

/// Whether `conn` is the only connection to its database: leaving WAL mode
/// needs every other connection gone (each holds the shared memory open).
/// Back in WAL mode either way.
fn alone(conn: &Connection) -> bool {
    let left: Option<String> = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .ok();
    let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
    left.is_some_and(|m| m.eq_ignore_ascii_case("delete"))
}

impl Store {
    /// Whether every table holds nothing but what an import may rebuild.
    fn holds_nothing(&self) -> Result<bool> {
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for t in tables.iter().filter(|t| !rebuildable(t)) {
            let any: bool = self.conn.query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM \"{}\")",
                    t.replace('"', "\"\"")
                ),
                [],
                |r| r.get(0),
            )?;
            if any {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// For a first import into this store: a store on a new file beside it,
    /// set up to be written once (see the module's words), or `None` when
    /// the database holds something or is not a file of its own. A leftover
    /// of a first import that was cut short is removed. Whether another
    /// connection has the database open is asked only when the new file is
    /// ready (asking changes the file's header, and a refused import leaves
    /// the database byte for byte as it was).
    pub(crate) fn first_import_store(&self) -> Result<Option<Store>> {
        if self.read_only
            || self.path.as_os_str() == ":memory:"
            || !self.path.is_file()
            || std::env::var_os("KEHU_NO_FIRST_IMPORT").is_some()
            || !self.holds_nothing()?
        {
            return Ok(None);
        }
        let path = built_path(&self.path);
        let _ = std::fs::remove_file(&path);
        // Pages of the database's size: when another kehu has the database
        // open, the new file's pages are copied into it, size for size.
        let page_size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Connection::open(&path)?.execute_batch(&format!(
            "PRAGMA page_size = {page_size}; PRAGMA user_version = 0;"
        ))?;
        let mut built = Store::open_as(&path, Access::Write)?;
        if let Some(s) = &self.settings {
            built.apply_settings(s)?;
        }
        built.wait = self.wait;
        // One writer, this one: no log on disk (a journal in memory, so a
        // file refused half-way still rolls back), no sync per commit (the
        // file is synced once, whole, before it is put in place).
        // No foreign-key checks either: every row this import refers to
        // (its customers, receivers, orders, the batch) it wrote itself, in
        // this file; each check was a look-up per reference, about a tenth
        // of the import (tests/first_import.rs checks the keys of the result).
        built.conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             PRAGMA journal_mode = MEMORY;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;",
        )?;
        built.syncer = Syncer::start(&path);
        super::trace_import("first import: a new file");
        Ok(Some(built))
    }

    /// Put the database `built` (from [`Store::first_import_store`]) in
    /// place of this store's, and go on with it.
    pub(crate) fn take_built(&mut self, mut built: Store) -> Result<()> {
        let from = built.path.clone();
        drop(built.syncer.take());
        built.conn.execute_batch(
            "PRAGMA locking_mode = NORMAL;
             PRAGMA journal_mode = DELETE;",
        )?;
        drop(built);
        sync_path(&from);
        super::trace_import("first import: synced");
        if alone(&self.conn) {
            // Out of WAL mode (no log or shared memory left to be read as the
            // new file's), locked until the new file is in place.
            self.conn.pragma_update(None, "journal_mode", "DELETE")?;
            self.conn.execute_batch("BEGIN EXCLUSIVE")?;
            let renamed = std::fs::rename(&from, &self.path);
            let _ = self.conn.execute_batch("ROLLBACK");
            renamed?;
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                sync_path(dir);
            }
            let mut reopened = Store::open_as(&self.path, Access::Write)?;
            reopened.settings = self.settings.clone();
            reopened.wait = self.wait;
            reopened.notice = self.notice.take();
            *self = reopened;
            super::trace_import("first import: in place");
        } else {
            // Someone opened the database meanwhile: the pages go in through
            // SQLite, in one transaction they see the end of.
            let src = Connection::open(&from)?;
            {
                use rusqlite::backup::{Backup, StepResult};
                let backup = Backup::new(&src, &mut self.conn)?;
                loop {
                    match backup.step(-1)? {
                        StepResult::Done => break,
                        StepResult::More => {}
                        _ => std::thread::sleep(std::time::Duration::from_millis(20)),
                    }
                }
            }
            drop(src);
            let _ = std::fs::remove_file(&from);
            super::trace_import("first import: copied in");
        }
        Ok(())
    }

    /// Drop a built database that will not be used (every file refused).
    pub(crate) fn discard_built(built: Store) {
        let path = built.path.clone();
        drop(built);
        let _ = std::fs::remove_file(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_syncer_syncs_while_it_runs_and_stops_at_once_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("built.db");
        std::fs::write(&path, b"pages").unwrap();
        let before = SYNCS.load(Ordering::Relaxed);
        let syncer = Syncer::start(&path).expect("a syncer for a file");
        std::thread::sleep(SYNC_EVERY + Duration::from_millis(500));
        let t0 = std::time::Instant::now();
        drop(syncer);
        assert!(t0.elapsed() < Duration::from_millis(500), "stopped at once");
        assert!(
            SYNCS.load(Ordering::Relaxed) > before,
            "synced along the way"
        );
        assert!(Syncer::start(&dir.path().join("missing.db")).is_none());
    }
}
