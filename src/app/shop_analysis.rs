//! The shop analysis view (数据分析): sales by month, new against returning
//! buyers, segments by count and by money, and the top items, from the
//! store's analysis (`kehu analyse` reads the same); opened with `a` from the
//! tabs (`A` also on the complaints tab, whose `a` is the complaint
//! analysis). At a million orders the read takes about a second, so it runs
//! on a connection of its own in the background while the view says so.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use super::{App, Message, Popup};
use crate::db::{Access, Store};
use crate::model::{Analysis, MonthRange};
use anyhow::Result;

#[derive(Debug, Clone)]
pub struct ShopAnalysisView {
    /// Over every month, as of now; `None` while it is being read.
    pub analysis: Option<Analysis>,
}

/// The analysis being read in the background.
pub(super) struct AnalysisJob {
    rx: Receiver<Result<Analysis, String>>,
}

impl App {
    /// `a` on a tab: the shop analysis (once), as last read since the views
    /// were re-read, else read now.
    pub(super) fn open_shop_analysis(&mut self) -> Result<()> {
        if matches!(self.popups.last(), Some(Popup::ShopAnalysis(_))) {
            return Ok(());
        }
        if self.shop_analysis.is_none() {
            self.read_shop_analysis()?;
        }
        let analysis = self.shop_analysis.clone();
        self.popups
            .push(Popup::ShopAnalysis(ShopAnalysisView { analysis }));
        Ok(())
    }

    /// Start reading the analysis afresh: in the background from a database
    /// file, at once from one in memory. A read already under way is dropped
    /// (what it would bring is older).
    pub(super) fn read_shop_analysis(&mut self) -> Result<()> {
        self.shop_analysis = None;
        let path = self.store.path().to_path_buf();
        let rules = self.customer_query.segment_rules;
        let tiers = self.tiers;
        if !path.is_file() {
            self.analysis_job = None;
            self.shop_analysis =
                Some(self.store.analyse(&MonthRange::default(), &rules, &tiers)?);
            return Ok(());
        }
        let settings = self.settings.clone();
        let lang = self.lang;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let read = (|| -> Result<Analysis> {
                let store = Store::open_configured(&path, Access::Read, &settings)?;
                store.analyse(&MonthRange::default(), &rules, &tiers)
            })();
            let _ = tx.send(read.map_err(|e| crate::i18n::error_text(&e, lang)));
        });
        self.analysis_job = Some(AnalysisJob { rx });
        Ok(())
    }

    /// The views were re-read: the analysis kept is dropped, and an open
    /// view reads it afresh.
    pub(super) fn reread_shop_analysis(&mut self) -> Result<()> {
        self.shop_analysis = None;
        self.analysis_job = None;
        if !self
            .popups
            .iter()
            .any(|p| matches!(p, Popup::ShopAnalysis(_)))
        {
            return Ok(());
        }
        self.read_shop_analysis()?;
        let analysis = self.shop_analysis.clone();
        for p in &mut self.popups {
            if let Popup::ShopAnalysis(v) = p {
                v.analysis = analysis.clone();
            }
        }
        Ok(())
    }

    /// Take in the analysis read in the background; true when it arrived
    /// (or the read failed: the view closes and the error is said).
    pub(super) fn poll_shop_analysis(&mut self) -> bool {
        let Some(job) = &self.analysis_job else {
            return false;
        };
        let read = match job.rx.try_recv() {
            Ok(read) => read,
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => Err("analysis stopped unexpectedly".to_string()),
        };
        self.analysis_job = None;
        match read {
            Ok(a) => {
                for p in &mut self.popups {
                    if let Popup::ShopAnalysis(v) = p {
                        v.analysis = Some(a.clone());
                    }
                }
                self.shop_analysis = Some(a);
            }
            Err(text) => {
                self.popups.retain(|p| !matches!(p, Popup::ShopAnalysis(_)));
                self.message = Some(Message { text, error: true });
            }
        }
        true
    }

    /// Wait for the analysis read in the background (tests and benches; the
    /// app takes it in on its ticks).
    pub fn wait_shop_analysis(&mut self) {
        while self.analysis_job.is_some() {
            if !self.poll_shop_analysis() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}
