//! The help overlay, generated from the keymap: the keys of the screen it
//! was opened on (the open popup's or the active tab's) first, then the
//! shared ones, then the help's own.

use super::strings::t;
use super::{Theme, fit, popup_block};
use crate::app::App;
use crate::app::keymap::{Ctx, column_height, help_columns, help_sections, keys_label};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, scroll: u16, screen: &[Ctx], theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let title = match screen.first() {
        Some(ctx) => format!(
            "{} · {}",
            t(lang, crate::ui::strings::S::HelpTitle),
            t(lang, ctx.title())
        ),
        None => t(lang, crate::ui::strings::S::HelpTitle).to_string(),
    };
    let inner = popup_block(f, area, theme, &title);
    let width = usize::from(inner.width);
    let sections = help_sections(screen);
    let columns = help_columns(&sections, width);
    let col_w = width / columns.len().max(1);
    let tallest = columns
        .iter()
        .map(|c| column_height(&sections, c))
        .max()
        .unwrap_or(0);
    // The app clamps too; this keeps a resize from showing an empty box.
    let scroll = scroll
        .min(u16::try_from(tallest.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX));
    for (c, col) in columns.iter().enumerate() {
        let mut lines: Vec<Line> = Vec::new();
        for (n, i) in col.iter().enumerate() {
            if n > 0 {
                lines.push(Line::raw(""));
            }
            let (ctx, rows) = &sections[*i];
            lines.push(Line::styled(
                fit(t(lang, ctx.title()), col_w),
                theme.heading,
            ));
            for (b, keys) in rows {
                let keys = keys_label(keys);
                let pad = 14usize.saturating_sub(keys.width());
                let head = format!("  {keys}{}", " ".repeat(pad));
                let label = t(lang, b.label);
                if head.width() + label.width() > col_w {
                    lines.push(Line::raw(fit(&format!("{head}{label}"), col_w)));
                } else {
                    lines.push(Line::from(vec![
                        Span::styled(head, theme.key),
                        Span::raw(label),
                    ]));
                }
            }
        }
        let r = Rect {
            x: inner.x + (c * col_w) as u16,
            width: col_w as u16,
            ..inner
        };
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), r);
    }
}
