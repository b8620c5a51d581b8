//! App tests: keys and actions sent to `App` over the sample database.

mod common;

use common::{sample_app, type_text};
use kehu::app::{Action, Key, Popup, Tab};
use kehu::i18n::Lang;

#[test]
fn lookup_finds_buyer_and_opens_card_and_note_persists() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "邵娜");
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup not open")
    };
    assert_eq!(l.query, "邵娜");
    let first = &l.hits[0];
    assert_eq!(first.buyer, "风吹lucky28941_124");
    assert_eq!(first.orders, 44);
    let id = first.id;

    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    assert_eq!(c.card.customer.id, id);
    assert_eq!(app.popups.len(), 1, "lookup closes when the card opens");

    app.handle_key(Key::Char('n'));
    assert!(matches!(app.popups.last(), Some(Popup::Input(_))));
    // Keys that are bindings elsewhere are text here.
    type_text(&mut app, "q2/发顺丰 b");
    app.handle_key(Key::Enter);
    assert!(!app.quit);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("back on the card")
    };
    assert_eq!(c.card.notes[0].body, "q2/发顺丰 b");
    assert!(!c.card.customer.blacklisted);
    let stored = app.store().customer_card(id, 5).unwrap().unwrap();
    assert_eq!(stored.notes.len(), 1);
    assert_eq!(stored.notes[0].body, "q2/发顺丰 b");
}

#[test]
fn tags_and_blacklist_from_the_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 80, 24);
    app.handle_key(Key::Enter); // card of the first customer
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    let id = c.card.customer.id;
    app.handle_key(Key::Char('t'));
    type_text(&mut app, "VIP");
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('b'));
    type_text(&mut app, "fake claims");
    app.handle_key(Key::Enter);
    let stored = app.store().customer_card(id, 5).unwrap().unwrap();
    assert_eq!(stored.tags, vec!["VIP".to_string()]);
    assert!(stored.customer.blacklisted);
    // The list behind the card shows it too.
    assert!(
        app.customers
            .rows
            .iter()
            .any(|r| r.id == id && r.blacklisted)
    );
    app.handle_key(Key::Char('T'));
    type_text(&mut app, "VIP");
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('b'));
    app.handle_key(Key::Char('y'));
    let stored = app.store().customer_card(id, 5).unwrap().unwrap();
    assert!(stored.tags.is_empty());
    assert!(!stored.customer.blacklisted);
    // Esc closes the card; a second Esc leaves nothing open and does not quit.
    app.handle_key(Key::Esc);
    app.handle_key(Key::Esc);
    assert!(app.popups.is_empty());
    assert!(!app.quit);
}

#[test]
fn q_typed_in_lookup_is_text_then_quits_outside() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "q2/?");
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup closed")
    };
    assert_eq!(l.query, "q2/?");
    assert!(!app.quit);
    assert_eq!(app.tab, Tab::Customers);
    app.paste("lucky\n28941");
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup closed")
    };
    assert_eq!(l.query, "q2/?lucky 28941");
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('q'));
    assert!(app.quit);
}

#[test]
fn tabs_and_paging_through_orders() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('2'));
    assert_eq!(app.tab, Tab::Orders);
    assert!(!app.orders.rows.is_empty());
    let first = app.orders.rows[0].id;
    app.handle_key(Key::PageDown);
    let h = app.list_height();
    assert_eq!(app.orders.selected, h);
    assert!(app.orders.offset > 0);
    assert_ne!(app.orders.selected_row().map(|o| o.id), Some(first));
    // Newest first, all the way down.
    let times: Vec<&str> = app
        .orders
        .rows
        .iter()
        .map(|o| o.created_at.as_str())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    app.handle_key(Key::Char('G'));
    let total = app.counts.1 as usize;
    assert!(app.orders.rows.len() <= total);
    app.handle_key(Key::Char('j'));
    let last = app.orders.selected_row().map(|o| o.id);
    app.handle_key(Key::Char('g'));
    assert_eq!(app.orders.selected, 0);
    assert_eq!(app.orders.selected_row().map(|o| o.id), Some(first));
    assert_ne!(last, Some(first));
    // Walk the whole list one page at a time: every order once.
    let mut seen = std::collections::HashSet::new();
    loop {
        seen.insert(app.orders.selected_row().map(|o| o.id));
        let before = app.orders.selected_row().map(|o| o.id);
        app.handle_key(Key::Down);
        if app.orders.selected_row().map(|o| o.id) == before {
            break;
        }
    }
    assert_eq!(seen.len(), total);
    // Enter opens the order card; Esc closes it.
    app.handle_key(Key::Enter);
    assert!(matches!(app.popups.last(), Some(Popup::Order(_))));
    app.handle_key(Key::Esc);
    app.handle_key(Key::Tab);
    assert_eq!(app.tab, Tab::Complaints);
    app.handle_key(Key::BackTab);
    app.handle_key(Key::BackTab);
    assert_eq!(app.tab, Tab::Customers);
}

#[test]
fn sort_and_filters() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('s'));
    let paid: Vec<i64> = app.customers.rows.iter().map(|c| c.paid_fen).collect();
    assert!(paid.windows(2).all(|w| w[0] >= w[1]));
    app.handle_key(Key::Char('f'));
    assert!(app.customers.rows.is_empty(), "nobody is blacklisted yet");
    app.handle_key(Key::Char('f'));
    app.handle_key(Key::Char('2'));
    app.handle_key(Key::Char('f'));
    assert!(app.orders.rows.iter().all(|o| o.status == "paid"));
    app.update(Action::Refresh);
    assert!(app.orders.rows.iter().all(|o| o.status == "paid"));
    app.handle_key(Key::Char('d'));
    assert_eq!(app.order_query.days, Some(7));
}

