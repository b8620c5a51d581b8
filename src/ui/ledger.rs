//! One customer's points: balance, tier and 12-month spend on top, then
//! every entry newest first with the running balance after it.

use super::strings::{S, t};
use super::{Col, Theme, draw_table, fit, fit_columns, popup_block};
use crate::app::{App, LedgerView};
use crate::domain::Fen;
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const COLS: [Col; 6] = [
    Col {
        title: S::ColWhen,
        width: 16,
        right: false,
        drop: 2,
    },
    Col {
        title: S::ColDelta,
        width: 7,
        right: true,
        drop: 0,
    },
    Col {
        title: S::ColKind,
        width: 8,
        right: false,
        drop: 0,
    },
    // Order numbers are 18-19 digits: the note gives room first.
    Col {
        title: S::ColRef,
        width: 19,
        right: false,
        drop: 1,
    },
    Col {
        title: S::ColNote,
        width: 10,
        right: false,
        drop: 3,
    },
    Col {
        title: S::ColBalance,
        width: 7,
        right: true,
        drop: 0,
    },
];

pub fn draw(app: &App, v: &LedgerView, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let title = format!(
        "{} · {}",
        t(lang, S::LedgerTitle),
        one_line(&v.points.customer)
    );
    let inner = popup_block(f, area, theme, &title);
    let width = usize::from(inner.width);
    let p = &v.points;
    let head = Line::from(vec![
        Span::styled(format!("{} ", t(lang, S::PointsLabel)), theme.heading),
        Span::raw(format!("{}   ", p.balance)),
        Span::styled(format!("{} ", t(lang, S::TierLabel)), theme.heading),
        Span::raw(format!("{}   ", p.tier.label(lang))),
        Span::styled(format!("{} ", t(lang, S::Spend12m)), theme.heading),
        Span::raw(Fen(p.spend_12m_fen).to_string()),
    ]);
    let mut top = vec![head];
    if v.earlier {
        top.push(Line::styled(
            fit(t(lang, S::EarlierEntries), width),
            theme.dim,
        ));
    }
    let top_h = top.len() as u16 + 1;
    f.render_widget(
        Paragraph::new(top),
        Rect {
            height: top_h.min(inner.height),
            ..inner
        },
    );
    let body = Rect {
        y: inner.y + top_h.min(inner.height),
        height: inner.height.saturating_sub(top_h),
        ..inner
    };
    if v.entries.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(t(lang, S::EmptyPoints), theme.dim)),
            body,
        );
        return;
    }
    let widths = fit_columns(&COLS, 4, body.width);
    // The app clamps too; this keeps a resize from showing an empty table.
    let shown = usize::from(body.height.saturating_sub(1));
    let scroll = usize::from(v.scroll).min(v.entries.len().saturating_sub(shown));
    let rows = v
        .entries
        .iter()
        .rev()
        .skip(scroll)
        .take(usize::from(body.height.saturating_sub(1)))
        .map(|e| {
            (
                super::points::entry_cells(lang, e, false),
                super::points::entry_style(theme, e),
            )
        })
        .collect();
    draw_table(f, body, theme, lang, &COLS, &widths, rows, None);
}
