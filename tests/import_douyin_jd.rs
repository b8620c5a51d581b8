//! Douyin 抖店 and JD POP exports on the sample files in
//! `tests/fixtures/douyin` and `tests/fixtures/jd` (written by
//! `tests/fixtures/make_douyin_jd.py`, their truth computed there from the
//! generated orders): truth files, orders gathered from rows apart in the
//! file, re-imports that change nothing, refused files that write nothing,
//! and `--platform`.

mod common;

use kehu::db::{FileSummary, ImportError, ImportOptions, Store};
use kehu::domain::Platform;
use kehu::import::ReportReader;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SAMPLES: [&str; 3] = [
    "douyin/douyin-orders-54.csv",
    "douyin/douyin-orders-21.csv",
    "jd/jd-orders.csv",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn import_bytes(
    store: &mut Store,
    name: &str,
    bytes: &[u8],
    platform: Option<Platform>,
) -> Result<FileSummary, ImportError> {
    let reader = ReportReader::open(bytes, platform)?;
    store.import_report(name, reader, ImportOptions::default(), &mut |_| {})
}

/// A sample imported as `kehu import` does: read once to learn which orders'
/// rows stand apart, then streamed (only those held to the end).
fn import(store: &mut Store, rel: &str) -> Result<FileSummary, ImportError> {
    let bytes = std::fs::read(fixtures().join(rel)).expect("sample exists");
    let mut reader = ReportReader::open(&bytes[..], None)?;
    assert!(reader.gathers());
    reader.scan_apart(&bytes[..])?;
    store.import_report(rel, reader, ImportOptions::default(), &mut |_| {})
}

fn truth(rel: &str) -> Value {
    let path = fixtures().join(rel.replace(".csv", ".truth.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("truth exists")).expect("JSON")
}

fn platform_of(rel: &str) -> &'static str {
    if rel.starts_with("jd/") {
        "jd"
    } else {
        "douyin"
    }
}

fn assert_matches_truth(store: &Store, rel: &str) {
    let t = truth(rel);
    let s = store.stats().unwrap();
    let int = |k: &str| t[k].as_i64().unwrap_or_else(|| panic!("{rel}: {k}"));
    assert_eq!(s.orders, int("orders"), "{rel}: orders");
    assert_eq!(s.customers, int("customers"), "{rel}: customers");
    assert_eq!(s.lines, int("lines"), "{rel}: lines");
    assert_eq!(s.paid_fen, int("paid_fen"), "{rel}: paid_fen");
    assert_eq!(s.refund_fen, int("refund_fen"), "{rel}: refund_fen");
    assert_eq!(s.points_outstanding, int("points"), "{rel}: points");
    let want: std::collections::BTreeMap<String, i64> = t["status_counts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect();
    assert_eq!(s.status_counts, want, "{rel}: status counts");
    for b in t["buyers"].as_array().unwrap() {
        let key = b["key"].as_str().unwrap();
        let spec = format!("{}:{key}", platform_of(rel));
        let id = store.resolve_customer(&spec).unwrap().expect(key);
        let c = store.customer(id).unwrap().unwrap();
        assert_eq!(c.orders, b["orders"].as_i64().unwrap(), "{key} orders");
        assert_eq!(c.paid_fen, b["paid_fen"].as_i64().unwrap(), "{key} paid");
    }
}

#[test]
fn each_sample_matches_its_truth() {
    let _clock = common::lock_clock();
    for rel in SAMPLES {
        let mut store = Store::open_in_memory().unwrap();
        let s = import(&mut store, rel).unwrap();
        assert!(s.rejected.is_empty(), "{rel}: {:?}", s.rejected);
        assert_eq!(s.platform.map(|p| p.code()), Some(platform_of(rel)));
        assert_eq!(
            s.rows as i64,
            truth(rel)["rows"].as_i64().unwrap(),
            "{rel}: rows"
        );
        assert_matches_truth(&store, rel);
        let check = store.check().unwrap();
        assert!(check.problems.is_empty(), "{rel}: {check:?}");
    }
}

#[test]
fn jd_sample_is_gbk_with_tab_endings() {
    let bytes = std::fs::read(fixtures().join("jd/jd-orders.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK, not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    let row = text.lines().nth(1).unwrap();
    assert!(row.split(',').all(|c| c.ends_with('\t')), "{row}");
    assert!(text.starts_with("订单号,") && text.contains(",下单帐号,"));
    let r = ReportReader::open(&bytes[..], None).unwrap();
    assert_eq!(
        (r.platform(), r.encoding, r.delimiter),
        (Platform::Jd, "GB18030", b',')
    );
}

/// Every stored fact of an import, apart from the batch rows a re-import adds.
fn logical_dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT * FROM customers ORDER BY id",
        "SELECT * FROM receivers ORDER BY id",
        "SELECT * FROM orders ORDER BY id",
        "SELECT * FROM order_lines ORDER BY order_id, line_no",
        "SELECT * FROM order_lines_fp ORDER BY order_id",
        "SELECT id, customer_id, delta, kind, ref_order_id, ref_order_no, note FROM ledger ORDER BY id",
        "SELECT id, file, line, reason, raw FROM rejects ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push(cells.join("|"));
        }
    }
    out
}

#[test]
fn reimporting_a_sample_changes_nothing() {
    let _clock = common::lock_clock();
    for rel in SAMPLES {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let mut store = Store::open(&db).unwrap();
        import(&mut store, rel).unwrap();
        drop(store);
        let before = logical_dump(&db);
        let mut store = Store::open(&db).unwrap();
        let again = import(&mut store, rel).unwrap();
        drop(store);
        let orders = truth(rel)["orders"].as_u64().unwrap();
        assert_eq!(
            (
                again.orders_new,
                again.orders_updated,
                again.orders_unchanged,
                again.lines_written
            ),
            (0, 0, orders, 0),
            "{rel}"
        );
        assert_eq!(
            logical_dump(&db),
            before,
            "{rel}: the re-import changed the database"
        );
    }
}

/// The rows of the samples' split orders stand apart in the file; gathered
/// or adjacent, the same rows make the same orders.
#[test]
fn rows_apart_or_together_make_the_same_orders() {
    let _clock = common::lock_clock();
    for rel in ["douyin/douyin-orders-54.csv", "douyin/douyin-orders-21.csv"] {
        let text = std::fs::read_to_string(fixtures().join(rel)).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        // The orders' rows sorted together (a stable sort by 主订单编号).
        let mut sorted = lines.clone();
        sorted.sort_by_key(|l| l.split(',').next().unwrap_or("").to_string());
        assert_ne!(sorted, lines, "{rel}: the sample has rows apart");
        let together = format!("{header}\n{}\n", sorted.join("\n"));
        // Read once first (rows apart held to the end), and without that
        // first reading (every order held to the end): the same database.
        let mut a = Store::open_in_memory().unwrap();
        import(&mut a, rel).unwrap();
        let mut held = Store::open_in_memory().unwrap();
        let original = std::fs::read(fixtures().join(rel)).unwrap();
        import_bytes(&mut held, rel, &original, None).unwrap();
        assert_eq!(
            format!("{:?}", held.stats().unwrap()),
            format!("{:?}", a.stats().unwrap())
        );
        let mut b = Store::open_in_memory().unwrap();
        import_bytes(&mut b, rel, together.as_bytes(), None).unwrap();
        let (sa, sb) = (a.stats().unwrap(), b.stats().unwrap());
        assert_eq!(format!("{sa:?}"), format!("{sb:?}"), "{rel}");
        // And the sorted file after the original adds nothing and moves no money.
        let s = import_bytes(&mut a, rel, together.as_bytes(), None).unwrap();
        assert_eq!((s.orders_new, s.customers_new), (0, 0));
        assert_eq!(format!("{:?}", a.stats().unwrap()), format!("{sa:?}"));
    }
}

#[test]
fn a_later_export_updates_and_an_older_one_is_ignored() {
    let _clock = common::lock_clock();
    let head = "\u{FEFF}主订单编号,子订单编号,选购商品,商品规格,商品数量,商品单价,订单应付金额,运费,收件人,收件人手机号,省,市,区,街道,详细地址,订单提交时间,支付完成时间,订单状态,售后状态,买家留言,商家备注\n";
    let row = |sub: &str, status: &str, after: &str| {
        format!(
            "\"\t7001\",\"\t{sub}\",\"\t笔记本\",-,1,10.00,10.00,0.00,\"\t张伟\",\"\t13812341234\",广东省,深圳市,南山区,粤海街道,\"\t科技园1号\",2024/05/01 08:00:00,2024/05/01 08:01:00,{status},{after},-,-\n"
        )
    };
    let paid = format!(
        "{head}{}{}",
        row("70011", "待发货", "-"),
        row("70012", "待发货", "-")
    );
    let done = format!(
        "{head}{}{}",
        row("70011", "已完成", "-"),
        row("70012", "已关闭", "退款成功")
    );
    let mut store = Store::open_in_memory().unwrap();
    import_bytes(&mut store, "a.csv", paid.as_bytes(), None).unwrap();
    let s = import_bytes(&mut store, "b.csv", done.as_bytes(), None).unwrap();
    assert_eq!((s.orders_new, s.orders_updated), (0, 1));
    let st = store.stats().unwrap();
    assert_eq!((st.paid_fen, st.refund_fen, st.lines), (2000, 1000, 2));
    assert_eq!(st.status_counts.get("completed"), Some(&1));
    let old = import_bytes(&mut store, "a.csv", paid.as_bytes(), None).unwrap();
    assert_eq!((old.orders_updated, old.orders_stale), (0, 1));
    assert_eq!(format!("{:?}", store.stats().unwrap()), format!("{st:?}"));
}

#[test]
fn refused_files_leave_the_database_unchanged() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let mut store = Store::open(&db).unwrap();
    import(&mut store, "douyin/douyin-orders-21.csv").unwrap();
    drop(store);
    let before = logical_dump(&db);
    let jd = std::fs::read(fixtures().join("jd/jd-orders.csv")).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&jd);
    // JD without 下单帐号: no buyer, refused naming the column.
    let no_buyer = text.replacen("下单帐号", "下单备注", 1);
    let douyin = std::fs::read_to_string(fixtures().join("douyin/douyin-orders-54.csv")).unwrap();
    // A download cut inside a quoted cell.
    let cut = &douyin[..douyin.rfind("\"\t").unwrap() + 3];
    // Douyin without 收件人: no receiver to key the buyer by.
    let no_receiver = douyin.replacen(",收件人,", ",收件地区,", 1);
    for (name, bytes, expect) in [
        ("no-receiver.csv", no_receiver.into_bytes(), "收件人"),
        (
            "no-buyer.csv",
            encoding_rs::GBK.encode(&no_buyer).0.into_owned(),
            "下单账号",
        ),
        ("cut.csv", cut.as_bytes().to_vec(), "行"),
    ] {
        let mut store = Store::open(&db).unwrap();
        let err = import_bytes(&mut store, name, &bytes, None).expect_err(name);
        assert!(err.to_string().contains(expect), "{name}: {err}");
        drop(store);
        assert_eq!(logical_dump(&db), before, "{name} changed the database");
    }
}

