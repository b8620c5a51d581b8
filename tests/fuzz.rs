//! The import under attack: every export in `tests/fixtures/` mutated the ways
//! files get damaged on their way to a seller's disk (byte flips, cells
//! deleted or doubled, stray quotes, lines shuffled, cut or doubled, line
//! ends and encodings swapped), each imported into a copy of a shop's
//! database. For every case:
//! - no panic;
//! - a refused file leaves the database byte-identical;
//! - an accepted file leaves `check` passing.
//!
//! Seeded and bounded: `KEHU_FUZZ_CASES` (default 2000) and `KEHU_FUZZ_SEED`
//! (default below) replay a run exactly; the count and seed are printed.

mod common;

use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

const DEFAULT_SEED: u64 = 0x6b65_6875_2026;
const DEFAULT_CASES: u64 = 2000;

/// xorshift64*: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Every export-looking fixture: the samples (Taobao GBK and UTF-8 with BOM,
/// Pinduoduo, the broken ones).
fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for sub in ["taobao", "pdd", "bad"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
            .collect();
        files.sort();
        for f in files {
            let name = format!("{sub}/{}", f.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read(&f).unwrap()));
        }
    }
    out
}

/// The text of an export as the seller's machine would decode it.
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn lines_of(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// One mutation, named for the failure report.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> (Vec<u8>, &'static str) {
    let mut b = bytes.to_vec();
    match rng.below(12) {
        0 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(b.len());
                if let Some(x) = b.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
            (b, "byte flips")
        }
        1 => {
            b.truncate(rng.below(b.len() + 1));
            (b, "cut short")
        }
        2 => {
            let i = rng.below(b.len() + 1);
            b.insert(i, b'"');
            (b, "stray quote")
        }
        3 | 4 => {
            // A cell deleted or doubled on one line (cells split naively on
            // commas, the way a careless edit would).
            let text = decode(bytes);
            let mut lines = lines_of(&text);
            let n = lines.len();
            let i = rng.below(n);
            if let Some(line) = lines.get_mut(i) {
                let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
                let j = rng.below(cells.len());
                if rng.below(2) == 0 && cells.len() > 1 {
                    cells.remove(j);
                } else {
                    let c = cells[j].clone();
                    cells.insert(j, c);
                }
                *line = cells.join(",");
            }
            (
                reencode(rng, &text_of(&lines), bytes),
                "cell deleted or doubled",
            )
        }
        5 => {
            let text = decode(bytes);
            let mut lines = lines_of(&text);
            let n = lines.len();
            for _ in 0..=rng.below(4) {
                let (i, j) = (rng.below(n), rng.below(n));
                if n > 0 {
                    lines.swap(i, j);
                }
            }
            (reencode(rng, &text_of(&lines), bytes), "lines shuffled")
        }
        6 => {
            let text = decode(bytes);
            let mut lines = lines_of(&text);
            let n = lines.len();
            let i = rng.below(n);
            if n > 0 {
                if rng.below(2) == 0 {
                    lines.remove(i);
                } else {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
            }
            (
                reencode(rng, &text_of(&lines), bytes),
                "line deleted or doubled",
            )
        }
        7 => {
            let text = decode(bytes);
            let swapped = match rng.below(3) {
                0 => text.replace("\r\n", "\n"),
                1 => text.replace("\r\n", "\n").replace('\n', "\r\n"),
                _ => text.replace("\r\n", "\r").replace('\n', "\r"),
            };
            (reencode(rng, &swapped, bytes), "line ends swapped")
        }
        8 => {
            let text = decode(bytes);
            let to = rng.below(4);
            (encode(&text, to), "encoding swapped")
        }
        9 => {
            // A cell's text replaced by something hostile or absurd.
            let text = decode(bytes);
            let mut lines = lines_of(&text);
            let n = lines.len();
            let i = 1 + rng.below(n.saturating_sub(1));
            const ODD: &[&str] = &[
                "",
                "-",
                "0000-00-00",
                "1.23457E+18",
                "-12.50",
                "92233720368547758.07",
                "99999999999",
                "=HYPERLINK(\"x\")",
                "\u{1b}]0;title\u{7}",
                "\u{202e}abc",
                "2024-13-45",
                "NaN",
            ];
            if let Some(line) = lines.get_mut(i) {
                let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
                let j = rng.below(cells.len());
                cells[j] = format!("\"{}\"", ODD[rng.below(ODD.len())]);
                *line = cells.join(",");
            }
            (reencode(rng, &text_of(&lines), bytes), "odd cell")
        }
        10 => {
            // One order row appearing twice, or a whole export appended to itself.
            let text = decode(bytes);
            let lines = lines_of(&text);
            let mut out = lines.clone();
            if rng.below(2) == 0 {
                out.extend(lines.iter().skip(1).cloned());
            } else if lines.len() > 1 {
                let i = 1 + rng.below(lines.len() - 1);
                out.push(lines[i].clone());
            }
            (reencode(rng, &text_of(&out), bytes), "rows repeated")
        }
        _ => {
            let i = rng.below(b.len() + 1);
            let junk: Vec<u8> = (0..=rng.below(16)).map(|_| rng.next() as u8).collect();
            b.splice(i..i, junk);
            (b, "junk inserted")
        }
    }
}

