//! Hostile files (issue "hostile files"): line numbers that match the physical
//! file whatever its line ends, duplicated header names, bounds on input,
//! messages that say what is really wrong, and repeated orders in one file.

mod common;

use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use kehu::import::{Refusal, ReportReader, Row};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,退款金额";

fn row(no: u32, paid: &str) -> String {
    format!("{no},买家{no},{paid},交易成功,,张三,上海,13800001234,2025-11-01 10:00:00,,0")
}

fn kehu(db: &Path, args: &[&str]) -> Output {
    common::kehu_cmd(db.parent().unwrap())
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Rows of `text`, or the refusal.
fn rows(text: &[u8]) -> Result<Vec<Row>, Refusal> {
    let mut r = ReportReader::open(text, None)?;
    let mut out = vec![];
    while let Some(row) = r.next_row()? {
        out.push(row);
    }
    Ok(out)
}

fn rejected_lines(text: &[u8]) -> Vec<u64> {
    rows(text)
        .unwrap()
        .iter()
        .filter_map(|r| match r {
            Row::Rejected(r) => Some(r.line),
            _ => None,
        })
        .collect()
}

fn with_ends(lines: &[String], end: &str) -> Vec<u8> {
    let mut s = lines.join(end);
    s.push_str(end);
    s.into_bytes()
}

/// The same content with CRLF, LF and CR-only line ends: the same physical
/// line numbers for rejected rows and for refusals.
#[test]
fn line_numbers_are_physical_lines_whatever_the_line_ends() {
    common::pin_clock();
    // Line 1 header, 2 a row, 3-4 a row whose message spans two lines, 5 a
    // bad amount, 6 blank, 7 a bad date.
    let lines = vec![
        HEADER.to_string(),
        row(1, "1.00"),
        "2,买家2,2.00,交易成功,\"第一行".to_string(),
        "第二行\",张三,上海,13800001234,2025-11-01 10:00:00,,0".to_string(),
        row(3, "abc"),
        String::new(),
        row(4, "1.00").replace("2025-11-01 10:00:00", "昨天"),
    ];
    for end in ["\r\n", "\n", "\r"] {
        let text = with_ends(&lines, end);
        assert_eq!(rejected_lines(&text), vec![5, 7], "line end {end:?}");
        let Row::Order(o) = &rows(&text).unwrap()[1] else {
            panic!()
        };
        assert_eq!(o.line, 3, "line end {end:?}");
        // Cut inside the last record's quoted message: refused at its start (line 8).
        let mut cut = text.clone();
        cut.extend_from_slice("5,买家5,1.00,交易成功,\"没写完".as_bytes());
        match rows(&cut) {
            Err(Refusal::Truncated { line }) => assert_eq!(line, 8, "line end {end:?}"),
            other => panic!("{end:?}: {other:?}"),
        }
    }
}

/// The sample cut off by a broken download starts its broken record on
/// physical line 46 (it is CRLF).
#[test]
fn truncated_sample_names_physical_line_46() {
    common::pin_clock();
    let bytes = std::fs::read("tests/fixtures/bad/truncated.csv").unwrap();
    match rows(&bytes) {
        Err(Refusal::Truncated { line }) => assert_eq!(line, 46),
        other => panic!("{other:?}"),
    }
}

/// A column kehu reads that appears twice is refused, naming it; a
/// duplicated column kehu ignores is fine.
#[test]
fn duplicated_header_of_a_mapped_column_is_refused() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let twice = format!("{HEADER},买家实际支付金额\n{},99.00\n", row(1, "1.00"));
    let f = write(dir.path(), "twice.csv", twice.as_bytes());
    let out = kehu(&db, &["import", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("买家实际支付金额"),
        "{}",
        stderr(&out)
    );
    let out = kehu(&db, &["import", "--lang", "en", f.to_str().unwrap()]);
    assert!(stderr(&out).contains("twice"), "{}", stderr(&out));
    let ignored = format!("{HEADER},备用,备用\n{},x,y\n", row(1, "1.00"));
    let f = write(dir.path(), "ignored.csv", ignored.as_bytes());
    let out = kehu(&db, &["import", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Peak resident memory of `kehu import FILE` in KiB (under /usr/bin/time),
/// with its output.
fn import_peak_kib(dir: &Path, file: &Path) -> (Output, Option<u64>) {
    let db = dir.join("k.db");
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return (kehu(&db, &["import", file.to_str().unwrap()]), None);
    }
    let report = dir.join("time.txt");
    let out = std::process::Command::new(time)
        .arg("-o")
        .arg(&report)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_kehu"))
        .args(["import", file.to_str().unwrap(), "--db"])
        .arg(&db)
        .env_clear()
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("home/.config"))
        .env("XDG_DATA_HOME", dir.join("home/.local/share"))
        .env("LANG", "C.UTF-8")
        .env("KEHU_NOW", common::NOW)
        .output()
        .unwrap();
    let peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse().ok());
    (out, peak)
}

/// A 100 MB file with no line break is refused quickly, with little memory
/// and a short message; so is an all-NUL file.
#[test]
fn a_file_without_line_breaks_is_refused_in_bounded_memory() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.csv");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&big).unwrap());
        let chunk = "订单编号,买家会员名".repeat(4096);
        let mut written = 0;
        while written < 100 << 20 {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
    }
    let started = std::time::Instant::now();
    let (out, peak) = import_peak_kib(dir.path(), &big);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("第 1 行"), "{}", stderr(&out));
    assert!(
        out.stderr.len() < 2000,
        "{} bytes of stderr",
        out.stderr.len()
    );
    if let Some(kib) = peak {
        assert!(kib < 200 * 1024, "peak RSS {kib} KiB");
    }
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    std::fs::remove_file(&big).unwrap();

    let nul = write(dir.path(), "nul.csv", &vec![0u8; 3 << 20]);
    let out = kehu(&dir.path().join("k.db"), &["import", nul.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        out.stderr.len() < 2000,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

/// A record over 1 MiB is refused with the line it starts on.
#[test]
fn a_record_over_one_mib_is_refused_with_its_line() {
    common::pin_clock();
    let huge = format!(
        "{HEADER}\n{}\n{}\n",
        row(1, "1.00"),
        row(2, "1.00").replace(",,0", &format!(",\"{}\",0", "长".repeat(400_000)))
    );
    match rows(huge.as_bytes()) {
        Err(e @ Refusal::TooLong { line: 3 }) => {
            assert!(e.message(Lang::Zh).chars().count() < 300, "{e}");
        }
        other => panic!("{:?}", other.map(|r| r.len())),
    }
}

/// A quote opened by mistake on line 7 is named there, not as a truncation
/// at the end of the file.
#[test]
fn a_stray_quote_names_the_line_where_it_opens() {
    common::pin_clock();
    let mut lines = vec![HEADER.to_string()];
    for i in 1..=19 {
        let r = if i == 6 {
            row(i, "1.00").replace(",上海,", ",\"上海5号,")
        } else {
            row(i, "1.00")
        };
        lines.push(r);
    }
    let text = with_ends(&lines, "\r\n");
    let err = rows(&text).unwrap_err();
    assert!(
        matches!(err, Refusal::StrayQuote { line: 7 }),
        "{err:?}: {err}"
    );
    assert!(
        err.message(Lang::En).contains("line 7"),
        "{}",
        err.message(Lang::En)
    );
    assert!(err.to_string().contains("第 7 行"), "{err}");
}

/// A zip or xlsx file is named as such, with what to do.
#[test]
fn zip_and_xlsx_files_are_named() {
    common::pin_clock();
    let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec();
    xlsx.extend_from_slice(b"\x00\x00\x00\x00\x13\x00\x00\x00[Content_Types].xml");
    xlsx.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let err = rows(&xlsx).unwrap_err();
    assert!(err.to_string().contains("xlsx"), "{err}");
    assert!(err.to_string().contains("CSV"), "{err}");
    assert!(
        err.message(Lang::En).contains("xlsx"),
        "{}",
        err.message(Lang::En)
    );
    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend_from_slice(b"\x00\x00\x00\x00orders.csv");
    zip.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let err = rows(&zip).unwrap_err();
    assert!(err.to_string().contains("zip"), "{err}");
    assert!(err.message(Lang::En).contains("a zip file"), "{err}");
}

/// A row with too few cells says so; a zero date is not a date.
#[test]
fn short_rows_and_zero_dates_say_what_is_wrong() {
    common::pin_clock();
    let text = format!(
        "{HEADER}\n1,买家1,1.00,交易成功,x\n{}\n",
        row(2, "1.00").replace("2025-11-01 10:00:00", "0000-00-00")
    );
    let rows = rows(text.as_bytes()).unwrap();
    let reasons: Vec<(String, String)> = rows
        .iter()
        .map(|r| match r {
            Row::Rejected(r) => (r.reason.text(Lang::Zh), r.reason.text(Lang::En)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        reasons[0].1.contains("5 cells, the header 11"),
        "{reasons:?}"
    );
    assert!(reasons[0].0.contains("5"), "{reasons:?}");
    assert!(reasons[1].0.contains("不是日期"), "{reasons:?}");
    assert!(reasons[1].1.contains("not a date"), "{reasons:?}");
}

/// The same order twice in one file with different amounts: the last row
/// wins, and the repeated rows are counted and named.
#[test]
fn repeated_orders_in_one_file_are_counted_and_named() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let lines = [
        HEADER.to_string(),
        row(1, "1.00"),
        row(2, "2.00"),
        row(1, "5.00"),
        row(3, "3.00"),
        row(3, "3.00"),
        row(2, "7.00"),
    ];
    let f = write(dir.path(), "dup.csv", &with_ends(&lines, "\r\n"));
    let out = kehu(&db, &["import", "--json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["files"][0]["duplicate_rows"], serde_json::json!([4, 7]));
    let db2 = dir.path().join("k2.db");
    let out = kehu(&db2, &["import", f.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("重复的订单行 2") && text.contains("4, 7"),
        "{text}"
    );
    let out = kehu(
        &dir.path().join("k3.db"),
        &["import", "--lang", "en", f.to_str().unwrap()],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("repeated order rows 2") && text.contains("4, 7"),
        "{text}"
    );
    let out = kehu(&db, &["lookup", "--json", "买家1"]);
    let hits = json(&out);
    let paid: Vec<i64> = hits
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["paid_fen"].as_i64())
        .collect();
    assert!(paid.contains(&500), "the last row wins: {hits}");
}

/// Repeats are found the same way in bulk mode (stored order numbers read
/// into memory), and an order already stored that a file gives twice is a
/// repeat even when its first row changed nothing.
#[test]
fn repeated_orders_are_found_in_bulk_mode_and_over_stored_orders() {
    common::pin_clock();
    let first = with_ends(&[HEADER.to_string(), row(1, "1.00"), row(2, "2.00")], "\n");
    let again = with_ends(
        &[
            HEADER.to_string(),
            row(1, "1.00"),
            row(2, "2.00"),
            row(1, "9.00"),
            row(2, "2.00"),
        ],
        "\n",
    );
    for preload_after in [None, Some(0)] {
        let mut store = Store::open_in_memory().unwrap();
        let opts = ImportOptions {
            preload_after,
            ..ImportOptions::default()
        };
        for (text, want) in [(&first, vec![]), (&again, vec![4u64])] {
            let reader = ReportReader::open(text.as_slice(), None).unwrap();
            let s = store
                .import_report("x.csv", reader, opts, &mut |_| {})
                .unwrap();
            assert_eq!(s.duplicate_rows, want, "{preload_after:?}");
        }
    }
}
