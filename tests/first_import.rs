//! A first import into a database that holds nothing is built in a new file
//! and put in place whole (src/db/first_import.rs): the same database as the
//! usual path, seen by another kehu that has it open, nothing left of a
//! refused one, and a kill at any moment leaves the empty database or the
//! whole import.

mod common;
use common::dump;

use common::{ITEMS, ORDERS, kehu_cmd};
use std::path::Path;
use std::process::Output;
use std::time::Instant;

const PDD: &str = "tests/fixtures/pdd/pdd-orders.csv";

fn import(dir: &Path, db: &Path, files: &[&str], usual: bool) -> Output {
    let mut cmd = kehu_cmd(dir);
    cmd.env("KEHU_IMPORT_TRACE", "1")
        .arg("import")
        .args(files)
        .arg("--db")
        .arg(db);
    if usual {
        cmd.env("KEHU_NO_FIRST_IMPORT", "1");
    }
    common::succeeded(cmd.output().unwrap(), &files)
}

/// Every row of the tables the logical dump leaves out (the batch log, what
/// undo keeps, the ledger as it is), sorted.
fn kept_rows(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables = dump::table_names(
        &conn,
        "name LIKE 'undo_%' OR name IN ('import_batches', 'ledger')",
    );
    let mut out = Vec::new();
    for t in tables {
        out.push(format!("== {t}"));
        out.extend(dump::sorted_rows(&conn, &format!("SELECT * FROM \"{t}\"")));
    }
    out
}

fn same_database(a: &Path, b: &Path) {
    let (x, y) = (dump::dump(a), dump::dump(b));
    if let Some(d) = dump::first_difference(&x, &y) {
        panic!("{d}");
    }
    assert_eq!(kept_rows(a), kept_rows(b));
}

#[test]
fn a_first_import_is_the_database_the_usual_path_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (first, usual) = (dir.path().join("first.db"), dir.path().join("usual.db"));
    let out = import(dir.path(), &first, &[ORDERS, ITEMS, PDD], false);
    let trace = String::from_utf8_lossy(&out.stderr);
    assert!(trace.contains("first import: in place"), "{trace}");
    import(dir.path(), &usual, &[ORDERS, ITEMS, PDD], true);
    same_database(&first, &usual);
    // Nothing left beside it, and the database is in WAL mode like any other.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("first-import")),
        "{names:?}"
    );
    let conn = rusqlite::Connection::open(&first).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // The first import wrote no reference to a row that is not there (it
    // runs without the checks).
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
    // A second import into it takes the usual path.
    let out = import(dir.path(), &first, &[ORDERS], false);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("first import"));
    common::kehu_in(dir.path(), &["check"]);
}

/// Another kehu (the app) has the empty database open: the import's pages
/// are copied in through SQLite, and it sees them. The database was made
/// with 8 KiB pages (SQLite's are 4 KiB): the new file takes its page size.
#[test]
fn a_first_import_reaches_a_kehu_that_has_the_database_open() {
    let dir = tempfile::tempdir().unwrap();
    let (db, usual) = (dir.path().join("k.db"), dir.path().join("usual.db"));
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA page_size = 8192; PRAGMA journal_mode = WAL;")
        .unwrap();
    let other = kehu::db::Store::open(&db).unwrap();
    assert_eq!(other.stats().unwrap().orders, 0);
    let out = import(dir.path(), &db, &[ORDERS, ITEMS], false);
    let trace = String::from_utf8_lossy(&out.stderr);
    assert!(trace.contains("first import: copied in"), "{trace}");
    assert_eq!(other.stats().unwrap().orders, 400);
    drop(other);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page, 8192);
    import(dir.path(), &usual, &[ORDERS, ITEMS], true);
    same_database(&db, &usual);
}

/// Every file refused: the empty database is left byte for byte, and the
/// new file is gone.
#[test]
fn a_refused_first_import_leaves_the_empty_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    drop(kehu::db::Store::open(&db).unwrap());
    let before = std::fs::read(&db).unwrap();
    let out = kehu_cmd(dir.path())
        .args(["import", "tests/fixtures/bad/truncated.csv", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!dir.path().join(".k.db.first-import").exists());
}

/// kill -9 at random moments of a first import of an order report and its
/// item report: the database is the empty one or holds both files, whole,
/// and passes SQLite's integrity check.
#[test]
fn a_killed_first_import_leaves_nothing_or_everything() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir(&export).unwrap();
    let made = kehu_cmd(dir.path())
        .args(["demo", "--export-csv"])
        .arg(&export)
        .args(["--orders", "3000", "--seed", "7"])
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let whole = dir.path().join("whole.db");
    let t0 = Instant::now();
    import(dir.path(), &whole, &[export.to_str().unwrap()], false);
    let full = t0.elapsed();
    let count = |db: &Path| -> (i64, i64, String) {
        let conn = rusqlite::Connection::open(db).unwrap();
        let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        (
            q("SELECT count(*) FROM orders"),
            q("SELECT count(*) FROM order_lines"),
            ok,
        )
    };
    let everything = count(&whole);
    assert!(everything.0 >= 3000 && everything.1 > 0, "{everything:?}");
    let mut moments = common::kill::Moments::new(0x2545_f491_4f6c_dd1d);
    let (mut nothing, mut all) = (0, 0);
    for run in 0..20 {
        let db = dir.path().join(format!("run{run}.db"));
        drop(kehu::db::Store::open(&db).unwrap());
        let delay = moments.below(full.as_micros() as u64 * 6 / 5 + 1);
        common::kill::run_and_kill(
            kehu_cmd(dir.path())
                .arg("import")
                .arg(&export)
                .arg("--db")
                .arg(&db),
            delay,
        );
        let left = count(&db);
        assert_eq!(left.2, "ok", "run {run}: integrity");
        match (left.0, left.1) {
            (0, 0) => nothing += 1,
            (o, l) if (o, l) == (everything.0, everything.1) => all += 1,
            other => panic!("run {run} after {delay:?}: part of the import: {other:?}"),
        }
    }
    println!("kill -9 during a first import ({full:?} whole): {nothing} nothing, {all} everything");
    assert_eq!(nothing + all, 20);
}

/// The app's own import into an empty shop: the worker's database is not
/// the app's only connection, so the built file is copied in, and the app
/// shows what came in.
#[test]
fn the_apps_first_import_shows_in_the_app() {
    use kehu::app::{Action, App, Key};
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let store = kehu::db::Store::open(&db).unwrap();
    let mut app = App::new(store, kehu::i18n::Lang::En, kehu::config::Config::default());
    app.update(Action::Resize(100, 30));
    app.handle_key(Key::Char('1'));
    assert!(app.customers.rows.is_empty());
    app.handle_key(Key::Char('i'));
    app.handle_key(Key::Ctrl('u'));
    common::type_text(&mut app, ORDERS);
    app.handle_key(Key::Enter);
    app.import_job.as_mut().unwrap().wait();
    app.update(Action::Tick);
    let said = app.message.as_ref().unwrap();
    assert!(!said.error, "{}", said.text);
    assert_eq!(app.store().stats().unwrap().orders, 400);
    assert!(!app.customers.rows.is_empty());
    assert!(!dir.path().join(".kehu.db.first-import").exists());
    drop(app);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}
