//! Quick lookup and what it opens, in the app, over the demo shop: results
//! read on past the first page, an order number opens its card on that
//! order, the card's orders read on to the first one, and the orders tab
//! finds an order by its number.

mod common;

use common::type_text;
use kehu::app::{Action, App, Key, Popup, Tab};
use kehu::i18n::Lang;

fn demo_app(dir: &std::path::Path) -> App {
    common::pin_clock();
    let db = dir.join("demo.db");
    kehu::demo::build_demo(&db, 3000, 7).unwrap();
    let store = kehu::db::Store::open(&db).unwrap();
    let mut app = App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(100, 30));
    app
}

/// The buyer with the most orders among those `q` finds, and their orders
/// (newest first) as the store lists them.
fn busiest(app: &App, q: &str) -> (i64, Vec<String>) {
    let hits = app.store().lookup(q, 1000, false).unwrap();
    let best = hits.iter().max_by_key(|h| h.orders).unwrap();
    let card = app.store().customer_card(best.id, 10_000).unwrap().unwrap();
    (
        best.id,
        card.recent_orders
            .iter()
            .map(|o| o.order_no.clone())
            .collect(),
    )
}

#[test]
fn lookup_reads_on_past_the_first_page() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app(dir.path());
    let everyone = app.store().lookup("tina", 1000, false).unwrap();
    assert!(everyone.len() >= 30, "{}", everyone.len());
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "tina");
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup open")
    };
    assert_eq!(l.hits.len(), 20);
    assert_eq!(l.total, everyone.len());
    // The store's first result is the app's (the busiest buyer unless one
    // is blacklisted or has a complaint open), in reach.
    assert_eq!(l.hits[0].id, everyone[0].id);
    // Page down past the twentieth reads the next page; down to the last result.
    app.handle_key(Key::PageDown);
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup open")
    };
    assert!(l.hits.len() > 20 && l.selected > 0, "{}", l.hits.len());
    for _ in 0..everyone.len() + 5 {
        app.handle_key(Key::Down);
    }
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup open")
    };
    let ids: Vec<i64> = l.hits.iter().map(|h| h.id).collect();
    let all: Vec<i64> = everyone.iter().map(|h| h.id).collect();
    assert_eq!(ids, all);
    assert_eq!(l.selected, all.len() - 1);
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card open")
    };
    assert_eq!(c.card.customer.id, *all.last().unwrap());
}

/// Finds the demo shop's busiest buyer (77 orders) first.
const BUSIEST: &str = "夏天tina";

#[test]
fn an_order_number_opens_its_card_on_that_order_and_the_card_reads_every_order() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app(dir.path());
    let (id, orders) = busiest(&app, BUSIEST);
    assert!(orders.len() > 35, "{}", orders.len());
    // The buyer's first order: older than the first page of the card.
    let oldest = orders.last().unwrap().clone();
    app.handle_key(Key::Char('/'));
    type_text(&mut app, &oldest);
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card open")
    };
    assert_eq!(c.card.customer.id, id);
    assert_eq!(c.card.recent_orders[c.selected].order_no, oldest);
    assert_eq!(c.selected, orders.len() - 1);
    // Enter opens that order.
    app.handle_key(Key::Enter);
    let Some(Popup::Order(o)) = app.popups.last() else {
        panic!("order open")
    };
    assert_eq!(o.detail.order.order_no, oldest);
    app.handle_key(Key::Esc);
    app.handle_key(Key::Esc);

    // From the customers' side: the card reads on as the selection moves.
    app.handle_key(Key::Char('/'));
    type_text(&mut app, BUSIEST);
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card open")
    };
    assert_eq!(c.card.customer.id, id);
    assert!(c.card.recent_orders.len() < orders.len());
    for _ in 0..orders.len() {
        app.handle_key(Key::Char('j'));
    }
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card open")
    };
    let listed: Vec<String> = c
        .card
        .recent_orders
        .iter()
        .map(|o| o.order_no.clone())
        .collect();
    assert_eq!(listed, orders);
    assert_eq!(c.selected, orders.len() - 1);
    // G from the top: straight to the first order ever.
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, BUSIEST);
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('G'));
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card open")
    };
    assert_eq!(c.card.recent_orders[c.selected].order_no, oldest);
}

#[test]
fn orders_tab_finds_an_order_by_its_number() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app(dir.path());
    let (_, orders) = busiest(&app, "tina");
    let wanted = orders.last().unwrap().clone();
    app.handle_key(Key::Char('2'));
    assert_eq!(app.tab, Tab::Orders);
    // A status filter that hides it: finding it shows every order again.
    app.handle_key(Key::Char('f'));
    app.handle_key(Key::Char('f'));
    assert!(app.order_query.status.is_some());
    app.handle_key(Key::Char('o'));
    // Typed (or pasted) digits are the number, not tab keys.
    app.paste(&format!(" {wanted} "));
    app.handle_key(Key::Enter);
    assert_eq!(app.tab, Tab::Orders);
    assert!(app.popups.is_empty());
    let row = app.orders.selected_row().expect("a row selected");
    assert_eq!(row.order_no, wanted);
    assert_eq!(app.order_query.status, None);
    let h = app.list_height();
    assert!(
        app.orders.offset <= app.orders.selected && app.orders.selected < app.orders.offset + h
    );
    // The list around it reads on both ways.
    app.handle_key(Key::Char('k'));
    assert!(app.orders.selected_row().unwrap().created_at >= row_created(&app, &wanted));
    app.handle_key(Key::Enter);
    assert!(matches!(app.popups.last(), Some(Popup::Order(_))));
    app.handle_key(Key::Esc);

    // A number that is no order: said so, the list stays.
    let before = app.orders.selected_row().map(|o| o.id);
    app.handle_key(Key::Char('o'));
    type_text(&mut app, "999999999999");
    app.handle_key(Key::Enter);
    assert!(app.popups.is_empty());
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("999999999999"))
    );
    assert_eq!(app.orders.selected_row().map(|o| o.id), before);
}

fn row_created(app: &App, order_no: &str) -> String {
    app.store()
        .lookup(order_no, 1, false)
        .unwrap()
        .first()
        .map(|h| {
            app.store()
                .customer_card(h.id, 10_000)
                .unwrap()
                .unwrap()
                .recent_orders
                .into_iter()
                .find(|o| o.order_no == order_no)
                .unwrap()
                .created_at
        })
        .unwrap()
}
