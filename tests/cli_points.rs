//! End to end through the built binary: points and complaints on a temp database.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

struct Shop {
    _dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

impl Shop {
    fn new() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let shop = Shop {
            db: dir.path().join("k.db"),
            config: dir.path().join("config.toml"),
            _dir: dir,
        };
        let data = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/taobao/ExportOrderList202405201030.csv");
        let (code, _, err) = shop.run(&["import", data.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        shop
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = common::kehu_cmd(self.db.parent().unwrap())
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .env("KEHU_CONFIG", &self.config)
            .env("LANG", "en_US.UTF-8")
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
        serde_json::from_str(&out).unwrap()
    }

    fn balance(&self, who: &str) -> i64 {
        self.json(&["points", "balance", who, "--json"])["balance"]
            .as_i64()
            .unwrap()
    }

    fn history(&self, who: &str) -> Vec<Value> {
        self.json(&["points", "history", who, "--json"])
            .as_array()
            .unwrap()
            .clone()
    }
}

const TOP: &str = "taobao:风吹lucky28941_124";

#[test]
fn balance_json_redeem_and_adjust() {
    common::pin_clock();
    let shop = Shop::new();
    let b = shop.json(&["points", "balance", TOP, "--json"]);
    assert_eq!(b["balance"], 4498);
    assert_eq!(
        b["tier"]
            .as_str()
            .map(|t| ["regular", "silver", "gold", "diamond"].contains(&t)),
        Some(true)
    );
    assert!(shop.config.exists(), "defaults written on first run");

    let before = shop.history(TOP).len();
    let (code, _, err) = shop.run(&["points", "redeem", TOP, "5000", "--note", "gift"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("4498"), "{err}");
    assert_eq!(
        shop.history(TOP).len(),
        before,
        "refused redemption wrote nothing"
    );

    let (code, _, _) = shop.run(&["points", "redeem", TOP, "10"]);
    assert_eq!(code, 3, "a note is required");

    let (code, _, err) = shop.run(&["points", "adjust", TOP, "-50", "--note", "typo"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(shop.balance(TOP), 4448);
    let h = shop.history(TOP);
    let last = h.last().unwrap();
    assert_eq!(last["kind"], "adjust");
    assert_eq!(last["delta"], -50);
    assert_eq!(last["balance"], 4448);

    let (code, _, _) = shop.run(&["points", "adjust", TOP, "-5000", "--note", "x"]);
    assert_eq!(code, 3);
    let (code, _, _) = shop.run(&["points", "balance", "nobody-here", "--json"]);
    assert_eq!(code, 3);

    let stats = shop.json(&["stats", "--json"]);
    assert_eq!(stats["points_outstanding"], 36364 - 50);
    assert_eq!(stats["complaints_open"], 0);
    let (code, out, _) = shop.run(&["check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn complaint_through_its_workflow_with_compensation() {
    common::pin_clock();
    let shop = Shop::new();
    let before = shop.balance(TOP);
    let c = shop.json(&[
        "complaint",
        "add",
        TOP,
        "--category",
        "质量问题",
        "--severity",
        "high",
        "--channel",
        "旺旺",
        "--summary",
        "杯子有裂缝",
        "--json",
    ]);
    let id = c["id"].as_i64().unwrap();
    let ids = id.to_string();
    assert_eq!(shop.json(&["stats", "--json"])["complaints_open"], 1);

    for args in [
        vec![
            "complaint",
            "set",
            &ids,
            "--status",
            "处理中",
            "--note",
            "已联系",
        ],
        vec![
            "complaint",
            "set",
            &ids,
            "--status",
            "resolved",
            "--compensate-points",
            "20",
            "--resolution",
            "补发",
        ],
        vec![
            "complaint",
            "set",
            &ids,
            "--status",
            "closed",
            "--satisfaction",
            "5",
        ],
    ] {
        let (code, _, err) = shop.run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
    let show = shop.json(&["complaint", "show", &ids, "--json"]);
    let h = show["history"].as_array().unwrap();
    let to: Vec<&str> = h.iter().map(|e| e["to_status"].as_str().unwrap()).collect();
    assert_eq!(to, ["open", "processing", "resolved", "closed"]);
    assert_eq!(show["category"], "quality");
    assert_eq!(show["channel"], "wangwang");
    assert_eq!(show["satisfaction"], 5);
    assert_eq!(show["compensation_points"], 20);

    let comp: Vec<Value> = shop
        .history(TOP)
        .into_iter()
        .filter(|e| e["kind"] == "compensation")
        .collect();
    assert_eq!(comp.len(), 1);
    assert_eq!(comp[0]["ref_complaint_id"], id);
    assert_eq!(comp[0]["delta"], 20);
    assert_eq!(shop.balance(TOP), before + 20);
    assert_eq!(shop.json(&["stats", "--json"])["complaints_open"], 0);

    // reopen is recorded as one; processing → open is not a move
    let (code, _, _) = shop.run(&["complaint", "set", &ids, "--status", "open"]);
    assert_eq!(code, 0);
    let (code, _, _) = shop.run(&["complaint", "set", &ids, "--status", "processing"]);
    assert_eq!(code, 0);
    let (code, _, _) = shop.run(&["complaint", "set", &ids, "--status", "open"]);
    assert_eq!(code, 3);
    let show = shop.json(&["complaint", "show", &ids, "--json"]);
    assert_eq!(show["history"][4]["kind"], "reopen");
    assert_eq!(show["history"].as_array().unwrap().len(), 6);

    let list = shop.json(&["complaint", "list", "--open", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["overdue"], false);
    let stats = shop.json(&["complaint", "stats", "--json"]);
    assert_eq!(stats["total"], 1);
    let (code, out, _) = shop.run(&["check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn complaint_refusals() {
    common::pin_clock();
    let shop = Shop::new();
    // an order of another buyer
    let other = shop.json(&["lookup", "甜甜月亮8882093", "--json"]);
    let order_no = other[0]["last_order_no"].as_str().unwrap().to_string();
    let (code, _, err) = shop.run(&[
        "complaint",
        "add",
        TOP,
        "--order",
        &order_no,
        "--category",
        "other",
        "--severity",
        "低",
        "--summary",
        "x",
    ]);
    assert_eq!(code, 3, "{err}");
    let (code, _, _) = shop.run(&[
        "complaint",
        "add",
        TOP,
        "--category",
        "bogus",
        "--severity",
        "low",
        "--summary",
        "x",
    ]);
    assert_eq!(code, 3);
    let (code, _, _) = shop.run(&["complaint", "set", "999", "--status", "closed"]);
    assert_eq!(code, 3);
    let (code, out, _) = shop.run(&["complaint", "list", "--json"]);
    assert_eq!((code, out.trim()), (0, "[]"));
}

/// The points rule in the config is the one import, stats and check use, from
/// the first import on: no `points` command is needed to bring it into force.
#[test]
fn config_rule_applies_at_import() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[points]\nper_yuan = 2\n").unwrap();
    let db = dir.path().join("k.db");
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/taobao/ExportOrderList202405201030.csv");
    let run = |args: &[&str]| {
        let out = common::kehu_cmd(db.parent().unwrap())
            .args(args)
            .arg("--db")
            .arg(&db)
            .env("KEHU_CONFIG", &config)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["import", data.to_str().unwrap()]);
    let stats: Value = serde_json::from_str(&run(&["stats", "--json"])).unwrap();
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/taobao/ExportOrderList202405201030.truth.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        stats["points_outstanding"].as_i64().unwrap(),
        2 * truth["points"].as_i64().unwrap()
    );
}
