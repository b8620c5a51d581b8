//! Importing files from disk, the one way the CLI and the app both do it:
//! every file opened and recognised first (refusals collected, not fatal),
//! order reports before item reports so item rows find their orders, each file
//! its own transaction, progress reported per file as bytes read.

use super::{FileSummary, ImportError, ImportOptions, Store};
use crate::domain::Platform;
use crate::i18n::Lang;
use crate::import::{ReportKind, ReportReader};
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

/// The files an export folder holds that could be reports: CSV, TSV and text
/// files, by name. A path that is a file is taken as it is.
pub fn expand_paths(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && is_report_name(f))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A file name a platform export may carry.
pub fn is_report_name(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "csv" | "tsv" | "txt"))
}

impl Store {
    /// Import `paths` (files; see [`expand_paths`] for folders). A file that
    /// cannot be opened or is not an export is refused and the others still
    /// go in; a database error stops the run.
    pub fn import_files(
        &mut self,
        paths: &[PathBuf],
        platform: Option<Platform>,
        opts: ImportOptions,
        lang: Lang,
        progress: &mut dyn FnMut(&FileProgress),
    ) -> Result<ImportRun> {
        let mut run = ImportRun::default();
        let mut readers = Vec::new();
        for path in paths {
            let label = path.display().to_string();
            let opened = std::fs::File::open(path)
                .map_err(|e| match lang {
                    Lang::Zh => format!("无法打开文件：{e}"),
                    Lang::En => format!("cannot open the file: {e}"),
                })
                .and_then(|f| ReportReader::open(f, platform).map_err(|r| r.message(lang)));
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
        let count = readers.len();
        for (index, (label, reader, total)) in readers.into_iter().enumerate() {
            let mut at = FileProgress {
                index,
                count,
                file: label.clone(),
                done: 0,
                total,
            };
            progress(&at);
            let result = self.import_report(&label, reader, opts, &mut |done| {
                at.done = done;
                progress(&at);
            });
            match result {
                Ok(s) => run.summaries.push(s),
                Err(ImportError::Refused(r)) => run.refused.push(RefusedFile {
                    file: label,
                    reason: r.message(lang),
                }),
                Err(e @ ImportError::Db(_)) => return Err(e).context(label),
            }
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_expand_to_their_report_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.csv", "a.CSV", "notes.md", "c.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub.csv")).unwrap();
        let got = expand_paths(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = got
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a.CSV", "b.csv", "c.txt"]);
        let file = dir.path().join("notes.md");
        assert_eq!(expand_paths(std::slice::from_ref(&file)).unwrap(), [file]);
    }
}
