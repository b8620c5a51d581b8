//! An order that a later export gives to another buyer takes its points along:
//! the former buyer's earn entries for it are reversed and the new buyer earns
//! them, and `kehu check` accepts the buyer left without orders.

mod common;

use kehu::db::{ImportOptions, Store};
use kehu::domain::tier::TierThresholds;
use kehu::import::ReportReader;

const HEADER: &str =
    "订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间\n";

fn import(store: &mut Store, buyer: &str, status: &str) {
    let text = format!(
        "{HEADER}900000000000000004,{buyer},100.00,{status},张三,上海,13800001234,2025-11-05 10:00:00\n"
    );
    let reader = ReportReader::open(text.as_bytes(), None).unwrap();
    store
        .import_report("m.csv", reader, ImportOptions::default(), &mut |_| {})
        .unwrap();
}

fn balance(store: &Store, buyer: &str) -> i64 {
    let id = store
        .resolve_customer(&format!("taobao:{buyer}"))
        .unwrap()
        .unwrap();
    store
        .points_balance(id, &TierThresholds::default())
        .unwrap()
        .unwrap()
        .balance
}

#[test]
fn a_completed_order_moving_to_another_buyer_moves_its_points() {
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "甲小猫", "交易成功");
    assert_eq!(balance(&store, "甲小猫"), 100);
    import(&mut store, "乙mm", "交易成功");
    assert_eq!(balance(&store, "甲小猫"), 0);
    assert_eq!(balance(&store, "乙mm"), 100);
    let problems = store.check().unwrap().problems;
    assert!(problems.is_empty(), "{problems:?}");
    // Back again, and again nothing is awarded twice.
    import(&mut store, "甲小猫", "交易成功");
    import(&mut store, "甲小猫", "交易成功");
    assert_eq!(balance(&store, "甲小猫"), 100);
    assert_eq!(balance(&store, "乙mm"), 0);
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn an_unpaid_order_moving_to_another_buyer_leaves_a_buyer_check_accepts() {
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "甲小猫", "等待买家付款");
    import(&mut store, "乙mm", "等待买家付款");
    let problems = store.check().unwrap().problems;
    assert!(problems.is_empty(), "{problems:?}");
}