#[test]
fn order_card_from_the_customer_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 120, 40);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "lucky28941");
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('j'));
    app.handle_key(Key::Enter);
    let Some(Popup::Order(o)) = app.popups.last() else {
        panic!("order card not open")
    };
    assert_eq!(o.detail.order.buyer, "风吹lucky28941_124");
    assert_eq!(app.popups.len(), 2);
}

#[test]
fn without_a_terminal_the_app_says_so_and_fails() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let out = common::kehu_cmd(dir.path())
        .args(["--lang", "en", "--db"])
        .arg(dir.path().join("kehu.db"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn refresh_keeps_the_place_and_rereads_open_cards() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    for _ in 0..5 {
        app.handle_key(Key::Char('j'));
    }
    let at = app.customers.selected_row().map(|c| c.id);
    app.handle_key(Key::Enter);
    let id = at.unwrap();
    // Another process (the CLI) writes while the app is open.
    let other = kehu::db::Store::open(&dir.path().join("kehu.db")).unwrap();
    other.add_note(id, "从命令行加的").unwrap();
    app.handle_key(Key::Ctrl('r'));
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card closed")
    };
    assert_eq!(c.card.notes[0].body, "从命令行加的");
    app.handle_key(Key::Esc);
    assert_eq!(app.customers.selected_row().map(|c| c.id), at);
}

#[test]
fn complaints_tab_lists_a_complaint_and_enter_shows_its_history() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let id = common::add_sample_complaint(&mut store, "邵娜");
    let mut app = kehu::app::App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(80, 24));
    app.handle_key(Key::Char('3'));
    assert_eq!(app.tab, Tab::Complaints);
    assert_eq!(app.complaints.rows.len(), 1);
    let row = &app.complaints.rows[0];
    assert_eq!(row.id, id);
    assert_eq!(row.status, "processing");
    assert!(!row.overdue);
    app.handle_key(Key::Enter);
    let Some(Popup::Complaint(c)) = app.popups.last() else {
        panic!("complaint not open")
    };
    assert_eq!(c.detail.complaint.id, id);
    let kinds: Vec<&str> = c.detail.history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["create", "move"]);
    assert_eq!(c.detail.history[1].to_status, "processing");
    assert_eq!(c.detail.history[1].note, "已联系买家");
    app.handle_key(Key::Esc);
    assert!(app.popups.is_empty());

    // The buyer's card counts it as open.
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "邵娜");
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    assert_eq!(c.open_complaints, 1);
    assert!(c.points.is_some());
}

#[test]
fn points_tab_pages_through_the_ledger() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 80, 24);
    app.handle_key(Key::Char('4'));
    assert_eq!(app.tab, Tab::Points);
    let first = app.ledger.selected_row().map(|e| e.id);
    app.update(Action::Bottom);
    let last = app.ledger.selected_row().map(|e| e.id);
    assert!(last < first, "newest first: the bottom is the oldest");
    // Back up from the bottom past the loaded window, one page at a time.
    for _ in 0..100 {
        app.update(Action::PageUp);
    }
    assert_eq!(app.ledger.selected_row().map(|e| e.id), first);
    assert!(app.message.is_none());
    app.update(Action::Bottom);
    app.update(Action::Top);
    assert_eq!(app.ledger.selected_row().map(|e| e.id), first);
}

/// The card of the buyer found by `who`, opened through the lookup.
fn open_card_of(app: &mut kehu::app::App, who: &str) -> i64 {
    app.handle_key(Key::Char('/'));
    type_text(app, who);
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    c.card.customer.id
}

fn card_points(app: &kehu::app::App) -> (i64, usize) {
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not on top")
    };
    (c.points.as_ref().unwrap().balance, c.open_complaints)
}

fn form_error(app: &kehu::app::App) -> Option<String> {
    match app.popups.last() {
        Some(Popup::Form(f)) => f.error.clone(),
        _ => None,
    }
}

