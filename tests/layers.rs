//! The house rules, read from the source: which layer may import which
//! (docs/architecture.md draws them), no source file over 700 lines, and no
//! module importing another that imports it back. Each failure names the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers (top-level modules) each layer must not import.
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("ui", &["db", "import", "ingest"]),
    ("db", &["import", "ingest"]),
    ("import", &["db", "ingest"]),
    ("domain", &["db", "app", "ui", "cli", "import", "ingest"]),
    ("model", &["db", "app", "ui", "cli", "import", "ingest"]),
    ("i18n", &["db", "app", "ui", "cli", "import", "ingest"]),
    ("app", &["ui", "cli"]),
];

/// Files allowed past the size limit: data tables, not code.
const LONG_DATA_FILES: &[&str] = &["src/demo/names.rs"];
const MAX_LINES: usize = 700;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without comments (line comments, doc comments, block
/// comments), so a path mentioned in prose is not an import, and without its
/// tests (a file's `#[cfg(test)]` module, at its end by habit): a test may
/// set up data through any layer.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            let end = after.find('\n').unwrap_or(after.len());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("/*") {
            let end = after.find("*/").map_or(after.len(), |i| i + 2);
            rest = &after[end..];
        } else if rest.starts_with('"') {
            // Skip a string literal (escapes honoured).
            let b = rest.as_bytes();
            let mut i = 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            rest = &rest[(i + 1).min(rest.len())..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn ident_at(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The first path segments after `prefix` in `code`: `crate::db::X` gives
/// `db`; `crate::{db::X, ui}` gives `db` and `ui`.
fn heads_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut heads = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        // `super::` inside `super::super::` or `foo::super` is not ours.
        if i > 0 {
            let before = code[..i].chars().next_back().unwrap();
            if before.is_ascii_alphanumeric() || before == '_' || before == ':' {
                continue;
            }
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 1 => {
                        heads.insert(ident_at(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let id = ident_at(rest);
            if !id.is_empty() {
                heads.insert(id);
            }
        }
    }
    heads.remove("self");
    heads
}

struct Source {
    rel: String,
    /// Top-level module: `src/db/load.rs` → `db`.
    layer: String,
    /// Folder and module name: `src/db/load.rs` → (`src/db`, `load`).
    dir: String,
    name: String,
    code: String,
    lines: usize,
}

fn sources() -> Vec<Source> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        // Test-only modules (`db/lookup_tests.rs`, `demo/gen/tests.rs`).
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !(name == "tests.rs" || name.ends_with("_tests.rs"))
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let rel_src = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let parts: Vec<&str> = rel_src.split('/').collect();
            let layer = parts[0].trim_end_matches(".rs").to_string();
            let dir = format!("src/{}", parts[..parts.len() - 1].join("/"));
            let name = parts[parts.len() - 1].trim_end_matches(".rs").to_string();
            Source {
                rel: format!("src/{rel_src}"),
                layer,
                dir: dir.trim_end_matches('/').to_string(),
                name,
                lines: text.lines().count(),
                code: code_of(&text),
            }
        })
        .collect()
}

#[test]
fn layers_import_only_what_they_may() {
    let mut broken = Vec::new();
    for s in sources() {
        let Some((_, banned)) = FORBIDDEN.iter().find(|(l, _)| *l == s.layer) else {
            continue;
        };
        for head in heads_after(&s.code, "crate::") {
            if banned.contains(&head.as_str()) {
                broken.push(format!("{}: {} imports crate::{head}", s.rel, s.layer));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layer rules broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_source_file_is_over_700_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|s| s.lines > MAX_LINES && !LONG_DATA_FILES.contains(&s.rel.as_str()))
        .map(|s| format!("{}: {} lines", s.rel, s.lines))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// Edges between top-level layers, and between sibling files of one folder
/// (`super::b` or `crate::layer::b` from `a.rs`), must hold no cycle.
#[test]
fn no_module_imports_one_that_imports_it_back() {
    let all = sources();
    let layers: BTreeSet<String> = all.iter().map(|s| s.layer.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut why: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut edge = |from: String, to: String, file: &str| {
        if from != to {
            why.entry((from.clone(), to.clone()))
                .or_insert_with(|| file.to_string());
            graph.entry(from).or_default().insert(to);
        }
    };
    for s in &all {
        if s.layer == "lib" || s.layer == "main" {
            continue;
        }
        for head in heads_after(&s.code, "crate::") {
            if layers.contains(&head) {
                edge(s.layer.clone(), head, &s.rel);
            }
        }
        // Siblings: files (or folders) beside this one, not its parent.
        if s.name == "mod" {
            continue;
        }
        let siblings: BTreeSet<String> = all
            .iter()
            .filter_map(|o| {
                if o.dir == s.dir && o.name != "mod" {
                    Some(o.name.clone())
                } else if o.name == "mod" && Path::new(&o.dir).parent() == Some(Path::new(&s.dir)) {
                    Some(o.dir.rsplit('/').next().unwrap().to_string())
                } else {
                    None
                }
            })
            .collect();
        let module = |n: &str| format!("{}/{n}", s.dir);
        let in_layer = format!(
            "crate::{}::",
            s.dir.trim_start_matches("src/").replace('/', "::")
        );
        let mut heads = heads_after(&s.code, "super::");
        if s.dir != "src" {
            heads.extend(heads_after(&s.code, &in_layer));
        }
        for head in heads {
            if siblings.contains(&head) && head != s.name {
                edge(module(&s.name), module(&head), &s.rel);
            }
        }
    }
    // Any cycle, found by depth-first search.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
        cycles: &mut Vec<Vec<String>>,
    ) {
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m.as_str()) {
                Some(1) => {
                    let at = path.iter().position(|p| p == m).unwrap();
                    let mut c = path[at..].to_vec();
                    c.push(m.clone());
                    cycles.push(c);
                }
                Some(_) => {}
                None => visit(m, g, state, path, cycles),
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for n in graph.keys() {
        if !state.contains_key(n.as_str()) {
            visit(n, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    let shown: Vec<String> = cycles
        .iter()
        .map(|c| {
            let steps: Vec<String> = c
                .windows(2)
                .map(|w| {
                    format!(
                        "{} → {} ({})",
                        w[0],
                        w[1],
                        why[&(w[0].clone(), w[1].clone())]
                    )
                })
                .collect();
            steps.join("; ")
        })
        .collect();
    assert!(shown.is_empty(), "import cycles:\n{}", shown.join("\n"));
}

/// `unsafe` is denied crate-wide; the two functions allowed it (a file's
/// writability, giving freed heap memory back) are in `db/dbfile.rs`.
#[test]
fn unsafe_code_lives_in_one_place() {
    let allowed: Vec<String> = sources()
        .into_iter()
        .filter(|s| s.code.contains("allow(unsafe_code)"))
        .map(|s| s.rel)
        .collect();
    assert_eq!(allowed, ["src/db/dbfile.rs"]);
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    assert!(lib.contains("#![deny(unsafe_code)]"));
}

#[test]
fn the_reader_sees_groups_and_paths() {
    let code = code_of(
        "use crate::{db::X, ui::{a, b}};\n// crate::cli::Y\nlet s = \"crate::app\"; crate::domain::t();",
    );
    let heads = heads_after(&code, "crate::");
    assert_eq!(
        heads,
        BTreeSet::from(["db".into(), "ui".into(), "domain".into()])
    );
}
