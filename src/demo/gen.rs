//! Deterministic generator of Taobao order exports (the legacy 46-column
//! order report and the 10-column item report), byte-for-byte in the style
//! of real GBK exports. Used by tests, the demo shop and benchmarks.
//!
//! Everything follows from the seed through a small SplitMix64 generator and
//! arithmetic of our own (no platform `ln`/`exp`), so the same options give
//! the same bytes everywhere. Output is streamed: memory is the buyer pool
//! (one `u32` per buyer) plus a fixed time grid, whatever the order count.
//! Every table string is encoded to GBK once and rows are assembled as GBK
//! bytes, which keeps a million orders to a couple of seconds.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use encoding_rs::{EncoderResult, GBK};

use super::names::{
    CITIES, COMPOUND_SURNAMES, COURIERS, EMAIL_DOMAINS, GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL,
    HOUR_WEIGHTS, MESSAGES, NICK_CJK, NICK_LATIN, PHONE_PREFIXES, PRODUCTS, REFUND_REASONS,
    REMARKS, SPRING_FESTIVALS, STREETS, SURNAMES, UNPAID_REASONS,
};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenOptions {
    /// Number of orders to write.
    pub orders: u64,
    /// Same seed + options => identical bytes.
    pub seed: u64,
    /// Newest order time (Beijing time); orders spread over `span_days` before it.
    pub end: NaiveDateTime,
    /// Length of the order history, e.g. 730.
    pub span_days: u32,
    /// Written in 店铺名称, e.g. "小美文具铺".
    pub shop_name: String,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenSummary {
    /// Data rows in the order report.
    pub orders: u64,
    /// Data rows in the item report.
    pub lines: u64,
    /// Distinct buyers (买家会员名).
    pub customers: u64,
    /// Sum of 买家实际支付金额 over all orders, in fen.
    pub paid_fen: i64,
}

/// The legacy order report header; the trailing spaces are real.
pub(crate) const ORDER_HEADER: &str = "\"订单编号\",\"买家会员名\",\"买家支付宝账号\",\"买家应付货款\",\"买家应付邮费\",\"买家支付积分\",\"总金额\",\"返点积分\",\"买家实际支付金额\",\"买家实际支付积分\",\"订单状态\",\"买家留言\",\"收货人姓名\",\"收货地址 \",\"运送方式\",\"联系电话 \",\"联系手机\",\"订单创建时间\",\"订单付款时间 \",\"宝贝标题 \",\"宝贝种类 \",\"物流单号 \",\"物流公司\",\"订单备注\",\"宝贝总数量\",\"店铺Id\",\"店铺名称\",\"订单关闭原因\",\"卖家服务费\",\"买家服务费\",\"发票抬头\",\"是否手机订单\",\"分阶段订单信息\",\"特权订金订单id\",\"是否上传合同照片\",\"是否上传小票\",\"是否代付\",\"定金排名\",\"修改后的sku\",\"修改后的收货地址\",\"异常信息\",\"天猫卡券抵扣\",\"集分宝抵扣\",\"是否是O2O交易\",\"退款金额\",\"预约门店\"";

/// The legacy item report header (data rows carry one more, empty, field).
pub(crate) const ITEM_HEADER: &str = "\"订单编号\",\"标题\",\"价格\",\"购买数量\",\"外部系统编号\",\"商品属性\",\"套餐信息\",\"备注\",\"订单状态\",\"商家编码\"";

/// Buyers per order: the pool is about 0.35 × orders.
const BUYERS_PER_ORDER: f64 = 0.35;
/// Encoded bytes kept before handing them to the writer.
const FLUSH_AT: usize = 1 << 18;

/// Streams both reports, GBK-encoded (chars GBK lacks, e.g. emoji, become '?', as real exports do), CRLF line ends.
///
/// Fails with `InvalidInput` above `u32::MAX` orders, or with the writers' errors.
pub fn generate_taobao<W1: Write, W2: Write>(
    opts: &GenOptions,
    orders_out: &mut W1,
    items_out: &mut W2,
) -> io::Result<GenSummary> {
    if opts.orders > u64::from(u32::MAX) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "at most 4294967295 orders per export",
        ));
    }
    let mut shop = Shop::new(opts);
    let mut timeline = Timeline::new(opts, derive(opts.seed, STREAM_TIME));
    let mut rng = Rng::new(derive(opts.seed, STREAM_ORDERS));

    let mut obuf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    let mut ibuf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    obuf.extend_from_slice(&to_gbk(ORDER_HEADER));
    obuf.extend_from_slice(b"\r\n");
    ibuf.extend_from_slice(&to_gbk(ITEM_HEADER));
    ibuf.extend_from_slice(b"\r\n");

    let mut summary = GenSummary {
        customers: shop.pool.len() as u64,
        ..GenSummary::default()
    };
    for k in 0..opts.orders {
        let created = timeline.next(&mut rng);
        let (lines, paid) = shop.order(k, created, &mut rng, &mut obuf, &mut ibuf);
        summary.orders += 1;
        summary.lines += lines;
        summary.paid_fen += paid;
        if obuf.len() >= FLUSH_AT {
            orders_out.write_all(&obuf)?;
            obuf.clear();
        }
        if ibuf.len() >= FLUSH_AT {
            items_out.write_all(&ibuf)?;
            ibuf.clear();
        }
    }
    orders_out.write_all(&obuf)?;
    items_out.write_all(&ibuf)?;
    orders_out.flush()?;
    items_out.flush()?;
    Ok(summary)
}

