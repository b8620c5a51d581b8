//! Item reports (宝贝报表): an older one changes nothing, and `kehu import` and
//! the app's import summary report the same counts under the same names.

mod common;

use common::type_text;
use kehu::app::{App, Key};
use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use kehu::import::ReportReader;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};

const NEW_ORDERS: &str = "tests/fixtures/taobao/ExportOrderList202406011200.csv";
const NEW_ITEMS: &str = "tests/fixtures/taobao/ExportOrderDetailList202406011200.csv";
const OLD_ITEMS: &str = "tests/fixtures/taobao/ExportOrderDetailList202405201030.csv";

fn import(store: &mut Store, path: &str, preload_after: Option<u64>) -> kehu::db::FileSummary {
    let reader = ReportReader::open(std::fs::File::open(path).unwrap(), None).unwrap();
    let opts = ImportOptions {
        preload_after,
        ..ImportOptions::default()
    };
    store
        .import_report(path, reader, opts, &mut |_| {})
        .unwrap()
}

/// Every stored item line and item fingerprint.
fn lines_dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT * FROM order_lines ORDER BY order_id, line_no",
        "SELECT * FROM order_lines_fp ORDER BY order_id",
        "SELECT id, status, status_raw FROM orders ORDER BY id",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    v => format!("{v:?}"),
                })
                .collect();
            out.push(cells.join("|"));
        }
    }
    out
}

#[test]
fn an_older_item_report_changes_nothing() {
    common::pin_clock();
    // Row by row, and in bulk mode from the first row.
    for preload_after in [None, Some(0)] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let mut store = Store::open(&db).unwrap();
        import(&mut store, NEW_ORDERS, preload_after);
        import(&mut store, NEW_ITEMS, preload_after);
        let before = lines_dump(&db);
        assert!(
            before.iter().any(|l| l.contains("交易成功")),
            "completed lines stored"
        );
        let old = import(&mut store, OLD_ITEMS, preload_after);
        assert_eq!(old.lines_written, 0, "{preload_after:?}");
        assert!(old.lines_stale > 0, "{preload_after:?}");
        assert_eq!(lines_dump(&db), before, "{preload_after:?}");
        assert!(store.check().unwrap().problems.is_empty());
    }
}

/// An item report right after its order report in one run reads the order
/// report's map of order numbers (db/load `Carried`): the lines stored are
/// those of the item report imported on its own, and again they are all
/// found unchanged.
#[test]
fn an_item_report_after_its_order_report_in_one_run_reads_as_on_its_own() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let (one_run, two_runs) = (dir.path().join("one.db"), dir.path().join("two.db"));
    let mut store = Store::open(&one_run).unwrap();
    import(&mut store, NEW_ORDERS, Some(0));
    let first = import(&mut store, NEW_ITEMS, Some(0));
    assert!(first.lines_written > 0);
    import(&mut Store::open(&two_runs).unwrap(), NEW_ORDERS, Some(0));
    import(&mut Store::open(&two_runs).unwrap(), NEW_ITEMS, Some(0));
    assert_eq!(lines_dump(&one_run), lines_dump(&two_runs));
    // Again in one run: every line is known by its stored fingerprint.
    import(&mut store, NEW_ORDERS, Some(0));
    let again = import(&mut store, NEW_ITEMS, Some(0));
    assert_eq!((again.lines_written, again.lines), (0, first.lines));
    assert!(store.check().unwrap().problems.is_empty());
}

/// The order report's map is not used once the orders changed after it:
/// here its import undone, by this connection or by another one.
#[test]
fn an_item_report_after_orders_changed_reads_the_orders_again() {
    common::pin_clock();
    for other_connection in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let mut store = Store::open(&db).unwrap();
        let batch = import(&mut store, NEW_ORDERS, Some(0)).batch.unwrap();
        if other_connection {
            Store::open(&db).unwrap().undo_batch(batch).unwrap();
        } else {
            store.undo_batch(batch).unwrap();
        }
        let items = import(&mut store, NEW_ITEMS, Some(0));
        assert_eq!(items.lines_written, 0, "{other_connection}");
        assert!(!items.rejected.is_empty(), "{other_connection}");
        assert!(store.check().unwrap().problems.is_empty());
    }
}

#[test]
fn the_newer_item_report_after_the_older_one_still_updates() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("k.db")).unwrap();
    import(&mut store, NEW_ORDERS, None);
    import(&mut store, OLD_ITEMS, None);
    let newer = import(&mut store, NEW_ITEMS, None);
    assert!(newer.lines_written > 0);
    assert_eq!(newer.lines_stale, 0);
}

fn samples_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn cli_import(dir: &Path, files: &[&str], lang: &str) -> String {
    let out = common::kehu_cmd(dir)
        .arg("import")
        .args(files.iter().map(|f| samples_path(f)))
        .args(["--lang", lang, "--db"])
        .arg(dir.join("cli.db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

fn app_import(dir: &Path, files: &[&str], lang: Lang) -> String {
    let store = Store::open(&dir.join("app.db")).unwrap();
    let mut app = App::new(store, lang, kehu::config::Config::default());
    app.update(kehu::app::Action::Resize(160, 50));
    let mut screen = String::new();
    for f in files {
        app.handle_key(Key::Char('i'));
        app.handle_key(Key::Ctrl('u'));
        type_text(&mut app, f);
        app.handle_key(Key::Enter);
        app.import_job.as_mut().unwrap().wait();
        app.update(kehu::app::Action::Tick);
        // The summary is on screen: its popup stayed open (`i` there would
        // ask for the next file).
        let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
        terminal
            .draw(|fr| draw(&app, &Theme::new(true), fr))
            .unwrap();
        screen.push_str(&terminal.backend().to_string());
        app.handle_key(Key::Esc);
    }
    screen
}

/// The counts line of each file, as the app draws it and as the CLI prints it.
#[test]
fn cli_and_app_report_the_same_counts_under_the_same_names() {
    common::pin_clock();
    let files = [NEW_ORDERS, NEW_ITEMS, OLD_ITEMS];
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        let cli = cli_import(dir.path(), &files, tag);
        let app = app_import(dir.path(), &files, lang);
        let mut store = Store::open(&dir.path().join("lib.db")).unwrap();
        for f in files {
            let s = import(&mut store, f, None);
            let counts = s.counts_text(lang);
            assert!(cli.contains(&counts), "CLI lacks {counts:?}:\n{cli}");
            assert!(app.contains(&counts), "app lacks {counts:?}:\n{app}");
        }
        let items = match lang {
            Lang::Zh => "商品行 640 · 写入商品行 640",
            Lang::En => "item rows 640 · item rows written 640",
        };
        assert!(cli.contains(items), "{cli}");
        assert!(app.contains(items), "{app}");
    }
}
