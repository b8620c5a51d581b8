//! `kehu analyse` checked against an independent computation on the sample
//! exports: the tests read the fixture CSV files themselves (GBK, `="…"`
//! order numbers), apply the valid-order rule (paid, shipped, completed) and
//! group by the month in the creation time (the exports write Beijing time),
//! and compare with what kehu prints. Segments and tiers must add up to
//! `kehu stats` and agree with the customers list's filters.

mod common;

use kehu::db::{CustomerQuery, Direction, Store};
use kehu::domain::segment::Segment;
use kehu::domain::tier::Tier;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

const SHOPS: [(&str, &str); 2] = [
    (
        "tests/fixtures/taobao/ExportOrderList202405201030.csv",
        "tests/fixtures/taobao/ExportOrderDetailList202405201030.csv",
    ),
    (
        "tests/fixtures/taobao/ExportOrderList202406011200.csv",
        "tests/fixtures/taobao/ExportOrderDetailList202406011200.csv",
    ),
];

/// A fixture's records as header → cell maps (GBK decoded, `="…"` and `'`
/// unwrapped, cells trimmed).
fn read_csv(path: &str) -> Vec<HashMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad, "{path} is GBK");
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, c)| {
                    let c = c.trim();
                    let c = c
                        .strip_prefix("=\"")
                        .and_then(|c| c.strip_suffix('"'))
                        .unwrap_or(c);
                    (h.clone(), c.to_string())
                })
                .collect()
        })
        .collect()
}

/// `238.80` → 23880.
fn fen(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap_or((s, "0"));
    let f = format!("{f:0<2}");
    y.parse::<i64>().unwrap() * 100 + f[..2].parse::<i64>().unwrap()
}

/// Taobao's status texts of a valid order (paid, shipped, completed).
fn valid(status: &str) -> bool {
    matches!(
        status,
        "买家已付款，等待卖家发货"
            | "卖家已发货，等待买家确认"
            | "卖家部分发货"
            | "买家已签收"
            | "交易成功"
    )
}

struct Order {
    no: String,
    buyer: String,
    month: String,
    valid: bool,
    paid: i64,
    refund: i64,
}

fn orders(path: &str) -> Vec<Order> {
    read_csv(path)
        .into_iter()
        .map(|r| Order {
            no: r["订单编号"].clone(),
            buyer: r["买家会员名"].clone(),
            month: r["订单创建时间"][..7].to_string(),
            valid: valid(&r["订单状态"]),
            paid: fen(&r["买家实际支付金额"]),
            refund: fen(&r["退款金额"]),
        })
        .collect()
}

