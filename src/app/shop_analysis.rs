//! The shop analysis view (数据分析): sales by month, new against returning
//! buyers, segments by count and by money, and the top items, read in one
//! go from the store's analysis (`kehu analyse` reads the same); opened with
//! `a` from the tabs (`A` also on the complaints tab, whose `a` is the
//! complaint analysis).

use super::{App, Popup};
use crate::model::{Analysis, MonthRange};
use anyhow::Result;

#[derive(Debug, Clone)]
pub struct ShopAnalysisView {
    /// Over every month, as of now.
    pub analysis: Analysis,
}

impl ShopAnalysisView {
    /// The analysis as last read since the views were last re-read, else
    /// read now (about a second at a million orders).
    pub(super) fn read(app: &mut App) -> Result<ShopAnalysisView> {
        let analysis = match &app.shop_analysis {
            Some(a) => a.clone(),
            None => {
                let a = app.store.analyse(
                    &MonthRange::default(),
                    &app.customer_query.segment_rules,
                    &app.tiers,
                )?;
                app.shop_analysis = Some(a.clone());
                a
            }
        };
        Ok(ShopAnalysisView { analysis })
    }
}

impl App {
    /// `a` on a tab: the shop analysis (once).
    pub(super) fn open_shop_analysis(&mut self) -> Result<()> {
        if matches!(self.popups.last(), Some(Popup::ShopAnalysis(_))) {
            return Ok(());
        }
        let v = ShopAnalysisView::read(self)?;
        self.popups.push(Popup::ShopAnalysis(v));
        Ok(())
    }
}
