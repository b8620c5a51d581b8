//! The pure half of import: a report file in, typed rows with line numbers out.
//! Never touches the database.

use super::clean::{self, ECHO_CHARS, clip};
use super::decode::{self, Utf8Reader};
use super::fill::{Cells, fill_line, fill_order};
use super::presets::{self, ColumnMap, Field, Preset, ReportKind};
use super::record::{LineRecord, OrderRecord, RejectedRow, Row};
use super::records::{Meta, Records, field_str};
use super::refusal::Refusal;
use super::source::Source;
use crate::domain::Platform;
use crate::i18n::Lang;
use std::io::Read;

mod group;
#[cfg(test)]
mod group_tests;

pub use super::fill::pdd::pdd_buyer_key;

/// How many records may precede the header (notes above it in some exports).
const HEADER_SEARCH_ROWS: usize = 30;

pub use crate::model::record::RowRef;

/// A report being read: what it is, and its rows.
pub struct ReportReader<R: Read> {
    pub preset: &'static Preset,
    pub encoding: &'static str,
    pub delimiter: u8,
    pub header_line: u64,
    csv: Source<R>,
    map: ColumnMap,
    /// The record being parsed and the one after it (read ahead to tell the last).
    current: csv::ByteRecord,
    pending: csv::ByteRecord,
    current_meta: Meta,
    pending_meta: Meta,
    has_pending: bool,
    done: bool,
    last_line: u64,
    /// The parsed row, its buffers reused from row to row.
    order: OrderRecord,
    line: LineRecord,
    /// Buffers of optional cells that were empty in the last row.
    spare: Vec<String>,
    /// The language of the import (rejected rows also keep their reason in
    /// words in it, for older versions of kehu).
    lang: Lang,
    /// Orders given over several rows, gathered (`Some` on those platforms).
    groups: Option<group::Groups>,
}