fn kehu(db: &Path, args: &[&str]) -> std::process::Output {
    let out = common::kehu_cmd(db.parent().unwrap())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("KEHU_CONFIG", db.with_file_name("config.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    out
}

fn imported(dir: &Path, (orders, items): (&str, &str)) -> std::path::PathBuf {
    let db = dir.join("k.db");
    kehu(&db, &["import", orders, items]);
    db
}

fn analyse(db: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["analyse", "--json"];
    args.extend(extra);
    serde_json::from_slice(&kehu(db, &args).stdout).unwrap()
}

#[test]
fn months_match_the_exports() {
    for shop in SHOPS {
        let dir = tempfile::tempdir().unwrap();
        let db = imported(dir.path(), shop);
        let orders = orders(shop.0);
        // Each buyer's first valid month, over the whole export.
        let mut first: HashMap<&str, &str> = HashMap::new();
        for o in orders.iter().filter(|o| o.valid) {
            let f = first.entry(&o.buyer).or_insert(&o.month);
            if o.month.as_str() < *f {
                *f = &o.month;
            }
        }
        let mut want: BTreeMap<&str, Value> = BTreeMap::new();
        let months: BTreeSet<&str> = orders.iter().map(|o| o.month.as_str()).collect();
        for m in &months {
            let of = || orders.iter().filter(|o| o.month == *m);
            let buyers: BTreeSet<&str> =
                of().filter(|o| o.valid).map(|o| o.buyer.as_str()).collect();
            let new = buyers.iter().filter(|b| first[*b] == *m).count() as i64;
            want.insert(
                m,
                serde_json::json!({
                    "month": m,
                    "orders": of().count(),
                    "valid_orders": of().filter(|o| o.valid).count(),
                    "buyers": buyers.len(),
                    "new_buyers": new,
                    "returning_buyers": buyers.len() as i64 - new,
                    "paid_fen": of().map(|o| o.paid).sum::<i64>(),
                    "refund_fen": of().map(|o| o.refund).sum::<i64>(),
                }),
            );
        }
        let got = analyse(&db, &[]);
        let want_all: Vec<&Value> = want.values().collect();
        assert_eq!(
            got["months"].as_array().unwrap().iter().collect::<Vec<_>>(),
            want_all,
            "{shop:?}"
        );
        assert!(want.len() > 3, "the sample spans months");
        assert!(want.values().any(|m| m["returning_buyers"] != 0));

        // A range shows its months only; a buyer new before it is returning.
        let keys: Vec<&str> = want.keys().copied().collect();
        let (from, to) = (keys[2], keys[keys.len() - 2]);
        let got = analyse(&db, &["--from", from, "--to", to]);
        let want_range: Vec<&Value> = want.range(from..=to).map(|(_, v)| v).collect();
        assert_eq!(
            got["months"].as_array().unwrap().iter().collect::<Vec<_>>(),
            want_range
        );
    }
}

#[test]
fn repurchase_rate_matches_the_exports() {
    for shop in SHOPS {
        let dir = tempfile::tempdir().unwrap();
        let db = imported(dir.path(), shop);
        let mut valid_orders: HashMap<String, i64> = HashMap::new();
        for o in orders(shop.0).into_iter().filter(|o| o.valid) {
            *valid_orders.entry(o.buyer).or_default() += 1;
        }
        let buyers = valid_orders.len() as f64;
        let repeat = valid_orders.values().filter(|n| **n >= 2).count() as f64;
        let want = (repeat / buyers * 10_000.0).round() / 10_000.0;
        let got = analyse(&db, &[]);
        assert_eq!(got["repurchase_rate"].as_f64(), Some(want), "{shop:?}");
        assert!(want > 0.0 && want < 1.0);
        // The rate is over every order, whatever the range.
        let got = analyse(&db, &["--from", "2025-01", "--to", "2025-01"]);
        assert_eq!(got["repurchase_rate"].as_f64(), Some(want));
    }
}

#[test]
fn top_items_match_the_item_reports() {
    for shop in SHOPS {
        let dir = tempfile::tempdir().unwrap();
        let db = imported(dir.path(), shop);
        let orders = orders(shop.0);
        let by_no: HashMap<&str, &Order> = orders.iter().map(|o| (o.no.as_str(), o)).collect();
        // Complaints on two orders (one refunded or closed if there is one).
        let mut complained: Vec<&Order> = orders.iter().filter(|o| o.valid).take(1).collect();
        complained.extend(orders.iter().filter(|o| !o.valid && o.paid > 0).take(1));
        for o in &complained {
            kehu(
                &db,
                &[
                    "complaint",
                    "add",
                    &format!("taobao:{}", o.buyer),
                    "--order",
                    &o.no,
                    "--category",
                    "quality",
                    "--severity",
                    "low",
                    "--summary",
                    "broken",
                ],
            );
        }
        #[derive(Default, Debug)]
        struct Item {
            orders: BTreeSet<String>,
            quantity: i64,
            paid: i64,
            complaints: BTreeSet<String>,
        }
        let mut items: BTreeMap<String, Item> = BTreeMap::new();
        let lines = read_csv(shop.1);
        for l in &lines {
            let no = l["订单编号"].as_str();
            let Some(o) = by_no.get(no) else { continue };
            let title = l["标题"].clone();
            if complained.iter().any(|c| c.no == no) {
                items
                    .entry(title.clone())
                    .or_default()
                    .complaints
                    .insert(no.to_string());
            }
            if !o.valid {
                continue;
            }
            let qty: i64 = l["购买数量"].parse().unwrap();
            let it = items.entry(title).or_default();
            it.orders.insert(no.to_string());
            it.quantity += qty;
            it.paid += fen(&l["价格"]) * qty;
        }
        let mut want: Vec<(String, Item)> = items
            .into_iter()
            .filter(|(_, i)| !i.orders.is_empty())
            .collect();
        want.sort_by(|a, b| b.1.paid.cmp(&a.1.paid).then(a.0.cmp(&b.0)));
        want.truncate(20);
        let want: Vec<Value> = want
            .iter()
            .map(|(t, i)| {
                serde_json::json!({
                    "title": t,
                    "orders": i.orders.len(),
                    "quantity": i.quantity,
                    "paid_fen": i.paid,
                    "complaints": i.complaints.len(),
                })
            })
            .collect();
        let got = analyse(&db, &[]);
        assert_eq!(got["top_items"].as_array().unwrap(), &want, "{shop:?}");
        assert!(want.iter().any(|i| i["complaints"] != 0));
        assert!(want.len() >= 5);
    }
}

/// Every id of the customers list under `q`.
fn list_ids(store: &Store, q: &CustomerQuery) -> BTreeSet<i64> {
    store
        .customers_page(q, None, Direction::Down, true, 1_000_000)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[test]
fn segments_and_tiers_add_up_to_stats_and_the_customers_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), SHOPS[0]);
    let got = analyse(&db, &[]);
    let stats: Value = serde_json::from_slice(&kehu(&db, &["stats", "--json"]).stdout).unwrap();
    let net = stats["paid_fen"].as_i64().unwrap() - stats["refund_fen"].as_i64().unwrap();
    common::pin_clock();
    let store = Store::open(&db).unwrap();
    let base = CustomerQuery::default();
    for (key, name) in [("segments", "segment"), ("tiers", "tier")] {
        let groups = got[key].as_array().unwrap();
        let sum = |f: &str| groups.iter().map(|g| g[f].as_i64().unwrap()).sum::<i64>();
        assert_eq!(
            sum("customers"),
            stats["customers"].as_i64().unwrap(),
            "{key}"
        );
        assert_eq!(sum("net_fen"), net, "{key}");
        assert_eq!(groups.len(), if key == "segments" { 8 } else { 4 });
        for g in groups {
            let code = g[name].as_str().unwrap();
            let q = if key == "segments" {
                CustomerQuery {
                    segment: Segment::parse(code),
                    ..base
                }
            } else {
                CustomerQuery {
                    tier: Tier::parse(code),
                    ..base
                }
            };
            assert_eq!(
                g["customers"].as_i64(),
                Some(list_ids(&store, &q).len() as i64),
                "{key} {code}"
            );
        }
    }
}

#[test]
fn analyse_creates_no_database_and_refuses_a_bad_month() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let out = common::kehu_cmd(dir.path())
        .args(["analyse", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!db.exists());
    let db = imported(dir.path(), SHOPS[0]);
    for bad in [
        &["--from", "2025-13"][..],
        &["--to", "25-01"],
        &["--from", "2025-03", "--to", "2025-01"],
    ] {
        let out = common::kehu_cmd(dir.path())
            .arg("--db")
            .arg(&db)
            .arg("analyse")
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
}
