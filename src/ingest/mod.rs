//! From files and folders to the store, the one way the CLI and the app both
//! import: folders expanded to their export files, every file opened and
//! recognised first (refusals collected, not fatal), order reports before
//! item reports so item rows find their orders, each file its own
//! transaction in the store, progress reported per file as bytes read.
//! Parsing (`import`) yields records; the store's loader (`db`) writes them;
//! this layer joins the two, and neither of them imports the other.

use crate::db::{FileSummary, ImportError, ImportOptions, Store};
use crate::domain::Platform;
use crate::i18n::{Lang, import as say};
use crate::import::ReportKind;
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A file that was refused whole, with the reason in the seller's language.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedFile {
    pub file: String,
    pub reason: String,
}

/// What importing a set of files did.
#[derive(Debug, Clone, Default)]
pub struct ImportRun {
    pub summaries: Vec<FileSummary>,
    pub refused: Vec<RefusedFile>,
    /// Follow-ups the config's rules planned after the files went in.
    pub planned: crate::model::PlanResult,
    /// The backup written before the files went in (none on a dry run, into
    /// an empty database, or with backups off).
    pub backup: Option<PathBuf>,
}

/// Where an import stands, as the progress callback sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProgress {
    /// 0-based position of the file being imported among the accepted ones.
    pub index: usize,
    /// How many files will be imported (refused ones not counted).
    pub count: usize,
    pub file: String,
    pub done: u64,
    pub total: u64,
}

/// The files an export folder holds that could be reports: CSV, TSV, text
/// files and Excel workbooks, by name.
fn folder_reports(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| f.is_file() && is_report_name(f))
        .collect();
    found.sort();
    Ok(found)
}

/// What the seller named, as files to open: a folder stands for the export
/// files in it. Refused here, before anything is opened: a folder holding no
/// export file, and a path that is neither a regular file nor a folder (a
/// FIFO would block the import forever, a device never ends).
fn plan(paths: &[PathBuf], lang: Lang) -> (Vec<PathBuf>, Vec<RefusedFile>) {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let mut refuse = |p: &Path, reason: String| {
        refused.push(RefusedFile {
            file: p.display().to_string(),
            reason,
        })
    };
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => match folder_reports(p) {
                Ok(found) if found.is_empty() => {
                    refuse(p, say::no_exports_in(&p.display()).get(lang).into())
                }
                Ok(found) => files.extend(found),
                Err(e) => refuse(p, cannot_open(&e, lang)),
            },
            Ok(m) if !m.is_file() => refuse(p, say::not_a_regular_file().get(lang).into()),
            Ok(_) => files.push(p.clone()),
            Err(e) => refuse(p, cannot_open(&e, lang)),
        }
    }
    (files, refused)
}

fn cannot_open(e: &std::io::Error, lang: Lang) -> String {
    say::cannot_open(e).get(lang).into()
}

/// A file name a platform export may carry (not Excel's `~$…` lock file
/// beside an open workbook).
pub fn is_report_name(p: &Path) -> bool {
    let lock = p
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    !lock
        && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xls"
            )
        })
}

/// Files at least this big (about 20,000 order rows) go to bulk mode from
/// their first row (db/load `ImportOptions::preload_after`).
const BULK_FROM_FIRST_ROW_BYTES: u64 = 8 << 20;

