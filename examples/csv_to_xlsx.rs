//! A platform's CSV export as the .xlsx the same back office would offer:
//! the header and cells as text, times as real Excel dates, amounts as
//! numbers. Makes the workbook fixtures in `tests/fixtures/xlsx/` and the
//! million-row workbook of `benches/xlsx-1m.sh`.
//!
//! ```text
//! cargo run --release --example csv_to_xlsx -- IN.csv OUT.xlsx [--constant-memory]
//!     [--numeric-ids] [--notes-sheet]
//! ```
//!
//! - `--constant-memory`: rows are written as they come (inline strings), for
//!   a million rows.
//! - `--numeric-ids`: order numbers Excel would have taken for numbers become
//!   number cells: whole numbers of up to 15 digits (exact), and ones already
//!   in scientific notation (`3.51531E+17`, digits lost). Longer ones stay text.
//! - `--notes-sheet`: a sheet of notes before the order sheet.

use anyhow::{Context, Result, bail};
use kehu::domain::time::parse_time_into;
use kehu::import::decode::Utf8Reader;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Columns holding order numbers, amounts; a column whose name has 时间 holds times.
const ID_COLUMNS: &[&str] = &["订单编号", "子订单编号", "订单号", "主订单编号"];
const MONEY_COLUMNS: &[&str] = &[
    "买家应付货款",
    "买家应付邮费",
    "总金额",
    "买家实际支付金额",
    "退款金额",
    "商品总价(元)",
    "邮费(元)",
    "用户实付金额(元)",
    "价格",
];

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Id,
    Money,
    Time,
    Text,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let [input, output] = files[..] else {
        bail!(
            "usage: csv_to_xlsx IN.csv OUT.xlsx [--constant-memory] [--numeric-ids] [--notes-sheet]"
        );
    };
    let file = std::fs::File::open(input).with_context(|| input.clone())?;
    let (text, _) = Utf8Reader::new(file)?;
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);

    let mut book = Workbook::new();
    if flag("--notes-sheet") {
        let notes = book.add_worksheet().set_name("说明")?;
        notes.write_string(0, 0, "订单报表导出说明")?;
        notes.write_string(1, 0, "金额单位：元；时间为北京时间。")?;
        notes.write_string(2, 0, "订单编号")?;
    }
    let sheet = if flag("--constant-memory") {
        book.add_worksheet_with_constant_memory()
    } else {
        book.add_worksheet()
    };
    sheet.set_name("订单")?;
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let money = Format::new().set_num_format("0.00");
    let mut columns: Vec<Column> = Vec::new();
    let mut time = String::new();
    for (r, record) in csv.records().enumerate() {
        let record = record?;
        let row = u32::try_from(r)?;
        for (c, raw) in record.iter().enumerate() {
            let col = u16::try_from(c)?;
            let cell = kehu::import::clean::cell(raw);
            if r == 0 {
                let name = kehu::import::clean::header_name(raw);
                columns.push(if ID_COLUMNS.contains(&name.as_str()) {
                    Column::Id
                } else if MONEY_COLUMNS.contains(&name.as_str()) {
                    Column::Money
                } else if name.contains("时间") {
                    Column::Time
                } else {
                    Column::Text
                });
                sheet.write_string(row, col, raw)?;
                continue;
            }
            if raw.is_empty() {
                continue;
            }
            match columns.get(c).copied().unwrap_or(Column::Text) {
                Column::Id if flag("--numeric-ids") => match numeric_id(cell) {
                    Some(n) => sheet.write_number(row, col, n)?,
                    None => sheet.write_string(row, col, cell)?,
                },
                Column::Id => sheet.write_string(row, col, cell)?,
                Column::Money => match cell.parse::<f64>() {
                    Ok(n) => sheet.write_number_with_format(row, col, n, &money)?,
                    Err(_) => sheet.write_string(row, col, raw)?,
                },
                Column::Time => match parse_time_into(cell, &mut time) {
                    Ok(true) => {
                        let at = ExcelDateTime::parse_from_str(&time)?;
                        sheet.write_datetime_with_format(row, col, &at, &date)?
                    }
                    _ => sheet.write_string(row, col, raw)?,
                },
                Column::Text => sheet.write_string(row, col, raw)?,
            };
        }
    }
    book.save(output)?;
    Ok(())
}

/// The number Excel makes of an order number it takes for one.
fn numeric_id(cell: &str) -> Option<f64> {
    let digits = cell.bytes().all(|b| b.is_ascii_digit());
    if digits && !cell.is_empty() && cell.len() <= 15 {
        return cell.parse().ok();
    }
    if cell.contains("E+") {
        return cell.parse().ok();
    }
    None
}
