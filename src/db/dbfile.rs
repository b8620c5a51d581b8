//! The database file before kehu changes anything in it: is it SQLite, is it
//! kehu's, is it a version this kehu knows, may kehu write it, and is it
//! private. Everything here reads; the one change (making a database that is
//! opened for writing readable by its owner only) is said once on stderr.

use super::Refused;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// How a command means to use the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Import, edits, points moves, the app: the file must be writable.
    Write,
    /// Stats, lookup, check, export, rejects, backup…: a read-only file or
    /// folder is opened read-only.
    Read,
}

/// Something kehu did to the file that the seller should know (said once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub zh: String,
    pub en: String,
}

impl Notice {
    pub fn message(&self, lang: crate::i18n::Lang) -> &str {
        lang.t(&self.zh, &self.en)
    }
}

/// A database path's side files (`-wal`, `-shm`, `-journal`).
pub(super) fn side_files(path: &Path) -> [PathBuf; 3] {
    let with = |s: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(s);
        PathBuf::from(p)
    };
    [with("-wal"), with("-shm"), with("-journal")]
}

pub(super) fn not_kehu(path: &Path, why_zh: &str, why_en: &str) -> Refused {
    let p = path.display();
    Refused::new(
        format!(
            "{p} 不是 kehu 数据库（{why_zh}）；kehu 没有改动它。请用 --db 指定 kehu 的数据库文件"
        ),
        format!(
            "{p} is not a kehu database ({why_en}); kehu left it unchanged. Point --db at a kehu database"
        ),
    )
}

pub(super) fn read_only(path: &Path) -> Refused {
    let p = path.display();
    Refused::new(
        format!(
            "数据库 {p} 是只读的（文件或所在文件夹不可写），这个命令要写入，未做任何改动。查看类命令（stats、lookup、check、export…）仍可使用"
        ),
        format!(
            "database {p} is read-only (the file or its folder cannot be written) and this command writes; nothing was changed. Read commands (stats, lookup, check, export…) still work"
        ),
    )
}

/// Whether kehu may write `path` and the folder it is in (for its journal
/// files). A file or folder without any write bit counts as read-only even
/// for root, who could write it anyway: the seller said "do not write".
pub(super) fn writable(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    [path, dir.as_path()]
        .iter()
        .all(|p| match std::fs::metadata(p) {
            Ok(m) => !m.permissions().readonly() && access_w(p),
            Err(_) => true,
        })
}

/// Whether this process may write `p`, as the OS decides (ACLs, read-only
/// mounts, ownership): access(2), which the standard library does not offer
/// and which opening the file to find out would replace with a worse check
/// (opening and closing a database file drops this process's locks on it).
/// The one `unsafe` in kehu.
#[cfg(unix)]
#[allow(unsafe_code)]
fn access_w(p: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated path; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn access_w(_: &Path) -> bool {
    true
}

/// Make the database and its side files readable by their owner only (0600)
/// when any of them is open to group or others. Returns what to say.
#[cfg(unix)]
pub(super) fn make_private(path: &Path) -> Option<Notice> {
    use std::os::unix::fs::PermissionsExt;
    let mut loose = None;
    for p in std::iter::once(path.to_path_buf()).chain(side_files(path)) {
        let Ok(m) = std::fs::metadata(&p) else {
            continue;
        };
        let mode = m.permissions().mode() & 0o777;
        if mode & 0o077 != 0
            && std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode & 0o700 | 0o600))
                .is_ok()
        {
            loose.get_or_insert(mode);
        }
    }
    let mode = loose?;
    let p = path.display();
    Some(Notice {
        zh: format!(
            "数据库 {p} 原本其他人也能读取（权限 {mode:04o}），已改为仅本人可读写（0600），含 -wal/-shm 文件"
        ),
        en: format!(
            "database {p} was readable by others (mode {mode:04o}); kehu made it and its -wal/-shm files owner-only (0600)"
        ),
    })
}

#[cfg(not(unix))]
pub(super) fn make_private(_: &Path) -> Option<Notice> {
    None
}