/// A complaint logged from the card, taken from open to closed with points
/// given as compensation: the card, the complaint's history and the ledger
/// all show it.
#[test]
fn complaint_from_card_to_closed_with_compensation() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    let id = open_card_of(&mut app, "邵娜");
    let (balance, open) = card_points(&app);
    assert_eq!((balance, open), (4498, 0));

    app.handle_key(Key::Char('c'));
    // Saving with the summary empty is refused, and nothing is written.
    app.handle_key(Key::Enter);
    assert!(form_error(&app).unwrap().contains("概要"));
    type_text(&mut app, "杯子裂了 q/2"); // bindings elsewhere, text here
    app.handle_key(Key::Tab);
    app.handle_key(Key::Right); // quality → logistics
    app.handle_key(Key::Enter);
    assert!(!app.quit);
    assert_eq!(
        card_points(&app),
        (4498, 1),
        "one open complaint on the card"
    );

    // To the complaints tab: the new complaint is there; open it and move it.
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('3'));
    let row = app.complaints.selected_row().unwrap().clone();
    assert_eq!(row.customer_id, id);
    assert_eq!(row.summary, "杯子裂了 q/2");
    assert_eq!(row.category, "logistics");
    assert!(
        row.order_no.is_some(),
        "the card's selected order is linked"
    );
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('m')); // on the status: open → processing is chosen
    app.handle_key(Key::Tab);
    type_text(&mut app, "已联系买家");
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('m')); // processing → resolved is chosen
    app.handle_key(Key::Tab);
    type_text(&mut app, "补发一个");
    app.handle_key(Key::Tab);
    type_text(&mut app, "换新杯");
    app.handle_key(Key::Tab);
    type_text(&mut app, "50");
    app.handle_key(Key::Enter);
    assert_eq!(form_error(&app), None);
    app.handle_key(Key::Char('m')); // resolved → closed, satisfaction 5
    for _ in 0..6 {
        app.handle_key(Key::Tab);
    }
    for _ in 0..5 {
        app.handle_key(Key::Right);
    }
    app.handle_key(Key::Enter);
    let Some(Popup::Complaint(c)) = app.popups.last() else {
        panic!("back on the complaint")
    };
    let k = &c.detail.complaint;
    assert_eq!(k.status, "closed");
    assert_eq!(k.compensation_points, 50);
    assert_eq!(k.resolution, "换新杯");
    assert_eq!(k.satisfaction, Some(5));
    let moves: Vec<&str> = c
        .detail
        .history
        .iter()
        .map(|e| e.to_status.as_str())
        .collect();
    assert_eq!(moves, ["open", "processing", "resolved", "closed"]);
    assert_eq!(c.detail.history[1].note, "已联系买家");

    // The ledger has the compensation, linked to the complaint; the card
    // shows the new balance and no open complaint.
    let entries = app.store().ledger_page(Some(id), i64::MIN, 10_000).unwrap();
    let comp: Vec<_> = entries
        .iter()
        .filter(|e| e.kind == "compensation")
        .collect();
    assert_eq!(comp.len(), 1);
    assert_eq!((comp[0].delta, comp[0].ref_complaint_id), (50, Some(k.id)));
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('1'));
    open_card_of(&mut app, "邵娜");
    assert_eq!(card_points(&app), (4548, 0));
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not on top")
    };
    assert_eq!(
        c.complaints, 1,
        "the closed complaint still counts on the card"
    );
    app.handle_key(Key::Char('l'));
    let Some(Popup::Ledger(v)) = app.popups.last() else {
        panic!("ledger not open")
    };
    assert_eq!(v.points.balance, 4548);
    assert_eq!(v.entries.last().unwrap().kind, "compensation");
}

/// Redemptions from the card: above the balance is refused in the form with
/// the reason and writes nothing; within it, the balance drops. Adjustments
/// take a sign.
#[test]
fn redeem_and_adjust_from_the_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 100, 30);
    let id = open_card_of(&mut app, "邵娜");
    let before = app
        .store()
        .ledger_page(Some(id), i64::MIN, 10_000)
        .unwrap()
        .len();
    app.handle_key(Key::Char('p'));
    type_text(&mut app, "99999");
    app.handle_key(Key::Tab);
    type_text(&mut app, "换购保温杯");
    app.handle_key(Key::Enter);
    let err = form_error(&app).expect("refused");
    assert!(err.contains("4498"), "{err}");
    let after = app
        .store()
        .ledger_page(Some(id), i64::MIN, 10_000)
        .unwrap()
        .len();
    assert_eq!(before, after, "a refused redemption writes nothing");
    app.handle_key(Key::BackTab);
    app.handle_key(Key::Ctrl('u'));
    type_text(&mut app, "498");
    app.handle_key(Key::Enter);
    assert_eq!(card_points(&app).0, 4000);

    app.handle_key(Key::Char('a'));
    type_text(&mut app, "-1000");
    app.handle_key(Key::Tab);
    type_text(&mut app, "duplicate award");
    app.handle_key(Key::Enter);
    assert_eq!(card_points(&app).0, 3000);
    let last = app.store().ledger_page(Some(id), i64::MIN, 10_000).unwrap();
    let last = last.last().unwrap();
    assert_eq!((last.kind.as_str(), last.delta), ("adjust", -1000));
    assert_eq!(last.note, "duplicate award");
}

/// The complaints tab filters to open ones; the points tab opens the card
/// of the entry's customer.
#[test]
fn complaint_filter_and_points_to_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let first = common::add_sample_complaint(&mut store, "邵娜");
    common::add_sample_complaint(&mut store, "贺杰");
    let mut m = kehu::db::ComplaintMove::to(kehu::domain::complaint::ComplaintStatus::Closed);
    m.note = "done".into();
    store.move_complaint(first, &m).unwrap();
    // Lookup says who has a complaint still open, before the seller replies.
    assert_eq!(
        store.lookup("贺杰", 1, false).unwrap()[0].open_complaints,
        1
    );
    assert_eq!(
        store.lookup("邵娜", 1, false).unwrap()[0].open_complaints,
        0
    );
    let mut app = kehu::app::App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(kehu::app::Action::Resize(100, 30));
    assert_eq!(app.complaint_counts.0, 1);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "贺杰");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| kehu::ui::draw(&app, &kehu::ui::Theme::new(true), f))
        .unwrap();
    assert!(terminal.backend().to_string().contains("⚠ 未结投诉 1"));
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('3'));
    assert_eq!(app.complaints.rows.len(), 2);
    app.handle_key(Key::Char('f'));
    assert_eq!(app.complaints.rows.len(), 1);
    assert_ne!(app.complaints.rows[0].id, first);
    app.handle_key(Key::Char('f'));
    assert_eq!(app.complaints.rows.len(), 2);
    app.handle_key(Key::Char('a'));
    let Some(Popup::Analysis { stats, .. }) = app.popups.last() else {
        panic!("analysis not open")
    };
    assert_eq!((stats.total, stats.open), (2, 1));
    app.handle_key(Key::Esc);

    app.handle_key(Key::Char('4'));
    let entry = app.ledger.selected_row().unwrap().clone();
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    assert_eq!(c.card.customer.id, entry.customer_id);
}

