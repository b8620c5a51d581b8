//! Complaint analysis: counts by category and by month as bars, the mean
//! time to resolve, open and overdue counts, and the buyers who complain
//! again and again.

use super::strings::{self, S, t};
use super::{Theme, fit, pad, popup_block};
use crate::app::{App, SatisfactionView};
use crate::domain::text::one_line;
use crate::model::{ComplaintStats, CountBy, ScoreGroup};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// `selected`: the repeat complainer picked (Enter opens their card); the
/// view scrolls so it stays in sight.
#[allow(clippy::too_many_arguments)] // the popup's three fields, then the drawing's
pub fn draw(
    app: &App,
    (s, sat): (&ComplaintStats, &SatisfactionView),
    scroll: u16,
    selected: usize,
    theme: &Theme,
    f: &mut Frame,
    area: Rect,
) {
    let lang = app.lang;
    let inner = popup_block(f, area, theme, t(lang, S::AnalysisTitle));
    let width = usize::from(inner.width);
    let mean = match s.mean_hours_to_resolve {
        Some(h) => format!("{h:.1} {}", t(lang, S::Hours)),
        // Nothing resolved yet: a dash, never 0.0.
        None => "—".to_string(),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", t(lang, S::TotalComplaints)), theme.heading),
        Span::raw(format!("{}   ", s.total)),
        Span::styled(format!("{} ", t(lang, S::OpenCount)), theme.heading),
        Span::raw(format!("{}   ", s.open)),
        Span::styled(
            format!("{} ", t(lang, S::OverdueCount)),
            if s.overdue > 0 {
                theme.error
            } else {
                theme.heading
            },
        ),
        Span::raw(format!("{}   ", s.overdue)),
        Span::styled(format!("{} ", t(lang, S::MeanResolve)), theme.heading),
        Span::raw(mean),
    ])];
    let section =
        |lines: &mut Vec<Line>, title: S, rows: &[CountBy], label: &dyn Fn(&str) -> String| {
            lines.push(Line::raw(""));
            lines.push(Line::styled(t(lang, title), theme.heading));
            if rows.is_empty() {
                lines.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
            }
            lines.extend(bars(rows, label, width, theme));
        };
    section(&mut lines, S::ByCategory, &s.by_category, &|k| {
        strings::complaint_category(lang, k)
    });
    section(&mut lines, S::ByMonth, &s.by_month, &|k| {
        one_line(k).into_owned()
    });
    let first = lines.len() + 2;
    section(
        &mut lines,
        S::RepeatComplainers,
        &s.repeat_complainers,
        &|k| one_line(k).into_owned(),
    );
    satisfaction(&mut lines, app, sat, width, theme);
    // The app stops G at the same line (crate::app::analysis_lines counts
    // them); this keeps a resize from showing an empty box.
    let max = u16::try_from(lines.len().saturating_sub(usize::from(inner.height))).unwrap_or(0);
    let mut scroll = scroll.min(max);
    if !s.repeat_complainers.is_empty() {
        let at = first + selected.min(s.repeat_complainers.len() - 1);
        if let Some(l) = lines.get_mut(at) {
            // Marked as well as styled: it shows without colour too.
            if let Some(first) = l.spans.first_mut() {
                let rest = first.content.strip_prefix("  ").unwrap_or(&first.content);
                first.content = format!("▶ {rest}").into();
            }
            *l = std::mem::take(l).style(theme.selected);
        }
        let at = at as u16;
        scroll = scroll
            .clamp((at + 1).saturating_sub(inner.height.max(1)), at)
            .min(max);
    }
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// How a group's key is shown.
type Label = dyn Fn(&str) -> String;

/// Satisfaction by category, then a bar per month: each the mean score
/// (bars out of 5), how many scores, and the share of low ones (≤ 2).
fn satisfaction(
    lines: &mut Vec<Line<'static>>,
    app: &App,
    sat: &SatisfactionView,
    width: usize,
    theme: &Theme,
) {
    let lang = app.lang;
    let category = move |k: &str| {
        if k == "none" {
            t(lang, S::NotAboutComplaint).to_string()
        } else {
            strings::complaint_category(lang, k)
        }
    };
    let month = |k: &str| one_line(k).into_owned();
    let sections: [(S, &[ScoreGroup], &Label); 2] = [
        (
            S::SatisfactionByCategory,
            &sat.by_category.groups,
            &category,
        ),
        (S::SatisfactionByMonth, &sat.by_month.groups, &month),
    ];
    for (title, groups, label) in sections {
        lines.push(Line::raw(""));
        lines.push(Line::styled(t(lang, title), theme.heading));
        if groups.is_empty() {
            lines.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
        }
        let label_w = 22.min(width / 3);
        let room = width.saturating_sub(label_w + 22);
        for g in groups {
            let mean = g.scores.mean.unwrap_or(0.0);
            let n = ((mean / 5.0) * room as f64).round() as usize;
            let low = g.scores.low_share.unwrap_or(0.0) * 100.0;
            let tail = format!(" {mean:.2} ({}) ≤2 {low:.0}%", g.scores.count);
            let style = if mean > 0.0 && mean < 3.0 {
                theme.error
            } else {
                theme.key
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {} ", pad(&label(&g.key), label_w))),
                Span::styled("█".repeat(n), style),
                Span::raw(fit(&tail, 22)),
            ]));
        }
    }
}

/// One line per row: label, a bar scaled to the largest count, the count.
fn bars(
    rows: &[CountBy],
    label: &dyn Fn(&str) -> String,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);
    let label_w = 22.min(width / 3);
    let room = width.saturating_sub(label_w + 10);
    rows.iter()
        .map(|r| {
            let n = ((r.count as f64 / max as f64) * room as f64).round() as usize;
            let n = if r.count > 0 { n.max(1) } else { 0 };
            Line::from(vec![
                Span::raw(format!("  {} ", pad(&label(&r.key), label_w))),
                Span::styled("█".repeat(n), theme.key),
                Span::raw(fit(&format!(" {}", r.count), 8)),
            ])
        })
        .collect()
}
