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
//!
//! This module holds the options and the streaming loop; the parts are
//! `rng` (seeded streams, deterministic `ln`/`exp`), `pool` (who buys how
//! often), `timeline` (when orders are placed), `text` (statuses and the
//! name tables of `demo::names` as GBK), `buyer` (the shop and its buyers),
//! `order` (one order's rows) and `cells` (GBK cells).

mod buyer;
mod cells;
mod douyin;
mod order;
mod pool;
mod rng;
#[cfg(test)]
mod tests;
mod text;
mod timeline;

pub use self::douyin::{DouyinOptions, Person, generate_douyin, write_douyin_file};

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use self::buyer::Shop;
use self::cells::to_gbk;
use self::rng::{Rng, STREAM_ORDERS, STREAM_TIME, derive};
use self::timeline::Timeline;

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

/// Buyers per order a buyer's plan would give (fewer get placed: some
/// stop, the newest have more to come): about 0.4 × orders end up buyers.
const BUYERS_PER_ORDER: f64 = 0.28;

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

    let mut summary = GenSummary::default();
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
    summary.customers = shop.pool.len() as u64;
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
