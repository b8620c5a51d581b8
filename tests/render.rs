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
use unicode_width::UnicodeWidthStr;

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
    ("note", &[Key::Char('/')]),
    ("redeem_refused", &[Key::Char('/')]),
    ("ledger", &[Key::Char('/')]),
    ("move_form", &[]),
    ("analysis", &[]),
    ("import_path", &[Key::Char('i')]),
    ("import_summary", &[Key::Char('i')]),
    ("import_undo_ask", &[Key::Char('i')]),
    ("import_undone", &[Key::Char('i')]),
    ("card_complaints", &[Key::Char('/')]),
    ("blacklist_reason", &[Key::Char('/')]),
    ("confirm_discard", &[Key::Char('/')]),
    ("history", &[Key::Char('/')]),
    ("analysis_repeat", &[]),
];

fn view(name: &str, keys: &[Key], lang: Lang, w: u16, h: u16) -> String {
    let dir = tempfile::tempdir().unwrap();
    let app = view_app(dir.path(), name, keys, lang, w, h);
    render(&app, w, h)
}

/// The app showing view `name`, its database under `dir`.
fn view_app(dir: &std::path::Path, name: &str, keys: &[Key], lang: Lang, w: u16, h: u16) -> App {
    let with_complaint = name.starts_with("complaint_list")
        || name.starts_with("complaint_detail")
        || name == "move_form"
        || name == "analysis"
        || name == "analysis_repeat"
        || name == "card_complaints";
    let mut app = if with_complaint {
        let mut store = common::sample_store(dir);
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
        sample_app(dir, lang, w, h)
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
        "note" => {
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('n'));
            type_text(&mut app, "老客户，发顺丰，杯子用气泡膜包两层");
        }
        "redeem_refused" => {
            // More than her balance (4498), with the note filled in: the
            // refusal is the balance's, not the form's.
            type_text(&mut app, "邵娜");
            app.handle_key(Key::Enter);
            app.handle_key(Key::Char('p'));
            type_text(&mut app, "99999");
            app.handle_key(Key::Tab);
            type_text(&mut app, "生日礼物");
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
        "import_summary" | "import_undo_ask" | "import_undone" => {
            app.handle_key(Key::Ctrl('u'));
            type_text(
                &mut app,
                "tests/fixtures/taobao/ExportOrderList202406011200.csv",
            );
            app.handle_key(Key::Enter);
            // Closed while it runs; `i` brings the summary back.
            app.handle_key(Key::Esc);
            app.import_job.as_mut().unwrap().wait();
            app.update(kehu::app::Action::Tick);
            app.handle_key(Key::Char('i'));
            if name != "import_summary" {
                app.handle_key(Key::Char('u'));
            }
            if name == "import_undone" {
                app.handle_key(Key::Char('y'));
            }
        }
        _ => {}
    }
    app
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

/// The screen as a terminal shows it: per row, each column's symbol, or
/// `None` where the wide character before it covers it.
fn visible(app: &App, w: u16, h: u16) -> Vec<Vec<Option<String>>> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(app, &Theme::new(true), f)).unwrap();
    let buf = terminal.backend().buffer();
    (0..h)
        .map(|y| {
            let mut covered = 0;
            (0..w)
                .map(|x| {
                    let sym = buf[(x, y)].symbol().to_string();
                    let out = (covered == 0).then(|| sym.clone());
                    covered = if covered == 0 {
                        sym.width().saturating_sub(1)
                    } else {
                        covered - 1
                    };
                    out
                })
                .collect()
        })
        .collect()
}

/// Every popup corner `╭` drawn starts a whole box: both sides down to `╰`
/// and `╯`, nothing covering them. Returns what is broken.
fn broken_boxes(rows: &[Vec<Option<String>>]) -> Vec<String> {
    let at = |y: usize, x: usize| rows[y][x].as_deref().unwrap_or("(covered)");
    let mut out = Vec::new();
    for (y, row) in rows.iter().enumerate() {
        for (x, c) in row.iter().enumerate() {
            if c.as_deref() != Some("╭") {
                continue;
            }
            let Some(x2) = (x + 1..row.len()).find(|i| row[*i].as_deref() == Some("╮")) else {
                out.push(format!("row {y}: ╭ at {x} has no ╮"));
                continue;
            };
            let mut closed = false;
            for (yy, r) in rows.iter().enumerate().skip(y + 1) {
                if r[x].as_deref() == Some("╰") && r[x2].as_deref() == Some("╯") {
                    closed = true;
                    break;
                }
                for xx in [x, x2] {
                    // Another popup drawn over this one may cover its side
                    // with its own border.
                    if !matches!(at(yy, xx), "│" | "├" | "┤" | "╭" | "╮" | "╰" | "╯" | "─")
                    {
                        out.push(format!("row {yy} col {xx}: {} instead of │", at(yy, xx)));
                    }
                }
            }
            if !closed {
                out.push(format!("box at row {y} col {x} is not closed"));
            }
        }
    }
    out
}

