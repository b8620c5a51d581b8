//! Render snapshots of serving the buyers: Today, the follow-ups on the
//! card, the follow-up done form, the feedback form, the satisfaction in the complaint
//! analysis, the campaigns and the keys of Today, at 80x24 and 120x40 in
//! Chinese and English, over `common::serve_store` with the clock pinned.

mod common;

use common::{serve_app, type_text};
use kehu::app::{App, Key};
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(app, &Theme::new(true), f)).unwrap();
    terminal.backend().to_string()
}

/// The app showing view `name`.
fn view_app(dir: &std::path::Path, name: &str, lang: Lang, w: u16, h: u16) -> App {
    let mut app = serve_app(dir, lang, w, h);
    match name {
        "today" => {}
        "card_followups" => app.handle_key(Key::Enter),
        "followup_done_form" => {
            app.handle_key(Key::Char('d'));
            type_text(&mut app, "买家说杯子很好用 / likes the cup");
            app.handle_key(Key::Tab);
            for _ in 0..4 {
                app.handle_key(Key::Right);
            }
        }
        "card_followup_done" => {
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('d'));
            type_text(&mut app, "买家满意");
            app.handle_key(Key::Tab);
            for _ in 0..5 {
                app.handle_key(Key::Right);
            }
            app.handle_key(Key::Enter);
        }
        "satisfaction" => {
            app.handle_key(Key::Char('3'));
            app.handle_key(Key::Char('a'));
            app.handle_key(Key::Char('G'));
        }
        "feedback_form" => {
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('v'));
            app.handle_key(Key::Right);
            app.handle_key(Key::Tab);
            app.handle_key(Key::Right);
            app.handle_key(Key::Tab);
            type_text(&mut app, "旺旺里说下次还买 / will buy again");
        }
        "campaigns" => app.handle_key(Key::Char('c')),
        "today_help" => app.handle_key(Key::Char('?')),
        _ => panic!("no view {name}"),
    }
    app
}

const VIEWS: [&str; 8] = [
    "feedback_form",
    "today",
    "card_followups",
    "followup_done_form",
    "card_followup_done",
    "satisfaction",
    "campaigns",
    "today_help",
];

#[test]
fn snapshots() {
    let _clock = common::lock_clock();
    for name in VIEWS {
        for (lang, tag, w, h) in [
            (Lang::Zh, "zh", 80, 24),
            (Lang::Zh, "zh", 120, 40),
            (Lang::En, "en", 80, 24),
            (Lang::En, "en", 120, 40),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let app = view_app(dir.path(), name, lang, w, h);
            let screen = render(&app, w, h);
            // Every row exactly the width: wide characters never push the
            // border off or leave it short.
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| draw(&app, &Theme::new(true), f)).unwrap();
            let buf = terminal.backend().buffer();
            for y in 0..h {
                let mut row = String::new();
                let mut skip = 0;
                for x in 0..w {
                    let s = buf[(x, y)].symbol();
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    skip = s.width().saturating_sub(1);
                    row.push_str(s);
                }
                assert_eq!(row.width(), usize::from(w), "{name} {tag} row {y}: {row}");
            }
            insta::assert_snapshot!(format!("{name}_{tag}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn today_says_so_when_a_section_is_empty_and_why_in_each_language() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let zh = render(&view_app(dir.path(), "today", Lang::Zh, 120, 40), 120, 40);
    assert!(zh.contains("今天该回访 (2)"), "{zh}");
    assert!(zh.contains("已逾期"));
    assert!(zh.contains("今天到期"));
    let dir = tempfile::tempdir().unwrap();
    let en = render(&view_app(dir.path(), "today", Lang::En, 120, 40), 120, 40);
    assert!(en.contains("follow-ups due (2)"), "{en}");
    assert!(en.contains("due today"));
    assert!(!en.contains("今天该回访") && !en.contains("今天"), "{en}");
}
