//! Upgrades of older databases: the migrations run at open carry their data over.

use super::{MIGRATIONS, Store};

/// Migration 006 gives every customer of a schema-5 database its valid
/// orders (paid, shipped, completed) and the time of the latest, puts
/// them in the list indexes, and keeps the rejected rows' text reasons.
#[test]
fn upgrade_to_6_fills_valid_orders_and_keeps_reject_texts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 5;
             INSERT INTO customers (id, platform, buyer_key, nick, created_at, orders_count, paid_fen,
                 first_order_at, last_order_at) VALUES
               (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00', 5, 30000, '2024-01-01 00:00:00', '2024-05-01 00:00:00'),
               (2, 'taobao', 'b', 'b', '2024-01-01 00:00:00', 1, 0, '2024-02-01 00:00:00', '2024-02-01 00:00:00'),
               (3, 'taobao', 'c', 'c', '2024-01-01 00:00:00', 0, 0, NULL, NULL);
             INSERT INTO orders (id, platform, order_no, customer_id, status, status_raw, created_at, paid_fen, fp) VALUES
               (1, 'taobao', '1001', 1, 'completed', '交易成功', '2024-01-01 00:00:00', 10000, 1),
               (2, 'taobao', '1002', 1, 'shipped', '卖家已发货，等待买家确认', '2024-02-01 00:00:00', 10000, 2),
               (3, 'taobao', '1003', 1, 'paid', '买家已付款，等待卖家发货', '2024-03-01 00:00:00', 10000, 3),
               (4, 'taobao', '1004', 1, 'refunded', '交易关闭', '2024-04-01 00:00:00', 0, 4),
               (5, 'taobao', '1005', 1, 'unpaid', '等待买家付款', '2024-05-01 00:00:00', 0, 5),
               (6, 'taobao', '1006', 2, 'closed', '交易关闭', '2024-02-01 00:00:00', 0, 6);
             INSERT INTO import_batches (id, file, kind, platform, encoding, started_at)
               VALUES (1, 'a.csv', 'orders', 'taobao', 'utf-8', '2024-01-01 00:00:00');
             INSERT INTO rejects (batch_id, file, line, reason, raw, created_at)
               VALUES (1, 'a.csv', 7, '买家实际支付金额「abc」不是金额', '1007,x,abc', '2024-01-01 00:00:00');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let got: Vec<(i64, i64, Option<String>)> = store
        .conn
        .prepare("SELECT id, valid_orders, last_valid_at FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        got,
        vec![
            (1, 3, Some("2024-03-01 00:00:00".to_string())),
            (2, 0, None),
            (3, 0, None)
        ]
    );
    for index in ["customers_last_order", "customers_paid"] {
        let cols: Vec<String> = store
            .conn
            .prepare(&format!("SELECT name FROM pragma_index_info('{index}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            cols.contains(&"valid_orders".to_string()),
            "{index}: {cols:?}"
        );
        assert!(
            cols.contains(&"last_valid_at".to_string()),
            "{index}: {cols:?}"
        );
    }
    // A reason stored as text before codes existed reads as it was written.
    let rejects = store.rejects().unwrap();
    assert_eq!(
        rejects[0].reason,
        crate::model::Reason::Text {
            text: "买家实际支付金额「abc」不是金额".into()
        }
    );
    let report = store.check().unwrap();
    assert!(
        !report.problems.iter().any(|p| p.contains("有效订单")),
        "{:?}",
        report.problems
    );
}

/// Migration 005 carries the item fingerprints of a schema-4 database over
/// to `order_lines_fp` and drops the column from `orders`.
#[test]
fn item_fingerprints_move_to_their_own_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 4;
             INSERT INTO customers (id, platform, buyer_key, nick, created_at) VALUES (1, 'taobao', 'a', 'a', '2024-01-01 00:00:00');
             INSERT INTO orders (id, platform, order_no, customer_id, status, status_raw, created_at, fp, lines_fp) VALUES
               (1, 'taobao', '1001', 1, 'paid', '买家已付款', '2024-01-01 00:00:00', 7, -42),
               (2, 'taobao', '1002', 1, 'paid', '买家已付款', '2024-01-02 00:00:00', 8, NULL),
               (3, 'taobao', '1003', 1, 'paid', '买家已付款', '2024-01-03 00:00:00', 9, 123456789012);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let moved: Vec<(i64, i64)> = store
        .conn
        .prepare("SELECT order_id, fp FROM order_lines_fp ORDER BY order_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(moved, vec![(1, -42), (3, 123456789012)]);
    let has_column: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'lines_fp'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has_column, 0);
    let fps: Vec<i64> = store
        .conn
        .prepare("SELECT fp FROM orders ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(fps, vec![7, 8, 9]);
}

/// Migration 011 fills the pinyin keys of the customers a schema-10
/// database holds (its Rust step): lookup finds them by pinyin, polyphonic
/// surnames by their surname reading, and their names sort by pinyin.
#[test]
fn upgrade_to_11_backfills_pinyin() {
    crate::domain::time::pin_now(crate::domain::time::parse_stored("2025-12-01 09:00:00"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v10.db");
    let names = ["单伟", "曾平", "区华", "解明", "仇军", "朴勇"];
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..10] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch("PRAGMA user_version = 10;").unwrap();
        for (i, name) in names.iter().enumerate() {
            let id = i as i64 + 1;
            conn.execute(
                "INSERT INTO customers (id, platform, buyer_key, nick, name, created_at)
                 VALUES (?1, 'taobao', 'b' || ?1, 'tb' || ?1, ?2, '2024-01-01 00:00:00')",
                rusqlite::params![id, name],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO receivers (customer_id, name, phone, address, first_seen)
                 VALUES (?1, ?2, '1380000000' || ?1, 'x', '2024-01-01 00:00:00')",
                rusqlite::params![id, name],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO customers (id, platform, buyer_key, nick, name, created_at)
             VALUES (7, 'taobao', 'lucky张三', 'lucky张三', '', '2024-01-01 00:00:00');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    for (q, id) in [
        ("shanwei", 1),
        ("zengping", 2),
        ("ouhua", 3),
        ("xieming", 4),
        ("qiujun", 5),
        ("piaoyong", 6),
        ("sw", 1),
        ("zp", 2),
    ] {
        let hits = store.lookup(q, 10, false).unwrap();
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        assert_eq!(ids, vec![id], "{q}");
        assert_eq!(hits[0].matched.field, super::MatchField::NamePinyin, "{q}");
        assert_eq!(hits[0].matched.value, names[id as usize - 1], "{q}");
        assert_eq!(hits[0].rank, super::MatchRank::Pinyin, "{q}");
    }
    let hits = store.lookup("zhangs", 10, false).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, 7);
    assert_eq!(hits[0].matched.field, super::MatchField::NickPinyin);
    let sorts: Vec<(i64, Option<String>)> = store
        .conn
        .prepare("SELECT id, name_sort FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(sorts[1], (2, Some("ceng ping ".to_string())));
    assert_eq!(sorts[6], (7, None));
}

/// A database an interim kehu took to schema 12 with an empty step as 11
/// gets the pinyin table, sort keys and backfill when opened.
#[test]
fn a_database_past_11_without_pinyin_gets_it_on_open() {
    crate::domain::time::pin_now(crate::domain::time::parse_stored("2025-12-01 09:00:00"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v12.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..10] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch("SELECT 1;").unwrap();
        for sql in &MIGRATIONS[11..] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA user_version = {};
             INSERT INTO customers (id, platform, buyer_key, nick, name, created_at)
               VALUES (1, 'taobao', 'b1', 'tb1', '曾平', '2024-01-01 00:00:00');
             INSERT INTO receivers (customer_id, name, phone, address, first_seen)
               VALUES (1, '曾平', '13800000001', 'x', '2024-01-01 00:00:00');",
            MIGRATIONS.len()
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let hits = store.lookup("zengping", 10, false).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
    drop(store);
    // Once: the next open finds it there.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.lookup("zp", 10, false).unwrap().len(), 1);
}
