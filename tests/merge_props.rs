//! Property: random sequences of imports, notes, point adjustments, merges
//! and undos. A merge undone at once leaves every table as it was (the merge
//! log and the ledger's netting entries aside); whenever no merge is in
//! force the database equals one that saw the same imports, notes and
//! adjustments and no merge at all; a merged-away customer holds no points,
//! merges move points without making or losing any, and `check` finds
//! nothing wrong.

mod common;
mod merge_shop;

use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use kehu::import::ReportReader;
use merge_shop::{dump, dump_with, later_pdd, taobao_row, two_shops, write_taobao};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
enum Op {
    Import(usize),
    Merge(usize, usize),
    /// Merge, then undo at once: the dump must come back.
    MergeUndo(usize, usize),
    /// Undo the k-th most recent merge in force.
    Undo(usize),
    Note(usize),
    Adjust(usize, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize).prop_map(Op::Import),
        3 => (0..16usize, 0..16usize).prop_map(|(a, b)| Op::Merge(a, b)),
        2 => (0..16usize, 0..16usize).prop_map(|(a, b)| Op::MergeUndo(a, b)),
        3 => (0..3usize).prop_map(Op::Undo),
        1 => (0..16usize).prop_map(Op::Note),
        1 => (0..16usize, 1..300i64).prop_map(|(c, n)| Op::Adjust(c, n)),
    ]
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut f = two_shops(dir);
    f.push(later_pdd(dir));
    f.push(write_taobao(
        dir,
        "tb2.csv",
        &[
            taobao_row(
                "100000000000000011",
                "lisi_old",
                "李四",
                "上海市 上海市 浦东新区 世纪大道1号(200120)",
                "13900001111",
                "2025-09-01 09:00:00",
                "90.00",
            ),
            taobao_row(
                "100000000000000012",
                "qianqi",
                "钱七",
                "湖北省 武汉市 洪山区 珞喻路3号(430000)",
                "18600007777",
                "2025-09-03 09:00:00",
                "20.00",
            ),
        ],
    ));
    f
}

fn import(store: &mut Store, path: &Path) {
    let reader = ReportReader::open(std::fs::File::open(path).unwrap(), None).unwrap();
    store
        .import_report(
            &path.display().to_string(),
            reader,
            ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
}

fn live(db: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.prepare("SELECT id FROM customers WHERE merged_into IS NULL ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn q(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn is_refusal(e: &anyhow::Error) -> bool {
    e.downcast_ref::<kehu::db::Refused>().is_some()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn merges_and_undos_keep_the_database_whole(ops in prop::collection::vec(op(), 1..10)) {
        let _clock = common::lock_clock();
        let dir = tempfile::tempdir().unwrap();
        let fs = files(dir.path());
        let (sdb, rdb) = (dir.path().join("s.db"), dir.path().join("r.db"));
        let mut s = Store::open(&sdb).unwrap();
        let mut r = Store::open(&rdb).unwrap();
        import(&mut s, &fs[0]);
        import(&mut r, &fs[0]);
        let mut active: Vec<i64> = Vec::new();
        for op in ops {
            let ids = live(&sdb);
            let pick = |i: usize| ids[i % ids.len()];
            match op {
                Op::Import(k) => {
                    import(&mut s, &fs[k]);
                    import(&mut r, &fs[k]);
                }
                Op::Note(i) => {
                    let c = pick(i);
                    s.add_note(c, "called").unwrap();
                    r.add_note(c, "called").unwrap();
                }
                Op::Adjust(i, n) => {
                    let c = pick(i);
                    s.adjust_points(c, n, "gift").unwrap();
                    r.adjust_points(c, n, "gift").unwrap();
                }
                Op::Merge(a, b) => {
                    let before = dump(&sdb);
                    match s.merge_customers(pick(a), pick(b), Lang::En) {
                        Ok(done) => active.push(done.merge_id),
                        Err(e) => {
                            prop_assert!(is_refusal(&e), "{e:#}");
                            prop_assert_eq!(pick(a), pick(b));
                            prop_assert_eq!(dump(&sdb), before);
                        }
                    }
                }
                Op::MergeUndo(a, b) => {
                    let before = dump(&sdb);
                    if let Ok(done) = s.merge_customers(pick(a), pick(b), Lang::En) {
                        s.undo_merge(done.merge_id, Lang::En).unwrap();
                        prop_assert_eq!(dump(&sdb), before);
                    }
                }
                Op::Undo(k) => {
                    if active.is_empty() {
                        continue;
                    }
                    let at = active.len() - 1 - k % active.len();
                    let before = dump(&sdb);
                    match s.undo_merge(active[at], Lang::En) {
                        Ok(_) => {
                            active.remove(at);
                        }
                        Err(e) => {
                            prop_assert!(is_refusal(&e), "{e:#}");
                            prop_assert_eq!(dump(&sdb), before);
                        }
                    }
                }
            }
            if active.is_empty() {
                prop_assert_eq!(dump_with(&sdb, false), dump_with(&rdb, false));
            }
            // Points are moved, never made or lost; a merged-away customer has none.
            prop_assert_eq!(
                q(&sdb, "SELECT coalesce(sum(delta), 0) FROM ledger"),
                q(&rdb, "SELECT coalesce(sum(delta), 0) FROM ledger")
            );
            prop_assert_eq!(
                q(&sdb, "SELECT count(*) FROM customers c WHERE merged_into IS NOT NULL
                          AND (SELECT coalesce(sum(delta), 0) FROM ledger WHERE customer_id = c.id) != 0"),
                0
            );
            let report = s.check().unwrap();
            prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
    }
}