/// `i` imports in the background: the path completes with Tab, the job
/// reports its progress, and the summary lists every rejected row by line.
#[test]
fn import_inside_the_app_lists_rejected_rows() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    let bad = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad/excel-resaved-scientific.csv");
    let bad_dir = format!("{}/", bad.parent().unwrap().display());
    app.handle_key(Key::Char('i'));
    assert!(app.typing());
    app.handle_key(Key::Ctrl('u'));
    type_text(&mut app, &format!("{bad_dir}exc"));
    app.handle_key(Key::Tab);
    let Some(Popup::Import(kehu::app::ImportView::Path { text, .. })) = app.popups.last() else {
        panic!("path box not open")
    };
    assert_eq!(text, &format!("{bad_dir}excel-resaved-scientific.csv"));
    app.handle_key(Key::Enter);
    assert!(app.busy() || app.import_job.as_ref().is_some_and(|j| !j.running()));
    app.import_job.as_mut().unwrap().wait();
    app.update(kehu::app::Action::Tick);
    assert!(!app.busy());
    let msg = app.message.clone().expect("a summary line");
    assert!(msg.text.contains("被拒 3"), "{}", msg.text);
    let run = app
        .import_job
        .as_ref()
        .unwrap()
        .result
        .clone()
        .unwrap()
        .unwrap();
    let lines: Vec<u64> = run.summaries[0].rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [8, 52, 98]);
    // The summary on screen names each rejected line.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| kehu::ui::draw(&app, &kehu::ui::Theme::new(true), f))
        .unwrap();
    let screen = terminal.backend().to_string();
    for l in [8, 52, 98] {
        assert!(
            screen.contains(&format!("excel-resaved-scientific.csv:{l} ")),
            "{screen}"
        );
    }
    // The new orders are in the lists now.
    assert!(app.counts.1 > 400);

    // A path that does not exist is said so, and nothing starts.
    app.handle_key(Key::Esc);
    app.import_job = None;
    app.handle_key(Key::Char('i'));
    app.handle_key(Key::Ctrl('u'));
    type_text(&mut app, "/no/such/export.csv");
    app.handle_key(Key::Enter);
    assert!(app.import_job.is_none());
    assert!(app.message.as_ref().unwrap().error);
}

/// `e` walks the RFM segments: each shows only its own customers, and all of
/// them together are every customer once.
#[test]
fn segment_filter_partitions_the_customers() {
    common::pin_clock();
    use kehu::domain::segment::Segment;
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    let total = app.counts.0 as usize;
    let mut seen = 0;
    for seg in Segment::ALL {
        app.handle_key(Key::Char('e'));
        assert_eq!(app.customer_query.segment, Some(*seg));
        app.handle_key(Key::Char('G'));
        let rows = &app.customers.rows;
        for c in rows {
            assert_eq!(
                Segment::of(
                    &c.segment_facts(),
                    app.now,
                    &app.customer_query.segment_rules
                ),
                *seg
            );
        }
        seen += rows.len();
    }
    assert_eq!(seen, total, "116 customers fit in the loaded window");
    app.handle_key(Key::Char('e'));
    assert_eq!(app.customer_query.segment, None);
    assert_eq!(app.customers.rows.len(), total, "all customers again");
}

/// `s` turns the orders and points lists round: walking each to its end
/// gives the same rows in the opposite order, and `G` lands on what `g` did.
#[test]
fn lists_read_either_way_round() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    fn walk(app: &mut kehu::app::App, tab: char, id: fn(&kehu::app::App) -> i64) -> Vec<i64> {
        app.handle_key(Key::Char(tab));
        app.handle_key(Key::Char('g'));
        let mut ids = vec![id(app)];
        loop {
            app.handle_key(Key::Char('j'));
            let next = id(app);
            if next == *ids.last().unwrap() {
                return ids;
            }
            ids.push(next);
        }
    }
    let order_id = |a: &kehu::app::App| a.orders.selected_row().unwrap().id;
    let entry_id = |a: &kehu::app::App| a.ledger.selected_row().unwrap().id;
    let newest = walk(&mut app, '2', order_id);
    assert_eq!(newest.len(), 400);
    app.handle_key(Key::Char('s'));
    assert!(app.order_query.oldest_first);
    let oldest = walk(&mut app, '2', order_id);
    let mut back = newest.clone();
    back.reverse();
    assert_eq!(oldest, back);
    app.handle_key(Key::Char('G'));
    assert_eq!(order_id(&app), newest[0]);

    let first = walk(&mut app, '4', entry_id);
    let all = app.store().ledger_page(None, i64::MIN, usize::MAX).unwrap();
    assert_eq!(first.len(), all.len());
    assert!(first.windows(2).all(|w| w[0] > w[1]), "newest entry first");
    app.handle_key(Key::Char('s'));
    let last = walk(&mut app, '4', entry_id);
    let mut back = first.clone();
    back.reverse();
    assert_eq!(last, back);
}

