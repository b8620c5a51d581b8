//! "Trust the core", through the built binary: the demo never replaces what a
//! person made, read-only commands never create a database, money typed on
//! the command line is yuan, refusals give the right reason, rejects mask
//! phones, platform names and labels are translated, and campaign exports
//! leave blacklisted buyers out.

mod common;

use kehu::db::Store;
use serde_json::Value;
use std::path::{Path, PathBuf};

const BUYER: &str = "风吹lucky28941_124";

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {} / {}", self.stdout, self.stderr))
    }
}

/// `kehu ARGS --db DB` in a sealed home under `dir` (Chinese unless `--lang`).
fn kehu(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let out = common::kehu_cmd(dir)
        .args(args)
        .arg("--db")
        .arg(db)
        .env("KEHU_CONFIG", dir.join("config.toml"))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let r = kehu(dir, db, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r
}

/// A shop from the sample Taobao export (400 orders, 116 buyers).
fn sample_shop() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    ok(
        dir.path(),
        &db,
        &["import", &fixture("taobao/ExportOrderList202405201030.csv")],
    );
    (dir, db)
}

fn customer_id(db: &Path, buyer: &str) -> i64 {
    Store::open(db)
        .unwrap()
        .resolve_customer(buyer)
        .unwrap()
        .unwrap()
}

// ---- 7: the demo never replaces what a person made ----

#[test]
fn demo_refuses_to_replace_what_a_person_made() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("demo.db");
    let demo = ["demo", "--no-tui", "--orders", "300"];
    ok(d, &db, &demo);
    // The demo's own complaints and redemptions are not a person's: rebuilding is fine.
    ok(d, &db, &demo);

    let first_buyer = || {
        let store = Store::open(&db).unwrap();
        store.recent_buyers(1).unwrap()[0].clone()
    };
    type Make<'a> = Box<dyn Fn() + 'a>;
    let makers: Vec<(&str, &str, Make)> = vec![
        (
            "备注",
            "note",
            Box::new(|| {
                let (id, _) = first_buyer();
                Store::open(&db)
                    .unwrap()
                    .add_note(id, "老客户，先发顺丰")
                    .unwrap();
            }),
        ),
        (
            "标签",
            "tag",
            Box::new(|| {
                let (id, _) = first_buyer();
                Store::open(&db).unwrap().add_tag(id, "批发").unwrap();
            }),
        ),
        (
            "黑名单",
            "blacklist",
            Box::new(|| {
                let (id, _) = first_buyer();
                Store::open(&db)
                    .unwrap()
                    .blacklist(id, "恶意差评", kehu::db::Actor::Cli)
                    .unwrap();
            }),
        ),
        (
            "黑名单",
            "blacklist",
            Box::new(|| {
                // Listed and taken off again: the history is a person's work.
                let (id, _) = first_buyer();
                let mut store = Store::open(&db).unwrap();
                store
                    .blacklist(id, "恶意差评", kehu::db::Actor::Cli)
                    .unwrap();
                store.unblacklist(id, kehu::db::Actor::Cli).unwrap();
            }),
        ),
        (
            "投诉",
            "complaint",
            Box::new(|| {
                let (id, _) = first_buyer();
                let r = kehu(
                    d,
                    &db,
                    &[
                        "complaint",
                        "add",
                        &format!("#{id}"),
                        "--category",
                        "quality",
                        "--severity",
                        "high",
                        "--summary",
                        "杯子裂了",
                    ],
                );
                assert_eq!(r.code, 0, "{}", r.stderr);
            }),
        ),
        (
            "投诉",
            "complaint",
            Box::new(|| {
                // A person moving one of the demo's own complaints.
                let r = kehu(d, &db, &["complaint", "list", "--open", "--json"]);
                let id = r.json()[0]["id"].as_i64().unwrap().to_string();
                let r = kehu(
                    d,
                    &db,
                    &[
                        "complaint",
                        "set",
                        &id,
                        "--status",
                        "closed",
                        "--note",
                        "电话确认",
                    ],
                );
                assert_eq!(r.code, 0, "{}", r.stderr);
            }),
        ),
        (
            "积分",
            "points",
            Box::new(|| {
                let (id, _) = first_buyer();
                let r = kehu(
                    d,
                    &db,
                    &[
                        "points",
                        "adjust",
                        &format!("#{id}"),
                        "10",
                        "--note",
                        "好评",
                    ],
                );
                assert_eq!(r.code, 0, "{}", r.stderr);
            }),
        ),
    ];
    let mut forced = demo.to_vec();
    forced.push("--force");
    for (zh, en, make) in &makers {
        // A fresh demo shop (--force discards what the last round made).
        ok(d, &db, &forced);
        make();
        let before = std::fs::read(&db).unwrap();
        let r = kehu(d, &db, &demo);
        assert_eq!(r.code, 3, "{en}: {}", r.stderr);
        assert!(
            r.stderr.contains(zh) && r.stderr.contains("--force"),
            "{en}: {}",
            r.stderr
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{en}: the file is untouched"
        );
        let mut en_demo = vec!["--lang", "en"];
        en_demo.extend(demo);
        let r = kehu(d, &db, &en_demo);
        assert_eq!(r.code, 3);
        assert!(r.stderr.contains(en), "{}", r.stderr);
    }
    // --force replaces it, with a demo of its own again.
    ok(d, &db, &forced);
    ok(d, &db, &demo);

    // A real shop is never replaced, --force or not.
    let real = d.join("real.db");
    ok(
        d,
        &real,
        &["import", &fixture("taobao/ExportOrderList202405201030.csv")],
    );
    for args in [demo.to_vec(), forced] {
        let r = kehu(d, &real, &args);
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert_eq!(
            ok(d, &real, &["stats", "--json"]).json()["orders"],
            400,
            "the shop is still there"
        );
    }
}

