//! Moving through what has the focus: the selection of a list or a card, the
//! scroll of a view, and how far each view may scroll.

use super::list::ListOp;
use super::{
    App, CardSection, Ctx, ImportJob, ImportView, LedgerView, OrderState, Popup, SatisfactionView,
    keymap,
};
use crate::db::ComplaintStats;
use anyhow::Result;

impl App {
    /// ↑/↓ and the page keys: move in what has the focus.
    pub(super) fn move_by(&mut self, delta: isize) -> Result<()> {
        match self.popups.last_mut() {
            Some(Popup::Lookup(_)) => self.lookup_move(delta)?,
            Some(Popup::Card(c)) if c.section == CardSection::Orders => self.card_move(delta)?,
            Some(Popup::Card(c)) => c.move_by(delta),
            Some(Popup::Order(o)) => {
                o.scroll =
                    (i64::from(o.scroll) + delta as i64).clamp(0, order_scroll_max(o)) as u16;
            }
            Some(Popup::Help { scroll, screen }) => {
                let max = help_scroll_max(screen, self.size);
                *scroll = scrolled(*scroll, delta, max);
            }
            Some(Popup::Complaint(c)) => {
                let max = (c.detail.history.len() + 12) as i64;
                c.scroll = (i64::from(c.scroll) + delta as i64).clamp(0, max) as u16;
            }
            Some(Popup::Ledger(v)) => {
                v.scroll = scrolled(v.scroll, delta, ledger_scroll_max(v, self.size));
            }
            // ↑/↓ pick a repeat complainer; a page scrolls the view.
            Some(Popup::Analysis {
                stats,
                scroll,
                selected,
                satisfaction,
            }) => {
                let max = analysis_scroll_max(stats, satisfaction, self.size);
                if delta.abs() == 1 && !stats.repeat_complainers.is_empty() {
                    *selected = step(*selected, delta, stats.repeat_complainers.len());
                } else {
                    // A page moves the selection along: the drawing keeps the
                    // selection in sight, so the view could not move without it.
                    *scroll = scrolled(*scroll, delta, max);
                    *selected = step(*selected, delta, stats.repeat_complainers.len());
                }
            }
            Some(Popup::Import(ImportView::Status { scroll })) => {
                let size = self.size;
                let max = self
                    .import_job
                    .as_ref()
                    .map_or(0, |j| import_scroll_max(j, size));
                *scroll = scrolled(*scroll, delta, max);
            }
            Some(Popup::History(v)) => {
                v.scroll = (i64::from(v.scroll) + delta as i64).clamp(0, v.scroll_max()) as u16;
            }
            Some(Popup::Campaigns(v)) => {
                v.scroll = scrolled(v.scroll, delta, v.scroll_max(popup_rows(self.size)));
            }
            Some(
                Popup::Input(_)
                | Popup::Form(_)
                | Popup::Confirm(_)
                | Popup::ShopAnalysis(_)
                | Popup::Import(ImportView::Path { .. }),
            ) => {}
            None => self.list_op(self.tab, ListOp::Move(delta))?,
        }
        Ok(())
    }

    /// g/G: to the top or the bottom of what has the focus.
    pub(super) fn jump(&mut self, bottom: bool) -> Result<()> {
        match self.popups.last_mut() {
            Some(Popup::Card(c)) if c.section == CardSection::Orders && bottom => {
                self.card_bottom()?
            }
            Some(Popup::Card(c)) => c.move_by(if bottom { isize::MAX } else { isize::MIN }),
            Some(Popup::Order(o)) => {
                o.scroll = if bottom {
                    order_scroll_max(o) as u16
                } else {
                    0
                }
            }
            Some(Popup::Help { scroll, screen }) => {
                *scroll = if bottom {
                    help_scroll_max(screen, self.size)
                } else {
                    0
                }
            }
            Some(Popup::Ledger(v)) => {
                v.scroll = if bottom {
                    ledger_scroll_max(v, self.size)
                } else {
                    0
                }
            }
            Some(Popup::History(v)) => v.scroll = if bottom { v.scroll_max() as u16 } else { 0 },
            Some(Popup::Campaigns(v)) => {
                v.scroll = if bottom {
                    v.scroll_max(popup_rows(self.size))
                } else {
                    0
                }
            }
            // g/G: the first or last repeat complainer picked, at the top or
            // the end of the view.
            Some(Popup::Analysis {
                stats,
                scroll,
                selected,
                satisfaction,
            }) => {
                *scroll = if bottom {
                    analysis_scroll_max(stats, satisfaction, self.size)
                } else {
                    0
                };
                *selected = if bottom {
                    stats.repeat_complainers.len().saturating_sub(1)
                } else {
                    0
                };
            }
            Some(Popup::Import(ImportView::Status { scroll })) => {
                *scroll = if bottom {
                    let size = self.size;
                    self.import_job
                        .as_ref()
                        .map_or(0, |j| import_scroll_max(j, size))
                } else {
                    0
                }
            }
            Some(_) => {}
            None => {
                let op = if bottom { ListOp::Bottom } else { ListOp::Top };
                self.list_op(self.tab, op)?
            }
        }
        Ok(())
    }
}

