//! Today in the store, section by section, against plain readings of the
//! same data: follow-ups due, complaints past target, buyers who just
//! slipped, reorders due by each buyer's own rhythm, points about to expire.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use kehu::db::{Actor, Store};
use kehu::domain::complaint::Sla;
use kehu::domain::followup::FollowupReason;
use kehu::domain::segment::SegmentRules;
use kehu::domain::time::{parse_stored, pin_now};
use kehu::model::NewFollowup;
use std::collections::{BTreeMap, BTreeSet};

fn now() -> NaiveDateTime {
    parse_stored(common::NOW).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Every customer's valid order times, oldest first, and their blacklisting.
fn valid_orders(db: &std::path::Path) -> BTreeMap<i64, (bool, Vec<NaiveDateTime>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare(
            "SELECT c.id, c.blacklisted, o.created_at FROM orders o JOIN customers c ON c.id = o.customer_id
             WHERE o.status IN ('paid', 'shipped', 'completed') ORDER BY c.id, o.created_at",
        )
        .unwrap();
    let mut out: BTreeMap<i64, (bool, Vec<NaiveDateTime>)> = BTreeMap::new();
    for row in st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap()
    {
        let (id, black, at) = row.unwrap();
        let e = out.entry(id).or_default();
        e.0 = black;
        e.1.push(parse_stored(&at).unwrap());
    }
    out
}

#[test]
fn today_lists_what_a_seller_would_find_by_hand() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kehu.db");
    let mut store = common::sample_store(dir.path());
    let rules = SegmentRules::default();
    let sla = Sla::default();

    // Follow-ups: due yesterday and today are listed, tomorrow's not, done not.
    let who = store.lookup("贺杰", 1, false).unwrap()[0].id;
    let add = |store: &mut Store, due: &str| {
        store
            .add_followup(
                &NewFollowup {
                    customer_id: who,
                    order_no: None,
                    due: day(due),
                    reason: FollowupReason::Vip,
                    note: String::new(),
                },
                Actor::Cli,
            )
            .unwrap()
    };
    let late = add(&mut store, "2025-11-30");
    let due = add(&mut store, "2025-12-01");
    add(&mut store, "2025-12-02");
    let done = add(&mut store, "2025-11-20");
    store.finish_followup(done, "好", None, Actor::Cli).unwrap();

    // A complaint four days old is past the 72-hour target; one made now is not.
    pin_now(Some(now() - Duration::days(4)));
    let old = common::add_sample_complaint(&mut store, "邵娜");
    common::pin_clock();
    common::add_sample_complaint(&mut store, "贺杰");

    let t = store.today(&sla, &rules, 0).unwrap();
    assert_eq!(t.date, "2025-12-01");
    let ids: Vec<i64> = t.followups.iter().map(|f| f.id).collect();
    assert_eq!(ids, [late, due]);
    let overdue: Vec<i64> = t
        .complaints_overdue
        .iter()
        .map(|c| c.complaint_id)
        .collect();
    assert_eq!(overdue, [old]);
    assert_eq!(
        t.complaints_overdue[0].hours_over,
        96 - sla.resolution_hours
    );
    assert!(
        t.points_expiring.is_empty(),
        "points never expire by default"
    );

    // Slipping and reorders against the orders themselves.
    let orders = valid_orders(&db);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let value = |id: i64| -> i64 {
        conn.query_row(
            "SELECT paid_fen - refund_fen FROM customers WHERE id = ?",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    let edge = now() - Duration::days(rules.recent_days);
    let want_slipping: BTreeSet<i64> = orders
        .iter()
        .filter(|(id, (black, at))| {
            let last = *at.last().unwrap();
            !black
                && last < edge
                && last >= edge - Duration::days(7)
                && value(**id) >= rules.high_value_fen
        })
        .map(|(id, _)| *id)
        .collect();
    let got: BTreeSet<i64> = t.slipping.iter().map(|s| s.who.customer_id).collect();
    assert_eq!(got, want_slipping);

    let want_reorders: BTreeSet<i64> = orders
        .iter()
        .filter(|(_, (black, at))| {
            if *black || at.len() < 3 {
                return false;
            }
            let mut gaps: Vec<i64> = at.windows(2).map(|w| (w[1] - w[0]).num_seconds()).collect();
            gaps.sort();
            let n = gaps.len();
            let med = if n % 2 == 1 {
                gaps[n / 2]
            } else {
                (gaps[n / 2 - 1] + gaps[n / 2]) / 2
            };
            let since = (now() - *at.last().unwrap()).num_seconds();
            med > 0 && since >= med && 2 * since <= 3 * med
        })
        .map(|(id, _)| *id)
        .collect();
    let got: BTreeSet<i64> = t.reorders.iter().map(|r| r.who.customer_id).collect();
    assert_eq!(got, want_reorders);
    assert!(
        !want_reorders.is_empty() || !want_slipping.is_empty(),
        "the sample shows at least one buyer to call back"
    );
}

/// Points expiring within 30 days are what `points expire` would take if
/// run 30 days later. (Points are earned when imported: the day comes six
/// months after the import, less ten days.)
#[test]
fn expiring_points_are_what_expiry_would_take_in_30_days() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let store = common::sample_store(dir.path());
    let then = now() + Duration::days(173);
    pin_now(Some(then));
    let t = store
        .today(&Sla::default(), &SegmentRules::default(), 6)
        .unwrap();
    let got: BTreeMap<i64, i64> = t
        .points_expiring
        .iter()
        .map(|e| (e.who.customer_id, e.points))
        .collect();
    assert!(
        !got.is_empty(),
        "the sample's points expire within the month"
    );
    let none = store
        .today(&Sla::default(), &SegmentRules::default(), 12)
        .unwrap();
    assert!(none.points_expiring.is_empty(), "not under a 12-month rule");
    drop(store);

    pin_now(Some(then + Duration::days(30)));
    let mut later = Store::open(&dir.path().join("kehu.db")).unwrap();
    later.expire_points(6).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("kehu.db")).unwrap();
    let mut st = conn
        .prepare(
            "SELECT customer_id, -delta FROM ledger WHERE kind = 'expire' ORDER BY customer_id",
        )
        .unwrap();
    let want: BTreeMap<i64, i64> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    common::pin_clock();
    // Today shows the biggest first, at most a section's worth.
    if want.len() <= kehu::db::TODAY_SECTION_MAX {
        assert_eq!(got, want);
    } else {
        assert!(got.iter().all(|(id, p)| want.get(id) == Some(p)));
    }
}
