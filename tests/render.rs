//! Render snapshots: each view drawn into a `TestBackend` at 80x24 and
//! 120x40, in Chinese and in English, with the clock pinned (`common::NOW`),
//! so complaints and ledger entries written "now" draw the same on any day.

mod common;

use common::{sample_app, type_text};
use kehu::app::{App, Key};
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(app, &Theme::new(true), f)).unwrap();
    terminal.backend().to_string()
}

/// Each view: a name and the keys that lead to it.
const VIEWS: &[(&str, &[Key])] = &[
    ("customers", &[]),
    ("orders", &[Key::Char('2')]),
    ("complaints", &[Key::Char('3')]),
    ("complaint_list", &[]),
    ("complaint_detail", &[]),
    ("points", &[Key::Char('4')]),
    ("lookup", &[Key::Char('/')]),
    ("card", &[Key::Char('/')]),
    ("order_card", &[Key::Char('/')]),
    ("help", &[Key::Char('?')]),
    ("complaint_form", &[Key::Char('/')]),
    ("redeem_refused", &[Key::Char('/')]),
    ("ledger", &[Key::Char('/')]),
    ("move_form", &[]),
    ("analysis", &[]),
    ("import_path", &[Key::Char('i')]),
    ("import_summary", &[Key::Char('i')]),
    ("card_complaints", &[Key::Char('/')]),
    ("blacklist_reason", &[Key::Char('/')]),
    ("confirm_discard", &[Key::Char('/')]),
    ("history", &[Key::Char('/')]),
    ("analysis_repeat", &[]),
];

fn view(name: &str, keys: &[Key], lang: Lang, w: u16, h: u16) -> String {
    let dir = tempfile::tempdir().unwrap();
    let with_complaint = name.starts_with("complaint_list")
        || name.starts_with("complaint_detail")
        || name == "move_form"
        || name == "analysis"
        || name == "analysis_repeat"
        || name == "card_complaints";
    let mut app = if with_complaint {
        let mut store = common::sample_store(dir.path());
        common::add_sample_complaint(&mut store, "邵娜");
        if name == "analysis_repeat" {
            common::add_sample_complaint(&mut store, "邵娜");
        }
        let mut app = App::new(store, lang, kehu::config::Config::default());
        app.update(kehu::app::Action::Resize(w, h));
        if name != "card_complaints" {
            app.handle_key(Key::Char('3'));
        }
        if name == "complaint_detail" {
            app.handle_key(Key::Enter);
        }
        app
    } else {
        sample_app(dir.path(), lang, w, h)
    };
    for k in keys {
        app.handle_key(*k);
    }
    match name {
        "lookup" => type_text(&mut app, "娜"),
        "card" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
        }
        "order_card" => {
            type_text(&mut app, "lucky28941");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Enter);
        }
        "complaint_form" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('c'));
            type_text(&mut app, "杯子裂了，要求补发");
            app.handle_key(Key::Tab);
            app.handle_key(Key::Right);
        }
        "redeem_refused" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('p'));
            type_text(&mut app, "100");
            app.handle_key(Key::Enter);
        }
        "ledger" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('l'));
        }
        "move_form" => app.handle_key(Key::Char('m')),
        "card_complaints" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Right);
        }
        "blacklist_reason" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('b'));
            app.handle_key(Key::Enter); // refused: no reason yet
        }
        "confirm_discard" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('c'));
            type_text(&mut app, "杯子裂了");
            app.handle_key(Key::Esc);
        }
        "history" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            for note in ["要发顺丰", "第二条"] {
                app.handle_key(Key::Char('n'));
                type_text(&mut app, note);
                app.handle_key(Key::Enter);
            }
            app.handle_key(Key::Char('x')); // the newest
            app.handle_key(Key::Char('y'));
            app.handle_key(Key::Char('e'));
            type_text(&mut app, "，不要韵达");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('b'));
            type_text(&mut app, "恶意差评");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('h'));
        }
        "analysis_repeat" => {
            app.handle_key(Key::Char('a'));
            app.handle_key(Key::Down);
        }
        "analysis" => app.handle_key(Key::Char('a')),
        "import_path" => {
            app.handle_key(Key::Ctrl('u'));
            type_text(&mut app, "tests/fixtures/taobao/Export");
            app.handle_key(Key::Tab);
        }
        "import_summary" => {
            app.handle_key(Key::Ctrl('u'));
            type_text(
                &mut app,
                "tests/fixtures/taobao/ExportOrderList202406011200.csv",
            );
            app.handle_key(Key::Enter);
            app.import_job.as_mut().unwrap().wait();
            app.update(kehu::app::Action::Tick);
            app.handle_key(Key::Char('i'));
        }
        _ => {}
    }
    render(&app, w, h)
}

#[test]
fn snapshots() {
    common::pin_clock();
    for (name, keys) in VIEWS {
        for (lang, tag, w, h) in [
            (Lang::Zh, "zh", 80, 24),
            (Lang::Zh, "zh", 120, 40),
            (Lang::En, "en", 80, 24),
            (Lang::En, "en", 120, 40),
        ] {
            if (*name, tag, w) == ("card", "en", 120) {
                continue; // its own test below
            }
            let screen = view(name, keys, lang, w, h);
            insta::assert_snapshot!(format!("{name}_{tag}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn en_at_120x40_card() {
    common::pin_clock();
    let screen = view("card", &[Key::Char('/')], Lang::En, 120, 40);
    insta::assert_snapshot!("card_en_120x40", screen);
}

#[test]
fn nothing_spills_past_the_edge_at_small_sizes() {
    common::pin_clock();
    // Odd sizes must draw without panicking.
    for (name, keys) in VIEWS {
        for (w, h) in [(40, 10), (20, 5), (81, 25)] {
            let _ = view(name, keys, Lang::Zh, w, h);
        }
    }
}

#[test]
fn blacklisted_buyer_is_loud_everywhere() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "邵娜");
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('b'));
    type_text(&mut app, "恶意差评");
    app.handle_key(Key::Enter);
    insta::assert_snapshot!("blacklisted_card_zh_80x24", render(&app, 80, 24));
    app.handle_key(Key::Esc);
    insta::assert_snapshot!("blacklisted_list_zh_80x24", render(&app, 80, 24));
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "娜");
    insta::assert_snapshot!("blacklisted_lookup_zh_80x24", render(&app, 80, 24));
}