/// `v` walks the member tiers on a shop whose orders end today: each tier
/// lists exactly the customers whose 12-month spend puts them there, and the
/// tiers together are every customer.
#[test]
fn tier_filter_matches_the_tier_rule() {
    common::pin_clock();
    use kehu::db::{CustomerQuery, Direction};
    use kehu::domain::tier::{Tier, tier_for};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    kehu::demo::build_demo(&db, 1500, 3).unwrap();
    let mut app = kehu::app::App::new(
        kehu::db::Store::open(&db).unwrap(),
        Lang::Zh,
        kehu::config::Config::default(),
    );
    app.update(kehu::app::Action::Resize(100, 30));
    app.handle_key(Key::Char('1')); // the customers tab (the app opens on Today)
    let total = app.counts.0 as usize;
    let mut seen = 0;
    let mut silver_or_more = 0;
    for tier in [Tier::Regular, Tier::Silver, Tier::Gold, Tier::Diamond] {
        app.handle_key(Key::Char('v'));
        assert_eq!(app.customer_query.tier, Some(tier));
        let q = CustomerQuery {
            tier: Some(tier),
            ..app.customer_query
        };
        let rows = app
            .store()
            .customers_page(&q, None, Direction::Down, false, 100_000)
            .unwrap();
        for c in &rows {
            assert_eq!(tier_for(c.spend_12m_fen, &app.tiers), tier, "{}", c.buyer);
        }
        if tier != Tier::Regular {
            silver_or_more += rows.len();
        }
        seen += rows.len();
    }
    assert_eq!(seen, total);
    assert!(silver_or_more > 0, "the demo has members above regular");
    app.handle_key(Key::Char('v'));
    assert_eq!(app.customer_query.tier, None);
}

fn top_card(app: &kehu::app::App) -> &kehu::app::CardState {
    match app.popups.last() {
        Some(Popup::Card(c)) => c,
        other => panic!("card not on top: {other:?}"),
    }
}

/// `b` asks why and keeps the reason with the date; the card shows both.
/// Taking a buyer off asks first (any other key backs out); every change is
/// in the history `h` shows.
#[test]
fn blacklisting_asks_why_and_unblacklisting_asks_first() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    let id = open_card_of(&mut app, "邵娜");
    app.handle_key(Key::Char('b'));
    assert!(!app.store().customer(id).unwrap().unwrap().blacklisted);
    // No reason: refused in the box, nothing written.
    app.handle_key(Key::Enter);
    match app.popups.last() {
        Some(Popup::Input(i)) => assert!(i.error.as_deref().unwrap().contains("原因")),
        other => panic!("reason box closed: {other:?}"),
    }
    assert!(!app.store().customer(id).unwrap().unwrap().blacklisted);
    type_text(&mut app, "恶意差评 要挟退款");
    app.handle_key(Key::Enter);
    let c = top_card(&app);
    assert!(c.card.customer.blacklisted);
    let e = c.card.blacklist.as_ref().unwrap();
    assert_eq!(e.reason, "恶意差评 要挟退款");
    assert_eq!(e.at.as_deref(), Some(common::NOW));

    // Un-blacklisting asks; a key other than y backs out.
    app.handle_key(Key::Char('b'));
    assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
    app.handle_key(Key::Char('q'));
    assert!(!app.quit);
    assert!(top_card(&app).card.customer.blacklisted);
    app.handle_key(Key::Char('b'));
    app.handle_key(Key::Esc);
    assert!(top_card(&app).card.customer.blacklisted);
    app.handle_key(Key::Char('b'));
    app.handle_key(Key::Char('y'));
    assert!(!top_card(&app).card.customer.blacklisted);

    app.handle_key(Key::Char('h'));
    let Some(Popup::History(h)) = app.popups.last() else {
        panic!("history not open")
    };
    let changes: Vec<(bool, &str, &str)> = h
        .blacklist
        .iter()
        .map(|e| (e.listed, e.reason.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        changes,
        [(true, "恶意差评 要挟退款", "app"), (false, "", "app")]
    );
}

/// A note is edited (its box opens with the text) and deleted (after a yes);
/// the card shows the latest text, and the history keeps the earlier one and
/// the deletion.
#[test]
fn notes_are_edited_and_deleted_with_their_history_kept() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    let id = open_card_of(&mut app, "邵娜");
    app.handle_key(Key::Char('n'));
    type_text(&mut app, "要发顺丰");
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('e'));
    match app.popups.last() {
        Some(Popup::Input(i)) => assert_eq!(i.text, "要发顺丰"),
        other => panic!("edit box not open: {other:?}"),
    }
    type_text(&mut app, "，不要韵达");
    app.handle_key(Key::Enter);
    assert_eq!(top_card(&app).card.notes[0].body, "要发顺丰，不要韵达");

    // x asks; Esc keeps the note; y deletes it.
    app.handle_key(Key::Char('x'));
    assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
    app.handle_key(Key::Esc);
    assert_eq!(top_card(&app).card.notes.len(), 1);
    app.handle_key(Key::Char('x'));
    app.handle_key(Key::Char('y'));
    assert!(top_card(&app).card.notes.is_empty());

    let h = app.store().note_history(id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].deleted_at.as_deref(), Some(common::NOW));
    let kinds: Vec<(&str, &str)> = h[0]
        .changes
        .iter()
        .map(|c| (c.kind.as_str(), c.body.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [("edit", "要发顺丰"), ("delete", "要发顺丰，不要韵达")]
    );
    app.handle_key(Key::Char('h'));
    let Some(Popup::History(v)) = app.popups.last() else {
        panic!("history not open")
    };
    assert_eq!(v.notes, h);
}

