//! What every command writes on stdout, through the built binary: a reader
//! that goes away early (`kehu … | head`) ends the command quietly with
//! status 0, and every `--json` form is one strictly valid JSON document
//! (no duplicate keys, nothing after it).

mod common;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const BUYER: &str = "风吹lucky28941_124";

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

struct Shop {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Shop {
    /// The sample Taobao export, a file with rejected rows, and one resolved
    /// complaint with compensation and history.
    fn new() -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let shop = Shop {
            db: dir.path().join("k.db"),
            dir,
        };
        for args in [
            vec![
                "import".to_string(),
                fixture("taobao/ExportOrderList202405201030.csv"),
                "--items".to_string(),
                fixture("taobao/ExportOrderDetailList202405201030.csv"),
            ],
            vec![
                "import".to_string(),
                fixture("bad/excel-resaved-scientific.csv"),
            ],
        ] {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            shop.ok(&args);
        }
        shop.ok(&[
            "complaint",
            "add",
            BUYER,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "杯子裂了",
        ]);
        shop.ok(&[
            "complaint",
            "set",
            "1",
            "--status",
            "resolved",
            "--compensate-points",
            "20",
            "--note",
            "补发",
        ]);
        shop
    }

    fn cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = common::kehu_cmd(self.dir.path());
        cmd.args(args)
            .arg("--db")
            .arg(&self.db)
            .env("KEHU_CONFIG", self.dir.path().join("config.toml"));
        cmd
    }

    fn ok(&self, args: &[&str]) -> Vec<u8> {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Run with stdout a pipe whose reader is already gone.
    fn run_into_closed_pipe(&self, args: &[&str]) {
        let mut child = self
            .cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

/// `kehu complaint list | head -1` and friends: no panic, no message, status 0.
#[test]
fn every_printing_command_ends_quietly_when_its_reader_goes_away() {
    common::pin_clock();
    let shop = Shop::new();
    let csv_dir = shop.dir.path().join("gen");
    let csv_dir = csv_dir.to_str().unwrap();
    let backup = shop.dir.path().join("copy.db");
    let backup = backup.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["lookup", "娜"],
        vec!["lookup", "娜", "--json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["rejects"],
        vec!["rejects", "--json"],
        vec!["check"],
        vec!["check", "--json"],
        vec!["points", "balance", BUYER],
        vec!["points", "balance", BUYER, "--json"],
        vec!["points", "history", BUYER],
        vec!["points", "history", BUYER, "--json"],
        vec!["points", "redeem", BUYER, "1", "--note", "x"],
        vec!["points", "redeem", BUYER, "1", "--note", "x", "--json"],
        vec!["points", "adjust", BUYER, "1", "--note", "x"],
        vec!["points", "adjust", BUYER, "1", "--note", "x", "--json"],
        vec!["points", "expire"],
        vec!["points", "expire", "--json"],
        vec!["complaint", "list"],
        vec!["complaint", "list", "--json"],
        vec!["complaint", "show", "1"],
        vec!["complaint", "show", "1", "--json"],
        vec!["complaint", "stats"],
        vec!["complaint", "stats", "--json"],
        vec![
            "complaint",
            "add",
            BUYER,
            "--category",
            "other",
            "--severity",
            "low",
            "--summary",
            "问发票",
        ],
        vec![
            "complaint",
            "add",
            BUYER,
            "--category",
            "other",
            "--severity",
            "low",
            "--summary",
            "问发票",
            "--json",
        ],
        vec!["complaint", "set", "2", "--status", "processing"],
        vec!["complaint", "set", "3", "--status", "processing", "--json"],
        vec!["export", "customers"],
        vec!["export", "orders"],
        vec!["export", "ledger"],
        vec!["export", "complaints"],
        vec!["note", BUYER, "老客户"],
        vec!["note", BUYER, "老客户", "--json"],
        vec!["tag", BUYER, "批发"],
        vec!["tag", BUYER, "复购", "--json"],
        vec!["untag", BUYER, "批发"],
        vec!["untag", BUYER, "复购", "--json"],
        vec!["blacklist", BUYER, "--reason", "恶意退款"],
        vec!["unblacklist", BUYER],
        vec!["blacklist", BUYER, "--reason", "恶意退款", "--json"],
        vec!["unblacklist", BUYER, "--json"],
        vec!["config"],
        vec!["backup", backup],
        vec!["demo", "--export-csv", csv_dir, "--orders", "50"],
    ];
    for args in &commands {
        shop.run_into_closed_pipe(args);
    }
}

/// `kehu import … | true` commits its work all the same.
#[test]
fn an_import_whose_reader_went_away_still_commits() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop {
        db: dir.path().join("k.db"),
        dir,
    };
    let orders = fixture("taobao/ExportOrderList202405201030.csv");
    shop.run_into_closed_pipe(&["import", &orders]);
    let stats: serde_json::Value = serde_json::from_slice(&shop.ok(&["stats", "--json"])).unwrap();
    assert_eq!(stats["orders"], 400);
    let bad = fixture("bad/excel-resaved-scientific.csv");
    shop.run_into_closed_pipe(&["import", "--json", &bad]);
    let rejects: serde_json::Value =
        serde_json::from_slice(&shop.ok(&["rejects", "--json"])).unwrap();
    assert_eq!(rejects.as_array().unwrap().len(), 3);
}

/// Any JSON value, refusing an object that repeats a key.
struct Strict;

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_none<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
            map.next_value::<Strict>()?;
        }
        Ok(Strict)
    }
}

