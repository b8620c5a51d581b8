//! The customer card with its suggestions (可能想要) at scale: from the Enter
//! that opens a card to the drawn frame, measured in-process (the same
//! `App::handle_key` and `ui::draw` the terminal loop runs, into a 120x40
//! `TestBackend`).
//!
//!   cargo bench --bench card_suggest -- PATH/TO/kehu.db
//!
//! Cards: the first 30 rows of the customers tab (the most recent buyers),
//! and the buyer with the most valid orders, found by the quick lookup on
//! their nickname. Nothing is written.

mod common;
use common::report;

use kehu::app::{Action, App, Key, Popup};
use kehu::db::Store;
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

fn main() {
    let db = common::db_arg("card_suggest");
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let store = Store::open(&db).expect("open the database");
    let mut app = App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(120, 40));
    app.handle_key(Key::Char('1'));
    term.draw(|f| draw(&app, &theme, f)).unwrap();

    let mut open = |app: &mut App, times: &mut Vec<Duration>| -> usize {
        let t0 = Instant::now();
        app.handle_key(Key::Enter);
        term.draw(|f| draw(app, &theme, f)).unwrap();
        times.push(t0.elapsed());
        let n = match app.popups.last() {
            Some(Popup::Card(c)) => c.suggestions.len(),
            _ => panic!("Enter did not open a card"),
        };
        app.handle_key(Key::Esc);
        n
    };
    let mut times = Vec::new();
    let mut shown = 0;
    for _ in 0..30 {
        shown += open(&mut app, &mut times);
        app.handle_key(Key::Down);
    }
    report(
        &format!(
            "customers tab, Enter → card with suggestions drawn ({shown} suggestions in 30 cards)"
        ),
        &mut times,
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let (nick, orders): (String, i64) = conn
        .query_row(
            "SELECT nick, valid_orders FROM customers ORDER BY valid_orders DESC, id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    app.handle_key(Key::Char('/'));
    for c in nick.chars() {
        app.handle_key(Key::Char(c));
    }
    let mut busiest = Vec::new();
    for _ in 0..10 {
        let t0 = Instant::now();
        app.handle_key(Key::Enter);
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        busiest.push(t0.elapsed());
        assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
        app.handle_key(Key::Esc);
    }
    report(
        &format!("lookup, Enter → card of the busiest buyer ({orders} valid orders)"),
        &mut busiest,
    );
}
