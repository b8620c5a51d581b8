//! Property: random order changes fed through the loader, redemptions and
//! adjustments keep the ledger consistent.

mod common;

use kehu::db::{ImportOptions, Refused, Store};
use kehu::domain::OrderStatus;
use kehu::domain::points::points_for_order;
use kehu::domain::tier::TierThresholds;
use kehu::import::ReportReader;
use proptest::prelude::*;

const TB_HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,\"收货地址 \",联系手机,订单创建时间,\"订单付款时间 \",退款金额\n";
const STATUSES: [&str; 5] = [
    "等待买家付款",
    "买家已付款，等待卖家发货",
    "卖家已发货，等待买家确认",
    "交易成功",
    "交易关闭",
];
const BUYERS: [&str; 3] = ["甲小猫", "乙mm", "丙happy"];

#[derive(Debug, Clone)]
enum Op {
    /// (order index, buyer index, status index, paid fen, refund fen): a later
    /// export may name another buyer for the same order.
    Import(Vec<(usize, usize, usize, i64, i64)>),
    Redeem(usize, i64),
    Adjust(usize, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => prop::collection::vec((0..6usize, 0..3usize, 0..5usize, 0..50_000i64, 0..20_000i64), 1..5)
            .prop_map(Op::Import),
        1 => (0..3usize, 1..600i64).prop_map(|(b, n)| Op::Redeem(b, n)),
        1 => (0..3usize, -600..600i64).prop_map(|(b, n)| Op::Adjust(b, n)),
    ]
}

fn csv(rows: &[(usize, usize, usize, i64, i64)]) -> String {
    let mut s = TB_HEADER.to_string();
    let mut seen = std::collections::HashSet::new();
    for &(o, b, st, paid, refund) in rows {
        if !seen.insert(o) {
            continue;
        }
        s.push_str(&format!(
            "{},{},{}.{:02},{},,张三,上海,13800001234,2024-05-0{} 10:00:00,,{}.{:02}\n",
            900_000_000_000_000_000u64 + o as u64,
            BUYERS[b],
            paid / 100,
            paid % 100,
            STATUSES[st],
            o + 1,
            refund / 100,
            refund % 100
        ));
    }
    s
}

fn import(store: &mut Store, text: &str) {
    let reader = ReportReader::open(text.as_bytes(), None).unwrap();
    store
        .import_report("p.csv", reader, ImportOptions::default(), &mut |_| {})
        .unwrap();
}

fn balance(store: &Store, id: i64) -> i64 {
    store
        .points_balance(id, &TierThresholds::default())
        .unwrap()
        .unwrap()
        .balance
}

fn ids(store: &Store) -> Vec<i64> {
    BUYERS
        .iter()
        .filter_map(|b| store.resolve_customer(&format!("taobao:{b}")).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn ledger_stays_consistent(ops in prop::collection::vec(op(), 1..12)) {
        common::pin_clock();
        let mut store = Store::open_in_memory().unwrap();
        for op in ops {
            match op {
                Op::Import(rows) => {
                    let text = csv(&rows);
                    import(&mut store, &text);
                    let n = store.ledger_page(None, 0, usize::MAX).unwrap().len();
                    import(&mut store, &text);
                    prop_assert_eq!(store.ledger_page(None, 0, usize::MAX).unwrap().len(), n);
                }
                Op::Redeem(b, n) | Op::Adjust(b, n) => {
                    let Some(id) = store.resolve_customer(&format!("taobao:{}", BUYERS[b])).unwrap() else { continue };
                    let before = balance(&store, id);
                    let r = if matches!(op, Op::Redeem(..)) {
                        store.redeem_points(id, n, "prop")
                    } else {
                        store.adjust_points(id, n, "prop")
                    };
                    let delta = if matches!(op, Op::Redeem(..)) { -n } else { n };
                    match r {
                        Ok(after) => {
                            prop_assert!(after >= 0 || delta > 0);
                            prop_assert_eq!(after, before + delta);
                            prop_assert!(delta > 0 || before + delta >= 0);
                        }
                        Err(e) => {
                            prop_assert!(e.downcast_ref::<Refused>().is_some());
                            prop_assert!(delta == 0 || before + delta < 0);
                            prop_assert_eq!(balance(&store, id), before);
                        }
                    }
                }
            }
            // balance = sum of entries, and the running balance ends there
            for id in ids(&store) {
                let entries = store.ledger_page(Some(id), 0, usize::MAX).unwrap();
                let sum: i64 = entries.iter().map(|e| e.delta).sum();
                prop_assert_eq!(balance(&store, id), sum);
                if let Some(last) = entries.last() {
                    prop_assert_eq!(last.balance, sum);
                }
                // every order's earn/reverse sum is the Rust rule
                let card = store.customer_card(id, 100).unwrap().unwrap();
                for o in &card.recent_orders {
                    let st = OrderStatus::from_code(&o.status).unwrap();
                    let got: i64 = entries
                        .iter()
                        .filter(|e| e.ref_order_id == Some(o.id) && (e.kind == "earn" || e.kind == "reverse"))
                        .map(|e| e.delta)
                        .sum();
                    prop_assert_eq!(got, points_for_order(st, o.paid_fen, o.refund_fen, 1));
                }
            }
            let problems = store.check().unwrap().problems;
            // a buyer left without orders (they moved to another) is no problem
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }
}