// ---- 8: read-only commands never create a database ----

#[test]
fn commands_other_than_import_and_demo_refuse_a_missing_database() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out.csv");
    let copy = d.join("copy.db");
    let commands: Vec<Vec<&str>> = vec![
        vec!["lookup", "邵娜"],
        vec!["lookup", "邵娜", "--json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["rejects"],
        vec!["rejects", "--json"],
        vec!["check"],
        vec!["check", "--json"],
        vec!["export", "customers"],
        vec!["export", "orders", "--out", out.to_str().unwrap()],
        vec!["export", "complaints"],
        vec!["export", "ledger"],
        vec!["points", "balance", BUYER],
        vec!["points", "history", BUYER, "--json"],
        vec!["points", "redeem", BUYER, "10"],
        vec!["points", "adjust", BUYER, "10", "--note", "x"],
        vec!["points", "expire"],
        vec!["complaint", "list"],
        vec!["complaint", "show", "1"],
        vec!["complaint", "stats", "--json"],
        vec![
            "complaint",
            "add",
            BUYER,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "x",
        ],
        vec!["complaint", "set", "1", "--status", "closed"],
        vec!["backup", copy.to_str().unwrap()],
    ];
    for db in [d.join("typo.db"), d.join("no-such-folder/typo.db")] {
        for args in &commands {
            let r = kehu(d, &db, args);
            assert_eq!(r.code, 3, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("kehu import") && r.stderr.contains("kehu demo"),
                "{args:?}: {}",
                r.stderr
            );
            assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
            assert!(!db.exists(), "{args:?} created {}", db.display());
            assert!(!db.parent().unwrap().join("typo.db-wal").exists());
            assert!(!d.join("no-such-folder").exists(), "{args:?}");
            assert!(!out.exists() && !copy.exists(), "{args:?}");
        }
    }
    let r = kehu(d, &d.join("typo.db"), &["--lang", "en", "stats"]);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);

    // The default database (in the sealed user data dir) is not created either.
    let out = common::kehu_cmd(d)
        .args(["stats"])
        .env("KEHU_CONFIG", d.join("config.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!d.join("home/.local/share/kehu").exists());

    // Import creates one.
    let db = d.join("new/k.db");
    ok(
        d,
        &db,
        &["import", &fixture("taobao/ExportOrderList202405201030.csv")],
    );
    assert!(db.exists());
}

// ---- 25: money on the command line is yuan ----

#[test]
fn complaint_compensation_is_typed_in_yuan() {
    common::pin_clock();
    let (dir, db) = sample_shop();
    let d = dir.path();
    let add = [
        "complaint",
        "add",
        BUYER,
        "--category",
        "quality",
        "--severity",
        "high",
        "--summary",
        "杯子裂了",
    ];
    ok(d, &db, &add);
    for (bad, code, says) in [
        ("12.345", 3, "12.345"),
        ("abc", 3, "abc"),
        ("--compensate=-5", 3, "-5"),
        ("1e3", 3, "1e3"),
        ("", 3, "金额"),
    ] {
        let arg = if bad.starts_with("--") {
            bad.to_string()
        } else {
            format!("--compensate={bad}")
        };
        let r = kehu(
            d,
            &db,
            &["complaint", "set", "1", "--status", "resolved", &arg],
        );
        assert_eq!(r.code, code, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{bad}: {}", r.stderr);
        let show = ok(d, &db, &["complaint", "show", "1", "--json"]).json();
        assert_eq!(show["status"], "open", "nothing written for {bad}");
    }
    // The old fen flag is gone (a usage error, not a silent 100× mistake).
    let r = kehu(
        d,
        &db,
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "resolved",
            "--compensate-fen",
            "1250",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);

    let v = ok(
        d,
        &db,
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "resolved",
            "--compensate",
            "12.50",
            "--json",
        ],
    )
    .json();
    assert_eq!(v["compensation_fen"], 1250, "{v}");
    ok(d, &db, &add);
    let v = ok(
        d,
        &db,
        &[
            "complaint",
            "set",
            "2",
            "--status",
            "closed",
            "--compensate",
            "¥3",
            "--json",
        ],
    )
    .json();
    assert_eq!(v["compensation_fen"], 300, "{v}");
    let r = ok(d, &db, &["--lang", "en", "complaint", "show", "1"]);
    assert!(r.stdout.contains("¥12.50"), "{}", r.stdout);
}

// ---- 28: the right reason for compensation on a complaint already done ----

#[test]
fn compensation_on_an_already_resolved_complaint_says_why() {
    common::pin_clock();
    let (dir, db) = sample_shop();
    let d = dir.path();
    ok(
        d,
        &db,
        &[
            "complaint",
            "add",
            BUYER,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "杯子裂了",
        ],
    );
    ok(d, &db, &["complaint", "set", "1", "--status", "resolved"]);
    let balance = || {
        ok(d, &db, &["points", "balance", BUYER, "--json"]).json()["balance"]
            .as_i64()
            .unwrap()
    };
    let before = balance();
    let again = [
        "complaint",
        "set",
        "1",
        "--status",
        "resolved",
        "--compensate-points",
        "30",
    ];
    let r = kehu(d, &db, &again);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("已是「已解决」") && r.stderr.contains("--status closed"),
        "{}",
        r.stderr
    );
    let mut en = vec!["--lang", "en"];
    en.extend(again);
    let r = kehu(d, &db, &en);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("already resolved")
            && !r
                .stderr
                .contains("recorded with a move to resolved or closed"),
        "{}",
        r.stderr
    );
    assert_eq!(balance(), before);
    // The move to closed takes it.
    ok(
        d,
        &db,
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "closed",
            "--compensate-points",
            "30",
        ],
    );
    assert_eq!(balance(), before + 30);
    // Closed: the way left is a points adjustment.
    let r = kehu(
        d,
        &db,
        &[
            "--lang",
            "en",
            "complaint",
            "set",
            "1",
            "--status",
            "closed",
            "--compensate-points",
            "5",
        ],
    );
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("already closed") && r.stderr.contains("points adjust"),
        "{}",
        r.stderr
    );
    // Compensation on a move that does not finish it still gets the old reason.
    ok(
        d,
        &db,
        &[
            "complaint",
            "add",
            BUYER,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "x",
        ],
    );
    let r = kehu(
        d,
        &db,
        &[
            "--lang",
            "en",
            "complaint",
            "set",
            "2",
            "--status",
            "processing",
            "--compensate-points",
            "5",
        ],
    );
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("resolved or closed"), "{}", r.stderr);
}

