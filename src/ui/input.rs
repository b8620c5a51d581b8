//! The one-line text box: a note (new or edited), a tag, a blacklist
//! reason; a refused save shows its reason under the text.

use super::strings::{S, t};
use super::{Theme, centered, popup_block};
use crate::app::{App, InputPurpose, InputState};
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn draw(app: &App, i: &InputState, theme: &Theme, f: &mut Frame, area: Rect) {
    let title = match i.purpose {
        InputPurpose::Note(_) => S::InputNote,
        InputPurpose::Tag(_) => S::InputTag,
        InputPurpose::Untag(_) => S::InputUntag,
        InputPurpose::FindOrder => S::InputFindOrder,
        InputPurpose::BlacklistReason(_) => S::InputBlacklistReason,
        InputPurpose::EditNote(_) => S::InputEditNote,
        InputPurpose::SkipFollowup(_) => S::InputSkipFollowup,
    };
    let area = centered(area, 70, if i.error.is_some() { 4 } else { 3 });
    let inner = popup_block(f, area, theme, t(app.lang, title));
    let room = usize::from(inner.width).saturating_sub(1);
    let text = one_line(&i.text);
    let mut shown = String::new();
    for c in text.chars().rev() {
        if shown.width() + c.width().unwrap_or(0) > room {
            break;
        }
        shown.insert(0, c);
    }
    if inner.height > 0 {
        f.set_cursor_position(Position::new(inner.x + shown.width() as u16, inner.y));
    }
    let mut lines = vec![Line::raw(shown)];
    if let Some(e) = &i.error {
        lines.push(Line::styled(
            super::fit(&one_line(e), usize::from(inner.width)),
            theme.error,
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
