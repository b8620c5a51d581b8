//! `kehu privacy`: one person's data given out whole, and erased so that the
//! database file holds none of it while the shop's figures stay right; an
//! old export imported again does not bring them back.

mod common;
mod merge_shop;

use common::{kehu_in, ok_json};
use merge_shop::{taobao_row, write_taobao};
use serde_json::Value;
use std::path::{Path, PathBuf};

const NICK: &str = "蔻蔻星河2077";
const NAME: &str = "祝巧云";
const PHONE: &str = "13911172239";
const ADDR: &str = "浙江省 杭州市 西湖区 文鼎苑十七幢";
const MESSAGE: &str = "请放蜂巢柜勿来电";
const NOTE: &str = "喜欢薄荷绿配色";
const COMPLAINT: &str = "包装压扁了很生气";

/// A Taobao row with a buyer message.
fn row_msg(
    no: &str,
    nick: &str,
    name: &str,
    addr: &str,
    phone: &str,
    at: &str,
    msg: &str,
) -> String {
    taobao_row(no, nick, name, addr, phone, at, "88.00").replacen(
        "交易成功,,",
        &format!("交易成功,{msg},"),
        1,
    )
}

/// A shop of three buyers; the person to erase has two orders, a note, a
/// complaint, a tag and a rejected row holding their phone.
fn shop(dir: &Path) -> PathBuf {
    let rows = vec![
        row_msg(
            "3100000000000000001",
            NICK,
            NAME,
            ADDR,
            PHONE,
            "2025-10-01 10:00:00",
            MESSAGE,
        ),
        row_msg(
            "3100000000000000002",
            NICK,
            NAME,
            ADDR,
            PHONE,
            "2025-11-02 10:00:00",
            "",
        ),
        taobao_row(
            "3100000000000000003",
            "林间小鹿",
            "欧阳娜",
            "上海市 上海市 浦东新区 锦绣路1号",
            "13800001111",
            "2025-11-03 10:00:00",
            "45.50",
        ),
        taobao_row(
            "3100000000000000004",
            "晚风吹",
            "龙海波",
            "北京市 北京市 朝阳区 望京街9号",
            "13700002222",
            "2025-11-04 10:00:00",
            "19.90",
        ),
        // A row rejected (bad money) that holds the person's phone.
        taobao_row(
            "3100000000000000005",
            NICK,
            NAME,
            ADDR,
            PHONE,
            "2025-11-05 10:00:00",
            "abc",
        ),
    ];
    let file = write_taobao(dir, "orders.csv", &rows);
    run_ok(dir, &["import", file.to_str().unwrap()]);
    let key = format!("taobao:{NICK}");
    run_ok(dir, &["note", &key, NOTE]);
    run_ok(dir, &["tag", &key, "回头客"]);
    run_ok(
        dir,
        &[
            "complaint",
            "add",
            &key,
            "--category",
            "quality",
            "--severity",
            "low",
            "--summary",
            COMPLAINT,
        ],
    );
    run_ok(
        dir,
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "processing",
            "--note",
            COMPLAINT,
        ],
    );
    file
}

use common::kehu_ok as run_ok;

/// The bytes of the database file and its write-ahead log, if any.
fn file_bytes(dir: &Path) -> Vec<u8> {
    let mut b = std::fs::read(dir.join("k.db")).unwrap();
    if let Ok(w) = std::fs::read(dir.join("k.db-wal")) {
        b.extend(w);
    }
    b
}

fn holds(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The person's texts, each as stored (the address also as its parts).
fn person_texts() -> Vec<&'static str> {
    vec![
        NICK,
        NAME,
        PHONE,
        ADDR,
        "文鼎苑十七幢",
        MESSAGE,
        NOTE,
        COMPLAINT,
    ]
}

fn money(dir: &Path) -> (Value, Value, Value) {
    let s = ok_json(dir, &["stats", "--json"]);
    (
        s["paid_fen"].clone(),
        s["refund_fen"].clone(),
        s["orders"].clone(),
    )
}

