//! Every error and refusal the command line can give, read in English: under
//! `--lang en` nothing kehu itself says is Chinese (the data the test put in
//! is taken out first), and under `--lang zh` the same path still speaks
//! Chinese and ends with the same exit status.

mod common;

use std::path::{Path, PathBuf};

struct Run {
    code: i32,
    out: String,
}

/// `kehu ARGS` in a sealed home under `dir`, with its own config file.
fn kehu_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = common::kehu_cmd(dir);
    cmd.args(args).env("KEHU_CONFIG", dir.join("config.toml"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        out: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn kehu(dir: &Path, args: &[&str]) -> Run {
    kehu_env(dir, args, &[])
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        // CJK punctuation and full-width forms say "Chinese text" too.
        | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// A header a Taobao order report needs, and rows whose buyers, receivers
/// and addresses are ASCII: nothing Chinese in them can reach a message.
const HEADER: &str = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,退款金额\n";

fn order(no: u32, buyer: &str, paid: &str) -> String {
    format!(
        "{no},{buyer},{paid},交易成功,,Li Lei,Beijing,13800000000,2025-01-0{} 10:00:00,,0\n",
        no % 9 + 1
    )
}

/// A shop of three buyers (alice, bob, bobby) at `dir/shop.db`.
fn shop(dir: &Path) -> PathBuf {
    let csv = dir.join("shop.csv");
    let rows = [
        order(9001, "alice", "120.00"),
        order(9002, "bob", "30.00"),
        order(9003, "bobby", "45.00"),
    ];
    std::fs::write(&csv, format!("{HEADER}{}", rows.concat())).unwrap();
    let db = dir.join("shop.db");
    let r = kehu(
        dir,
        &[
            "import",
            csv.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.out);
    db
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// One path to an error: a name, the arguments (`--lang` is added), extra
/// environment, and data strings the output may quote back.
struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    data: Vec<&'static str>,
}

fn case(name: &'static str, args: &[&str]) -> Case {
    Case {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        env: Vec::new(),
        data: Vec::new(),
    }
}

impl Case {
    fn env(mut self, k: &'static str, v: impl Into<String>) -> Case {
        self.env.push((k, v.into()));
        self
    }
    fn data(mut self, d: &[&'static str]) -> Case {
        self.data.extend(d);
        self
    }
}

fn p(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

fn cases(dir: &Path) -> Vec<Case> {
    let db = shop(dir);
    let db_s = p(&db);
    let with_db = |name: &'static str, args: &[&str]| {
        let mut c = case(name, args);
        c.args.extend(["--db".to_string(), db_s.clone()]);
        c
    };
    let mut out = Vec::new();

    // The database file.
    let missing = p(&dir.join("missing.db"));
    out.push(case("missing db", &["stats", "--db", &missing]));
    out.push(case(
        "missing db, lookup",
        &["lookup", "bob", "--db", &missing],
    ));
    out.push(case(
        "missing db, points",
        &["points", "balance", "bob", "--db", &missing],
    ));
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);")
        .unwrap();
    out.push(case("not a kehu db", &["stats", "--db", &p(&foreign)]));
    let text = dir.join("notes.db");
    std::fs::write(&text, "just some words, not a database\n".repeat(200)).unwrap();
    out.push(case("not sqlite", &["lookup", "bob", "--db", &p(&text)]));
    let newer = dir.join("newer.db");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY);
             CREATE TABLE orders (id INTEGER PRIMARY KEY);
             PRAGMA user_version = 999;",
        )
        .unwrap();
    out.push(case("newer schema", &["stats", "--db", &p(&newer)]));
    out.push(case(
        "newer schema, import",
        &["import", "x.csv", "--db", &p(&newer)],
    ));
    let clash = dir.join("clash.db");
    {
        let conn = rusqlite::Connection::open(&clash).unwrap();
        conn.execute_batch(include_str!("../src/db/migrations/001_foundation.sql"))
            .unwrap();
        conn.execute_batch("CREATE TABLE complaints (x); PRAGMA user_version = 1;")
            .unwrap();
    }
    out.push(case("migration clash", &["stats", "--db", &p(&clash)]));
    #[cfg(unix)]
    {
        let ro_dir = dir.join("ro");
        std::fs::create_dir(&ro_dir).unwrap();
        let ro = ro_dir.join("ro.db");
        std::fs::copy(&db, &ro).unwrap();
        chmod(&ro, 0o444);
        out.push(case(
            "read-only db, note",
            &["note", "bob", "hello", "--db", &p(&ro)],
        ));
        out.push(case(
            "read-only db, redeem",
            &["points", "redeem", "bob", "1", "--db", &p(&ro)],
        ));
    }
    let corrupt = dir.join("corrupt.db");
    {
        let mut bytes = std::fs::read(&db).unwrap();
        // Keep the header, scribble over the pages behind it.
        for b in bytes.iter_mut().skip(4096).step_by(7) {
            *b = 0x5a;
        }
        std::fs::write(&corrupt, bytes).unwrap();
    }
    out.push(case("damaged db, check", &["check", "--db", &p(&corrupt)]));
    out.push(case("damaged db, stats", &["stats", "--db", &p(&corrupt)]));
    let odd = dir.join("odd.db");
    std::fs::copy(&db, &odd).unwrap();
    rusqlite::Connection::open(&odd)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE customers SET orders_count = 99, valid_orders = 42;
             UPDATE orders SET status = 'lost' WHERE order_no = '9002';
             UPDATE orders SET paid_fen = -1 WHERE order_no = '9003';
             INSERT INTO ledger (customer_id, created_at, delta, kind, note)
               VALUES (1, '2025-01-01 00:00:00', -9999, 'redeem', '');
             INSERT INTO ledger (customer_id, created_at, delta, kind, ref_complaint_id, note)
               VALUES (1, '2025-01-01 00:00:00', 5, 'compensation', 77, '');
             UPDATE customers SET blacklisted = 1 WHERE buyer_key = 'bob';",
        )
        .unwrap();
    out.push(case("inconsistent db, check", &["check", "--db", &p(&odd)]));
    out.push(case(
        "inconsistent db, check --json",
        &["check", "--json", "--db", &p(&odd)],
    ));

    // The clock, the config, the language.
    out.push(with_db("bad KEHU_NOW", &["stats"]).env("KEHU_NOW", "tomorrow"));
    let bad_toml = dir.join("bad.toml");
    std::fs::write(&bad_toml, "[points\nper_yuan = 1\n").unwrap();
    out.push(case("config not TOML", &["config"]).env("KEHU_CONFIG", p(&bad_toml)));
    let values = [
        ("negative points", "[points]\nper_yuan = -1\n"),
        (
            "tiers out of order",
            "[tiers]\nsilver_yuan = 500\ngold_yuan = 100\n",
        ),
        ("segments", "[segments]\nrecent_days = 0\n"),
        ("category", "[complaints]\ncategories = [\"weather\"]\n"),
        ("sla", "[complaints]\nfirst_response_hours = 0\n"),
        ("unknown key", "[points]\nper_dollar = 1\n"),
    ];
    for (i, (name, text)) in values.into_iter().enumerate() {
        let f = dir.join(format!("cfg{i}.toml"));
        std::fs::write(&f, text).unwrap();
        let mut c = case(name, &["config"]).env("KEHU_CONFIG", p(&f));
        c.name = Box::leak(format!("config: {name}").into_boxed_str());
        out.push(c);
        let mut c = with_db("", &["points", "balance", "alice"]).env("KEHU_CONFIG", p(&f));
        c.name = Box::leak(format!("config for points: {name}").into_boxed_str());
        out.push(c);
    }
    let cfg_dir = dir.join("cfgdir");
    std::fs::create_dir(&cfg_dir).unwrap();
    out.push(case("config is a folder", &["config"]).env("KEHU_CONFIG", p(&cfg_dir)));
    out.push(with_db("the app without a terminal", &[]));
    out.push(with_db(
        "unknown platform",
        &["import", "x.csv", "--platform", "ebay"],
    ));

    // Customers and points.
    out.push(with_db(
        "unknown customer",
        &["points", "balance", "nobody"],
    ));
    out.push(with_db(
        "unknown customer #id",
        &["points", "history", "#999"],
    ));
    out.push(with_db("several customers", &["points", "balance", "bo"]));
    out.push(with_db("unknown customer, suggest", &["suggest", "nobody"]));
    out.push(with_db("several customers, suggest", &["suggest", "bo"]));
    out.push(with_db(
        "several customers, export",
        &["export", "orders", "--customer", "bo"],
    ));
    out.push(with_db(
        "over-balance redeem",
        &["points", "redeem", "alice", "100000", "--note", "x"],
    ));
    out.push(with_db(
        "redeem without a note",
        &["points", "redeem", "alice", "1"],
    ));
    out.push(with_db(
        "zero redeem",
        &["points", "redeem", "alice", "0", "--note", "x"],
    ));
    out.push(with_db(
        "adjust below zero",
        &["points", "adjust", "alice", "-100000", "--note", "x"],
    ));
    out.push(with_db("note on nobody", &["note", "nobody", "hi"]));
    out.push(with_db("untag missing tag", &["untag", "alice", "vip"]));

    // Complaints.
    out.push(with_db(
        "unknown category",
        &[
            "complaint",
            "add",
            "alice",
            "--category",
            "weather",
            "--severity",
            "low",
            "--summary",
            "x",
        ],
    ));
    out.push(with_db(
        "unknown severity",
        &[
            "complaint",
            "add",
            "alice",
            "--category",
            "quality",
            "--severity",
            "huge",
            "--summary",
            "x",
        ],
    ));
    out.push(with_db(
        "empty summary",
        &[
            "complaint",
            "add",
            "alice",
            "--category",
            "quality",
            "--severity",
            "low",
            "--summary",
            "",
        ],
    ));
    out.push(with_db(
        "order of another buyer",
        &[
            "complaint",
            "add",
            "alice",
            "--order",
            "9002",
            "--category",
            "quality",
            "--severity",
            "low",
            "--summary",
            "x",
        ],
    ));
    out.push(with_db(
        "no such order",
        &[
            "complaint",
            "add",
            "alice",
            "--order",
            "1234",
            "--category",
            "quality",
            "--severity",
            "low",
            "--summary",
            "x",
        ],
    ));
    let only_quality = dir.join("quality.toml");
    std::fs::write(&only_quality, "[complaints]\ncategories = [\"quality\"]\n").unwrap();
    out.push(
        with_db(
            "category not enabled",
            &[
                "complaint",
                "add",
                "alice",
                "--category",
                "logistics",
                "--severity",
                "low",
                "--summary",
                "x",
            ],
        )
        .env("KEHU_CONFIG", p(&only_quality)),
    );
    out.push(with_db("no such complaint", &["complaint", "show", "42"]));
    out.push(with_db(
        "move no such complaint",
        &["complaint", "set", "42", "--status", "resolved"],
    ));
    out.push(with_db(
        "unknown status",
        &["complaint", "set", "1", "--status", "gone"],
    ));
    out.push(with_db(
        "compensate while processing",
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "processing",
            "--compensate-points",
            "5",
        ],
    ));
    out.push(with_db(
        "satisfaction out of range",
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "resolved",
            "--satisfaction",
            "9",
        ],
    ));
    out.push(with_db(
        "satisfaction before resolution",
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "processing",
            "--satisfaction",
            "4",
        ],
    ));
    out.push(with_db(
        "bad compensation money",
        &[
            "complaint",
            "set",
            "1",
            "--status",
            "resolved",
            "--compensate",
            "1.234",
        ],
    ));
    out.push(with_db(
        "same status",
        &["complaint", "set", "2", "--status", "closed"],
    ));
    out.push(with_db(
        "compensate after closing",
        &[
            "complaint",
            "set",
            "2",
            "--status",
            "closed",
            "--compensate-points",
            "5",
        ],
    ));

    // Imports refused.
    let words = dir.join("words.csv");
    std::fs::write(&words, "name,age\nx,1\n").unwrap();
    out.push(with_db("not an export", &["import", &p(&words)]));
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).unwrap();
    out.push(with_db("empty folder", &["import", &p(&empty)]));
    let zip = dir.join("orders.zip");
    std::fs::write(
        &zip,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip file",
    )
    .unwrap();
    out.push(with_db("zip", &["import", &p(&zip)]));
    let blank = dir.join("blank.csv");
    std::fs::write(&blank, "").unwrap();
    out.push(with_db("empty file", &["import", &p(&blank), "--json"]));
    let cut = dir.join("cut.csv");
    std::fs::write(
        &cut,
        format!("{HEADER}9100,carol,1.00,交易成功,\"never closed"),
    )
    .unwrap();
    out.push(with_db("truncated file", &["import", &p(&cut)]));
    #[cfg(unix)]
    out.push(case(
        "import into a read-only db",
        &["import", &p(&words), "--db", &p(&dir.join("ro/ro.db"))],
    ));
    out.push(with_db(
        "no such file",
        &["import", &p(&dir.join("nope.csv"))],
    ));
    let half = dir.join("half.csv");
    std::fs::write(
        &half,
        "订单编号,买家实付金额,订单状态,订单创建时间\n1,1,交易成功,2024-01-01\n",
    )
    .unwrap();
    // The export's own column names are how the seller finds them.
    out.push(with_db("missing columns", &["import", &p(&half)]).data(&[
        "买家会员名",
        "买家昵称",
        "收货人姓名",
        "联系手机",
    ]));
    // Kuaishou and Youzan exports without buyer or receiver columns.
    let ks = dir.join("ks.csv");
    std::fs::write(
        &ks,
        "订单号,订单创建时间,订单支付时间,订单状态,实付款,成交数量
1,2024-01-01,,待发货,¥1.00,1
",
    )
    .unwrap();
    out.push(
        with_db("kuaishou without buyer", &["import", &p(&ks)]).data(&[
            "买家ID",
            "买家昵称",
            "收货人电话",
            "收货地址",
            "收货人",
        ]),
    );
    let yz = dir.join("yz.csv");
    std::fs::write(
        &yz,
        "订单号,订单状态,订单创建时间,买家付款时间,订单实付金额
E1,待发货,2024-01-01,,1
",
    )
    .unwrap();
    out.push(
        with_db("youzan without buyer", &["import", &p(&yz)]).data(&[
            "买家昵称",
            "收货人/提货人",
            "收货人手机号/提货人手机号",
            "详细收货地址/提货地址",
        ]),
    );

    // Files kehu will not overwrite.
    let existing = dir.join("existing.db");
    std::fs::write(&existing, "x").unwrap();
    out.push(with_db("backup onto a file", &["backup", &p(&existing)]));
    out.push(with_db(
        "backup into no folder",
        &["backup", &p(&dir.join("no/such/b.db"))],
    ));
    out.push(with_db(
        "export --out existing",
        &["export", "customers", "--out", &p(&existing)],
    ));
    out.push(with_db(
        "export --out a folder",
        &["export", "customers", "--out", &p(&empty)],
    ));
    out.push(with_db(
        "export unknown segment",
        &["export", "customers", "--segment", "gold-ish"],
    ));

    // The demo.
    out.push(with_db(
        "demo onto a real shop",
        &["demo", "--no-tui", "--orders", "60"],
    ));
    let demo = dir.join("demo.db");
    let r = kehu(
        dir,
        &["demo", "--no-tui", "--orders", "60", "--db", &p(&demo)],
    );
    assert_eq!(r.code, 0, "{}", r.out);
    let r = kehu(dir, &["tag", "#1", "vip", "--db", &p(&demo)]);
    assert_eq!(r.code, 0, "{}", r.out);
    out.push(case(
        "demo onto a person's work",
        &["demo", "--no-tui", "--orders", "60", "--db", &p(&demo)],
    ));
    out.push(case(
        "demo export into a file",
        &["demo", "--export-csv", &p(&existing)],
    ));
    out
}

