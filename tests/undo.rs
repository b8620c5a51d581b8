//! `kehu batches` and `kehu undo`: the JSON shapes, an undo through the
//! binary giving back the database before the batch, and the refusals (exit
//! 3, the reason, nothing written).

mod common;
use common::dump;

use common::{ITEMS, ORDERS, kehu_in, ok_json};
use std::path::Path;

const LATER: &str = "tests/fixtures/taobao/ExportOrderList202406011200.csv";
const PDD: &str = "tests/fixtures/pdd/pdd-orders.csv";
const BAD: &str = "tests/fixtures/bad/excel-resaved-scientific.csv";

fn import(dir: &Path, files: &[&str]) {
    let mut args = vec!["import"];
    args.extend_from_slice(files);
    common::kehu_ok(dir, &args);
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let out = kehu_in(dir, args);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The databases in folders `a` and `b` hold the same rows, table by table.
fn assert_same_database(a: &Path, b: &Path) {
    let (x, y) = (dump::dump(&a.join("k.db")), dump::dump(&b.join("k.db")));
    if let Some(d) = dump::first_difference(&x, &y) {
        panic!("{d}");
    }
}

/// Undo `batch` in folder `a` (it succeeds and `kehu check` passes), which
/// then holds what folder `b` holds.
fn assert_undone_to(a: &Path, batch: &str, b: &Path) {
    let out = kehu_in(a, &["undo", batch]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(kehu_in(a, &["check"]).status.code(), Some(0));
    assert_same_database(a, b);
}

#[test]
fn batches_and_undo_speak_json() {
    let dir = tempfile::tempdir().unwrap();
    import(dir.path(), &[ORDERS, BAD]);
    let list = ok_json(dir.path(), &["batches", "--json"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "at",
            "file",
            "id",
            "kind",
            "new",
            "platform",
            "rejected",
            "undoable",
            "undone_at",
            "updated"
        ]
    );
    // Newest first: the file with rejected rows.
    assert_eq!(rows[0]["id"], 2);
    assert_eq!(rows[0]["rejected"], 3);
    assert_eq!(rows[1]["new"], 400);
    assert_eq!(rows[0]["undone_at"], serde_json::Value::Null);
    let done = ok_json(dir.path(), &["undo", "2", "--json"]);
    assert_eq!(done["batch"], 2);
    assert_eq!(done["orders_removed"], 117);
    assert_eq!(done["rejects_removed"], 3);
    assert_eq!(done["orders_restored"], 0);
    assert!(done["customers_removed"].as_i64().unwrap() > 0);
    assert!(done["ledger_entries"].as_i64().is_some());
    let list = ok_json(dir.path(), &["batches", "--json"]);
    assert_eq!(list[0]["undone_at"], common::NOW);
    // Undone once: a second undo is refused.
    let msg = refused(dir.path(), &["--lang", "en", "undo", "2"]);
    assert!(msg.contains("already undone"), "{msg}");
    let msg = refused(dir.path(), &["--lang", "en", "undo", "9"]);
    assert!(msg.contains("no import batch #9"), "{msg}");
}

#[test]
fn an_undo_through_the_binary_gives_back_the_database_before_the_batch() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    import(a.path(), &[ORDERS, ITEMS]);
    import(b.path(), &[ORDERS, ITEMS]);
    // The later export updates orders, the second platform adds buyers.
    import(a.path(), &[LATER, PDD]);
    let out = kehu_in(a.path(), &["undo", "4"]);
    assert_eq!(out.status.code(), Some(0));
    let out = kehu_in(a.path(), &["--lang", "en", "undo", "3"]);
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("undid import batch #3") && said.contains("72 order(s) restored"),
        "{said}"
    );
    assert_eq!(kehu_in(a.path(), &["check"]).status.code(), Some(0));
    assert_same_database(a.path(), b.path());
}

/// An item report that replaces stored lines, undone: the lines before it
/// come back (the undo kept them), and the orders that had none have none.
#[test]
fn an_undone_item_report_gives_back_the_lines_it_replaced() {
    const LATER_ITEMS: &str = "tests/fixtures/taobao/ExportOrderDetailList202406011200.csv";
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    import(a.path(), &[LATER, ITEMS]);
    import(b.path(), &[LATER, ITEMS]);
    let before = dump::dump(&a.path().join("k.db"));
    import(a.path(), &[LATER_ITEMS]);
    assert!(
        dump::first_difference(&dump::dump(&a.path().join("k.db")), &before).is_some(),
        "the later item report changes lines"
    );
    assert_undone_to(a.path(), "3", b.path());
}

/// An item report that writes the first lines of its orders keeps, for its
/// undo, runs of their ids (not a row per order); undone, the orders have
/// no lines again.
#[test]
fn an_undone_first_item_report_leaves_its_orders_without_lines() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    import(a.path(), &[ORDERS]);
    import(b.path(), &[ORDERS]);
    import(a.path(), &[ITEMS]);
    let db = rusqlite::Connection::open(a.path().join("k.db")).unwrap();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    let with_lines = count("SELECT count(DISTINCT order_id) FROM order_lines");
    let covered =
        count("SELECT coalesce(sum(hi - lo + 1), 0) FROM undo_new_lines WHERE undo_batch = 2");
    let runs = count("SELECT count(*) FROM undo_new_lines WHERE undo_batch = 2");
    assert!(with_lines > 100, "{with_lines}");
    assert_eq!(covered, with_lines);
    assert!(runs * 4 < with_lines, "{runs} runs for {with_lines} orders");
    assert_eq!(count("SELECT count(*) FROM undo_lines_saved"), 0);
    drop(db);
    assert_undone_to(a.path(), "2", b.path());
}