/// Convenience: writes `ExportOrderList<yyyyMMddHHmm>.csv` and `ExportOrderDetailList<yyyyMMddHHmm>.csv` (stamp from opts.end) into dir, buffered; returns (order_path, item_path, summary).
pub fn write_taobao_files(
    opts: &GenOptions,
    dir: &Path,
) -> io::Result<(PathBuf, PathBuf, GenSummary)> {
    let stamp = opts.end.format("%Y%m%d%H%M").to_string();
    let order_path = dir.join(format!("ExportOrderList{stamp}.csv"));
    let item_path = dir.join(format!("ExportOrderDetailList{stamp}.csv"));
    let mut orders = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&order_path)?);
    let mut items = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&item_path)?);
    let summary = generate_taobao(opts, &mut orders, &mut items)?;
    orders.into_inner().map_err(|e| e.into_error())?;
    items.into_inner().map_err(|e| e.into_error())?;
    Ok((order_path, item_path, summary))
}

// ---------------------------------------------------------------------------
// Randomness

const STREAM_ORDERS: u64 = 1;
const STREAM_TIME: u64 = 2;
const STREAM_POOL: u64 = 3;
const STREAM_BUYERS: u64 = 4;
const STREAM_SHOP: u64 = 5;
const STREAM_ORDER_IDS: u64 = 6;
const STREAM_NICK_IDS: u64 = 7;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent seed for one purpose (`stream`) of one generation (`seed`).
fn derive(seed: u64, stream: u64) -> u64 {
    mix64(
        seed ^ mix64(
            stream
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(0x632B_E59B_D9B4_E019),
        ),
    )
}

