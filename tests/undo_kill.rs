//! kill -9 at random moments during `kehu undo`: the database is left either
//! as before the undo or as after it, and SQLite's integrity check passes.
//! A few seconds (20 runs of the binary): `cargo test --test undo_kill -- --nocapture`.
//! Results are recorded in docs/reliability.md.

mod common;
use common::dump;

use common::{ITEMS, ORDERS, kehu_cmd};
use std::path::Path;
use std::time::Instant;

const LATER: &str = "tests/fixtures/taobao/ExportOrderList202406011200.csv";
const PDD: &str = "tests/fixtures/pdd/pdd-orders.csv";

fn kehu(dir: &Path, db: &Path, args: &[&str]) -> std::process::Output {
    kehu_cmd(dir)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

#[test]
fn kill_nine_during_undo_leaves_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    for f in [ORDERS, ITEMS, LATER, PDD] {
        assert_eq!(
            kehu(dir.path(), &base, &["import", f]).status.code(),
            Some(0)
        );
    }
    // Undo the last two batches (an update batch and a new-buyers batch).
    let before = dump::without_predictions(&dump::dump(&base));
    let after_db = dir.path().join("after.db");
    std::fs::copy(&base, &after_db).unwrap();
    let t0 = Instant::now();
    assert_eq!(
        kehu(dir.path(), &after_db, &["undo", "4"]).status.code(),
        Some(0)
    );
    let full = t0.elapsed();
    let after = dump::without_predictions(&dump::dump(&after_db));
    let mut moments = common::kill::Moments::new(0x9e3779b97f4a7c15);
    let (mut saw_before, mut saw_after) = (0, 0);
    for run in 0..20 {
        let db = dir.path().join(format!("run{run}.db"));
        std::fs::copy(&base, &db).unwrap();
        let delay = moments.below(full.as_micros() as u64 + 1);
        common::kill::run_and_kill(
            kehu_cmd(dir.path()).args(["undo", "4", "--db"]).arg(&db),
            delay,
        );
        let conn = rusqlite::Connection::open(&db).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "run {run}");
        drop(conn);
        let got = dump::without_predictions(&dump::dump(&db));
        if got == before {
            saw_before += 1;
        } else if got == after {
            saw_after += 1;
        } else {
            panic!("run {run} (after {delay:?}): neither before nor after");
        }
    }
    eprintln!("undo took {full:?}; killed runs left before: {saw_before}, after: {saw_after}");
}
