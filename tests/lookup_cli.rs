//! `kehu lookup` and CUSTOMER on the command line, over the demo shop: what a
//! seller knows about a buyer finds them, best first, counted and paged, each
//! result saying what matched.

mod common;

use kehu::db::{NewComplaint, Store};
use kehu::domain::complaint::{Category, Channel, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The demo shop `kehu demo` builds (3000 orders, seed 7), clock pinned.
fn demo(dir: &Path) -> PathBuf {
    common::pin_clock();
    let db = dir.join("demo.db");
    kehu::demo::build_demo(&db, 3000, 7).unwrap();
    db
}

fn kehu(db: &Path, args: &[&str]) -> Output {
    common::kehu_cmd(db.parent().unwrap())
        .args(args)
        .arg("--db")
        .arg(db)
        .env("KEHU_CONFIG", db.with_file_name("config.toml"))
        .output()
        .expect("binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// The shop's best buyer among those `query` finds first (most orders), made
/// blacklisted with an open complaint, as in the issue.
fn troubled_best_buyer(db: &Path, query: &str) -> (i64, String) {
    let mut store = Store::open(db).unwrap();
    let all = store.lookup(query, 1000, false).unwrap();
    // Among the best-ranked matches (nicknames that start with the query).
    let best = all
        .iter()
        .filter(|h| h.buyer.to_lowercase().starts_with(query))
        .max_by_key(|h| (h.orders, h.paid_fen))
        .expect("matches")
        .clone();
    store
        .blacklist(best.id, "拒收后恶意差评", kehu::db::Actor::Cli)
        .unwrap();
    store
        .add_complaint(&NewComplaint {
            customer_id: best.id,
            order_no: None,
            category: Category::Quality,
            severity: Severity::High,
            channel: Channel::Wangwang,
            summary: "杯子裂了".into(),
            at: None,
        })
        .unwrap();
    (best.id, best.buyer)
}

#[test]
fn lookup_lists_the_best_buyer_first_with_what_matched() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let (id, buyer) = troubled_best_buyer(&db, "lucky");
    let v = json(&kehu(&db, &["lookup", "lucky", "--json"]));
    let hits = v.as_array().expect("an array");
    assert_eq!(hits.len(), 20);
    assert_eq!(hits[0]["id"], id);
    assert_eq!(hits[0]["buyer"], buyer.as_str());
    assert_eq!(hits[0]["matched"]["field"], "nick");
    assert_eq!(hits[0]["matched"]["value"], buyer.as_str());
    // Every result says what matched, in a field the nickname holds.
    for h in hits {
        assert_eq!(h["matched"]["field"], "nick", "{h}");
        let value = h["matched"]["value"].as_str().unwrap().to_lowercase();
        assert!(value.contains("lucky"), "{h}");
    }

    // Human output: #id on each line, what matched, and "1–20 of N".
    let all = json(&kehu(
        &db,
        &["lookup", "lucky", "--json", "--limit", "1000"],
    ));
    let n = all.as_array().unwrap().len();
    assert!(n >= 30, "{n}");
    let out = stdout(&kehu(&db, &["lookup", "lucky"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 21, "{out}");
    assert!(lines[0].contains(&format!("#{id} ")), "{out}");
    assert!(
        lines[0].contains("⛔ 黑名单") && lines[0].contains("未结投诉 1"),
        "{out}"
    );
    assert!(lines[0].contains(&format!("匹配 昵称: {buyer}")), "{out}");
    assert!(
        lines[20].contains(&format!("第 1–20 位，共 {n} 位")),
        "{}",
        lines[20]
    );
    let en = stdout(&kehu(&db, &["lookup", "lucky", "--lang", "en"]));
    assert!(
        en.contains(&format!("1–20 of {n} (next page: --offset 20)")),
        "{en}"
    );
    assert!(en.contains(&format!("matched nickname: {buyer}")), "{en}");

    // --offset pages on: the pages together are the whole list, once each.
    let mut paged: Vec<Value> = Vec::new();
    let mut offset = 0;
    loop {
        let page = json(&kehu(
            &db,
            &[
                "lookup",
                "lucky",
                "--json",
                "--limit",
                "7",
                "--offset",
                &offset.to_string(),
            ],
        ));
        let page = page.as_array().unwrap().clone();
        if page.is_empty() {
            break;
        }
        offset += page.len();
        paged.extend(page);
    }
    assert_eq!(&paged, all.as_array().unwrap());
}

#[test]
fn lookup_says_old_receiver_phone_and_order_number() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    // A buyer who once shipped to someone else: that name finds them, and
    // the result says it was an earlier receiver.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, old, phone, order_no): (i64, String, String, String) = conn
        .query_row(
            "SELECT c.id, r.name, c.phone, c.last_order_no FROM customers c
             JOIN receivers r ON r.customer_id = c.id
             WHERE r.name <> c.name AND length(r.name) >= 3
               AND (SELECT count(*) FROM receivers x WHERE x.name = r.name) = 1
             ORDER BY c.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let frag: String = old.chars().skip(1).collect();
    for q in [old.as_str(), frag.as_str()] {
        let v = json(&kehu(&db, &["lookup", q, "--json", "--limit", "1000"]));
        let hit = v
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{q} finds #{id}: {v}"));
        assert_eq!(hit["matched"]["field"], "old_name", "{q}: {hit}");
        assert_eq!(hit["matched"]["value"], old.as_str());
    }
    let out = stdout(&kehu(&db, &["lookup", &old]));
    assert!(out.contains(&format!("匹配 旧收货人: {old}")), "{out}");

    // The phone's last four digits: the masked phone matched.
    let tail = &phone[phone.len() - 4..];
    let v = json(&kehu(&db, &["lookup", tail, "--json", "--limit", "1000"]));
    let hit = v
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .unwrap();
    assert_eq!(hit["matched"]["field"], "phone");
    assert_eq!(
        hit["matched"]["value"],
        format!("{}****{tail}", &phone[..3]).as_str()
    );
    let v = json(&kehu(&db, &["lookup", &phone, "--json", "--reveal"]));
    assert_eq!(v[0]["id"], id);
    assert_eq!(v[0]["matched"]["field"], "phone");
    assert_eq!(v[0]["matched"]["value"], phone.as_str());

    // An order number: first, and said so.
    let v = json(&kehu(&db, &["lookup", &order_no, "--json"]));
    assert_eq!(v[0]["id"], id);
    assert_eq!(v[0]["matched"]["field"], "order_no");
    assert_eq!(v[0]["matched"]["value"], order_no.as_str());
}

#[test]
fn customer_is_whatever_the_seller_knows_that_finds_one_buyer() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    // A buyer with a receiver name no one else has, and their phone and an order.
    let (id, nick, name, phone, order_no): (i64, String, String, String, String) = conn
        .query_row(
            "SELECT c.id, c.nick, c.name, c.phone, c.last_order_no FROM customers c
             WHERE (SELECT count(*) FROM receivers x WHERE x.name = c.name) = 1
               AND (SELECT count(*) FROM customers y WHERE y.phone = c.phone) = 1
               AND c.orders_count > 1
             ORDER BY c.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let balance = |who: &str| -> Value { json(&kehu(&db, &["points", "balance", who, "--json"])) };
    let expected = balance(&format!("#{id}"));
    for who in [
        format!("taobao:{nick}"),
        nick.clone(),
        name.clone(),
        phone.clone(),
        order_no.clone(),
    ] {
        assert_eq!(balance(&who), expected, "{who}");
    }

    // Several match: refused (exit 3), the candidates listed with #id,
    // nickname, name and masked phone; nothing written.
    let out = kehu(
        &db,
        &[
            "complaint",
            "add",
            "lucky",
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "杯子裂了",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    let matching: i64 = conn
        .query_row(
            "SELECT count(*) FROM customers WHERE nick LIKE '%lucky%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(matching > 10, "{matching}");
    assert!(
        err.contains(&format!("lucky 匹配 {matching} 位客户")),
        "{err}"
    );
    let (best_id, best_nick, best_name, best_phone): (i64, String, String, String) = conn
        .query_row(
            "SELECT id, nick, name, phone FROM customers WHERE nick LIKE 'lucky%'
             ORDER BY orders_count DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let masked = format!("{}****{}", &best_phone[..3], &best_phone[7..]);
    assert!(
        err.contains(&format!("#{best_id}  {best_nick}  {best_name}  {masked}")),
        "{err}"
    );
    assert!(
        err.contains(&format!("…还有 {} 位", matching - 10)),
        "{err}"
    );
    let none: i64 = conn
        .query_row(
            "SELECT count(*) FROM complaints WHERE summary = '杯子裂了'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(none, 0);

    // An order number names its buyer: the complaint is theirs.
    let out = kehu(
        &db,
        &[
            "complaint",
            "add",
            &order_no,
            "--order",
            &order_no,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "杯子裂了",
            "--json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let owner: i64 = conn
        .query_row(
            "SELECT customer_id FROM complaints WHERE summary = '杯子裂了'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(owner, id);

    // Nothing matches: refused with what to write.
    let out = kehu(&db, &["export", "customers", "--customer", "没有这个人"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有找到客户 没有这个人"));
    let out = kehu(&db, &["export", "customers", "--customer", &phone]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains(&nick));
}

/// Pinyin: `kehu lookup zhang` finds every buyer whose receiver name starts
/// with 张 (full pinyin, its start, initials), after the direct matches, each
/// saying the name it matched; a query matching nicknames directly too
/// (`lu`: lucky…, lulu…) lists those first.
#[test]
fn lookup_finds_names_by_pinyin_after_direct_matches() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    };
    let zhang = json(&kehu(&db, &["lookup", "张", "--json", "--limit", "1000"]));
    let named: Vec<&Value> = zhang
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["name"].as_str().unwrap().starts_with('张'))
        .collect();
    assert!(named.len() >= 3, "{zhang}");
    let by_pinyin = json(&kehu(
        &db,
        &["lookup", "zhang", "--json", "--limit", "1000"],
    ));
    let found = ids(&by_pinyin);
    for h in &named {
        let id = h["id"].as_i64().unwrap();
        assert!(found.contains(&id), "{} by zhang", h["name"]);
    }
    for h in by_pinyin.as_array().unwrap() {
        if h["matched"]["field"] == "name_pinyin" {
            let keys = kehu::domain::pinyin::name_keys(h["matched"]["value"].as_str().unwrap());
            assert!(keys.iter().any(|k| k.starts_with("zhang")), "{h}");
        }
    }
    // Initials: a two-character 张 name by its two initials, and by the
    // start of its full pinyin.
    let two = named
        .iter()
        .find(|h| h["name"].as_str().unwrap().chars().count() == 2)
        .expect("a two-character name");
    let id = two["id"].as_i64().unwrap();
    let given = two["name"].as_str().unwrap().chars().nth(1).unwrap();
    let initials = format!("z{}", kehu_initial(given));
    let out = json(&kehu(
        &db,
        &["lookup", &initials, "--json", "--limit", "1000"],
    ));
    assert!(ids(&out).contains(&id), "{initials}");

    let lu = json(&kehu(&db, &["lookup", "lu", "--json", "--limit", "1000"]));
    let fields: Vec<&str> = lu
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["matched"]["field"].as_str().unwrap())
        .collect();
    let first = fields
        .iter()
        .position(|f| f.ends_with("_pinyin"))
        .expect("pinyin matches");
    assert!(first > 0, "{fields:?}");
    assert!(
        fields[first..].iter().all(|f| f.ends_with("_pinyin")),
        "{fields:?}"
    );
}

/// The first letter of a character's pinyin, as the crate kehu uses reads it.
fn kehu_initial(c: char) -> char {
    let keys = kehu::domain::pinyin::name_keys(&format!("李{c}"));
    keys[1].chars().nth(1).unwrap()
}