/// Esc on a form or text box holding typed text asks; anything but a second
/// Esc or y goes back to it, text intact. Without typed text Esc just closes.
#[test]
fn esc_asks_before_dropping_typed_text() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 100, 30);
    let id = open_card_of(&mut app, "邵娜");
    app.handle_key(Key::Char('c'));
    app.handle_key(Key::Esc);
    assert!(
        matches!(app.popups.last(), Some(Popup::Card(_))),
        "empty: closes"
    );

    app.handle_key(Key::Char('c'));
    type_text(&mut app, "杯子裂了");
    app.handle_key(Key::Esc);
    assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
    app.handle_key(Key::Char('j')); // back to the form; j is not typed
    match app.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.field(0).value, "杯子裂了"),
        other => panic!("form gone: {other:?}"),
    }
    app.handle_key(Key::Esc);
    app.handle_key(Key::Esc);
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    app.handle_key(Key::Char('c'));
    type_text(&mut app, "x");
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('y'));
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    assert_eq!(top_card(&app).complaints, 0, "nothing written");

    // The note box too.
    app.handle_key(Key::Char('n'));
    type_text(&mut app, "半句");
    app.handle_key(Key::Esc);
    assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
    app.handle_key(Key::Enter); // not y: back to the box
    assert!(matches!(app.popups.last(), Some(Popup::Input(_))));
    app.handle_key(Key::Esc);
    app.handle_key(Key::Esc);
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    assert!(
        app.store()
            .customer_card(id, 1)
            .unwrap()
            .unwrap()
            .notes
            .is_empty()
    );
}

/// The card lists the customer's complaints; Enter opens one, and `o` on it
/// goes back to the card. From the complaints tab, `o` on a complaint (or
/// its detail) opens its customer's card.
#[test]
fn card_lists_complaints_and_complaints_lead_to_the_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let k = common::add_sample_complaint(&mut store, "邵娜");
    let mut app = kehu::app::App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(100, 30));
    let id = open_card_of(&mut app, "邵娜");
    let c = top_card(&app);
    let listed: Vec<(i64, &str, bool)> = c
        .complaint_list
        .iter()
        .map(|r| (r.id, r.status.as_str(), r.overdue))
        .collect();
    assert_eq!(listed, [(k, "processing", false)]);
    app.handle_key(Key::Right);
    assert_eq!(top_card(&app).section, kehu::app::CardSection::Complaints);
    app.handle_key(Key::Enter);
    let Some(Popup::Complaint(d)) = app.popups.last() else {
        panic!("complaint not open")
    };
    assert_eq!(d.detail.complaint.id, k);
    app.handle_key(Key::Char('o'));
    assert_eq!(app.popups.len(), 1, "back to the card it came from");
    assert_eq!(top_card(&app).card.customer.id, id);

    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('3'));
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('o'));
    assert_eq!(top_card(&app).card.customer.id, id);
    assert_eq!(app.popups.len(), 2, "over the complaint");
    app.handle_key(Key::Esc);
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('o'));
    assert_eq!(top_card(&app).card.customer.id, id);
}

/// The analysis' repeat complainers can be picked and open their card.
#[test]
fn repeat_complainers_open_their_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    common::add_sample_complaint(&mut store, "邵娜");
    common::add_sample_complaint(&mut store, "邵娜");
    let other = common::add_sample_complaint(&mut store, "lucky");
    let _ = other;
    let mut app = kehu::app::App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(100, 30));
    let id = app.store().lookup("邵娜", 1, false).unwrap()[0].id;
    app.handle_key(Key::Char('3'));
    app.handle_key(Key::Char('a'));
    let Some(Popup::Analysis { stats, .. }) = app.popups.last() else {
        panic!("analysis not open")
    };
    assert_eq!(stats.repeat_complainers.len(), 1);
    assert_eq!(stats.repeat_complainers[0].customer_id, Some(id));
    app.handle_key(Key::Down);
    app.handle_key(Key::Enter);
    assert_eq!(top_card(&app).card.customer.id, id);
}

/// The move form starts on the status, and "keep status" adds a note
/// without moving the complaint (as `kehu complaint set` with its status).
#[test]
fn move_form_starts_on_the_status_and_can_keep_it() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let k = common::add_sample_complaint(&mut store, "邵娜");
    let mut app = kehu::app::App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(100, 30));
    app.handle_key(Key::Char('3'));
    app.handle_key(Key::Char('m'));
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("form not open")
    };
    assert_eq!(f.focus, 0, "on the status");
    assert_eq!(f.field(0).code(), "resolved", "the next step is chosen");
    app.handle_key(Key::Left);
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("form not open")
    };
    assert!(f.field(0).shown().contains("保持状态"));
    app.handle_key(Key::Tab);
    type_text(&mut app, "买家说下午再联系");
    app.handle_key(Key::Enter);
    assert!(!matches!(app.popups.last(), Some(Popup::Form(_))));
    let d = app.store().complaint_detail(k, &app.sla).unwrap().unwrap();
    assert_eq!(d.complaint.status, "processing");
    let last = d.history.last().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.note.as_str()),
        ("note", "买家说下午再联系")
    );
}