impl<R: Read> ReportReader<R> {
    /// Open a report: decode, find and recognise the header. `platform` restricts detection.
    pub fn open(inner: R, platform: Option<Platform>) -> Result<Self, Refusal> {
        let (mut utf8, enc) = Utf8Reader::new(inner).map_err(|e| Refusal::from_io(e, 1))?;
        if let Some(kind) = utf8.container {
            return Err(Refusal::Container { kind: kind.into() });
        }
        let head = utf8.peek().map_err(|e| Refusal::from_io(e, 1))?;
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Refusal::Empty);
        }
        // The delimiter that dominates the first lines (a note line may precede the header).
        let first_lines: Vec<&[u8]> = head.split(|&b| b == b'\n').take(8).collect();
        // A tab that ends a value (`300000001\t,` in JD exports) or opens a
        // quoted one (`"\t6917…"` in Douyin exports) is part of the cell.
        let tabs: usize = first_lines
            .iter()
            .map(|l| {
                (0..l.len())
                    .filter(|&i| {
                        l[i] == b'\t' && l.get(i + 1) != Some(&b',') && (i == 0 || l[i - 1] != b'"')
                    })
                    .count()
            })
            .sum();
        let commas: usize = first_lines
            .iter()
            .map(|l| l.iter().filter(|&&b| b == b',').count())
            .sum();
        let delimiter = if tabs > commas { b'\t' } else { b',' };
        let csv = Source::Csv(Records::new(utf8, delimiter));
        Self::from_source(csv, decode::encoding_label(enc), delimiter, platform)
    }

    /// A report whose records come from `csv` (CSV text or a sheet): find
    /// and recognise the header. `platform` restricts detection.
    pub(crate) fn from_source(
        mut csv: Source<R>,
        encoding: &'static str,
        delimiter: u8,
        platform: Option<Platform>,
    ) -> Result<Self, Refusal> {
        let candidates: Vec<&'static Preset> = presets::ALL
            .iter()
            .copied()
            .filter(|p| platform.is_none_or(|pl| pl == p.platform))
            .collect();
        let mut record = csv::ByteRecord::new();
        let mut best: Option<(usize, &'static Preset, ColumnMap, u64)> = None;
        let mut first_header: Option<(u64, String)> = None;
        for _ in 0..HEADER_SEARCH_ROWS {
            let Some(meta) = csv.read(&mut record, 16)? else {
                break;
            };
            let line = meta.line;
            let headers: Vec<String> = record
                .iter()
                .map(|c| clean::header_name(field_str(c)))
                .collect();
            if first_header.is_none() && headers.iter().any(|h| !h.is_empty()) {
                let shown: Vec<String> = headers.iter().take(6).map(|h| clip(h, 40)).collect();
                first_header = Some((line, clip(&shown.join(", "), ECHO_CHARS)));
            }
            for p in &candidates {
                if presets::ruled_out(p, &headers) {
                    continue;
                }
                let map = presets::map_columns(p, &headers);
                if presets::missing(p, &map).is_empty() {
                    if let Some(column) = presets::duplicated(&map, &headers) {
                        return Err(Refusal::DuplicateColumn {
                            column: clip(column, ECHO_CHARS),
                        });
                    }
                    csv.set_columns(&map);
                    return Ok(ReportReader {
                        preset: p,
                        encoding,
                        delimiter,
                        header_line: line,
                        csv,
                        map,
                        current: csv::ByteRecord::new(),
                        pending: csv::ByteRecord::new(),
                        current_meta: Meta::default(),
                        pending_meta: Meta::default(),
                        has_pending: false,
                        done: false,
                        last_line: line,
                        order: OrderRecord::default(),
                        line: LineRecord::default(),
                        spare: Vec::new(),
                        lang: Lang::Zh,
                        groups: group::gathers(p.platform).then(group::Groups::default),
                    });
                }
                let score = presets::signature_score(p, &map);
                if score >= 3 && best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, p, map, line));
                }
            }
        }
        if let Some((_, p, map, _)) = best {
            let missing = presets::missing(p, &map)
                .into_iter()
                .map(|f| {
                    if f == Field::Buyer && p.platform == Platform::Taobao {
                        crate::i18n::import::BUYER_KEY
                    } else {
                        presets::field_label(p, f)
                    }
                })
                .collect();
            return Err(Refusal::MissingColumns {
                report: p.name,
                missing,
            });
        }
        match first_header {
            None => Err(Refusal::Empty),
            Some((line, found)) => Err(Refusal::NotAnExport { line, found }),
        }
    }

    pub fn kind(&self) -> ReportKind {
        self.preset.kind
    }

    pub fn platform(&self) -> Platform {
        self.preset.platform
    }

    /// The language of the import (Chinese unless set).
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Read the rest of the records on a second thread, while this one
    /// loads (a CSV file; a sheet is read on its own thread already).
    pub fn read_ahead(self) -> Self
    where
        R: Send + 'static,
    {
        ReportReader {
            csv: self.csv.read_ahead(),
            ..self
        }
    }

    /// Raw bytes read so far (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.csv.bytes_read()
    }

    /// Read the next record that is not blank into `pending`.
    fn read_pending(&mut self) -> Result<bool, Refusal> {
        loop {
            let width = self.map.width;
            match self.csv.read(&mut self.pending, width)? {
                None => return Ok(false),
                Some(meta) => self.pending_meta = meta,
            }
            // Blank lines (and rows of empty cells) carry nothing.
            if self
                .pending
                .iter()
                .all(|c| clean::cell(field_str(c)).is_empty())
            {
                continue;
            }
            return Ok(true);
        }
    }

    /// The next row, or a refusal of the whole file.
    pub fn next_row(&mut self) -> Result<Option<Row>, Refusal> {
        Ok(self.next_ref()?.map(|r| match r {
            RowRef::Order(o) => Row::Order(Box::new(o.clone())),
            RowRef::Line(l) => Row::Line(l.clone()),
            RowRef::Rejected(r) => Row::Rejected(r),
        }))
    }

    /// The next row, parsed into the reader's reused record; or a refusal of
    /// the whole file. On platforms that give an order over several rows, the
    /// next whole order (see `group`).
    pub fn next_ref(&mut self) -> Result<Option<RowRef<'_>>, Refusal> {
        if self.groups.is_some() {
            return self.next_gathered();
        }
        self.next_single()
    }

    /// The next row of the file as it stands alone.
    fn next_single(&mut self) -> Result<Option<RowRef<'_>>, Refusal> {
        if self.done {
            return Ok(None);
        }
        if !self.has_pending && !self.read_pending()? {
            self.done = true;
            return self.check_end(None).map(|_| None);
        }
        std::mem::swap(&mut self.current, &mut self.pending);
        self.current_meta = self.pending_meta;
        self.has_pending = self.read_pending()?;
        let line = self.current_meta.line;
        self.last_line = line;
        if !self.has_pending {
            self.done = true;
            self.check_end(Some((&self.current, self.current_meta)))?;
        }
        let Some(text) = super::fill::record_text(&self.current) else {
            return Err(Refusal::from_stop(
                super::records::Stop::Undecodable { line },
                self.map.width,
            ));
        };
        let cells = Cells {
            map: &self.map,
            preset: self.preset,
            rec: &self.current,
            text,
        };
        let result = match self.preset.kind {
            ReportKind::Orders => fill_order(&cells, line, &mut self.order, &mut self.spare),
            ReportKind::Items => fill_line(&cells, line, &mut self.line),
        };
        Ok(Some(match result {
            Ok(()) => match self.preset.kind {
                ReportKind::Orders => RowRef::Order(&mut self.order),
                ReportKind::Items => RowRef::Line(&mut self.line),
            },
            Err(reason) => RowRef::Rejected(RejectedRow {
                line,
                reason,
                raw: raw_text(&self.current, self.delimiter),
            }),
        }))
    }

    /// A file whose last record is cut short with no final newline is a
    /// broken download (one that ends inside a quoted cell stops the reading).
    fn check_end(&self, last: Option<(&csv::ByteRecord, Meta)>) -> Result<(), Refusal> {
        if let Some((r, meta)) = last
            && !meta.terminated
            && r.len() < self.map.width
        {
            return Err(Refusal::Truncated { line: meta.line });
        }
        Ok(())
    }
}

