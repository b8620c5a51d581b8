//! A deterministic Douyin 抖店 order export (the standard 54-column report,
//! UTF-8 with a BOM, ids and text quoted with a leading tab, `-` for empty,
//! one row per 子订单) for the demo's second shop: a small shop opened some
//! months ago, a few of whose buyers also buy in the Taobao shop under the
//! same receiver name, full phone and address.

use super::rng::{Rng, derive};
use crate::demo::names::{
    CITIES, GIVEN_FEMALE, GIVEN_MALE, PHONE_PREFIXES, PRODUCTS, STREETS, SURNAMES,
};
use chrono::{Duration, NaiveDateTime};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const STREAM_DOUYIN: u64 = 21;

/// The standard 抖店 order export header (54 columns).
pub(crate) const DOUYIN_HEADER: &str = "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品单价,订单应付金额,运费,优惠总金额,平台优惠,商家优惠,达人优惠,支付优惠,红包抵扣,手续费,收件人,收件人手机号,省,市,区,街道,详细地址,是否修改过地址,买家留言,订单提交时间,流量来源,流量类型,流量渠道,流量体裁,达人ID,达人昵称,所属门店ID,订单状态,售后状态,取消原因,预约发货时间,商家备注,旗帜颜色,支付完成时间,订单完成时间,支付方式,支付流水号,快递信息,承诺发货时间,订单类型,广告渠道,发货时间,APP渠道,商品类型,仓库ID,仓库名称,是否安心购";

/// A receiver as the export gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct DouyinOptions {
    pub orders: u64,
    pub seed: u64,
    /// Newest order time (Beijing time).
    pub end: NaiveDateTime,
    /// Days the shop has been open.
    pub span_days: u32,
    /// People who also buy in the other shop: each places at least one order
    /// here, always under their full phone.
    pub shared: Vec<Person>,
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.index(items.len())]
}

fn person(rng: &mut Rng) -> Person {
    let weights: Vec<u32> = SURNAMES.iter().map(|s| s.1).collect();
    let cum = super::rng::cumulative(weights.into_iter());
    let mut name = SURNAMES[rng.weighted(&cum)].0.to_string();
    let given = if rng.chance(500) {
        GIVEN_FEMALE
    } else {
        GIVEN_MALE
    };
    for _ in 0..rng.range(1, 2) {
        name.push_str(pick(rng, given));
    }
    let prefix = PHONE_PREFIXES[rng.index(PHONE_PREFIXES.len())].0;
    let city = &CITIES[rng.index(CITIES.len())];
    Person {
        name,
        phone: format!("{prefix}{:08}", rng.below(100_000_000)),
        province: city.province.to_string(),
        city: city.city.to_string(),
        district: pick(rng, city.districts).to_string(),
        detail: format!(
            "{}{}号{}栋",
            pick(rng, STREETS),
            rng.range(1, 999),
            rng.range(1, 30)
        ),
    }
}

fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// A cell quoted with a leading tab, as 抖店 writes ids and text.
fn tabbed(s: &str) -> String {
    format!("\"\t{}\"", s.replace('"', "\"\""))
}

/// Writes the export into `dir`; returns its path and the number of orders.
pub fn write_douyin_file(opts: &DouyinOptions, dir: &Path) -> io::Result<PathBuf> {
    let path = dir.join(format!(
        "douyin_orders_{}.csv",
        opts.end.format("%Y%m%d%H%M")
    ));
    let mut out = io::BufWriter::new(std::fs::File::create(&path)?);
    generate_douyin(opts, &mut out)?;
    out.into_inner().map_err(|e| e.into_error())?;
    Ok(path)
}

