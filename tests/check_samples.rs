//! `kehu check` agrees with `kehu import`: a clean import of every sample
//! export in `tests/fixtures` leaves a database that passes the check.

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

fn import_then_check(files: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let mut args = vec!["import".to_string()];
    args.extend(
        files
            .iter()
            .map(|f| samples().join(f).display().to_string()),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = kehu(&db, &args);
    assert_eq!(out.status.code(), Some(0), "{files:?}: {out:?}");
    let out = kehu(&db, &["check", "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["problems"],
        Value::Array(vec![]),
        "{files:?}: check found problems"
    );
    assert_eq!(out.status.code(), Some(0), "{files:?}");
    kehu_stats(&db)
}

fn kehu_stats(db: &Path) -> Value {
    let out = kehu(db, &["stats", "--json"]);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_sample_imports_and_passes_check() {
    common::pin_clock();
    import_then_check(&[
        "taobao/ExportOrderList202405201030.csv",
        "taobao/ExportOrderDetailList202405201030.csv",
    ]);
    import_then_check(&[
        "taobao/ExportOrderList202406011200.csv",
        "taobao/ExportOrderDetailList202406011200.csv",
    ]);
    import_then_check(&["taobao/orders-utf8-bom.csv"]);
    import_then_check(&["pdd/pdd-orders.csv"]);
}

/// Pinduoduo 已取消 with 售后状态 退款成功: paid, then refunded.
#[test]
fn pinduoduo_cancelled_after_a_refund_is_refunded() {
    common::pin_clock();
    let stats = import_then_check(&["pdd/pdd-orders.csv"]);
    let counts = &stats["status_counts"];
    let refunded = counts
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|p| p[0] == "refunded")
                .and_then(|p| p[1].as_i64())
        })
        .or_else(|| counts["refunded"].as_i64())
        .unwrap_or(0);
    assert!(refunded >= 15, "refunded orders: {counts}");
}
