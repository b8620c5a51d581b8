//! Typed records the parser yields and the store writes, and the reading
//! of a report as the store's loader sees it ([`Records`]): `import` reads
//! files into these, `db` writes them, `ingest` joins the two.

use crate::domain::{OrderStatus, Platform};
use crate::i18n::Lang;

/// Which report a file is: the order report, or the item report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    Orders,
    Items,
}

/// A row of the report, borrowing the reader's reused record: the loader reads
/// it in place, and copies it only when it writes it.
pub enum RowRef<'a> {
    Order(&'a mut OrderRecord),
    Line(&'a mut LineRecord),
    Rejected(RejectedRow),
}

/// A report being read, row by row: what the loader needs of a reader.
pub trait Records {
    fn kind(&self) -> ReportKind;
    fn platform(&self) -> Platform;
    /// The encoding the file was read in (`GB18030`, `UTF-8`…).
    fn encoding(&self) -> &'static str;
    /// The language of the import (rejected rows keep their reason in it too).
    fn lang(&self) -> Lang;
    /// The next row, or `None` at the end; a refusal stops the whole file.
    fn next_ref(&mut self) -> Result<Option<RowRef<'_>>, super::Refusal>;
    /// Bytes of the file read so far, for progress.
    fn bytes_read(&self) -> u64;
    /// The file's data rows read, when the reader gives fewer rows than that
    /// (an order gathered from several rows is one row to the loader).
    fn rows_read(&self) -> Option<u64> {
        None
    }
}

/// One order as a platform report states it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderRecord {
    pub line: u64,
    pub order_no: String,
    pub buyer_key: String,
    /// The buyer's shown name: the nickname, or the receiver name on platforms without one.
    pub nick: String,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub status: OrderStatus,
    pub status_raw: String,
    pub goods_fen: i64,
    pub postage_fen: i64,
    pub total_fen: i64,
    pub paid_fen: i64,
    pub refund_fen: i64,
    pub created_at: String,
    pub paid_at: Option<String>,
    pub shipped_at: Option<String>,
    pub completed_at: Option<String>,
    pub title: String,
    pub item_kinds: i64,
    pub item_qty: i64,
    pub message: String,
    pub remark: String,
    pub carrier: String,
    pub tracking_no: String,
    pub close_reason: String,
    pub shop: String,
    /// A line item carried on the order row itself (platforms with one product per row).
    pub inline_line: Option<LineRecord>,
    /// The lines of an order given over several rows (Douyin, JD: one row per
    /// line item), gathered by the reader; empty on other platforms.
    pub lines: Vec<LineRecord>,
}

/// One line item of an item report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineRecord {
    pub line: u64,
    pub order_no: String,
    pub sub_order_no: String,
    pub title: String,
    pub props: String,
    pub price_fen: i64,
    pub qty: i64,
    pub refund_fen: i64,
    pub status_raw: String,
    pub merchant_code: String,
    pub remark: String,
}

/// A row that cannot be trusted: kept with its raw text so it can be fixed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RejectedRow {
    pub line: u64,
    /// Why, as a code and parameters: put into words in the reader's language.
    pub reason: super::reason::Reason,
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Order(Box<OrderRecord>),
    Line(LineRecord),
    Rejected(RejectedRow),
}

/// A stable 64-bit fingerprint (FNV-1a) of everything stored from a row, so a
/// re-import can tell "nothing changed" without reading the stored row back.
pub struct Fingerprint(u64);

impl Fingerprint {
    pub fn new() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        for &x in b {
            self.0 ^= u64::from(x);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator so ("ab","c") and ("a","bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        self
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }
    pub fn opt(&mut self, s: &Option<String>) -> &mut Self {
        self.str(s.as_deref().unwrap_or("\u{0}"))
    }
    pub fn int(&mut self, v: i64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }
    pub fn finish(&self) -> i64 {
        self.0 as i64
    }
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl OrderRecord {
    pub fn fingerprint(&self) -> i64 {
        let mut f = Fingerprint::new();
        f.str(&self.buyer_key)
            .str(&self.nick)
            .str(&self.name)
            .str(&self.phone)
            .str(&self.address)
            .str(&self.status_raw)
            .int(self.goods_fen)
            .int(self.postage_fen)
            .int(self.total_fen)
            .int(self.paid_fen)
            .int(self.refund_fen)
            .str(&self.created_at)
            .opt(&self.paid_at)
            .opt(&self.shipped_at)
            .opt(&self.completed_at)
            .str(&self.title)
            .int(self.item_kinds)
            .int(self.item_qty)
            .str(&self.message)
            .str(&self.remark)
            .str(&self.carrier)
            .str(&self.tracking_no)
            .str(&self.close_reason)
            .str(&self.shop);
        if let Some(l) = &self.inline_line {
            f.int(l.fingerprint());
        }
        for l in &self.lines {
            f.int(l.fingerprint());
        }
        f.finish()
    }
}

impl LineRecord {
    /// The line as a row of the legacy item report (`订单编号,标题,价格,购买数量,外部系统编号,
    /// 商品属性,套餐信息,备注,订单状态,商家编码`), for keeping a rejected line re-importable.
    pub fn to_raw(&self) -> String {
        let price = crate::domain::money::fen_to_plain(self.price_fen);
        let qty = self.qty.to_string();
        let fields = [
            self.order_no.as_str(),
            &self.title,
            &price,
            &qty,
            "",
            &self.props,
            "",
            &self.remark,
            &self.status_raw,
            &self.merchant_code,
        ];
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record(fields);
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8_lossy(&bytes).trim_end().to_string()
    }

    pub fn fingerprint(&self) -> i64 {
        Fingerprint::new()
            .str(&self.sub_order_no)
            .str(&self.title)
            .str(&self.props)
            .int(self.price_fen)
            .int(self.qty)
            .int(self.refund_fen)
            .str(&self.status_raw)
            .str(&self.merchant_code)
            .str(&self.remark)
            .finish()
    }
}
