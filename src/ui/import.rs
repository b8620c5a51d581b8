//! The import popup: the path box with what completion found, then the
//! running import's gauge, then its summary with every rejected row.

use super::strings::{S, t};
use super::{Theme, centered, fit, popup_block, wrap};
use crate::app::{App, ImportJob, ImportView};
use crate::domain::text::one_line;
use crate::model::FileSummary;
use crate::model::ReportKind;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};
use unicode_width::UnicodeWidthStr;

pub fn draw(app: &App, view: &ImportView, theme: &Theme, f: &mut Frame, area: Rect) {
    match view {
        ImportView::Path { text, candidates } => draw_path(app, text, candidates, theme, f, area),
        ImportView::Status { scroll } => match &app.import_job {
            Some(job) => draw_status(app, job, *scroll, theme, f, area),
            None => {
                popup_block(f, centered(area, 72, 3), theme, t(app.lang, S::ImportTitle));
            }
        },
    }
}

fn draw_path(
    app: &App,
    text: &str,
    candidates: &[String],
    theme: &Theme,
    f: &mut Frame,
    area: Rect,
) {
    let lang = app.lang;
    let height = (candidates.len() as u16 + 4).clamp(5, 20);
    let area = centered(area, 90, height);
    let inner = popup_block(f, area, theme, t(lang, S::ImportTitle));
    let width = usize::from(inner.width);
    let prompt = format!("{} › ", t(lang, S::ImportPrompt));
    let text = one_line(text);
    let room = width.saturating_sub(prompt.width() + 1);
    let mut shown = String::new();
    for c in text.chars().rev() {
        if shown.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > room {
            break;
        }
        shown.insert(0, c);
    }
    if inner.height > 0 {
        let x = (prompt.width() + shown.width()).min(width.saturating_sub(1)) as u16;
        f.set_cursor_position(Position::new(inner.x + x, inner.y));
    }
    let mut lines = vec![
        Line::from(vec![Span::styled(prompt, theme.key), Span::raw(shown)]),
        Line::styled(fit(t(lang, S::ImportHint), width), theme.dim),
    ];
    let rows = usize::from(inner.height.saturating_sub(2));
    for (i, c) in candidates.iter().enumerate() {
        if i + 1 == rows && candidates.len() > rows {
            lines.push(Line::styled(
                format!("  … +{}", candidates.len() - i),
                theme.dim,
            ));
            break;
        }
        let style = if c.ends_with('/') {
            theme.key
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(
            fit(&format!("  {}", one_line(c)), width),
            style,
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_status(app: &App, job: &ImportJob, scroll: u16, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let inner = popup_block(f, area, theme, t(lang, S::ImportTitle));
    let width = usize::from(inner.width);
    if job.running() {
        let file = job.progress.as_ref().map_or(String::new(), |p| {
            format!(
                "{} ({}/{})",
                one_line(&short(&p.file)),
                p.index + 1,
                p.count
            )
        });
        let head = Line::from(vec![
            Span::styled(format!("{} ", t(lang, S::ImportRunning)), theme.heading),
            Span::raw(fit(&file, width.saturating_sub(10))),
        ]);
        f.render_widget(Paragraph::new(head), Rect { height: 1, ..inner });
        if inner.height > 2 {
            let ratio = job.ratio().clamp(0.0, 1.0);
            let gauge = Gauge::default()
                .gauge_style(theme.key)
                .ratio(ratio)
                .label(format!("{:.0}%", ratio * 100.0));
            f.render_widget(
                gauge,
                Rect {
                    y: inner.y + 2,
                    height: 1,
                    ..inner
                },
            );
        }
        if inner.height > 4 {
            f.render_widget(
                Paragraph::new(Line::styled(
                    fit(t(lang, S::ImportBackground), width),
                    theme.dim,
                )),
                Rect {
                    y: inner.y + 4,
                    height: 1,
                    ..inner
                },
            );
        }
        return;
    }
    let mut lines = Vec::new();
    match &job.result {
        Some(Err(e)) => {
            lines.push(Line::styled(t(lang, S::ImportFailed), theme.error));
            lines.push(Line::raw(fit(&one_line(e), width)));
        }
        Some(Ok(run)) => {
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", t(lang, S::ImportDone)), theme.heading),
                Span::raw(fit(&one_line(&job.source), width.saturating_sub(12))),
            ]));
            if !job.undone.is_empty() {
                let text = if job.batches_left().is_empty() {
                    crate::i18n::undo::import_undone(lang).to_string()
                } else {
                    let ids = crate::i18n::undo::batch_ids(&job.undone);
                    crate::i18n::undo::undone_mark(lang, &ids)
                };
                lines.push(Line::styled(fit(&text, width), theme.error));
            }
            for s in &run.summaries {
                lines.push(Line::raw(""));
                lines.extend(file_lines(app, s, theme, width));
            }
            if !run.refused.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(t(lang, S::ImportRefusedFiles), theme.error));
                for r in &run.refused {
                    lines.push(Line::raw(fit(
                        &format!("  {}", one_line(&short(&r.file))),
                        width,
                    )));
                    for part in r.reason.lines() {
                        for l in wrap(&one_line(part), width.saturating_sub(4)) {
                            lines.push(Line::styled(format!("    {l}"), theme.dim));
                        }
                    }
                }
            }
            lines.push(Line::raw(""));
            let rejected: Vec<(&str, &crate::model::RejectedRow)> = run
                .summaries
                .iter()
                .flat_map(|s| s.rejected.iter().map(move |r| (s.file.as_str(), r)))
                .collect();
            if rejected.is_empty() {
                lines.push(Line::styled(t(lang, S::ImportNoRejects), theme.dim));
            } else {
                lines.push(Line::styled(t(lang, S::ImportRejectedRows), theme.heading));
                for (file, r) in rejected {
                    lines.push(Line::raw(fit(
                        &format!("  {}:{} ", one_line(&short(file)), r.line),
                        width,
                    )));
                    for l in wrap(
                        &crate::domain::text::mask_phones_in(&one_line(&r.reason.text(lang))),
                        width.saturating_sub(4),
                    ) {
                        lines.push(Line::styled(format!("    {l}"), theme.dim));
                    }
                }
            }
        }
        None => {}
    }
    let max = u16::try_from(lines.len().saturating_sub(usize::from(inner.height))).unwrap_or(0);
    f.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}

