//! The card's "可能是同一人 / Possibly the same person": render snapshots
//! (zh/en, 80x24 and 120x40) of a card with a suggestion, and of the
//! survivor's card after the merge; and the keys: m asks then merges, U asks
//! then undoes, N declines for good (the command line's suggest too).

mod common;
mod merge_shop;

use common::type_text;
use kehu::app::{App, Key, Popup};
use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use kehu::import::ReportReader;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(app, &Theme::new(true), f)).unwrap();
    terminal.backend().to_string()
}

fn shop_store(dir: &Path) -> Store {
    common::pin_clock();
    let mut store = Store::open(&dir.join("kehu.db")).unwrap();
    for path in merge_shop::two_shops(dir) {
        let reader = ReportReader::open(std::fs::File::open(&path).unwrap(), None).unwrap();
        store
            .import_report(
                &path.display().to_string(),
                reader,
                ImportOptions::default(),
                &mut |_| {},
            )
            .unwrap();
    }
    store
}

/// The app on 王小美's Taobao card (she is in the Pinduoduo shop too).
fn card_app(dir: &Path, lang: Lang, w: u16, h: u16) -> App {
    let mut app = App::new(shop_store(dir), lang, kehu::config::Config::default());
    app.update(kehu::app::Action::Resize(w, h));
    app.handle_key(Key::Char('1'));
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "xiaomei_tb");
    app.handle_key(Key::Enter);
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    app
}

const SIZES: [(Lang, &str, u16, u16); 4] = [
    (Lang::Zh, "zh", 80, 24),
    (Lang::Zh, "zh", 120, 40),
    (Lang::En, "en", 80, 24),
    (Lang::En, "en", 120, 40),
];

#[test]
fn the_card_says_who_may_be_the_same_person() {
    let _clock = common::lock_clock();
    for (lang, tag, w, h) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let app = card_app(dir.path(), lang, w, h);
        let screen = render(&app, w, h);
        let want = if lang == Lang::Zh {
            "可能是同一人"
        } else {
            "Possibly the same person"
        };
        assert!(screen.contains(want), "{screen}");
        insta::assert_snapshot!(format!("card_merge_suggest_{tag}_{w}x{h}"), screen);
    }
}

#[test]
fn after_the_merge_the_card_shows_both_identities() {
    let _clock = common::lock_clock();
    for (lang, tag, w, h) in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut app = card_app(dir.path(), lang, w, h);
        app.handle_key(Key::Char('m'));
        assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
        if w == 80 {
            insta::assert_snapshot!(
                format!("card_merge_confirm_{tag}_{w}x{h}"),
                render(&app, w, h)
            );
        }
        app.handle_key(Key::Char('y'));
        let screen = render(&app, w, h);
        assert!(screen.contains("pdd:"), "{screen}");
        insta::assert_snapshot!(format!("card_merge_done_{tag}_{w}x{h}"), screen);
    }
}

fn merges(app: &App) -> Vec<kehu::model::MergeRecord> {
    match app.popups.last() {
        Some(Popup::Card(c)) => c.merge.merges.clone(),
        _ => panic!("no card"),
    }
}

#[test]
fn merge_asks_and_undo_asks_then_both_happen() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = card_app(dir.path(), Lang::En, 120, 40);
    // n answers no: nothing merged.
    app.handle_key(Key::Char('m'));
    app.handle_key(Key::Char('n'));
    assert!(merges(&app).is_empty());
    app.handle_key(Key::Char('m'));
    app.handle_key(Key::Char('y'));
    let m = merges(&app);
    assert_eq!(m.len(), 1);
    assert!(m[0].undone_at.is_none());
    // Undo from the card, after a question; the history lists both.
    app.handle_key(Key::Char('U'));
    assert!(matches!(app.popups.last(), Some(Popup::Confirm(_))));
    app.handle_key(Key::Char('y'));
    let m = merges(&app);
    assert!(m[0].undone_at.is_some(), "{m:?}");
    app.handle_key(Key::Char('h'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Merges (1)"), "{screen}");
}

#[test]
fn a_declined_suggestion_is_not_made_again() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = card_app(dir.path(), Lang::En, 120, 40);
    app.handle_key(Key::Char('N'));
    let screen = render(&app, 120, 40);
    assert!(!screen.contains("Possibly the same person"), "{screen}");
    let store = Store::open(&dir.path().join("kehu.db")).unwrap();
    let pairs = store.merge_suggestions().unwrap();
    assert!(
        !pairs
            .iter()
            .any(|p| p.a == "taobao:xiaomei_tb" || p.b == "taobao:xiaomei_tb"),
        "{pairs:?}"
    );
    assert_eq!(pairs.len(), 2);
}