/// SplitMix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform index into a slice of length `len`.
    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille`/1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// Uniform in (0, 1].
    fn unit_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Index into a weighted table given its cumulative weights.
    fn weighted(&mut self, cum: &[u32]) -> usize {
        let total = *cum.last().expect("non-empty table");
        let r = self.below(u64::from(total)) as u32;
        cum.partition_point(|&c| c <= r)
    }
}

fn cumulative(weights: impl Iterator<Item = u32>) -> Vec<u32> {
    weights
        .scan(0u32, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

// Our own ln/exp: std's go to the platform libm, which may differ in the last
// bit between systems, and with it the bytes we promise to repeat.

const LN2: f64 = std::f64::consts::LN_2;

fn det_ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0);
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln(m) = 2·atanh(s) with |s| <= 0.172: eleven more terms are plenty.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = s;
    let mut k = 3.0;
    for _ in 0..11 {
        term *= s2;
        sum += term / k;
        k += 2.0;
    }
    e as f64 * LN2 + 2.0 * sum
}

fn det_exp(y: f64) -> f64 {
    let y = y.clamp(-700.0, 700.0);
    let k = (y / LN2).round();
    let r = y - k * LN2;
    // Taylor on |r| <= 0.35.
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..18 {
        term *= r / f64::from(i);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

fn det_expm1(y: f64) -> f64 {
    if y.abs() < 1e-3 {
        y + y * y / 2.0 + y * y * y / 6.0 + y * y * y * y / 24.0
    } else {
        det_exp(y) - 1.0
    }
}

/// A bijection on `0..half²` (a four-round Feistel network over two halves).
fn feistel(x: u64, half: u64, key: u64) -> u64 {
    let (mut l, mut r) = (x / half, x % half);
    for round in 0..4u64 {
        let f = mix64(r ^ key.wrapping_add(round.wrapping_mul(0xA076_1D64_78BD_642F))) % half;
        (l, r) = (r, (l + f) % half);
    }
    l * half + r
}

// ---------------------------------------------------------------------------
// Buyers

/// The buyers and how many orders each still has to place. A Fenwick tree
/// over the remaining counts draws the buyer of each order, so every buyer
/// places exactly their count and repeat orders spread over the whole span.
struct Pool {
    tree: Vec<u32>,
    remaining: u64,
    top: usize,
}

impl Pool {
    fn new(orders: u64, seed: u64) -> Pool {
        let mut rng = Rng::new(seed);
        // Truncated discrete Pareto: most buy once, a few buy dozens of times.
        let cap = ((2.0 * (orders as f64).sqrt()).round() as u64).clamp(20, 120);
        let alpha = pareto_alpha(cap, 1.0 / BUYERS_PER_ORDER);
        let tail = det_exp(-alpha * det_ln((cap + 1) as f64));
        let mut tree: Vec<u32> = Vec::with_capacity((orders as f64 * 0.4) as usize + 2);
        tree.push(0); // 1-based
        let mut sum = 0u64;
        while sum < orders {
            let u = rng.unit_open();
            let x = det_exp(-det_ln(1.0 - (1.0 - u) * (1.0 - tail)) / alpha);
            let c = (x as u64).clamp(1, cap).min(orders - sum);
            tree.push(c as u32);
            sum += c;
        }
        let n = tree.len() - 1;
        for i in 1..=n {
            let j = i + (i & i.wrapping_neg());
            if j <= n {
                tree[j] += tree[i];
            }
        }
        let top = if n == 0 {
            0
        } else {
            1 << (usize::BITS - 1 - n.leading_zeros())
        };
        Pool {
            tree,
            remaining: sum,
            top,
        }
    }

    fn len(&self) -> usize {
        self.tree.len() - 1
    }

    /// The buyer of the next order.
    fn draw(&mut self, rng: &mut Rng) -> usize {
        debug_assert!(self.remaining > 0);
        let mut rest = rng.below(self.remaining) as u32;
        let n = self.len();
        let mut pos = 0;
        let mut step = self.top;
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rest {
                pos = next;
                rest -= self.tree[next];
            }
            step >>= 1;
        }
        let mut i = pos + 1;
        while i <= n {
            self.tree[i] -= 1;
            i += i & i.wrapping_neg();
        }
        self.remaining -= 1;
        pos
    }
}

/// The exponent giving a truncated discrete Pareto on `1..=cap` the wanted mean.
fn pareto_alpha(cap: u64, mean: f64) -> f64 {
    let mean_of = |a: f64| {
        let tail = det_exp(-a * det_ln((cap + 1) as f64));
        let s: f64 = (1..=cap)
            .map(|k| det_exp(-a * det_ln(k as f64)) - tail)
            .sum();
        s / (1.0 - tail)
    };
    let (mut lo, mut hi) = (0.9, 6.0);
    if mean_of(lo) <= mean {
        return lo;
    }
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if mean_of(mid) > mean {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A number in 100000..100000000 unique to buyer `idx` (cycle-walking the
/// Feistel permutation of 0..10^8 down to 0..10^8-10^5).
fn nick_number(idx: u64, key: u64) -> u64 {
    const SPACE: u64 = 100_000_000 - 100_000;
    if idx >= SPACE {
        return 100_000_000 + idx;
    }
    let mut y = feistel(idx, 10_000, key);
    while y >= SPACE {
        y = feistel(y, 10_000, key);
    }
    y + 100_000
}

#[derive(Default)]
struct Receiver {
    name: Vec<u8>,
    phone: u64,
    address: Vec<u8>,
    remote: bool,
}

/// One buyer, rebuilt from its index whenever it orders (nothing per buyer
/// is stored but its remaining order count). Text is GBK.
#[derive(Default)]
struct Buyer {
    nick: Vec<u8>,
    alipay: Vec<u8>,
    receivers: [Receiver; 2],
    has_second: bool,
}

// ---------------------------------------------------------------------------
// Time

/// Order times: a fixed grid of hour cells weighted by season, weekday, trend
/// and hour of day; ascending uniform order statistics mapped through it.
struct Timeline {
    start: NaiveDateTime,
    span_secs: i64,
    cells: Vec<Cell>,
    total: f64,
    cell: usize,
    /// The last order statistic drawn, in [0, 1).
    x: f64,
    /// Orders still to place before the final one at `end`.
    left: u64,
}

struct Cell {
    off: i64,
    len: i64,
    lo: f64,
    w: f64,
}

impl Timeline {
    fn new(opts: &GenOptions, seed: u64) -> Timeline {
        let mut rng = Rng::new(seed);
        let span_secs = i64::from(opts.span_days) * 86_400;
        let start = opts.end - Duration::seconds(span_secs);
        let first_day = start.date();
        let days = (opts.end.date() - first_day).num_days() + 1;
        let day_weight: Vec<f64> = (0..days)
            .map(|d| (0.8 + 0.4 * rng.unit_open()) * day_factor(first_day + Duration::days(d)))
            .collect();

        let mut cells = Vec::with_capacity(days as usize * 24 + 2);
        let mut total = 0.0;
        let mut off = 0i64;
        while off < span_secs {
            let t = start + Duration::seconds(off);
            let into_hour = i64::from(t.minute() * 60 + t.second());
            let len = (3600 - into_hour).min(span_secs - off);
            let d = (t.date() - first_day).num_days();
            // The shop grows: the newest day sells about 2.6× the oldest.
            let trend = 0.55 + 0.9 * (off as f64 / span_secs as f64);
            let w = trend
                * day_weight[d as usize]
                * HOUR_WEIGHTS[t.hour() as usize]
                * (len as f64 / 3600.0);
            cells.push(Cell {
                off,
                len,
                lo: total,
                w,
            });
            total += w;
            off += len;
        }
        Timeline {
            start,
            span_secs,
            cells,
            total,
            cell: 0,
            x: 0.0,
            left: opts.orders.saturating_sub(1),
        }
    }

    /// The creation time of the next order; the last one is `end` itself.
    fn next(&mut self, rng: &mut Rng) -> NaiveDateTime {
        if self.left == 0 || self.cells.is_empty() {
            self.left = self.left.saturating_sub(1);
            return self.start + Duration::seconds(self.span_secs);
        }
        // The minimum of `left` uniforms on (x, 1).
        let step = -det_expm1(det_ln(rng.unit_open()) / self.left as f64);
        self.x = (self.x + (1.0 - self.x) * step).min(1.0 - f64::EPSILON);
        self.left -= 1;
        let target = self.x * self.total;
        while self.cell + 1 < self.cells.len() {
            let c = &self.cells[self.cell];
            if c.lo + c.w <= target {
                self.cell += 1;
            } else {
                break;
            }
        }
        let c = &self.cells[self.cell];
        let within = if c.w > 0.0 {
            (((target - c.lo) / c.w) * c.len as f64) as i64
        } else {
            0
        };
        self.start + Duration::seconds(c.off + within.clamp(0, c.len - 1))
    }
}

/// Seasonal weight of a day: shopping festivals, school terms, Spring Festival.
fn day_factor(date: NaiveDate) -> f64 {
    let (m, d) = (date.month(), date.day());
    let mut f = match (m, d) {
        (11, 1..=10) => 1.6,
        (11, 11) => 6.0,
        (11, 12..=13) => 1.4,
        (12, 12) => 2.0,
        (6, 1..=17) => 1.25,
        (6, 18) => 3.0,
        (8, 20..=31) | (9, 1..=10) => 1.7,
        (2, 15..=29) | (3, 1..=5) => 1.3,
        _ => 1.0,
    };
    f *= match date.weekday().num_days_from_monday() {
        4 => 0.95,
        5 => 0.9,
        6 => 1.05,
        _ => 1.0,
    };
    for &(y, sm, sd) in SPRING_FESTIVALS {
        if y != date.year() && y != date.year() + 1 {
            continue;
        }
        if let Some(fest) = NaiveDate::from_ymd_opt(y, sm, sd) {
            let delta = (date - fest).num_days();
            if (-3..=3).contains(&delta) {
                f = 0.15;
            } else if (-10..=6).contains(&delta) {
                f *= 0.35;
            }
        }
    }
    f
}

// ---------------------------------------------------------------------------
// Orders

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    WaitPay,
    WaitShip,
    Shipped,
    Success,
    ClosedRefund,
    ClosedUnpaid,
}

impl Status {
    fn text(self) -> &'static str {
        match self {
            Status::WaitPay => "等待买家付款",
            Status::WaitShip => "买家已付款，等待卖家发货",
            Status::Shipped => "卖家已发货，等待买家确认",
            Status::Success => "交易成功",
            Status::ClosedRefund | Status::ClosedUnpaid => "交易关闭",
        }
    }

    fn paid(self) -> bool {
        !matches!(self, Status::WaitPay | Status::ClosedUnpaid)
    }
}

const ALL_STATUSES: [Status; 6] = [
    Status::WaitPay,
    Status::WaitShip,
    Status::Shipped,
    Status::Success,
    Status::ClosedRefund,
    Status::ClosedUnpaid,
];

type Bytes = Box<[u8]>;

/// The tables, GBK-encoded once. Free text that may hold `"` is stored
/// already escaped for a quoted CSV cell.
struct Text {
    titles: Vec<Bytes>,
    attrs: Vec<Vec<Bytes>>,
    /// "浙江省 杭州市 "
    city_prefix: Vec<Bytes>,
    /// "西湖区 "
    districts: Vec<Vec<Bytes>>,
    streets: Vec<Bytes>,
    surnames: Vec<Bytes>,
    compound: Vec<Bytes>,
    /// Female, male, either.
    given: [Vec<Bytes>; 3],
    nick_cjk: Vec<Bytes>,
    messages: Vec<Bytes>,
    remarks: Vec<Bytes>,
    refund_reasons: Vec<Bytes>,
    unpaid_reasons: Vec<Bytes>,
    couriers: Vec<Bytes>,
    statuses: Vec<Bytes>,
    shop_name: Bytes,
    not_closed: Bytes,
    express: Bytes,
    mobile: Bytes,
    no: Bytes,
    zero_yuan: Bytes,
    hao: Bytes,
    zhuang: Bytes,
    shi: Bytes,
    title_sep: Bytes,
}

