//! Douyin and JD rows on inline strings: each quirk, and orders gathered
//! from their rows wherever they are in the file.

use super::*;
use crate::domain::OrderStatus;
use crate::import::Reason;

fn rows_of(bytes: &[u8], platform: Option<Platform>) -> Vec<Row> {
    let mut r = ReportReader::open(bytes, platform).unwrap();
    let mut out = vec![];
    while let Some(row) = r.next_row().unwrap() {
        out.push(row);
    }
    out
}

fn orders(rows: &[Row]) -> Vec<&OrderRecord> {
    rows.iter()
        .filter_map(|r| match r {
            Row::Order(o) => Some(o.as_ref()),
            _ => None,
        })
        .collect()
}

const DY: &str = "\u{FEFF}主订单编号,子订单编号,选购商品,商品规格,商品数量,商品单价,订单应付金额,运费,收件人,收件人手机号,省,市,区,街道,详细地址,订单提交时间,支付完成时间,订单状态,售后状态,买家留言,商家备注\n";

#[allow(clippy::too_many_arguments)]
fn dy_row(
    main: &str,
    sub: &str,
    title: &str,
    qty: u32,
    price: &str,
    paid: &str,
    phone: &str,
    status: &str,
    after: &str,
) -> String {
    format!(
        "\"\t{main}\",\"\t{sub}\",\"\t{title}\",\"\t颜色:蓝\",{qty},{price},{paid},0.00,\"\t张三\",\"\t{phone}\",广东省,深圳市,南山区,粤海街道,\"\t科技园1号\",2024/03/05 10:01:02,2024/03/05 10:01:30,{status},{after},-,-\n"
    )
}

#[test]
fn douyin_rows_of_one_order_make_one_order_with_its_lines() {
    let text = format!(
        "{DY}{}{}",
        dy_row(
            "6917926768823643751",
            "6917926768823643752",
            "笔记本",
            2,
            "9.90",
            "19.80",
            "13812341234",
            "已完成",
            "-"
        ),
        dy_row(
            "6917926768823643751",
            "6917926768823643753",
            "钢笔",
            1,
            "30.00",
            "28.00",
            "13812341234",
            "已完成",
            "-"
        ),
    );
    let rows = rows_of(text.as_bytes(), None);
    let os = orders(&rows);
    assert_eq!(os.len(), 1, "{rows:?}");
    let o = os[0];
    assert_eq!(o.order_no, "6917926768823643751");
    assert_eq!(o.paid_fen, 4780, "paid = sum of 订单应付金额");
    assert_eq!(o.goods_fen, 4980);
    assert_eq!((o.item_qty, o.item_kinds), (3, 2));
    assert_eq!(o.status, OrderStatus::Completed);
    assert_eq!(o.buyer_key, "张三|1234|广东省深圳市南山区粤海街道科技园1号");
    assert_eq!(o.message, "", "`-` is empty");
    assert_eq!(o.created_at, "2024-03-05 10:01:02");
    let subs: Vec<&str> = o.lines.iter().map(|l| l.sub_order_no.as_str()).collect();
    assert_eq!(subs, ["6917926768823643752", "6917926768823643753"]);
    assert_eq!(
        (o.lines[0].title.as_str(), o.lines[0].props.as_str()),
        ("笔记本", "颜色:蓝")
    );
    assert_eq!((o.lines[1].price_fen, o.lines[1].qty), (3000, 1));
    assert_eq!(o.lines[1].line, 3);
}

#[test]
fn douyin_masked_and_encrypted_fields_are_kept_and_never_identity() {
    let text = format!(
        "{DY}{}{}",
        dy_row(
            "1001",
            "1001",
            "笔记本",
            1,
            "9.90",
            "9.90",
            "138****1234",
            "待发货",
            "-"
        ),
        dy_row(
            "1002",
            "1002",
            "笔记本",
            1,
            "9.90",
            "9.90",
            "$$Aa8f3kQ1234$$",
            "待发货",
            "-"
        ),
    );
    let rows = rows_of(text.as_bytes(), None);
    let os = orders(&rows);
    assert_eq!(os[0].phone, "138****1234");
    assert_eq!(os[1].phone, "$$Aa8f3kQ1234$$");
    assert_eq!(os[0].buyer_key, "张三||广东省深圳市南山区粤海街道科技园1号");
    assert_eq!(os[1].buyer_key, os[0].buyer_key);
    assert_eq!(os[0].status, OrderStatus::Paid);
}