/// Each screen's keys, walked in and out: `s` turns the complaints list
/// round on the demo shop, and oldest first lists the same complaints.
#[test]
fn complaints_oldest_first_lists_every_complaint() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    kehu::demo::build_demo(&db, 1500, 3).unwrap();
    let mut app = kehu::app::App::new(
        kehu::db::Store::open(&db).unwrap(),
        Lang::Zh,
        kehu::config::Config::default(),
    );
    app.update(Action::Resize(100, 30));
    let id = |a: &kehu::app::App| a.complaints.selected_row().map(|c| c.id);
    let walk = |app: &mut kehu::app::App| {
        app.handle_key(Key::Char('g'));
        let mut ids = vec![id(app).expect("the list is not empty")];
        loop {
            app.handle_key(Key::Char('j'));
            let next = id(app).unwrap();
            if next == *ids.last().unwrap() {
                return ids;
            }
            ids.push(next);
        }
    };
    app.handle_key(Key::Char('3'));
    let newest = walk(&mut app);
    assert!(newest.len() > 10, "the demo shop has complaints");
    app.handle_key(Key::Char('s'));
    assert!(app.complaints_oldest_first);
    let oldest = walk(&mut app);
    let mut back = newest.clone();
    back.reverse();
    assert_eq!(oldest, back);
    app.handle_key(Key::Char('G'));
    assert_eq!(id(&app), Some(newest[0]));
    app.handle_key(Key::Char('g'));
    assert_eq!(id(&app), newest.last().copied());
}

/// "（i 查看）": after an import finished in the background with its popup
/// closed, `i` shows that import's summary; `i` in the summary asks for the
/// next file.
#[test]
fn i_after_an_import_shows_its_summary() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('i'));
    app.handle_key(Key::Ctrl('u'));
    type_text(
        &mut app,
        "tests/fixtures/taobao/ExportOrderList202406011200.csv",
    );
    app.handle_key(Key::Enter);
    app.handle_key(Key::Esc);
    assert!(app.popups.is_empty());
    app.import_job.as_mut().unwrap().wait();
    app.update(Action::Tick);
    assert!(app.message.as_ref().unwrap().text.contains("i 查看"));
    app.handle_key(Key::Char('i'));
    assert!(
        matches!(
            app.popups.last(),
            Some(Popup::Import(kehu::app::ImportView::Status { .. }))
        ),
        "the summary, not a new prompt"
    );
    app.handle_key(Key::Char('i'));
    assert!(matches!(
        app.popups.last(),
        Some(Popup::Import(kehu::app::ImportView::Path { .. }))
    ));
    // Once seen, `i` asks for a file again.
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('i'));
    assert!(matches!(
        app.popups.last(),
        Some(Popup::Import(kehu::app::ImportView::Path { .. }))
    ));
}

fn screen_text(app: &kehu::app::App, w: u16, h: u16) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| kehu::ui::draw(app, &kehu::ui::Theme::new(true), f))
        .unwrap();
    terminal.backend().to_string()
}

/// Another terminal runs `kehu demo` (a new file renamed over this one) or
/// deletes the file: the open app notices on its next tick, says so in the
/// header, and writes nothing more.
#[test]
fn a_replaced_or_deleted_database_file_is_noticed_and_not_written() {
    use kehu::app::DbFileChange;
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    kehu::demo::build_demo(&db, 300, 1).unwrap();
    let mut app = kehu::app::App::new(
        kehu::db::Store::open(&db).unwrap(),
        Lang::Zh,
        kehu::config::Config::default(),
    );
    app.update(Action::Resize(100, 30));
    app.update(Action::Tick);
    assert_eq!(app.db_change, None);
    // A note written while the file is still the one opened.
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card not open")
    };
    let id = c.card.customer.id;
    app.handle_key(Key::Char('n'));
    type_text(&mut app, "要发顺丰");
    app.handle_key(Key::Enter);
    assert_eq!(
        app.store()
            .customer_card(id, 5)
            .unwrap()
            .unwrap()
            .notes
            .len(),
        1
    );

    // Replaced: `kehu demo` again from another terminal.
    kehu::demo::build_demo_with(&db, 300, 2, true).unwrap();
    let replaced = std::fs::read(&db).unwrap();
    app.update(Action::Tick);
    assert_eq!(app.db_change, Some(DbFileChange::Replaced));
    let screen = screen_text(&app, 100, 30);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("数据库文件已被替换"), "{screen}");

    // A new note is refused, and neither file gets it.
    app.handle_key(Key::Char('n'));
    type_text(&mut app, "发顺丰");
    app.handle_key(Key::Enter);
    let msg = app.message.clone().expect("said why");
    assert!(msg.error, "{}", msg.text);
    let notes = |app: &kehu::app::App| app.store().customer_card(id, 5).unwrap().unwrap().notes;
    assert_eq!(notes(&app).len(), 1);
    assert!(
        std::fs::read(&db).unwrap() == replaced,
        "the new file is untouched"
    );
    assert!(!dir.path().join("kehu.db-wal").exists());
    // Blacklisting is refused before it asks why. (Esc on typed text asks
    // first; a second Esc drops it.)
    app.handle_key(Key::Esc);
    app.handle_key(Key::Esc);
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    app.handle_key(Key::Char('b'));
    assert!(app.message.as_ref().is_some_and(|m| m.error));
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    // Deleting the note: asked, and the yes is refused.
    app.handle_key(Key::Char('x'));
    assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
    app.handle_key(Key::Char('y'));
    let msg = app.message.clone().expect("said why");
    assert!(msg.error && msg.text.contains("没有保存"), "{}", msg.text);
    assert_eq!(notes(&app).len(), 1);
    assert!(
        !app.store()
            .customer_card(id, 5)
            .unwrap()
            .unwrap()
            .customer
            .blacklisted
    );
    assert!(std::fs::read(&db).unwrap() == replaced);

    // Deleted.
    let dir2 = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir2.path(), Lang::En, 100, 30);
    std::fs::remove_file(dir2.path().join("kehu.db")).unwrap();
    app.update(Action::Refresh);
    assert_eq!(app.db_change, Some(DbFileChange::Deleted));
    let screen = screen_text(&app, 100, 30);
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("database file was deleted"),
        "{screen}"
    );
}