/// A later batch on the same orders — a later order report updating them,
/// or the item report that gave them their first lines — is undone first.
#[test]
fn a_later_batch_on_the_same_orders_refuses_the_undo() {
    for later in [LATER, ITEMS] {
        let dir = tempfile::tempdir().unwrap();
        import(dir.path(), &[ORDERS]);
        import(dir.path(), &[later]);
        let before = dump::dump(&dir.path().join("k.db"));
        let msg = refused(dir.path(), &["--lang", "en", "undo", "1"]);
        assert!(msg.contains("later batch #2"), "{later}: {msg}");
        assert_eq!(dump::dump(&dir.path().join("k.db")), before);
        // Newest first, both go.
        assert_eq!(kehu_in(dir.path(), &["undo", "2"]).status.code(), Some(0));
        assert_eq!(kehu_in(dir.path(), &["undo", "1"]).status.code(), Some(0));
        let list = ok_json(dir.path(), &["batches", "--json"]);
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|b| b["undone_at"].is_string())
        );
    }
}

#[test]
fn a_complaint_on_an_order_of_the_batch_refuses_the_undo() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = common::sample_store(dir.path());
        common::add_sample_complaint(&mut store, "邵娜");
    }
    let db = dir.path().join("kehu.db");
    let before = dump::dump(&db);
    // The complaint's order came with the order report (batch 1) and got its
    // lines from the item report (batch 2): neither may be undone.
    for batch in ["2", "1"] {
        let out = common::kehu_cmd(dir.path())
            .args(["--lang", "en", "undo", batch, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{batch}");
        let msg = String::from_utf8_lossy(&out.stderr);
        assert!(msg.contains("has a complaint"), "{msg}");
        assert_eq!(dump::dump(&db), before, "{batch}: nothing written");
    }
}

#[test]
fn a_note_on_a_customer_the_batch_brought_refuses_the_undo() {
    let dir = tempfile::tempdir().unwrap();
    import(dir.path(), &[ORDERS, PDD]);
    let list = ok_json(dir.path(), &["lookup", "--json", "13800000000"]);
    let _ = list;
    let db = dir.path().join("k.db");
    let cid: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT max(id) FROM customers WHERE platform = 'pdd'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let who = format!("#{cid}");
    let out = kehu_in(dir.path(), &["note", &who, "常客，喜欢蓝色"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = dump::dump(&db);
    let msg = refused(dir.path(), &["--lang", "en", "undo", "2"]);
    assert!(msg.contains("has a note"), "{msg}");
    assert_eq!(dump::dump(&db), before);
}

/// Import `file` from the app's path box and wait for its summary.
fn app_import(app: &mut kehu::app::App, file: &str) {
    use kehu::app::Key;
    app.handle_key(Key::Char('i'));
    app.handle_key(Key::Ctrl('u'));
    common::type_text(app, file);
    app.handle_key(Key::Enter);
    app.import_job.as_mut().unwrap().wait();
    app.update(kehu::app::Action::Tick);
}

/// The app's import summary undoes the import it shows: `u` asks, any key
/// but `y` keeps it, `y` gives back the database before it; a second `u`
/// finds nothing left to undo.
#[test]
fn the_import_summary_undoes_its_import_after_a_question() {
    use kehu::app::Key;
    use kehu::i18n::Lang;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let mut app = common::sample_app(dir.path(), Lang::En, 100, 30);
    // The suggestions' counts as an import through the app leaves them.
    kehu::db::Store::open(&db)
        .unwrap()
        .refresh_suggest_counts()
        .unwrap();
    let before = dump::dump(&db);
    app_import(&mut app, PDD);
    let after = dump::dump(&db);
    assert_ne!(after, before, "the import added the Pinduoduo buyers");
    app.handle_key(Key::Char('u'));
    assert!(matches!(
        app.popups.last(),
        Some(kehu::app::Popup::Confirm(_))
    ));
    app.handle_key(Key::Char('n'));
    assert_eq!(dump::dump(&db), after, "no: nothing undone");
    app.handle_key(Key::Char('u'));
    app.handle_key(Key::Char('y'));
    let said = app.message.as_ref().unwrap();
    assert!(!said.error, "{}", said.text);
    assert!(
        said.text.starts_with("import undone (batch #3)"),
        "{}",
        said.text
    );
    if let Some(d) = dump::first_difference(&dump::dump(&db), &before) {
        panic!("{d}");
    }
    // The views were read again: the Pinduoduo buyers are gone from them.
    assert_eq!(app.store().stats().unwrap().customers, 116);
    app.handle_key(Key::Char('u'));
    let said = app.message.as_ref().unwrap();
    assert_eq!(said.text, "this import has no batch left to undo");
}

/// A refusal in the app is the CLI's: the reason on the message line, the
/// database unchanged.
#[test]
fn the_import_summary_says_why_an_undo_is_refused() {
    use kehu::app::Key;
    use kehu::i18n::Lang;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let mut app = common::sample_app(dir.path(), Lang::En, 100, 30);
    app_import(&mut app, PDD);
    {
        let store = kehu::db::Store::open(&db).unwrap();
        let cid: i64 = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT max(id) FROM customers WHERE platform = 'pdd'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        store.add_note(cid, "常客，喜欢蓝色").unwrap();
    }
    let before = dump::dump(&db);
    app.handle_key(Key::Char('u'));
    app.handle_key(Key::Char('y'));
    let said = app.message.as_ref().unwrap();
    assert!(
        said.error && said.text.contains("has a note"),
        "{}",
        said.text
    );
    assert_eq!(dump::dump(&db), before);
}