fn gbk_all<'a>(items: impl Iterator<Item = &'a str>) -> Vec<Bytes> {
    items.map(|s| to_gbk(s).into_boxed_slice()).collect()
}

fn escaped(s: &str) -> Bytes {
    to_gbk(&s.replace('"', "\"\"")).into_boxed_slice()
}

impl Text {
    fn new(shop_name: &str) -> Text {
        let one = |s: &str| to_gbk(s).into_boxed_slice();
        Text {
            titles: gbk_all(PRODUCTS.iter().map(|p| p.title)),
            attrs: PRODUCTS
                .iter()
                .map(|p| gbk_all(p.attrs.iter().copied()))
                .collect(),
            city_prefix: CITIES
                .iter()
                .map(|c| one(&format!("{} {} ", c.province, c.city)))
                .collect(),
            districts: CITIES
                .iter()
                .map(|c| c.districts.iter().map(|d| one(&format!("{d} "))).collect())
                .collect(),
            streets: gbk_all(STREETS.iter().copied()),
            surnames: gbk_all(SURNAMES.iter().map(|s| s.0)),
            compound: gbk_all(COMPOUND_SURNAMES.iter().copied()),
            given: [
                gbk_all(GIVEN_FEMALE.iter().copied()),
                gbk_all(GIVEN_MALE.iter().copied()),
                gbk_all(GIVEN_NEUTRAL.iter().copied()),
            ],
            nick_cjk: gbk_all(NICK_CJK.iter().copied()),
            messages: MESSAGES.iter().map(|m| escaped(m.0)).collect(),
            remarks: REMARKS.iter().map(|m| escaped(m)).collect(),
            refund_reasons: gbk_all(REFUND_REASONS.iter().map(|r| r.0)),
            unpaid_reasons: gbk_all(UNPAID_REASONS.iter().map(|r| r.0)),
            couriers: gbk_all(COURIERS.iter().map(|c| c.name)),
            statuses: gbk_all(ALL_STATUSES.iter().map(|s| s.text())),
            shop_name: escaped(shop_name),
            not_closed: one("订单未关闭"),
            express: one("快递"),
            mobile: one("手机订单"),
            no: one("否"),
            zero_yuan: one("0元"),
            hao: one("号"),
            zhuang: one("幢"),
            shi: one("室"),
            title_sep: one("，"),
        }
    }

