//! The app's responsiveness on a large database: time to the first frame,
//! and from a key press in the quick lookup to the redrawn results, measured
//! in-process (the same `App::update` and `ui::draw` the terminal loop runs,
//! drawn into a 120x40 `TestBackend`), and the time to open the shop
//! analysis.
//!
//!   cargo bench --bench app -- PATH/TO/kehu.db
//!
//! The database is opened read-mostly: the lookups write nothing. Queries are
//! taken from the data itself (a nickname fragment, a two-character receiver
//! name, a phone tail), so any imported shop can be measured.

mod common;
use common::report;

use kehu::app::{Action, App, Key};
use kehu::db::Store;
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

fn main() {
    let db = common::db_arg("app");
    let theme = Theme::new(false);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();

    // First frame: open, migrate check, load Today and every tab's first page, draw.
    let mut first = Vec::new();
    for _ in 0..7 {
        let t0 = Instant::now();
        let store = Store::open(&db).expect("open the database");
        let mut app = App::new(store, Lang::Zh, kehu::config::Config::default());
        app.update(Action::Resize(120, 40));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        first.push(t0.elapsed());
    }
    let store = Store::open(&db).unwrap();
    let counts = store.counts().unwrap();
    println!(
        "database: {} ({} customers, {} orders)",
        db.display(),
        counts.0,
        counts.1
    );
    report("first frame (open + load + draw)", &mut first);

    let conn = rusqlite::Connection::open(&db).unwrap();
    let pick = |sql: &str| -> String {
        conn.query_row(sql, [], |r| r.get::<_, String>(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let nick = pick(
        "SELECT substr(nick, 1, 6) FROM customers WHERE id = (SELECT max(id) / 2 FROM customers)",
    );
    let name = pick(
        "SELECT name FROM receivers WHERE length(name) = 2 LIMIT 1 OFFSET (SELECT count(*) / 2 FROM receivers WHERE length(name) = 2)",
    );
    let tail = pick(
        "SELECT substr(phone, -4) FROM receivers WHERE length(phone) >= 4 LIMIT 1 OFFSET (SELECT count(*) / 3 FROM receivers)",
    );
    drop(conn);

    let mut app = App::new(store, Lang::Zh, kehu::config::Config::default());
    app.update(Action::Resize(120, 40));
    term.draw(|f| draw(&app, &theme, f)).unwrap();
    for (label, query) in [
        ("nickname fragment", nick.as_str()),
        ("2-character name", name.as_str()),
        ("phone tail", tail.as_str()),
    ] {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..5 {
            app.handle_key(Key::Char('/'));
            for c in query.chars() {
                let t0 = Instant::now();
                app.handle_key(Key::Char(c));
                term.draw(|f| draw(&app, &theme, f)).unwrap();
                times.push(t0.elapsed());
            }
            if let Some(kehu::app::Popup::Lookup(l)) = app.popups.last() {
                hits = l.hits.len();
            }
            app.handle_key(Key::Esc);
        }
        report(
            &format!("keystroke → redraw, {label} {query:?} ({hits} hits)"),
            &mut times,
        );
    }

    // The customers tab (the app opens on Today) filtered by each RFM
    // segment in turn (`e`).
    app.handle_key(Key::Char('1'));
    let mut segs = Vec::new();
    for _ in 0..kehu::domain::segment::Segment::ALL.len() {
        let t0 = Instant::now();
        app.handle_key(Key::Char('e'));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        segs.push(t0.elapsed());
        if std::env::var_os("KEHU_BENCH_VERBOSE").is_some() {
            println!(
                "  {:?}: {:.1} ms, {} rows loaded",
                app.customer_query.segment,
                t0.elapsed().as_secs_f64() * 1000.0,
                app.customers.rows.len()
            );
        }
    }
    app.handle_key(Key::Char('e'));
    report("customers tab, next segment (e) → redraw", &mut segs);

    // The customers tab filtered by each member tier in turn (`v`).
    let mut tiers = Vec::new();
    for _ in 0..4 {
        let t0 = Instant::now();
        app.handle_key(Key::Char('v'));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        tiers.push(t0.elapsed());
        if std::env::var_os("KEHU_BENCH_VERBOSE").is_some() {
            println!(
                "  {:?}: {:.1} ms, {} rows loaded",
                app.customer_query.tier,
                t0.elapsed().as_secs_f64() * 1000.0,
                app.customers.rows.len()
            );
        }
    }
    app.handle_key(Key::Char('v'));
    report("customers tab, next tier (v) → redraw", &mut tiers);

    // Scrolling the orders tab: a page down, and a jump to the last row.
    app.handle_key(Key::Char('2'));
    let mut pages = Vec::new();
    for _ in 0..100 {
        let t0 = Instant::now();
        app.handle_key(Key::PageDown);
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        pages.push(t0.elapsed());
    }
    report("orders tab, page down → redraw", &mut pages);
    let mut ends = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        app.handle_key(Key::Char('G'));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        ends.push(t0.elapsed());
        app.handle_key(Key::Char('g'));
    }
    report("orders tab, G (last row) → redraw", &mut ends);

    // The shop analysis (`a`): the view drawn at once (saying it reads), the
    // whole analysis read in the background and drawn as charts (after
    // Ctrl-R, which drops the one kept), then opened again (kept).
    let mut shown = Vec::new();
    let mut opens = Vec::new();
    let mut again = Vec::new();
    for _ in 0..3 {
        app.handle_key(Key::Ctrl('r'));
        let t0 = Instant::now();
        app.handle_key(Key::Char('a'));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        shown.push(t0.elapsed());
        app.wait_shop_analysis();
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        opens.push(t0.elapsed());
        app.handle_key(Key::Esc);
        let t0 = Instant::now();
        app.handle_key(Key::Char('a'));
        term.draw(|f| draw(&app, &theme, f)).unwrap();
        again.push(t0.elapsed());
        app.handle_key(Key::Esc);
    }
    report("shop analysis (a) → view drawn, reading", &mut shown);
    report("shop analysis (a) → charts drawn, read afresh", &mut opens);
    report("shop analysis (a) → drawn, opened again", &mut again);
}
