//! Follow-ups (回访) and feedback in the store: planning by the rules, once
//! and only once per task, against a plain reading of the orders; finishing
//! with a satisfaction writes exactly one feedback record; refusals write
//! nothing.

mod common;

use chrono::{Duration, NaiveDate};
use kehu::db::{Actor, Store};
use kehu::domain::followup::{FeedbackSource, FollowupReason, FollowupStatus, Rule};
use kehu::domain::segment::{Segment, SegmentRules};
use kehu::domain::tier::{Tier, TierThresholds};
use kehu::model::{FollowupFilter, NewFeedback, NewFollowup};

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(&common::NOW[..10], "%Y-%m-%d").unwrap()
}

/// The after-order tasks a seller would list by hand: completed orders of
/// buyers not blacklisted, due `days` after payment, no older than
/// `lookback` days before today.
fn expected_after_order(db: &std::path::Path, days: i64, lookback: i64) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare(
            "SELECT o.id, o.status, coalesce(o.paid_at, o.created_at), c.blacklisted
             FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id",
        )
        .unwrap();
    let rows: Vec<(i64, String, String, bool)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.into_iter()
        .filter(|(_, status, paid, black)| {
            let paid = NaiveDate::parse_from_str(&paid[..10], "%Y-%m-%d").unwrap();
            status == "completed"
                && !black
                && paid + Duration::days(days) >= today() - Duration::days(lookback)
        })
        .map(|(id, ..)| id)
        .collect()
}

fn open_count(store: &Store) -> usize {
    store
        .followups(
            FollowupFilter {
                open_only: true,
                ..FollowupFilter::default()
            },
            100_000,
        )
        .unwrap()
        .len()
}

#[test]
fn planning_makes_each_task_once_as_the_rules_say() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let tiers = TierThresholds::default();
    let seg = SegmentRules::default();
    let rule = Rule::AfterOrder {
        days: 7,
        min_tier: None,
        lookback_days: 30,
    };
    let want = expected_after_order(&dir.path().join("kehu.db"), 7, 30);
    assert!(want.len() > 5, "the sample has recent completed orders");

    let dry = store
        .plan_followups(std::slice::from_ref(&rule), &tiers, &seg, true)
        .unwrap();
    assert_eq!(dry.created as usize, want.len());
    assert_eq!(open_count(&store), 0, "a dry run writes nothing");

    let made = store
        .plan_followups(std::slice::from_ref(&rule), &tiers, &seg, false)
        .unwrap();
    assert_eq!(made.created as usize, want.len());
    assert_eq!(made.by_rule["after-order"] as usize, want.len());
    let tasks = store.followups(FollowupFilter::default(), 100_000).unwrap();
    assert_eq!(tasks.len(), want.len());
    // Ordered by due date, then id; each due 7 days after its order's payment.
    assert!(
        tasks
            .windows(2)
            .all(|w| (&w[0].due, w[0].id) <= (&w[1].due, w[1].id))
    );
    assert!(
        tasks
            .iter()
            .all(|t| t.rule.as_deref() == Some("after-order")
                && t.reason == FollowupReason::AfterSale
                && t.order_no.is_some())
    );

    // Again: nothing new. Done or skipped: still nothing new.
    let again = store
        .plan_followups(std::slice::from_ref(&rule), &tiers, &seg, false)
        .unwrap();
    assert_eq!(again.created, 0);
    store
        .finish_followup(tasks[0].id, "买家说很好", Some(5), Actor::Cli)
        .unwrap();
    store
        .skip_followup(tasks[1].id, "联系不上", Actor::Cli)
        .unwrap();
    let after = store
        .plan_followups(std::slice::from_ref(&rule), &tiers, &seg, false)
        .unwrap();
    assert_eq!(after.created, 0);
    assert_eq!(open_count(&store), want.len() - 2);

    // A tier floor keeps only buyers at that tier or above.
    let dir2 = tempfile::tempdir().unwrap();
    let mut store2 = common::sample_store(dir2.path());
    let silver = Rule::AfterOrder {
        days: 7,
        min_tier: Some(Tier::Silver),
        lookback_days: 30,
    };
    let vip = store2
        .plan_followups(&[silver], &tiers, &seg, false)
        .unwrap();
    assert!(vip.created as usize <= want.len());
    for t in store2
        .followups(FollowupFilter::default(), 100_000)
        .unwrap()
    {
        let b = store2
            .points_balance(t.customer_id, &tiers)
            .unwrap()
            .unwrap();
        assert!(b.tier >= Tier::Silver, "{t:?} {b:?}");
        assert_eq!(t.reason, FollowupReason::Vip);
    }

    // A segment rule: every at-risk buyer once, and not again within its period.
    let at_risk = Rule::Segment {
        segment: Segment::AtRisk,
        every_days: 30,
    };
    let first = store2
        .plan_followups(std::slice::from_ref(&at_risk), &tiers, &seg, false)
        .unwrap();
    let second = store2
        .plan_followups(std::slice::from_ref(&at_risk), &tiers, &seg, false)
        .unwrap();
    assert_eq!(second.created, 0);
    assert_eq!(
        first.by_rule.get("segment:at-risk").copied().unwrap_or(0),
        first.created
    );
}

