//! `kehu suggest` end to end through the binary on the sample exports: the
//! backtest's buyers and baseline against an independent count read straight
//! from the database, the suggestions' JSON shape, the kept counts giving the
//! same answer as counting in memory, and the refusals.

mod common;

use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use common::{kehu_in as kehu, ok_json};

fn imported() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = kehu(dir.path(), &["import", common::ORDERS, common::ITEMS]);
    assert_eq!(out.status.code(), Some(0));
    dir
}

/// The protocol's buyers and baseline, counted here from the tables.
fn independent(db: &Path) -> (u64, f64) {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT o.id, o.customer_id, o.created_at, l.title FROM orders o
             JOIN order_lines l ON l.order_id = o.id
             WHERE o.status IN ('paid', 'shipped', 'completed')",
        )
        .unwrap();
    // order id → (customer, created, titles)
    let mut orders: BTreeMap<i64, (i64, String, BTreeSet<String>)> = BTreeMap::new();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .unwrap();
    for r in rows {
        let (id, c, at, title) = r.unwrap();
        orders
            .entry(id)
            .or_insert_with(|| (c, at, BTreeSet::new()))
            .2
            .insert(title);
    }
    let mut by_buyer: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for (id, (c, at, _)) in &orders {
        by_buyer.entry(*c).or_default().push((at.clone(), *id));
    }
    let mut hidden = BTreeSet::new();
    for v in by_buyer.values_mut() {
        if v.len() >= 2 {
            v.sort();
            hidden.insert(v.last().unwrap().1);
        }
    }
    let mut count: BTreeMap<String, u64> = BTreeMap::new();
    for (id, (_, _, titles)) in &orders {
        if !hidden.contains(id) {
            for t in titles {
                *count.entry(t.clone()).or_default() += 1;
            }
        }
    }
    let mut top: Vec<(u64, String)> = count.into_iter().map(|(t, n)| (n, t)).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let five: BTreeSet<String> = top.into_iter().take(5).map(|(_, t)| t).collect();
    let hits = hidden
        .iter()
        .filter(|id| orders[*id].2.iter().any(|t| five.contains(t)))
        .count();
    let n = hidden.len() as u64;
    let rate = (hits as f64 / n as f64 * 10_000.0).round() / 10_000.0;
    (n, rate)
}

#[test]
fn backtest_buyers_and_baseline_match_an_independent_count() {
    let dir = imported();
    let got = ok_json(dir.path(), &["suggest", "--backtest", "--json"]);
    let (buyers, baseline) = independent(&dir.path().join("k.db"));
    assert!(buyers > 10, "the sample has repeat buyers");
    assert_eq!(got["buyers"], buyers);
    assert_eq!(got["baseline_hit_rate_at_5"].as_f64().unwrap(), baseline);
    let hit = got["hit_rate_at_5"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&hit));
    assert_eq!((hit * 10_000.0).round() / 10_000.0, hit);
    // Plain, in English.
    let out = kehu(dir.path(), &["--lang", "en", "suggest", "--backtest"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("buyers in the backtest: {buyers}")));
    assert!(text.contains("hit rate of the top 5"));
    assert!(!text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
}

