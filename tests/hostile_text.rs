//! Escape codes in an export never reach the terminal: a header or cell with
//! `ESC ] 0 ; … BEL` (window title), `ESC [ 2 J` (clear screen),
//! `ESC ] 52 ; c ; … BEL` (clipboard write), U+009B (CSI) or U+202E (bidi
//! override) is quoted in refusals and reject reasons as visible `�`, in plain
//! and `--json` output and in the app's import summary; quotes stop at ~200
//! characters.

mod common;

use kehu::app::{Action, Key};
use kehu::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,退款金额";

/// Every hostile sequence at once.
const EVIL: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202e}gpj.exe";

fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FEFF}'
        )
}

/// The export files: one refused for its header, one whose rows are rejected.
fn hostile_files(dir: &Path) -> (PathBuf, PathBuf) {
    let header = dir.join("header.csv");
    let cells: Vec<String> = (0..6).map(|i| format!("列{i}{EVIL}")).collect();
    std::fs::write(&header, format!("{}\n1,2,3,4,5,6\n", cells.join(","))).unwrap();
    let rows = dir.join("rows.csv");
    let long = "长".repeat(500);
    let body = [
        format!("1001,买家1,12.00,交易成功,,张三,上海,13800001234,2025-11-01 {EVIL},,0"),
        format!("1002,买家2,{EVIL},交易成功,,张三,上海,13800001234,2025-11-01 10:00:00,,0"),
        format!(
            "1003,买家3,\"1\t2\n{EVIL}\",交易成功,,张三,上海,13800001234,2025-11-01 10:00:00,,0"
        ),
        format!("1004,买家4,{long}{EVIL},交易成功,,张三,上海,13800001234,2025-11-01 10:00:00,,0"),
        "1005,买家5,8.00,交易成功,,李四,北京,13900001234,2025-11-02 10:00:00,,0".to_string(),
    ];
    std::fs::write(&rows, format!("{HEADER}\n{}\n", body.join("\n"))).unwrap();
    (header, rows)
}

fn kehu(dir: &Path, args: &[&str]) -> Output {
    common::kehu_cmd(dir)
        .args(args)
        .arg("--db")
        .arg(dir.join("k.db"))
        .output()
        .expect("binary runs")
}

fn assert_clean(what: &str, out: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bad: Vec<char> = text.chars().filter(|c| is_hostile(*c)).collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in\n{text:?}");
    text
}

/// No string in the JSON decodes to a hostile character, and quotes are short.
fn assert_json_clean(what: &str, out: &Output) {
    fn walk(what: &str, v: &Value) {
        match v {
            Value::String(s) => assert!(
                !s.chars().any(|c| is_hostile(c) && c != '\t'),
                "{what}: {s:?}"
            ),
            Value::Array(a) => a.iter().for_each(|v| walk(what, v)),
            Value::Object(o) => o.values().for_each(|v| walk(what, v)),
            _ => {}
        }
    }
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{what}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    walk(what, &v);
}

/// No quote in a message is longer than ~200 characters of the cell.
fn assert_quotes_short(what: &str, text: &str) {
    assert!(
        !text.contains(&"长".repeat(201)),
        "{what}: long quote in\n{text}"
    );
}

#[test]
fn escape_codes_in_exports_never_reach_the_terminal() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = hostile_files(dir.path());
    let (h, r) = (header.to_str().unwrap(), rows.to_str().unwrap());
    for lang in ["zh", "en"] {
        let out = kehu(dir.path(), &["import", "--lang", lang, h, r]);
        let text = assert_clean("import", &out);
        assert!(text.contains('\u{FFFD}'), "{text}");
        assert_quotes_short("import", &text);
        let out = kehu(dir.path(), &["import", "--json", "--lang", lang, h, r]);
        assert_clean("import --json", &out);
        assert_json_clean("import --json", &out);
        let out = kehu(dir.path(), &["rejects", "--lang", lang]);
        let text = assert_clean("rejects", &out);
        assert!(text.contains('\u{FFFD}'), "{text}");
        assert_quotes_short(
            "rejects",
            text.lines()
                .filter(|l| !l.starts_with("    "))
                .collect::<String>()
                .as_str(),
        );
        let out = kehu(dir.path(), &["rejects", "--json", "--lang", lang]);
        assert_clean("rejects --json", &out);
        assert_json_clean("rejects --json", &out);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v.as_array().is_some_and(|a| a.len() >= 4), "{v}");
    }
}