fn screen_of(rows: &[Vec<Option<String>>]) -> String {
    rows.iter()
        .map(|r| r.iter().flatten().map(String::as_str).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Wide characters under a popup's edge do not eat its border: every view
/// (lookup, card, order card, forms, note box, help, analysis, import, …)
/// over CJK lists and cards, in both languages at both sizes.
#[test]
fn popups_keep_their_borders_over_wide_characters() {
    common::pin_clock();
    for (name, keys) in VIEWS {
        for (lang, w, h) in [
            (Lang::Zh, 80, 24),
            (Lang::Zh, 120, 40),
            (Lang::En, 80, 24),
            (Lang::En, 120, 40),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let app = view_app(dir.path(), name, keys, lang, w, h);
            let rows = visible(&app, w, h);
            let broken = broken_boxes(&rows);
            assert!(
                broken.is_empty(),
                "{name} {w}x{h}: {broken:?}\n{}",
                screen_of(&rows)
            );
        }
    }
}

#[test]
fn nothing_spills_past_the_edge_at_small_sizes() {
    common::pin_clock();
    // Odd sizes draw without panicking, every line within the width, and
    // every popup with its border whole.
    for (name, keys) in VIEWS {
        for (w, h) in [(40, 10), (20, 5), (81, 25), (79, 23)] {
            let dir = tempfile::tempdir().unwrap();
            let app = view_app(dir.path(), name, keys, Lang::Zh, w, h);
            let rows = visible(&app, w, h);
            for (y, row) in rows.iter().enumerate() {
                let width: usize = row.iter().flatten().map(|s| s.width()).sum();
                assert!(
                    width <= usize::from(w),
                    "{name} {w}x{h} row {y} is {width} wide:\n{}",
                    screen_of(&rows)
                );
            }
            // A tiny screen may have no room for a popup's corners at all.
            if h >= 10 {
                let broken = broken_boxes(&rows);
                assert!(
                    broken.is_empty(),
                    "{name} {w}x{h}: {broken:?}\n{}",
                    screen_of(&rows)
                );
            }
        }
    }
}

/// `G` in the help and in the analysis stops with the last line at the
/// bottom of the box, and one `k` moves it again.
#[test]
fn help_and_analysis_stop_at_their_end() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    kehu::demo::build_demo(&db, 1500, 3).unwrap();
    for (w, h) in [(80, 24), (120, 40)] {
        for open in [&[Key::Char('?')][..], &[Key::Char('3'), Key::Char('a')][..]] {
            let mut app = App::new(
                kehu::db::Store::open(&db).unwrap(),
                Lang::Zh,
                kehu::config::Config::default(),
            );
            app.update(kehu::app::Action::Resize(w, h));
            for k in open {
                app.handle_key(*k);
            }
            let top = render(&app, w, h);
            app.handle_key(Key::Char('G'));
            let bottom = render(&app, w, h);
            let rows = visible(&app, w, h);
            // The line above the box's bottom border has text on it.
            let last = &rows[usize::from(h) - 3];
            let text: String = last.iter().flatten().map(String::as_str).collect();
            let inside = text.trim_matches(|c| c == '│' || c == ' ');
            // Scrolled: the first line in the box is another (in the analysis
            // G also picks the last repeat complainer, which shows on its own).
            let scrolled = top.lines().nth(2) != bottom.lines().nth(2);
            if scrolled {
                assert!(
                    !inside.is_empty(),
                    "{open:?} {w}x{h}: empty at the end:\n{bottom}"
                );
            }
            app.handle_key(Key::Char('k'));
            let up = render(&app, w, h);
            if top != bottom {
                assert_ne!(up, bottom, "{open:?} {w}x{h}: one k scrolls back");
            }
            assert!(
                scrolled || w == 120,
                "{open:?} at {w}x{h} is taller than its box: G moves it"
            );
            // From the end, a page up shows earlier lines.
            if scrolled {
                app.handle_key(Key::Char('G'));
                app.handle_key(Key::PageUp);
                let paged = render(&app, w, h);
                assert_ne!(
                    paged.lines().nth(2),
                    bottom.lines().nth(2),
                    "{open:?} {w}x{h}: PgUp from the end moves the view:\n{paged}"
                );
            }
        }
    }
}

/// `G` in a customer's ledger stops with the oldest entry on the last row.
#[test]
fn ledger_stops_at_its_oldest_entry() {
    common::pin_clock();
    for (w, h) in [(80, 24), (120, 40)] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = sample_app(dir.path(), Lang::Zh, w, h);
        app.handle_key(Key::Char('/'));
        type_text(&mut app, "邵娜");
        app.handle_key(Key::Enter);
        app.handle_key(Key::Char('l'));
        let Some(kehu::app::Popup::Ledger(v)) = app.popups.last() else {
            panic!("ledger not open")
        };
        let oldest = v.entries[0].ref_order_no.clone().unwrap();
        let top = render(&app, w, h);
        app.handle_key(Key::Char('G'));
        let bottom = render(&app, w, h);
        if top == bottom {
            assert_eq!(w, 120, "at 80x24 her ledger is longer than the box");
            continue;
        }
        let last_row = bottom.lines().nth(usize::from(h) - 3).unwrap();
        assert!(last_row.contains(&oldest), "{w}x{h}: {last_row}\n{bottom}");
        app.handle_key(Key::Char('k'));
        assert_ne!(render(&app, w, h), bottom, "{w}x{h}: one k scrolls back");
    }
}