#[test]
fn finishing_with_a_score_writes_one_feedback_and_refusals_write_nothing() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let cid = store.lookup("贺杰", 1, false).unwrap()[0].id;
    let card = store.customer_card(cid, 1).unwrap().unwrap();
    let order = card.recent_orders[0].order_no.clone();
    let id = store
        .add_followup(
            &NewFollowup {
                customer_id: cid,
                order_no: Some(order.clone()),
                due: today(),
                reason: FollowupReason::AfterSale,
                note: "问问杯子用得怎样".into(),
            },
            Actor::Cli,
        )
        .unwrap();
    let before = store.feedback(None).unwrap().len();

    // Refused, nothing written: an unknown customer, a score outside 1–5.
    let bad = NewFollowup {
        customer_id: 999_999,
        order_no: None,
        due: today(),
        reason: FollowupReason::Custom,
        note: String::new(),
    };
    assert!(store.add_followup(&bad, Actor::Cli).is_err());
    assert!(store.finish_followup(id, "x", Some(6), Actor::Cli).is_err());
    assert_eq!(
        store.followup(id).unwrap().unwrap().status,
        FollowupStatus::Open
    );

    store
        .finish_followup(id, "买家满意", Some(4), Actor::Cli)
        .unwrap();
    let done = store.followup(id).unwrap().unwrap();
    assert_eq!(done.status, FollowupStatus::Done);
    assert_eq!(done.satisfaction, Some(4));
    let fb = store.feedback(Some(cid)).unwrap();
    assert_eq!(store.feedback(None).unwrap().len(), before + 1);
    assert_eq!(fb[0].score, 4);
    assert_eq!(fb[0].source, FeedbackSource::Followup);
    assert_eq!(fb[0].order_no.as_deref(), Some(order.as_str()));

    // Done twice is refused; skipping a done task too.
    assert!(
        store
            .finish_followup(id, "again", Some(5), Actor::Cli)
            .is_err()
    );
    assert!(store.skip_followup(id, "x", Actor::Cli).is_err());
    assert_eq!(store.feedback(None).unwrap().len(), before + 1);

    // Feedback by hand.
    store
        .add_feedback(&NewFeedback {
            customer_id: cid,
            order_no: None,
            score: 2,
            source: FeedbackSource::Review,
            text: "物流慢".into(),
            at: None,
        })
        .unwrap();
    assert_eq!(store.feedback(Some(cid)).unwrap().len(), 2);
    assert!(
        store
            .add_feedback(&NewFeedback {
                customer_id: cid,
                order_no: None,
                score: 0,
                source: FeedbackSource::Chat,
                text: String::new(),
                at: None,
            })
            .is_err()
    );
}