#[test]
fn platform_option_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let jd = fixtures().join("jd/jd-orders.csv");
    let jd = jd.to_str().unwrap();
    let out = common::kehu_in(
        dir.path(),
        &["import", jd, "--platform", "douyin", "--json"],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "a JD file is not a Douyin export"
    );
    let v = common::ok_json(dir.path(), &["import", jd, "--platform", "jd", "--json"]);
    assert_eq!(v["files"][0]["platform"], "jd", "{v}");
    assert_eq!(v["orders_new"], truth("jd/jd-orders.csv")["orders"], "{v}");
}

/// The demo shop has a Douyin shop beside the Taobao one: a few % of the
/// orders, some rows with masked or encrypted phones, and a few people who
/// buy in both under the same receiver name and full phone.
#[test]
fn the_demo_has_a_douyin_shop_with_people_in_both() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    kehu::demo::build_demo(&db, 1000, 7).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let douyin = count("SELECT count(*) FROM orders WHERE platform = 'douyin'");
    assert!((12..=60).contains(&douyin), "{douyin} Douyin orders");
    assert_eq!(count("SELECT count(*) FROM rejects"), 0);
    let both = count(
        "SELECT count(DISTINCT d.id) FROM customers d
         JOIN receivers rd ON rd.customer_id = d.id
         JOIN receivers rt ON rt.phone = rd.phone AND rt.name = rd.name
         JOIN customers t ON t.id = rt.customer_id
         WHERE d.platform = 'douyin' AND t.platform = 'taobao' AND length(rd.phone) = 11",
    );
    assert!(both >= 3, "{both} people in both shops");
    let masked =
        count("SELECT count(*) FROM customers WHERE platform = 'douyin' AND buyer_key LIKE '%||%'");
    assert!(masked > 0, "Douyin buyers keyed without a masked phone");
}

/// A Douyin buyer's derived key (`收件人|尾号|地址`, as `kehu rejects` and
/// `merge suggest` show it), typed whole, finds that buyer first, as a Taobao
/// 买家会员名 does: the exact-key match covers every platform.
#[test]
fn lookup_by_a_douyin_key_finds_the_buyer() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let rel = "douyin/douyin-orders-54.csv";
    import(&mut store, rel).unwrap();
    let key = truth(rel)["buyers"][0]["key"].as_str().unwrap().to_string();
    let hits = store.lookup(&key, 5, false).unwrap();
    let first = hits.first().expect("a hit");
    assert_eq!(
        (first.platform.as_str(), first.buyer.as_str()),
        ("douyin", key.as_str())
    );
    assert_eq!(first.rank, kehu::domain::lookup::MatchRank::ExactName);
}