#[test]
fn escape_codes_in_exports_never_reach_the_import_summary() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let (header, rows) = hostile_files(dir.path());
    for file in [header, rows] {
        for lang in [Lang::Zh, Lang::En] {
            let mut app = common::sample_app(dir.path(), lang, 200, 60);
            app.handle_key(Key::Char('i'));
            app.handle_key(Key::Ctrl('u'));
            common::type_text(&mut app, file.to_str().unwrap());
            app.handle_key(Key::Enter);
            app.import_job.as_mut().unwrap().wait();
            app.update(Action::Tick);
            let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
            terminal
                .draw(|f| kehu::ui::draw(&app, &kehu::ui::Theme::new(true), f))
                .unwrap();
            let buf = terminal.backend().buffer().clone();
            let screen: String = buf.content().iter().map(|c| c.symbol()).collect();
            let bad: Vec<char> = screen.chars().filter(|c| is_hostile(*c)).collect();
            assert!(bad.is_empty(), "raw {bad:?} in the summary:\n{screen:?}");
            assert!(screen.contains('\u{FFFD}'), "{}", terminal.backend());
        }
    }
}

/// A buyer's nickname, receiver, address and message with escape codes, once
/// stored, print safely from every command that shows them (plain and JSON):
/// the last step of every line kehu writes makes it terminal-safe.
#[test]
fn escape_codes_stored_in_the_database_never_reach_the_terminal() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let rows = dir.path().join("names.csv");
    std::fs::write(
        &rows,
        format!(
            "{HEADER}\n2001,坏{EVIL}人,12.00,交易成功,留言{EVIL},张{EVIL}三,上海{EVIL}路,13800001234,2025-11-01 10:00:00,,0\n"
        ),
    )
    .unwrap();
    let out = kehu(dir.path(), &["import", rows.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let add = kehu(
        dir.path(),
        &[
            "complaint",
            "add",
            "#1",
            "--summary",
            &format!("裂了{EVIL}"),
            "--category",
            "quality",
            "--severity",
            "high",
            "--order",
            "2001",
        ],
    );
    assert!(add.status.success(), "{add:?}");
    let note = kehu(dir.path(), &["note", "#1", &format!("备注{EVIL}")]);
    assert!(note.status.success(), "{note:?}");
    for args in [
        &["lookup", "坏"][..],
        &["lookup", "坏", "--reveal"],
        &["complaint", "list"],
        &["complaint", "show", "1"],
        &["complaint", "stats"],
        &["points", "history", "#1"],
        &["points", "balance", "#1"],
        &["stats"],
        &["export", "customers"],
        &["export", "orders"],
        &["export", "complaints"],
    ] {
        let mut out = kehu(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        if args[0] == "export" {
            // A CSV for Excel: a byte-order mark and CRLF line ends by design.
            let csv = String::from_utf8(out.stdout).unwrap();
            let csv = csv.strip_prefix('\u{feff}').expect("BOM");
            out.stdout = csv.replace("\r\n", "\n").into_bytes();
        }
        let text = assert_clean(&args.join(" "), &out);
        assert!(!text.contains("pwned\u{7}"), "{args:?}");
        if args[0] == "lookup" || args.get(1).is_some_and(|a| *a == "list" || *a == "show") {
            assert!(
                text.contains('\u{FFFD}'),
                "{args:?}: the data is shown, made safe: {text}"
            );
        }
    }
    for args in [
        &["lookup", "坏", "--json"][..],
        &["complaint", "list", "--json"],
        &["complaint", "show", "1", "--json"],
        &["points", "history", "#1", "--json"],
    ] {
        let out = kehu(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert_clean(&args.join(" "), &out);
        assert_json_clean(&args.join(" "), &out);
    }
}
