//! The suggestions' counts an import keeps up to date for the buyers it
//! touched equal a rebuild from every order, table for table, after each of
//! a sequence of imports into the sample shop: a second export of the shop
//! (new orders, changed ones), an order refunded, an unpaid order paid, an
//! order's lines replaced by an item report.

mod common;

use rusqlite::Connection;
use std::path::Path;

fn import(dir: &Path, files: &[&Path]) -> String {
    let out = common::kehu_cmd(dir)
        .arg("import")
        .args(files)
        .arg("--db")
        .arg(dir.join("k.db"))
        .env("KEHU_CONFIG", dir.join("config.toml"))
        .env("KEHU_IMPORT_TRACE", "1")
        .output()
        .expect("binary runs");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{files:?}: {err}");
    err
}

/// Every row of the four tables, in key order.
fn tables(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT 'title', title, '', orders FROM suggest_titles ORDER BY title",
        "SELECT 'pair', a, b, orders FROM suggest_pairs ORDER BY a, b",
        "SELECT 'segment', segment, title, orders FROM suggest_segments ORDER BY segment, title",
        "SELECT 'total', key, '', value FROM suggest_totals ORDER BY key",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} {} {} {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?
                ))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// The kept counts, and the counts a rebuild from every order makes (on a copy).
fn kept_and_rebuilt(dir: &Path, step: &str) -> (Vec<String>, Vec<String>) {
    let db = dir.join("k.db");
    let copy = dir.join(format!("rebuilt-{step}.db"));
    let conn = Connection::open(&db).unwrap();
    let kept = tables(&conn);
    conn.execute("VACUUM INTO ?", [copy.to_str().unwrap()])
        .unwrap();
    drop(conn);
    let conn = Connection::open(&copy).unwrap();
    conn.execute("DELETE FROM suggest_totals WHERE key = ''", [])
        .unwrap();
    drop(conn);
    common::pin_clock();
    let mut store = kehu::db::Store::open(&copy).unwrap();
    assert!(store.refresh_suggest_counts().unwrap());
    drop(store);
    let rebuilt = tables(&Connection::open(&copy).unwrap());
    (kept, rebuilt)
}

fn assert_exact(dir: &Path, step: &str) {
    let (kept, rebuilt) = kept_and_rebuilt(dir, step);
    assert!(kept.iter().any(|r| r.starts_with("pair ")), "{step}");
    if kept != rebuilt {
        let only_kept: Vec<&String> = kept.iter().filter(|r| !rebuilt.contains(r)).collect();
        let only_rebuilt: Vec<&String> = rebuilt.iter().filter(|r| !kept.contains(r)).collect();
        panic!("{step}: kept only {only_kept:?}\nrebuilt only {only_rebuilt:?}");
    }
}

/// The cells of one CSV record (quotes kept, as the exports write them).
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                out.last_mut().unwrap().push(c);
            }
            ',' if !quoted => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn unquote(cell: &str) -> String {
    cell.trim_start_matches('=').trim_matches('"').to_string()
}

fn gbk(path: &str) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    // Records: a line break inside quotes (a buyer's message) continues one.
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if open {
            let last = out.last_mut().unwrap();
            last.push('\n');
            last.push_str(line);
        } else {
            out.push(line.to_string());
        }
        if line.matches('"').count() % 2 == 1 {
            open = !open;
        }
    }
    out
}

fn write_gbk(path: &Path, lines: &[String]) {
    let text = lines.join("\r\n") + "\r\n";
    std::fs::write(path, encoding_rs::GBK.encode(&text).0).unwrap();
}