    fn status(&self, s: Status) -> &[u8] {
        &self.statuses[s as usize]
    }
}

/// Cumulative weights of the weighted tables.
struct Weights {
    products: Vec<u32>,
    cities: Vec<u32>,
    surnames: Vec<u32>,
    phones: Vec<u32>,
    messages: Vec<u32>,
    refund: Vec<u32>,
    unpaid: Vec<u32>,
}

/// Everything fixed for one generation, plus the buyer being written.
struct Shop {
    end: NaiveDateTime,
    pool: Pool,
    buyer_seed: u64,
    order_key: u64,
    nick_key: u64,
    /// The shop's usual courier and its second choice.
    couriers: [usize; 2],
    text: Text,
    weights: Weights,
    buyer: Buyer,
}

const DAY: i64 = 86_400;

impl Shop {
    fn new(opts: &GenOptions) -> Shop {
        let mut shop_rng = Rng::new(derive(opts.seed, STREAM_SHOP));
        let main = shop_rng.index(COURIERS.len());
        let second = (main + 1 + shop_rng.index(COURIERS.len() - 1)) % COURIERS.len();
        Shop {
            end: opts.end,
            pool: Pool::new(opts.orders, derive(opts.seed, STREAM_POOL)),
            buyer_seed: derive(opts.seed, STREAM_BUYERS),
            order_key: derive(opts.seed, STREAM_ORDER_IDS),
            nick_key: derive(opts.seed, STREAM_NICK_IDS),
            couriers: [main, second],
            text: Text::new(&opts.shop_name),
            weights: Weights {
                products: cumulative(PRODUCTS.iter().map(|p| p.weight)),
                cities: cumulative(CITIES.iter().map(|c| c.weight)),
                surnames: cumulative(SURNAMES.iter().map(|s| s.1)),
                phones: cumulative(PHONE_PREFIXES.iter().map(|p| p.1)),
                messages: cumulative(MESSAGES.iter().map(|m| m.1)),
                refund: cumulative(REFUND_REASONS.iter().map(|m| m.1)),
                unpaid: cumulative(UNPAID_REASONS.iter().map(|m| m.1)),
            },
            buyer: Buyer::default(),
        }
    }

