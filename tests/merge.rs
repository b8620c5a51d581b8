//! `kehu merge`: suggestions (JSON shape, order, evidence, what is left out),
//! merging (what moves, the ledger's transfer, refusals with exit 3 and the
//! database unchanged), lookups and imports after a merge, and undo.

mod common;
mod merge_shop;

use common::{kehu_in, ok_json};
use merge_shop::{balances, dump, later_pdd, two_shops};
use serde_json::Value;
use std::path::Path;

fn shop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = two_shops(dir.path());
    let mut args = vec!["import"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let out = kehu_in(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn db(dir: &Path) -> std::path::PathBuf {
    dir.join("k.db")
}

fn pairs(dir: &Path) -> Vec<(String, String, u64, String)> {
    let v = ok_json(dir, &["--lang", "en", "merge", "suggest", "--json"]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let o = p.as_object().unwrap();
            assert_eq!(o.len(), 4, "{p}");
            (
                o["a"].as_str().unwrap().to_string(),
                o["b"].as_str().unwrap().to_string(),
                o["score"].as_u64().unwrap(),
                o["why"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn key_of(dir: &Path, name: &str, platform: &str) -> String {
    let conn = rusqlite::Connection::open(db(dir)).unwrap();
    conn.query_row(
        "SELECT c.platform || ':' || c.buyer_key FROM customers c JOIN receivers r ON r.customer_id = c.id
         WHERE r.name = ? AND c.platform = ? ORDER BY c.id LIMIT 1",
        [name, platform],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn suggest_pairs_strongest_first_and_never_on_a_masked_phone() {
    let dir = shop();
    let got = pairs(dir.path());
    let ps: Vec<(&str, &str, u64)> = got
        .iter()
        .map(|p| (p.0.as_str(), p.1.as_str(), p.2))
        .collect();
    let xiaomei = (
        key_of(dir.path(), "王小美", "taobao"),
        key_of(dir.path(), "王小美", "pdd"),
    );
    assert!(
        ps.contains(&(xiaomei.0.as_str(), xiaomei.1.as_str(), 100)),
        "{ps:?}"
    );
    assert!(
        ps.contains(&("taobao:lisi_new", "taobao:lisi_old", 100))
            || ps.contains(&("taobao:lisi_old", "taobao:lisi_new", 100)),
        "{ps:?}"
    );
    let zhang = (
        key_of(dir.path(), "张三", "taobao"),
        key_of(dir.path(), "张三", "pdd"),
    );
    assert!(
        ps.contains(&(zhang.0.as_str(), zhang.1.as_str(), 70)),
        "{ps:?}"
    );
    // 赵六's phone is masked in both shops: no evidence. 钱七 is alone.
    assert!(
        !got.iter()
            .any(|p| p.0.contains("zhaoliu") || p.1.contains("zhaoliu") || p.0.contains("qianqi")),
        "{ps:?}"
    );
    assert_eq!(ps.len(), 3, "{ps:?}");
    let scores: Vec<u64> = ps.iter().map(|p| p.2).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(
        got.iter()
            .find(|p| p.2 == 70)
            .unwrap()
            .3
            .contains("phone tail")
    );
    // In Chinese by default.
    let zh = ok_json(dir.path(), &["merge", "suggest", "--json"]);
    assert!(zh[0]["why"].as_str().unwrap().contains("手机号"), "{zh}");
}

#[test]
fn a_merge_moves_everything_and_transfers_points() {
    let dir = shop();
    let d = dir.path();
    let (a, b) = (key_of(d, "王小美", "taobao"), key_of(d, "王小美", "pdd"));
    assert_eq!(
        kehu_in(d, &["note", &b, "likes blue"]).status.code(),
        Some(0)
    );
    assert_eq!(kehu_in(d, &["tag", &b, "vip"]).status.code(), Some(0));
    // Points beside the orders' own: moved by the balance's transfer.
    let adj = kehu_in(d, &["points", "adjust", &b, "30", "--note", "gift"]);
    assert_eq!(
        adj.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&adj.stderr)
    );
    let before: std::collections::BTreeMap<String, i64> = balances(&db(d)).into_iter().collect();
    let customers = |d: &Path| {
        ok_json(d, &["stats", "--json"])["customers"]
            .as_i64()
            .unwrap()
    };
    let export = |d: &Path| String::from_utf8(kehu_in(d, &["export", "customers"]).stdout).unwrap();
    let (count_before, export_before) = (customers(d), export(d));
    assert!(export_before.contains(b.trim_start_matches("pdd:").split('|').next().unwrap()));
    let v = ok_json(d, &["merge", &a, &b, "--json"]);
    let o = v.as_object().unwrap();
    assert_eq!(o.len(), 3, "{v}");
    // One customer fewer in the counts and the export.
    assert_eq!(customers(d), count_before - 1);
    assert_eq!(export(d).lines().count(), export_before.lines().count() - 1);
    assert_eq!(o["survivor"], Value::from(a.clone()));
    assert_eq!(o["merged"], Value::from(b.clone()));
    let mid = o["merge_id"].as_i64().unwrap();
    assert!(mid > 0);
    let conn = rusqlite::Connection::open(db(d)).unwrap();
    let id = |k: &str| -> i64 {
        conn.query_row(
            "SELECT id FROM customers WHERE platform || ':' || buyer_key = ?",
            [k],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (ia, ib) = (id(&a), id(&b));
    // The merged customer keeps only (unused) copies of the survivor's receivers.
    let own: i64 = conn
        .query_row(
            "SELECT count(*) FROM receivers r WHERE customer_id = ?1 AND NOT EXISTS (SELECT 1 FROM receivers s
               WHERE s.customer_id = ?2 AND s.name = r.name AND s.phone = r.phone AND s.address = r.address)",
            [ib, ia],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(own, 0);
    let used: i64 = conn
        .query_row("SELECT count(*) FROM orders o JOIN receivers r ON r.id = o.receiver_id WHERE r.customer_id = ?", [ib], |r| r.get(0))
        .unwrap();
    assert_eq!(used, 0);
    for t in ["orders", "notes", "tags"] {
        let n: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {t} WHERE customer_id = ?"),
                [ib],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "{t} left on the merged customer");
    }
    let orders: i64 = conn
        .query_row(
            "SELECT orders_count FROM customers WHERE id = ?",
            [ia],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orders, 3);
    let after: std::collections::BTreeMap<String, i64> = balances(&db(d)).into_iter().collect();
    assert_eq!(after[&a], before[&a] + before[&b]);
    assert!(before[&b] > 0);
    assert_eq!(after[&b], 0);
    // Transfer entries, both referencing the merge.
    let transfers: i64 = conn
        .query_row(
            "SELECT count(*) FROM merge_ledger WHERE merge_id = ? AND undo = 0",
            [mid],
            |r| r.get(0),
        )
        .unwrap();
    assert!(transfers >= 2);
    // Lookup by the merged-away key, its nickname, name or phone finds the survivor.
    let bal = ok_json(d, &["points", "balance", &b, "--json"]);
    assert_eq!(bal["customer"], Value::from(a.clone()), "{bal}");
    let found = ok_json(d, &["lookup", "13812345678", "--json"]);
    let ids: Vec<i64> = found.as_array().map_or(vec![], |a| {
        a.iter().filter_map(|h| h["id"].as_i64()).collect()
    });
    assert_eq!(ids, vec![ia], "{found}");
    // The merged pair is no longer suggested.
    assert!(!pairs(d).iter().any(|p| p.0 == a && p.1 == b));
    // `kehu check` finds the ledger consistent.
    let check = kehu_in(d, &["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn refused_merges_exit_3_and_write_nothing() {
    let dir = shop();
    let d = dir.path();
    let (a, b) = (key_of(d, "王小美", "taobao"), key_of(d, "王小美", "pdd"));
    let before = dump(&db(d));
    let out = kehu_in(d, &["merge", &a, &a]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(dump(&db(d)), before);
    ok_json(d, &["merge", &a, &b, "--json"]);
    let merged = dump(&db(d));
    for args in [
        vec!["merge", a.as_str(), b.as_str()],
        vec!["merge", "taobao:qianqi", b.as_str()],
        vec!["merge", b.as_str(), "taobao:qianqi"],
        vec!["merge", "undo", "99"],
    ] {
        let out = kehu_in(d, &args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty());
        assert_eq!(dump(&db(d)), merged, "{args:?}");
    }
}

#[test]
fn an_import_after_a_merge_lands_on_the_survivor() {
    let dir = shop();
    let d = dir.path();
    let (a, b) = (key_of(d, "王小美", "taobao"), key_of(d, "王小美", "pdd"));
    ok_json(d, &["merge", &a, &b, "--json"]);
    let later = later_pdd(d);
    assert_eq!(
        kehu_in(d, &["import", later.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let conn = rusqlite::Connection::open(db(d)).unwrap();
    let owner: String = conn
        .query_row(
            "SELECT c.platform || ':' || c.buyer_key FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.order_no = '251101-000000000000009'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(owner, a);
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM customers WHERE platform = 'pdd' AND buyer_key = ?",
            [b.trim_start_matches("pdd:")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1, "no second customer for the merged key");
}

#[test]
fn undo_restores_every_table_and_nets_the_ledger() {
    let dir = shop();
    let d = dir.path();
    let (a, b) = (key_of(d, "王小美", "taobao"), key_of(d, "王小美", "pdd"));
    assert_eq!(
        kehu_in(d, &["note", &b, "likes blue"]).status.code(),
        Some(0)
    );
    assert_eq!(kehu_in(d, &["tag", &b, "vip"]).status.code(), Some(0));
    assert_eq!(kehu_in(d, &["tag", &a, "vip"]).status.code(), Some(0));
    let before = dump(&db(d));
    let ledger_before = ledger(&db(d));
    let v = ok_json(d, &["merge", &a, &b, "--json"]);
    let mid = v["merge_id"].as_i64().unwrap().to_string();
    assert_ne!(dump(&db(d)), before);
    let u = ok_json(d, &["merge", "undo", &mid, "--json"]);
    assert_eq!(u["merge_id"].as_i64().unwrap().to_string(), mid);
    assert_eq!(dump(&db(d)), before);
    // Every earlier entry unchanged; the added ones net to zero per customer.
    let after = ledger(&db(d));
    assert_eq!(&after[..ledger_before.len()], &ledger_before[..]);
    let conn = rusqlite::Connection::open(db(d)).unwrap();
    let off: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT l.customer_id, sum(l.delta) s FROM merge_ledger m JOIN ledger l ON l.id = m.ledger_id GROUP BY l.customer_id HAVING s != 0)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(off, 0);
    // Suggested again, found apart again; undone twice is refused.
    assert!(pairs(d).iter().any(|p| p.0 == a && p.1 == b));
    assert_eq!(kehu_in(d, &["merge", "undo", &mid]).status.code(), Some(3));
    assert_eq!(kehu_in(d, &["check"]).status.code(), Some(0));
}

#[test]
fn undo_is_refused_after_activity_on_the_survivor() {
    let dir = shop();
    let d = dir.path();
    let (a, b) = (key_of(d, "王小美", "taobao"), key_of(d, "王小美", "pdd"));
    let v = ok_json(d, &["merge", &a, &b, "--json"]);
    let mid = v["merge_id"].as_i64().unwrap().to_string();
    assert_eq!(kehu_in(d, &["note", &a, "called"]).status.code(), Some(0));
    let before = dump(&db(d));
    let out = kehu_in(d, &["--lang", "en", "merge", "undo", &mid]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("notes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(dump(&db(d)), before);
    // A new order routed to the survivor says orders.
    let dir = shop();
    let d = dir.path();
    let v = ok_json(d, &["merge", &a, &b, "--json"]);
    let mid = v["merge_id"].as_i64().unwrap().to_string();
    let later = later_pdd(d);
    assert_eq!(
        kehu_in(d, &["import", later.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let out = kehu_in(d, &["--lang", "en", "merge", "undo", &mid]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("orders"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_declined_pair_is_not_suggested_again() {
    let dir = shop();
    let d = dir.path();
    let (a, b) = (key_of(d, "张三", "taobao"), key_of(d, "张三", "pdd"));
    assert!(pairs(d).iter().any(|p| p.0 == a && p.1 == b));
    let mut store = kehu::db::Store::open(&db(d)).unwrap();
    let id = |k: &str| match store.find_customer(k).unwrap() {
        kehu::db::CustomerMatch::One(i) => i,
        other => panic!("{other:?}"),
    };
    let (ia, ib) = (id(&a), id(&b));
    store.decline_merge(ib, ia).unwrap();
    drop(store);
    assert!(!pairs(d).iter().any(|p| p.0 == a && p.1 == b));
    assert_eq!(pairs(d).len(), 2);
}

fn ledger(db: &Path) -> Vec<(i64, i64, i64, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.prepare("SELECT id, customer_id, delta, kind FROM ledger ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
