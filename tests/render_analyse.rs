//! Render snapshots of the shop analysis view (`a` from the tabs): the
//! sample shop's charts at 80x24 (where it must fit) and larger, in Chinese
//! and in English, with the clock pinned.

mod common;

use common::sample_app;
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

fn shop_analysis(lang: Lang, w: u16, h: u16) -> String {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), lang, w, h);
    app.handle_key(Key::Char('a'));
    app.wait_shop_analysis();
    render(&app, w, h)
}

/// Every row of the screen is exactly `w` cells wide (CJK counted as two),
/// and the view's charts and titles are all on it.
fn check_fits(screen: &str, w: u16, lang: Lang) {
    for line in screen.lines() {
        let cells = line
            .strip_prefix('"')
            .and_then(|l| l.split('"').next())
            .unwrap_or(line);
        assert_eq!(cells.width(), usize::from(w), "{line}");
    }
    let want: &[&str] = match lang {
        Lang::Zh => &[
            "店铺分析",
            "复购率",
            "按月销售",
            "新客",
            "回头客",
            "客户分群",
            "重要价值",
            "热销商品",
            "学生书包",
        ],
        Lang::En => &[
            "Shop analysis",
            "repurchase rate",
            "Sales by month",
            "new",
            "returning",
            "Segments",
            "top",
            "Top items",
            "学生书包",
        ],
    };
    for w in want {
        assert!(screen.contains(w), "{w} missing:\n{screen}");
    }
}

#[test]
fn shop_analysis_zh_80x24() {
    let s = shop_analysis(Lang::Zh, 80, 24);
    check_fits(&s, 80, Lang::Zh);
    insta::assert_snapshot!("shop_analysis_zh_80x24", s);
}

#[test]
fn shop_analysis_en_80x24() {
    let s = shop_analysis(Lang::En, 80, 24);
    check_fits(&s, 80, Lang::En);
    insta::assert_snapshot!("shop_analysis_en_80x24", s);
}

#[test]
fn shop_analysis_zh_100x30() {
    let s = shop_analysis(Lang::Zh, 100, 30);
    check_fits(&s, 100, Lang::Zh);
    insta::assert_snapshot!("shop_analysis_zh_100x30", s);
}

#[test]
fn shop_analysis_en_120x40() {
    let s = shop_analysis(Lang::En, 120, 40);
    check_fits(&s, 120, Lang::En);
    insta::assert_snapshot!("shop_analysis_en_120x40", s);
}

#[test]
fn esc_closes_it_and_the_help_lists_its_key() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 100, 30);
    // The footer names it where there is room after lookup, help and quit.
    app.handle_key(Key::Char('4'));
    let before = render(&app, 100, 30);
    assert!(
        before.contains("q/Ctrl-C quit  a/A shop analysis"),
        "{before}"
    );
    app.handle_key(Key::Char('a'));
    assert!(render(&app, 100, 30).contains("Shop analysis"));
    app.handle_key(Key::Esc);
    assert_eq!(render(&app, 100, 30), before);
    // On the complaints tab `a` is the complaint analysis; `A` the shop's.
    app.handle_key(Key::Char('3'));
    app.handle_key(Key::Char('A'));
    assert!(render(&app, 100, 30).contains("Shop analysis"));
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('?'));
    assert!(render(&app, 100, 30).contains("shop analysis"));
}

/// Opened again, the view shows what it read (at once); after the data
/// changes and the views are re-read (`Ctrl-R`), it reads the shop again.
#[test]
fn reopening_reuses_the_analysis_until_the_views_are_re_read() {
    use kehu::db::{ImportOptions, Store};
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = sample_app(dir.path(), Lang::En, 100, 30);
    app.handle_key(Key::Char('a'));
    // Read in the background: the view says so until the app takes it in.
    assert!(render(&app, 100, 30).contains("Reading…"));
    app.wait_shop_analysis();
    let first = render(&app, 100, 30);
    assert!(!first.contains("Reading…"), "{first}");
    app.handle_key(Key::Esc);
    // Another terminal imports the later export into the same file.
    let mut other = Store::open(&dir.path().join("kehu.db")).unwrap();
    for path in [
        "tests/fixtures/taobao/ExportOrderList202406011200.csv",
        "tests/fixtures/taobao/ExportOrderDetailList202406011200.csv",
    ] {
        let reader =
            kehu::import::ReportReader::open(std::fs::File::open(path).unwrap(), None).unwrap();
        other
            .import_report(path, reader, ImportOptions::default(), &mut |_| {})
            .unwrap();
    }
    let fresh = other
        .analyse(
            &Default::default(),
            &Default::default(),
            &Default::default(),
        )
        .unwrap();
    drop(other);
    app.handle_key(Key::Char('a'));
    assert_eq!(render(&app, 100, 30), first, "reopened as it was read");
    app.handle_key(Key::Esc);
    app.handle_key(Key::Ctrl('r'));
    app.handle_key(Key::Char('a'));
    app.wait_shop_analysis();
    let again = render(&app, 100, 30);
    assert_ne!(again, first);
    let rate = format!("repurchase rate {:.2}%", fresh.repurchase_rate * 100.0);
    assert!(again.contains(&rate), "{rate}\n{again}");
}