/// Streams the export to `w`. Same options, same bytes.
pub fn generate_douyin<W: Write>(opts: &DouyinOptions, w: &mut W) -> io::Result<()> {
    let mut rng = Rng::new(derive(opts.seed, STREAM_DOUYIN));
    let pool_size = (opts.orders / 2).max(4) as usize;
    let pool: Vec<Person> = (0..pool_size).map(|_| person(&mut rng)).collect();
    // Order times, newest first (the export's order).
    let span = i64::from(opts.span_days.max(1)) * 86_400;
    let mut times: Vec<i64> = (0..opts.orders)
        .map(|_| rng.below(span as u64) as i64)
        .collect();
    times.sort_unstable();
    w.write_all("\u{FEFF}".as_bytes())?;
    w.write_all(DOUYIN_HEADER.as_bytes())?;
    w.write_all(b"\n")?;
    for (k, ago) in times.into_iter().enumerate() {
        let created = opts.end - Duration::seconds(ago);
        let age_days = ago / 86_400;
        // The shared people's orders come first, one each, then anyone.
        let (who, shared) = if k < opts.shared.len() {
            (&opts.shared[k], true)
        } else if !opts.shared.is_empty() && rng.chance(60) {
            (&opts.shared[rng.index(opts.shared.len())], true)
        } else {
            // Some buyers come back: a skew towards the pool's start.
            let upto = rng.below(pool.len() as u64) + 1;
            let i = rng.below(upto) as usize;
            (&pool[i], false)
        };
        let phone = if shared {
            who.phone.clone()
        } else if rng.chance(60) {
            format!("$$Bx{:012}$$", rng.next_u64() % 1_000_000_000_000)
        } else if rng.chance(250) {
            format!(
                "{}****{}",
                &who.phone[..3],
                &who.phone[who.phone.len() - 4..]
            )
        } else {
            who.phone.clone()
        };
        let status = if age_days > 15 {
            match rng.below(100) {
                0..=4 => "已关闭",
                _ => "已完成",
            }
        } else {
            match rng.below(100) {
                0..=3 => "待支付",
                4..=20 => "待发货",
                21..=55 => "已发货",
                56..=60 => "已关闭",
                _ => "已完成",
            }
        };
        let order_no = 6_900_000_000_000_000_000u64 + k as u64 * 1_000_003 + rng.below(1000) * 10;
        let lines = match rng.below(10) {
            0..=6 => 1,
            7..=8 => 2,
            _ => 3,
        };
        let time = created.format("%Y/%m/%d %H:%M:%S").to_string();
        let paid_at = (created + Duration::seconds(rng.range(5, 120) as i64))
            .format("%Y/%m/%d %H:%M:%S")
            .to_string();
        let refund_line = status == "已完成" && rng.chance(40);
        for j in 0..lines {
            let p = &PRODUCTS[rng.index(PRODUCTS.len())];
            let qty = if rng.chance(800) { 1 } else { rng.range(2, 3) };
            let price = u64::from(p.price_fen);
            let discount = if rng.chance(300) { 100 } else { 0 };
            let pay = (price * qty).saturating_sub(discount);
            let spec = if p.attrs.is_empty() {
                "-"
            } else {
                pick(&mut rng, p.attrs)
            };
            let refunded = (status == "已关闭" && age_days > 15) || (refund_line && j + 1 == lines);
            let (row_status, after) = if refunded {
                ("已关闭", "退款成功")
            } else {
                (status, "-")
            };
            let sub = if lines == 1 {
                order_no
            } else {
                order_no + j + 1
            };
            let done = if row_status == "已完成" {
                time.as_str()
            } else {
                "-"
            };
            let cells: Vec<String> = vec![
                tabbed(&order_no.to_string()),
                tabbed(&sub.to_string()),
                tabbed(p.title),
                tabbed(spec),
                qty.to_string(),
                tabbed(&format!("35{:08}", price)),
                tabbed(p.sku),
                yuan(price),
                yuan(pay),
                "0.00".into(),
                yuan(discount),
                "-".into(),
                yuan(discount),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                tabbed(&who.name),
                tabbed(&phone),
                who.province.clone(),
                who.city.clone(),
                who.district.clone(),
                "-".into(),
                tabbed(&who.detail),
                "否".into(),
                "-".into(),
                time.clone(),
                "直播".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                row_status.into(),
                after.into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                if status == "待支付" {
                    "-".into()
                } else {
                    paid_at.clone()
                },
                done.into(),
                "抖音支付".into(),
                "-".into(),
                if matches!(row_status, "已发货" | "已完成") {
                    tabbed(&format!("中通快递 7531{:08}", k))
                } else {
                    "-".into()
                },
                "-".into(),
                "普通订单".into(),
                "-".into(),
                "-".into(),
                "抖音".into(),
                "普通商品".into(),
                "-".into(),
                "-".into(),
                "否".into(),
            ];
            w.write_all(cells.join(",").as_bytes())?;
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ReportReader, Row};

    fn opts() -> DouyinOptions {
        DouyinOptions {
            orders: 60,
            seed: 7,
            end: chrono::NaiveDate::from_ymd_opt(2025, 11, 30)
                .and_then(|d| d.and_hms_opt(20, 0, 0))
                .unwrap(),
            span_days: 240,
            shared: vec![Person {
                name: "宋丹".into(),
                phone: "13900008519".into(),
                province: "福建省".into(),
                city: "厦门市".into(),
                district: "集美区".into(),
                detail: "太湖路604号7幢701室".into(),
            }],
        }
    }

    #[test]
    fn same_options_same_bytes_and_every_row_imports() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        generate_douyin(&opts(), &mut a).unwrap();
        generate_douyin(&opts(), &mut b).unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with("\u{FEFF}主订单编号,".as_bytes()));
        assert_eq!(DOUYIN_HEADER.split(',').count(), 54);
        let mut r = ReportReader::open(&a[..], None).unwrap();
        assert_eq!(r.platform(), crate::domain::Platform::Douyin);
        let (mut orders, mut masked, mut shared) = (0, 0, 0);
        while let Some(row) = r.next_row().unwrap() {
            let Row::Order(o) = row else {
                panic!("{row:?}")
            };
            orders += 1;
            masked += usize::from(o.buyer_key.contains("||"));
            shared += usize::from(o.phone == "13900008519");
        }
        assert_eq!(orders, 60);
        assert!(masked > 0, "some rows have masked or encrypted phones");
        assert!(shared > 0, "the shared buyer orders here too");
    }
}