/// Open `path` read-only. In a folder kehu may not write, with no write-ahead
/// log beside it, the file is opened as immutable (SQLite could not create
/// its shared-memory file there).
pub(super) fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let dir_writable = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| std::fs::metadata(d).is_ok_and(|m| !m.permissions().readonly()) && access_w(d))
        .unwrap_or(true);
    let [wal, ..] = side_files(path);
    let uri = uri_for(path);
    if !dir_writable && !wal.exists() {
        return Connection::open_with_flags(format!("{uri}?immutable=1"), flags);
    }
    let conn = Connection::open_with_flags(format!("{uri}?mode=ro"), flags)?;
    // A WAL database needs its -shm file; where it cannot be made, read the
    // file as it is.
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())) {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly
            ) =>
        {
            drop(conn);
            Connection::open_with_flags(format!("{uri}?immutable=1"), flags)
        }
        _ => Ok(conn),
    }
}

/// A `file:` URI for `path` (percent-encoding what URIs reserve).
fn uri_for(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = b"file:".to_vec();
    for &b in abs.to_string_lossy().as_bytes() {
        match b {
            b'?' | b'#' | b'%' => out.extend_from_slice(format!("%{b:02X}").as_bytes()),
            _ => out.push(b),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What the schema says about the file, read before anything is changed.
pub(super) fn check_schema(conn: &Connection, path: &Path, known: usize) -> anyhow::Result<usize> {
    let translate = |e: rusqlite::Error| -> anyhow::Error {
        match sqlite_refusal(&e, path) {
            Some(r) => r.into(),
            None => e.into(),
        }
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(translate)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .map_err(translate)?;
    let has = |t: &str| tables.iter().any(|n| n == t);
    if version == 0 && !tables.is_empty() {
        return Err(not_kehu(
            path,
            "里面是别的程序的表",
            "it holds another program's tables",
        )
        .into());
    }
    if version != 0 && !(has("customers") && has("orders")) {
        return Err(not_kehu(path, "没有 kehu 的表", "it lacks kehu's tables").into());
    }
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > known {
        let p = path.display();
        return Err(Refused::new(
            format!(
                "数据库 {p} 由更新版本的 kehu 创建（结构版本 {version}，这个 kehu 认识到 {known}）；请升级 kehu。文件未做任何改动"
            ),
            format!(
                "database {p} was made by a newer kehu (schema version {version}, this kehu knows up to {known}); upgrade kehu. The file was not changed"
            ),
        )
        .into());
    }
    Ok(version)
}

/// SQLite errors the seller can act on, in words (exit 3), or `None`.
pub fn sqlite_refusal(e: &rusqlite::Error, path: &Path) -> Option<Refused> {
    use rusqlite::ErrorCode;
    let code = match e {
        rusqlite::Error::SqliteFailure(f, _) => f.code,
        _ => return None,
    };
    let p = path.display();
    match code {
        ErrorCode::NotADatabase => Some(not_kehu(
            path,
            "不是 SQLite 文件，或已损坏",
            "not an SQLite file, or damaged",
        )),
        ErrorCode::ReadOnly => Some(read_only(path)),
        ErrorCode::CannotOpen => Some(Refused::new(
            format!("无法打开 {p}：文件夹不存在，或没有权限"),
            format!("cannot open {p}: the folder does not exist or is not accessible"),
        )),
        ErrorCode::PermissionDenied => Some(Refused::new(
            format!("没有权限访问 {p}"),
            format!("no permission to access {p}"),
        )),
        ErrorCode::DatabaseCorrupt => Some(Refused::new(
            format!("数据库 {p} 已损坏；请从备份恢复（kehu backup 做的副本）"),
            format!("database {p} is damaged; restore it from a backup (one kehu backup made)"),
        )),
        _ => None,
    }
}

/// A migration that failed, in one line (no SQL text).
pub(super) fn migration_refusal(e: &rusqlite::Error, path: &Path, n: usize) -> Refused {
    let msg = match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    };
    let msg = msg.lines().next().unwrap_or_default().to_string();
    let p = path.display();
    Refused::new(
        format!(
            "数据库 {p} 无法升级到结构版本 {n}：{msg}（文件里有 kehu 之外建的表？）；未做任何改动"
        ),
        format!(
            "database {p} cannot be upgraded to schema version {n}: {msg} (a table made by something other than kehu?); nothing was changed"
        ),
    )
}

/// Give the heap's free memory back to the system (glibc keeps what a
/// file's maps and the page cache freed, and counts it resident): after a
/// big file the next phase — the end-of-file pass, the next file, the
/// suggestions' rebuild — starts from what is in use, not from the peak.
#[allow(unsafe_code)]
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system; it
    // touches no memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
