//! Excel workbooks and Excel re-saves: an .xlsx imports like the CSV of the
//! same orders (the same database), the order sheet is found by its header,
//! numbers and dates in cells are read by their column, and what is not a
//! readable workbook is refused whole.
//!
//! `tests/fixtures/xlsx/orders.xlsx` is made from `orders.csv` beside it by
//! `cargo run --example csv_to_xlsx -- tests/fixtures/xlsx/orders.csv
//! tests/fixtures/xlsx/orders.xlsx --numeric-ids --notes-sheet`.

mod common;

use common::{kehu_in, ok_json};
use kehu::import::open::open_file;
use kehu::import::{Reason, Refusal, Row};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Every table's rows, sorted, apart from the import batches and the columns
/// naming a batch, a file or an encoding.
fn logical_dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name != 'import_batches' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let keep: Vec<usize> = (0..names.len())
            .filter(|&i| {
                !matches!(
                    names[i].as_str(),
                    "batch_id" | "updated_batch_id" | "file" | "encoding"
                )
            })
            .collect();
        let mut rows = stmt.query([]).unwrap();
        let mut lines = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = keep
                .iter()
                .map(|&i| format!("{}={:?}", names[i], r.get_ref(i).unwrap()))
                .collect();
            lines.push(format!("{t}: {}", cells.join("|")));
        }
        lines.sort();
        out.extend(lines);
    }
    out
}

fn import(dir: &Path, file: &Path) -> Value {
    ok_json(dir, &["import", "--json", file.to_str().unwrap()])
}

#[test]
fn xlsx_and_csv_of_the_same_orders_give_the_same_database() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let csv = import(a.path(), &fixture("xlsx/orders.csv"));
    let xlsx = import(b.path(), &fixture("xlsx/orders.xlsx"));
    // Both files reject the same rows, at the same lines.
    let rejected = |v: &Value| -> Vec<(i64, String)> {
        v["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["line"].as_i64().unwrap(),
                    r["raw"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(rejected(&csv), rejected(&xlsx));
    let stats = |d: &Path| ok_json(d, &["stats", "--json"]);
    assert_eq!(stats(a.path()), stats(b.path()));
    let (da, db) = (
        logical_dump(&a.path().join("k.db")),
        logical_dump(&b.path().join("k.db")),
    );
    assert!(da.len() > 1000, "{}", da.len());
    let differ: Vec<_> = da.iter().zip(&db).filter(|(x, y)| x != y).take(3).collect();
    assert!(differ.is_empty() && da.len() == db.len(), "{differ:#?}");
}

/// The workbook's truth: its second sheet holds the orders (the first is
/// notes); 15-digit numeric order numbers are kept, the two that Excel
/// turned into 19-digit floats are refused at their sheet rows.
#[test]
fn the_workbook_fixture_matches_its_truth() {
    let dir = tempfile::tempdir().unwrap();
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("xlsx/orders.truth.json")).unwrap())
            .unwrap();
    let run = import(dir.path(), &fixture("xlsx/orders.xlsx"));
    let stats = ok_json(dir.path(), &["stats", "--json"]);
    for key in ["orders", "customers", "paid_fen"] {
        assert_eq!(stats[key], truth[key], "{key}");
    }
    let lines: Vec<&Value> = run["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["line"])
        .collect();
    let want: Vec<&Value> = truth["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["line"])
        .collect();
    assert_eq!(lines, want);
    for b in truth["top_buyers"].as_array().unwrap() {
        let nick = b["nick"].as_str().unwrap();
        let found = ok_json(dir.path(), &["lookup", nick, "--json"]);
        let c = &found[0];
        assert_eq!(c["orders"], b["orders"], "{nick}: {found}");
        assert_eq!(c["paid_fen"], b["paid_fen"], "{nick}");
    }
}

/// A seller's "Unicode text" re-save of the Taobao sample (UTF-16LE with a
/// BOM, tab-separated, `2024/1/1 8:16` times, `238.8` and `0` amounts)
/// imports to the sample's truth.
#[test]
fn an_excel_unicode_text_resave_imports_like_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let run = import(
        dir.path(),
        &fixture("xlsx/ExportOrderList202405201030-excel.txt"),
    );
    assert_eq!(run["rejected"], Value::Array(vec![]), "{run}");
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("xlsx/ExportOrderList202405201030-excel.truth.json"))
            .unwrap(),
    )
    .unwrap();
    let stats = ok_json(dir.path(), &["stats", "--json"]);
    for key in ["orders", "customers", "paid_fen"] {
        assert_eq!(stats[key], truth[key], "{key}");
    }
    let orig = tempfile::tempdir().unwrap();
    import(
        orig.path(),
        &fixture("taobao/ExportOrderList202405201030.csv"),
    );
    let theirs = ok_json(orig.path(), &["stats", "--json"]);
    for key in ["status_counts", "refund_fen", "points_outstanding"] {
        assert_eq!(stats[key], theirs[key], "{key}");
    }
    // Times without seconds are read to the minute.
    let conn = rusqlite::Connection::open(dir.path().join("k.db")).unwrap();
    let created: String = conn
        .query_row(
            "SELECT created_at FROM orders WHERE order_no = '2631576957364263876'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(created, "2024-01-03 02:45:00");
}

