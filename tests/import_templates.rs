//! The Taobao/Tmall templates (41, 46, 56, 61, 68 columns, a 千牛 custom one,
//! an item report keyed by 子订单编号) and the Kuaishou and Youzan exports in
//! `tests/fixtures/{taobao-templates,kuaishou,youzan}` against their truth
//! files (written by `tests/fixtures/make_templates.py` from the rows it
//! wrote); the exports without buyer columns are refused whole, naming the
//! columns to tick, and leave the database as it was.

mod common;

use kehu::db::{ImportError, ImportOptions, Store};
use kehu::domain::Platform;
use kehu::import::ReportReader;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn import_as(
    store: &mut Store,
    rel: &str,
    platform: Option<Platform>,
) -> Result<kehu::db::FileSummary, ImportError> {
    let f = std::fs::File::open(fixtures().join(rel)).expect("fixture exists");
    let reader = ReportReader::open(f, platform)?;
    store.import_report(rel, reader, ImportOptions::default(), &mut |_| {})
}

fn import(store: &mut Store, rel: &str) -> Result<kehu::db::FileSummary, ImportError> {
    import_as(store, rel, None)
}

fn truth(rel: &str) -> Value {
    let path = fixtures().join(rel.replace(".csv", ".truth.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("truth exists")).expect("JSON")
}

/// Every sample that imports: the order export, and the item report that goes with it.
const SAMPLES: &[(&str, Option<&str>)] = &[
    ("taobao-templates/orders-41.csv", None),
    ("taobao-templates/orders-46.csv", None),
    ("taobao-templates/orders-56.csv", None),
    ("taobao-templates/orders-61.csv", None),
    (
        "taobao-templates/orders-68.csv",
        Some("taobao-templates/items-68-by-sub-order.csv"),
    ),
    ("taobao-templates/orders-qianniu-custom.csv", None),
    ("kuaishou/ks-orders.csv", None),
    ("kuaishou/ks-orders-buyer-id.csv", None),
    ("youzan/yz-orders.csv", None),
    ("youzan/yz-orders-no-nick.csv", None),
];

/// The exports without any buyer column, and what their refusal must name.
const REFUSED: &[(&str, &[&str])] = &[
    (
        "taobao-templates/orders-no-buyer.csv",
        &["淘宝", "买家会员名", "收货人姓名", "联系手机", "导出模板"],
    ),
    (
        "kuaishou/ks-no-buyer.csv",
        &["快手", "买家ID", "收货人", "收货人电话", "收货地址"],
    ),
    (
        "youzan/yz-no-buyer.csv",
        &[
            "有赞",
            "买家昵称",
            "收货人/提货人",
            "收货人手机号/提货人手机号",
            "详细收货地址/提货地址",
        ],
    ),
];

fn assert_matches_truth(store: &Store, t: &Value, file: &str) {
    let s = store.stats().expect("stats");
    let int = |k: &str| t[k].as_i64().unwrap_or_else(|| panic!("{file}: truth {k}"));
    assert_eq!(s.orders, int("orders"), "{file}: orders");
    assert_eq!(s.customers, int("customers"), "{file}: customers");
    assert_eq!(s.lines, int("lines"), "{file}: lines");
    assert_eq!(s.paid_fen, int("paid_fen"), "{file}: paid_fen");
    assert_eq!(s.refund_fen, int("refund_fen"), "{file}: refund_fen");
    let want: BTreeMap<String, i64> = t["status_counts"]
        .as_object()
        .expect("counts")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().expect("int")))
        .collect();
    assert_eq!(s.status_counts, want, "{file}: status counts");
    let platform = t["platform"].as_str().expect("platform");
    let buyers = t["buyers"].as_array().expect("buyers");
    assert!(!buyers.is_empty(), "{file}: truth names buyers");
    for b in buyers {
        let key = b["key"].as_str().expect("key");
        let id = store
            .resolve_customer(&format!("{platform}:{key}"))
            .expect("lookup")
            .unwrap_or_else(|| panic!("{file}: no customer {platform}:{key}"));
        let c = store.customer(id).expect("read").expect("customer");
        assert_eq!(
            c.orders,
            b["orders"].as_i64().unwrap(),
            "{file}: {key} orders"
        );
        assert_eq!(
            c.paid_fen,
            b["paid_fen"].as_i64().unwrap(),
            "{file}: {key} paid"
        );
        // The bare key finds the buyer too, whatever the platform.
        assert_eq!(
            store.resolve_customer(key).expect("lookup"),
            Some(id),
            "{file}: {key} without its platform"
        );
    }
}

