//! Excel workbooks (.xlsx, .xls) read through calamine as rows of text, so
//! the header search, column presets, cleaning and rejects are the CSV ones
//! (which sheet holds the orders is found in `open.rs`). An .xlsx sheet is streamed cell
//! by cell on a thread of its own (a bounded channel between it and the
//! reader), so a million-row sheet is never held whole; an .xls (at most
//! 65,536 rows) is read as a range. A row's line is the sheet's 1-based row
//! number.

use super::presets::{ColumnMap, Field};
use super::records::Meta;
use super::refusal::Refusal;
use super::xlsx_cells::{self, Kind, Value};
use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Rows sent at once from the sheet's thread, and batches waiting.
const BATCH: usize = 256;
const QUEUED: usize = 8;

/// One row of a sheet: its 0-based index and its non-empty cells by column.
#[derive(Debug, Default)]
struct SheetRow {
    row: u32,
    cells: Vec<(u32, Value)>,
}

enum Msg {
    /// The sheet's last row index (for progress).
    Size(u32),
    Rows(Vec<SheetRow>),
    Failed(Refusal),
    End,
}

type Book = BufReader<File>;

/// A workbook as the file says it is.
pub(crate) enum Format {
    Xlsx,
    Xls,
}

/// The rows of one sheet, read on a thread.
pub struct SheetRows {
    rx: Receiver<Msg>,
    batch: std::vec::IntoIter<SheetRow>,
    kinds: Vec<Kind>,
    width: usize,
    buf: String,
    file_len: u64,
    last_row: u32,
    row: u32,
    ended: bool,
}

impl SheetRows {
    pub(crate) fn spawn(format: &Format, path: &Path, sheet: String, file_len: u64) -> SheetRows {
        let (tx, rx) = sync_channel(QUEUED);
        let path = path.to_path_buf();
        let is_xlsx = matches!(format, Format::Xlsx);
        std::thread::spawn(move || {
            let result = if is_xlsx {
                stream_xlsx(&path, &sheet, &tx)
            } else {
                send_xls(&path, &sheet, &tx)
            };
            let _ = tx.send(match result {
                Ok(()) => Msg::End,
                Err(r) => Msg::Failed(r),
            });
        });
        SheetRows {
            rx,
            batch: Vec::new().into_iter(),
            kinds: Vec::new(),
            width: 0,
            buf: String::new(),
            file_len,
            last_row: 0,
            row: 0,
            ended: false,
        }
    }

    /// The next row into `rec`, its cells written by their column's kind
    /// (padded to the header's width once it is known).
    pub fn read(&mut self, rec: &mut csv::ByteRecord) -> Result<Option<Meta>, Refusal> {
        rec.clear();
        let row = loop {
            if let Some(r) = self.batch.next() {
                break r;
            }
            if self.ended {
                return Ok(None);
            }
            match self.rx.recv() {
                Ok(Msg::Size(n)) => self.last_row = n,
                Ok(Msg::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Msg::Failed(r)) => {
                    self.ended = true;
                    return Err(r);
                }
                Ok(Msg::End) => self.ended = true,
                // The thread stopped without saying why (it panicked).
                Err(_) => {
                    self.ended = true;
                    return Err(damaged("the sheet stopped"));
                }
            }
        };
        let mut col = 0usize;
        for (c, v) in &row.cells {
            let c = *c as usize;
            while col < c {
                rec.push_field(b"");
                col += 1;
            }
            self.buf.clear();
            let kind = self.kinds.get(c).copied().unwrap_or_default();
            xlsx_cells::write(v, kind, &mut self.buf);
            rec.push_field(self.buf.as_bytes());
            col += 1;
        }
        while col < self.width {
            rec.push_field(b"");
            col += 1;
        }
        self.row = row.row;
        Ok(Some(Meta {
            line: u64::from(row.row) + 1,
            terminated: true,
        }))
    }

    /// The header was found: what each column holds.
    pub fn set_columns(&mut self, map: &ColumnMap) {
        use Field::*;
        self.width = map.width;
        self.kinds = vec![Kind::Text; map.width];
        let groups: [(&[Field], Kind); 3] = [
            (&[OrderNo, SubOrderNo], Kind::OrderNo),
            (
                &[GoodsAmount, Postage, Total, Paid, Refund, Price],
                Kind::Money,
            ),
            (
                &[Created, PaidAt, ShippedAt, CompletedAt, GroupedAt],
                Kind::Time,
            ),
        ];
        for (fields, kind) in groups {
            for f in fields {
                if let Some(k) = map.get(*f).and_then(|i| self.kinds.get_mut(i)) {
                    *k = kind;
                }
            }
        }
    }

    /// The share of the file read so far, as bytes (rows read of the sheet's rows).
    pub fn bytes_read(&self) -> u64 {
        if self.last_row == 0 {
            return 0;
        }
        let done = u64::from(self.row.min(self.last_row));
        self.file_len.saturating_mul(done) / u64::from(self.last_row)
    }
}

fn damaged(detail: &str) -> Refusal {
    Refusal::DamagedWorkbook {
        detail: crate::domain::text::clip(detail, 200),
    }
}

/// A calamine error as a refusal: a password, or damage.
fn refusal(e: &dyn std::fmt::Display) -> Refusal {
    let detail = e.to_string();
    if detail.to_ascii_lowercase().contains("password") {
        Refusal::Encrypted
    } else {
        damaged(&detail)
    }
}

