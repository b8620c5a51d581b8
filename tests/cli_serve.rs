//! The serving commands end to end through the binary: follow-ups (add, list,
//! done, skip, plan, and planning after an import), feedback, satisfaction,
//! today and campaigns — JSON shapes, refusals (exit 3, nothing written) and
//! English output free of Chinese.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

use common::{kehu_in as kehu, ok_json};

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// A shop from the sample export; the import plans follow-ups by the
/// default rules a new config lists.
fn shop(dir: &Path) -> Value {
    let out = kehu(
        dir,
        &["import", &fixture("taobao/ExportOrderList202405201030.csv")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    serde_json::json!({ "import": text })
}

fn han(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

#[test]
fn followups_from_the_command_line() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let imported = shop(d);
    // The import planned by the default rules, and said so.
    let planned = ok_json(d, &["followup", "list", "--json"]);
    let planned = planned.as_array().unwrap().len();
    assert!(planned > 0, "{imported}");
    assert!(
        imported["import"].as_str().unwrap().contains("回访计划"),
        "{imported}"
    );
    // Planning again makes nothing new.
    let again = ok_json(d, &["followup", "plan", "--json"]);
    assert_eq!(again["created"], 0);
    assert!(again["by_rule"].is_object());

    let added = ok_json(
        d,
        &[
            "followup",
            "add",
            "#1",
            "--due",
            "2025-12-01",
            "--reason",
            "VIP关怀",
            "--note",
            "问候",
            "--json",
        ],
    );
    for key in [
        "id",
        "customer",
        "customer_id",
        "order_no",
        "due",
        "reason",
        "rule",
        "status",
        "outcome",
        "satisfaction",
        "created_at",
    ] {
        assert!(added.get(key).is_some(), "{key} in {added}");
    }
    assert_eq!(added["reason"], "vip");
    assert_eq!(added["rule"], Value::Null);
    assert_eq!(added["status"], "open");
    let id = added["id"].as_i64().unwrap().to_string();

    // Refusals: exit 3, nothing written.
    let before = ok_json(d, &["followup", "list", "--json"])
        .as_array()
        .unwrap()
        .len();
    for args in [
        &[
            "followup",
            "add",
            "#99999",
            "--due",
            "2025-12-01",
            "--reason",
            "vip",
        ][..],
        &[
            "followup",
            "add",
            "#1",
            "--due",
            "2025-13-01",
            "--reason",
            "vip",
        ],
        &[
            "followup",
            "add",
            "#1",
            "--due",
            "2025-12-01",
            "--reason",
            "lunch",
        ],
        &[
            "followup",
            "add",
            "#1",
            "--due",
            "2025-12-01",
            "--reason",
            "vip",
            "--order",
            "1",
        ],
        &[
            "followup",
            "done",
            &id,
            "--outcome",
            "x",
            "--satisfaction",
            "6",
        ],
    ] {
        let out = kehu(d, args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let en = kehu(d, &[args, &["--lang", "en"]].concat());
        let err = String::from_utf8_lossy(&en.stderr);
        assert!(!han(&err.replace("VIP关怀", "")), "{args:?}: {err}");
    }
    assert_eq!(
        ok_json(d, &["followup", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        before
    );

    let done = ok_json(
        d,
        &[
            "followup",
            "done",
            &id,
            "--outcome",
            "买家满意",
            "--satisfaction",
            "5",
            "--json",
        ],
    );
    assert_eq!(done["status"], "done");
    assert_eq!(done["satisfaction"], 5);
    // Done twice is refused; the feedback record is there once.
    assert_eq!(
        kehu(d, &["followup", "done", &id, "--outcome", "again"])
            .status
            .code(),
        Some(3)
    );
    let fb = ok_json(d, &["feedback", "list", "--customer", "#1", "--json"]);
    assert_eq!(fb.as_array().unwrap().len(), 1);
    assert_eq!(fb[0]["source"], "followup");

    // Open and due by today: in date order.
    let due = ok_json(
        d,
        &[
            "followup",
            "list",
            "--open",
            "--due-by",
            "2025-12-01",
            "--json",
        ],
    );
    let dues: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["due"].as_str().unwrap())
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
    assert!(dues.iter().all(|d| *d <= "2025-12-01"));
    let first = due[0]["id"].as_i64().unwrap().to_string();
    assert!(
        kehu(d, &["followup", "skip", &first, "--note", "联系不上"])
            .status
            .success()
    );
}

#[test]
fn feedback_satisfaction_and_today() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    shop(d);
    for (score, source) in [("5", "review"), ("2", "chat"), ("4", "问卷")] {
        ok_json(
            d,
            &[
                "feedback", "add", "#1", "--score", score, "--source", source, "--json",
            ],
        );
    }
    assert_eq!(
        kehu(
            d,
            &["feedback", "add", "#1", "--score", "0", "--source", "chat"]
        )
        .status
        .code(),
        Some(3)
    );
    assert_eq!(
        kehu(
            d,
            &["feedback", "add", "#1", "--score", "3", "--source", "tv"]
        )
        .status
        .code(),
        Some(3)
    );
    let s = ok_json(d, &["satisfaction", "--by", "source", "--json"]);
    assert_eq!(s["overall"]["count"], 3);
    assert_eq!(s["overall"]["mean"], 3.67);
    assert_eq!(s["overall"]["low_share"], 0.3333);
    let keys: Vec<&str> = s["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["chat", "review", "survey"]);
    assert_eq!(
        kehu(d, &["satisfaction", "--by", "weather"]).status.code(),
        Some(3)
    );

    let t = ok_json(d, &["today", "--json"]);
    assert_eq!(t["date"], "2025-12-01");
    for key in [
        "followups",
        "complaints_overdue",
        "slipping",
        "reorders",
        "points_expiring",
    ] {
        let items = t[key].as_array().unwrap_or_else(|| panic!("{key} in {t}"));
        for i in items {
            for k in ["customer", "customer_id", "buyer", "why"] {
                assert!(i.get(k).is_some(), "{key}: {k} in {i}");
            }
        }
    }
    let en = kehu(d, &["today", "--lang", "en"]);
    assert!(en.status.success());
    let text = String::from_utf8_lossy(&en.stdout);
    // Buyers' names are data; the words around them are English.
    let words: String = text
        .lines()
        .map(|l| l.split(" — ").nth(1).unwrap_or(l))
        .collect();
    assert!(!han(&words.replace("VIP关怀", "")), "{text}");
}

#[test]
fn a_campaign_from_create_to_report() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    shop(d);
    let out = d.join("send.csv");
    let c = ok_json(
        d,
        &[
            "campaign",
            "create",
            "回购券",
            "--segment",
            "new",
            "--segment",
            "loyal",
            "--template",
            "{name}，送您{coupon}",
            "--coupon",
            "5元券",
            "--control",
            "20",
            "--seed",
            "3",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    );
    let recipients = c["recipients"].as_array().unwrap().len();
    let control = c["control"].as_array().unwrap().len();
    assert!(recipients > 0);
    assert_eq!(control, (recipients + control) * 20 / 100);
    let csv = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert!(lines[0].ends_with(",消息"), "{}", lines[0]);
    assert_eq!(lines.len() - 1, recipients);
    assert!(lines[1..].iter().all(|l| l.contains("送您5元券")));
    // The file is not overwritten.
    let again = kehu(
        d,
        &["campaign", "create", "x", "--out", out.to_str().unwrap()],
    );
    assert_eq!(again.status.code(), Some(3));

    let list = ok_json(d, &["campaign", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = c["id"].as_i64().unwrap().to_string();
    let show = ok_json(d, &["campaign", "show", &id, "--json"]);
    assert_eq!(show["recipients"], c["recipients"]);
    let r = ok_json(d, &["campaign", "report", &id, "--days", "14", "--json"]);
    for key in [
        "id",
        "name",
        "created_at",
        "days",
        "recipients",
        "control",
        "responders",
        "control_responders",
        "response_rate",
        "control_rate",
        "lift",
        "revenue_fen",
    ] {
        assert!(r.get(key).is_some(), "{key} in {r}");
    }
    assert_eq!(r["recipients"].as_u64().unwrap() as usize, recipients);
    assert_eq!(
        kehu(d, &["campaign", "report", "99"]).status.code(),
        Some(3)
    );
}
