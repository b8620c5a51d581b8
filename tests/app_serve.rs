//! The app serving the buyers: Today (the tab it opens on), follow-ups done
//! or skipped from Today and the card, follow-ups added on the card, the
//! satisfaction in the complaint analysis and the campaigns view.

mod common;

use common::{lock_clock, serve_app, type_text};
use kehu::app::{Action, CardSection, CardState, FormPurpose, InputPurpose, Popup, Tab, TodayKind};
use kehu::app::{App, Key};
use kehu::domain::followup::FollowupStatus;
use kehu::i18n::Lang;

fn top_card(app: &App) -> &CardState {
    match app.popups.last() {
        Some(Popup::Card(c)) => c,
        other => panic!("no card on top: {:?}", other.map(std::mem::discriminant)),
    }
}

fn first_followup(app: &App) -> i64 {
    app.today.items[0].followup_id.expect("a follow-up first")
}

#[test]
fn the_app_opens_on_today_and_0_comes_back_to_it() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    assert_eq!(app.tab, Tab::Today);
    assert_eq!(app.today.date, "2025-12-01");
    assert!(!app.today.items.is_empty());
    assert_eq!(app.today.items[0].kind, TodayKind::Followup);
    // Points never expire by default: that section is not shown.
    assert!(!app.today.sections.contains(&TodayKind::Points));
    assert_eq!(app.today.sections.len(), 4);
    // Every item says why, in the app's language.
    assert!(app.today.items.iter().all(|i| !i.why.is_empty()));
    app.handle_key(Key::Char('1'));
    assert_eq!(app.tab, Tab::Customers);
    app.handle_key(Key::Char('4'));
    assert_eq!(app.tab, Tab::Points);
    app.handle_key(Key::Tab);
    assert_eq!(app.tab, Tab::Today, "Tab wraps round to the first tab");
    app.handle_key(Key::BackTab);
    assert_eq!(app.tab, Tab::Points);
    app.handle_key(Key::Char('0'));
    assert_eq!(app.tab, Tab::Today);
}

#[test]
fn up_and_down_move_across_sections_and_stop_at_the_ends() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::En, 100, 30);
    let n = app.today.items.len();
    app.handle_key(Key::Up);
    assert_eq!(app.today.selected, 0);
    for _ in 0..n + 3 {
        app.handle_key(Key::Down);
    }
    assert_eq!(app.today.selected, n - 1);
    app.handle_key(Key::Char('g'));
    assert_eq!(app.today.selected, 0);
    app.handle_key(Key::Char('G'));
    assert_eq!(app.today.selected, n - 1);
    // The last item is not a follow-up: d says so and opens nothing.
    assert_ne!(app.today.items[n - 1].kind, TodayKind::Followup);
    app.handle_key(Key::Char('d'));
    assert!(app.popups.is_empty());
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("No open follow-up selected")
    );
}

#[test]
fn enter_opens_the_card_on_that_follow_up() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    let item = app.today.items[0].clone();
    app.handle_key(Key::Enter);
    let c = top_card(&app);
    assert_eq!(c.card.customer.id, item.customer_id);
    assert_eq!(c.section, CardSection::Followups);
    assert_eq!(
        c.followups[c.followup_selected].id,
        item.followup_id.unwrap()
    );
}

#[test]
fn d_marks_a_follow_up_done_with_a_score_and_it_leaves_today() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    let id = first_followup(&app);
    let before = app.today.items.len();
    app.handle_key(Key::Char('d'));
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("no form")
    };
    assert_eq!(f.purpose, FormPurpose::FinishFollowup { id });
    assert_eq!(f.field(1).code(), "", "no score until one is picked");
    type_text(&mut app, "买家说杯子很好用");
    app.handle_key(Key::Tab);
    for _ in 0..4 {
        app.handle_key(Key::Right);
    }
    app.handle_key(Key::Enter);
    assert!(app.popups.is_empty(), "the form closed");
    assert_eq!(app.today.items.len(), before - 1);
    assert!(app.today.items.iter().all(|i| i.followup_id != Some(id)));
    let row = app.store().followup(id).unwrap().unwrap();
    assert_eq!(row.status, FollowupStatus::Done);
    assert_eq!(row.satisfaction, Some(4));
    assert_eq!(row.outcome, "买家说杯子很好用");
    let heard = app.store().feedback(Some(row.customer_id)).unwrap();
    assert_eq!(heard[0].score, 4);
}