/// The record written back as one CSV line, to keep with a rejected row.
fn raw_text(rec: &csv::ByteRecord, delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(rec);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

impl<R: Read> crate::model::Records for ReportReader<R> {
    fn kind(&self) -> ReportKind {
        ReportReader::kind(self)
    }
    fn platform(&self) -> Platform {
        ReportReader::platform(self)
    }
    fn encoding(&self) -> &'static str {
        self.encoding
    }
    fn lang(&self) -> Lang {
        ReportReader::lang(self)
    }
    fn next_ref(&mut self) -> Result<Option<RowRef<'_>>, Refusal> {
        ReportReader::next_ref(self)
    }
    fn bytes_read(&self) -> u64 {
        ReportReader::bytes_read(self)
    }
    fn rows_read(&self) -> Option<u64> {
        self.groups.as_ref().map(|g| g.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrderStatus;
    use crate::import::Reason;

    const TB_HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,\"收货地址 \",联系手机,订单创建时间,\"订单付款时间 \",退款金额\n";

    fn rows(text: &str) -> Result<Vec<Row>, Refusal> {
        let mut r = ReportReader::open(text.as_bytes(), None)?;
        let mut out = vec![];
        while let Some(row) = r.next_row()? {
            out.push(row);
        }
        Ok(out)
    }

    #[test]
    fn parses_taobao_rows_with_quirks() {
        let text = format!(
            "{TB_HEADER}=\"2631576957364263876\",橙子小猫88668_111,84.40,交易成功,\"麻烦发顺丰,\"\"谢谢\"\"\n第二行\",白霞欣,上海 上海市,'18892367679,2024/1/3 2:45,2024-01-03 02:55:47,0.00\n"
        );
        let rows = rows(&text).unwrap();
        let Row::Order(o) = &rows[0] else {
            panic!("{rows:?}")
        };
        assert_eq!(o.order_no, "2631576957364263876");
        assert_eq!(o.paid_fen, 8440);
        assert_eq!(o.status, OrderStatus::Completed);
        assert_eq!(o.phone, "18892367679");
        assert_eq!(o.created_at, "2024-01-03 02:45:00");
        assert_eq!(o.message, "麻烦发顺丰,\"谢谢\"\n第二行");
        assert_eq!(o.line, 2);
    }

    #[test]
    fn rejects_scientific_order_numbers_with_line() {
        let text = format!(
            "{TB_HEADER}\"a\nb\",x,1,交易成功,,,,,2024-01-01,,\n3.41835E+17,y,1,交易成功,,,,,2024-01-01,,\n"
        );
        let rows = rows(&text).unwrap();
        assert_eq!(rows.len(), 2);
        let Row::Rejected(r) = &rows[1] else {
            panic!("{rows:?}")
        };
        assert_eq!(r.line, 4);
        assert!(
            matches!(&r.reason, Reason::OrderNoScientific { value } if value == "3.41835E+17"),
            "{:?}",
            r.reason
        );
        assert!(r.reason.text(Lang::Zh).contains("科学计数法"));
        assert!(r.raw.starts_with("3.41835E+17,y"));
    }

    #[test]
    fn rejects_bad_money_and_dates() {
        let text =
            format!("{TB_HEADER}1,x,abc,交易成功,,,,,2024-01-01,,\n2,x,1.00,交易成功,,,,,昨天,,\n");
        let rows = rows(&text).unwrap();
        assert!(
            matches!(&rows[0], Row::Rejected(r) if r.reason.text(Lang::Zh).contains("不是金额"))
        );
        assert!(
            matches!(&rows[1], Row::Rejected(r) if r.reason.text(Lang::Zh).contains("不是日期"))
        );
    }

    #[test]
    fn refuses_files_that_are_not_exports() {
        assert!(matches!(rows(""), Err(Refusal::Empty)));
        assert!(matches!(rows("\n\n"), Err(Refusal::Empty)));
        assert!(matches!(
            rows("name,age\nalice,3\n"),
            Err(Refusal::NotAnExport { line: 1, .. })
        ));
        let no_buyer = "订单编号,买家实付金额,订单状态,订单创建时间\n1,1,交易成功,2024-01-01\n";
        match rows(no_buyer) {
            Err(Refusal::MissingColumns { missing, .. }) => {
                assert!(missing.contains(&"买家会员名"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_only_is_valid_and_empty() {
        assert_eq!(rows(TB_HEADER).unwrap(), vec![]);
    }

    #[test]
    fn refuses_truncated_files() {
        let cut_in_quote = format!("{TB_HEADER}1,x,1.00,交易成功,\"留言没写完");
        assert!(matches!(
            rows(&cut_in_quote),
            Err(Refusal::Truncated { line: 2 })
        ));
        let cut_short = format!("{TB_HEADER}1,x,1.00,交易成功,,,,,2024-01-01,,\n2,y,1.00,交易");
        assert!(matches!(
            rows(&cut_short),
            Err(Refusal::Truncated { line: 3 })
        ));
        let no_final_newline = format!("{TB_HEADER}1,x,1.00,交易成功,,,,,2024-01-01,,");
        assert_eq!(rows(&no_final_newline).unwrap().len(), 1);
    }

    #[test]
    fn tab_separated_and_header_below_notes() {
        let text = "导出说明：仅供参考\n订单编号\t买家会员名\t买家实付金额\t订单状态\t订单创建时间\n123\t买家甲\t12\t交易成功\t2016/5/23 22:02\n";
        let rows = rows(text).unwrap();
        let Row::Order(o) = &rows[0] else {
            panic!("{rows:?}")
        };
        assert_eq!((o.paid_fen, o.line), (1200, 3));
    }

    #[test]
    fn pdd_rows_get_a_derived_key_and_a_line() {
        let text = "\u{FEFF}商品,订单号,订单状态,商品总价(元),邮费(元),用户实付金额(元),商品数量(件),收货人,手机,省,市,区,街道,支付时间,订单成交时间,售后状态\n便利贴,240101-686530479097565\t,已签收,19.80\t,0.00,17.80,2,彭军,17158906276,北京,北京市,东城区,文三路347号,2024-01-01 08:16:56,2024-01-01 08:16:56,退款成功\n";
        let rows = rows(text).unwrap();
        let Row::Order(o) = &rows[0] else {
            panic!("{rows:?}")
        };
        assert_eq!(o.order_no, "240101-686530479097565");
        assert_eq!(o.buyer_key, "彭军|6276|北京北京市东城区文三路347号");
        assert_eq!(o.status, OrderStatus::Completed);
        assert_eq!(o.refund_fen, 1780);
        assert_eq!(o.inline_line.as_ref().map(|l| l.qty), Some(2));
    }

    /// 已取消 after a refund was paid (售后状态 退款成功) is refunded; 已取消
    /// without one is closed.
    #[test]
    fn pdd_cancelled_after_a_refund_is_refunded() {
        let text = "商品,订单号,订单状态,商品总价(元),邮费(元),用户实付金额(元),商品数量(件),收货人,手机,省,市,区,街道,支付时间,订单成交时间,售后状态\n\
            书包,240113-686349277964902,已取消,159.00,6.00,165.00,1,朱杰,17267215372,四川省,成都市,武侯区,科技园,2024-01-13 00:29:55,2024-01-13 00:29:55,退款成功\n\
            铅笔,240131-053607671468916,已取消,117.40,0.00,117.40,3,龙芬涵,17487201723,湖北省,武汉市,江汉区,学院路,,,无售后或售后取消\n";
        let rows = rows(text).unwrap();
        let Row::Order(a) = &rows[0] else {
            panic!("{rows:?}")
        };
        assert_eq!((a.status, a.refund_fen), (OrderStatus::Refunded, 16500));
        let Row::Order(b) = &rows[1] else {
            panic!("{rows:?}")
        };
        assert_eq!((b.status, b.refund_fen), (OrderStatus::Closed, 0));
    }

    #[test]
    fn item_rows_with_trailing_comma() {
        let text = "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\n=\"124\",书包,159.00,1,,颜色分类:蓝色,,,交易成功,SKU07171,\n";
        let rows = rows(text).unwrap();
        let Row::Line(l) = &rows[0] else {
            panic!("{rows:?}")
        };
        assert_eq!((l.order_no.as_str(), l.price_fen, l.qty), ("124", 15900, 1));
        assert_eq!(l.props, "颜色分类:蓝色");
    }
}
