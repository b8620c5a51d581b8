//! RFM segments on a varied shop imported through kehu: the list filter's SQL
//! predicate and the customers export select exactly the customers the pure
//! rule (`Segment::of`) puts in each segment, with R and F counting valid
//! orders only (paid, shipped, completed).

mod common;

use kehu::db::{CustomerQuery, CustomerSort, Direction, ExportScope, ImportOptions, Store};
use kehu::domain::segment::{CustomerFacts, Segment, SegmentRules};
use kehu::domain::tier::TierThresholds;
use kehu::domain::time;
use kehu::import::ReportReader;
use std::collections::{BTreeMap, BTreeSet};

const HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,退款金额\n";

/// (buyer, status, paid yuan, refund yuan, created). `common::NOW` is
/// 2025-12-01 09:00:00: the 90-day window starts 2025-09-02 09:00:00.
const ORDERS: &[(&str, &str, &str, &str, &str)] = &[
    // The best buyer of old, whose only recent order is unpaid ¥0.00.
    ("老主顾", "交易成功", "300.00", "0", "2025-01-05 10:00:00"),
    ("老主顾", "交易成功", "300.00", "0", "2025-02-05 10:00:00"),
    ("老主顾", "交易成功", "300.00", "0", "2025-03-05 10:00:00"),
    ("老主顾", "等待买家付款", "0.00", "0", "2025-11-30 10:00:00"),
    // A recent buyer with one paid order.
    (
        "新客",
        "买家已付款，等待卖家发货",
        "20.00",
        "0",
        "2025-11-20 10:00:00",
    ),
    // Only a closed order: no purchase at all.
    ("只关闭", "交易关闭", "0.00", "0", "2025-11-25 10:00:00"),
    // Valuable long ago; recently a refunded order.
    ("退款近", "交易成功", "600.00", "0", "2024-06-01 10:00:00"),
    (
        "退款近",
        "交易关闭",
        "100.00",
        "100.00",
        "2025-11-10 10:00:00",
    ),
    // Three small recent purchases.
    ("常客", "交易成功", "50.00", "0", "2025-10-01 10:00:00"),
    (
        "常客",
        "卖家已发货，等待买家确认",
        "50.00",
        "0",
        "2025-11-01 10:00:00",
    ),
    (
        "常客",
        "买家已付款，等待卖家发货",
        "50.00",
        "0",
        "2025-11-28 10:00:00",
    ),
    // One big recent order.
    ("大单", "交易成功", "800.00", "0", "2025-11-02 10:00:00"),
    // Two big recent orders.
    ("顶级", "交易成功", "400.00", "0", "2025-10-02 10:00:00"),
    ("顶级", "交易成功", "400.00", "0", "2025-11-02 10:00:00"),
    // Two small old orders.
    ("流失中", "交易成功", "30.00", "0", "2024-10-02 10:00:00"),
    ("流失中", "交易成功", "30.00", "0", "2024-11-02 10:00:00"),
    // One recent purchase and a recent unpaid order: not frequent.
    ("一单半", "交易成功", "30.00", "0", "2025-11-01 10:00:00"),
    (
        "一单半",
        "等待买家付款",
        "30.00",
        "0",
        "2025-11-29 10:00:00",
    ),
    // Exactly at the start of the window: recent.
    ("踩线", "交易成功", "10.00", "0", "2025-09-02 09:00:00"),
    // A second before it, then closed orders after: not recent.
    ("差一秒", "交易成功", "10.00", "0", "2025-09-02 08:59:59"),
    ("差一秒", "交易关闭", "10.00", "0", "2025-11-02 08:59:59"),
    ("差一秒", "交易关闭", "10.00", "0", "2025-11-03 08:59:59"),
];

fn csv() -> String {
    let mut s = HEADER.to_string();
    for (i, (buyer, status, paid, refund, created)) in ORDERS.iter().enumerate() {
        s.push_str(&format!(
            "{},{buyer},{paid},{status},张三,上海市,138000012{:02},{created},{refund}\n",
            4_100_000_000_000_000_000u64 + i as u64,
            i
        ));
    }
    s
}

fn store() -> Store {
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    let text = csv();
    let reader = ReportReader::open(text.as_bytes(), None).unwrap();
    store
        .import_report("seg.csv", reader, ImportOptions::default(), &mut |_| {})
        .unwrap();
    store
}

fn fen(yuan: &str) -> i64 {
    kehu::domain::parse_fen(yuan).unwrap().map_or(0, |f| f.0)
}

