//! Which file a path names: a database file can be replaced (a new file
//! renamed over it, as `kehu demo` does) or deleted while a connection holds
//! it open; the connection then writes into a file nobody will open again.

use super::Store;
use anyhow::Result;
use std::path::Path;

/// A file's identity: device and inode on unix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity(u64, u64);

impl FileIdentity {
    /// The identity of the file at `path` now.
    pub fn of(path: &Path) -> std::io::Result<FileIdentity> {
        let meta = std::fs::metadata(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Ok(FileIdentity(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            // Elsewhere the creation time stands in for the identity.
            let created = meta
                .created()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64);
            Ok(FileIdentity(created, 0))
        }
    }
}

impl Store {
    /// From now on a write is rolled back when the file at the store's path
    /// is no longer the one open here (replaced or deleted by another
    /// program). A store with no file (in memory) is left as it is.
    pub fn guard_file(&mut self) -> Result<()> {
        let path = self.path.clone();
        let Ok(opened) = FileIdentity::of(&path) else {
            return Ok(());
        };
        self.conn
            .commit_hook(Some(move || FileIdentity::of(&path).ok() != Some(opened)))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_into_a_replaced_file_is_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("kehu.db");
        let mut store = Store::open(&db).unwrap();
        store.guard_file().unwrap();
        store.conn.execute_batch("CREATE TABLE t (x)").unwrap();
        let other = dir.path().join("other.db");
        std::fs::write(&other, b"").unwrap();
        std::fs::rename(&other, &db).unwrap();
        assert!(
            store
                .conn
                .execute_batch("INSERT INTO t VALUES (1)")
                .is_err()
        );
        let n: i64 = store
            .conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
