//! A yes/no question over whatever it is about: the question, then which key
//! answers what.

use super::strings::{S, t};
use super::{Theme, centered, popup_block, wrap};
use crate::app::{App, ConfirmState};
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, c: &ConfirmState, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let width = 60.min(area.width);
    let room = usize::from(width.saturating_sub(2)).max(1);
    let mut lines: Vec<Line> = wrap(&one_line(&c.question), room)
        .into_iter()
        .map(|l| Line::styled(l, theme.heading))
        .collect();
    lines.push(Line::raw(""));
    let hint = if c.esc_confirms() {
        S::ConfirmDiscardHint
    } else {
        S::ConfirmHint
    };
    lines.extend(
        wrap(t(lang, hint), room)
            .into_iter()
            .map(|l| Line::styled(l, theme.dim)),
    );
    let area = centered(area, width, lines.len() as u16 + 2);
    let inner = popup_block(f, area, theme, t(lang, S::ConfirmTitle));
    f.render_widget(Paragraph::new(lines), inner);
}