/// How far the order card may scroll: roughly its line count (the drawing
/// clamps exactly; this only keeps `k` from having to unwind a long overshoot).
pub(super) fn order_scroll_max(o: &OrderState) -> i64 {
    let d = &o.detail;
    let text =
        d.message.lines().count() + d.remark.lines().count() + d.close_reason.lines().count();
    (d.lines.len() + text + 12) as i64
}

/// How far a customer's ledger scrolls: until its oldest entry is on the
/// last row (the balance line, a note on earlier entries, a blank line and
/// the column headings sit above the rows).
pub(super) fn ledger_scroll_max(v: &LedgerView, size: (u16, u16)) -> u16 {
    let top = 2 + usize::from(v.earlier) + 1;
    clamp_u16(
        v.entries
            .len()
            .saturating_sub(popup_rows(size).saturating_sub(top)),
    )
}

/// Rows inside a popup that takes the whole screen between header and
/// footer, less its border.
pub(super) fn popup_rows(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(4))
}

/// Lines of the analysis view: the totals, then per section a blank line,
/// its title and a line per row (or one saying there is none); then the
/// satisfaction's sections.
pub fn analysis_lines(s: &ComplaintStats, sat: &SatisfactionView) -> usize {
    sat.lines() + complaint_lines(s)
}

fn complaint_lines(s: &ComplaintStats) -> usize {
    1 + [
        s.by_category.len(),
        s.by_month.len(),
        s.repeat_complainers.len(),
    ]
    .iter()
    .map(|n| 2 + n.max(&1))
    .sum::<usize>()
}

/// How far the analysis view scrolls: until its last line is at the bottom.
pub(super) fn analysis_scroll_max(
    s: &ComplaintStats,
    sat: &SatisfactionView,
    size: (u16, u16),
) -> u16 {
    clamp_u16(analysis_lines(s, sat).saturating_sub(popup_rows(size)))
}

/// `cur` moved by `delta`, within `0..=max`.
pub(super) fn scrolled(cur: u16, delta: isize, max: u16) -> u16 {
    (i64::from(cur) + delta as i64).clamp(0, i64::from(max)) as u16
}

pub(super) fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// How far the import summary may scroll: about until its last line is at
/// the bottom (a few lines per file, two or three per rejected row; the
/// drawing clamps exactly).
pub(super) fn import_scroll_max(job: &ImportJob, size: (u16, u16)) -> u16 {
    let lines = match &job.result {
        Some(Ok(run)) => {
            let rejected: usize = run.summaries.iter().map(|s| s.rejected.len()).sum();
            // A rejected row takes its line and a wrapped reason; a refused
            // file its name and a wrapped reason.
            3 * rejected + 6 * (run.summaries.len() + run.refused.len()) + 4
        }
        _ => 0,
    };
    clamp_u16(lines.saturating_sub(popup_rows(size)))
}

/// How far the help scrolls: until its tallest column's last line is at the bottom.
pub(super) fn help_scroll_max(screen: &[Ctx], size: (u16, u16)) -> u16 {
    let width = usize::from(size.0.saturating_sub(2));
    clamp_u16(keymap::help_height(screen, width).saturating_sub(popup_rows(size)))
}

pub(super) fn step(cur: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as isize + delta).clamp(0, len as isize - 1) as usize
}