#[test]
fn each_template_and_shop_export_matches_its_truth() {
    let _clock = common::lock_clock();
    for (orders, items) in SAMPLES {
        let t = truth(orders);
        let mut store = Store::open_in_memory().unwrap();
        let s = import(&mut store, orders).unwrap_or_else(|e| panic!("{orders}: {e}"));
        assert!(s.rejected.is_empty(), "{orders}: {:?}", s.rejected);
        assert!(
            s.unknown_statuses.is_empty(),
            "{orders}: {:?}",
            s.unknown_statuses
        );
        assert_eq!(
            s.platform.map(|p| p.code()),
            t["platform"].as_str(),
            "{orders}: detected platform"
        );
        assert_eq!(
            s.orders_new as i64,
            t["orders"].as_i64().unwrap(),
            "{orders}"
        );
        if let Some(items) = items {
            let s = import(&mut store, items).unwrap_or_else(|e| panic!("{items}: {e}"));
            assert!(s.rejected.is_empty(), "{items}: {:?}", s.rejected);
            assert_eq!(s.kind, Some(kehu::import::ReportKind::Items), "{items}");
        }
        assert_matches_truth(&store, &t, orders);
        let check = store.check().unwrap();
        assert!(check.problems.is_empty(), "{orders}: {check:?}");

        // The same file again changes nothing.
        let again = import(&mut store, orders).unwrap();
        assert_eq!(
            (again.orders_new, again.orders_updated, again.customers_new),
            (0, 0, 0),
            "{orders}: re-import"
        );
        assert_matches_truth(&store, &t, orders);
    }
}

/// The item report keyed by 主订单编号 + 子订单编号 gives each line its
/// sub-order and counts a line's refund only when 退款状态 says it went back.
#[test]
fn sub_order_item_report_lines_and_refunds() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let mut store = Store::open(&db).unwrap();
    import(&mut store, "taobao-templates/orders-68.csv").unwrap();
    let s = import(&mut store, "taobao-templates/items-68-by-sub-order.csv").unwrap();
    drop(store);
    let t = truth("taobao-templates/orders-68.csv");
    assert_eq!(s.lines as i64, t["lines"].as_i64().unwrap());
    // The rows whose 退款状态 is 退款关闭 carry an amount; it must not count.
    let text =
        std::fs::read_to_string(fixtures().join("taobao-templates/items-68-by-sub-order.csv"))
            .unwrap();
    let mut back = 0i64;
    let mut closed_rows = 0;
    for row in text.lines().skip(1) {
        // The last two cells: 退款状态, 退款金额 (no commas in either).
        let cells: Vec<&str> = row.trim_end_matches('\r').rsplitn(3, ',').collect();
        let amount = || -> i64 {
            let (y, f) = cells[0].split_once('.').expect("amount");
            y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
        };
        match cells[1] {
            "退款成功" => back += amount(),
            "退款关闭" => closed_rows += 1,
            _ => {}
        }
    }
    assert!(back > 0 && closed_rows > 0, "the sample has both kinds");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (stored, subs): (i64, i64) = conn
        .query_row(
            "SELECT sum(refund_fen), count(DISTINCT sub_order_no) FROM order_lines",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored, back, "line refunds");
    assert_eq!(
        subs,
        t["lines"].as_i64().unwrap(),
        "one line per 子订单编号"
    );
}

fn dump(path: &Path) -> Vec<u8> {
    let store = Store::open(path).unwrap();
    let mut out = format!("{:?}", store.stats().unwrap()).into_bytes();
    out.extend(format!("{:?}", store.rejects().unwrap()).into_bytes());
    drop(store);
    out.extend(std::fs::read(path).unwrap());
    out
}

