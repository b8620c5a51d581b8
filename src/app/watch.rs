//! Whether the database file the app opened is still the one at its path.
//! Another terminal may run `kehu demo` (a new file renamed over it) or
//! delete it; the app's connection then holds a file nobody will see again,
//! so the app says so and writes nothing more.

use crate::db::FileIdentity;
use std::path::{Path, PathBuf};

/// What happened to the database file since the app opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFileChange {
    /// Another file now sits at the path.
    Replaced,
    /// Nothing sits at the path.
    Deleted,
}

/// The opened file's identity, to compare the path against.
#[derive(Debug, Clone)]
pub struct DbWatch {
    path: PathBuf,
    /// `None` for a database with no file (in memory) or one unreadable at open.
    id: Option<FileIdentity>,
}

impl DbWatch {
    pub fn new(path: &Path) -> DbWatch {
        DbWatch {
            path: path.to_path_buf(),
            id: FileIdentity::of(path).ok(),
        }
    }

    /// Still the file opened, or what became of it.
    pub fn check(&self) -> Option<DbFileChange> {
        let opened = self.id?;
        match FileIdentity::of(&self.path) {
            Ok(id) if id == opened => None,
            Ok(_) => Some(DbFileChange::Replaced),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(DbFileChange::Deleted),
            // Unreadable for a moment (permissions, a network disk): say nothing.
            Err(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_a_file_renamed_over_and_a_deleted_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.db");
        std::fs::write(&p, b"one").unwrap();
        let w = DbWatch::new(&p);
        assert_eq!(w.check(), None);
        std::fs::write(&p, b"one more").unwrap();
        assert_eq!(w.check(), None, "written in place: the same file");
        let q = dir.path().join("b.db");
        std::fs::write(&q, b"two").unwrap();
        std::fs::rename(&q, &p).unwrap();
        assert_eq!(w.check(), Some(DbFileChange::Replaced));
        std::fs::remove_file(&p).unwrap();
        assert_eq!(w.check(), Some(DbFileChange::Deleted));
        assert_eq!(DbWatch::new(Path::new(":memory:")).check(), None);
    }
}
