//! Undo, as a property: for a random sequence of imports (a first export, a
//! later export of the same orders, an older one after it, re-imports, an
//! item report, another platform, a file with rejected rows, small generated
//! exports), undoing the last k batches newest first gives the same logical
//! dump as a database that imported only the first n − k.

mod common;
use common::dump;

use kehu::db::{ImportOptions, Store};
use kehu::import::ReportReader;
use proptest::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

const FIXED: &[&str] = &[
    "tests/fixtures/taobao/ExportOrderList202405201030.csv",
    "tests/fixtures/taobao/ExportOrderList202406011200.csv",
    "tests/fixtures/taobao/ExportOrderDetailList202405201030.csv",
    "tests/fixtures/pdd/pdd-orders.csv",
    "tests/fixtures/bad/excel-resaved-scientific.csv",
];

/// A small Taobao export made from the UTF-8 sample: a seeded subset of its
/// rows, some moved to a later status, some given a new buyer and order number.
fn generated(dir: &Path, seed: u64) -> PathBuf {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path("tests/fixtures/taobao/orders-utf8-bom.csv")
        .unwrap();
    let mut rows = rd.records().map(|r| r.unwrap());
    let header = rows.next().unwrap();
    let path = dir.join(format!("gen-{seed}.csv"));
    let mut file = File::create(&path).unwrap();
    std::io::Write::write_all(&mut file, "\u{feff}".as_bytes()).unwrap();
    let mut wr = csv::Writer::from_writer(file);
    wr.write_record(header.iter().map(|c| c.trim_start_matches('\u{feff}')))
        .unwrap();
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % 100
    };
    for rec in rows {
        let pick = next();
        if pick >= 25 {
            continue;
        }
        let mut cells: Vec<String> = rec.iter().map(str::to_string).collect();
        if pick < 8 {
            // A later status: the order is updated.
            cells[10] = match cells[10].as_str() {
                "买家已付款，等待卖家发货" => "卖家已发货，等待买家确认".into(),
                "卖家已发货，等待买家确认" => "交易成功".into(),
                other => other.to_string(),
            };
        } else if pick < 12 {
            // A new order of a new buyer: order number and nickname changed.
            cells[0] = format!("9{:03}{}", seed % 1000, &cells[0][4..]);
            cells[1] = format!("{}_g{}", cells[1], seed % 7);
        }
        wr.write_record(&cells).unwrap();
    }
    wr.flush().unwrap();
    path
}

fn import(store: &mut Store, path: &Path) {
    let reader = ReportReader::open(File::open(path).unwrap(), None).unwrap();
    store
        .import_report(
            &path.display().to_string(),
            reader,
            ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
}

/// Import `files` into a new database; undo the last `k` batches; the dump.
fn run(dir: &Path, name: &str, files: &[PathBuf], k: usize) -> Vec<String> {
    let db = dir.join(name);
    let mut store = Store::open(&db).unwrap();
    for f in files {
        import(&mut store, f);
    }
    for b in (files.len() - k + 1..=files.len()).rev() {
        store
            .undo_batch(b as i64)
            .unwrap_or_else(|e| panic!("undo {b}: {e}"));
    }
    // The suggestions' counts as a read sees them (out-of-date ones rebuilt).
    store.refresh_suggest_counts().unwrap();
    let check = store.check().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
    drop(store);
    dump::dump(&db)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn undoing_the_last_batches_gives_the_earlier_database(
        picks in prop::collection::vec((0usize..7, 0u64..50), 1..6),
        k_pick in 1usize..6,
    ) {
        let _clock = common::lock_clock();
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = picks
            .iter()
            .map(|&(i, seed)| match FIXED.get(i) {
                Some(f) => PathBuf::from(f),
                None => generated(dir.path(), seed),
            })
            .collect();
        let n = files.len();
        let k = 1 + (k_pick - 1) % n;
        let undone = run(dir.path(), "undone.db", &files, k);
        let earlier = run(dir.path(), "earlier.db", &files[..n - k], 0);
        if let Some(d) = dump::first_difference(&undone, &earlier) {
            panic!("{files:?} undo last {k}: {d}");
        }
    }
}