#[test]
fn exports_without_buyer_columns_are_refused_naming_them() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    {
        let mut store = Store::open(&db).unwrap();
        import(&mut store, "kuaishou/ks-orders.csv").unwrap();
    }
    let before = dump(&db);
    for (file, names) in REFUSED {
        let mut store = Store::open(&db).unwrap();
        let err = import(&mut store, file).expect_err(file);
        let zh = err.to_string();
        for name in *names {
            assert!(zh.contains(name), "{file}: {name} not in {zh}");
        }
        drop(store);
        assert_eq!(dump(&db), before, "{file} changed the database");
    }
}

/// The binary: exit 3 and the columns named in either language, the
/// database untouched; `--platform` picks the preset.
#[test]
fn cli_refusal_and_platform_override() {
    let dir = tempfile::tempdir().unwrap();
    let path = |rel: &str| fixtures().join(rel).display().to_string();
    let ks = path("kuaishou/ks-orders.csv");
    let v = common::ok_json(
        dir.path(),
        &["import", "--json", "--platform", "kuaishou", &ks],
    );
    assert_eq!(v["platform"], "kuaishou");
    let db = dir.path().join("k.db");
    let before = std::fs::read(&db).unwrap();
    for (file, names) in REFUSED {
        for lang in ["zh", "en"] {
            let out = common::kehu_in(dir.path(), &["--lang", lang, "import", &path(file)]);
            assert_eq!(out.status.code(), Some(3), "{file}");
            let err = String::from_utf8_lossy(&out.stderr);
            // Column names stay Chinese in English too; the platform's name does not.
            let columns = names
                .iter()
                .filter(|n| !["淘宝", "快手", "有赞", "导出模板"].contains(n));
            for name in columns {
                assert!(err.contains(name), "{file} ({lang}): {name} not in {err}");
            }
            if lang == "en" {
                assert!(err.contains("export template"), "{err}");
            }
        }
    }
    // Read as another platform's export, a Kuaishou file is not one.
    let out = common::kehu_in(dir.path(), &["import", "--platform", "taobao", &ks]);
    assert_eq!(out.status.code(), Some(3));
    let yz = path("youzan/yz-orders.csv");
    let out = common::kehu_in(dir.path(), &["import", "--platform", "kuaishou", &yz]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "refusals wrote nothing"
    );
    let v = common::ok_json(
        dir.path(),
        &["import", "--json", "--platform", "youzan", &yz],
    );
    assert_eq!(v["platform"], "youzan");
}

/// A later Kuaishou export of the same orders (every shipped one since
/// received) updates them in place: no new order, no new customer (the
/// receiver-derived keys are the same), and the status counts move.
#[test]
fn a_later_kuaishou_export_updates_in_place() {
    let _clock = common::lock_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "kuaishou/ks-orders.csv").unwrap();
    let before = store.stats().unwrap();
    let shipped = before.status_counts["shipped"];
    assert!(shipped > 0);
    let text = std::fs::read_to_string(fixtures().join("kuaishou/ks-orders.csv")).unwrap();
    let later = text.replace(",已发货,", ",已收货,");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ks-later.csv");
    std::fs::write(&path, later).unwrap();
    let reader = ReportReader::open(std::fs::File::open(&path).unwrap(), None).unwrap();
    let s = store
        .import_report(
            "ks-later.csv",
            reader,
            ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        (s.orders_new, s.customers_new, s.orders_updated as i64),
        (0, 0, shipped)
    );
    let after = store.stats().unwrap();
    assert_eq!(after.customers, before.customers);
    assert_eq!(after.status_counts.get("shipped"), None);
    assert_eq!(
        after.status_counts["completed"],
        before.status_counts["completed"] + shipped
    );
}

/// `lookup` by a Kuaishou buyer id (a key that is no name, phone or order
/// number) finds that buyer, as a Taobao nickname finds its buyer.
#[test]
fn lookup_by_a_kuaishou_buyer_id() {
    let _clock = common::lock_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "kuaishou/ks-orders-buyer-id.csv").unwrap();
    let t = truth("kuaishou/ks-orders-buyer-id.csv");
    let key = t["buyers"][0]["key"].as_str().unwrap();
    let hits = store.lookup(key, 5, false).unwrap();
    assert_eq!(hits.len(), 1, "{key}: {hits:?}");
    assert_eq!(hits[0].buyer, key);
}