    /// Rebuild buyer `idx` into `self.buyer`.
    fn load_buyer(&mut self, idx: usize) {
        let Shop {
            text,
            weights,
            buyer: b,
            ..
        } = self;
        let mut rng = Rng::new(mix64(
            self.buyer_seed ^ (idx as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93),
        ));

        // Nickname: two syllables and a number unique to the buyer.
        let number = nick_number(idx as u64, self.nick_key);
        b.nick.clear();
        let style = rng.below(100);
        let first_syllable: &[u8] = if style < 10 {
            b.nick.extend_from_slice(b"tb");
            push_u64(&mut b.nick, number);
            push_padded(&mut b.nick, rng.below(100), 2);
            b"tb"
        } else {
            let first = syllable(&mut rng, text);
            let second = syllable(&mut rng, text);
            b.nick.extend_from_slice(first);
            b.nick.extend_from_slice(second);
            if style < 55 {
                push_u64(&mut b.nick, number);
            } else {
                push_u64(&mut b.nick, number / 1000);
                b.nick.push(b'_');
                push_u64(&mut b.nick, number % 1000);
            }
            first
        };

        b.has_second = rng.chance(100);
        for r in &mut b.receivers {
            fill_receiver(&mut rng, r, text, weights);
        }

        b.alipay.clear();
        if style >= 10 && rng.chance(200) {
            b.alipay.extend_from_slice(first_syllable);
            b.alipay.extend_from_slice(b"***@");
            b.alipay
                .extend_from_slice(EMAIL_DOMAINS[rng.index(EMAIL_DOMAINS.len())].as_bytes());
        } else {
            let p = b.receivers[0].phone;
            push_u64(&mut b.alipay, p / 100_000_000);
            b.alipay.extend_from_slice(b"****");
            push_padded(&mut b.alipay, p % 10_000, 4);
        }
    }