// ---- 30: rejects mask phones unless --reveal ----

#[test]
fn rejects_mask_phone_numbers_unless_revealed() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("k.db");
    ok(
        d,
        &db,
        &["import", &fixture("bad/excel-resaved-scientific.csv")],
    );
    let full = "18631871969";
    let r = ok(d, &db, &["rejects"]);
    assert!(!r.stdout.contains(full), "{}", r.stdout);
    assert!(r.stdout.contains("186****1969"), "{}", r.stdout);
    assert!(
        r.stdout.contains("7637634413882"),
        "other numbers stay: {}",
        r.stdout
    );
    let v = ok(d, &db, &["rejects", "--json"]).json();
    let all = v.to_string();
    assert!(!all.contains(full) && all.contains("186****1969"), "{all}");
    for e in v.as_array().unwrap() {
        let phones = e["raw"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| s.len() == 11 && s.starts_with('1'))
            .count();
        assert_eq!(phones, 0, "{e}");
    }
    let r = ok(d, &db, &["rejects", "--reveal"]);
    assert!(r.stdout.contains(full), "{}", r.stdout);
    let v = ok(d, &db, &["rejects", "--json", "--reveal"]).json();
    assert!(v.to_string().contains(full));
}

// ---- 31: translation ----

#[test]
fn platform_names_and_labels_are_translated() {
    common::pin_clock();
    let (dir, db) = sample_shop();
    let d = dir.path();
    let zh = ok(d, &db, &["lookup", "邵娜"]);
    assert!(
        zh.stdout.contains("淘宝") && !zh.stdout.contains("taobao"),
        "{}",
        zh.stdout
    );
    let en = ok(d, &db, &["--lang", "en", "lookup", "邵娜"]);
    assert!(en.stdout.contains("Taobao"), "{}", en.stdout);
    assert_eq!(
        ok(d, &db, &["lookup", "邵娜", "--json"]).json()[0]["platform"],
        "taobao"
    );
    let r = ok(d, &db, &["import", &fixture("pdd/pdd-orders.csv")]);
    assert!(r.stdout.contains("拼多多"), "{}", r.stdout);
    let r = ok(
        d,
        &db,
        &[
            "--lang",
            "en",
            "import",
            "--dry-run",
            &fixture("pdd/pdd-orders.csv"),
        ],
    );
    assert!(r.stdout.contains("Pinduoduo"), "{}", r.stdout);
    let r = ok(d, &db, &["--lang", "en", "export", "customers"]);
    assert!(r.stdout.contains("Taobao,") && r.stdout.contains("Pinduoduo,"));

    // A space after the warning sign.
    ok(
        d,
        &db,
        &[
            "complaint",
            "add",
            BUYER,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "x",
        ],
    );
    let en = ok(d, &db, &["--lang", "en", "lookup", "邵娜"]);
    assert!(en.stdout.contains("⚠ OPEN COMPLAINTS 1"), "{}", en.stdout);

    // Nothing resolved yet: no mean time, not 0.0h.
    let r = ok(d, &db, &["complaint", "stats"]);
    assert!(r.stdout.contains("平均解决用时 —"), "{}", r.stdout);
    assert!(!r.stdout.contains("0.0h"), "{}", r.stdout);
    let r = ok(d, &db, &["--lang", "en", "complaint", "stats"]);
    assert!(r.stdout.contains("mean time to resolve —"), "{}", r.stdout);

    // --lang takes zh or en only.
    for bad in ["fr", "de", ""] {
        let r = kehu(d, &db, &["--lang", bad, "stats"]);
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(
            r.stderr.contains("zh") && r.stderr.contains("en"),
            "{}",
            r.stderr
        );
    }
    for good in ["zh", "en", "EN"] {
        ok(d, &db, &["--lang", good, "stats"]);
    }
}