/// The customer with the most valid orders (with lines).
fn regular(db: &Path) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(
        "SELECT o.customer_id FROM orders o WHERE o.status IN ('paid', 'shipped', 'completed')
           AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
         GROUP BY o.customer_id ORDER BY count(*) DESC, o.customer_id LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_buyer_gets_five_titles_with_reasons() {
    let dir = imported();
    let db = dir.path().join("k.db");
    let id = format!("#{}", regular(&db));
    let got = ok_json(dir.path(), &["--lang", "en", "suggest", &id, "--json"]);
    let list = got.as_array().unwrap();
    assert_eq!(list.len(), 5);
    let conn = Connection::open(&db).unwrap();
    let titles: BTreeSet<String> = conn
        .prepare("SELECT DISTINCT title FROM order_lines")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut last = f64::INFINITY;
    for s in list {
        assert!(titles.contains(s["title"].as_str().unwrap()));
        let score = s["score"].as_f64().unwrap();
        assert!(score > 0.0 && score <= last);
        last = score;
        let kind = s["reason"]["kind"].as_str().unwrap();
        assert!(
            [
                "due",
                "bought-before",
                "bought-together",
                "segment",
                "popular"
            ]
            .contains(&kind)
        );
        let why = s["why"].as_str().unwrap();
        if kind == "due" {
            let every = s["reason"]["every_days"].as_i64().unwrap();
            let ago = s["reason"]["ago_days"].as_i64().unwrap();
            assert_eq!(
                why,
                format!("bought about every {every} days, last bought {ago} days ago")
            );
        }
    }
    // The regular buyer's habits come first: something they bought before.
    assert!(
        ["due", "bought-before"].contains(&list[0]["reason"]["kind"].as_str().unwrap()),
        "{got}"
    );
    // In Chinese, the same titles.
    let zh = ok_json(dir.path(), &["suggest", &id, "--json"]);
    let t = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(t(&zh), t(&got));
    let plain = String::from_utf8(kehu(dir.path(), &["suggest", &id]).stdout).unwrap();
    assert_eq!(plain.lines().count(), 5);
    assert!(plain.starts_with("1. "));
}

#[test]
fn kept_counts_answer_as_counting_in_memory_does() {
    let dir = imported();
    let db = dir.path().join("k.db");
    let id = format!("#{}", regular(&db));
    // A second import changes orders: its counts are rebuilt after it.
    let more = "tests/fixtures/taobao/ExportOrderList202406011200.csv";
    let items = "tests/fixtures/taobao/ExportOrderDetailList202406011200.csv";
    assert_eq!(
        kehu(dir.path(), &["import", more, items]).status.code(),
        Some(0)
    );
    let conn = Connection::open(&db).unwrap();
    let built: i64 = conn
        .query_row(
            "SELECT count(*) FROM suggest_totals WHERE key = ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(built, 1);
    let kept = ok_json(dir.path(), &["suggest", &id, "--json"]);
    // Out of date (as after an import that stopped before its rebuild):
    // the store counts in memory, and answers the same.
    conn.execute("DELETE FROM suggest_totals WHERE key = ''", [])
        .unwrap();
    drop(conn);
    common::pin_clock();
    let store = kehu::db::Store::open(&db).unwrap();
    let counted = store.suggest(regular(&db)).unwrap();
    assert_eq!(counted.len(), kept.as_array().unwrap().len());
    for (c, k) in counted.iter().zip(kept.as_array().unwrap()) {
        assert_eq!(c.title, k["title"].as_str().unwrap());
        assert_eq!(c.score, k["score"].as_f64().unwrap());
        assert_eq!(c.why.code(), k["reason"]["kind"].as_str().unwrap());
    }
    // The next command rebuilds them.
    drop(store);
    assert_eq!(ok_json(dir.path(), &["suggest", &id, "--json"]), kept);
    let conn = Connection::open(&db).unwrap();
    let built: i64 = conn
        .query_row(
            "SELECT count(*) FROM suggest_totals WHERE key = ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(built, 1);
}

#[test]
fn refusals() {
    let dir = imported();
    // Neither a customer nor --backtest: a usage error.
    assert_eq!(kehu(dir.path(), &["suggest"]).status.code(), Some(2));
    let out = kehu(
        dir.path(),
        &["--lang", "en", "suggest", "nobody-at-all-xyz"],
    );
    assert_eq!(out.status.code(), Some(3));
    // No database: refused, nothing created.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        kehu(empty.path(), &["suggest", "--backtest"]).status.code(),
        Some(3)
    );
    assert!(!empty.path().join("k.db").exists());
}
