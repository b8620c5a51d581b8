//! The campaigns view (精准营销): every campaign with what it brought back
//! within `CAMPAIGN_DAYS` of going out, recipients against the control group
//! held back; opened with `c` from Today or the points tab, scrolled with
//! the list keys.

use super::{App, Popup};
use crate::model::CampaignReport;
use anyhow::Result;

/// The days after a campaign its report counts responses in.
pub const CAMPAIGN_DAYS: i64 = 14;
/// Lines one campaign takes in the view (a blank line between two).
pub const CAMPAIGN_LINES: usize = 5;

#[derive(Debug, Clone)]
pub struct CampaignsView {
    /// Newest first, as the store lists them.
    pub reports: Vec<CampaignReport>,
    pub scroll: u16,
}

impl CampaignsView {
    pub(super) fn read(app: &App) -> Result<CampaignsView> {
        let reports = app
            .store
            .campaigns()?
            .iter()
            .map(|c| app.store.campaign_report(c.id, CAMPAIGN_DAYS))
            .collect::<Result<Vec<_>>>()?;
        Ok(CampaignsView { reports, scroll: 0 })
    }

    /// How far it scrolls in a popup of `rows` rows.
    pub fn scroll_max(&self, rows: usize) -> u16 {
        let lines = (self.reports.len() * CAMPAIGN_LINES).max(1);
        super::nav::clamp_u16(lines.saturating_sub(rows))
    }
}

impl App {
    /// `c` on Today or the points tab: the campaigns.
    pub(super) fn open_campaigns(&mut self) -> Result<()> {
        let v = CampaignsView::read(self)?;
        self.popups.push(Popup::Campaigns(v));
        Ok(())
    }
}
