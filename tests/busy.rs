//! Busy databases: an import holding the write transaction in one thread (or
//! process) while other connections write. Writers are refused at once with
//! "an import is running (started HH:MM)", or wait with `--wait`; readers
//! keep working; the app queues its writes and applies them afterwards.

mod common;

use common::{kehu_cmd, sample_app, sample_store, type_text};
use kehu::app::{Action, Key, Popup};
use kehu::db::{ImportOptions, ImportRunning, Store, is_busy};
use kehu::i18n::Lang;
use kehu::ingest::FileProgress;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// An import running in a thread of its own, stopped inside its write
/// transaction until [`HeldImport::finish`].
struct HeldImport {
    go: mpsc::Sender<()>,
    handle: JoinHandle<kehu::ingest::ImportRun>,
}

impl HeldImport {
    fn start(db: &Path, dir: &Path) -> HeldImport {
        let ex = dir.join("export");
        std::fs::create_dir_all(&ex).unwrap();
        let opts = kehu::demo::GenOptions {
            orders: 6000,
            seed: 11,
            end: kehu::domain::time::parse_stored(common::NOW).unwrap(),
            span_days: 365,
            shop_name: "小美文具铺".into(),
        };
        let (orders, _, _) = kehu::demo::write_taobao_files(&opts, &ex).unwrap();
        let (started_tx, started) = mpsc::channel();
        let (go, go_rx) = mpsc::channel::<()>();
        let db = db.to_path_buf();
        let handle = std::thread::spawn(move || {
            let mut store = Store::open(&db).unwrap();
            let mut held = false;
            kehu::ingest::import_files(
                &mut store,
                &[orders],
                None,
                ImportOptions::default(),
                Lang::Zh,
                &mut |p: &FileProgress| {
                    // Rows written: the write transaction is open.
                    if p.done > 0 && !held {
                        held = true;
                        started_tx.send(()).unwrap();
                        go_rx.recv().unwrap();
                    }
                },
            )
            .unwrap()
        });
        started.recv().expect("the import reached its rows");
        HeldImport { go, handle }
    }

    fn finish(self) -> kehu::ingest::ImportRun {
        self.go.send(()).unwrap();
        self.handle.join().unwrap()
    }
}

fn running(e: &anyhow::Error) -> Option<&ImportRunning> {
    e.chain().find_map(|c| c.downcast_ref::<ImportRunning>())
}