fn text_of(lines: &[String]) -> String {
    lines.concat()
}

/// Back into the original's encoding, mostly; sometimes another one.
fn reencode(rng: &mut Rng, text: &str, original: &[u8]) -> Vec<u8> {
    if rng.below(8) == 0 {
        return encode(text, rng.below(4));
    }
    if original.starts_with(b"\xEF\xBB\xBF") {
        encode(text, 1)
    } else if std::str::from_utf8(original).is_ok() {
        encode(text, 0)
    } else {
        encode(text, 2)
    }
}

/// 0 UTF-8, 1 UTF-8 with BOM, 2 GBK (GB18030), 3 UTF-16LE with BOM.
fn encode(text: &str, to: usize) -> Vec<u8> {
    match to {
        0 => text.as_bytes().to_vec(),
        1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        2 => encoding_rs::GB18030.encode(text).0.into_owned(),
        _ => {
            let mut out = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
            out
        }
    }
}

#[test]
fn mutated_exports_never_panic_lose_data_or_break_check() {
    common::pin_clock();
    let cases = env_u64("KEHU_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_u64("KEHU_FUZZ_SEED", DEFAULT_SEED);
    eprintln!("fuzz: {cases} cases, seed {seed} (KEHU_FUZZ_CASES, KEHU_FUZZ_SEED replay a run)");
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();

    // The shop each case starts from: the earlier Taobao export imported.
    let base = dir.path().join("base.db");
    {
        let mut store = Store::open(&base).unwrap();
        let first = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/taobao/ExportOrderList202405201030.csv");
        kehu::ingest::import_files(
            &mut store,
            &[first],
            None,
            ImportOptions::default(),
            Lang::En,
            &mut |_| {},
        )
        .unwrap();
        store.checkpoint().unwrap();
    }
    let base_bytes = std::fs::read(&base).unwrap();

    let mut rng = Rng(seed.max(1));
    let (mut accepted, mut refused) = (0u64, 0u64);
    let mut failures: Vec<String> = Vec::new();
    for case in 0..cases {
        let (name, original) = &seeds[rng.below(seeds.len())];
        let (mut bytes, mut what) = mutate(&mut rng, original);
        if rng.below(3) == 0 {
            let (b, w) = mutate(&mut rng, &bytes);
            bytes = b;
            what = w;
        }
        let file = dir.path().join(format!("case{case}.csv"));
        std::fs::write(&file, &bytes).unwrap();
        let db = dir.path().join(format!("case{case}.db"));
        std::fs::write(&db, &base_bytes).unwrap();
        let opts = ImportOptions {
            preload_after: (rng.below(2) == 0).then_some(0),
            ..ImportOptions::default()
        };
        let label = format!("case {case} ({name}, {what})");
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut store = Store::open(&db).unwrap();
            let run = kehu::ingest::import_files(
                &mut store,
                std::slice::from_ref(&file),
                None,
                opts,
                Lang::En,
                &mut |_| {},
            )
            .map_err(|e| format!("import failed: {e:#}"))?;
            let report = store.check().map_err(|e| format!("check failed: {e:#}"))?;
            Ok::<_, String>((run.summaries.is_empty(), report))
        }));
        match outcome {
            Err(_) => failures.push(format!("{label}: panicked")),
            Ok(Err(e)) => failures.push(format!("{label}: {e}")),
            Ok(Ok((true, _))) => {
                refused += 1;
                if std::fs::read(&db).unwrap() != base_bytes {
                    failures.push(format!("{label}: refused, but the database changed"));
                }
            }
            Ok(Ok((false, report))) => {
                accepted += 1;
                if report.integrity != "ok" || !report.problems.is_empty() {
                    failures.push(format!(
                        "{label}: accepted, check fails: {} {:?}",
                        report.integrity, report.problems
                    ));
                }
            }
        }
        if failures.is_empty() {
            let _ = std::fs::remove_file(&file);
            let _ = std::fs::remove_file(&db);
        } else if failures.len() >= 20 {
            break;
        }
    }
    eprintln!(
        "fuzz: {accepted} accepted, {refused} refused, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "seed {seed}: {} failures (first files kept in {}):\n{}",
        failures.len(),
        dir.keep().display(),
        failures.join("\n")
    );
    assert!(
        accepted > 0 && refused > 0,
        "the mutations reach both outcomes"
    );
}
