//! The card's erasure: `E` opens a typed confirmation (render snapshots, zh
//! and en); a wrong word erases nothing and says so; the word erases, and
//! lookup then finds nothing of the person.

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

fn card_app(dir: &Path, lang: Lang, w: u16, h: u16) -> App {
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
    let mut app = App::new(store, lang, kehu::config::Config::default());
    app.update(kehu::app::Action::Resize(w, h));
    app.handle_key(Key::Char('1'));
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "xiaomei_tb");
    app.handle_key(Key::Enter);
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    app
}

#[test]
fn erase_sits_behind_a_typed_word() {
    let _clock = common::lock_clock();
    for (lang, tag, word) in [(Lang::Zh, "zh", "删除"), (Lang::En, "en", "ERASE")] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = card_app(dir.path(), lang, 100, 30);
        app.handle_key(Key::Char('E'));
        assert!(matches!(app.popups.last(), Some(Popup::Form(_))));
        insta::assert_snapshot!(format!("card_erase_confirm_{tag}"), render(&app, 100, 30));
        // A wrong word: the form stays, nothing erased.
        type_text(&mut app, "y");
        app.handle_key(Key::Enter);
        assert!(matches!(app.popups.last(), Some(Popup::Form(_))));
        let probe = Store::open(&dir.path().join("kehu.db")).unwrap();
        assert_eq!(probe.lookup("xiaomei_tb", 5, false).unwrap().len(), 1);
        // The word: erased, and lookup forgets the nickname.
        app.handle_key(Key::Backspace);
        type_text(&mut app, word);
        app.handle_key(Key::Enter);
        assert!(!matches!(app.popups.last(), Some(Popup::Form(_))));
        assert_eq!(probe.lookup("xiaomei_tb", 5, false).unwrap().len(), 0);
        assert_eq!(probe.privacy_log().unwrap().len(), 1);
    }
}
