//! Campaigns in the store: picks against the pure segment rule, the control
//! group seeded and rounded down, blacklisted buyers never picked, and the
//! report's responders and revenue against a plain reading of the orders.

mod common;

use kehu::db::Actor;
use kehu::domain::segment::{Segment, SegmentRules};
use kehu::domain::tier::TierThresholds;
use kehu::domain::time::{parse_stored, pin_now};
use kehu::model::{CampaignFilters, NewCampaign};
use std::collections::HashSet;

#[test]
fn a_campaign_picks_holds_back_and_reports_what_came_back() {
    let _clock = common::lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::sample_store(dir.path());
    let (seg, tiers) = (SegmentRules::default(), TierThresholds::default());
    // The campaign goes out on 2025-11-01; orders after it count for 14 days.
    pin_now(parse_stored("2025-11-01 10:00:00"));
    let wanted = [Segment::New, Segment::Loyal];
    let new = NewCampaign {
        name: "双十一老客回购".into(),
        filters: CampaignFilters {
            segments: wanted.to_vec(),
            ..CampaignFilters::default()
        },
        template: "{name} 您好，送您 {coupon}".into(),
        coupon: "满100减10".into(),
        control_pct: 20,
        seed: 7,
        at: None,
    };
    // Blacklist one buyer the filters pick.
    let would = store.campaign_picks(&new.filters, &seg, &tiers).unwrap();
    let banned = would[3].0;
    store.blacklist(banned, "恶意退款", Actor::Cli).unwrap();
    let id = store.create_campaign(&new, &seg, &tiers).unwrap();
    let c = store.campaign(id).unwrap();

    // The picks, by the pure rule over every customer row.
    let conn = rusqlite::Connection::open(dir.path().join("kehu.db")).unwrap();
    let now = parse_stored("2025-11-01 10:00:00").unwrap();
    let mut st = conn
        .prepare(
            "SELECT id, platform || ':' || buyer_key, valid_orders, paid_fen, refund_fen, last_valid_at, blacklisted FROM customers",
        )
        .unwrap();
    let picked: HashSet<String> = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                kehu::domain::segment::CustomerFacts {
                    valid_orders: r.get(2)?,
                    paid_fen: r.get(3)?,
                    refund_fen: r.get(4)?,
                    last_valid_at: r
                        .get::<_, Option<String>>(5)?
                        .as_deref()
                        .and_then(parse_stored),
                },
                r.get::<_, bool>(6)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .filter(|(_, facts, black)| !black && wanted.contains(&Segment::of(facts, now, &seg)))
        .map(|(key, ..)| key)
        .collect();
    assert!(
        picked.len() >= 10,
        "the sample has enough new and loyal buyers"
    );
    let got: HashSet<String> = c.recipients.iter().chain(&c.control).cloned().collect();
    assert_eq!(got, picked);
    assert_eq!(c.control.len(), picked.len() * 20 / 100);
    let banned_key: String = conn
        .query_row(
            "SELECT platform || ':' || buyer_key FROM customers WHERE id = ?",
            [banned],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!got.contains(&banned_key));

    // The same seed holds the same buyers back.
    let again = store.create_campaign(&new, &seg, &tiers).unwrap();
    assert_eq!(store.campaign(again).unwrap().control, c.control);
    let other = store
        .create_campaign(
            &NewCampaign {
                seed: 8,
                ..new.clone()
            },
            &seg,
            &tiers,
        )
        .unwrap();
    assert_ne!(store.campaign(other).unwrap().control, c.control);

    // The report against the orders themselves.
    let responded = |key: &String| -> (bool, i64) {
        let (n, paid): (i64, i64) = conn
            .query_row(
                "SELECT count(*), coalesce(sum(o.paid_fen), 0) FROM orders o JOIN customers c ON c.id = o.customer_id
                 WHERE c.platform || ':' || c.buyer_key = ? AND o.created_at > '2025-11-01 10:00:00'
                   AND o.created_at <= '2025-11-15 10:00:00' AND o.status IN ('paid', 'shipped', 'completed')",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        (n > 0, paid)
    };
    let r = store.campaign_report(id, 14).unwrap();
    let resp: Vec<(bool, i64)> = c.recipients.iter().map(responded).collect();
    let ctrl: Vec<(bool, i64)> = c.control.iter().map(responded).collect();
    let yes = |v: &[(bool, i64)]| v.iter().filter(|x| x.0).count() as i64;
    assert_eq!(r.recipients, c.recipients.len() as i64);
    assert_eq!(r.control, c.control.len() as i64);
    assert_eq!(r.responders, yes(&resp));
    assert_eq!(r.control_responders, yes(&ctrl));
    assert_eq!(r.revenue_fen, resp.iter().map(|x| x.1).sum::<i64>());
    assert!(
        r.responders > 0,
        "some buyers came back in the sample: {r:?}"
    );
    let rate = (r.responders as f64 / r.recipients as f64 * 10_000.0).round() / 10_000.0;
    assert_eq!(r.response_rate, Some(rate));
    assert_eq!(
        r.lift,
        Some(((rate - r.control_rate.unwrap()) * 10_000.0).round() / 10_000.0)
    );
    assert_eq!(store.campaigns().unwrap().len(), 3);
    assert!(store.campaign_report(999, 14).is_err());
}
