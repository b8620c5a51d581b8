//! A report file opened by what it holds: an Excel workbook is read sheet by
//! sheet until one holds a header kehu knows (notes above it allowed, as in
//! CSV); anything else is CSV text.

use super::parse::ReportReader;
use super::refusal::Refusal;
use super::source::Source;
use super::xlsx::{Format, SheetRows, sheet_names, sniff};
use crate::domain::Platform;
use std::fs::File;
use std::path::Path;

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Open a report file, a workbook or CSV text by its content: an .xlsx or
/// .xls is read sheet by sheet until one holds a known header; a file named
/// .xlsx that is not a workbook is refused; an .xls that is text (some back
/// offices save tab-separated text under that name) is read as CSV.
pub fn open_file(path: &Path, platform: Option<Platform>) -> Result<ReportReader<File>, Refusal> {
    let format = match sniff(path).map_err(Refusal::Io)? {
        Some(f) => f?,
        None => {
            let ext = extension(path);
            if matches!(ext.as_str(), "xlsx" | "xlsm") {
                return Err(Refusal::NotAWorkbook { ext });
            }
            return ReportReader::open(File::open(path).map_err(Refusal::Io)?, platform)
                .map(ReportReader::read_ahead);
        }
    };
    let file_len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let names = sheet_names(&format, path)?;
    let label = match format {
        Format::Xlsx => "xlsx",
        Format::Xls => "xls",
    };
    open_sheets(&format, path, names, label, file_len, platform)
}

/// The first sheet holding a known header; else the most telling refusal
/// (a report missing columns over a sheet of something else over empty sheets).
fn open_sheets(
    format: &Format,
    path: &Path,
    names: Vec<String>,
    label: &'static str,
    file_len: u64,
    platform: Option<Platform>,
) -> Result<ReportReader<File>, Refusal> {
    let mut refused: Option<Refusal> = None;
    for name in names {
        let rows = SheetRows::spawn(format, path, name, file_len);
        let source = Source::Sheet(Box::new(rows));
        match ReportReader::from_source(source, label, b',', platform) {
            Ok(r) => return Ok(r),
            Err(e @ (Refusal::Empty | Refusal::NotAnExport { .. })) => {
                if refused.as_ref().is_none_or(|r| matches!(r, Refusal::Empty)) {
                    refused = Some(e);
                }
            }
            Err(e @ Refusal::MissingColumns { .. }) => {
                if !matches!(refused, Some(Refusal::MissingColumns { .. })) {
                    refused = Some(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(refused.unwrap_or(Refusal::Empty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Row;

    fn rows(path: &Path) -> Result<Vec<Row>, Refusal> {
        let mut r = open_file(path, None)?;
        let mut out = vec![];
        while let Some(row) = r.next_row()? {
            out.push(row);
        }
        Ok(out)
    }

    #[test]
    fn text_named_xlsx_is_refused_and_text_named_xls_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("orders.xlsx");
        std::fs::write(&fake, "订单编号,买家会员名\n").unwrap();
        assert!(matches!(rows(&fake), Err(Refusal::NotAWorkbook { ext }) if ext == "xlsx"));
        let tsv = dir.path().join("orders.xls");
        std::fs::write(
            &tsv,
            "订单编号\t买家会员名\t买家实付金额\t订单状态\t订单创建时间\n123\t买家甲\t12\t交易成功\t2016/5/23 22:02\n",
        )
        .unwrap();
        assert_eq!(rows(&tsv).unwrap().len(), 1);
    }

    #[test]
    fn damaged_and_encrypted_workbooks_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cut = dir.path().join("cut.xlsx");
        std::fs::write(
            &cut,
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml garbage",
        )
        .unwrap();
        assert!(matches!(rows(&cut), Err(Refusal::DamagedWorkbook { .. })));
        // Any other zip is named as a zip, whatever it is called.
        let zip = dir.path().join("orders.csv");
        std::fs::write(&zip, b"PK\x03\x04\x14\x00\x06\x00orders.csv").unwrap();
        assert!(matches!(rows(&zip), Err(Refusal::Container { kind }) if kind == "zip"));
        assert!(matches!(rows(&cut), Err(Refusal::DamagedWorkbook { .. })));
        let locked = dir.path().join("locked.xlsx");
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.extend(vec![0u8; 1000]);
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(&locked, bytes).unwrap();
        assert!(matches!(rows(&locked), Err(Refusal::Encrypted)));
    }
}
