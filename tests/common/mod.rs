//! Shared test fixtures and the sealed test environment.
//!
//! Every test pins the clock to [`NOW`] (in-process with [`pin_clock`], for the
//! binary with `KEHU_NOW` through [`kehu_cmd`]) and runs the binary with its own
//! home, config and data dirs, so the suite passes on any machine and any day.
//! The sample exports live in `tests/fixtures/` (copied byte for byte).
#![allow(dead_code)]

pub mod dump;
pub mod kill;

use kehu::app::{Action, App, Key};
use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use kehu::import::ReportReader;
use std::fs::File;
use std::path::Path;
use std::process::Command;

pub const ORDERS: &str = "tests/fixtures/taobao/ExportOrderList202405201030.csv";
pub const ITEMS: &str = "tests/fixtures/taobao/ExportOrderDetailList202405201030.csv";

/// "Now" for every test: the morning after the sample exports end (2025-11-29).
pub const NOW: &str = "2025-12-01 09:00:00";

/// The clock is one per process: a test that moves it (`pin_now`) holds this
/// for its whole run, and so does every test of its file, so tests running
/// side by side never see another's time. Pins the clock to [`NOW`].
pub fn lock_clock() -> std::sync::MutexGuard<'static, ()> {
    static CLOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    pin_clock();
    guard
}

/// Pin this process's clock to [`NOW`].
pub fn pin_clock() {
    kehu::domain::time::pin_now(kehu::domain::time::parse_stored(NOW));
}