#[test]
fn a_follow_up_done_without_a_score_writes_no_feedback() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    let id = first_followup(&app);
    let cid = app.today.items[0].customer_id;
    let heard = app.store().feedback(Some(cid)).unwrap().len();
    app.handle_key(Key::Char('d'));
    app.handle_key(Key::Enter);
    assert!(app.popups.is_empty());
    let row = app.store().followup(id).unwrap().unwrap();
    assert_eq!((row.status, row.satisfaction), (FollowupStatus::Done, None));
    assert_eq!(app.store().feedback(Some(cid)).unwrap().len(), heard);
}

#[test]
fn k_skips_a_follow_up_with_a_note() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::En, 100, 30);
    let id = first_followup(&app);
    app.handle_key(Key::Char('k'));
    let Some(Popup::Input(i)) = app.popups.last() else {
        panic!("no box")
    };
    assert_eq!(i.purpose, InputPurpose::SkipFollowup(id));
    type_text(&mut app, "buyer asked not to be called");
    app.handle_key(Key::Enter);
    assert!(app.popups.is_empty());
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("Follow-up skipped")
    );
    let row = app.store().followup(id).unwrap().unwrap();
    assert_eq!(row.status, FollowupStatus::Skipped);
    assert_eq!(row.note, "buyer asked not to be called");
    assert!(app.today.items.iter().all(|i| i.followup_id != Some(id)));
}

#[test]
fn the_card_finishes_its_follow_up_and_shows_the_score() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    let id = first_followup(&app);
    app.handle_key(Key::Enter);
    app.handle_key(Key::Char('d'));
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("no form")
    };
    assert_eq!(f.purpose, FormPurpose::FinishFollowup { id });
    app.handle_key(Key::Tab);
    for _ in 0..5 {
        app.handle_key(Key::Right);
    }
    app.handle_key(Key::Enter);
    let c = top_card(&app);
    assert_eq!(c.satisfaction.latest, Some(5));
    assert!(c.satisfaction.count >= 1);
    let done = c.followups.iter().find(|f| f.id == id).unwrap();
    assert_eq!(done.status, FollowupStatus::Done);
    // It stays selected (so in view) where the re-read moved it.
    assert_eq!(c.followups[c.followup_selected].id, id);
    // Open ones first: the finished one comes after every open one.
    let first_closed = c
        .followups
        .iter()
        .position(|f| f.status != FollowupStatus::Open)
        .unwrap();
    assert!(
        c.followups[first_closed..]
            .iter()
            .all(|f| f.status != FollowupStatus::Open)
    );
    // Back on Today it is gone.
    app.handle_key(Key::Esc);
    assert!(app.today.items.iter().all(|i| i.followup_id != Some(id)));
}

#[test]
fn f_on_the_card_adds_a_follow_up_due_in_a_week() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "邵娜");
    app.handle_key(Key::Enter);
    let cid = top_card(&app).card.customer.id;
    let had = top_card(&app).followups.len();
    app.handle_key(Key::Char('f'));
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("no form")
    };
    assert_eq!(f.purpose, FormPurpose::AddFollowup { customer_id: cid });
    assert_eq!(f.field(0).value, "2025-12-08");
    // A date that is not one is refused in the form.
    app.handle_key(Key::Ctrl('u'));
    type_text(&mut app, "2025-13-01");
    app.handle_key(Key::Enter);
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("the form stays open")
    };
    assert!(f.error.is_some());
    app.handle_key(Key::Ctrl('u'));
    type_text(&mut app, "2025-12-05");
    app.handle_key(Key::Tab);
    app.handle_key(Key::Right); // the second reason
    app.handle_key(Key::Tab);
    type_text(&mut app, "问问杯子用得怎么样");
    app.handle_key(Key::Enter);
    let c = top_card(&app);
    assert_eq!(c.followups.len(), had + 1);
    let new = c
        .followups
        .iter()
        .find(|f| f.note == "问问杯子用得怎么样")
        .unwrap();
    assert_eq!(new.due, "2025-12-05");
    assert_eq!(new.status, FollowupStatus::Open);
    assert_eq!(new.reason, kehu::domain::followup::FollowupReason::ALL[1]);
}

