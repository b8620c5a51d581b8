//! Predictions in the app on a large database: the customers list sorted by
//! 12-month value (`s s`) and filtered to the valuable customers at risk
//! (`f f`), and the card with its predictions line opened from it (Enter),
//! each timed from the key press to the redrawn frame, in-process (the same
//! `App::update` and `ui::draw` the terminal loop runs, 120x40).
//!
//!   cargo bench --bench predict_card -- PATH/TO/kehu.db
//!
//! Opening the app refreshes the predictions when they are not for today
//! (timed apart, as "open"); pin KEHU_NOW to compare runs.

mod common;
use common::report;

use kehu::app::{Action, App, Key, Popup};
use kehu::db::Store;
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

fn main() {
    let db = common::db_arg("predict_card");
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let t0 = Instant::now();
    let store = Store::open(&db).expect("open the database");
    let mut app = App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(120, 40));
    term.draw(|f| draw(&app, &theme, f)).unwrap();
    println!(
        "open (refreshing predictions if stale) + first frame: {:.0} ms",
        t0.elapsed().as_secs_f64() * 1000.0
    );
    app.handle_key(Key::Char('1'));
    let mut keys = Vec::new();
    for k in ['s', 's', 'f', 'f'] {
        let t0 = Instant::now();
        app.handle_key(Key::Char(k));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        keys.push(t0.elapsed());
        println!(
            "  {k}: {:.1} ms ({:?}, blacklisted only {}, at risk only {})",
            t0.elapsed().as_secs_f64() * 1000.0,
            app.customer_query.sort,
            app.customer_query.blacklisted_only,
            app.customer_query.at_risk_only
        );
    }
    report(
        "customers: s s (by value), f f (valuable at risk) → redraw",
        &mut keys,
    );
    let mut cards = Vec::new();
    let mut with = 0;
    for _ in 0..30 {
        let t0 = Instant::now();
        app.handle_key(Key::Enter);
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        cards.push(t0.elapsed());
        if let Some(Popup::Card(c)) = app.popups.last() {
            with += usize::from(c.prediction.is_some());
        }
        app.handle_key(Key::Esc);
        app.handle_key(Key::Down);
        term.draw(|f| draw(&app, &theme, f)).unwrap();
    }
    report(
        &format!("Enter → card with predictions drawn ({with} with a prediction)"),
        &mut cards,
    );
}