/// Two complaints on alice's order: #1 open, #2 closed.
fn complaints(dir: &Path, db: &Path) {
    let db = p(db);
    for _ in 0..2 {
        let r = kehu(
            dir,
            &[
                "complaint",
                "add",
                "alice",
                "--category",
                "quality",
                "--severity",
                "low",
                "--summary",
                "cup",
                "--db",
                &db,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.out);
    }
    let r = kehu(
        dir,
        &["complaint", "set", "2", "--status", "closed", "--db", &db],
    );
    assert_eq!(r.code, 0, "{}", r.out);
}

#[test]
fn every_error_reads_in_english_under_lang_en() {
    let dir = tempfile::tempdir().unwrap();
    let cases = cases(dir.path());
    complaints(dir.path(), &dir.path().join("shop.db"));
    let mut failures = Vec::new();
    for c in &cases {
        let env: Vec<(&str, &str)> = c.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let run = |lang: &str| {
            let mut args: Vec<&str> = c.args.iter().map(String::as_str).collect();
            args.extend(["--lang", lang]);
            kehu_env(dir.path(), &args, &env)
        };
        let en = run("en");
        let zh = run("zh");
        if std::env::var_os("KEHU_SHOW").is_some() {
            eprintln!(
                "== {} (exit {})\n{}\n{}",
                c.name,
                en.code,
                en.out.trim_end(),
                zh.out.trim_end()
            );
        }
        if en.code == 0 {
            failures.push(format!("{}: exit 0, expected an error\n{}", c.name, en.out));
            continue;
        }
        if en.code != zh.code {
            failures.push(format!(
                "{}: exit {} in English, {} in Chinese",
                c.name, en.code, zh.code
            ));
        }
        let mut text = en.out.clone();
        for d in &c.data {
            text = text.replace(d, "");
        }
        if text.chars().any(is_han) {
            failures.push(format!(
                "{} (exit {}):\n{}",
                c.name,
                en.code,
                en.out.trim_end()
            ));
        }
        if !zh.out.chars().any(is_han) {
            failures.push(format!(
                "{}: no Chinese under --lang zh:\n{}",
                c.name,
                zh.out.trim_end()
            ));
        }
        if en.out.trim().is_empty() {
            failures.push(format!("{}: says nothing", c.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} paths:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// `--lang` itself: a value clap refuses is said in the locale's language
/// (there is no `--lang` to go by), English in an English locale.
#[test]
fn a_bad_lang_value_follows_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let r = kehu_env(
        dir.path(),
        &["stats", "--lang", "fr"],
        &[("LANG", "en_US.UTF-8")],
    );
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("zh, en"), "{}", r.out);
    assert!(!r.out.chars().any(is_han), "{}", r.out);
    let r = kehu(dir.path(), &["stats", "--lang", "fr"]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.chars().any(is_han), "{}", r.out);
}