    /// Appends order `k` (created at `created`) to `orow` and its items to
    /// `irow`; returns (item rows, fen paid).
    fn order(
        &mut self,
        k: u64,
        created: NaiveDateTime,
        rng: &mut Rng,
        orow: &mut Vec<u8>,
        irow: &mut Vec<u8>,
    ) -> (u64, i64) {
        let buyer = self.pool.draw(rng);
        self.load_buyer(buyer);
        let recv = usize::from(self.buyer.has_second && rng.chance(300));

        // Order number: random high digits over a scrambled unique low part.
        let low = feistel(k % 1_000_000_000_000, 1_000_000, self.order_key);
        let high = if rng.chance(600) {
            rng.range(1_000_000, 3_999_999)
        } else {
            rng.range(100_000, 999_999)
        };
        let id = high * 1_000_000_000_000 + low;

        // Items: 1–3 distinct products, 1–3 of each.
        let n_items = match rng.below(1000) {
            0..600 => 1,
            600..880 => 2,
            _ => 3,
        };
        let mut picked = [usize::MAX; 3];
        let mut qty = [0u64; 3];
        let mut attr = [usize::MAX; 3];
        let mut i = 0;
        while i < n_items {
            let p = rng.weighted(&self.weights.products);
            if picked[..i].contains(&p) {
                continue;
            }
            picked[i] = p;
            qty[i] = match rng.below(1000) {
                0..700 => 1,
                700..900 => 2,
                _ => 3,
            };
            let attrs = PRODUCTS[p].attrs;
            if !attrs.is_empty() && rng.chance(800) {
                attr[i] = rng.index(attrs.len());
            }
            i += 1;
        }
        let goods: i64 = (0..n_items)
            .map(|i| i64::from(PRODUCTS[picked[i]].price_fen) * qty[i] as i64)
            .sum();
        let total_qty: u64 = qty[..n_items].iter().sum();

        // Postage (remote regions always pay) and shop coupons.
        let postage: i64 = if self.buyer.receivers[recv].remote {
            1000
        } else if goods < 3900 && !rng.chance(150) {
            600
        } else {
            0
        };
        let discount: i64 = if goods >= 19900 && rng.chance(150) {
            1000
        } else if goods >= 9900 && rng.chance(300) {
            500
        } else if goods >= 2900 && rng.chance(250) {
            200
        } else {
            0
        };
        let total = goods + postage - discount;

        // Status by age, then made causal (nothing ships before it is paid...).
        let age = (self.end - created).num_seconds();
        let pay_delay = match rng.below(1000) {
            0..700 => rng.range(3, 300),
            700..900 => rng.range(300, 1800),
            900..980 => rng.range(1800, 7200),
            _ => rng.range(7200, 86_400),
        } as i64;
        let ship_delay = rng.range(3600, 2 * DAY as u64) as i64;
        let r = rng.below(1000);
        let closed = |rng: &mut Rng, refund_per_mille: u64| {
            if rng.chance(refund_per_mille) {
                Status::ClosedRefund
            } else {
                Status::ClosedUnpaid
            }
        };
        let mut status = if age < 2 * DAY {
            match r {
                0..200 => Status::WaitPay,
                200..750 => Status::WaitShip,
                750..950 => Status::Shipped,
                _ => closed(rng, 200),
            }
        } else if age < 10 * DAY {
            match r {
                0..550 => Status::Shipped,
                550..850 => Status::Success,
                850..910 => Status::WaitShip,
                _ => closed(rng, 500),
            }
        } else {
            match r {
                0..875 => Status::Success,
                875..965 => closed(rng, 500),
                965..985 => Status::Shipped,
                985..995 => Status::WaitShip,
                _ => Status::WaitPay,
            }
        };
        if status.paid() && pay_delay > age {
            status = if status == Status::ClosedRefund {
                Status::ClosedUnpaid
            } else {
                Status::WaitPay
            };
        }
        if matches!(status, Status::Shipped | Status::Success) && pay_delay + ship_delay > age {
            status = Status::WaitShip;
        }
        if status == Status::Success && pay_delay + ship_delay + 2 * DAY > age {
            status = Status::Shipped;
        }

        let paid = if status.paid() { total } else { 0 };
        let refund = match status {
            Status::ClosedRefund => paid,
            Status::Success if rng.chance(40) => {
                let lo = (paid + 99) / 100;
                let hi = (paid / 2).max(lo);
                let pct = rng.range(1, 50) as i64;
                // Round to ten fen, like a seller typing a refund.
                ((paid * pct / 100) / 10 * 10).clamp(lo, hi)
            }
            _ => 0,
        };
        let shipped = match status {
            Status::Shipped | Status::Success => true,
            Status::ClosedRefund => rng.chance(300), // returned after delivery
            _ => false,
        };
        let text = &self.text;
        let close_reason: &[u8] = match status {
            Status::ClosedRefund => &text.refund_reasons[rng.weighted(&self.weights.refund)],
            Status::ClosedUnpaid => &text.unpaid_reasons[rng.weighted(&self.weights.unpaid)],
            _ => &text.not_closed,
        };
        let message: &[u8] = if rng.chance(150) {
            &text.messages[rng.weighted(&self.weights.messages)]
        } else {
            b""
        };
        let remark: &[u8] = if rng.chance(30) {
            &text.remarks[rng.index(text.remarks.len())]
        } else {
            b""
        };
        let mobile: &[u8] = if rng.chance(800) { &text.mobile } else { b"" };

        // The order row.
        let b = &self.buyer;
        let rc = &b.receivers[recv];
        orow.extend_from_slice(b"=\"");
        push_u64(orow, id);
        orow.extend_from_slice(b"\",");
        cell(orow, &b.nick);
        cell(orow, &b.alipay);
        cell_money(orow, goods);
        cell_money(orow, postage);
        cell(orow, b"0");
        cell_money(orow, total);
        cell(orow, b"0");
        cell_money(orow, paid);
        cell(orow, b"0");
        cell(orow, text.status(status));
        cell(orow, message);
        cell(orow, &rc.name);
        cell(orow, &rc.address);
        cell(orow, &text.express);
        cell(orow, b"");
        orow.extend_from_slice(b"\"'");
        push_padded(orow, rc.phone, 11);
        orow.extend_from_slice(b"\",\"");
        push_datetime(orow, created);
        orow.extend_from_slice(b"\",\"");
        if status.paid() {
            push_datetime(orow, created + Duration::seconds(pay_delay));
        }
        orow.extend_from_slice(b"\",\"");
        for (i, &p) in picked[..n_items].iter().enumerate() {
            if i > 0 {
                orow.extend_from_slice(&text.title_sep);
            }
            orow.extend_from_slice(&text.titles[p]);
        }
        orow.extend_from_slice(b"\",");
        cell_u64(orow, n_items as u64);
        let courier: &[u8] = if shipped {
            let c = match rng.below(1000) {
                0..700 => self.couriers[0],
                700..900 => self.couriers[1],
                _ => rng.index(COURIERS.len()),
            };
            let spec = &COURIERS[c];
            orow.extend_from_slice(b"=\"");
            orow.extend_from_slice(spec.prefixes[rng.index(spec.prefixes.len())].as_bytes());
            push_padded(
                orow,
                rng.below(10u64.pow(spec.digits)),
                spec.digits as usize,
            );
            orow.extend_from_slice(b"\",");
            &text.couriers[c]
        } else {
            cell(orow, b"");
            b""
        };
        cell(orow, courier);
        cell(orow, remark);
        cell_u64(orow, total_qty);
        cell(orow, b"0");
        cell(orow, &text.shop_name);
        cell(orow, close_reason);
        cell(orow, b"0");
        cell(orow, &text.zero_yuan);
        cell(orow, b"");
        cell(orow, mobile);
        orow.extend_from_slice(b"\"\",\"\",");
        for _ in 0..3 {
            cell(orow, &text.no);
        }
        orow.extend_from_slice(b"\"\",\"\",\"\",\"\",\"0\",\"0\",");
        cell(orow, &text.no);
        cell_money(orow, refund);
        orow.extend_from_slice(b"\"\"\r\n");

        // The item rows (with the trailing comma of the real thing).
        for i in 0..n_items {
            let p = picked[i];
            irow.extend_from_slice(b"=\"");
            push_u64(irow, id);
            irow.extend_from_slice(b"\",");
            cell(irow, &text.titles[p]);
            cell_money(irow, i64::from(PRODUCTS[p].price_fen));
            cell_u64(irow, qty[i]);
            cell(irow, b"");
            cell(irow, text.attrs[p].get(attr[i]).map_or(&b""[..], |a| a));
            irow.extend_from_slice(b"\"\",\"\",");
            cell(irow, text.status(status));
            cell(irow, PRODUCTS[p].sku.as_bytes());
            irow.extend_from_slice(b"\r\n");
        }
        (n_items as u64, paid)
    }
}