#[test]
fn erase_leaves_none_of_the_person_in_the_file_and_keeps_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let before = file_bytes(dir.path());
    for t in person_texts() {
        assert!(holds(&before, t), "the shop holds {t} before");
    }
    let money_before = money(dir.path());
    let points_before = ok_json(dir.path(), &["stats", "--json"])["points_outstanding"].clone();
    let done = ok_json(
        dir.path(),
        &[
            "privacy",
            "erase",
            &format!("taobao:{NICK}"),
            "--confirm",
            "--json",
        ],
    );
    assert_eq!(done["identities"], 1);
    assert!(done["rows"].as_u64().unwrap() > 5, "{done}");
    let after = file_bytes(dir.path());
    for t in person_texts() {
        assert!(!holds(&after, t), "the file still holds {t}");
    }
    // The other buyers are untouched.
    assert!(holds(&after, "欧阳娜") && holds(&after, "13800001111"));
    assert_eq!(money(dir.path()), money_before);
    assert_eq!(
        ok_json(dir.path(), &["stats", "--json"])["points_outstanding"],
        points_before
    );
    run_ok(dir.path(), &["check"]);
    // Lookup forgets them: old name, phone, phone tail, nickname.
    for q in [NAME, PHONE, NICK, "巧云", "zqy"] {
        let hits = ok_json(dir.path(), &["lookup", q, "--json"]);
        assert_eq!(hits, Value::Array(vec![]), "lookup {q}");
    }
    // The order numbers stay, on a customer with an erased-… key.
    let conn = rusqlite::Connection::open(dir.path().join("k.db")).unwrap();
    let key: String = conn
        .query_row(
            "SELECT c.buyer_key FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.order_no = '3100000000000000001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(key.starts_with("erased-"), "{key}");
    // Erased twice: refused, exit 3.
    let again = kehu_in(dir.path(), &["privacy", "erase", "#1", "--confirm"]);
    assert_eq!(again.status.code(), Some(3));
}

/// A later export that changed the person's order: the import keeps the
/// order's earlier facts for an undo (with the old message); erasing redacts
/// those too, so the file holds none of it.
#[test]
fn erase_also_clears_what_an_import_kept_for_its_undo() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let later = vec![row_msg(
        "3100000000000000001",
        NICK,
        NAME,
        ADDR,
        PHONE,
        "2025-10-01 10:00:00",
        "后来改的留言",
    )];
    let file = write_taobao(dir.path(), "later.csv", &later);
    run_ok(dir.path(), &["import", file.to_str().unwrap()]);
    let conn = rusqlite::Connection::open(dir.path().join("k.db")).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM undo_prior_orders WHERE message = ?",
            [MESSAGE],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1, "the import keeps the order as it was");
    drop(conn);
    ok_json(
        dir.path(),
        &[
            "privacy",
            "erase",
            &format!("taobao:{NICK}"),
            "--confirm",
            "--json",
        ],
    );
    let after = file_bytes(dir.path());
    for t in person_texts() {
        assert!(!holds(&after, t), "the file still holds {t}");
    }
}

