//! A later export of an order kehu already holds: what it may change and what
//! it may not. A blank, placeholder (`-`, `--`, `无`) or masked cell never
//! replaces a stored value; status and money follow the stale-row rule.

mod common;

use kehu::db::{ImportOptions, OrderDetail, Store};
use kehu::import::ReportReader;

const HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,退款金额\n";
const ORDER_NO: &str = "3900000000000000001";

/// The cells of one order row that the tests vary.
#[derive(Clone)]
struct Row {
    order_no: &'static str,
    status: &'static str,
    paid: &'static str,
    message: &'static str,
    name: &'static str,
    address: &'static str,
    phone: &'static str,
    created: &'static str,
}

const FIRST: Row = Row {
    order_no: ORDER_NO,
    status: "买家已付款，等待卖家发货",
    paid: "88.00",
    message: "请发顺丰",
    name: "张三",
    address: "上海市 浦东新区 世纪大道1号",
    phone: "13812341234",
    created: "2025-11-20 10:00:00",
};

fn csv(rows: &[Row]) -> String {
    let mut s = HEADER.to_string();
    for r in rows {
        s.push_str(&format!(
            "{},买家甲,{},\"{}\",{},{},{},{},{},0\n",
            r.order_no, r.paid, r.status, r.message, r.name, r.address, r.phone, r.created
        ));
    }
    s
}

fn import(store: &mut Store, rows: &[Row]) {
    let text = csv(rows);
    let reader = ReportReader::open(text.as_bytes(), None).unwrap();
    store
        .import_report("m.csv", reader, ImportOptions::default(), &mut |_| {})
        .unwrap();
}

/// The first export, then a later one with `later`.
fn after(later: Row) -> (Store, OrderDetail) {
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &[FIRST]);
    import(&mut store, &[later]);
    let d = detail(&store, ORDER_NO);
    (store, d)
}

fn detail(store: &Store, order_no: &str) -> OrderDetail {
    let cid = store.resolve_customer("taobao:买家甲").unwrap().unwrap();
    let card = store.customer_card(cid, 100).unwrap().unwrap();
    let id = card
        .recent_orders
        .iter()
        .find(|o| o.order_no == order_no)
        .unwrap()
        .id;
    store.order_detail(id).unwrap().unwrap()
}

/// The later export moves the order on (shipped), so it is not stale.
fn later() -> Row {
    Row {
        status: "卖家已发货，等待买家确认",
        ..FIRST
    }
}

const BLANKS: [&str; 4] = ["", "-", "--", "无"];

#[test]
fn a_blank_receiver_name_keeps_the_stored_one() {
    common::pin_clock();
    for blank in BLANKS {
        let (store, d) = after(Row {
            name: blank,
            ..later()
        });
        let r = d.receiver.expect("receiver kept");
        assert_eq!(r.name, "张三", "{blank:?}");
        assert_eq!(r.phone, "13812341234");
        assert_eq!(d.order.status, "shipped");
        let cid = store.resolve_customer("taobao:买家甲").unwrap().unwrap();
        assert_eq!(store.customer(cid).unwrap().unwrap().name, "张三");
    }
}

#[test]
fn a_blank_phone_keeps_the_stored_one() {
    common::pin_clock();
    for blank in BLANKS {
        let (store, d) = after(Row {
            phone: blank,
            ..later()
        });
        assert_eq!(d.receiver.unwrap().phone, "13812341234", "{blank:?}");
        let cid = store.resolve_customer("taobao:买家甲").unwrap().unwrap();
        assert_eq!(store.customer(cid).unwrap().unwrap().phone, "13812341234");
    }
}

#[test]
fn a_masked_phone_never_replaces_the_full_one() {
    common::pin_clock();
    let (store, d) = after(Row {
        phone: "138****1234",
        ..later()
    });
    assert_eq!(d.receiver.unwrap().phone, "13812341234");
    let cid = store.resolve_customer("taobao:买家甲").unwrap().unwrap();
    assert_eq!(store.customer(cid).unwrap().unwrap().phone, "13812341234");
    // A full phone still replaces a masked one.
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        &[Row {
            phone: "138****1234",
            ..FIRST
        }],
    );
    import(&mut store, &[later()]);
    assert_eq!(
        detail(&store, ORDER_NO).receiver.unwrap().phone,
        "13812341234"
    );
}

#[test]
fn a_blank_address_keeps_the_stored_one() {
    common::pin_clock();
    for blank in BLANKS {
        let (_, d) = after(Row {
            address: blank,
            ..later()
        });
        assert_eq!(
            d.receiver.unwrap().address,
            "上海市 浦东新区 世纪大道1号",
            "{blank:?}"
        );
    }
}

#[test]
fn a_blank_message_keeps_the_stored_one() {
    common::pin_clock();
    for blank in BLANKS {
        let (_, d) = after(Row {
            message: blank,
            ..later()
        });
        assert_eq!(d.message, "请发顺丰", "{blank:?}");
    }
}

#[test]
fn every_receiver_cell_blank_keeps_the_receiver() {
    common::pin_clock();
    let (store, d) = after(Row {
        name: "",
        phone: "",
        address: "",
        message: "",
        ..later()
    });
    let r = d.receiver.expect("receiver kept");
    assert_eq!(
        (r.name.as_str(), r.phone.as_str(), r.address.as_str()),
        ("张三", "13812341234", "上海市 浦东新区 世纪大道1号")
    );
    assert_eq!(d.message, "请发顺丰");
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn filled_cells_still_replace_and_status_and_money_follow_the_row() {
    common::pin_clock();
    let (_, d) = after(Row {
        status: "交易成功",
        paid: "90.00",
        message: "改发中通",
        name: "李四",
        ..later()
    });
    assert_eq!(d.message, "改发中通");
    assert_eq!(d.receiver.unwrap().name, "李四");
    assert_eq!(d.order.status, "completed");
    assert_eq!(d.order.paid_fen, 9000);
    // An older row (lower status) changes nothing at all.
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        &[Row {
            status: "交易成功",
            ..FIRST
        }],
    );
    import(
        &mut store,
        &[Row {
            paid: "1.00",
            message: "旧留言",
            ..FIRST
        }],
    );
    let d = detail(&store, ORDER_NO);
    assert_eq!(d.order.status, "completed");
    assert_eq!(d.order.paid_fen, 8800);
    assert_eq!(d.message, "请发顺丰");
}

/// A new order whose receiver cells are blank or masked does not blank out
/// the name and phone the customers list shows.
#[test]
fn a_later_order_with_blank_cells_keeps_the_customers_name_and_phone() {
    common::pin_clock();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &[FIRST]);
    import(
        &mut store,
        &[Row {
            order_no: "3900000000000000002",
            name: "",
            phone: "138****1234",
            created: "2025-11-25 10:00:00",
            ..FIRST
        }],
    );
    let cid = store.resolve_customer("taobao:买家甲").unwrap().unwrap();
    let c = store.customer(cid).unwrap().unwrap();
    assert_eq!((c.name.as_str(), c.phone.as_str()), ("张三", "13812341234"));
    assert_eq!(c.orders, 2);
}