/// Each buyer's segment by the pure rule, from the orders above (not from kehu).
fn expected() -> BTreeMap<String, Segment> {
    let mut facts: BTreeMap<String, CustomerFacts> = BTreeMap::new();
    for (buyer, status, paid, refund, created) in ORDERS {
        let f = facts.entry(buyer.to_string()).or_insert(CustomerFacts {
            valid_orders: 0,
            paid_fen: 0,
            refund_fen: 0,
            last_valid_at: None,
        });
        f.paid_fen += fen(paid);
        f.refund_fen += fen(refund);
        let valid = !matches!(*status, "等待买家付款" | "交易关闭");
        if valid {
            f.valid_orders += 1;
            f.last_valid_at = f.last_valid_at.max(time::parse_stored(created));
        }
    }
    let now = time::beijing_now();
    facts
        .into_iter()
        .map(|(b, f)| (b, Segment::of(&f, now, &SegmentRules::default())))
        .collect()
}

#[test]
fn the_rule_counts_valid_orders_only() {
    common::pin_clock();
    let e = expected();
    assert_eq!(e["老主顾"], Segment::AtRisk);
    assert_eq!(e["新客"], Segment::New);
    assert_eq!(e["只关闭"], Segment::Dormant);
    assert_eq!(e["退款近"], Segment::WinBack);
    assert_eq!(e["常客"], Segment::Loyal);
    assert_eq!(e["大单"], Segment::Promising);
    assert_eq!(e["顶级"], Segment::Top);
    assert_eq!(e["流失中"], Segment::Slipping);
    assert_eq!(e["一单半"], Segment::New);
    assert_eq!(e["踩线"], Segment::New);
    assert_eq!(e["差一秒"], Segment::Dormant);
}

#[test]
fn list_filter_selects_exactly_the_rules_customers() {
    common::pin_clock();
    let store = store();
    let expected = expected();
    for sort in [CustomerSort::LastOrder, CustomerSort::Paid] {
        let mut seen = 0;
        for &seg in Segment::ALL {
            let q = CustomerQuery {
                sort,
                segment: Some(seg),
                ..CustomerQuery::default()
            };
            let got: BTreeSet<String> = store
                .customers_page(&q, None, Direction::Down, false, 1000)
                .unwrap()
                .into_iter()
                .map(|c| c.nick)
                .collect();
            let want: BTreeSet<String> = expected
                .iter()
                .filter(|(_, s)| **s == seg)
                .map(|(b, _)| b.clone())
                .collect();
            assert_eq!(got, want, "{sort:?} {seg:?}");
            seen += got.len();
        }
        assert_eq!(seen, expected.len(), "each customer in exactly one segment");
    }
}

#[test]
fn export_filter_and_column_follow_the_rule() {
    common::pin_clock();
    let store = store();
    let expected = expected();
    let mut all = BTreeMap::new();
    store
        .export_customers(&ExportScope::all(), &TierThresholds::default(), &mut |c| {
            all.insert(c.nick.clone(), c.segment);
            Ok(())
        })
        .unwrap();
    assert_eq!(all, expected);
    for &seg in Segment::ALL {
        let scope = ExportScope {
            segment: Some(seg),
            ..ExportScope::all()
        };
        let mut got = BTreeSet::new();
        store
            .export_customers(&scope, &TierThresholds::default(), &mut |c| {
                got.insert(c.nick.clone());
                Ok(())
            })
            .unwrap();
        let want: BTreeSet<String> = expected
            .iter()
            .filter(|(_, s)| **s == seg)
            .map(|(b, _)| b.clone())
            .collect();
        assert_eq!(got, want, "{seg:?}");
    }
}

/// A later export that turns a buyer's valid order into a refunded one moves
/// the buyer: the loader keeps the valid-order aggregates up to date.
#[test]
fn a_later_refund_moves_the_buyer() {
    common::pin_clock();
    let mut store = store();
    let late = format!(
        "{HEADER}{},大单,800.00,交易关闭,张三,上海市,13800001211,2025-11-02 10:00:00,800.00\n",
        4_100_000_000_000_000_000u64 + 11
    );
    let reader = ReportReader::open(late.as_bytes(), None).unwrap();
    store
        .import_report("late.csv", reader, ImportOptions::default(), &mut |_| {})
        .unwrap();
    let q = CustomerQuery {
        segment: Some(Segment::Dormant),
        ..CustomerQuery::default()
    };
    let dormant: BTreeSet<String> = store
        .customers_page(&q, None, Direction::Down, false, 1000)
        .unwrap()
        .into_iter()
        .map(|c| c.nick)
        .collect();
    assert!(dormant.contains("大单"), "{dormant:?}");
    assert!(store.check().unwrap().problems.is_empty());
}