/// Import `paths` (files, or folders standing for the export files in them)
/// into `store`. A file that cannot be opened or is not an export, a folder
/// with no export file and a path that is not a regular file are refused,
/// and the others still go in; a database error stops the run.
pub fn import_files(
    store: &mut Store,
    paths: &[PathBuf],
    platform: Option<Platform>,
    opts: ImportOptions,
    lang: Lang,
    progress: &mut dyn FnMut(&FileProgress),
) -> Result<ImportRun> {
    // One import at a time; other writers see it running (and since when).
    let lock = store.lock_import()?;
    let (paths, refused) = plan(paths, lang);
    let mut run = ImportRun {
        refused,
        ..ImportRun::default()
    };
    let mut readers = Vec::new();
    for path in &paths {
        let label = path.display().to_string();
        let refused = |r: crate::import::Refusal| match r {
            crate::import::Refusal::Io(e) => cannot_open(&e, lang),
            r => r.message(lang),
        };
        let opened = crate::import::open::open_file(path, platform)
            .map_err(refused)
            .and_then(|mut r| {
                // Douyin, JD: a first reading tells which orders' rows stand apart.
                if r.gathers() {
                    let again = crate::import::open::open_file(path, Some(r.platform()))
                        .map_err(refused)?;
                    r.scan_apart_from(again).map_err(refused)?;
                }
                Ok(r)
            });
        match opened {
            Ok(mut r) => {
                r.set_lang(lang);
                let total = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                readers.push((label, r, total));
            }
            Err(reason) => run.refused.push(RefusedFile {
                file: label,
                reason,
            }),
        }
    }
    // Orders before items, so item rows find their orders (stable: the
    // seller's order among files of one kind is kept).
    readers.sort_by_key(|(_, r, _)| match r.kind() {
        ReportKind::Orders => 0,
        ReportKind::Items => 1,
    });
    // A copy of the shop before anything is written: no backup, no import.
    if !opts.dry_run && !readers.is_empty() {
        crate::db::trace_import("backup: start");
        run.backup = store.backup_before_import()?;
        crate::db::trace_import("backup: written");
    }
    // Into a database that holds nothing yet, the files are written into a
    // new one, put in place at the end (db/first_import.rs).
    let mut built = if !opts.dry_run && !readers.is_empty() {
        store.first_import_store()?
    } else {
        None
    };
    let count = readers.len();
    for (index, (label, reader, total)) in readers.into_iter().enumerate() {
        let target: &mut Store = match built.as_mut() {
            Some(b) => b,
            None => &mut *store,
        };
        let mut at = FileProgress {
            index,
            count,
            file: label.clone(),
            done: 0,
            total,
        };
        progress(&at);
        // A big file is loaded in bulk mode from its first row: the stored
        // order numbers read at once, rather than its first rows looked up
        // one by one first (the result is the same either way).
        let opts = ImportOptions {
            preload_after: opts
                .preload_after
                .or((total >= BULK_FROM_FIRST_ROW_BYTES).then_some(0)),
            ..opts
        };
        let result = target.import_report(&label, reader, opts, &mut |done| {
            at.done = done;
            progress(&at);
        });
        match result {
            Ok(s) => run.summaries.push(s),
            Err(ImportError::Refused(r)) => run.refused.push(RefusedFile {
                file: label,
                reason: r.message(lang),
            }),
            Err(e @ ImportError::Db(_)) => {
                store.end_import_run();
                if let Some(b) = built.take() {
                    Store::discard_built(b);
                }
                return Err(e).context(label);
            }
        }
    }
    store.end_import_run();
    if let Some(mut b) = built.take() {
        if run.summaries.is_empty() {
            Store::discard_built(b);
        } else {
            b.refresh_suggest_counts()?;
            store.take_built(b)?;
        }
    }
    // The suggestions' counts, once for all the files (under the lock: the
    // next import waits for them).
    if !opts.dry_run {
        store.refresh_suggest_counts()?;
        crate::db::trace_import("suggestions");
    }
    // New orders and complaints may call for follow-ups (not on a dry run,
    // which wrote nothing). A write like any other: after the import's lock.
    drop(lock);
    if !opts.dry_run && !run.summaries.is_empty() {
        run.planned = store.plan_by_settings()?;
        crate::db::trace_import("follow-ups planned");
        // Fitted again when the orders changed; an import that changed
        // nothing keeps today's (1.5 s at a million orders).
        let changed = run
            .summaries
            .iter()
            .any(|s| s.orders_new + s.orders_updated + s.lines_written > 0);
        if changed {
            store.refresh_predictions()?;
        } else {
            store.ensure_predictions()?;
        }
        crate::db::trace_import("predictions");
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_expand_to_their_report_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.csv", "a.CSV", "notes.md", "c.txt", "d.xlsx", "~$d.xlsx", "e.XLS",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub.csv")).unwrap();
        let (got, refused) = plan(&[dir.path().to_path_buf()], Lang::Zh);
        assert!(refused.is_empty());
        let names: Vec<_> = got
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a.CSV", "b.csv", "c.txt", "d.xlsx", "e.XLS"]);
        let file = dir.path().join("notes.md");
        assert_eq!(plan(std::slice::from_ref(&file), Lang::Zh).0, [file]);
    }

    /// A folder with no export file and a FIFO are refused by name, at once
    /// (opening the FIFO would wait for a writer forever), and nothing is written.
    #[test]
    fn empty_folders_and_pipes_are_refused_before_opening() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        std::fs::write(empty.join("readme.md"), "x").unwrap();
        let mut paths = vec![empty.clone()];
        #[cfg(unix)]
        {
            let fifo = dir.path().join("orders.csv");
            let ok = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                paths.push(fifo);
            }
        }
        let mut store = Store::open_in_memory().unwrap();
        let run = import_files(
            &mut store,
            &paths,
            None,
            ImportOptions::default(),
            Lang::En,
            &mut |_| {},
        )
        .unwrap();
        assert!(run.summaries.is_empty());
        assert_eq!(run.refused.len(), paths.len());
        assert!(
            run.refused[0].reason.contains("no export files in"),
            "{:?}",
            run.refused
        );
        if let Some(r) = run.refused.get(1) {
            assert!(r.reason.contains("not a regular file"), "{r:?}");
        }
    }
}