fn parse_strictly(args: &[&str], stdout: &[u8]) {
    if let Err(e) = serde_json::from_slice::<Strict>(stdout) {
        panic!("{args:?}: {e}\n{}", String::from_utf8_lossy(stdout));
    }
}

/// Every `--json` output parses with a parser that refuses duplicate keys
/// (`import --json` wrote `"file"` twice in each `files[]` entry).
#[test]
fn every_json_output_is_strictly_valid() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let shop = Shop {
        db: dir.path().join("k.db"),
        dir,
    };
    let orders = fixture("taobao/ExportOrderList202405201030.csv");
    let items = fixture("taobao/ExportOrderDetailList202405201030.csv");
    let bad = fixture("bad/excel-resaved-scientific.csv");
    let truncated = fixture("bad/truncated.csv");
    let commands: Vec<Vec<&str>> = vec![
        vec!["import", "--json", &orders, "--items", &items],
        vec!["import", "--json", "--dry-run", &orders],
        vec!["import", "--json", &bad],
        vec!["lookup", "娜", "--json"],
        vec!["lookup", "zzzz不存在", "--json"],
        vec!["stats", "--json"],
        vec!["rejects", "--json"],
        vec!["rejects", "--json", "--reveal"],
        vec!["check", "--json"],
        vec![
            "complaint",
            "add",
            BUYER,
            "--category",
            "quality",
            "--severity",
            "high",
            "--summary",
            "杯子裂了",
            "--json",
        ],
        vec![
            "complaint",
            "set",
            "1",
            "--status",
            "resolved",
            "--compensate-points",
            "20",
            "--compensate",
            "12.50",
            "--json",
        ],
        vec!["complaint", "list", "--json"],
        vec!["complaint", "show", "1", "--json"],
        vec!["complaint", "stats", "--json"],
        vec!["points", "balance", BUYER, "--json"],
        vec!["points", "history", BUYER, "--json"],
        vec!["points", "redeem", BUYER, "5", "--note", "x", "--json"],
        vec!["points", "adjust", BUYER, "-3", "--note", "x", "--json"],
        vec!["points", "expire", "--json"],
        vec!["note", BUYER, "老客户", "--json"],
        vec!["tag", BUYER, "批发", "--json"],
        vec!["untag", BUYER, "批发", "--json"],
        vec!["blacklist", BUYER, "--reason", "恶意退款", "--json"],
        vec!["unblacklist", BUYER, "--json"],
    ];
    for args in &commands {
        parse_strictly(args, &shop.ok(args));
    }
    // A refused file is listed too (exit 3).
    let out = shop
        .cmd(&["import", "--json", &truncated, &orders])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    parse_strictly(&["import", "--json", &truncated], &out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for f in v["files"].as_array().unwrap() {
        assert!(f["file"].is_string(), "{f}");
    }
}

/// `kehu … 2>&1 | head`: messages on a stderr nobody reads never panic
/// either, and the exit status still tells what happened.
#[test]
fn messages_into_a_closed_pipe_do_not_panic() {
    common::pin_clock();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let orders = fixture("taobao/ExportOrderList202405201030.csv");
    let truncated = fixture("bad/truncated.csv");
    let missing = dir.path().join("typo.db");
    for (db, args, code) in [
        // A refused file and an imported one: stderr, then stdout.
        (&db, vec!["import", &truncated, &orders], 3),
        (&db, vec!["export", "customers"], 0),
        (&db, vec!["stats"], 0),
        // A refusal on stderr only.
        (&missing, vec!["stats"], 3),
        (&db, vec!["complaint", "show", "99"], 3),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = common::kehu_cmd(dir.path())
            .args(&args)
            .arg("--db")
            .arg(db)
            .env("KEHU_CONFIG", dir.path().join("config.toml"))
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .status()
            .unwrap();
        assert_eq!(out.code(), Some(code), "{args:?}");
    }
    assert!(!missing.exists());
}
