//! The quick-lookup popup: the query box and the hits, updated per keystroke
//! by the app (this file only draws them).

use super::strings::{self, S, t};
use super::{Theme, centered, fit, popup_block, short_time};
use crate::app::{App, LookupState};
use crate::domain::lookup::MatchField;
use crate::domain::text::one_line;
use crate::domain::{Fen, Platform};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, l: &LookupState, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let area = centered(area, 100, 26);
    let inner = popup_block(f, area, theme, t(lang, S::LookupTitle));
    let width = usize::from(inner.width);
    let prompt = format!("{} › ", t(lang, S::LookupPrompt));
    let query = one_line(&l.query);
    // Show the end of a long query: that is where the seller types.
    let room = width.saturating_sub(prompt.width() + 1);
    let shown: String = if query.width() > room {
        let mut acc = String::new();
        for c in query.chars().rev() {
            if acc.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > room {
                break;
            }
            acc.insert(0, c);
        }
        acc
    } else {
        query.to_string()
    };
    // "20 / 共 30 位" at the end of the prompt line, when there are results.
    let count = if l.hits.is_empty() {
        String::new()
    } else {
        strings::shown_of(lang, l.hits.len(), &l.total_label())
    };
    let gap = width.saturating_sub(prompt.width() + shown.width() + count.width());
    let mut first = vec![
        Span::styled(prompt.clone(), theme.key),
        Span::raw(shown.clone()),
    ];
    if !count.is_empty() && gap >= 2 {
        first.push(Span::raw(" ".repeat(gap)));
        first.push(Span::styled(count, theme.dim));
    }
    let mut lines = vec![Line::from(first)];
    if inner.height > 0 {
        let x = inner.x + (prompt.width() + shown.width()).min(width.saturating_sub(1)) as u16;
        f.set_cursor_position(Position::new(x, inner.y));
    }
    if let Some(e) = &l.error {
        lines.push(Line::styled(fit(&one_line(e), width), theme.error));
    } else if l.query.trim().is_empty() {
        lines.push(Line::styled(fit(t(lang, S::LookupHint), width), theme.dim));
    } else if l.hits.is_empty() {
        lines.push(Line::styled(fit(t(lang, S::LookupNone), width), theme.dim));
    }
    // Two lines per hit; keep the selected one in view.
    let per_page = usize::from(inner.height.saturating_sub(1) / 2).max(1);
    let first = l.selected.saturating_sub(per_page - 1);
    for (i, h) in l.hits.iter().enumerate().skip(first).take(per_page) {
        let sel = i == l.selected;
        let base = if sel {
            theme.selected
        } else {
            Style::default()
        };
        let mut top = vec![Span::styled(if sel { "▶ " } else { "  " }, base)];
        if h.blacklisted {
            top.push(Span::styled(
                format!("{} ", t(lang, S::Blacklisted)),
                theme.danger,
            ));
        }
        // Who, with what matched marked: the text itself when it is on the
        // line (nickname, name, phone), else its label and value at the end.
        let field = h.matched.field;
        let value = one_line(&h.matched.value).into_owned();
        let mark = |shown: bool| if shown { base.patch(theme.key) } else { base };
        let on_line = match field {
            MatchField::Nick => value == h.buyer,
            MatchField::Name => value == h.name,
            MatchField::Phone => value == h.phone,
            _ => false,
        };
        let parts = [
            (
                one_line(&h.buyer).into_owned(),
                mark(on_line && field == MatchField::Nick),
            ),
            ("  ".to_string(), base),
            (
                one_line(&h.name).into_owned(),
                mark(on_line && field == MatchField::Name),
            ),
            ("  ".to_string(), base),
            (
                one_line(&h.phone).into_owned(),
                mark(on_line && field == MatchField::Phone),
            ),
            (
                format!("  [{}]", Platform::label_of(&h.platform, lang)),
                base,
            ),
            (
                if on_line {
                    format!("  ← {}", field.label(lang))
                } else {
                    format!("  ← {} {value}", field.label(lang))
                },
                theme.key,
            ),
        ];
        let mut used: usize = top.iter().map(|s| s.content.width()).sum();
        for (text, style) in parts {
            let room = width.saturating_sub(used);
            if room == 0 {
                break;
            }
            let text = fit(&text, room);
            used += text.width();
            top.push(Span::styled(text, style));
        }
        lines.push(Line::from(top));
        let status = h
            .last_order_status
            .as_deref()
            .map(|s| strings::status(lang, s))
            .unwrap_or("-");
        let detail = format!(
            "    {} {}  {}  {} {} {}  {} {}",
            h.orders,
            t(lang, S::Orders),
            Fen(h.paid_fen),
            t(lang, S::Last),
            h.last_order_at.as_deref().map(short_time).unwrap_or("-"),
            status,
            t(lang, S::PointsLabel),
            h.points
        );
        let mut spans = Vec::new();
        if h.open_complaints > 0 {
            // Loud, and first: the seller should know before replying.
            spans.push(Span::raw("    "));
            spans.push(Span::styled(
                format!("⚠ {} {}", t(lang, S::HeaderOpen), h.open_complaints),
                theme.danger,
            ));
        }
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        spans.push(Span::styled(
            fit(&detail, width.saturating_sub(used)),
            theme.dim,
        ));
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
