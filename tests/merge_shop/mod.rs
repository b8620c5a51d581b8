//! A small two-shop fixture for the merge tests, written from inline rows
//! (the headers are the sample exports' in tests/fixtures): the same people
//! in a Taobao and a Pinduoduo shop, a nickname change on Taobao, a masked
//! phone that is no evidence; and a logical dump of a database.
#![allow(dead_code)]

use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn header(path: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().next().unwrap().to_string()
}

/// A Taobao order row: order no, nick, receiver name, address, phone, time, yuan.
pub fn taobao_row(
    no: &str,
    nick: &str,
    name: &str,
    addr: &str,
    phone: &str,
    at: &str,
    yuan: &str,
) -> String {
    format!(
        "{no},{nick},x***@163.com,{yuan},0.00,0,{yuan},0,{yuan},0,交易成功,,{name},{addr},快递,,{phone},{at},{at},国誉 Campus 方格本 5本装,1,,,,1,0,小美文具铺,订单未关闭,0,0元,,手机订单,,,否,否,否,,,,,0,0,否,0.00,"
    )
}

/// A Pinduoduo order row: order no, receiver, phone, province, city, district, street, time, yuan.
#[allow(clippy::too_many_arguments)]
pub fn pdd_row(
    no: &str,
    name: &str,
    phone: &str,
    prov: &str,
    city: &str,
    dist: &str,
    street: &str,
    at: &str,
    yuan: &str,
) -> String {
    format!(
        "得力A5活页笔记本 加厚,{no},已签收,{yuan},0.00,0.00,0.00,{yuan},{yuan},1,,{name},{phone},否,{prov},{city},{dist},{street},{at},{at},{at},,,,,5479097565,,,SKU1,,,,,无售后或售后取消,"
    )
}

pub fn write_taobao(dir: &Path, file: &str, rows: &[String]) -> PathBuf {
    let mut text = header("tests/fixtures/taobao/orders-utf8-bom.csv");
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    let p = dir.join(file);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn write_pdd(dir: &Path, file: &str, rows: &[String]) -> PathBuf {
    let mut text = header("tests/fixtures/pdd/pdd-orders.csv");
    for r in rows {
        text.push('\n');
        text.push_str(r);
    }
    text.push('\n');
    let p = dir.join(file);
    std::fs::write(&p, text).unwrap();
    p
}

/// The two shops: 王小美 in both (same phone, same address), 李四 under two
/// Taobao nicknames (same receiver), 张三 in both with another phone of the
/// same tail (same name, tail and address), 赵六 in both with a masked phone
/// (no evidence), and 钱七 in one shop only.
pub fn two_shops(dir: &Path) -> Vec<PathBuf> {
    let tb = write_taobao(
        dir,
        "tb.csv",
        &[
            taobao_row(
                "100000000000000001",
                "xiaomei_tb",
                "王小美",
                "浙江省 杭州市 西湖区 文三路12号(310012)",
                "13812345678",
                "2025-01-05 10:00:00",
                "120.00",
            ),
            taobao_row(
                "100000000000000002",
                "xiaomei_tb",
                "王小美",
                "浙江省 杭州市 西湖区 文三路12号(310012)",
                "13812345678",
                "2025-03-05 10:00:00",
                "80.00",
            ),
            taobao_row(
                "100000000000000003",
                "lisi_old",
                "李四",
                "上海市 上海市 浦东新区 世纪大道1号(200120)",
                "13900001111",
                "2025-02-01 09:00:00",
                "50.00",
            ),
            taobao_row(
                "100000000000000004",
                "lisi_new",
                "李四",
                "上海市 上海市 浦东新区 世纪大道1号(200120)",
                "13900001111",
                "2025-06-01 09:00:00",
                "60.00",
            ),
            taobao_row(
                "100000000000000005",
                "zhangsan",
                "张三",
                "广东省 深圳市 南山区 科技园1号(518000)",
                "13700002222",
                "2025-04-01 09:00:00",
                "300.00",
            ),
            taobao_row(
                "100000000000000006",
                "zhaoliu",
                "赵六",
                "四川省 成都市 锦江区 春熙路9号(610000)",
                "138****9999",
                "2025-04-02 09:00:00",
                "40.00",
            ),
            taobao_row(
                "100000000000000007",
                "qianqi",
                "钱七",
                "湖北省 武汉市 洪山区 珞喻路3号(430000)",
                "18600007777",
                "2025-04-03 09:00:00",
                "70.00",
            ),
        ],
    );
    let pdd = write_pdd(
        dir,
        "pdd.csv",
        &[
            pdd_row(
                "250105-000000000000001",
                "王小美",
                "13812345678",
                "浙江省",
                "杭州市",
                "西湖区",
                "文三路12号",
                "2025-05-05 10:00:00",
                "45.00",
            ),
            pdd_row(
                "250105-000000000000002",
                "张三",
                "15800002222",
                "广东省",
                "深圳市",
                "南山区",
                "科技园1号",
                "2025-05-06 10:00:00",
                "25.00",
            ),
            pdd_row(
                "250105-000000000000003",
                "赵六",
                "138****9999",
                "四川省",
                "成都市",
                "锦江区",
                "春熙路9号",
                "2025-05-07 10:00:00",
                "15.00",
            ),
        ],
    );
    vec![tb, pdd]
}

/// A later Pinduoduo file with a new order of 王小美's.
pub fn later_pdd(dir: &Path) -> PathBuf {
    write_pdd(
        dir,
        "pdd-later.csv",
        &[pdd_row(
            "251101-000000000000009",
            "王小美",
            "13812345678",
            "浙江省",
            "杭州市",
            "西湖区",
            "文三路12号",
            "2025-11-01 10:00:00",
            "33.00",
        )],
    )
}

/// Every table's rows, sorted, as text: all but the merge log, the lookup
/// index's internals, and the ledger entries a merge or an undo wrote.
pub fn dump(db: &Path) -> String {
    dump_with(db, true)
}

/// [`dump`], the ledger's ids left out when `ledger_ids` is false (two
/// databases that wrote other entries in between number theirs apart).
pub fn dump_with(db: &Path, ledger_ids: bool) -> String {
    let conn = Connection::open(db).unwrap();
    let tables = crate::common::dump::table_names(
        &conn,
        "name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%'
         AND name NOT IN ('merges', 'merge_ledger', 'merge_declined')",
    );
    let mut out = String::new();
    for t in tables {
        let filter = if t == "ledger" {
            "WHERE id NOT IN (SELECT ledger_id FROM merge_ledger)"
        } else {
            ""
        };
        let cols = if t == "ledger" && !ledger_ids {
            "customer_id, created_at, delta, kind, ref_order_id, ref_order_no, ref_complaint_id, note"
        } else {
            "*"
        };
        let rows =
            crate::common::dump::sorted_rows(&conn, &format!("SELECT {cols} FROM {t} {filter}"));
        out.push_str(&format!("## {t} ({})\n", rows.len()));
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }
    out
}

/// Each customer's points balance, by `platform:key`.
pub fn balances(db: &Path) -> Vec<(String, i64)> {
    let conn = Connection::open(db).unwrap();
    conn.prepare(
        "SELECT c.platform || ':' || c.buyer_key, coalesce(sum(l.delta), 0) FROM customers c
         LEFT JOIN ledger l ON l.customer_id = c.id GROUP BY c.id ORDER BY 1",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}
