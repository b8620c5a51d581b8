//! The real binary end to end: exit statuses, JSON shapes, --db placement.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
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

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn sample(rel: &str) -> String {
    samples().join(rel).display().to_string()
}

#[test]
fn import_json_summary_and_exit_statuses() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let out = kehu(
        &db,
        &[
            "import",
            "--json",
            &sample("taobao/ExportOrderList202405201030.csv"),
            "--items",
            &sample("taobao/ExportOrderDetailList202405201030.csv"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["platform"], "taobao");
    assert_eq!(v["orders_new"], 400);
    assert_eq!(v["customers_new"], 116);
    assert_eq!(v["lines"], 640);
    assert_eq!(v["rejected"], Value::Array(vec![]));
    assert_eq!(v["files"].as_array().unwrap().len(), 2);

    // Bad rows: exit 0, rejected listed with integer lines.
    let out = kehu(
        &db,
        &[
            "import",
            "--json",
            &sample("bad/excel-resaved-scientific.csv"),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let lines: Vec<i64> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![8, 52, 98]);
    let r = json(&kehu(&db, &["rejects", "--json"]));
    assert_eq!(r.as_array().unwrap().len(), 3);
    assert!(r[0]["raw"].as_str().unwrap().contains("E+"));

    // A refused file among good ones: exit 3, the good one still imported.
    let out = kehu(
        &db,
        &[
            "import",
            "--json",
            &sample("bad/truncated.csv"),
            &sample("taobao/orders-utf8-bom.csv"),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["orders_new"], 200);
    assert!(String::from_utf8_lossy(&out.stderr).contains("第 46 行"));
    assert_eq!(
        v["refused"][0]["file"].as_str().unwrap(),
        sample("bad/truncated.csv")
    );

    // Usage error.
    assert_eq!(kehu(&db, &["import"]).status.code(), Some(2));
    assert_eq!(
        kehu(&db, &["import", "--platform", "ebay", "x.csv"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn refused_and_dry_run_write_nothing() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let stats = |db: &Path| json(&kehu(db, &["stats", "--json"]));
    // No database yet: stats refuses (it never creates one); import makes it.
    assert_eq!(kehu(&db, &["stats", "--json"]).status.code(), Some(3));
    for bad in [
        "bad/empty.csv",
        "bad/not-an-export.csv",
        "bad/binary-junk.csv",
        "bad/truncated.csv",
    ] {
        let out = kehu(&db, &["import", &sample(bad)]);
        assert_eq!(out.status.code(), Some(3), "{bad}");
        assert!(!out.stderr.is_empty());
    }
    let empty = stats(&db);
    assert_eq!(empty["orders"], 0);
    let out = kehu(
        &db,
        &[
            "import",
            "--dry-run",
            "--json",
            &sample("taobao/ExportOrderList202405201030.csv"),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out)["orders_new"],
        400,
        "dry run reports what would happen"
    );
    assert_eq!(stats(&db), empty);
    assert_eq!(kehu(&db, &["check"]).status.code(), Some(0));
}

#[test]
fn lookup_stats_backup_and_db_placement() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    kehu(
        &db,
        &["import", &sample("taobao/ExportOrderList202405201030.csv")],
    );
    let v = json(&kehu(&db, &["lookup", "邵娜", "--json"]));
    assert_eq!(v[0]["buyer"], "风吹lucky28941_124");
    assert_eq!(v[0]["orders"], 44);
    assert_eq!(v[0]["paid_fen"], 581710);
    assert_eq!(v[0]["phone"], "188****6827");
    assert_eq!(v[0]["last_order_status"], "completed");
    let v = json(&kehu(&db, &["lookup", "6827", "--json", "--reveal"]));
    assert_eq!(v[0]["phone"], "18878036827");
    assert_eq!(
        json(&kehu(&db, &["lookup", "zzzz不存在", "--json"])),
        Value::Array(vec![])
    );

    // --db before the subcommand, and KEHU_DB.
    let out = common::kehu_cmd(dir.path())
        .arg("--db")
        .arg(&db)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["orders"], 400);
    let out = common::kehu_cmd(dir.path())
        .env("KEHU_DB", &db)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    let s = json(&out);
    assert_eq!(
        (s["orders"].as_i64(), s["paid_fen"].as_i64()),
        (Some(400), Some(4564010))
    );
    assert_eq!(s["status_counts"]["completed"], 299);

    let copy = dir.path().join("copy.db");
    assert_eq!(
        kehu(&db, &["backup", copy.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(json(&kehu(&copy, &["stats", "--json"]))["orders"], 400);
    assert_eq!(
        kehu(&db, &["backup", copy.to_str().unwrap()]).status.code(),
        Some(3),
        "never overwrites: refused, as export refuses"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn english_messages() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let out = kehu(
        &db,
        &["import", "--lang", "en", &sample("bad/truncated.csv")],
    );
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 46") && err.contains("Download the export again"),
        "{err}"
    );
}

/// A folder stands for the exports in it: the item report sorts after the
/// order report whatever the names, so its rows find their orders.
#[test]
fn import_a_folder_of_exports() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("downloads");
    std::fs::create_dir(&exports).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/taobao");
    for name in [
        "ExportOrderDetailList202405201030.csv",
        "ExportOrderList202405201030.csv",
    ] {
        std::fs::copy(data.join(name), exports.join(name)).unwrap();
    }
    std::fs::write(exports.join("readme.md"), "not an export").unwrap();
    let db = dir.path().join("k.db");
    let out = kehu(&db, &["import", "--json", exports.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(
        files[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("ExportOrderList202405201030.csv")
    );
    assert_eq!(files[1]["kind"], "items");
    assert_eq!(v["rejected"].as_array().unwrap().len(), 0);
    let stats = json(&kehu(&db, &["stats", "--json"]));
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("ExportOrderList202405201030.truth.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(stats["orders"], truth["orders"]);
    assert_eq!(stats["lines"], truth["lines"]);
}

/// Reasons for rejected rows come in the language of the command.
#[test]
fn rejected_reasons_follow_the_language() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let bad = sample("bad/excel-resaved-scientific.csv");
    let zh = json(&kehu(
        &dir.path().join("zh.db"),
        &["import", "--json", &bad],
    ));
    let en = json(&kehu(
        &dir.path().join("en.db"),
        &["--lang", "en", "import", "--json", &bad],
    ));
    let reason = |v: &Value| v["rejected"][0]["reason"].as_str().unwrap().to_string();
    assert!(reason(&zh).contains("科学计数法"), "{}", reason(&zh));
    assert!(
        reason(&en).contains("scientific notation"),
        "{}",
        reason(&en)
    );
    assert_eq!(zh["rejected"][0]["line"], en["rejected"][0]["line"]);
}

/// `KEHU_NOW` is the one clock: the same database reads differently on two
/// pinned days (the 12-month tier window moves), the same on repeated runs,
/// and a malformed value is a usage error, not a silent fall-back.
#[test]
fn kehu_now_pins_the_clock_for_every_command() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    assert!(
        kehu(
            &db,
            &["import", &sample("taobao/ExportOrderList202406011200.csv")]
        )
        .status
        .success()
    );
    let balance = |now: &str| {
        let out = common::kehu_cmd(dir.path())
            .env("KEHU_NOW", now)
            .args([
                "points",
                "balance",
                "taobao:风吹lucky28941_124",
                "--json",
                "--db",
            ])
            .arg(&db)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            out.stderr,
        )
    };
    let (code, then, _) = balance("2025-12-01 09:00:00");
    assert_eq!(code, Some(0));
    let then: Value = serde_json::from_str(&then).unwrap();
    assert_eq!(then["tier"], "gold", "{then}");
    assert_eq!(
        balance("2025-12-01 09:00:00").1,
        balance("2025-12-01 09:00:00").1
    );
    let (_, later, _) = balance("2030-01-01 00:00:00");
    let later: Value = serde_json::from_str(&later).unwrap();
    assert_eq!(
        later["tier"], "regular",
        "no order in the 12 months before 2030"
    );
    assert_eq!(
        later["balance"], then["balance"],
        "the ledger does not move"
    );

    let (code, out, err) = balance("next tuesday");
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(String::from_utf8_lossy(&err).contains("KEHU_NOW"));
}

/// A folder with no export in it is refused by name (exit 3), not a silent
/// success, and the database is not created by the refusal's writes.
#[test]
fn an_empty_folder_is_refused() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let empty = dir.path().join("下载");
    std::fs::create_dir(&empty).unwrap();
    let out = kehu(&db, &["--lang", "en", "import", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no export files in") && err.contains("下载"),
        "{err}"
    );
    let out = kehu(&db, &["stats", "--json"]);
    assert_eq!(json(&out)["orders"], 0);
}

/// A rejected row's phone is masked in the import summary, plain and JSON,
/// as in `kehu rejects`; `kehu rejects --reveal` shows it.
#[test]
fn import_masks_phones_in_rejected_rows() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let csv = dir.path().join("bad-date.csv");
    std::fs::write(
        &csv,
        "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,退款金额\n\
         1001,买家1,12.00,交易成功,,张三,上海,13812345678,2025-11-01 10:00:00,,0\n\
         1002,买家2,8.00,交易成功,,李四,北京,13987654321,2025-13-45 10:00:00,,0\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    let plain = kehu(&db, &["import", "--dry-run", path]);
    let text = String::from_utf8_lossy(&plain.stdout);
    assert!(text.contains(":3:"), "{text}");
    assert!(!text.contains("13987654321"), "{text}");
    let out = kehu(&db, &["import", "--json", path]);
    let v = json(&out);
    let raw = v["rejected"][0]["raw"].as_str().unwrap();
    assert!(raw.contains("139****4321"), "{raw}");
    assert!(!out.stdout.windows(11).any(|w| w == b"13987654321"));
    let shown = kehu(&db, &["rejects", "--reveal", "--json"]);
    assert!(
        json(&shown)[0]["raw"]
            .as_str()
            .unwrap()
            .contains("13987654321")
    );
}
