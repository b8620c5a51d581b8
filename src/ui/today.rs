//! Today (今天): each section's title with its count, then one line an item
//! (the buyer, then why), or a line saying there is none; the selected item
//! is kept in sight.

use super::{Theme, fit, pad};
use crate::app::App;
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Cells the buyer takes before the why.
const BUYER_W: usize = 16;

pub fn draw(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let v = &app.today;
    let w = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    for (n, kind) in v.sections.iter().enumerate() {
        if n > 0 {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            fit(&format!(" {}", app.today_title(*kind)), w),
            theme.heading,
        ));
        let mut any = false;
        for (i, item) in v.of(*kind) {
            any = true;
            let buyer = pad(&fit(&one_line(&item.buyer), BUYER_W), BUYER_W);
            let why = fit(&one_line(&item.why), w.saturating_sub(BUYER_W + 5));
            let style = if i == v.selected {
                theme.selected
            } else {
                ratatui::style::Style::default()
            };
            let mark = if i == v.selected { "▶" } else { " " };
            let text = format!("  {mark} {buyer} {why}");
            let pad_to = w.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
            lines.push(Line::from(vec![
                Span::styled(text, style),
                Span::styled(" ".repeat(if i == v.selected { pad_to } else { 0 }), style),
            ]));
        }
        if !any {
            lines.push(Line::styled(
                format!("    {}", app.today_empty()),
                theme.dim,
            ));
        }
    }
    // Keep the selected item in sight.
    let h = usize::from(area.height).max(1);
    let sel = v.line_of(v.selected);
    let top = sel
        .saturating_sub(h.saturating_sub(2))
        .min(lines.len().saturating_sub(h));
    let top = if v.items.is_empty() { 0 } else { top };
    let shown: Vec<Line> = lines.into_iter().skip(top).take(h).collect();
    f.render_widget(Paragraph::new(shown), area);
}
