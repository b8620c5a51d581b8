//! App tests: keys and actions sent to `App` over the sample database.

mod common;

use common::{sample_app, type_text};
use kehu::app::{Action, Key, Popup, Tab};
use kehu::i18n::Lang;

#[test]
fn lookup_finds_buyer_and_opens_card_and_note_persists() {
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
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kehu"))
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
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let id = common::add_sample_complaint(&mut store, "邵娜");
    let mut app = kehu::app::App::new(store, Lang::Zh);
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
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 80, 24);
    app.handle_key(Key::Char('4'));
    assert_eq!(app.tab, Tab::Points);
    let first = app.ledger.selected_row().map(|e| e.id);
    app.update(Action::Bottom);
    let last = app.ledger.selected_row().map(|e| e.id);
    assert!(last > first);
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
