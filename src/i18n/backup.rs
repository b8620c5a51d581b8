//! Automatic backups, `kehu backup list` and `kehu restore`, in both languages.

use super::{Lang, Refused, Text};
use std::fmt::Display;

/// The backup before an import could not be written: the import is refused.
pub fn import_without_backup(why: &str, why_en: &str) -> Refused {
    Refused::new(
        format!("导入前无法写入备份（{why}）；为了安全，没有导入任何数据。请腾出磁盘空间后再试"),
        format!(
            "the backup before the import could not be written ({why_en}); nothing was imported. Free some disk space and try again"
        ),
    )
}

/// The backups folder could not be made or written.
pub fn cannot_write(path: &dyn Display) -> Refused {
    Refused::new(
        format!("无法写入备份 {path}：文件夹不可写，或没有空间"),
        format!("cannot write the backup {path}: the folder is not writable, or full"),
    )
}

/// `kehu restore` without `--confirm`.
pub fn restore_needs_confirm(file: &dyn Display) -> Refused {
    Refused::new(
        format!(
            "恢复会用 {file} 替换当前数据库；确认请加 --confirm（当前数据库会先另存为一份备份）。未做任何改动"
        ),
        format!(
            "restoring replaces the database with {file}; add --confirm to go ahead (the current database is kept as one more backup first). Nothing was changed"
        ),
    )
}

/// The file to restore is damaged or not a database at all.
pub fn restore_damaged(file: &dyn Display, what: &str) -> Refused {
    Refused::new(
        format!("{file} 不能恢复：它已损坏或不是 SQLite 数据库（{what}）。数据库未做任何改动"),
        format!(
            "{file} cannot be restored: it is damaged or not an SQLite database ({what}). The database was not changed"
        ),
    )
}

/// The file to restore is SQLite but not kehu's.
pub fn restore_not_kehu(file: &dyn Display) -> Refused {
    Refused::new(
        format!("{file} 不是 kehu 数据库（没有 kehu 的表）；数据库未做任何改动"),
        format!(
            "{file} is not a kehu database (it lacks kehu's tables); the database was not changed"
        ),
    )
}

/// The file to restore cannot be read.
pub fn restore_unreadable(file: &dyn Display) -> Refused {
    Refused::new(
        format!("无法读取 {file}；数据库未做任何改动"),
        format!("cannot read {file}; the database was not changed"),
    )
}

/// Another kehu (the app) has the database open: swapping the file under it
/// would lose its writes or mix its log into the restored file.
pub fn restore_db_in_use(db: &dyn Display) -> Refused {
    Refused::new(
        format!("数据库 {db} 正被另一个 kehu（应用？）打开；请先关闭它再恢复。未做任何改动"),
        format!(
            "database {db} is open in another kehu (the app?); close it and restore again. Nothing was changed"
        ),
    )
}

/// `kehu restore` done.
pub fn restored(file: &dyn Display, db: &dyn Display) -> Text {
    Text::new(
        format!("已用 {file} 恢复数据库 {db}"),
        format!("restored database {db} from {file}"),
    )
}

/// A restore erased again the people erased after the backup was written.
pub fn reerased(n: usize) -> Text {
    Text::new(
        format!("备份写入之后被抹除的客户 {n} 位，在恢复的数据库里已再次抹除"),
        format!(
            "{n} customer(s) erased after the backup was written were erased again in the restored database"
        ),
    )
}

/// Where the database was kept before a restore.
pub fn kept_as(file: &dyn Display) -> Text {
    Text::new(
        format!("恢复前的数据库已另存为 {file}"),
        format!("the database before the restore was kept as {file}"),
    )
}

/// An automatic backup written (the import says it on stderr).
pub fn backed_up(file: &dyn Display) -> Text {
    Text::new(
        format!("导入前已备份到 {file}"),
        format!("backed up to {file} before the import"),
    )
}

/// `kehu backup list` with nothing in the folder.
pub fn none_yet(dir: &dyn Display) -> Text {
    Text::new(
        format!("{dir} 里还没有备份"),
        format!("no backups in {dir} yet"),
    )
}

/// The list's header: file, time, size, reason, schema version.
pub fn list_header(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => ["文件", "时间", "大小", "原因", "结构版本"],
        Lang::En => ["file", "time", "size", "reason", "schema"],
    }
}

/// A reason code in words.
pub fn reason(code: &str, lang: Lang) -> String {
    let (zh, en) = match code {
        "import" => ("导入前", "before an import"),
        "daily" => ("每日", "daily"),
        "before-restore" => ("恢复前", "before a restore"),
        "" => ("手动", "by hand"),
        other => (other, other),
    };
    lang.t(zh, en).to_string()
}