const HEADER: [&str; 7] = [
    "订单编号",
    "买家会员名",
    "买家实际支付金额",
    "订单状态",
    "订单创建时间",
    "订单付款时间",
    "退款金额",
];

/// A workbook whose first sheet is notes and whose second sheet has two
/// lines of explanation above the header, then rows of every cell kind.
fn workbook(dir: &Path) -> PathBuf {
    let mut book = Workbook::new();
    let notes = book.add_worksheet().set_name("说明").unwrap();
    notes.write_string(0, 0, "导出说明").unwrap();
    notes.write_string(1, 0, "订单编号").unwrap();
    let s = book.add_worksheet().set_name("订单").unwrap();
    s.write_string(0, 0, "订单报表（导出时间 2024-02-01）")
        .unwrap();
    s.write_string(1, 0, "金额单位：元").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        s.write_string(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy/m/d h:mm");
    let at = ExcelDateTime::parse_from_str("2024-01-05 22:02:00").unwrap();
    // Row 4: a text order number, a real date, money with a binary tail.
    s.write_string(3, 0, "2631576957364263876").unwrap();
    s.write_string(3, 1, "买家甲").unwrap();
    s.write_number(3, 2, 0.1 + 0.2).unwrap();
    s.write_string(3, 3, "交易成功").unwrap();
    s.write_datetime_with_format(3, 4, &at, &date).unwrap();
    s.write_number(3, 5, 45296.5).unwrap();
    s.write_number(3, 6, 0.125).unwrap();
    // Row 6 (row 5 blank): a 15-digit numeric order number, whole yuan.
    s.write_number(5, 0, 351531314732935.0).unwrap();
    s.write_string(5, 1, "买家乙").unwrap();
    s.write_number(5, 2, 12.0).unwrap();
    s.write_string(5, 3, "交易成功").unwrap();
    s.write_string(5, 4, "2016/5/23 22:02").unwrap();
    // Row 7: an 18-digit order number Excel stored as a float.
    s.write_number(6, 0, 351531314732935790.0).unwrap();
    s.write_string(6, 1, "买家丙").unwrap();
    s.write_number(6, 2, 1.0).unwrap();
    s.write_string(6, 3, "交易成功").unwrap();
    s.write_datetime_with_format(6, 4, &at, &date).unwrap();
    // Row 8: an order number with a fraction.
    s.write_number(7, 0, 1234.5).unwrap();
    s.write_string(7, 1, "买家丁").unwrap();
    s.write_number(7, 2, 1.0).unwrap();
    s.write_string(7, 3, "交易成功").unwrap();
    s.write_datetime_with_format(7, 4, &at, &date).unwrap();
    let path = dir.join("orders.xlsx");
    book.save(&path).unwrap();
    path
}

fn rows(path: &Path) -> Result<Vec<Row>, Refusal> {
    let mut r = open_file(path, None)?;
    let mut out = vec![];
    while let Some(row) = r.next_row()? {
        out.push(row);
    }
    Ok(out)
}

#[test]
fn the_order_sheet_is_found_by_its_header_and_cells_read_by_column() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(&workbook(dir.path())).unwrap();
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let Row::Order(a) = &rows[0] else {
        panic!("{rows:?}")
    };
    assert_eq!(a.order_no, "2631576957364263876");
    assert_eq!(a.line, 4);
    assert_eq!(a.created_at, "2024-01-05 22:02:00");
    assert_eq!(a.paid_at.as_deref(), Some("2024-01-05 12:00:00"));
    assert_eq!((a.paid_fen, a.refund_fen), (30, 13));
    let Row::Order(b) = &rows[1] else {
        panic!("{rows:?}")
    };
    assert_eq!((b.order_no.as_str(), b.line), ("351531314732935", 6));
    assert_eq!(
        (b.paid_fen, b.created_at.as_str()),
        (1200, "2016-05-23 22:02:00")
    );
    let Row::Rejected(c) = &rows[2] else {
        panic!("{rows:?}")
    };
    assert_eq!(c.line, 7);
    assert!(
        matches!(&c.reason, Reason::OrderNoScientific { value } if value == "3.51531E+17"),
        "{:?}",
        c.reason
    );
    let Row::Rejected(d) = &rows[3] else {
        panic!("{rows:?}")
    };
    assert_eq!(d.line, 8);
    assert!(matches!(&d.reason, Reason::OrderNoDecimal { .. }), "{d:?}");
}