#[test]
fn douyin_rows_apart_in_the_file_still_make_one_order() {
    let text = format!(
        "{DY}{}{}{}",
        dy_row(
            "2001",
            "2002",
            "笔记本",
            1,
            "9.90",
            "9.90",
            "13812341234",
            "已发货",
            "-"
        ),
        dy_row(
            "3001",
            "3001",
            "尺子",
            1,
            "3.00",
            "3.00",
            "13812341234",
            "已发货",
            "-"
        ),
        dy_row(
            "2001",
            "2003",
            "钢笔",
            1,
            "30.00",
            "30.00",
            "13812341234",
            "已发货",
            "-"
        ),
    );
    let rows = rows_of(text.as_bytes(), None);
    let os = orders(&rows);
    let nos: Vec<&str> = os.iter().map(|o| o.order_no.as_str()).collect();
    assert_eq!(nos, ["2001", "3001"], "in the place of the first row");
    assert_eq!(os[0].paid_fen, 3990);
    assert_eq!(os[0].lines.len(), 2);
    assert_eq!(os[0].title, "笔记本，钢笔");
}

/// With a first reading of the file, an order whose rows stand together goes
/// out as soon as they end; one whose rows stand apart is held to the end.
#[test]
fn a_first_reading_holds_only_the_orders_apart() {
    let text = format!(
        "{DY}{}{}{}{}",
        dy_row(
            "2001",
            "2002",
            "笔记本",
            1,
            "9.90",
            "9.90",
            "13812341234",
            "已发货",
            "-"
        ),
        dy_row(
            "3001",
            "3002",
            "尺子",
            1,
            "3.00",
            "3.00",
            "13812341234",
            "已发货",
            "-"
        ),
        dy_row(
            "3001",
            "3003",
            "尺子",
            1,
            "3.00",
            "3.00",
            "13812341234",
            "已发货",
            "-"
        ),
        dy_row(
            "2001",
            "2003",
            "钢笔",
            1,
            "30.00",
            "30.00",
            "13812341234",
            "已发货",
            "-"
        ),
    );
    let mut r = ReportReader::open(text.as_bytes(), None).unwrap();
    r.scan_apart(text.as_bytes()).unwrap();
    let mut got = vec![];
    while let Some(Row::Order(o)) = r.next_row().unwrap() {
        got.push((o.order_no.clone(), o.paid_fen, o.lines.len()));
    }
    assert_eq!(
        got,
        [("3001".to_string(), 600, 2), ("2001".to_string(), 3990, 2)]
    );
}

#[test]
fn douyin_a_line_given_twice_counts_once() {
    let r = dy_row(
        "2001",
        "2002",
        "笔记本",
        1,
        "9.90",
        "9.90",
        "13812341234",
        "已发货",
        "-",
    );
    let later = dy_row(
        "2001",
        "2002",
        "笔记本",
        1,
        "9.90",
        "9.90",
        "13812341234",
        "已完成",
        "-",
    );
    let rows = rows_of(format!("{DY}{r}{later}").as_bytes(), None);
    let os = orders(&rows);
    assert_eq!((os[0].paid_fen, os[0].lines.len()), (990, 1));
    assert_eq!(os[0].status, OrderStatus::Completed, "the later row stands");
}

#[test]
fn douyin_refunds_only_when_the_money_went_back() {
    let text = format!(
        "{DY}{}{}{}{}{}",
        // One line refunded, the other completed: completed with a refund.
        dy_row(
            "4001",
            "4002",
            "笔记本",
            1,
            "10.00",
            "10.00",
            "13812341234",
            "已完成",
            "-"
        ),
        dy_row(
            "4001",
            "4003",
            "钢笔",
            1,
            "20.00",
            "20.00",
            "13812341234",
            "已关闭",
            "退款成功"
        ),
        // Every line closed and refunded: refunded.
        dy_row(
            "5001",
            "5001",
            "钢笔",
            1,
            "20.00",
            "20.00",
            "13812341234",
            "已关闭",
            "已退款"
        ),
        // An after-sale under way is no refund.
        dy_row(
            "6001",
            "6001",
            "钢笔",
            1,
            "20.00",
            "20.00",
            "13812341234",
            "已发货",
            "售后中"
        ),
        // Closed before payment, nothing went back.
        dy_row(
            "7001",
            "7001",
            "钢笔",
            1,
            "20.00",
            "20.00",
            "13812341234",
            "已关闭",
            "-"
        ),
    );
    let rows = rows_of(text.as_bytes(), None);
    let got: Vec<(OrderStatus, i64, i64)> = orders(&rows)
        .iter()
        .map(|o| (o.status, o.paid_fen, o.refund_fen))
        .collect();
    assert_eq!(
        got,
        [
            (OrderStatus::Completed, 3000, 2000),
            (OrderStatus::Refunded, 2000, 2000),
            (OrderStatus::Shipped, 2000, 0),
            (OrderStatus::Closed, 2000, 0),
        ]
    );
}