// ---- 34: campaign exports leave blacklisted buyers out ----

#[test]
fn customer_exports_leave_blacklisted_buyers_out() {
    common::pin_clock();
    let (dir, db) = sample_shop();
    let d = dir.path();
    let buyers = |args: &[&str]| -> (Vec<String>, String) {
        let mut all = vec!["--lang", "en", "export", "customers"];
        all.extend(args);
        let r = ok(d, &db, &all);
        let mut rd = csv::Reader::from_reader(r.stdout.trim_start_matches('\u{FEFF}').as_bytes());
        let i = rd
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "buyer")
            .unwrap();
        let names = rd.records().map(|r| r.unwrap()[i].to_string()).collect();
        (names, r.stderr)
    };
    // Every segment that BUYER is in, and the whole list.
    let (all_before, _) = buyers(&[]);
    assert!(all_before.contains(&BUYER.to_string()));
    let segment = {
        // Chinese labels: `--segment` takes them.
        let r = ok(d, &db, &["export", "customers"]);
        let mut rd = csv::Reader::from_reader(r.stdout.trim_start_matches('\u{FEFF}').as_bytes());
        let h = rd.headers().unwrap().clone();
        let bi = h.iter().position(|h| h == "买家").unwrap();
        let si = h.iter().position(|h| h == "分群").unwrap();
        rd.records()
            .map(|r| r.unwrap())
            .find(|r| &r[bi] == BUYER)
            .unwrap()[si]
            .to_string()
    };
    let id = customer_id(&db, BUYER);
    Store::open(&db)
        .unwrap()
        .blacklist(id, "恶意差评", kehu::db::Actor::Cli)
        .unwrap();

    let (all, err) = buyers(&[]);
    assert!(!all.contains(&BUYER.to_string()));
    assert_eq!(all.len() + 1, all_before.len());
    assert!(
        err.contains("1 blacklisted") && err.contains("--include-blacklisted"),
        "{err}"
    );
    let (seg, err) = buyers(&["--segment", &segment]);
    assert!(!seg.is_empty() || segment.is_empty());
    assert!(!seg.contains(&BUYER.to_string()), "{segment}");
    assert!(err.contains("1 blacklisted"), "{err}");
    let (seg, _) = buyers(&["--segment", &segment, "--include-blacklisted"]);
    assert!(seg.contains(&BUYER.to_string()));
    let (all, err) = buyers(&["--include-blacklisted"]);
    assert_eq!(all, all_before);
    assert!(!err.contains("blacklisted buyer"), "{err}");
    // One customer's own data export keeps them.
    let (one, _) = buyers(&["--customer", BUYER]);
    assert_eq!(one, vec![BUYER.to_string()]);
    // Chinese stderr says so too.
    let r = ok(d, &db, &["export", "customers"]);
    assert!(r.stderr.contains("黑名单"), "{}", r.stderr);
}