/// A workbook with no sheet kehu knows is refused like a CSV that is not
/// an export; one missing the buyer column names it.
#[test]
fn workbooks_without_an_order_sheet_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "name").unwrap();
    let s = book.add_worksheet();
    for (c, h) in ["订单编号", "买家实付金额", "订单状态", "订单创建时间"]
        .iter()
        .enumerate()
    {
        s.write_string(0, c as u16, *h).unwrap();
    }
    let path = dir.path().join("x.xlsx");
    book.save(&path).unwrap();
    match rows(&path) {
        Err(Refusal::MissingColumns { missing, .. }) => {
            assert!(missing.contains(&"买家会员名"), "{missing:?}")
        }
        other => panic!("{other:?}"),
    }
}

fn stats_or_none(dir: &Path) -> Option<String> {
    dir.join("k.db")
        .exists()
        .then(|| logical_dump(&dir.join("k.db")).join("\n"))
}

/// A file named .xlsx that is text, a workbook cut short and a
/// password-protected one are refused (exit 3), and nothing is written.
#[test]
fn files_that_are_not_readable_workbooks_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    import(dir.path(), &fixture("xlsx/orders.csv"));
    let before = stats_or_none(dir.path());
    let fake = dir.path().join("fake.xlsx");
    std::fs::copy(fixture("xlsx/orders.csv"), &fake).unwrap();
    let bytes = std::fs::read(fixture("xlsx/orders.xlsx")).unwrap();
    let cut = dir.path().join("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let locked = dir.path().join("locked.xlsx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 1016]);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&locked, ole).unwrap();
    for (file, says) in [
        (&fake, "not an Excel workbook"),
        (&cut, "damaged"),
        (&locked, "password"),
    ] {
        let out = kehu_in(
            dir.path(),
            &["--lang", "en", "import", file.to_str().unwrap()],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file:?}: {err}");
        assert!(err.contains(says), "{file:?}: {err}");
        assert_eq!(stats_or_none(dir.path()), before, "{file:?}");
    }
}

/// A folder's workbooks are imported with its CSV files (Excel's `~$` lock
/// file beside an open workbook is not).
#[test]
fn a_folder_import_picks_up_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    std::fs::create_dir(&exports).unwrap();
    std::fs::copy(fixture("xlsx/orders.xlsx"), exports.join("orders.xlsx")).unwrap();
    std::fs::write(exports.join("~$orders.xlsx"), b"lock").unwrap();
    let run = import(dir.path(), &exports);
    let stats = ok_json(dir.path(), &["stats", "--json"]);
    assert_eq!(stats["orders"], 398, "{run}");
}