#[test]
fn erase_without_confirm_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let who = format!("taobao:{NICK}");
    let out = kehu_in(dir.path(), &["--lang", "en", "privacy", "erase", &who]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--confirm"));
    let hits = ok_json(dir.path(), &["lookup", NAME, "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let log = ok_json(dir.path(), &["privacy", "log", "--json"]);
    assert_eq!(log, Value::Array(vec![]));
}

#[test]
fn an_old_export_imported_again_is_rejected_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let file = shop(dir.path());
    run_ok(
        dir.path(),
        &["privacy", "erase", &format!("taobao:{NICK}"), "--confirm"],
    );
    let money_before = money(dir.path());
    let summary = ok_json(
        dir.path(),
        &["--lang", "en", "import", file.to_str().unwrap(), "--json"],
    );
    let text = summary.to_string();
    assert!(text.contains("erased customer"), "{text}");
    let rejects = ok_json(
        dir.path(),
        &["--lang", "en", "rejects", "--json", "--reveal"],
    );
    let erased: Vec<&Value> = rejects
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["reason"].as_str().unwrap().starts_with("erased customer"))
        .collect();
    // The two orders, and the row with bad money (rejected anyway, but not
    // kept with the person's phone and address).
    assert_eq!(erased.len(), 3, "{rejects}");
    // Those rejects keep no trace of the person: the order number or line only.
    for r in erased {
        let raw = r["raw"].as_str().unwrap();
        assert!(
            raw.starts_with("taobao:31000000000000000") || raw == "taobao:line 6 (erased)",
            "{raw}"
        );
        for t in person_texts() {
            assert!(!raw.contains(t), "{raw}");
        }
    }
    let bytes = file_bytes(dir.path());
    for t in [NICK, PHONE, ADDR] {
        assert!(!holds(&bytes, t), "the file holds {t} after the re-import");
    }
    assert_eq!(money(dir.path()), money_before);
    let hits = ok_json(dir.path(), &["lookup", NAME, "--json"]);
    assert_eq!(hits, Value::Array(vec![]));
    run_ok(dir.path(), &["check"]);
    // Re-admitted when the seller says so.
    run_ok(
        dir.path(),
        &["import", file.to_str().unwrap(), "--allow-erased"],
    );
    let hits = ok_json(dir.path(), &["lookup", NAME, "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(money(dir.path()), money_before);
    run_ok(dir.path(), &["check"]);
}

#[test]
fn export_holds_every_section_in_an_owner_only_file_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let out = dir.path().join("person.json");
    run_ok(
        dir.path(),
        &["privacy", "export", NAME, "--out", out.to_str().unwrap()],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    for section in [
        "identities",
        "receivers",
        "orders",
        "notes",
        "tags",
        "complaints",
        "ledger",
        "followups",
        "feedback",
        "campaigns",
        "blacklist",
        "merges",
    ] {
        assert!(doc[section].is_array(), "{section} missing: {doc}");
    }
    assert_eq!(doc["identities"][0]["nick"], NICK);
    assert_eq!(doc["receivers"][0]["phone"], PHONE);
    assert_eq!(doc["orders"].as_array().unwrap().len(), 2);
    assert!(doc["orders"][0]["lines"].is_array());
    assert_eq!(doc["orders"][0]["message"], MESSAGE);
    assert_eq!(doc["notes"][0]["body"], NOTE);
    assert_eq!(doc["tags"][0]["tag"], "回头客");
    assert_eq!(doc["complaints"][0]["summary"], COMPLAINT);
    assert_eq!(doc["complaints"][0]["history"].as_array().unwrap().len(), 2);
    assert_eq!(doc["ledger"].as_array().unwrap().len(), 2);
    // stdout without --out: the same document.
    let stdout = ok_json(
        dir.path(),
        &["privacy", "export", &format!("taobao:{NICK}")],
    );
    assert_eq!(stdout["orders"], doc["orders"]);
    run_ok(dir.path(), &["privacy", "erase", NAME, "--confirm"]);
    let log = ok_json(dir.path(), &["privacy", "log", "--json"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["export", "export", "erase"]);
    let hash = kehu::db::privacy_key_hash("taobao", NICK);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["key_hash"] == hash.as_str())
    );
    assert!(!holds(log.to_string().as_bytes(), NICK));
}

/// What the database says of the person: `Some(false)` before the erasure,
/// `Some(true)` after it, `None` for anything in between.
fn erased_state(db: &Path) -> Option<bool> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let named = q(&format!(
        "SELECT count(*) FROM customers WHERE nick = '{NICK}'"
    ));
    let receivers = q(&format!(
        "SELECT count(*) FROM receivers WHERE name = '{NAME}'"
    ));
    let erased = q("SELECT count(*) FROM customers WHERE erased_at IS NOT NULL");
    let logged = q("SELECT count(*) FROM privacy_log WHERE action = 'erase'");
    let keys = q("SELECT count(*) FROM erased_keys");
    match (named, receivers, erased, logged, keys) {
        (1, 1, 0, 0, 0) => Some(false),
        (0, 0, 1, 1, 1) => Some(true),
        _ => None,
    }
}

