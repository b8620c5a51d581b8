//! The import popup: the path box with its completion, the background job
//! started from it, and the job's reports taken in as time passes.

use super::{App, ImportJob, ImportView, Message, Popup, import};
use crate::i18n::Lang;
use crate::i18n::app::{S, t};
use anyhow::Result;

impl App {
    /// Tab in the path box: complete the path.
    pub(super) fn complete_path(&mut self) {
        if let Some(Popup::Import(ImportView::Path { text, candidates })) = self.popups.last_mut() {
            let (t, c) = import::complete(text);
            *text = t;
            *candidates = c;
        }
    }

    /// `i`: the running or last import's status when there is one to see,
    /// else the path box.
    /// A finished import's summary, until the seller has seen it; in the
    /// summary, `i` asks for the next file.
    pub(super) fn open_import(&mut self) {
        let path = ImportView::Path {
            text: self.import_start.clone(),
            candidates: Vec::new(),
        };
        match self.popups.last_mut() {
            Some(p @ Popup::Import(ImportView::Status { .. })) => {
                if !self.import_job.as_ref().is_some_and(ImportJob::running) {
                    *p = Popup::Import(path);
                }
                return;
            }
            Some(Popup::Import(_)) => return,
            _ => {}
        }
        let view = match &mut self.import_job {
            Some(job) if job.running() => ImportView::Status { scroll: 0 },
            Some(job) if !job.seen => {
                job.seen = true;
                ImportView::Status { scroll: 0 }
            }
            _ => path,
        };
        self.popups.push(Popup::Import(view));
    }

    pub(super) fn start_import(&mut self, text: String) {
        if text.is_empty() || self.busy() {
            return;
        }
        let path = import::expand_home(&text);
        if !path.exists() {
            self.message = Some(Message {
                text: match self.lang {
                    Lang::Zh => format!("找不到 {text}：请检查路径（Tab 可补全）"),
                    Lang::En => format!("{text} does not exist: check the path (Tab completes)"),
                },
                error: true,
            });
            return;
        }
        self.import_job = Some(ImportJob::spawn(
            self.store.path().to_path_buf(),
            text,
            vec![path],
            self.settings.clone(),
            self.lang,
        ));
        if let Some(p @ Popup::Import(_)) = self.popups.last_mut() {
            *p = Popup::Import(ImportView::Status { scroll: 0 });
        }
    }

    /// Take in the background import's reports; when it is done, show the
    /// new data and say so.
    pub(super) fn tick(&mut self) -> Result<()> {
        let Some(job) = self.import_job.as_mut() else {
            return Ok(());
        };
        job.poll();
        if job.running() || job.announced {
            return Ok(());
        }
        job.announced = true;
        // The summary is on screen already when its popup is open.
        job.seen = matches!(
            self.popups.last(),
            Some(Popup::Import(ImportView::Status { .. }))
        );
        let text = match &job.result {
            Some(Ok(run)) => {
                // The totals under the names the summary (and `kehu import`) uses.
                use crate::db::Count;
                let lang = self.lang;
                let total = |c: Count| -> String {
                    let n: u64 = run
                        .summaries
                        .iter()
                        .flat_map(|s| s.counts())
                        .filter(|(k, _)| *k == c)
                        .map(|(_, n)| n)
                        .sum();
                    format!("{} {n}", c.label(lang))
                };
                let counts = [
                    Count::OrdersNew,
                    Count::OrdersUpdated,
                    Count::OrdersUnchanged,
                    Count::Rejected,
                ]
                .map(total)
                .join(" · ");
                match lang {
                    Lang::Zh => format!(
                        "导入完成：{counts}，拒收文件 {}（i 查看）",
                        run.refused.len()
                    ),
                    Lang::En => format!(
                        "import done: {counts}, {} files refused (i shows)",
                        run.refused.len()
                    ),
                }
            }
            Some(Err(e)) => format!("{}: {e}", t(self.lang, S::Error)),
            None => return Ok(()),
        };
        let error = matches!(job.result, Some(Err(_)));
        self.reload_views()?;
        self.message = Some(Message { text, error });
        Ok(())
    }
}

/// Where the seller's exports most likely are: the downloads folder when
/// there is one, else the folder kehu was started in.
pub(super) fn import_start_dir() -> String {
    let dir = directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(|d| d.to_path_buf()))
        .filter(|d| d.is_dir())
        .or_else(|| std::env::current_dir().ok());
    match dir {
        Some(d) => {
            let s = d.display().to_string();
            if s.ends_with('/') { s } else { format!("{s}/") }
        }
        None => String::new(),
    }
}

impl App {
    fn import_batches(&self) -> Vec<i64> {
        self.import_job
            .as_ref()
            .map(ImportJob::batches_left)
            .unwrap_or_default()
    }

    /// `u` on the import summary: undo the import, after a question naming
    /// its batches.
    pub(super) fn undo_import_asked(&mut self) {
        let batches = self.import_batches();
        if batches.is_empty() {
            self.message = Some(Message {
                text: crate::i18n::undo::nothing_to_undo(self.lang).to_string(),
                error: false,
            });
            return;
        }
        let q = crate::i18n::undo::ask_undo_import(self.lang, &batches);
        self.ask_with(super::ConfirmPurpose::UndoImport, q);
    }

    /// A yes to undoing the import: its batches, newest first, each as
    /// `kehu undo` does it. A refusal stops there and says why (the batches
    /// undone before it stay undone; the summary says which).
    pub(super) fn undo_import_confirmed(&mut self) -> Result<()> {
        let batches = self.import_batches();
        let mut n = [0; 3];
        let mut done = Vec::new();
        for &b in &batches {
            match self.store.undo_batch(b) {
                Ok(u) => {
                    n[0] += u.orders_removed;
                    n[1] += u.customers_removed;
                    n[2] += u.orders_restored;
                    done.push(b);
                    if let Some(job) = self.import_job.as_mut() {
                        job.undone.push(b);
                    }
                }
                Err(e) => {
                    let Some(r) = e.downcast_ref::<crate::db::Refused>() else {
                        return Err(e);
                    };
                    let mut text = r.message(self.lang).to_string();
                    if !done.is_empty() {
                        let ids = crate::i18n::undo::batch_ids(&done);
                        text = match self.lang {
                            Lang::Zh => format!("{text}（已撤销 {ids}）"),
                            Lang::En => format!("{text} (undone: {ids})"),
                        };
                    }
                    self.reload_views()?;
                    self.message = Some(Message {
                        text: crate::domain::text::one_line(&text).into_owned(),
                        error: true,
                    });
                    return Ok(());
                }
            }
        }
        self.reload_views()?;
        let text = crate::i18n::undo::import_undone_message(self.lang, &done, n);
        self.message = Some(Message { text, error: false });
        Ok(())
    }
}
