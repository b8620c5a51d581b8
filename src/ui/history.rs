//! A customer's history: each blacklist change (when, listed or taken off,
//! why, through what), then every note, deleted ones too, with the texts it
//! had before each change.

use super::strings::{S, t};
use super::{Theme, fit, popup_block, short_time};
use crate::app::{App, HistoryView};
use crate::domain::text::{lines as text_lines, one_line};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, v: &HistoryView, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let title = format!("{} · {}", t(lang, S::HistoryTitle), one_line(&v.subject));
    let inner = popup_block(f, area, theme, &title);
    let w = usize::from(inner.width);
    let when = |at: Option<&str>| match at {
        Some(at) => short_time(at).to_string(),
        None => t(lang, S::TimeUnknown).to_string(),
    };
    let via = |actor: &str| {
        if actor.is_empty() {
            String::new()
        } else {
            format!("  ({})", one_line(actor))
        }
    };

    let mut lines = vec![Line::styled(
        format!("{} ({})", t(lang, S::BlacklistHistory), v.blacklist.len()),
        theme.heading,
    )];
    if v.blacklist.is_empty() {
        lines.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
    }
    for e in &v.blacklist {
        let what = if e.listed { S::Listed } else { S::Unlisted };
        let reason = if e.reason.is_empty() {
            String::new()
        } else {
            format!("  {}: {}", t(lang, S::Reason), one_line(&e.reason))
        };
        let s = format!(
            "  {}  {}{reason}{}",
            when(e.at.as_deref()),
            t(lang, what),
            via(&e.actor)
        );
        let style = if e.listed {
            theme.error
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(fit(&s, w), style));
    }

    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{} ({})", t(lang, S::NoteHistory), v.notes.len()),
        theme.heading,
    ));
    if v.notes.is_empty() {
        lines.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
    }
    for n in &v.notes {
        let mut head = vec![Span::raw(format!(
            "  #{}  {}",
            n.id,
            short_time(&n.created_at)
        ))];
        if let Some(at) = &n.deleted_at {
            head.push(Span::styled(
                format!("  [{} {}]", t(lang, S::NoteDeleted), short_time(at)),
                theme.error,
            ));
        }
        lines.push(Line::from(head));
        let style = if n.deleted_at.is_some() {
            theme.dim
        } else {
            ratatui::style::Style::default()
        };
        for l in text_lines(&n.body) {
            lines.push(Line::styled(fit(&format!("    {l}"), w), style));
        }
        // Each edit: the text it replaced, and when.
        for c in n.changes.iter().filter(|c| c.kind == "edit") {
            let s = format!(
                "    ↳ {} {} {}: {}{}",
                short_time(&c.at),
                t(lang, S::NoteEdited),
                t(lang, S::NoteBefore),
                one_line(&c.body),
                via(&c.actor)
            );
            lines.push(Line::styled(fit(&s, w), theme.dim));
        }
    }
    // Merges (only for a customer who took part in one): U on the card
    // undoes the latest in force.
    if !v.merges.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "{} ({})",
                crate::i18n::merge::history_title(lang),
                v.merges.len()
            ),
            theme.heading,
        ));
        for m in &v.merges {
            let s = crate::i18n::merge::history_line(
                lang,
                m.merge_id,
                short_time(&m.at),
                &one_line(&m.merged),
                &one_line(&m.survivor),
                m.undone_at.as_deref().map(short_time),
            );
            let style = if m.undone_at.is_some() {
                theme.dim
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::styled(fit(&format!("  {s}"), w), style));
        }
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    f.render_widget(Paragraph::new(lines).scroll((v.scroll.min(max), 0)), inner);
}
