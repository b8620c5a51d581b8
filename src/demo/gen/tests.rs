//! The generator's tests: determinism, well-formed and consistent reports,
//! realistic distributions, GBK cleanliness, speed.

use super::pool::nick_number;
use super::rng::{STREAM_NICK_IDS, det_exp, det_expm1, det_ln};
use super::*;
use crate::demo::names::{
    CITIES, COMPOUND_SURNAMES, COURIERS, GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL, MESSAGES,
    NICK_CJK, NICK_LATIN, PRODUCTS, REFUND_REASONS, REMARKS, STREETS, SURNAMES, UNPAID_REASONS,
};
use chrono::NaiveDate;
use encoding_rs::GBK;
use std::collections::{HashMap, HashSet};

fn opts(orders: u64, seed: u64) -> GenOptions {
    GenOptions {
        orders,
        seed,
        end: NaiveDate::from_ymd_opt(2024, 5, 20)
            .unwrap()
            .and_hms_opt(10, 30, 0)
            .unwrap(),
        span_days: 730,
        shop_name: "小美文具铺".to_string(),
    }
}

fn generate(o: &GenOptions) -> (Vec<u8>, Vec<u8>, GenSummary) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    let s = generate_taobao(o, &mut a, &mut b).unwrap();
    (a, b, s)
}

fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
    let (text, _, had_errors) = GBK.decode(bytes);
    assert!(!had_errors, "output is not valid GBK");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn fen(s: &str) -> i64 {
    let (y, f) = s.split_once('.').expect("two decimals");
    assert_eq!(f.len(), 2, "{s}");
    y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

fn formula(s: &str) -> &str {
    s.strip_prefix("=\"")
        .and_then(|s| s.strip_suffix('"'))
        .expect("=\"…\" cell")
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = generate(&opts(300, 7));
    let b = generate(&opts(300, 7));
    let c = generate(&opts(300, 8));
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
    assert_eq!(a.2, b.2);
    assert_ne!(a.0, c.0);
    assert_ne!(a.1, c.1);
}

#[test]
fn reports_are_well_formed_and_consistent() {
    let o = opts(3000, 42);
    let (ob, ib, summary) = generate(&o);

    // CRLF ends every record; bare LF only inside a quoted message.
    assert!(
        ob.windows(2)
            .filter(|w| w[0] == b'\r')
            .all(|w| w[1] == b'\n')
    );
    assert!(ob.ends_with(b"\r\n") && ib.ends_with(b"\r\n"));
    let (text, _, _) = GBK.decode(&ob);
    assert!(text.starts_with(ORDER_HEADER));
    let (itext, _, _) = GBK.decode(&ib);
    assert!(itext.starts_with(&format!("{ITEM_HEADER}\r\n")));

    let orders = parse(&ob);
    let items = parse(&ib);
    assert_eq!(orders[0].len(), 46);
    assert_eq!(orders[0][13], "收货地址 ");
    assert_eq!(items[0].len(), 10);
    let orders = &orders[1..];
    let items = &items[1..];
    assert_eq!(orders.len() as u64, o.orders);
    assert_eq!(summary.orders, o.orders);
    assert_eq!(items.len() as u64, summary.lines);

    let mut by_id: HashMap<String, &Vec<String>> = HashMap::new();
    let mut nicks = HashSet::new();
    let mut paid_sum = 0;
    let mut last_time = String::new();
    for r in orders {
        assert_eq!(r.len(), 46, "{r:?}");
        let id = formula(&r[0]);
        assert!((18..=19).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            by_id.insert(id.to_string(), r).is_none(),
            "duplicate id {id}"
        );
        nicks.insert(r[1].clone());
        assert!(r[16].starts_with('\'') && r[16].len() == 12, "{}", r[16]);
        assert!(r[17] >= last_time, "times must ascend");
        last_time = r[17].clone();
        assert_eq!(r[17].len(), 19);

        let goods = fen(&r[3]);
        let postage = fen(&r[4]);
        let total = fen(&r[6]);
        let paid = fen(&r[8]);
        let refund = fen(&r[44]);
        assert!([0, 600, 1000].contains(&postage));
        assert!([0, 200, 500, 1000].contains(&(goods + postage - total)));
        assert!(paid == total || paid == 0);
        assert_eq!(paid == 0, r[18].is_empty(), "pay time iff paid: {r:?}");
        assert!(refund <= paid);
        paid_sum += paid;

        let status = r[10].as_str();
        assert_eq!(status == "交易关闭", r[27] != "订单未关闭");
        match status {
            "交易成功" | "卖家已发货，等待买家确认" => {
                assert!(r[21].starts_with("=\"") && r[21].len() > 10);
                assert!(!r[22].is_empty());
            }
            "等待买家付款" | "买家已付款，等待卖家发货" => {
                assert!(r[21].is_empty() && r[22].is_empty());
                assert_eq!(refund, 0);
            }
            "交易关闭" => assert!(refund == paid),
            other => panic!("unexpected status {other}"),
        }
        assert_eq!(r[26], "小美文具铺");
        assert_eq!(r[29], "0元");
    }
    assert_eq!(
        last_time, "2024-05-20 10:30:00",
        "the newest order is `end`"
    );
    assert_eq!(paid_sum, summary.paid_fen);
    assert_eq!(nicks.len() as u64, summary.customers);

    let mut kinds: HashMap<&str, (u64, u64, i64, Vec<String>)> = HashMap::new();
    for r in items {
        assert_eq!(r.len(), 11, "{r:?}");
        assert_eq!(r[10], "", "trailing comma");
        let id = formula(&r[0]);
        let order = by_id.get(id).expect("item of a known order");
        assert_eq!(r[8], order[10], "item status mirrors the order");
        assert!(r[9].starts_with("SKU") && r[9].len() == 8);
        let qty: u64 = r[3].parse().unwrap();
        assert!((1..=3).contains(&qty));
        let e = kinds.entry(id).or_default();
        e.0 += 1;
        e.1 += qty;
        e.2 += fen(&r[2]) * qty as i64;
        e.3.push(r[1].clone());
    }
    assert_eq!(kinds.len(), orders.len());
    for (id, (n, qty, goods, titles)) in kinds {
        let order = by_id[id];
        assert_eq!(order[20], n.to_string());
        assert_eq!(order[24], qty.to_string());
        assert_eq!(fen(&order[3]), goods);
        assert_eq!(order[19], titles.join("，"));
    }
}

#[test]
fn distributions_look_like_a_real_shop() {
    let o = opts(6000, 3);
    let (ob, _, summary) = generate(&o);
    let text = GBK.decode(&ob).0;
    let orders = parse(&ob);
    let orders = &orders[1..];

    let ratio = summary.customers as f64 / o.orders as f64;
    assert!((0.25..0.45).contains(&ratio), "buyer ratio {ratio}");
    let mut per_buyer: HashMap<&str, u64> = HashMap::new();
    for r in orders {
        *per_buyer.entry(&r[1]).or_default() += 1;
    }
    let once = per_buyer.values().filter(|&&n| n == 1).count();
    assert!(once * 2 > per_buyer.len(), "most buy once");
    assert!(
        *per_buyer.values().max().unwrap() >= 24,
        "a few buy dozens of times"
    );

    // Old orders: mostly 交易成功, some 交易关闭.
    let old: Vec<_> = orders
        .iter()
        .filter(|r| r[17].as_str() < "2024-05-01")
        .collect();
    let share = |s: &str| old.iter().filter(|r| r[10] == s).count() as f64 / old.len() as f64;
    assert!((0.80..0.92).contains(&share("交易成功")));
    assert!((0.05..0.13).contains(&share("交易关闭")));
    let recent: Vec<_> = orders
        .iter()
        .filter(|r| r[17].as_str() >= "2024-05-19")
        .collect();
    assert!(recent.iter().all(|r| r[10] != "交易成功"));

    // Second receivers: some buyers ship to two names.
    let mut names: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in orders {
        names.entry(&r[1]).or_default().insert(&r[12]);
    }
    assert!(names.values().any(|s| s.len() == 2));

    // Awkward messages are present and survive as CSV.
    assert!(text.contains("\"\"蓝色\"\""));
    assert!(text.contains("不在家\n请放快递柜"));
    assert!(text.contains("? 好评返现吗"));
    assert!(orders.iter().any(|r| r[11].contains(',')));
    assert!(
        orders
            .iter()
            .any(|r| r[44] != "0.00" && r[10] == "交易成功")
    );
    assert!(orders.iter().any(|r| r[12].chars().count() == 2));
}

#[test]
fn tables_are_gbk_clean() {
    let mut all: Vec<&str> = vec![ORDER_HEADER, ITEM_HEADER];
    all.extend(PRODUCTS.iter().flat_map(|p| [p.title, p.sku]));
    all.extend(PRODUCTS.iter().flat_map(|p| p.attrs.iter().copied()));
    all.extend(CITIES.iter().flat_map(|c| [c.province, c.city]));
    all.extend(CITIES.iter().flat_map(|c| c.districts.iter().copied()));
    all.extend(STREETS);
    all.extend(SURNAMES.iter().map(|s| s.0));
    all.extend(COMPOUND_SURNAMES);
    all.extend(GIVEN_FEMALE);
    all.extend(GIVEN_MALE);
    all.extend(GIVEN_NEUTRAL);
    all.extend(NICK_CJK);
    all.extend(NICK_LATIN);
    all.extend(REMARKS);
    all.extend(REFUND_REASONS.iter().map(|s| s.0));
    all.extend(UNPAID_REASONS.iter().map(|s| s.0));
    all.extend(COURIERS.iter().map(|c| c.name));
    for s in all {
        let (_, _, unmappable) = GBK.encode(s);
        assert!(!unmappable, "{s} is not GBK");
    }
    let mut skus: Vec<_> = PRODUCTS.iter().map(|p| p.sku).collect();
    skus.sort_unstable();
    skus.dedup();
    assert_eq!(skus.len(), PRODUCTS.len());
}

#[test]
fn emoji_become_question_marks() {
    assert_eq!(GBK.decode(&to_gbk("好😊评❤️ ok")).0, "好?评?? ok");
    let bytes = to_gbk(MESSAGES[3].0);
    assert_eq!(GBK.decode(&bytes).0, "? 好评返现吗");
}

#[test]
fn nick_numbers_are_unique() {
    let key = derive(1, STREAM_NICK_IDS);
    let set: HashSet<u64> = (0..200_000).map(|i| nick_number(i, key)).collect();
    assert_eq!(set.len(), 200_000);
    assert!(set.iter().all(|&n| (100_000..100_000_000).contains(&n)));
}

#[test]
fn deterministic_math_is_close_to_std() {
    for &x in &[1e-12, 0.001, 0.5, 1.0, 1.5, 2.0, 10.0, 121.0, 1e9] {
        assert!((det_ln(x) - x.ln()).abs() < 1e-12, "ln {x}");
    }
    for &y in &[-50.0, -1.0, -1e-4, 0.0, 0.3, 2.0, 30.0] {
        let e: f64 = y;
        assert!((det_exp(y) / e.exp() - 1.0).abs() < 1e-13, "exp {y}");
        assert!((det_expm1(y) - e.exp_m1()).abs() <= 1e-13 * e.exp_m1().abs().max(1e-3));
    }
}

#[test]
fn tiny_and_empty_exports() {
    let (ob, ib, s) = generate(&opts(0, 1));
    assert_eq!(s, GenSummary::default());
    assert_eq!(parse(&ob).len(), 1);
    assert_eq!(parse(&ib).len(), 1);

    let (ob, _, s) = generate(&opts(1, 1));
    assert_eq!((s.orders, s.customers), (1, 1));
    assert_eq!(parse(&ob)[1][17], "2024-05-20 10:30:00");

    let mut o = opts(50, 9);
    o.span_days = 0;
    let (ob, _, s) = generate(&o);
    assert_eq!(s.orders, 50);
    assert!(
        parse(&ob)[1..]
            .iter()
            .all(|r| r[17] == "2024-05-20 10:30:00")
    );
}

#[test]
fn writes_named_files() {
    let dir = tempfile::tempdir().unwrap();
    let (op, ip, s) = write_taobao_files(&opts(100, 5), dir.path()).unwrap();
    assert_eq!(op.file_name().unwrap(), "ExportOrderList202405201030.csv");
    assert_eq!(
        ip.file_name().unwrap(),
        "ExportOrderDetailList202405201030.csv"
    );
    let (ob, ib, s2) = generate(&opts(100, 5));
    assert_eq!(s, s2);
    assert_eq!(std::fs::read(op).unwrap(), ob);
    assert_eq!(std::fs::read(ip).unwrap(), ib);
}

/// `cargo test --release --lib -- --ignored --nocapture million`
#[test]
#[ignore]
fn million_orders_speed() {
    let o = opts(1_000_000, 2024);
    let mut sizes = (CountingSink(0), CountingSink(0));
    let t = std::time::Instant::now();
    let s = generate_taobao(&o, &mut sizes.0, &mut sizes.1).unwrap();
    let dt = t.elapsed();
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|st| {
            st.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let rate = s.orders as f64 / dt.as_secs_f64();
    println!(
        "{s:?} in {dt:.2?} ({rate:.0} orders/s); {} + {} bytes; {hwm}",
        sizes.0.0, sizes.1.0
    );
    assert_eq!(s.orders, 1_000_000);
}

struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Regulars come back at their own rhythm for the same things, and some stop:
/// what the predictions and suggestions have to find.
#[test]
fn buyers_have_habits() {
    let o = opts(20_000, 11);
    let (ob, _, summary) = generate(&o);
    let orders = parse(&ob);
    let ratio = summary.customers as f64 / o.orders as f64;
    assert!((0.3..0.45).contains(&ratio), "buyer ratio {ratio}");
    let end = o.end.and_utc().timestamp();
    let mut by_buyer: HashMap<&str, Vec<(i64, &str)>> = HashMap::new();
    for r in &orders[1..] {
        let t = chrono::NaiveDateTime::parse_from_str(&r[17], "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .and_utc()
            .timestamp();
        by_buyer.entry(&r[1]).or_default().push((t, &r[19]));
    }
    let (mut regular_gaps, mut gaps, mut fav_orders, mut regular_orders) = (0, 0, 0, 0);
    let (mut regulars, mut stopped) = (0, 0);
    for list in by_buyer.values().filter(|l| l.len() >= 4) {
        regulars += 1;
        let mut g: Vec<i64> = list.windows(2).map(|w| w[1].0 - w[0].0).collect();
        g.sort_unstable();
        let median = g[g.len() / 2].max(1);
        gaps += g.len();
        regular_gaps += g
            .iter()
            .filter(|&&x| x * 2 >= median && x <= median * 2)
            .count();
        if end - list[list.len() - 1].0 > 4 * median {
            stopped += 1;
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (_, titles) in list {
            for t in titles.split('，') {
                *counts.entry(t).or_default() += 1;
            }
        }
        fav_orders += counts.values().max().unwrap();
        regular_orders += list.len();
    }
    assert!(regulars > 300, "{regulars} regulars");
    let steady = regular_gaps as f64 / gaps as f64;
    assert!(
        steady > 0.7,
        "only {steady} of gaps within half to twice the buyer's usual"
    );
    let loyal = fav_orders as f64 / regular_orders as f64;
    assert!(
        loyal > 0.45,
        "the favourite is in only {loyal} of a regular's orders"
    );
    let gone = stopped as f64 / regulars as f64;
    assert!((0.1..0.7).contains(&gone), "{gone} of regulars stopped");
}