fn syllable<'t>(rng: &mut Rng, text: &'t Text) -> &'t [u8] {
    if rng.chance(600) {
        &text.nick_cjk[rng.index(text.nick_cjk.len())]
    } else {
        NICK_LATIN[rng.index(NICK_LATIN.len())].as_bytes()
    }
}

fn fill_receiver(rng: &mut Rng, r: &mut Receiver, text: &Text, weights: &Weights) {
    r.name.clear();
    let compound = rng.chance(12);
    if compound {
        r.name
            .extend_from_slice(&text.compound[rng.index(text.compound.len())]);
    } else {
        r.name
            .extend_from_slice(&text.surnames[rng.weighted(&weights.surnames)]);
    }
    let given = if rng.chance(if compound { 500 } else { 250 }) {
        1
    } else {
        2
    };
    // Stationery buyers lean female; each character may also be a neutral one.
    let gender = usize::from(!rng.chance(580));
    for _ in 0..given {
        let pool = &text.given[if rng.chance(250) { 2 } else { gender }];
        r.name.extend_from_slice(&pool[rng.index(pool.len())]);
    }

    r.phone = u64::from(PHONE_PREFIXES[rng.weighted(&weights.phones)].0) * 100_000_000
        + rng.below(100_000_000);

    let ci = rng.weighted(&weights.cities);
    let city = &CITIES[ci];
    let di = rng.index(city.districts.len());
    r.remote = city.remote;
    let a = &mut r.address;
    a.clear();
    a.extend_from_slice(&text.city_prefix[ci]);
    a.extend_from_slice(&text.districts[ci][di]);
    a.extend_from_slice(&text.streets[rng.index(text.streets.len())]);
    push_u64(a, rng.range(1, 999));
    a.extend_from_slice(&text.hao);
    push_u64(a, rng.range(1, 36));
    a.extend_from_slice(&text.zhuang);
    push_u64(a, rng.range(1, 33) * 100 + rng.range(1, 6));
    a.extend_from_slice(&text.shi);
    a.push(b'(');
    push_padded(
        a,
        u64::from(city.postcode) + di as u64 * 10 + rng.below(10),
        6,
    );
    a.push(b')');
}

// ---------------------------------------------------------------------------
// Formatting (GBK bytes)

fn push_u64(s: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    s.extend_from_slice(&buf[i..]);
}

/// `v` in decimal, left-padded with zeros to at least `width` digits.
fn push_padded(s: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while v > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    s.extend_from_slice(&buf[start..]);
}

fn push_datetime(s: &mut Vec<u8>, t: NaiveDateTime) {
    push_padded(s, t.year() as u64, 4);
    s.push(b'-');
    push_padded(s, u64::from(t.month()), 2);
    s.push(b'-');
    push_padded(s, u64::from(t.day()), 2);
    s.push(b' ');
    push_padded(s, u64::from(t.hour()), 2);
    s.push(b':');
    push_padded(s, u64::from(t.minute()), 2);
    s.push(b':');
    push_padded(s, u64::from(t.second()), 2);
}

/// A quoted cell and its separator. `bytes` is GBK without bare `"` (text
/// that may hold quotes is escaped when the tables are encoded; GBK trail
/// bytes never equal `"`).
fn cell(s: &mut Vec<u8>, bytes: &[u8]) {
    s.push(b'"');
    s.extend_from_slice(bytes);
    s.extend_from_slice(b"\",");
}

fn cell_u64(s: &mut Vec<u8>, v: u64) {
    s.push(b'"');
    push_u64(s, v);
    s.extend_from_slice(b"\",");
}

/// Money with two decimals, e.g. `"238.80"` (amounts here are never negative).
fn cell_money(s: &mut Vec<u8>, fen: i64) {
    let fen = fen.max(0) as u64;
    s.push(b'"');
    push_u64(s, fen / 100);
    s.push(b'.');
    push_padded(s, fen % 100, 2);
    s.extend_from_slice(b"\",");
}

/// `src` as GBK; characters GBK lacks become `?` (not the HTML escapes
/// encoding_rs would write by default).
fn to_gbk(src: &str) -> Vec<u8> {
    let mut encoder = GBK.new_encoder();
    let mut dst = Vec::with_capacity(src.len() + 8);
    let mut rest = src;
    loop {
        let old = dst.len();
        dst.resize(old + rest.len() * 2 + 8, 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut dst[old..], true);
        dst.truncate(old + written);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return dst,
            EncoderResult::Unmappable(_) => dst.push(b'?'),
            EncoderResult::OutputFull => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
