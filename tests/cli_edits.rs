//! `kehu note|tag|untag|blacklist|unblacklist` through the built binary:
//! what the card does in the app, with exit 0 on success and 3 on refusal.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

struct Shop {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Shop {
    fn new() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let shop = Shop {
            db: dir.path().join("k.db"),
            _dir: dir,
        };
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(common::ORDERS);
        let (code, _, err) = shop.run(&["import", data.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        shop
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = common::kehu_cmd(self.db.parent().unwrap())
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .env("KEHU_CONFIG", self.db.with_file_name("config.toml"))
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self, args: &[&str]) -> Value {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    fn card(&self) -> kehu::db::CustomerCard {
        common::pin_clock();
        let store = kehu::db::Store::open(&self.db).unwrap();
        let id = store.resolve_customer(BUYER).unwrap().unwrap();
        store.customer_card(id, 1).unwrap().unwrap()
    }
}

const BUYER: &str = "风吹lucky28941_124";

#[test]
fn notes_and_tags_from_the_command_line() {
    common::pin_clock();
    let shop = Shop::new();
    let v = shop.json(&["note", BUYER, "要发顺丰", "--json"]);
    assert!(v["note_id"].as_i64().unwrap() > 0);
    let id = v["customer_id"].as_i64().unwrap();
    let (code, out, _) = shop.run(&["note", &format!("#{id}"), "不要韵达"]);
    assert_eq!((code, out.trim()), (0, "备注已保存"));
    let notes: Vec<String> = shop.card().notes.into_iter().map(|n| n.body).collect();
    assert_eq!(notes.len(), 2);
    assert!(notes.contains(&"要发顺丰".to_string()));

    let v = shop.json(&["tag", &format!("taobao:{BUYER}"), "VIP", "--json"]);
    assert_eq!(
        (v["tag"].as_str(), v["added"].as_bool()),
        (Some("VIP"), Some(true))
    );
    let v = shop.json(&["tag", BUYER, "VIP", "--json"]);
    assert_eq!(v["added"], false, "a tag already there is left");
    assert_eq!(shop.card().tags, ["VIP"]);
    assert_eq!(
        shop.json(&["untag", BUYER, "VIP", "--json"])["removed"],
        true
    );
    assert!(shop.card().tags.is_empty());

    // Refusals: exit 3, the reason on stderr, nothing written.
    for args in [
        &["note", "nobody-at-all", "x"][..],
        &["note", BUYER, "   "],
        &["tag", BUYER, ""],
        &["untag", BUYER, "VIP"],
        &["tag", "#999999", "VIP"],
    ] {
        let (code, out, err) = shop.run(args);
        assert_eq!(code, 3, "{args:?}: {out}{err}");
        assert!(!err.trim().is_empty(), "{args:?} says why");
    }
    assert_eq!(shop.card().notes.len(), 2);
}

#[test]
fn blacklist_needs_a_reason_and_keeps_it_with_the_date() {
    common::pin_clock();
    let shop = Shop::new();
    let (code, _, err) = shop.run(&["blacklist", BUYER]);
    assert_eq!(code, 3, "no reason: {err}");
    let (code, _, _) = shop.run(&["blacklist", BUYER, "--reason", "  "]);
    assert_eq!(code, 3, "empty reason");
    assert!(!shop.card().customer.blacklisted);

    let v = shop.json(&["blacklist", BUYER, "--reason", "恶意差评", "--json"]);
    assert_eq!(v["blacklisted"], true);
    assert_eq!(v["reason"], "恶意差评");
    assert_eq!(v["at"], common::NOW);
    let card = shop.card();
    assert!(card.customer.blacklisted);
    let e = card.blacklist.unwrap();
    assert_eq!(
        (e.reason.as_str(), e.at.as_deref(), e.actor.as_str()),
        ("恶意差评", Some(common::NOW), "cli")
    );
    let (code, _, _) = shop.run(&["blacklist", BUYER, "--reason", "again"]);
    assert_eq!(code, 3, "already listed");

    let (code, out, err) = shop.run(&["unblacklist", BUYER]);
    assert_eq!((code, out.trim()), (0, "已移出黑名单"), "{err}");
    assert!(!shop.card().customer.blacklisted);
    let (code, _, _) = shop.run(&["unblacklist", BUYER]);
    assert_eq!(code, 3, "not listed");
    let (code, _, _) = shop.run(&["unblacklist", "nobody-at-all"]);
    assert_eq!(code, 3);

    let store = kehu::db::Store::open(&shop.db).unwrap();
    let id = shop.card().customer.id;
    let listed: Vec<bool> = store
        .blacklist_history(id)
        .unwrap()
        .iter()
        .map(|e| e.listed)
        .collect();
    assert_eq!(listed, [true, false]);
}

#[test]
fn edits_on_a_database_that_does_not_exist_are_refused_and_create_nothing() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for args in [
        &["note", BUYER, "x"][..],
        &["tag", BUYER, "VIP"],
        &["untag", BUYER, "VIP"],
        &["blacklist", BUYER, "--reason", "x"],
        &["unblacklist", BUYER],
    ] {
        let out = common::kehu_cmd(dir.path())
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("kehu import"));
        assert!(!db.exists(), "{args:?} created the database");
    }
}
