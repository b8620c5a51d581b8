//! The points tab. The points ledger arrives with migration 002 (on another
//! branch); until then this tab says so plainly and points at the command
//! that manages points. Its list goes here.

use super::Theme;
use super::strings::{S, t};
use crate::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let text = vec![
        Line::raw(""),
        Line::from(Span::styled(
            format!("  {}", t(l, S::EmptyPoints)),
            theme.heading,
        )),
        Line::raw(""),
        Line::from(Span::styled(
            format!("  {}", t(l, S::EmptyPointsHint)),
            theme.dim,
        )),
    ];
    f.render_widget(Paragraph::new(text), area);
}
