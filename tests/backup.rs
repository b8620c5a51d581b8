//! Automatic backups before imports, `kehu backup list` and `kehu restore`:
//! a round trip gives the same data, a damaged or newer file is refused with
//! the database untouched, the last N are kept, every file is owner-only,
//! and an import's backup holds the shop as it was before the import.

mod common;

use common::{ITEMS, ORDERS, kehu_cmd};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The binary on `dir/shop/k.db` with `dir/config.toml`.
fn kehu(dir: &Path, args: &[&str]) -> Output {
    kehu_cmd(dir)
        .args(args)
        .arg("--db")
        .arg(db(dir))
        .arg("--lang")
        .arg("en")
        .env("KEHU_CONFIG", dir.join("config.toml"))
        .output()
        .expect("binary runs")
}

fn db(dir: &Path) -> PathBuf {
    dir.join("shop").join("k.db")
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    common::succeeded(kehu(dir, args), &args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every table's rows, sorted: the database's facts, whatever their order.
fn dump(path: &Path) -> Vec<String> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("opens");
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.iter().any(|t| t == "orders"), "{tables:?}");
    let mut out = Vec::new();
    for t in tables {
        let rows = common::dump::sorted_rows(&conn, &format!("SELECT * FROM \"{t}\""));
        out.push(format!("table {t}: {}", rows.len()));
        out.extend(rows);
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    out.push(format!("user_version {version}"));
    out
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir.join("shop").join("backups"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// The database file and its log, byte for byte.
fn bytes(dir: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    let d = db(dir);
    let mut wal = d.as_os_str().to_owned();
    wal.push("-wal");
    (std::fs::read(&d).unwrap(), std::fs::read(wal).ok())
}

/// A shop with the sample order report in it.
fn shop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["import", ORDERS]);
    dir
}

#[test]
fn the_import_backs_up_the_shop_as_it_was_first() {
    let dir = shop();
    let d = dir.path();
    // Into an empty database: nothing to keep.
    assert!(backups(d).is_empty(), "{:?}", backups(d));
    let before = dump(&db(d));
    // A dry run writes nothing, a backup neither.
    ok(d, &["import", "--dry-run", ITEMS]);
    assert!(backups(d).is_empty());
    let out = ok(d, &["import", ITEMS]);
    let made = backups(d);
    assert_eq!(made.len(), 1, "{made:?}");
    let name = made[0].file_name().unwrap().to_str().unwrap();
    assert_eq!(name, "k-20251201-090000-import.db");
    assert!(stderr(&out).contains(name), "{}", stderr(&out));
    assert_eq!(
        dump(&made[0]),
        before,
        "the backup is the shop before the import"
    );
    assert_ne!(dump(&db(d)), before, "the import changed the shop");
}

#[test]
fn backup_list_shows_file_time_size_reason_and_schema() {
    let dir = shop();
    let d = dir.path();
    ok(d, &["import", ITEMS]);
    let out = ok(d, &["backup", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let b = &list[0];
    assert_eq!(b["time"], "2025-12-01 09:00:00");
    assert_eq!(b["reason"], "import");
    assert!(b["schema_version"].as_u64().unwrap() >= 15, "{b}");
    let path = PathBuf::from(b["file"].as_str().unwrap());
    assert_eq!(
        b["size"].as_u64(),
        Some(std::fs::metadata(&path).unwrap().len())
    );
    let text = String::from_utf8(ok(d, &["backup", "list"]).stdout).unwrap();
    assert!(text.contains("before an import"), "{text}");
    // `kehu backup FILE` still writes a copy where it is told.
    let copy = d.join("copy.db");
    ok(d, &["backup", copy.to_str().unwrap()]);
    assert_eq!(dump(&copy), dump(&db(d)));
}

#[test]
fn retention_keeps_the_newest_n() {
    let dir = shop();
    let d = dir.path();
    std::fs::write(d.join("config.toml"), "[backups]\nkeep = 3\n").unwrap();
    for _ in 0..5 {
        ok(d, &["import", ITEMS]);
    }
    let names: Vec<String> = backups(d)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // Five in the same (pinned) second: `-2` … `-5`; the newest three stay.
    assert_eq!(
        names,
        [
            "k-20251201-090000-import-3.db",
            "k-20251201-090000-import-4.db",
            "k-20251201-090000-import-5.db"
        ]
    );
}

#[cfg(unix)]
#[test]
fn backups_and_their_folder_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = shop();
    let d = dir.path();
    ok(d, &["import", ITEMS]);
    let folder = d.join("shop").join("backups");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    let made = backups(d);
    assert!(!made.is_empty());
    for f in made {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}

#[test]
fn a_round_trip_gives_the_same_data() {
    let dir = shop();
    let d = dir.path();
    ok(d, &["import", ITEMS]);
    let saved = d.join("saved.db");
    ok(d, &["backup", saved.to_str().unwrap()]);
    let before = dump(&db(d));
    // Change: a note, and the items again (a no-op import still backs up).
    ok(d, &["note", "#1", "call back on Friday"]);
    assert_ne!(dump(&db(d)), before);
    // Without --confirm: refused, nothing changed.
    let snapshot = bytes(d);
    let out = kehu(d, &["restore", saved.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--confirm"), "{}", stderr(&out));
    assert_eq!(bytes(d), snapshot);
    let changed = dump(&db(d));
    let out = ok(
        d,
        &["restore", saved.to_str().unwrap(), "--confirm", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dump(&db(d)), before, "the restored shop is the saved one");
    // The shop before the restore is kept as one more backup.
    let kept = PathBuf::from(v["kept"].as_str().unwrap());
    assert!(kept.to_string_lossy().contains("before-restore"), "{v}");
    assert_eq!(dump(&kept), changed);
    // The restored database opens and checks clean.
    ok(d, &["check"]);
}

#[test]
fn a_damaged_file_is_refused_and_the_database_left_byte_identical() {
    let dir = shop();
    let d = dir.path();
    let saved = d.join("saved.db");
    ok(d, &["backup", saved.to_str().unwrap()]);
    ok(d, &["import", ITEMS]);
    let good = std::fs::read(&saved).unwrap();
    // Pages overwritten in the middle, a file cut short, and not SQLite at all.
    let mut scribbled = good.clone();
    // Data pages only: the schema still reads, the integrity check does not pass.
    let from = good.len() / 2 / 4096 * 4096;
    for b in &mut scribbled[from..from + 8192] {
        *b = 0x5a;
    }
    let cut = good[..good.len() / 3].to_vec();
    let text = b"order no,buyer\n1,x\n".to_vec();
    for (name, content) in [("scribbled", scribbled), ("cut", cut), ("text", text)] {
        let bad = d.join(format!("{name}.db"));
        std::fs::write(&bad, &content).unwrap();
        let snapshot = bytes(d);
        let listed = backups(d);
        let out = kehu(d, &["restore", bad.to_str().unwrap(), "--confirm"]);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("was not changed"),
            "{name}: {}",
            stderr(&out)
        );
        assert!(bytes(d) == snapshot, "{name}: the database changed");
        assert_eq!(
            std::fs::read(&bad).unwrap(),
            content,
            "{name}: the file changed"
        );
        assert_eq!(backups(d), listed, "{name}: a backup was written");
        let leftovers: Vec<_> = std::fs::read_dir(d.join("shop"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("restore-tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{name}: {leftovers:?}");
    }
}

#[test]
fn a_newer_schema_is_refused_everywhere_and_never_modified() {
    let dir = shop();
    let d = dir.path();
    let newer = d.join("newer.db");
    ok(d, &["backup", newer.to_str().unwrap()]);
    {
        let conn = rusqlite::Connection::open(&newer).unwrap();
        conn.execute_batch("PRAGMA user_version = 999").unwrap();
    }
    let content = std::fs::read(&newer).unwrap();
    // Restoring it: refused, both files untouched.
    let snapshot = bytes(d);
    let out = kehu(d, &["restore", newer.to_str().unwrap(), "--confirm"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("newer kehu"), "{}", stderr(&out));
    assert!(bytes(d) == snapshot);
    assert_eq!(std::fs::read(&newer).unwrap(), content);
    // Every kind of command on it: refused (exit 3), the file unchanged.
    let newer_dir = d.join("n");
    std::fs::create_dir_all(newer_dir.join("shop")).unwrap();
    std::fs::copy(&newer, db(&newer_dir)).unwrap();
    let before = std::fs::read(db(&newer_dir)).unwrap();
    for args in [
        vec!["stats"],
        vec!["check"],
        vec!["lookup", "x"],
        vec!["import", ITEMS],
        vec!["note", "#1", "x"],
        vec!["backup", "list"],
        vec!["restore", newer.to_str().unwrap(), "--confirm"],
    ] {
        let out = kehu(&newer_dir, &args);
        if args == ["backup", "list"] {
            // Reads only the backups folder (there is none).
            assert_eq!(out.status.code(), Some(0), "{args:?}");
        } else {
            assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        }
        assert_eq!(
            std::fs::read(db(&newer_dir)).unwrap(),
            before,
            "{args:?} changed it"
        );
    }
}

#[test]
fn an_import_without_its_backup_is_refused() {
    let dir = shop();
    let d = dir.path();
    // Where the backups folder should be, a file: the backup cannot be written.
    std::fs::write(d.join("shop").join("backups"), "in the way").unwrap();
    let before = dump(&db(d));
    let out = kehu(d, &["import", ITEMS]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was imported"),
        "{}",
        stderr(&out)
    );
    assert_eq!(dump(&db(d)), before);
}

#[test]
fn restore_is_refused_while_another_kehu_has_the_database_open() {
    let dir = shop();
    let d = dir.path();
    let saved = d.join("saved.db");
    ok(d, &["backup", saved.to_str().unwrap()]);
    common::pin_clock();
    let store = kehu::db::Store::open(&db(d)).unwrap();
    assert!(store.stats().unwrap().orders > 0);
    let before = dump(&db(d));
    let out = kehu(d, &["restore", saved.to_str().unwrap(), "--confirm"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("open in another kehu"),
        "{}",
        stderr(&out)
    );
    // An import running: refused as well.
    let lock = store.lock_import().unwrap();
    let out = kehu(d, &["restore", saved.to_str().unwrap(), "--confirm"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("import is running"),
        "{}",
        stderr(&out)
    );
    drop(lock);
    drop(store);
    assert_eq!(dump(&db(d)), before);
    ok(d, &["restore", saved.to_str().unwrap(), "--confirm"]);
}

/// kill -9 at random moments of a restore, 20 times: the database is either
/// the one before or the restored one, and checks clean. Slow; run with
/// `cargo test --test backup kill -- --nocapture`. Results in docs/reliability.md.
#[test]
fn kill_during_restore_leaves_before_or_after() {
    let dir = shop();
    let d = dir.path();
    let saved = d.join("saved.db");
    ok(d, &["backup", saved.to_str().unwrap()]);
    let after = dump(&saved);
    ok(d, &["import", ITEMS]);
    let restore = || {
        let mut cmd = kehu_cmd(d);
        cmd.args(["restore", saved.to_str().unwrap(), "--confirm"])
            .arg("--db")
            .arg(db(d))
            .env("KEHU_CONFIG", d.join("config.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    };
    // How long one restore takes here, to spread the kills over it.
    let t = std::time::Instant::now();
    let full = restore().status().unwrap();
    assert!(full.success());
    let took = t.elapsed().as_micros() as u64;
    let mut moments =
        common::kill::Moments::new(0x9e37_79b9_7f4a_7c15_u64 ^ std::process::id() as u64);
    let (mut before_n, mut after_n) = (0, 0);
    for run in 0..20 {
        // The shop before: the items imported again over the restored one.
        ok(d, &["import", ITEMS]);
        let before = dump(&db(d));
        let delay = moments.below(took + took / 5 + 1);
        common::kill::run_and_kill(&mut restore(), delay);
        let conn = rusqlite::Connection::open(db(d)).unwrap();
        let verdict: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        drop(conn);
        assert_eq!(verdict, "ok", "run {run}, delay {delay:?}");
        let now = dump(&db(d));
        if now == before {
            before_n += 1;
        } else {
            assert!(
                now == after,
                "run {run}, delay {delay:?}: neither before nor after"
            );
            after_n += 1;
        }
        eprintln!("run {run}: delay {delay:?} of {took} µs");
    }
    eprintln!("kill -9 during restore: 20 runs, {before_n} before, {after_n} after, integrity ok");
}

#[test]
fn the_daily_backup_is_written_once_a_day() {
    let dir = shop();
    let d = dir.path();
    common::pin_clock();
    let store = kehu::db::Store::open(&db(d)).unwrap();
    let made = store
        .daily_backup(10)
        .unwrap()
        .expect("the first of the day");
    assert!(
        made.to_string_lossy()
            .ends_with("k-20251201-090000-daily.db")
    );
    assert_eq!(store.daily_backup(10).unwrap(), None, "one a day");
    assert_eq!(backups(d), std::slice::from_ref(&made));
    assert_eq!(dump(&made), dump(&db(d)));
    // An empty database has nothing to keep.
    let empty = tempfile::tempdir().unwrap();
    let fresh = kehu::db::Store::open(&empty.path().join("k.db")).unwrap();
    assert_eq!(fresh.daily_backup(10).unwrap(), None);
    assert!(!empty.path().join("backups").exists());
}
