//! A rejected row's reason is kept as a code and parameters and read in the
//! reader's language: rows rejected by an import in Chinese read in English
//! under `--lang en` (and the other way round), in `kehu rejects`, in import
//! summaries and in the app. Rows stored before codes existed keep their text.

mod common;

use common::type_text;
use kehu::app::{App, Key};
use kehu::db::Store;
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn kehu(db: &Path, args: &[&str]) -> Output {
    common::kehu_cmd(db.parent().unwrap())
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("binary runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A hand-made export with one row for each kind of rejection.
fn bad_export(dir: &Path) -> PathBuf {
    let text = "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝种类\n\
        1001,甲,abc,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        1002,乙,10.00,交易成功,张三,上海,13800001234,昨天下午,,1\n\
        1003,,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        1004,丙,10.00,,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        1.23457E+18,丁,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        1006.5,戊,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        10#7,己,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        ,庚,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n\
        1009,辛,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,两\n\
        1010,壬,10.00,交易成功,张三,上海,13800001234,2025-11-01 10:00:00,,1\n";
    let path = dir.join("bad.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn items_of_unknown_orders(dir: &Path) -> PathBuf {
    let text = "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\n\
        4242,笔,1.00,1,,,,,交易成功,\n";
    let path = dir.join("items.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// The text outside `"…"` quotes (quoted data may be Chinese).
fn unquoted(s: &str) -> String {
    s.split('"').step_by(2).collect()
}

fn reasons(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn rows_rejected_in_chinese_read_in_english_and_back() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_export(dir.path());
    let items = items_of_unknown_orders(dir.path());
    for (import_lang, read_lang) in [("zh", "en"), ("en", "zh")] {
        let db = dir.path().join(format!("{import_lang}.db"));
        let out = kehu(
            &db,
            &[
                "--lang",
                import_lang,
                "import",
                bad.to_str().unwrap(),
                items.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let read = json(&kehu(&db, &["rejects", "--json", "--lang", read_lang]));
        let reasons = reasons(&read);
        assert_eq!(reasons.len(), 10, "{reasons:?}");
        for r in &reasons {
            match read_lang {
                "en" => assert!(
                    !unquoted(r).chars().any(is_han),
                    "Chinese in an English reason: {r}"
                ),
                _ => assert!(r.chars().any(is_han), "not Chinese: {r}"),
            }
        }
        let all = reasons.join("\n");
        match read_lang {
            "en" => {
                assert!(all.contains("scientific notation"), "{all}");
                assert!(all.contains("is not an amount of money"), "{all}");
                assert!(all.contains("is not in the database"), "{all}");
            }
            _ => {
                assert!(all.contains("科学计数法"), "{all}");
                assert!(all.contains("不是金额"), "{all}");
                assert!(all.contains("不在数据库中"), "{all}");
            }
        }
    }
}

#[test]
fn import_summaries_speak_the_readers_language() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_export(dir.path());
    let v = json(&kehu(
        &dir.path().join("k.db"),
        &["--lang", "en", "import", "--json", bad.to_str().unwrap()],
    ));
    let top = reasons(&v["rejected"]);
    let file = reasons(&v["files"][0]["rejected"]);
    assert_eq!(top, file);
    assert_eq!(top.len(), 9);
    for r in &top {
        assert!(!unquoted(r).chars().any(is_han), "{r}");
    }
    // The app in English, on a database whose rows were rejected in Chinese.
    let db = dir.path().join("app.db");
    let out = kehu(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let mut app = App::new(
        Store::open(&db).unwrap(),
        Lang::En,
        kehu::config::Config::default(),
    );
    app.update(kehu::app::Action::Resize(160, 50));
    app.handle_key(Key::Char('i'));
    app.handle_key(Key::Ctrl('u'));
    type_text(&mut app, bad.to_str().unwrap());
    app.handle_key(Key::Enter);
    app.import_job.as_mut().unwrap().wait();
    app.update(kehu::app::Action::Tick);
    // The summary is on screen: its popup stayed open.
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    terminal.draw(|f| draw(&app, &Theme::new(true), f)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("is not an amount of money"), "{screen}");
    assert!(!screen.contains("不是金额"), "{screen}");
}

/// Rows stored by an earlier kehu (text only, no code) read as they were
/// written; the upgrade to schema 6 keeps them.
#[test]
fn rows_stored_before_codes_keep_their_text() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let bad = bad_export(dir.path());
    let out = kehu(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "UPDATE rejects SET reason_code = NULL, reason_params = NULL, reason = '旧版本写下的原因' WHERE line = 2",
            [],
        )
        .unwrap();
    }
    let read = json(&kehu(&db, &["rejects", "--json", "--lang", "en"]));
    let first = &read[0];
    assert_eq!(first["line"], 2);
    assert_eq!(first["reason"], "旧版本写下的原因");
    assert!(
        read[1]["reason"]
            .as_str()
            .unwrap()
            .contains("is not a date and time")
    );
}
