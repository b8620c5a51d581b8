//! Hostile databases and amounts: absurd amounts in an export, and database files kehu must
//! not touch (a foreign SQLite file, a newer kehu's database, a file that is
//! not SQLite, a read-only database), backups into bad places, and a
//! database passed with loose permissions.
//!
//! Tests run as root in CI, and root ignores file permissions. kehu decides
//! that a database is read-only from its mode bits (no write bit at all) as
//! well as from access(2), so the read-only code path is exercised as root
//! too; only the assertion that the operating system itself refuses a write
//! is left to non-root runs.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `kehu ARGS --db DB` in a sealed home under `dir`.
fn kehu(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let out = common::kehu_cmd(dir)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,退款金额\n";

fn order(no: u32, buyer: &str, paid: &str, refund: &str) -> String {
    format!(
        "{no},{buyer},{paid},交易成功,,张三,北京市,13800000000,2024-01-0{} 10:00:00,,{refund}\n",
        no % 9 + 1
    )
}

fn write_csv(dir: &Path, name: &str, rows: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{HEADER}{}", rows.concat())).unwrap();
    path
}

fn import_json(dir: &Path, db: &Path, csv: &Path) -> Value {
    let r = kehu(dir, db, &["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{} / {}", r.stdout, r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn rejected_lines(v: &Value) -> Vec<(u64, String)> {
    v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn two_absurd_amounts_are_rejected_rows_with_lines() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let csv = write_csv(
        dir.path(),
        "absurd.csv",
        &[
            order(1001, "甲", "12.00", "0"),
            order(1002, "乙", "50000000000000000.00", "0"),
            order(1003, "乙", "50000000000000000.00", "0"),
            order(1004, "丙", "99999999999999999999.00", "0"),
        ],
    );
    let v = import_json(dir.path(), &db, &csv);
    let rej = rejected_lines(&v);
    assert_eq!(
        rej.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![3, 4, 5],
        "{v}"
    );
    assert!(rej[0].1.contains("10,000,000"), "{rej:?}");
    assert_eq!(v["orders_new"], 1);
    let s = kehu(dir.path(), &db, &["stats", "--json"]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let check = kehu(dir.path(), &db, &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    // In English too, with the code kept.
    let r = kehu(dir.path(), &db, &["rejects", "--json", "--lang", "en"]);
    assert!(r.stdout.contains("above the limit"), "{}", r.stdout);
}

#[test]
fn an_order_of_i64_max_fen_is_rejected_and_stats_works() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let csv = write_csv(
        dir.path(),
        "max.csv",
        &[
            order(2001, "乙", "92233720368547758.07", "0"),
            order(2002, "丙", "1.00", "0"),
            order(2003, "丁", "10000000.00", "0"),
            order(2004, "戊", "10000000.01", "0"),
        ],
    );
    let v = import_json(dir.path(), &db, &csv);
    let rej = rejected_lines(&v);
    assert_eq!(
        rej.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![2, 5],
        "{v}"
    );
    let s = kehu(dir.path(), &db, &["stats", "--json"]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let s: Value = serde_json::from_str(&s.stdout).unwrap();
    assert_eq!(s["paid_fen"], 1_000_000_100i64);
}

#[test]
fn negative_amounts_are_rejected_and_check_agrees() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let csv = write_csv(
        dir.path(),
        "neg.csv",
        &[
            order(3001, "丁", "-5.00", "0"),
            order(3002, "戊", "5.00", "-1.00"),
            order(3003, "己", "5.00", "0"),
        ],
    );
    let v = import_json(dir.path(), &db, &csv);
    let rej = rejected_lines(&v);
    assert_eq!(
        rej.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![2, 3],
        "{v}"
    );
    assert!(rej[0].1.contains("负"), "{rej:?}");
    let check = kehu(dir.path(), &db, &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

/// A database written by an older kehu (before amounts were bounded) with
/// absurd amounts stored: `stats` still answers, `check` names the orders.
#[test]
fn stats_never_fails_on_stored_absurd_amounts() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let csv = write_csv(
        dir.path(),
        "ok.csv",
        &[
            order(4001, "甲", "1.00", "0"),
            order(4002, "乙", "2.00", "0"),
        ],
    );
    import_json(dir.path(), &db, &csv);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE orders SET paid_fen = 9223372036854775807", [])
            .unwrap();
    }
    let s = kehu(dir.path(), &db, &["stats", "--json"]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let check = kehu(dir.path(), &db, &["check"]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("10,000,000"), "{}", check.stdout);
}

// ---- item 8: files kehu must not touch ----

fn foreign_db(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO recipes (name) VALUES ('红烧肉');",
    )
    .unwrap();
}

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("foreign.db");
    foreign_db(&db);
    let before = std::fs::read(&db).unwrap();
    for args in [&["stats"][..], &["import", "x.csv"], &["check"]] {
        let r = kehu(dir.path(), &db, args);
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("不是 kehu 数据库"), "{}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    }
    let r = kehu(dir.path(), &db, &["stats", "--lang", "en"]);
    assert!(r.stderr.contains("not a kehu database"), "{}", r.stderr);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!dir.path().join("foreign.db-wal").exists());
}

#[test]
fn a_newer_rollback_database_is_refused_before_any_change() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newer.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY);
             CREATE TABLE orders (id INTEGER PRIMARY KEY);
             PRAGMA user_version = 999;",
        )
        .unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
    let before = std::fs::read(&db).unwrap();
    let r = kehu(dir.path(), &db, &["stats"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("更新版本"), "{}", r.stderr);
    let r = kehu(dir.path(), &db, &["import", "x.csv", "--lang", "en"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("newer"), "{}", r.stderr);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!dir.path().join("newer.db-wal").exists());
    assert!(!dir.path().join("newer.db-shm").exists());
}

#[test]
fn a_table_name_clash_is_one_line() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clash.db");
    // A kehu database at version 1 where something else created the table
    // migration 2 makes.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(include_str!("../src/db/migrations/001_foundation.sql"))
            .unwrap();
        conn.execute_batch("CREATE TABLE complaints (x); PRAGMA user_version = 1;")
            .unwrap();
    }
    let r = kehu(dir.path(), &db, &["stats"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains("CREATE TABLE"), "{}", r.stderr);
    assert!(r.stderr.contains("complaints"), "{}", r.stderr);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_a_sentence() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "这不是数据库，只是一段文字。".repeat(40)).unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [&["stats"][..], &["import", "x.csv"], &["lookup", "a"]] {
        let r = kehu(dir.path(), &db, args);
        assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("file is not a database"), "{}", r.stderr);
        assert!(r.stderr.contains("不是 kehu 数据库"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

fn sample_db(dir: &Path) -> PathBuf {
    let db = dir.join("shop").join("kehu.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let csv = write_csv(
        dir,
        "shop.csv",
        &[
            order(5001, "甲", "12.00", "0"),
            order(5002, "乙", "30.00", "0"),
        ],
    );
    import_json(dir, &db, &csv);
    db
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Read commands work on a read-only database (file or folder) and write
/// commands are refused with exit 3. As root the OS would let kehu write
/// anyway; kehu reads the mode bits, so the same path is taken.
#[cfg(unix)]
#[test]
fn a_read_only_database_reads_and_refuses_writes() {
    common::pin_clock();
    for folder in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let db = sample_db(dir.path());
        let shop = db.parent().unwrap().to_path_buf();
        if folder {
            chmod(&shop, 0o555);
        } else {
            chmod(&db, 0o444);
        }
        let before = std::fs::read(&db).unwrap();
        for args in [
            &["stats"][..],
            &["check"],
            &["lookup", "甲"],
            &["rejects"],
            &["export", "customers"],
            &["points", "balance", "甲"],
            &["complaint", "list"],
            &[
                "backup",
                dir.path()
                    .join(format!("copy-{folder}.db"))
                    .to_str()
                    .unwrap(),
            ],
        ] {
            let r = kehu(dir.path(), &db, args);
            assert_eq!(r.code, 0, "folder={folder} {args:?}: {}", r.stderr);
        }
        let csv = write_csv(dir.path(), "more.csv", &[order(5003, "丙", "1.00", "0")]);
        for args in [
            &["import", csv.to_str().unwrap()][..],
            &["note", "甲", "hi"],
            &["points", "adjust", "甲", "5", "--note", "x"],
        ] {
            let r = kehu(dir.path(), &db, args);
            assert_eq!(r.code, 3, "folder={folder} {args:?}: {}", r.stderr);
            assert!(r.stderr.contains("只读"), "{}", r.stderr);
            assert!(!r.stderr.contains("attempt to write"), "{}", r.stderr);
        }
        let r = kehu(dir.path(), &db, &["note", "甲", "hi", "--lang", "en"]);
        assert!(r.stderr.contains("read-only"), "{}", r.stderr);
        assert_eq!(std::fs::read(&db).unwrap(), before);
        chmod(&shop, 0o755);
        chmod(&db, 0o600);
    }
}

#[test]
fn backup_into_a_missing_folder_or_onto_a_file_is_refused() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path());
    let missing = dir.path().join("no-such-folder").join("b.db");
    let r = kehu(dir.path(), &db, &["backup", missing.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!r.stderr.contains("unable to open"), "{}", r.stderr);
    assert!(r.stderr.contains("no-such-folder"), "{}", r.stderr);
    let existing = dir.path().join("shop.csv");
    let r = kehu(dir.path(), &db, &["backup", existing.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let good = dir.path().join("b.db");
    let r = kehu(dir.path(), &db, &["backup", good.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// ---- item 9: loose permissions ----

#[cfg(unix)]
#[test]
fn a_world_readable_database_is_made_private_once() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = sample_db(dir.path());
    chmod(&db, 0o644);
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    let shm = PathBuf::from(format!("{}-shm", db.display()));
    for side in [&wal, &shm] {
        std::fs::write(side, b"").unwrap();
        chmod(side, 0o644);
    }
    // Hold a connection so the side files stay while kehu writes.
    let held = rusqlite::Connection::open(&db).unwrap();
    held.query_row("SELECT count(*) FROM orders", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let r = kehu(dir.path(), &db, &["note", "甲", "老客户"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("0600"), "{}", r.stderr);
    assert_eq!(r.stderr.matches("0600").count(), 1, "{}", r.stderr);
    assert_eq!(mode(&db), 0o600);
    for side in [&wal, &shm] {
        assert_eq!(mode(side), 0o600, "{}", side.display());
    }
    let r = kehu(dir.path(), &db, &["note", "甲", "再来", "--lang", "en"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("0600"), "said again: {}", r.stderr);
    drop(held);
}