/// The per-file summary at 80 columns keeps its reject count, wrapping
/// instead of cutting.
#[test]
fn import_summary_at_80x24_names_each_files_rejects() {
    common::pin_clock();
    for (lang, want) in [(Lang::Zh, "被拒 3"), (Lang::En, "rejected 3")] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = sample_app(dir.path(), lang, 80, 24);
        app.handle_key(Key::Char('i'));
        app.handle_key(Key::Ctrl('u'));
        type_text(&mut app, "tests/fixtures/bad/excel-resaved-scientific.csv");
        app.handle_key(Key::Enter);
        app.import_job.as_mut().unwrap().wait();
        app.update(kehu::app::Action::Tick);
        let rows = visible(&app, 80, 24);
        let screen = screen_of(&rows);
        // On the file's own lines, not only in the message at the bottom.
        let body: Vec<&str> = screen.lines().take(22).collect();
        assert!(
            body.iter().any(|l| l.contains(want)),
            "{want} not in the summary:\n{screen}"
        );
    }
}

/// A list emptied by its filters names every filter in force.
#[test]
fn empty_lists_name_every_filter() {
    use kehu::ui::strings::{S, status, t};
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::Zh, 120, 40);
    app.handle_key(Key::Char('f')); // blacklisted only: nobody is
    app.handle_key(Key::Char('e'));
    app.handle_key(Key::Char('v'));
    assert!(app.customers.rows.is_empty());
    let screen = render(&app, 120, 40);
    let body: String = screen.lines().skip(2).collect();
    let seg = app.customer_query.segment.unwrap().label(Lang::Zh);
    let tier = app.customer_query.tier.unwrap().label(Lang::Zh);
    for want in [t(Lang::Zh, S::FilterBlacklisted), seg, tier] {
        assert!(body.contains(want), "{want}:\n{screen}");
    }

    // Some status has no order in the last 7 days.
    app.handle_key(Key::Char('2'));
    app.handle_key(Key::Char('d'));
    for _ in 0..7 {
        app.handle_key(Key::Char('f'));
        if app.orders.rows.is_empty() {
            break;
        }
    }
    assert!(app.orders.rows.is_empty());
    let st = app.order_query.status.clone().unwrap();
    let screen = render(&app, 120, 40);
    let body: String = screen.lines().skip(2).collect();
    for want in [
        status(Lang::Zh, &st).to_string(),
        format!("{} 7", t(Lang::Zh, S::LastDays)),
    ] {
        assert!(body.contains(&want), "{want}:\n{screen}");
    }
}

/// Order numbers are drawn whole wherever a note or a title can give room.
#[test]
fn order_numbers_are_never_cut() {
    common::pin_clock();
    for (w, h) in [(80, 24), (120, 40)] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = common::sample_store(dir.path());
        common::add_sample_complaint(&mut store, "邵娜");
        let mut app = App::new(store, Lang::Zh, kehu::config::Config::default());
        app.update(kehu::app::Action::Resize(w, h));
        app.handle_key(Key::Char('4'));
        let screen = render(&app, w, h);
        let shown: Vec<String> = app
            .ledger
            .rows
            .iter()
            .take(usize::from(h) - 5)
            .filter_map(|e| e.ref_order_no.clone())
            .collect();
        assert!(!shown.is_empty());
        for no in shown {
            assert!(screen.contains(&no), "{no} at {w}x{h}:\n{screen}");
        }
        app.handle_key(Key::Char('3'));
        let screen = render(&app, w, h);
        let no = app.complaints.rows[0].order_no.clone().unwrap();
        assert!(screen.contains(&no), "{no} at {w}x{h}:\n{screen}");
        app.handle_key(Key::Char('2'));
        let screen = render(&app, w, h);
        let no = app.orders.rows[0].order_no.clone();
        assert!(screen.contains(&no), "{no} at {w}x{h}:\n{screen}");
    }
}

/// At 80x24 the customers list keeps the last order and the masked phone.
#[test]
fn customers_at_80x24_keep_phone_and_last_order() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let app = sample_app(dir.path(), Lang::Zh, 80, 24);
    let screen = render(&app, 80, 24);
    let heading = screen.lines().nth(2).unwrap();
    for want in ["电话", "最近下单", "单数", "实付"] {
        assert!(heading.contains(want), "{want}: {heading}");
    }
    assert!(screen.contains("188****6827"), "{screen}");
    assert!(screen.contains("2025-11-27 20:08"), "{screen}");
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