#[test]
fn the_analysis_shows_satisfaction_by_category_and_month() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 80, 24);
    app.handle_key(Key::Char('3'));
    app.handle_key(Key::Char('a'));
    let Some(Popup::Analysis { satisfaction, .. }) = app.popups.last() else {
        panic!("no analysis")
    };
    let months: Vec<&str> = satisfaction
        .by_month
        .groups
        .iter()
        .map(|g| g.key.as_str())
        .collect();
    assert_eq!(
        months,
        ["2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
    );
    let quality = satisfaction
        .by_category
        .groups
        .iter()
        .find(|g| g.key == "quality")
        .unwrap();
    assert_eq!(quality.scores.mean, Some(2.0));
    // G reaches the last line: the monthly chart's.
    app.handle_key(Key::Char('G'));
    let Some(Popup::Analysis {
        stats,
        satisfaction,
        scroll,
        ..
    }) = app.popups.last()
    else {
        panic!("no analysis")
    };
    let lines = kehu::app::analysis_lines(stats, satisfaction);
    // 20 rows inside the popup at 80x24.
    assert!(lines > 20, "{lines} lines fit without scrolling");
    assert_eq!(usize::from(*scroll), lines - 20);
}

#[test]
fn c_on_today_or_the_points_tab_lists_the_campaigns() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    app.handle_key(Key::Char('c'));
    let Some(Popup::Campaigns(v)) = app.popups.last() else {
        panic!("no campaigns")
    };
    assert_eq!(v.reports.len(), 1);
    let r = &v.reports[0];
    assert_eq!(r.name, "双十一老客回购");
    assert_eq!(r.days, kehu::app::CAMPAIGN_DAYS);
    assert!(r.recipients > 0 && r.control > 0);
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('4'));
    app.handle_key(Key::Char('c'));
    assert!(matches!(app.popups.last(), Some(Popup::Campaigns(_))));
    app.update(Action::Back);
    assert!(app.popups.is_empty());
}

#[test]
fn d_on_the_card_from_another_list_picks_its_first_open_follow_up() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "邵娜");
    app.handle_key(Key::Enter);
    assert_eq!(top_card(&app).section, CardSection::Orders);
    let first_open = top_card(&app).followups[0].clone();
    assert_eq!(first_open.due, "2025-11-28", "the soonest due comes first");
    app.handle_key(Key::Char('K'));
    let Some(Popup::Input(i)) = app.popups.last() else {
        panic!("no box")
    };
    assert_eq!(i.purpose, InputPurpose::SkipFollowup(first_open.id));
    app.handle_key(Key::Esc);
    assert_eq!(top_card(&app).section, CardSection::Followups);
    // A customer without follow-ups: d says so.
    app.handle_key(Key::Esc);
    app.handle_key(Key::Char('/'));
    type_text(&mut app, "贺杰");
    app.handle_key(Key::Enter);
    assert!(top_card(&app).followups.is_empty());
    app.handle_key(Key::Char('d'));
    assert!(matches!(app.popups.last(), Some(Popup::Card(_))));
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("没有选中待回访的回访")
    );
}

/// `v` on the card records a score heard in a chat: one feedback record, the
/// card's latest score and mean follow it.
#[test]
fn the_card_records_a_score_heard_in_a_chat() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut app = serve_app(dir.path(), Lang::Zh, 100, 30);
    app.handle_key(Key::Enter);
    let cid = top_card(&app).card.customer.id;
    let before = app.store().feedback(Some(cid)).unwrap().len();
    app.handle_key(Key::Char('v'));
    let Some(Popup::Form(f)) = app.popups.last() else {
        panic!("no form")
    };
    assert_eq!(f.purpose, FormPurpose::AddFeedback { customer_id: cid });
    // 5 is first; two steps right is 3. Source: chat (first).
    app.handle_key(Key::Right);
    app.handle_key(Key::Right);
    app.handle_key(Key::Tab);
    app.handle_key(Key::Tab);
    type_text(&mut app, "说包装压坏了");
    app.handle_key(Key::Enter);
    assert!(
        !matches!(app.popups.last(), Some(Popup::Form(_))),
        "saved and closed"
    );
    let fb = app.store().feedback(Some(cid)).unwrap();
    assert_eq!(fb.len(), before + 1);
    assert_eq!((fb[0].score, fb[0].source.code()), (3, "chat"));
    assert_eq!(fb[0].text, "说包装压坏了");
    let c = top_card(&app);
    assert_eq!(c.satisfaction.latest, Some(3));
}