/// A complaint closed with a satisfaction writes one feedback record (source
/// complaint); giving it again replaces the score, it does not add a record.
#[test]
fn a_complaint_closed_with_a_score_is_one_feedback_record() {
    let _clock = common::lock_clock();
    use kehu::db::ComplaintMove;
    use kehu::domain::complaint::ComplaintStatus;
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let id = common::add_sample_complaint(&mut store, "贺杰");
    let before = store.feedback(None).unwrap().len();
    store
        .move_complaint(id, &ComplaintMove::to(ComplaintStatus::Resolved))
        .unwrap();
    assert_eq!(store.feedback(None).unwrap().len(), before);
    let mut close = ComplaintMove::to(ComplaintStatus::Closed);
    close.satisfaction = Some(2);
    store.move_complaint(id, &close).unwrap();
    let fb = store.feedback(None).unwrap();
    assert_eq!(fb.len(), before + 1);
    assert_eq!((fb[0].score, fb[0].source), (2, FeedbackSource::Complaint));
    let mut rate = ComplaintMove::to(ComplaintStatus::Closed);
    rate.satisfaction = Some(4);
    store.move_complaint(id, &rate).unwrap();
    let fb = store.feedback(None).unwrap();
    assert_eq!(fb.len(), before + 1);
    assert_eq!(fb[0].score, 4);
}

/// Satisfaction overall and grouped, against scores added by hand at known
/// times: counts, means (2 decimals), low shares (4 decimals), keys in order.
#[test]
fn satisfaction_groups_by_month_source_category_segment_and_tier() {
    let _clock = common::lock_clock();
    use kehu::db::ComplaintMove;
    use kehu::domain::complaint::ComplaintStatus;
    use kehu::domain::time::{parse_stored, pin_now};
    use kehu::model::SatisfactionBy;
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let a = store.lookup("贺杰", 1, false).unwrap()[0].id;
    let b = store.lookup("邵娜", 1, false).unwrap()[0].id;
    let add = |store: &mut Store, at: &str, who: i64, score: i64, source: FeedbackSource| {
        pin_now(parse_stored(at));
        store
            .add_feedback(&NewFeedback {
                customer_id: who,
                order_no: None,
                score,
                source,
                text: String::new(),
                at: None,
            })
            .unwrap();
    };
    add(
        &mut store,
        "2025-10-15 10:00:00",
        a,
        5,
        FeedbackSource::Review,
    );
    add(
        &mut store,
        "2025-10-16 10:00:00",
        a,
        1,
        FeedbackSource::Chat,
    );
    add(
        &mut store,
        "2025-11-20 10:00:00",
        b,
        4,
        FeedbackSource::Survey,
    );
    common::pin_clock();
    let k = common::add_sample_complaint(&mut store, "贺杰");
    store
        .move_complaint(k, &ComplaintMove::to(ComplaintStatus::Resolved))
        .unwrap();
    let mut close = ComplaintMove::to(ComplaintStatus::Closed);
    close.satisfaction = Some(2);
    store.move_complaint(k, &close).unwrap();

    let (seg, tiers) = (SegmentRules::default(), TierThresholds::default());
    let table = |by| -> Vec<(String, i64, Option<f64>, Option<f64>)> {
        let s = store.satisfaction(by, &seg, &tiers).unwrap();
        assert_eq!(s.overall.count, 4);
        assert_eq!(s.overall.mean, Some(3.0));
        assert_eq!(s.overall.low_share, Some(0.5));
        s.groups
            .into_iter()
            .map(|g| (g.key, g.scores.count, g.scores.mean, g.scores.low_share))
            .collect()
    };
    let row = |k: &str, n, m, l| (k.to_string(), n, Some(m), Some(l));
    assert_eq!(
        table(SatisfactionBy::Month),
        [
            row("2025-10", 2, 3.0, 0.5),
            row("2025-11", 1, 4.0, 0.0),
            row("2025-12", 1, 2.0, 1.0)
        ]
    );
    assert_eq!(
        table(SatisfactionBy::Source),
        [
            row("chat", 1, 1.0, 1.0),
            row("complaint", 1, 2.0, 1.0),
            row("review", 1, 5.0, 0.0),
            row("survey", 1, 4.0, 0.0)
        ]
    );
    assert_eq!(
        table(SatisfactionBy::Category),
        [row("none", 3, 3.33, 0.3333), row("quality", 1, 2.0, 1.0)]
    );
    for by in [SatisfactionBy::Segment, SatisfactionBy::Tier] {
        let t = table(by);
        assert_eq!(t.iter().map(|g| g.1).sum::<i64>(), 4);
        assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "{t:?}");
    }
}
