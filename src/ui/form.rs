//! A form popup: one line per field, label then value; the focused field is
//! marked and holds the cursor; the reason a save was refused sits under it.

use super::strings::{S, t};
use super::{Theme, centered, fit, popup_block};
use crate::app::{App, FieldKind, FormPurpose, FormState};
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, form: &FormState, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let title = match form.purpose {
        FormPurpose::NewComplaint { .. } => S::FormNewComplaint,
        FormPurpose::MoveComplaint { .. } => S::FormMoveComplaint,
        FormPurpose::Redeem { .. } => S::FormRedeem,
        FormPurpose::Adjust { .. } => S::FormAdjust,
        FormPurpose::FinishFollowup { .. } => S::FormFinishFollowup,
        FormPurpose::AddFollowup { .. } => S::FormAddFollowup,
        FormPurpose::AddFeedback { .. } => S::FormAddFeedback,
        FormPurpose::Erase { .. } => S::FormErase,
    };
    let title = format!("{} · {}", t(lang, title), one_line(&form.subject));
    let height = form.fields.len() as u16 + 4;
    let area = centered(area, 72, height);
    let inner = popup_block(f, area, theme, &title);
    let width = usize::from(inner.width);
    let label_w = form
        .fields
        .iter()
        .map(|fl| t(lang, fl.label).width())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = t(lang, field.label);
        let mark = if focused { "▶ " } else { "  " };
        let head = format!(
            "{mark}{label}{}",
            " ".repeat(label_w.saturating_sub(label.width()))
        );
        let room = width.saturating_sub(head.width() + 1);
        let value = one_line(field.shown());
        let (shown, style) = match &field.kind {
            FieldKind::Choice { .. } => (
                fit(&format!("‹ {value} ›"), room),
                if focused {
                    theme.selected
                } else {
                    ratatui::style::Style::default()
                },
            ),
            _ if value.is_empty() && field.required && !focused => (
                fit(&format!("({})", t(lang, S::FormRequired)), room),
                theme.dim,
            ),
            _ => {
                // The end of a long value: that is where the seller types.
                let mut acc = String::new();
                for c in value.chars().rev() {
                    if acc.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > room {
                        break;
                    }
                    acc.insert(0, c);
                }
                (acc, ratatui::style::Style::default())
            }
        };
        if focused && field.takes_text() {
            cursor = Some((head.width() + shown.width(), i));
        }
        let head_style = if focused { theme.key } else { theme.heading };
        lines.push(Line::from(vec![
            Span::styled(head, head_style),
            Span::styled(shown, style),
        ]));
    }
    lines.push(Line::raw(""));
    match &form.error {
        Some(e) => lines.push(Line::styled(fit(&one_line(e), width), theme.error)),
        None => {
            let choice = form
                .fields
                .get(form.focus)
                .is_some_and(|fl| !fl.takes_text());
            if choice {
                lines.push(Line::styled(
                    fit(t(lang, S::FormChoiceHint), width),
                    theme.dim,
                ));
            }
        }
    }
    if let Some((x, row)) = cursor
        && (row as u16) < inner.height
    {
        let x = (x as u16).min(inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(inner.x + x, inner.y + row as u16));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