#[test]
fn douyin_a_bad_row_rejects_its_whole_order() {
    let text = format!(
        "{DY}{}{}{}",
        dy_row(
            "8001",
            "8002",
            "笔记本",
            1,
            "9.90",
            "9.90",
            "13812341234",
            "已完成",
            "-"
        ),
        dy_row(
            "8001",
            "8003",
            "钢笔",
            1,
            "30.00",
            "三十",
            "13812341234",
            "已完成",
            "-"
        ),
        dy_row(
            "9001",
            "9001",
            "尺子",
            1,
            "3.00",
            "3.00",
            "13812341234",
            "已完成",
            "-"
        ),
    );
    let rows = rows_of(text.as_bytes(), None);
    assert_eq!(orders(&rows).len(), 1);
    let rejected: Vec<(u64, &Reason)> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Rejected(r) => Some((r.line, &r.reason)),
            _ => None,
        })
        .collect();
    assert_eq!(rejected.len(), 2, "{rows:?}");
    assert!(matches!(rejected[1], (3, Reason::NotMoney { .. })));
    assert_eq!(
        rejected[0],
        (
            2,
            &Reason::SiblingRejected {
                order_no: "8001".into(),
                line: 3
            }
        )
    );
    let Row::Rejected(sib) = &rows[0] else {
        panic!("{rows:?}")
    };
    assert!(
        sib.raw.contains("8002"),
        "kept with its raw text: {}",
        sib.raw
    );
}

const JD: &str = "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,应付金额,订单状态,下单帐号,客户姓名,客户地址,联系电话,运费金额,付款确认时间,订单完成时间\n";

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

#[test]
fn jd_rows_count_the_order_amount_once_and_key_by_account() {
    let t = "\t";
    let text = format!(
        "{JD}\
         300000001{t},100001{t},笔记本{t},2{t},在线支付{t},2024-03-05 10:01:02{t},9.90{t},49.80{t},49.80{t},49.80{t},(锁定)等待出库{t},jd_zhang{t},张三{t},北京 朝阳区 三里屯1号{t},138****1234{t},0.00{t},2024-03-05 10:02:00{t},{t}\n\
         300000001{t},100002{t},钢笔{t},1{t},在线支付{t},2024-03-05 10:01:02{t},30.00{t},49.80{t},49.80{t},49.80{t},(锁定)等待出库{t},jd_zhang{t},张三{t},北京 朝阳区 三里屯1号{t},138****1234{t},0.00{t},2024-03-05 10:02:00{t},{t}\n\
         300000002{t},100002{t},钢笔{t},1{t},在线支付{t},2024-03-06 10:01:02{t},30.00{t},30.00{t},30.00{t},30.00{t},已取消{t},jd_li{t},李四{t},上海 浦东新区{t},13900001111{t},0.00{t},{t},{t}\n"
    );
    let rows = rows_of(&gbk(&text), None);
    let os = orders(&rows);
    assert_eq!(os.len(), 2, "{rows:?}");
    let a = os[0];
    assert_eq!(
        (a.order_no.as_str(), a.buyer_key.as_str()),
        ("300000001", "jd_zhang")
    );
    assert_eq!((a.paid_fen, a.total_fen), (4980, 4980), "counted once");
    assert_eq!(
        (a.status, a.status_raw.as_str()),
        (OrderStatus::Paid, "(锁定)等待出库")
    );
    assert_eq!((a.lines.len(), a.item_qty), (2, 3));
    assert_eq!(a.lines[1].merchant_code, "100002");
    let b = os[1];
    assert_eq!(
        (b.status, b.paid_fen, b.refund_fen),
        (OrderStatus::Closed, 0, 0),
        "never paid"
    );
}

#[test]
fn jd_cancelled_after_payment_is_refunded() {
    let text = format!(
        "{JD}300000003,100002,钢笔,1,在线支付,2024-03-06 10:01:02,30.00,30.00,30.00,30.00,已取消,jd_li,李四,上海 浦东新区,13900001111,0.00,2024-03-06 10:02:00,\n"
    );
    let rows = rows_of(&gbk(&text), None);
    let o = orders(&rows)[0];
    assert_eq!(
        (o.status, o.paid_fen, o.refund_fen),
        (OrderStatus::Refunded, 3000, 3000)
    );
}

#[test]
fn platform_option_picks_the_preset() {
    let text = format!(
        "{DY}{}",
        dy_row(
            "1001",
            "1001",
            "笔记本",
            1,
            "9.90",
            "9.90",
            "13812341234",
            "待发货",
            "-"
        )
    );
    assert_eq!(
        orders(&rows_of(text.as_bytes(), Some(Platform::Douyin))).len(),
        1
    );
    assert!(ReportReader::open(text.as_bytes(), Some(Platform::Jd)).is_err());
}
