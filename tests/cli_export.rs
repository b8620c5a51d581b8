//! `kehu export` through the built binary, on a demo shop (orders up to today,
//! so every recency class is present) plus one hostile buyer imported from a
//! hand-made export: counts against `kehu stats`, the file format, escaping,
//! money, masking, segments, --customer, and --out's refusal to overwrite.

mod common;

use chrono::Duration;
use kehu::domain::segment::{CustomerFacts, Segment, SegmentRules};
use kehu::domain::time;
use kehu::i18n::Lang;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const EVIL_BUYER: &str = r#"=HYPERLINK("http://x","点我")"#;

struct Shop {
    dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Shop {
    fn new() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let shop = Shop {
            db: dir.path().join("k.db"),
            config: dir.path().join("config.toml"),
            dir,
        };
        let r = shop.run(&["demo", "--no-tui", "--orders", "600", "--seed", "11"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        // One buyer whose every text field is a spreadsheet formula or worse.
        let created = time::fmt(time::beijing_now() - Duration::days(10));
        let csv = format!(
            "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,宝贝标题,宝贝总数量\r\n\
             9000000000000000001,\"{}\",12.34,交易成功,\"+86 请尽快发货\x1b[31m\",@张三,-北京市 朝阳区,13800001111,{created},=cmd|calc,2\r\n\
             9000000000000000002,安全买家,0.05,交易成功,,李四,上海市,13900002222,{created},笔,1\r\n",
            EVIL_BUYER.replace('"', "\"\"")
        );
        let file = shop.dir.path().join("evil.csv");
        std::fs::write(&file, csv).unwrap();
        let r = shop.run(&["import", file.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let evil = format!("taobao:{EVIL_BUYER}");
        let r = shop.run(&["points", "adjust", &evil, "-5", "--note", "=1+2"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = shop.run(&[
            "complaint",
            "add",
            &evil,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary=-坏了 @客服",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        shop
    }

    /// `kehu ARGS --db DB` with a private config and a Chinese locale.
    fn run(&self, args: &[&str]) -> Run {
        self.run_raw(args, true)
    }

    fn run_raw(&self, args: &[&str], db_last: bool) -> Run {
        let mut cmd = common::kehu_cmd(self.db.parent().unwrap());
        if !db_last {
            cmd.arg("--db").arg(&self.db);
        }
        cmd.args(args);
        if db_last {
            cmd.arg("--db").arg(&self.db);
        }
        let out = cmd
            .env_remove("KEHU_DB")
            .env("KEHU_CONFIG", &self.config)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn json(&self, args: &[&str]) -> Value {
        let r = self.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        serde_json::from_slice(&r.stdout).unwrap()
    }

    /// Export to stdout and parse it; checks the file format on the way.
    fn export(&self, args: &[&str]) -> Table {
        let mut all = vec!["export"];
        all.extend(args);
        let r = self.run(&all);
        assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
        Table::parse(&r.stdout)
    }
}

/// Built once: the demo takes a moment and every test only reads it.
fn shop() -> &'static Shop {
    static SHOP: OnceLock<Shop> = OnceLock::new();
    SHOP.get_or_init(Shop::new)
}

/// An exported CSV: header and rows, by column name.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(bytes: &[u8]) -> Table {
        let body = bytes
            .strip_prefix("\u{FEFF}".as_bytes())
            .expect("starts with a UTF-8 byte-order mark");
        let text = std::str::from_utf8(body).expect("UTF-8");
        assert!(
            text.split_once('\n').unwrap().0.ends_with('\r'),
            "CRLF line ends"
        );
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body);
        let mut records = rd
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>());
        let header = records.next().expect("a header row");
        let rows: Vec<Vec<String>> = records.collect();
        // Records end in CRLF: one per record, whatever newlines cells hold.
        let ends = text.matches("\r\n").count();
        assert!(ends > rows.len(), "{ends} CRLF for {} rows", rows.len());
        assert!(text.ends_with("\r\n"));
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    fn column(&self, name: &str) -> Vec<&str> {
        let i = self.col(name);
        self.rows.iter().map(|r| r[i].as_str()).collect()
    }

    fn find(&self, name: &str, value: &str) -> &Vec<String> {
        let i = self.col(name);
        self.rows
            .iter()
            .find(|r| r[i] == value)
            .unwrap_or_else(|| panic!("no row with {name} = {value}"))
    }
}

/// Plain yuan text to fen, strictly `-?\d+\.\d\d`.
fn fen(s: &str) -> i64 {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (y, c) = s.split_once('.').unwrap_or_else(|| panic!("{s}"));
    assert_eq!(c.len(), 2, "two decimals: {s}");
    let v = y.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap();
    if neg { -v } else { v }
}

/// `platform:buyer key` of a row with English headers, as the CLI takes it and
/// the complaints and ledger exports show it (the buyer cell unescaped).
fn customer_key(t: &Table, r: &[String]) -> String {
    let buyer = &r[t.col("buyer")];
    let buyer = buyer.strip_prefix('\'').unwrap_or(buyer);
    // The platform column is the name (Taobao); the key takes its code.
    let platform = kehu::domain::Platform::from_code(&r[t.col("platform")]).unwrap();
    format!("{}:{buyer}", platform.code())
}

#[test]
fn row_counts_and_totals_match_stats() {
    common::pin_clock();
    let shop = shop();
    let stats = shop.json(&["stats", "--json"]);
    let customers = shop.export(&["customers", "--lang", "en"]);
    assert_eq!(
        customers.rows.len() as i64,
        stats["customers"].as_i64().unwrap()
    );
    let orders = shop.export(&["orders", "--lang", "en"]);
    assert_eq!(orders.rows.len() as i64, stats["orders"].as_i64().unwrap());
    // Money: every amount parses back to fen and the sums are the stored sums.
    let sum = |t: &Table, c: &str| t.column(c).iter().map(|v| fen(v)).sum::<i64>();
    assert_eq!(sum(&orders, "paid"), stats["paid_fen"].as_i64().unwrap());
    assert_eq!(
        sum(&orders, "refund"),
        stats["refund_fen"].as_i64().unwrap()
    );
    assert_eq!(sum(&customers, "paid"), stats["paid_fen"].as_i64().unwrap());
    assert_eq!(
        orders.find("order no", "9000000000000000001")[orders.col("paid")],
        "12.34"
    );
    assert_eq!(
        orders.find("order no", "9000000000000000002")[orders.col("paid")],
        "0.05"
    );
    let statuses: BTreeMap<String, i64> = stats["status_counts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect();
    let mut exported: BTreeMap<String, i64> = BTreeMap::new();
    for s in orders.column("status") {
        *exported.entry(s.to_string()).or_default() += 1;
    }
    assert_eq!(exported, statuses);

    let complaints = shop.export(&["complaints", "--lang", "en"]);
    let listed = shop.json(&["complaint", "list", "--json", "--limit", "100000"]);
    assert_eq!(complaints.rows.len(), listed.as_array().unwrap().len());
    assert!(!complaints.rows.is_empty());

    // The ledger: deltas add up to what is outstanding, and each customer's last
    // running balance is their balance.
    let ledger = shop.export(&["ledger", "--lang", "en"]);
    let deltas: i64 = ledger
        .column("delta")
        .iter()
        .map(|d| d.parse::<i64>().unwrap())
        .sum();
    assert_eq!(deltas, stats["points_outstanding"].as_i64().unwrap());
    let mut last: BTreeMap<&str, i64> = BTreeMap::new();
    let (c, b) = (ledger.col("customer"), ledger.col("balance"));
    for r in &ledger.rows {
        last.insert(&r[c], r[b].parse().unwrap());
    }
    let points: BTreeMap<String, i64> = customers
        .rows
        .iter()
        .map(|r| {
            let key = customer_key(&customers, r);
            (key, r[customers.col("points")].parse().unwrap())
        })
        .collect();
    for (who, bal) in &last {
        assert_eq!(points.get(*who), Some(bal), "{who}");
    }

    // The count goes to stderr, with where it went.
    let r = shop.run(&["export", "orders", "--lang", "en"]);
    assert!(
        r.stderr
            .contains(&format!("wrote {} order rows to stdout", stats["orders"])),
        "{}",
        r.stderr
    );
}

#[test]
fn formulas_and_control_characters_are_neutralised() {
    common::pin_clock();
    let shop = shop();
    let customers = shop.export(&["customers", "--lang", "en"]);
    let escaped = format!("'{EVIL_BUYER}");
    let row = customers.find("buyer", &escaped);
    assert_eq!(row[customers.col("nickname")], escaped);
    assert_eq!(row[customers.col("receiver")], "'@张三");
    assert_eq!(row[customers.col("paid")], "12.34");

    let orders = shop.export(&["orders", "--lang", "en"]);
    let row = orders.find("order no", "9000000000000000001");
    assert_eq!(row[orders.col("buyer")], escaped);
    assert_eq!(row[orders.col("address")], "'-北京市 朝阳区");
    assert_eq!(row[orders.col("items")], "'=cmd|calc");
    let msg = &row[orders.col("buyer message")];
    assert!(msg.starts_with("'+86 请尽快发货"), "{msg}");
    assert!(!msg.contains('\x1b'), "{msg:?}");

    let ledger = shop.export(&["ledger", "--lang", "en"]);
    let row = ledger.find("note", "'=1+2");
    // A negative number is a number, not a formula: left alone.
    assert_eq!(row[ledger.col("delta")], "-5");
    // `taobao:=…` starts with a letter: nothing to escape.
    assert_eq!(row[ledger.col("customer")], format!("taobao:{EVIL_BUYER}"));

    let complaints = shop.export(&["complaints", "--lang", "en"]);
    complaints.find("summary", "'-坏了 @客服");

    // Nothing anywhere starts a cell with a formula character.
    for t in [&customers, &orders, &ledger, &complaints] {
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let formula = cell.starts_with(['=', '+', '@'])
                    || (cell.starts_with('-') && cell[1..].parse::<f64>().is_err());
                assert!(!formula, "row {r} {}: {cell:?}", t.header[c]);
                assert!(
                    !cell.chars().any(|ch| ch.is_control() && ch != '\n'),
                    "{cell:?}"
                );
            }
        }
    }
}

#[test]
fn phones_are_masked_unless_revealed() {
    common::pin_clock();
    let shop = shop();
    let masked = shop.export(&["customers", "--lang", "en"]);
    let row = masked.find("buyer", "安全买家");
    assert_eq!(row[masked.col("phone")], "139****2222");
    for p in masked.column("phone") {
        assert!(p.is_empty() || p.contains('*'), "{p}");
    }
    let orders = shop.export(&["orders", "--lang", "en"]);
    for p in orders.column("phone") {
        assert!(p.is_empty() || p.contains('*'), "{p}");
    }
    let shown = shop.export(&["customers", "--lang", "en", "--reveal"]);
    let row = shown.find("buyer", "安全买家");
    assert_eq!(row[shown.col("phone")], "13900002222");
}

#[test]
fn headers_in_chinese_by_default_and_english_on_request() {
    common::pin_clock();
    let shop = shop();
    let zh = shop.export(&["customers"]);
    assert_eq!(
        zh.header,
        [
            "平台",
            "买家",
            "昵称",
            "收货人",
            "手机",
            "等级",
            "分群",
            "订单数",
            "实付合计",
            "退款合计",
            "首单时间",
            "最近下单",
            "积分",
            "黑名单",
            "标签"
        ]
    );
    assert!(zh.column("平台").contains(&"淘宝"));
    let en = shop.export(&["customers", "--lang", "en"]);
    assert_eq!(
        en.header[..4],
        ["platform", "buyer", "nickname", "receiver"]
    );
    assert!(en.column("platform").contains(&"Taobao"));
    assert_eq!(shop.export(&["orders"]).header[0], "订单编号");
    assert_eq!(
        shop.export(&["orders", "--lang", "en"]).header[0],
        "order no"
    );
    assert_eq!(shop.export(&["complaints"]).header[4], "类别");
    assert_eq!(
        shop.export(&["ledger", "--lang", "en"]).header[7],
        "balance"
    );
    // Chinese names of the kinds work too, and --db may come first.
    let r = shop.run_raw(&["export", "客户"], false);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(Table::parse(&r.stdout).rows.len(), zh.rows.len());
    assert!(r.stderr.contains("已导出"), "{}", r.stderr);
}

#[test]
fn segments_filter_by_the_rule() {
    common::pin_clock();
    let shop = shop();
    let all = shop.export(&["customers", "--lang", "en"]);
    let now = time::beijing_now();
    let rules = SegmentRules::default();
    let since = rules.recent_since(now);
    let key = customer_key;
    // R and F count valid orders (paid, shipped, completed): read them from
    // the orders export.
    let orders_all = shop.export(&["orders", "--lang", "en"]);
    let mut valid: BTreeMap<String, (i64, Option<chrono::NaiveDateTime>)> = BTreeMap::new();
    for o in &orders_all.rows {
        if ["paid", "shipped", "completed"].contains(&o[orders_all.col("status")].as_str()) {
            let v = valid.entry(customer_key(&orders_all, o)).or_default();
            v.0 += 1;
            v.1 = v.1.max(time::parse_stored(&o[orders_all.col("created")]));
        }
    }
    let mut by_segment: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &all.rows {
        let (valid_orders, last) = valid.get(&key(&all, r)).copied().unwrap_or_default();
        let facts = CustomerFacts {
            valid_orders,
            paid_fen: fen(&r[all.col("paid")]),
            refund_fen: fen(&r[all.col("refunded")]),
            last_valid_at: last,
        };
        let near_boundary = last.is_some_and(|t| (t - since).num_seconds().abs() < 120);
        if !near_boundary {
            let seg = Segment::of(&facts, now, &rules);
            assert_eq!(r[all.col("segment")], seg.label(Lang::En), "{r:?}");
        }
        by_segment
            .entry(r[all.col("segment")].clone())
            .or_default()
            .insert(key(&all, r));
    }
    assert!(
        by_segment.len() >= 4,
        "a varied shop: {:?}",
        by_segment.keys()
    );
    let mut total = 0;
    for &seg in Segment::ALL {
        let t = shop.export(&["customers", "--lang", "en", "--segment", seg.code()]);
        let got: BTreeSet<String> = t.rows.iter().map(|r| key(&t, r)).collect();
        let want = by_segment.get(seg.code()).cloned().unwrap_or_default();
        assert_eq!(got, want, "{seg:?}");
        total += got.len();
    }
    assert_eq!(
        total,
        all.rows.len(),
        "each customer in exactly one segment"
    );

    // Chinese names; the segment carries over to the customers' orders.
    let zh = shop.export(&["customers", "--segment", "一般发展客户"]);
    let new = &by_segment["new"];
    assert_eq!(zh.rows.len(), new.len());
    let orders = shop.export(&["orders", "--lang", "en", "--segment", "new"]);
    let expected: i64 = all
        .rows
        .iter()
        .filter(|r| r[all.col("segment")] == "new")
        .map(|r| r[all.col("orders")].parse::<i64>().unwrap())
        .sum();
    assert_eq!(orders.rows.len() as i64, expected);
    for r in &orders.rows {
        let k = customer_key(&orders, r);
        assert!(new.contains(&k), "{k}");
    }
    let ledger = shop.export(&["ledger", "--lang", "en", "--segment", "top"]);
    for c in ledger.column("customer") {
        assert!(by_segment["top"].contains(c), "{c}");
    }

    let r = shop.run(&["export", "customers", "--segment", "vip"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("重要价值客户/top"), "{}", r.stderr);
}

#[test]
fn one_customers_data() {
    common::pin_clock();
    let shop = shop();
    let evil = format!("taobao:{EVIL_BUYER}");
    let c = shop.export(&["customers", "--lang", "en", "--customer", &evil]);
    assert_eq!(c.rows.len(), 1);
    let o = shop.export(&["orders", "--lang", "en", "--customer", &evil]);
    assert_eq!(o.column("order no"), ["9000000000000000001"]);
    let l = shop.export(&["ledger", "--lang", "en", "--customer", &evil]);
    assert_eq!(l.column("delta"), ["12", "-5"]);
    assert_eq!(l.column("balance"), ["12", "7"]);
    let k = shop.export(&["complaints", "--lang", "en", "--customer", &evil]);
    assert_eq!(k.rows.len(), 1);
    let r = shop.run(&["export", "orders", "--customer", "nobody-at-all"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
}

#[test]
fn out_writes_a_file_and_refuses_to_overwrite() {
    common::pin_clock();
    let shop = shop();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("客户.csv");
    let out_s = out.to_str().unwrap();
    let r = shop.run(&["export", "customers", "--out", out_s]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let first = std::fs::read(&out).unwrap();
    let t = Table::parse(&first);
    assert!(
        r.stderr
            .contains(&format!("已导出 {} 行客户到 {out_s}", t.rows.len())),
        "{}",
        r.stderr
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "personal data: owner only");
    }

    // An existing file is left alone: exit 3, same bytes, no leftovers.
    std::fs::write(&out, "keep me").unwrap();
    let r = shop.run(&["export", "orders", "--out", out_s]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    let names = |d: &Path| -> Vec<String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(dir.path()), ["客户.csv"]);

    // --force replaces it.
    let r = shop.run(&[
        "export", "orders", "--out", out_s, "--force", "--lang", "en",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = Table::parse(&std::fs::read(&out).unwrap());
    assert_eq!(t.header[0], "order no");
    assert_eq!(names(dir.path()), ["客户.csv"]);

    // --force means nothing without --out: a usage error.
    let r = shop.run(&["export", "orders", "--force"]);
    assert_eq!(r.code, 2);
    let r = shop.run(&["export", "everything"]);
    assert_eq!(r.code, 2);
}
