//! Import inside the app: a worker thread with its own connection to the same
//! file (WAL lets the app keep reading), progress and the result sent back
//! over a channel, and completion of paths as the seller types one.

use crate::db::{Access, ImportOptions, Settings, Store};
use crate::i18n::Lang;
use crate::ingest::{FileProgress, ImportRun};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread::JoinHandle;

/// What the worker reports.
#[derive(Debug)]
enum JobEvent {
    Progress(FileProgress),
    Done(Result<ImportRun, String>),
}

/// An import running (or finished) in the background.
#[derive(Debug)]
pub struct ImportJob {
    /// What the seller asked for, as typed.
    pub source: String,
    /// The latest progress report (`None` until the first file starts).
    pub progress: Option<FileProgress>,
    /// Set once the worker is done: the run, or why it stopped.
    pub result: Option<Result<ImportRun, String>>,
    /// The app has taken the result in (refreshed its views, said so).
    pub announced: bool,
    /// The seller has had the finished import's summary on screen.
    pub seen: bool,
    /// The import's batches undone from its summary.
    pub undone: Vec<i64>,
    rx: Receiver<JobEvent>,
    handle: Option<JoinHandle<()>>,
}

impl ImportJob {
    /// Start importing `paths` (files or folders) into the database at `db`,
    /// with the config's `settings` in force.
    pub fn spawn(
        db: PathBuf,
        source: String,
        paths: Vec<PathBuf>,
        settings: Settings,
        lang: Lang,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let handle = std::thread::spawn(move || {
            let run = (|| -> anyhow::Result<ImportRun> {
                let mut store = Store::open_configured(&db, Access::Write, &settings)?;
                let mut last: Option<(usize, u64)> = None;
                crate::ingest::import_files(
                    &mut store,
                    &paths,
                    None,
                    ImportOptions::default(),
                    lang,
                    &mut |p| {
                        // One report per file start and per half percent: the
                        // app redraws on each, and more would only cost.
                        let step = (p.total / 200).max(1);
                        let bucket = (p.index, p.done / step);
                        if last != Some(bucket) {
                            last = Some(bucket);
                            let _ = tx.send(JobEvent::Progress(p.clone()));
                        }
                    },
                )
            })();
            let _ = tx.send(JobEvent::Done(
                run.map_err(|e| crate::i18n::error_text(&e, lang)),
            ));
        });
        ImportJob {
            source,
            progress: None,
            result: None,
            announced: false,
            seen: false,
            undone: Vec::new(),
            rx,
            handle: Some(handle),
        }
    }

    /// The finished import's batches not yet undone, newest first (none for
    /// a dry run or a failed import).
    pub fn batches_left(&self) -> Vec<i64> {
        let mut batches: Vec<i64> = match &self.result {
            Some(Ok(run)) => run
                .summaries
                .iter()
                .filter_map(|s| s.batch)
                .filter(|b| !self.undone.contains(b))
                .collect(),
            _ => Vec::new(),
        };
        batches.sort_unstable_by(|a, b| b.cmp(a));
        batches
    }

    pub fn running(&self) -> bool {
        self.result.is_none()
    }

    /// Take in what the worker sent. True when the job finished just now.
    pub fn poll(&mut self) -> bool {
        loop {
            match self.rx.try_recv() {
                Ok(JobEvent::Progress(p)) => self.progress = Some(p),
                Ok(JobEvent::Done(r)) => {
                    self.result = Some(r);
                    if let Some(h) = self.handle.take() {
                        let _ = h.join();
                    }
                    return true;
                }
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => {
                    if self.result.is_none() {
                        // The worker ended without a word: it panicked.
                        self.result = Some(Err("import stopped unexpectedly".into()));
                        return true;
                    }
                    return false;
                }
            }
        }
    }

    /// Wait for the worker (tests; the app polls instead).
    pub fn wait(&mut self) {
        while self.running() {
            if !self.poll() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    /// Overall fraction done, 0.0–1.0, counting whole files before this one.
    pub fn ratio(&self) -> f64 {
        if !self.running() {
            return 1.0;
        }
        match &self.progress {
            Some(p) if p.count > 0 => {
                let this = if p.total > 0 {
                    (p.done as f64 / p.total as f64).min(1.0)
                } else {
                    0.0
                };
                (p.index as f64 + this) / p.count as f64
            }
            _ => 0.0,
        }
    }
}

/// A typed path with `~` made the home directory.
pub fn expand_home(text: &str) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    if text == "~" {
        if let Some(h) = home() {
            return h;
        }
    } else if let Some(rest) = text.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    PathBuf::from(text)
}

/// Completion of the path being typed: the entries of its folder that start
/// with its last part (folders first, shown with a trailing `/`; files only
/// when they could be exports; hidden ones only when asked for with a `.`),
/// and the text extended by what they all share.
pub fn complete(text: &str) -> (String, Vec<String>) {
    let (dir_text, part) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let dir = if dir_text.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(dir_text)
    };
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(part) || (name.starts_with('.') && !part.starts_with('.')) {
                continue;
            }
            let path = e.path();
            if path.is_dir() {
                dirs.push(format!("{name}/"));
            } else if crate::ingest::is_report_name(Path::new(&name)) {
                files.push(name);
            }
        }
    }
    dirs.sort();
    files.sort();
    dirs.extend(files);
    let shared = common_prefix(&dirs);
    let text = if shared.len() > part.len() {
        format!("{dir_text}{shared}")
    } else {
        text.to_string()
    };
    (text, dirs)
}

fn common_prefix(names: &[String]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let mut end = first.len();
    for n in &names[1..] {
        end = first
            .char_indices()
            .zip(n.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_extends_by_what_matches_share() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("订单导出")).unwrap();
        std::fs::create_dir(d.join(".hidden")).unwrap();
        for f in [
            "ExportOrderList202405.csv",
            "ExportOrderDetailList202405.csv",
            "photo.jpg",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let base = format!("{}/", d.display());
        let (text, all) = complete(&base);
        assert_eq!(text, base);
        assert_eq!(
            all,
            [
                "订单导出/",
                "ExportOrderDetailList202405.csv",
                "ExportOrderList202405.csv"
            ]
        );
        let (text, all) = complete(&format!("{base}Exp"));
        assert_eq!(text, format!("{base}ExportOrder"));
        assert_eq!(all.len(), 2);
        let (text, all) = complete(&format!("{base}ExportOrderL"));
        assert_eq!(text, format!("{base}ExportOrderList202405.csv"));
        assert_eq!(all.len(), 1);
        let (text, all) = complete(&format!("{base}订"));
        assert_eq!(text, format!("{base}订单导出/"));
        assert_eq!(all, ["订单导出/"]);
        let (_, all) = complete(&format!("{base}."));
        assert_eq!(all, [".hidden/"]);
        let (text, all) = complete(&format!("{base}nothing"));
        assert_eq!(text, format!("{base}nothing"));
        assert!(all.is_empty());
    }

    #[test]
    fn common_prefix_respects_characters() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(common_prefix(&v(&["订单a", "订单b"])), "订单");
        assert_eq!(common_prefix(&v(&["订单", "订购"])), "订");
        assert_eq!(common_prefix(&v(&["abc"])), "abc");
        assert_eq!(common_prefix(&[]), "");
    }
}
