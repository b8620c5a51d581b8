//! Deterministic generator of Taobao order exports (the legacy 46-column
//! order report and the 10-column item report), byte-for-byte in the style
//! of real GBK exports. Used by tests, the demo shop and benchmarks.
//!
//! Everything follows from the seed through a small SplitMix64 generator and
//! arithmetic of our own (no platform `ln`/`exp`), so the same options give
//! the same bytes everywhere. Output is streamed: memory is the customer pool
//! (one `u64` per buyer) plus a fixed time grid, whatever the order count.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use encoding_rs::{EncoderResult, GBK};

use super::names::{
    CITIES, COMPOUND_SURNAMES, COURIERS, EMAIL_DOMAINS, GIVEN_CHARS, HOUR_WEIGHTS, MESSAGES,
    NICK_CJK, NICK_LATIN, PHONE_PREFIXES, PRODUCTS, REFUND_REASONS, REMARKS, SPRING_FESTIVALS,
    STREETS, SURNAMES, UNPAID_REASONS,
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

/// Share of buyers per order: the pool is about 0.35 × orders.
const BUYERS_PER_ORDER: f64 = 0.35;
/// Encoded bytes kept before handing them to the writer.
const FLUSH_AT: usize = 1 << 18;

/// Streams both reports, GBK-encoded (chars GBK lacks, e.g. emoji, become '?', as real exports do), CRLF line ends.
pub fn generate_taobao<W1: Write, W2: Write>(
    opts: &GenOptions,
    orders_out: &mut W1,
    items_out: &mut W2,
) -> io::Result<GenSummary> {
    let mut shop = Shop::new(opts);
    let mut timeline = Timeline::new(opts, derive(opts.seed, STREAM_TIME));
    let mut rng = Rng::new(derive(opts.seed, STREAM_ORDERS));

    let mut obuf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    let mut ibuf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    let mut orow = String::with_capacity(1024);
    let mut irow = String::with_capacity(1024);
    let mut gbk = Gbk::new();

    orow.push_str(ORDER_HEADER);
    orow.push_str("\r\n");
    irow.push_str(ITEM_HEADER);
    irow.push_str("\r\n");
    gbk.encode(&orow, &mut obuf);
    gbk.encode(&irow, &mut ibuf);

    let mut summary = GenSummary {
        customers: shop.pool.len() as u64,
        ..GenSummary::default()
    };
    for k in 0..opts.orders {
        let created = timeline.next(&mut rng);
        orow.clear();
        irow.clear();
        let (lines, paid) = shop.order(k, created, &mut rng, &mut orow, &mut irow);
        summary.orders += 1;
        summary.lines += lines;
        summary.paid_fen += paid;
        gbk.encode(&orow, &mut obuf);
        gbk.encode(&irow, &mut ibuf);
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
    orders
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    items.into_inner().map_err(|e| e.into_error())?.sync_all()?;
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

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
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
// bit between systems and with it the bytes we promise to repeat.

const LN2: f64 = std::f64::consts::LN_2;

fn det_ln(x: f64) -> f64 {
    debug_assert!(x > 0.0 && x.is_finite() && x.is_normal());
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln(m) = 2·atanh(s), |s| <= 0.172, so eleven terms are plenty.
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
    tree: Vec<u64>,
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
        let mut counts: Vec<u64> = Vec::with_capacity((orders as f64 * 0.4) as usize + 1);
        let mut sum = 0u64;
        while sum < orders {
            let u = rng.unit_open();
            let x = det_exp(-det_ln(1.0 - (1.0 - u) * (1.0 - tail)) / alpha);
            let c = (x as u64).clamp(1, cap).min(orders - sum);
            counts.push(c);
            sum += c;
        }
        // Build the Fenwick tree in place (1-based).
        let n = counts.len();
        let mut tree = Vec::with_capacity(n + 1);
        tree.push(0);
        tree.extend_from_slice(&counts);
        drop(counts);
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
        let mut rest = rng.below(self.remaining);
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

struct Receiver {
    name: String,
    phone: u64,
    address: String,
    remote: bool,
}

impl Receiver {
    fn new() -> Self {
        Receiver {
            name: String::with_capacity(16),
            phone: 0,
            address: String::with_capacity(128),
            remote: false,
        }
    }
}

/// One buyer, rebuilt from its index whenever it orders (nothing per buyer
/// is stored but its remaining order count).
struct Buyer {
    nick: String,
    alipay: String,
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
        let noise: Vec<f64> = (0..days).map(|_| 0.8 + 0.4 * rng.unit_open()).collect();

        let mut cells = Vec::with_capacity(days as usize * 24 + 2);
        let mut total = 0.0;
        let mut off = 0i64;
        while off < span_secs {
            let t = start + Duration::seconds(off);
            let into_hour = i64::from(t.minute() * 60 + t.second());
            let len = (3600 - into_hour).min(span_secs - off);
            let d = (t.date() - first_day).num_days();
            let trend = 0.55 + 0.9 * (off as f64 / span_secs as f64);
            let w = trend
                * noise[d as usize]
                * day_factor(t.date())
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
        // Min of `left` uniforms on (x, 1).
        let m = self.left as f64;
        let step = -det_expm1(det_ln(rng.unit_open()) / m);
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

/// Everything fixed for one generation: tables, keys, the buyer pool.
struct Shop {
    shop_name: String,
    end: NaiveDateTime,
    pool: Pool,
    buyer_seed: u64,
    order_key: u64,
    nick_key: u64,
    couriers: [usize; 2],
    product_cum: Vec<u32>,
    city_cum: Vec<u32>,
    surname_cum: Vec<u32>,
    phone_cum: Vec<u32>,
    message_cum: Vec<u32>,
    refund_cum: Vec<u32>,
    unpaid_cum: Vec<u32>,
    buyer: Buyer,
}

const DAY: i64 = 86_400;

impl Shop {
    fn new(opts: &GenOptions) -> Shop {
        let mut shop_rng = Rng::new(derive(opts.seed, STREAM_SHOP));
        let main = shop_rng.below(COURIERS.len() as u64) as usize;
        let second =
            (main + 1 + shop_rng.below(COURIERS.len() as u64 - 1) as usize) % COURIERS.len();
        Shop {
            shop_name: opts.shop_name.clone(),
            end: opts.end,
            pool: Pool::new(opts.orders, derive(opts.seed, STREAM_POOL)),
            buyer_seed: derive(opts.seed, STREAM_BUYERS),
            order_key: derive(opts.seed, STREAM_ORDER_IDS),
            nick_key: derive(opts.seed, STREAM_NICK_IDS),
            couriers: [main, second],
            product_cum: cumulative(PRODUCTS.iter().map(|p| p.weight)),
            city_cum: cumulative(CITIES.iter().map(|c| c.weight)),
            surname_cum: cumulative(SURNAMES.iter().map(|s| s.1)),
            phone_cum: cumulative(PHONE_PREFIXES.iter().map(|p| p.1)),
            message_cum: cumulative(MESSAGES.iter().map(|m| m.1)),
            refund_cum: cumulative(REFUND_REASONS.iter().map(|m| m.1)),
            unpaid_cum: cumulative(UNPAID_REASONS.iter().map(|m| m.1)),
            buyer: Buyer {
                nick: String::with_capacity(32),
                alipay: String::with_capacity(32),
                receivers: [Receiver::new(), Receiver::new()],
                has_second: false,
            },
        }
    }

    /// Rebuild buyer `idx` into `self.buyer`.
    fn load_buyer(&mut self, idx: usize) {
        let mut rng = Rng::new(mix64(
            self.buyer_seed ^ (idx as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93),
        ));
        let b = &mut self.buyer;

        // Nickname: syllables + a number unique to the buyer.
        let number = nick_number(idx as u64, self.nick_key);
        b.nick.clear();
        let first_syllable;
        let style = rng.below(100);
        if style < 10 {
            b.nick.push_str("tb");
            push_u64(&mut b.nick, number);
            push_padded(&mut b.nick, rng.below(100), 2);
            first_syllable = "tb";
        } else {
            let a = syllable(&mut rng);
            let c = syllable(&mut rng);
            b.nick.push_str(a);
            b.nick.push_str(c);
            first_syllable = a;
            if style < 55 {
                push_u64(&mut b.nick, number);
            } else {
                push_u64(&mut b.nick, number / 1000);
                b.nick.push('_');
                push_u64(&mut b.nick, number % 1000);
            }
        }

        b.has_second = rng.chance(100);
        for r in 0..2 {
            fill_receiver(
                &mut rng,
                &mut b.receivers[r],
                &self.surname_cum,
                &self.phone_cum,
                &self.city_cum,
            );
        }

        b.alipay.clear();
        if rng.chance(200) {
            b.alipay.push_str(first_syllable);
            b.alipay.push_str("***@");
            b.alipay.push_str(rng.pick(EMAIL_DOMAINS));
        } else {
            let p = b.receivers[0].phone;
            push_u64(&mut b.alipay, p / 100_000_000);
            b.alipay.push_str("****");
            push_padded(&mut b.alipay, p % 10_000, 4);
        }
    }

    /// Writes order `k` (created at `created`) into `orow` and its items into
    /// `irow`; returns (item rows, fen paid).
    fn order(
        &mut self,
        k: u64,
        created: NaiveDateTime,
        rng: &mut Rng,
        orow: &mut String,
        irow: &mut String,
    ) -> (u64, i64) {
        let buyer = self.pool.draw(rng);
        self.load_buyer(buyer);
        let recv = if self.buyer.has_second && rng.chance(300) {
            1
        } else {
            0
        };

        // Order number: random high digits over a scrambled unique low part.
        let low = feistel(k % 1_000_000_000_000, 1_000_000, self.order_key);
        let high = if rng.chance(600) {
            rng.range(1_000_000, 3_999_999)
        } else {
            rng.range(100_000, 999_999)
        };
        let id = high * 1_000_000_000_000 + low;

        // Items.
        let n_items = match rng.below(1000) {
            0..600 => 1,
            600..880 => 2,
            _ => 3,
        };
        let mut picked = [usize::MAX; 3];
        let mut qty = [0u64; 3];
        let mut attr: [&str; 3] = [""; 3];
        let mut i = 0;
        while i < n_items {
            let p = rng.weighted(&self.product_cum);
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
                attr[i] = rng.pick(attrs);
            }
            i += 1;
        }
        let goods: i64 = (0..n_items)
            .map(|i| i64::from(PRODUCTS[picked[i]].price_fen) * qty[i] as i64)
            .sum();
        let total_qty: u64 = qty[..n_items].iter().sum();

        // Postage and coupons.
        let remote = self.buyer.receivers[recv].remote;
        let postage: i64 = if remote {
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

        // Status by age, then made causal (no shipping before paying...).
        let age = (self.end - created).num_seconds();
        let pay_delay = match rng.below(1000) {
            0..700 => rng.range(3, 300),
            700..900 => rng.range(300, 1800),
            900..980 => rng.range(1800, 7200),
            _ => rng.range(7200, 86_400),
        } as i64;
        let ship_delay = rng.range(3600, 2 * DAY as u64) as i64;
        let r = rng.below(1000);
        let closed = |rng: &mut Rng, refund_share: u64| {
            if rng.chance(refund_share) {
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
                // Round to ten fen like a seller typing a refund.
                ((paid * pct / 100) / 10 * 10).clamp(lo, hi)
            }
            _ => 0,
        };
        let shipped = match status {
            Status::Shipped | Status::Success => true,
            Status::ClosedRefund => rng.chance(300),
            _ => false,
        };
        let close_reason = match status {
            Status::ClosedRefund => REFUND_REASONS[rng.weighted(&self.refund_cum)].0,
            Status::ClosedUnpaid => UNPAID_REASONS[rng.weighted(&self.unpaid_cum)].0,
            _ => "订单未关闭",
        };
        let message = if rng.chance(150) {
            MESSAGES[rng.weighted(&self.message_cum)].0
        } else {
            ""
        };
        let remark = if rng.chance(30) {
            rng.pick(REMARKS)
        } else {
            ""
        };
        let mobile = if rng.chance(800) { "手机订单" } else { "" };

        // The order row.
        let b = &self.buyer;
        let rc = &b.receivers[recv];
        orow.push_str("=\"");
        push_u64(orow, id);
        orow.push_str("\",");
        cell(orow, &b.nick);
        cell(orow, &b.alipay);
        cell_money(orow, goods);
        cell_money(orow, postage);
        cell(orow, "0");
        cell_money(orow, total);
        cell(orow, "0");
        cell_money(orow, paid);
        cell(orow, "0");
        cell(orow, status.text());
        cell(orow, message);
        cell(orow, &rc.name);
        cell(orow, &rc.address);
        cell(orow, "快递");
        cell(orow, "");
        orow.push_str("\"'");
        push_padded(orow, rc.phone, 11);
        orow.push_str("\",");
        orow.push('"');
        push_datetime(orow, created);
        orow.push_str("\",");
        orow.push('"');
        if status.paid() {
            push_datetime(orow, created + Duration::seconds(pay_delay));
        }
        orow.push_str("\",");
        orow.push('"');
        for (i, &p) in picked[..n_items].iter().enumerate() {
            if i > 0 {
                orow.push('，');
            }
            orow.push_str(PRODUCTS[p].title);
        }
        orow.push_str("\",");
        cell_u64(orow, n_items as u64);
        let courier = if shipped {
            let c = match rng.below(1000) {
                0..700 => self.couriers[0],
                700..900 => self.couriers[1],
                _ => rng.below(COURIERS.len() as u64) as usize,
            };
            let c = &COURIERS[c];
            orow.push_str("=\"");
            orow.push_str(rng.pick(c.prefixes));
            push_padded(orow, rng.below(10u64.pow(c.digits)), c.digits as usize);
            orow.push_str("\",");
            c.name
        } else {
            cell(orow, "");
            ""
        };
        cell(orow, courier);
        cell(orow, remark);
        cell_u64(orow, total_qty);
        cell(orow, "0");
        cell(orow, &self.shop_name);
        cell(orow, close_reason);
        cell(orow, "0");
        cell(orow, "0元");
        cell(orow, "");
        cell(orow, mobile);
        for _ in 0..2 {
            cell(orow, "");
        }
        for _ in 0..3 {
            cell(orow, "否");
        }
        for _ in 0..4 {
            cell(orow, "");
        }
        cell(orow, "0");
        cell(orow, "0");
        cell(orow, "否");
        cell_money(orow, refund);
        cell(orow, "");
        orow.pop();
        orow.push_str("\r\n");

        // The item rows (trailing comma, like the real thing).
        for i in 0..n_items {
            let p = &PRODUCTS[picked[i]];
            irow.push_str("=\"");
            push_u64(irow, id);
            irow.push_str("\",");
            cell(irow, p.title);
            cell_money(irow, i64::from(p.price_fen));
            cell_u64(irow, qty[i]);
            cell(irow, "");
            cell(irow, attr[i]);
            cell(irow, "");
            cell(irow, "");
            cell(irow, status.text());
            cell(irow, p.sku);
            irow.push_str("\r\n");
        }
        (n_items as u64, paid)
    }
}

fn syllable(rng: &mut Rng) -> &'static str {
    if rng.chance(600) {
        rng.pick(NICK_CJK)
    } else {
        rng.pick(NICK_LATIN)
    }
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

fn fill_receiver(
    rng: &mut Rng,
    r: &mut Receiver,
    surname_cum: &[u32],
    phone_cum: &[u32],
    city_cum: &[u32],
) {
    r.name.clear();
    let compound = rng.chance(12);
    if compound {
        r.name.push_str(rng.pick(COMPOUND_SURNAMES));
    } else {
        r.name.push_str(SURNAMES[rng.weighted(surname_cum)].0);
    }
    let given = if rng.chance(if compound { 500 } else { 250 }) {
        1
    } else {
        2
    };
    for _ in 0..given {
        r.name.push_str(rng.pick(GIVEN_CHARS));
    }

    r.phone =
        u64::from(PHONE_PREFIXES[rng.weighted(phone_cum)].0) * 100_000_000 + rng.below(100_000_000);

    let ci = rng.weighted(city_cum);
    let city = &CITIES[ci];
    let di = rng.below(city.districts.len() as u64);
    r.remote = city.remote;
    let a = &mut r.address;
    a.clear();
    a.push_str(city.province);
    a.push(' ');
    a.push_str(city.city);
    a.push(' ');
    a.push_str(city.districts[di as usize]);
    a.push(' ');
    a.push_str(rng.pick(STREETS));
    push_u64(a, rng.range(1, 999));
    a.push('号');
    push_u64(a, rng.range(1, 36));
    a.push('幢');
    push_u64(a, rng.range(1, 33) * 100 + rng.range(1, 6));
    a.push('室');
    a.push('(');
    push_padded(a, u64::from(city.postcode) + di * 10 + rng.below(10), 6);
    a.push(')');
}

// ---------------------------------------------------------------------------
// Formatting

fn push_u64(s: &mut String, mut v: u64) {
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
    s.push_str(std::str::from_utf8(&buf[i..]).expect("ASCII digits"));
}

fn push_padded(s: &mut String, v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut v = v;
    let mut i = buf.len();
    while v > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    s.push_str(std::str::from_utf8(&buf[start..]).expect("ASCII digits"));
}

fn push_datetime(s: &mut String, t: NaiveDateTime) {
    push_padded(s, t.year() as u64, 4);
    s.push('-');
    push_padded(s, u64::from(t.month()), 2);
    s.push('-');
    push_padded(s, u64::from(t.day()), 2);
    s.push(' ');
    push_padded(s, u64::from(t.hour()), 2);
    s.push(':');
    push_padded(s, u64::from(t.minute()), 2);
    s.push(':');
    push_padded(s, u64::from(t.second()), 2);
}

/// A quoted cell and its separator; quotes inside are doubled.
fn cell(s: &mut String, text: &str) {
    s.push('"');
    if text.as_bytes().contains(&b'"') {
        s.push_str(&text.replace('"', "\"\""));
    } else {
        s.push_str(text);
    }
    s.push_str("\",");
}

fn cell_u64(s: &mut String, v: u64) {
    s.push('"');
    push_u64(s, v);
    s.push_str("\",");
}

/// Money with two decimals, e.g. `"238.80"` (amounts here are never negative).
fn cell_money(s: &mut String, fen: i64) {
    let fen = fen.max(0) as u64;
    s.push('"');
    push_u64(s, fen / 100);
    s.push('.');
    push_padded(s, fen % 100, 2);
    s.push_str("\",");
}

/// A GBK encoder that remembers every BMP character it has encoded.
/// encoding_rs encodes legacy CJK slowly (its fast tables are behind a
/// feature); our text comes from small tables, so a memo is nearly free.
struct Gbk {
    /// 0: not seen yet; [`UNMAPPABLE`]; < 0x100: one byte; else lead << 8 | trail.
    memo: Vec<u16>,
}

const UNMAPPABLE: u16 = 0xFFFF;

impl Gbk {
    fn new() -> Gbk {
        Gbk {
            memo: vec![0; 0x1_0000],
        }
    }

    /// Appends `src` as GBK; characters GBK lacks become `?`.
    fn encode(&mut self, src: &str, dst: &mut Vec<u8>) {
        // GBK never needs more bytes than UTF-8 for the same text.
        let bytes = src.as_bytes();
        let start = dst.len();
        dst.resize(start + bytes.len(), 0);
        let out = &mut dst[start..];
        let (mut i, mut o) = (0, 0);
        while i < bytes.len() {
            let lead = bytes[i];
            if lead < 0x80 {
                out[o] = lead;
                i += 1;
                o += 1;
                continue;
            }
            // `src` is valid UTF-8, so the continuation bytes are there.
            let (code, len) = match lead {
                0xC0..0xE0 => (
                    u32::from(lead & 0x1F) << 6 | u32::from(bytes[i + 1] & 0x3F),
                    2,
                ),
                0xE0..0xF0 => (
                    u32::from(lead & 0x0F) << 12
                        | u32::from(bytes[i + 1] & 0x3F) << 6
                        | u32::from(bytes[i + 2] & 0x3F),
                    3,
                ),
                _ => (0x1_0000, 4),
            };
            i += len;
            let v = if code > 0xFFFF {
                UNMAPPABLE
            } else {
                let slot = &mut self.memo[code as usize];
                if *slot == 0 {
                    *slot = char::from_u32(code).map_or(UNMAPPABLE, gbk_char);
                }
                *slot
            };
            match v {
                UNMAPPABLE => {
                    out[o] = b'?';
                    o += 1;
                }
                0..0x100 => {
                    out[o] = v as u8;
                    o += 1;
                }
                _ => {
                    out[o..o + 2].copy_from_slice(&v.to_be_bytes());
                    o += 2;
                }
            }
        }
        dst.truncate(start + o);
    }
}

fn gbk_char(ch: char) -> u16 {
    let mut utf8 = [0u8; 4];
    let mut out = [0u8; 8];
    let (result, _, written) = GBK.new_encoder().encode_from_utf8_without_replacement(
        ch.encode_utf8(&mut utf8),
        &mut out,
        true,
    );
    match (result, written) {
        (EncoderResult::InputEmpty, 1) => u16::from(out[0]),
        (EncoderResult::InputEmpty, 2) => u16::from_be_bytes([out[0], out[1]]),
        _ => UNMAPPABLE,
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
        all.extend(GIVEN_CHARS);
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
    fn memo_encoder_matches_encoding_rs_and_turns_emoji_into_question_marks() {
        let mut gbk = Gbk::new();
        let mut out = Vec::new();
        gbk.encode("好😊评❤️", &mut out);
        assert_eq!(GBK.decode(&out).0, "好?评??");
        let text: String = MESSAGES
            .iter()
            .map(|m| m.0)
            .chain(GIVEN_CHARS.iter().copied())
            .collect();
        let text = format!("{text}€，：（）¥ abc\r\n");
        for _ in 0..2 {
            out.clear();
            gbk.encode(&text, &mut out);
            let mut expected = Vec::new();
            for ch in text.chars() {
                let mut utf8 = [0; 4];
                let (bytes, _, bad) = GBK.encode(ch.encode_utf8(&mut utf8));
                expected.extend_from_slice(if bad { b"?" } else { &bytes });
            }
            assert_eq!(out, expected);
        }
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
        println!(
            "{s:?} in {dt:.2?}; {} + {} bytes; {hwm}",
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
