//! The ledger kehu computes against the Taobao sample truth files (points in
//! total and per buyer, with the orders and spend they come from), and
//! re-imports awarding nothing twice.

mod common;

use kehu::db::{ImportOptions, Store};
use kehu::domain::tier::TierThresholds;
use kehu::import::ReportReader;
use std::path::Path;

fn import(store: &mut Store, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/taobao")
        .join(name);
    let f = std::fs::File::open(&path).unwrap();
    let reader = ReportReader::open(f, None).unwrap();
    store
        .import_report(name, reader, ImportOptions::default(), &mut |_| {})
        .unwrap();
}

fn truth(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/taobao")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn balance(store: &Store, spec: &str) -> i64 {
    let id = store.resolve_customer(spec).unwrap().unwrap();
    store
        .points_balance(id, &TierThresholds::default())
        .unwrap()
        .unwrap()
        .balance
}

fn assert_truth(store: &Store, t: &serde_json::Value) {
    let stats = store.stats().unwrap();
    assert_eq!(stats.orders, t["orders"].as_i64().unwrap(), "orders");
    assert_eq!(
        stats.customers,
        t["customers"].as_i64().unwrap(),
        "customers"
    );
    assert_eq!(stats.paid_fen, t["paid_fen"].as_i64().unwrap(), "paid");
    assert_eq!(
        stats.points_outstanding,
        t["points"].as_i64().unwrap(),
        "points outstanding"
    );
    // The ledger itself: every entry summed is the same total.
    let total: i64 = store
        .ledger_page(None, 0, usize::MAX)
        .unwrap()
        .iter()
        .map(|e| e.delta)
        .sum();
    assert_eq!(total, t["points"].as_i64().unwrap(), "ledger total");
    let top = t["top_buyers"].as_array().unwrap();
    let one = t["one_order_buyers"].as_array().unwrap();
    assert!(!top.is_empty() && !one.is_empty());
    for b in top.iter().chain(one) {
        let nick = b["nick"].as_str().unwrap();
        let spec = format!("taobao:{nick}");
        let id = store.resolve_customer(&spec).unwrap().expect(nick);
        let c = store.customer(id).unwrap().unwrap();
        assert_eq!(c.orders, b["orders"].as_i64().unwrap(), "{nick} orders");
        assert_eq!(c.paid_fen, b["paid_fen"].as_i64().unwrap(), "{nick} paid");
        assert_eq!(
            balance(store, &spec),
            b["points"].as_i64().unwrap(),
            "{nick} points"
        );
        // The buyer's ledger entries add up to the balance.
        let entries = store.ledger_page(Some(id), 0, usize::MAX).unwrap();
        assert_eq!(
            entries.iter().map(|e| e.delta).sum::<i64>(),
            b["points"].as_i64().unwrap(),
            "{nick} ledger"
        );
    }
    assert!(store.check().unwrap().problems.is_empty());
}

fn entries(store: &Store) -> usize {
    store.ledger_page(None, 0, usize::MAX).unwrap().len()
}

#[test]
fn points_match_the_truth_files_and_reimports_change_nothing() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    let first = truth("ExportOrderList202405201030.truth.json");
    let second = truth("ExportOrderList202406011200.truth.json");

    import(&mut store, "ExportOrderList202405201030.csv");
    assert_truth(&store, &first);
    let n = entries(&store);
    import(&mut store, "ExportOrderList202405201030.csv");
    assert_eq!(entries(&store), n, "re-import wrote ledger entries");
    assert_truth(&store, &first);

    import(&mut store, "ExportOrderList202406011200.csv");
    assert_truth(&store, &second);
    let n = entries(&store);
    import(&mut store, "ExportOrderList202406011200.csv");
    import(&mut store, "ExportOrderList202405201030.csv");
    assert_eq!(entries(&store), n, "re-import wrote ledger entries");
    assert_truth(&store, &second);
}

#[test]
fn points_match_the_utf8_sample_truth() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    import(&mut store, "orders-utf8-bom.csv");
    assert_truth(&store, &truth("orders-utf8-bom.truth.json"));
}

#[test]
fn redemptions_and_adjustments_never_go_below_zero() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    import(&mut store, "ExportOrderList202405201030.csv");
    let id = store
        .resolve_customer("taobao:风吹lucky28941_124")
        .unwrap()
        .unwrap();
    let before = entries(&store);
    let err = store.redeem_points(id, 1_000_000, "too much").unwrap_err();
    assert!(err.downcast_ref::<kehu::db::Refused>().is_some());
    assert_eq!(entries(&store), before);
    assert!(store.redeem_points(id, 10, "").is_err(), "note is required");
    assert_eq!(store.redeem_points(id, 98, "gift").unwrap(), 4400);
    assert!(store.adjust_points(id, -4401, "too much").is_err());
    assert_eq!(store.adjust_points(id, -4400, "zero").unwrap(), 0);
    assert_eq!(entries(&store), before + 2);
}