fn file_lines(app: &App, s: &FileSummary, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let kind = match s.kind {
        Some(ReportKind::Items) => t(lang, S::ItemReport),
        _ => t(lang, S::OrderReport),
    };
    let mut head = format!(
        "{kind} · {} · {} · {}",
        one_line(&short(&s.file)),
        s.platform.map_or("?", |p| p.label(lang)),
        s.encoding
    );
    if let Some(b) = s.batch {
        head.push_str(" · ");
        head.push_str(&crate::i18n::undo::batch_tag(lang, b));
    }
    let style = if s.rejected.is_empty() {
        ratatui::style::Style::default()
    } else {
        theme.error
    };
    let mut lines = vec![Line::styled(fit(&head, width), theme.key)];
    // The counts wrap between parts, so the reject count is never cut off.
    let mut line = String::new();
    for part in s.parts(lang) {
        let sep = if line.is_empty() { "  " } else { " · " };
        if !line.is_empty() && line.width() + sep.width() + part.width() > width {
            lines.push(Line::styled(std::mem::take(&mut line), style));
            line.push_str("  ");
        } else {
            line.push_str(sep);
        }
        line.push_str(&part);
    }
    lines.push(Line::styled(fit(&line, width), style));
    lines
}

/// A file's name without its folder (the folder is in the summary's head).
fn short(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}