#[test]
fn writers_are_refused_at_once_while_an_import_runs_and_wait_for_it_with_wait() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let id = {
        let store = sample_store(dir.path());
        store.lookup("邵娜", 1, false).unwrap()[0].id
    };
    let import = HeldImport::start(&db, dir.path());

    let mut other = Store::open(&db).unwrap();
    let t0 = Instant::now();
    let e = other.add_note(id, "进口中").unwrap_err();
    assert!(is_busy(&e));
    assert_eq!(
        running(&e).and_then(|r| r.since.as_deref()),
        Some("09:00"),
        "{e:#}"
    );
    assert_eq!(
        running(&e).unwrap().message(Lang::En),
        "an import is running (started 09:00); try again when it finishes or pass --wait"
    );
    let e = other.adjust_points(id, 10, "补偿").unwrap_err();
    assert!(running(&e).is_some(), "{e:#}");
    let e = other
        .blacklist(id, "恶意差评", kehu::db::Actor::Cli)
        .unwrap_err();
    assert!(running(&e).is_some(), "{e:#}");
    // A second import is refused too.
    let Err(e) = kehu::ingest::import_files(
        &mut other,
        &[PathBuf::from(common::ORDERS)],
        None,
        ImportOptions::default(),
        Lang::Zh,
        &mut |_| {},
    ) else {
        panic!("a second import is refused")
    };
    assert!(running(&e).is_some(), "{e:#}");
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "refused quickly, not after the busy timeout: {:?}",
        t0.elapsed()
    );
    // Reading goes on (WAL).
    assert!(other.stats().unwrap().orders > 0);
    assert_eq!(
        other.import_running().unwrap().since.as_deref(),
        Some("09:00")
    );

    // --wait: the write waits for the import, then goes in.
    let db2 = db.clone();
    let waiter = std::thread::spawn(move || {
        let mut w = Store::open(&db2).unwrap();
        w.set_wait(true).unwrap();
        w.add_note(id, "等导入完成").unwrap();
        w.adjust_points(id, 10, "补偿").unwrap();
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(!waiter.is_finished(), "the waiting writer waits");
    let run = import.finish();
    assert_eq!(run.summaries.len(), 1);
    waiter.join().unwrap();
    assert!(other.import_running().is_none());
    let card = other.customer_card(id, 5).unwrap().unwrap();
    let notes: Vec<_> = card.notes.iter().map(|n| n.body.as_str()).collect();
    assert_eq!(notes, ["等导入完成"]);
    // And without --wait, writes go in again.
    other.add_note(id, "之后").unwrap();
}

#[test]
fn cli_write_commands_say_an_import_is_running_and_exit_3() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let (key, complaint) = {
        let mut store = sample_store(dir.path());
        let hit = store.lookup("邵娜", 1, false).unwrap()[0].clone();
        store.add_tag(hit.id, "老客").unwrap();
        let c = common::add_sample_complaint(&mut store, "邵娜");
        (format!("#{}", hit.id), c.to_string())
    };
    let import = HeldImport::start(&db, dir.path());
    let writes: Vec<Vec<&str>> = vec![
        vec!["points", "redeem", &key, "1", "--note", "兑换"],
        vec!["points", "adjust", &key, "5", "--note", "补"],
        vec![
            "complaint",
            "add",
            &key,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "裂了",
        ],
        vec!["complaint", "set", &complaint, "--status", "resolved"],
        vec!["note", &key, "要发顺丰"],
        vec!["tag", &key, "大客户"],
        vec!["untag", &key, "老客"],
        vec!["blacklist", &key, "--reason", "恶意差评"],
        vec!["unblacklist", &key],
        vec!["import", common::ORDERS],
    ];
    for args in &writes {
        let out = kehu_cmd(dir.path())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(
            err.contains("正在导入（09:00 开始）；请等导入完成后再试，或加 --wait"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("locked"), "{args:?}: {err}");
    }
    let out = kehu_cmd(dir.path())
        .args(["--lang", "en", "--db"])
        .arg(&db)
        .args(["note", &key, "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "an import is running (started 09:00); try again when it finishes or pass --wait"
    );
    // Reads keep working.
    for args in [
        vec!["stats"],
        vec!["lookup", "邵娜"],
        vec!["points", "balance", &key],
    ] {
        let out = kehu_cmd(dir.path())
            .arg("--db")
            .arg(&db)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
    // --wait (before or after the subcommand) waits, then writes.
    let mut waiting = kehu_cmd(dir.path())
        .arg("--db")
        .arg(&db)
        .args(["note", &key, "等导入完成", "--wait"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(waiting.try_wait().unwrap().is_none(), "it waits");
    import.finish();
    assert_eq!(waiting.wait().unwrap().code(), Some(0));
    let store = Store::open(&db).unwrap();
    let id: i64 = key[1..].parse().unwrap();
    let card = store.customer_card(id, 5).unwrap().unwrap();
    assert_eq!(card.notes[0].body, "等导入完成");
}

#[test]
fn a_note_saved_in_the_app_during_an_import_waits_and_is_saved_after() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 100, 30);
    let db = app.store().path().to_path_buf();
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "邵娜");
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    let id = c.card.customer.id;

    let import = HeldImport::start(&db, dir.path());
    app.handle_key(Key::Char('n'));
    type_text(&mut app, "要发顺丰");
    let t0 = Instant::now();
    app.handle_key(Key::Enter);
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    // Queued with its text; the box closed, so the next keys go to the card.
    assert_eq!(app.pending.len(), 1);
    assert_eq!(app.pending[0].text, "要发顺丰");
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "saved after the import finishes: 1 waiting"
    );
    app.update(Action::Tick);
    assert_eq!(app.pending.len(), 1, "still waiting while the import runs");

    import.finish();
    app.update(Action::Tick);
    assert!(app.pending.is_empty());
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "the import finished: 1 waiting saved"
    );
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card still open")
    };
    assert_eq!(c.card.notes[0].body, "要发顺丰");
    let stored = app.store().customer_card(id, 5).unwrap().unwrap();
    assert_eq!(stored.notes[0].body, "要发顺丰");
}

#[test]
fn a_lock_file_left_by_a_killed_import_blocks_nobody() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let id = {
        let store = sample_store(dir.path());
        store.lookup("邵娜", 1, false).unwrap()[0].id
    };
    // What an import killed mid-way leaves: the file, its pid and start time,
    // but no lock (the kernel dropped it with the process).
    std::fs::write(
        dir.path().join("kehu.db-import"),
        "4194999 2025-12-01 08:00:00",
    )
    .unwrap();
    let store = Store::open(&db).unwrap();
    assert!(store.import_running().is_none());
    store.add_note(id, "照常保存").unwrap();
    let out = kehu_cmd(dir.path())
        .arg("--db")
        .arg(&db)
        .args(["import", common::ORDERS])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(store.import_running().is_none());
}