fn value(v: DataRef<'_>) -> Option<Value> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Float(f) => Value::Float(f),
        DataRef::Int(i) => Value::Int(i),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(d) if d.is_datetime() => Value::Date(d.as_f64(), is_1904(&d)),
        DataRef::DateTime(d) => Value::Float(d.as_f64()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    })
}

/// Whether a date counts from 1904 (calamine keeps it private: the date
/// equals the same serial built as a 1904 date).
fn is_1904(d: &calamine::ExcelDateTime) -> bool {
    *d == calamine::ExcelDateTime::new(d.as_f64(), calamine::ExcelDateTimeType::DateTime, true)
}

fn owned(d: &Data) -> Option<Value> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Float(f) => Value::Float(*f),
        Data::Int(i) => Value::Int(*i),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => Value::Date(d.as_f64(), is_1904(d)),
        Data::DateTime(d) => Value::Float(d.as_f64()),
        Data::Error(e) => Value::Error(e.to_string()),
    })
}

/// Send rows in batches; `false` when the reader is gone.
fn flush(tx: &SyncSender<Msg>, batch: &mut Vec<SheetRow>) -> bool {
    if batch.is_empty() {
        return true;
    }
    tx.send(Msg::Rows(std::mem::replace(
        batch,
        Vec::with_capacity(BATCH),
    )))
    .is_ok()
}

fn stream_xlsx(path: &Path, sheet: &str, tx: &SyncSender<Msg>) -> Result<(), Refusal> {
    let file = File::open(path).map_err(Refusal::Io)?;
    let mut book: Xlsx<Book> = Xlsx::new(BufReader::new(file)).map_err(|e| refusal(&e))?;
    let mut cells = book
        .worksheet_cells_reader(sheet)
        .map_err(|e| refusal(&e))?;
    if tx.send(Msg::Size(cells.dimensions().end.0)).is_err() {
        return Ok(());
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut current = SheetRow::default();
    while let Some(cell) = cells.next_cell().map_err(|e| refusal(&e))? {
        let (row, col) = cell.get_position();
        let Some(v) = value(cell.get_value().clone()) else {
            continue;
        };
        if row != current.row && !current.cells.is_empty() {
            batch.push(std::mem::take(&mut current));
            if batch.len() >= BATCH && !flush(tx, &mut batch) {
                return Ok(());
            }
        }
        current.row = row;
        current.cells.push((col, v));
    }
    if !current.cells.is_empty() {
        batch.push(current);
    }
    flush(tx, &mut batch);
    Ok(())
}

fn send_xls(path: &Path, sheet: &str, tx: &SyncSender<Msg>) -> Result<(), Refusal> {
    let file = File::open(path).map_err(Refusal::Io)?;
    let mut book: Xls<Book> = Xls::new(BufReader::new(file)).map_err(|e| refusal(&e))?;
    let range = book.worksheet_range(sheet).map_err(|e| refusal(&e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    if tx.send(Msg::Size(range.end().map_or(0, |e| e.0))).is_err() {
        return Ok(());
    }
    let mut batch = Vec::with_capacity(BATCH);
    for (i, cells) in range.rows().enumerate() {
        let row = SheetRow {
            row: top + i as u32,
            cells: cells
                .iter()
                .enumerate()
                .filter_map(|(j, d)| owned(d).map(|v| (left + j as u32, v)))
                .collect(),
        };
        if row.cells.is_empty() {
            continue;
        }
        batch.push(row);
        if batch.len() >= BATCH && !flush(tx, &mut batch) {
            return Ok(());
        }
    }
    flush(tx, &mut batch);
    Ok(())
}

/// What a file is by its first bytes: an .xlsx (zip), an .xls or an
/// encrypted workbook (both OLE compound files), or neither.
pub(crate) fn sniff(path: &Path) -> std::io::Result<Option<Result<Format, Refusal>>> {
    let mut head = Vec::with_capacity(8192);
    File::open(path)?.take(64 * 1024).read_to_end(&mut head)?;
    // A zip whose first entries are a workbook's (any other zip is refused as a zip).
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if head.starts_with(b"PK\x03\x04") && (has(b"[Content_Types].xml") || has(b"xl/")) {
        return Ok(Some(Ok(Format::Xlsx)));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // A password-protected xlsx is an OLE file holding an `EncryptedPackage` stream.
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if head.windows(name.len()).any(|w| w == name.as_slice()) {
            return Ok(Some(Err(Refusal::Encrypted)));
        }
        return Ok(Some(Ok(Format::Xls)));
    }
    Ok(None)
}

/// The names of a workbook's sheets, in order.
pub(crate) fn sheet_names(format: &Format, path: &Path) -> Result<Vec<String>, Refusal> {
    let file = File::open(path).map_err(Refusal::Io)?;
    Ok(match format {
        Format::Xlsx => {
            let book: Xlsx<Book> = Xlsx::new(BufReader::new(file)).map_err(|e| refusal(&e))?;
            book.sheet_names()
        }
        Format::Xls => {
            let book: Xls<Book> = Xls::new(BufReader::new(file)).map_err(|e| refusal(&e))?;
            book.sheet_names()
        }
    })
}