/// kill -9 at random moments of an erasure (20 runs, the binary on a copy
/// of the shop): the database is before or after it, never between, and
/// passes `integrity_check`. A few seconds: `cargo test --test privacy kill -- --nocapture`.
#[test]
fn kill_during_erase_leaves_before_or_after() {
    let base = tempfile::tempdir().unwrap();
    shop(base.path());
    // The shop settled into one file (no write-ahead log beside it).
    {
        let conn = rusqlite::Connection::open(base.path().join("k.db")).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    // How long a whole erasure takes here: the kills fall across it.
    let whole = {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(base.path().join("k.db"), dir.path().join("k.db")).unwrap();
        let t = std::time::Instant::now();
        run_ok(
            dir.path(),
            &["privacy", "erase", &format!("taobao:{NICK}"), "--confirm"],
        );
        t.elapsed().as_micros() as u64
    };
    let mut moments = common::kill::Moments::new(0x9e37_79b9_7f4a_7c15);
    let (mut before, mut after) = (0, 0);
    for run in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(base.path().join("k.db"), dir.path().join("k.db")).unwrap();
        let delay = moments.below(whole + whole / 5);
        common::kill::run_and_kill(
            common::kehu_cmd(dir.path())
                .args(["privacy", "erase", &format!("taobao:{NICK}"), "--confirm"])
                .arg("--db")
                .arg(dir.path().join("k.db"))
                .env("KEHU_CONFIG", dir.path().join("config.toml")),
            delay,
        );
        match erased_state(&dir.path().join("k.db")) {
            Some(false) => before += 1,
            Some(true) => after += 1,
            None => panic!("run {run} ({delay:?}): between before and after"),
        }
    }
    eprintln!("kill -9 during erase ({whole} µs whole): {before} before, {after} after");
    assert_eq!(before + after, 20);
}

/// A backup written before the erasure still holds the person; restoring it
/// erases them again (and keeps the erasure's record), so a restore never
/// brings back a person the seller erased.
#[test]
fn a_restore_from_a_backup_before_the_erasure_erases_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = shop(dir.path());
    let saved = dir.path().join("saved.db");
    run_ok(dir.path(), &["backup", saved.to_str().unwrap()]);
    let money_before = money(dir.path());
    run_ok(
        dir.path(),
        &["privacy", "erase", &format!("taobao:{NICK}"), "--confirm"],
    );
    assert!(holds(&std::fs::read(&saved).unwrap(), NAME));
    let out = run_ok(
        dir.path(),
        &[
            "--lang",
            "en",
            "restore",
            saved.to_str().unwrap(),
            "--confirm",
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("1 customer(s) erased after the backup was written were erased again"),
        "{said}"
    );
    let after = file_bytes(dir.path());
    for t in person_texts() {
        assert!(!holds(&after, t), "the restored file holds {t}");
    }
    for q in [NAME, PHONE, NICK] {
        let hits = ok_json(dir.path(), &["lookup", q, "--json"]);
        assert_eq!(hits, Value::Array(vec![]), "lookup {q}");
    }
    assert_eq!(money(dir.path()), money_before);
    run_ok(dir.path(), &["check"]);
    // The log keeps the erasure (the restore's own erasure of the same key
    // at the same pinned moment is the same entry).
    let log = ok_json(dir.path(), &["privacy", "log", "--json"]);
    let erasures = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "erase")
        .count();
    assert_eq!(erasures, 1, "{log}");
    // And an old export still does not bring them back.
    let summary = ok_json(
        dir.path(),
        &["--lang", "en", "import", file.to_str().unwrap(), "--json"],
    );
    assert!(summary.to_string().contains("erased customer"), "{summary}");
}