fn status(conn: &Connection, order_no: &str) -> String {
    conn.query_row(
        "SELECT status FROM orders WHERE order_no = ?",
        [order_no],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn counts_kept_by_imports_equal_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A first file into an empty shop: counted from every order.
    let trace = import(dir, &[Path::new(common::ORDERS), Path::new(common::ITEMS)]);
    assert!(trace.contains("suggest counts: Stale"), "{trace}");
    assert_exact(dir, "first");

    // The shop's next export: new orders, some orders moved on.
    let trace = import(
        dir,
        &[
            Path::new("tests/fixtures/taobao/ExportOrderList202406011200.csv"),
            Path::new("tests/fixtures/taobao/ExportOrderDetailList202406011200.csv"),
        ],
    );
    assert!(trace.contains("suggest counts: Updated"), "{trace}");
    assert_exact(dir, "second");

    let orders = gbk(common::ORDERS);
    let items = gbk(common::ITEMS);
    let rows: Vec<Vec<String>> = orders[1..].iter().map(|l| cells(l)).collect();
    let valid = |r: &Vec<String>| {
        [
            "交易成功",
            "卖家已发货，等待买家确认",
            "买家已付款，等待卖家发货",
        ]
        .contains(&unquote(&r[10]).as_str())
    };
    // The buyer with the most valid orders: their first valid one refunded
    // (their later orders' segments move), another one's lines replaced.
    let mut by_buyer: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| valid(r)) {
        by_buyer.entry(unquote(&r[1])).or_default().push(i);
    }
    let (_, theirs) = by_buyer.iter().max_by_key(|(_, v)| v.len()).unwrap();
    assert!(theirs.len() >= 3);
    let mut theirs = theirs.clone();
    theirs.sort_by_key(|&i| unquote(&rows[i][17]));
    let refunded = &rows[theirs[0]];
    let mut row = refunded.clone();
    row[10] = "\"交易关闭\"".to_string();
    row[44] = row[8].clone();
    write_gbk(
        &dir.join("ExportOrderList202406021200.csv"),
        &[orders[0].clone(), row.join(",")],
    );
    let trace = import(dir, &[&dir.join("ExportOrderList202406021200.csv")]);
    assert!(trace.contains("suggest counts: Updated"), "{trace}");
    let conn = Connection::open(dir.join("k.db")).unwrap();
    assert_eq!(status(&conn, &unquote(&refunded[0])), "refunded");
    assert_exact(dir, "refunded");

    // An unpaid order with lines paid: it starts counting.
    let unpaid = rows
        .iter()
        .find(|r| {
            unquote(&r[10]) == "等待买家付款" && items.iter().any(|l| l.contains(&unquote(&r[0])))
        })
        .unwrap();
    let mut row = unpaid.clone();
    row[10] = "\"交易成功\"".to_string();
    row[8] = row[6].clone();
    write_gbk(
        &dir.join("ExportOrderList202406031200.csv"),
        &[orders[0].clone(), row.join(",")],
    );
    let trace = import(dir, &[&dir.join("ExportOrderList202406031200.csv")]);
    assert!(trace.contains("suggest counts: Updated"), "{trace}");
    assert_eq!(status(&conn, &unquote(&unpaid[0])), "completed");
    assert_exact(dir, "paid");

    // A valid order's lines replaced: one line of another title.
    let replaced = unquote(&rows[theirs[1]][0]);
    let line = items
        .iter()
        .find(|l| unquote(&cells(l)[0]) == replaced)
        .unwrap();
    let mut cells_of = cells(line);
    let other = items
        .iter()
        .skip(1)
        .map(|l| unquote(&cells(l)[1]))
        .find(|t| !items.iter().any(|l| l.contains(&replaced) && l.contains(t)))
        .unwrap();
    cells_of[1] = format!("\"{other}\"");
    cells_of[8] = "\"交易成功\"".to_string();
    write_gbk(
        &dir.join("ExportOrderDetailList202406041200.csv"),
        &[items[0].clone(), cells_of.join(",")],
    );
    let trace = import(dir, &[&dir.join("ExportOrderDetailList202406041200.csv")]);
    assert!(trace.contains("suggest counts: Updated"), "{trace}");
    let titles: Vec<String> = conn
        .prepare(
            "SELECT l.title FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE o.order_no = ?",
        )
        .unwrap()
        .query_map([&replaced], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(titles, vec![other]);
    assert_exact(dir, "lines");

    // The same export again changes nothing.
    let trace = import(dir, &[&dir.join("ExportOrderList202406031200.csv")]);
    assert!(trace.contains("suggest counts: Unchanged"), "{trace}");
    assert_exact(dir, "again");
}
