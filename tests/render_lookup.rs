//! Render snapshots of quick lookup over the demo shop: how many results of
//! how many, what matched on each line, and reading on past the first page;
//! at 80x24 and 120x40, in Chinese and in English.

mod common;

use common::type_text;
use kehu::app::{Action, App, Key, Popup};
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(app, &Theme::new(true), f)).unwrap();
    terminal.backend().to_string()
}

fn demo_app(dir: &std::path::Path, lang: Lang, w: u16, h: u16) -> App {
    common::pin_clock();
    let db = dir.join("demo.db");
    kehu::demo::build_demo(&db, 3000, 7).unwrap();
    let store = kehu::db::Store::open(&db).unwrap();
    let mut app = App::new(store, lang, kehu::config::Config::default());
    app.update(Action::Resize(w, h));
    // Over the customers tab, as before the app opened on Today.
    app.handle_key(kehu::app::Key::Char('1'));
    app
}

#[test]
fn lookup_count_and_what_matched() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let code = if lang == Lang::Zh { "zh" } else { "en" };
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = demo_app(dir.path(), lang, w, h);
            app.handle_key(Key::Char('/'));
            // Thirty buyers: the best first, "20 of 30".
            type_text(&mut app, "lucky");
            insta::assert_snapshot!(format!("lookup_count_{code}_{w}x{h}"), render(&app, w, h));
            // Past the twentieth: the next page is read, "30 of 30".
            for _ in 0..20 {
                app.handle_key(Key::Down);
            }
            let Some(Popup::Lookup(l)) = app.popups.last() else {
                panic!("lookup open")
            };
            assert_eq!(l.selected, 20);
            assert_eq!(l.hits.len(), l.total);
            insta::assert_snapshot!(format!("lookup_more_{code}_{w}x{h}"), render(&app, w, h));
            // An earlier receiver's name: the line says so, with the name.
            app.handle_key(Key::Ctrl('u'));
            type_text(&mut app, "鑫磊");
            insta::assert_snapshot!(
                format!("lookup_old_receiver_{code}_{w}x{h}"),
                render(&app, w, h)
            );
        }
    }
}

/// An old order number typed into lookup: its buyer's card, that order
/// selected and in view (the card read on to it).
#[test]
fn card_opened_on_an_old_order() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    for (lang, code, w, h) in [(Lang::Zh, "zh", 80, 24), (Lang::En, "en", 120, 40)] {
        let mut app = demo_app(dir.path(), lang, w, h);
        // The demo shop's busiest buyer: 77 orders, the first far down the card.
        let best = app.store().lookup("夏天tina", 1, false).unwrap().remove(0);
        let card = app.store().customer_card(best.id, 1000).unwrap().unwrap();
        assert!(
            card.recent_orders.len() > 40,
            "{}",
            card.recent_orders.len()
        );
        let oldest = card.recent_orders.last().unwrap().order_no.clone();
        app.handle_key(Key::Char('/'));
        type_text(&mut app, &oldest);
        insta::assert_snapshot!(
            format!("lookup_order_no_{code}_{w}x{h}"),
            render(&app, w, h)
        );
        app.handle_key(Key::Enter);
        insta::assert_snapshot!(format!("card_on_order_{code}_{w}x{h}"), render(&app, w, h));
    }
}

/// Pinyin in the app: `zhangs` finds 张帅 and the others whose receiver
/// reads so (the line says it was the pinyin); the card of a buyer with few
/// orders gives the room they leave to the suggestions (all five at 100x30).
#[test]
fn pinyin_lookup_and_a_short_card() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app(dir.path(), Lang::Zh, 100, 30);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "zhangs");
    let Some(Popup::Lookup(l)) = app.popups.last() else {
        panic!("lookup open")
    };
    assert!(!l.hits.is_empty());
    insta::assert_snapshot!("pinyin_lookup_zh_100x30", render(&app, 100, 30));
    app.handle_key(Key::Enter);
    let Some(Popup::Card(c)) = app.popups.last() else {
        panic!("card open")
    };
    assert!(
        c.card.recent_orders.len() < 10,
        "{}",
        c.card.recent_orders.len()
    );
    assert_eq!(c.suggestions.len(), 5);
    let screen = render(&app, 100, 30);
    let shown = screen
        .lines()
        .skip_while(|l| !l.contains("可能想要"))
        .skip(1)
        .take_while(|l| !l.contains("投诉 ("))
        .count();
    assert_eq!(shown, 5, "{screen}");
    insta::assert_snapshot!("card_few_orders_zh_100x30", screen);
}
