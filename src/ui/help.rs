//! The help overlay, generated from the keymap: every binding, by context.

use super::strings::t;
use super::{Theme, fit, popup_block};
use crate::app::App;
use crate::app::keymap::{Ctx, KEYMAP};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

const ORDER: [Ctx; 15] = [
    Ctx::Global,
    Ctx::Tabs,
    Ctx::Nav,
    Ctx::Customers,
    Ctx::Orders,
    Ctx::Complaints,
    Ctx::Points,
    Ctx::Card,
    Ctx::OrderCard,
    Ctx::ComplaintCard,
    Ctx::Lookup,
    Ctx::Input,
    Ctx::Form,
    Ctx::ImportPath,
    Ctx::Help,
];

pub fn draw(app: &App, scroll: u16, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let inner = popup_block(f, area, theme, t(lang, crate::ui::strings::S::HelpTitle));
    let width = usize::from(inner.width);
    // Two columns of contexts when the screen is wide enough.
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    for ctx in ORDER {
        let mut lines = vec![Line::styled(t(lang, ctx.title()), theme.heading)];
        for b in KEYMAP.iter().filter(|b| b.ctx == ctx) {
            let keys = b.keys_label();
            let pad = 14usize.saturating_sub(keys.width());
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys}{}", " ".repeat(pad)), theme.key),
                Span::raw(t(lang, b.label)),
            ]));
        }
        lines.push(Line::raw(""));
        blocks.push(lines);
    }
    let cols = if width >= 90 { 2 } else { 1 };
    let col_w = width / cols;
    let mut columns: Vec<Vec<Line>> = vec![Vec::new(); cols];
    let total: usize = blocks.iter().map(Vec::len).sum();
    let mut c = 0;
    for blk in blocks {
        if cols > 1 && c == 0 && columns[0].len() + blk.len() / 2 > total / 2 {
            c = 1;
        }
        columns[c].extend(blk);
    }
    for (i, col) in columns.into_iter().enumerate() {
        let lines: Vec<Line> = col
            .into_iter()
            .map(|l| {
                let s: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                if s.width() > col_w {
                    Line::raw(fit(&s, col_w))
                } else {
                    l
                }
            })
            .collect();
        let r = Rect {
            x: inner.x + (i * col_w) as u16,
            width: col_w as u16,
            ..inner
        };
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), r);
    }
}