/// The points tab opens on the newest entry.
#[test]
fn points_tab_opens_newest_first() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('4'));
    assert!(app.ledger_newest_first);
    let newest = app
        .store()
        .ledger_page(None, i64::MIN, usize::MAX)
        .unwrap()
        .last()
        .unwrap()
        .id;
    assert_eq!(app.ledger.selected_row().map(|e| e.id), Some(newest));
}

/// Every key a screen takes is in that screen's help (F1 everywhere, `?`
/// where nothing is typed), under the screen's own keys first.
#[test]
fn every_key_a_screen_takes_is_in_its_help() {
    use kehu::app::keymap;
    common::pin_clock();
    type Setup = fn(&mut kehu::app::App);
    let screens: &[(&str, Setup)] = &[
        ("customers", |_| {}),
        ("orders", |a| a.handle_key(Key::Char('2'))),
        ("complaints", |a| a.handle_key(Key::Char('3'))),
        ("points", |a| a.handle_key(Key::Char('4'))),
        ("lookup", |a| a.handle_key(Key::Char('/'))),
        ("card", |a| a.handle_key(Key::Enter)),
        ("order card", |a| {
            a.handle_key(Key::Enter);
            a.handle_key(Key::Enter);
        }),
        ("note", |a| {
            a.handle_key(Key::Enter);
            a.handle_key(Key::Char('n'));
        }),
        ("form", |a| {
            a.handle_key(Key::Enter);
            a.handle_key(Key::Char('p'));
        }),
        ("ledger", |a| {
            a.handle_key(Key::Enter);
            a.handle_key(Key::Char('l'));
        }),
        ("complaint", |a| {
            a.handle_key(Key::Char('3'));
            a.handle_key(Key::Enter);
        }),
        ("analysis", |a| {
            a.handle_key(Key::Char('3'));
            a.handle_key(Key::Char('a'));
        }),
        ("import path", |a| a.handle_key(Key::Char('i'))),
        ("import summary", |a| {
            a.handle_key(Key::Char('i'));
            a.handle_key(Key::Ctrl('u'));
            type_text(a, "tests/fixtures/taobao/ExportOrderList202406011200.csv");
            a.handle_key(Key::Enter);
            a.import_job.as_mut().unwrap().wait();
            a.update(Action::Tick);
        }),
        ("help", |a| a.handle_key(Key::Char('?'))),
    ];
    let mut keys: Vec<Key> = (' '..='~').map(Key::Char).collect();
    keys.extend(('a'..='z').map(Key::Ctrl));
    keys.extend([
        Key::Enter,
        Key::Esc,
        Key::Tab,
        Key::BackTab,
        Key::Up,
        Key::Down,
        Key::Left,
        Key::Right,
        Key::PageUp,
        Key::PageDown,
        Key::Home,
        Key::End,
        Key::Backspace,
        Key::F(1),
    ]);
    for (name, setup) in screens {
        let dir = tempfile::tempdir().unwrap();
        let mut store = common::sample_store(dir.path());
        common::add_sample_complaint(&mut store, "邵娜");
        let mut app = kehu::app::App::new(store, Lang::En, kehu::config::Config::default());
        app.update(Action::Resize(200, 120));
        setup(&mut app);
        let contexts = app.contexts();
        if *name != "help" {
            let depth = app.popups.len();
            app.handle_key(Key::F(1));
            assert!(
                matches!(app.popups.last(), Some(Popup::Help { .. })),
                "{name}: F1 opens the help"
            );
            assert_eq!(app.popups.len(), depth + 1, "{name}: help over the screen");
        }
        let help = screen_text(&app, 200, 120);
        for key in &keys {
            let Some(b) = keymap::lookup(&contexts, *key) else {
                continue;
            };
            let label = kehu::ui::strings::t(Lang::En, b.label);
            assert!(
                help.lines()
                    .any(|l| l.contains(&key.label()) && l.contains(label)),
                "{name}: {} ({label}) is not in the help:\n{help}",
                key.label()
            );
        }
        if *name == "help" {
            continue;
        }
        // The screen's own keys come first.
        let first = contexts[0];
        let title = kehu::ui::strings::t(Lang::En, first.title());
        let body: Vec<&str> = help.lines().skip(2).collect();
        assert!(
            body.first().is_some_and(|l| l.contains(title)),
            "{name}: help starts with {title}:\n{help}"
        );
    }
}

/// `s` three times: the customers list by receiver name, A to Z in pinyin, buyers
/// without a name last; the header says so.
#[test]
fn customers_sort_by_name_in_pinyin() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('1'));
    // Last order → paid → 12-month value → name.
    for _ in 0..3 {
        app.handle_key(Key::Char('s'));
    }
    assert_eq!(app.customer_query.sort, kehu::model::CustomerSort::Name);
    let keys: Vec<Option<String>> = app
        .customers
        .rows
        .iter()
        .map(|c| kehu::domain::pinyin::sort_key(&c.name))
        .collect();
    assert!(keys.len() > 5);
    assert!(
        keys.windows(2).all(|w| match (&w[0], &w[1]) {
            (Some(a), Some(b)) => a <= b,
            (None, Some(_)) => false,
            _ => true,
        }),
        "{keys:?}"
    );
    let text = screen_text(&app, 100, 30);
    assert!(text.contains("按姓名拼音"), "{text}");
    app.handle_key(Key::Char('s'));
    assert_eq!(
        app.customer_query.sort,
        kehu::model::CustomerSort::LastOrder
    );
}