/// The kehu binary with a sealed environment under `dir`: nothing inherited
/// (no KEHU_DB, no LANG, no user's home), the clock pinned to [`NOW`], and
/// `HOME`/XDG dirs of its own so the user's config and data are never read.
pub fn kehu_cmd(dir: &Path) -> Command {
    let home = dir.join("home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kehu"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("LANG", "C.UTF-8")
        .env("KEHU_NOW", NOW);
    cmd
}

/// The binary on `dir/k.db` with `dir/config.toml`, run to the end.
pub fn kehu_in(dir: &Path, args: &[&str]) -> std::process::Output {
    kehu_cmd(dir)
        .args(args)
        .arg("--db")
        .arg(dir.join("k.db"))
        .env("KEHU_CONFIG", dir.join("config.toml"))
        .output()
        .expect("binary runs")
}

/// A run that must have exited 0 (`what` and its stderr said otherwise).
pub fn succeeded(out: std::process::Output, what: &dyn std::fmt::Debug) -> std::process::Output {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// [`kehu_in`] that must succeed.
pub fn kehu_ok(dir: &Path, args: &[&str]) -> std::process::Output {
    succeeded(kehu_in(dir, args), &args)
}

/// [`kehu_in`] that must succeed, its stdout read as one JSON document.
pub fn ok_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = kehu_ok(dir, args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

pub fn sample_store(dir: &Path) -> Store {
    pin_clock();
    let mut store = Store::open(&dir.join("kehu.db")).unwrap();
    for path in [ORDERS, ITEMS] {
        let reader = ReportReader::open(File::open(path).unwrap(), None).unwrap();
        store
            .import_report(path, reader, ImportOptions::default(), &mut |_| {})
            .unwrap();
    }
    store
}

/// The sample shop's app on its customers tab (`1`; the app opens on
/// Today, which `today_app` in tests/app_serve.rs shows).
pub fn sample_app(dir: &Path, lang: Lang, w: u16, h: u16) -> App {
    let mut app = App::new(sample_store(dir), lang, kehu::config::Config::default());
    app.update(Action::Resize(w, h));
    app.handle_key(Key::Char('1'));
    app
}

pub fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle_key(Key::Char(c));
    }
}

/// Record a complaint (now) against the buyer found by `who`, on their latest
/// order, and move it to processing with a note. Returns its id.
pub fn add_sample_complaint(store: &mut Store, who: &str) -> i64 {
    use kehu::db::{ComplaintMove, NewComplaint};
    use kehu::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
    let cid = store.lookup(who, 1, false).unwrap()[0].id;
    let card = store.customer_card(cid, 1).unwrap().unwrap();
    let id = store
        .add_complaint(&NewComplaint {
            customer_id: cid,
            order_no: card.recent_orders.first().map(|o| o.order_no.clone()),
            category: Category::Quality,
            severity: Severity::High,
            channel: Channel::Wangwang,
            summary: "杯子裂了".into(),
            at: None,
        })
        .unwrap();
    let mut m = ComplaintMove::to(ComplaintStatus::Processing);
    m.note = "已联系买家".into();
    store.move_complaint(id, &m).unwrap();
    id
}

/// The sample shop with something served: a quality complaint resolved
/// with a low score, scores heard over four months, and a campaign to the
/// shop's loyal buyers on 2025-11-20.
pub fn serve_store(dir: &Path) -> Store {
    use kehu::db::ComplaintMove;
    use kehu::domain::complaint::ComplaintStatus;
    use kehu::domain::followup::FollowupReason;
    use kehu::model::{CampaignFilters, FeedbackSource, NewCampaign, NewFeedback, NewFollowup};
    let mut store = sample_store(dir);
    let id = add_sample_complaint(&mut store, "邵娜");
    let mut m = ComplaintMove::to(ComplaintStatus::Resolved);
    m.resolution = Some("补发新杯".into());
    m.satisfaction = Some(2);
    store.move_complaint(id, &m).unwrap();
    let cid = store.lookup("邵娜", 1, false).unwrap()[0].id;
    for (i, (at, score)) in [
        ("2025-08-12 10:00:00", 5),
        ("2025-09-03 10:00:00", 4),
        ("2025-09-20 10:00:00", 3),
        ("2025-10-08 10:00:00", 5),
        ("2025-11-15 10:00:00", 4),
    ]
    .iter()
    .enumerate()
    {
        store
            .add_feedback(&NewFeedback {
                customer_id: cid,
                order_no: None,
                score: *score,
                source: if i % 2 == 0 {
                    FeedbackSource::Chat
                } else {
                    FeedbackSource::Review
                },
                text: "好评".into(),
                at: Some((*at).into()),
            })
            .unwrap();
    }
    // Follow-ups: one overdue and one due today, then one next week.
    let other = store.lookup("朱明勇", 1, false).unwrap()[0].id;
    for (customer_id, due, reason, note) in [
        (
            cid,
            "2025-11-28",
            FollowupReason::AfterSale,
            "问问补发的杯子",
        ),
        (other, "2025-12-01", FollowupReason::Vip, "老客关怀"),
        (cid, "2025-12-08", FollowupReason::Custom, "下周再问"),
    ] {
        store
            .add_followup(
                &NewFollowup {
                    customer_id,
                    order_no: None,
                    due: chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
                    reason,
                    note: note.into(),
                },
                kehu::db::Actor::Cli,
            )
            .unwrap();
    }
    let cfg = kehu::config::Config::default();
    store
        .create_campaign(
            &NewCampaign {
                name: "双十一老客回购".into(),
                filters: CampaignFilters {
                    segments: vec![kehu::domain::segment::Segment::Loyal],
                    ..CampaignFilters::default()
                },
                template: "{name} 您好，老客专享券已到账".into(),
                coupon: "LOYAL10".into(),
                control_pct: 20,
                seed: 7,
                at: Some("2025-11-20 10:00:00".into()),
            },
            &cfg.segments(),
            &cfg.tiers(),
        )
        .unwrap();
    store
}

/// The app over `serve_store`, as it opens (on Today).
pub fn serve_app(dir: &Path, lang: Lang, w: u16, h: u16) -> App {
    let mut app = App::new(serve_store(dir), lang, kehu::config::Config::default());
    app.update(Action::Resize(w, h));
    app
}
