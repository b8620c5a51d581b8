//! The complaints tab: the keyset-paged list, newest first, with the SLA
//! mark; Enter opens one with its history. With none yet, the tab says so
//! and points at the command that records one.

use super::strings::{self, S, t};
use super::{Col, Theme, fit, fit_columns, popup_block, short_time};
use crate::app::{App, ComplaintState};
use crate::domain::Fen;
use crate::domain::text::{lines as text_lines, one_line};
use crate::domain::time;
use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const COLS: [Col; 9] = [
    Col {
        title: S::ColFlags,
        width: 4,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColId,
        width: 5,
        right: true,
        drop: 0,
    },
    Col {
        title: S::ColAge,
        width: 5,
        right: true,
        drop: 4,
    },
    Col {
        title: S::ColBuyer,
        width: 14,
        right: false,
        drop: 0,
    },
    // Order numbers are 18-19 digits: whole, or not at all.
    Col {
        title: S::ColOrderNo,
        width: 19,
        right: false,
        drop: 2,
    },
    Col {
        title: S::ColCategory,
        width: 8,
        right: false,
        drop: 5,
    },
    Col {
        title: S::ColSeverity,
        width: 6,
        right: false,
        drop: 6,
    },
    Col {
        title: S::ColStatus,
        width: 8,
        right: false,
        drop: 1,
    },
    Col {
        title: S::Summary,
        width: 10,
        right: false,
        drop: 3,
    },
];

/// How long ago, compactly: minutes, hours or days.
pub fn age(lang: Lang, created_at: &str) -> String {
    let Some(created) = time::parse_stored(created_at) else {
        return "-".into();
    };
    let mins = (time::beijing_now() - created).num_minutes().max(0);
    if mins < 60 {
        format!("{mins}{}", lang.t("分", "m"))
    } else if mins < 48 * 60 {
        format!("{}{}", mins / 60, lang.t("时", "h"))
    } else {
        format!("{}{}", mins / (24 * 60), lang.t("天", "d"))
    }
}

pub fn draw(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let list = &app.complaints;
    if list.rows.is_empty() {
        if app.complaints_open_only {
            let s = super::none_under(l, &[t(l, S::FilterOpen).to_string()], S::EmptyComplaints);
            f.render_widget(Paragraph::new(format!("\n  {s}")).style(theme.dim), area);
        } else {
            super::empty_state(
                theme,
                f,
                area,
                t(l, S::EmptyComplaints),
                t(l, S::EmptyComplaintsHint),
            );
        }
        return;
    }
    let mut widths = fit_columns(&COLS, 8, area.width);
    // A wide screen gives some of the summary's room to whole buyer names.
    if let (Some(Some(buyer)), Some(Some(summary))) =
        (widths.get(3).copied(), widths.get(8).copied())
    {
        let spare = summary.saturating_sub(30).min(12);
        widths[3] = Some(buyer + spare);
        widths[8] = Some(summary - spare);
    }
    super::draw_window(f, area, theme, l, &COLS, &widths, list, |c| {
        let style = if c.overdue {
            theme.danger
        } else {
            Style::default()
        };
        (
            vec![
                if c.overdue { "⚠" } else { "" }.to_string(),
                c.id.to_string(),
                age(l, &c.created_at),
                one_line(&c.customer).into_owned(),
                c.order_no
                    .as_deref()
                    .map(|o| one_line(o).into_owned())
                    .unwrap_or_else(|| "-".into()),
                strings::complaint_category(l, &c.category),
                strings::complaint_severity(l, &c.severity),
                strings::complaint_status(l, &c.status),
                one_line(&c.summary).into_owned(),
            ],
            style,
        )
    });
}

/// The complaint popup: what, who, where it stands, and its history.
pub fn draw_detail(app: &App, c: &ComplaintState, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let k = &c.detail.complaint;
    let title = format!("{} · #{}", t(lang, S::ComplaintTitle), k.id);
    let inner = popup_block(f, area, theme, &title);
    let w = usize::from(inner.width);
    let label = |s: S| Span::styled(format!("{}: ", t(lang, s)), theme.heading);
    let mut lines: Vec<Line> = vec![Line::from(vec![
        label(S::ColBuyer),
        Span::raw(fit(
            &format!(
                "{}  {} {}",
                one_line(&k.customer),
                t(lang, S::ColOrderNo),
                k.order_no.as_deref().map(one_line).unwrap_or("-".into())
            ),
            w.saturating_sub(8),
        )),
    ])];
    let mut status = vec![
        label(S::ColStatus),
        Span::raw(fit(
            &format!(
                "{}  {} {}",
                strings::complaint_status(lang, &k.status),
                t(lang, S::ColWhen),
                short_time(&k.created_at),
            ),
            w.saturating_sub(10),
        )),
    ];
    if k.overdue {
        status.insert(
            0,
            Span::styled(format!("⚠ {} ", t(lang, S::Overdue)), theme.danger),
        );
    }
    lines.push(Line::from(status));
    lines.push(Line::from(vec![
        label(S::ColCategory),
        Span::raw(fit(
            &format!(
                "{}  {} {}  {} {}",
                strings::complaint_category(lang, &k.category),
                t(lang, S::ColSeverity),
                strings::complaint_severity(lang, &k.severity),
                t(lang, S::Channel),
                strings::complaint_channel(lang, &k.channel),
            ),
            w.saturating_sub(10),
        )),
    ]));
    let mut block = |s: S, text: &str| {
        lines.push(Line::from(label(s)));
        if text.trim().is_empty() {
            lines.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
        }
        for l in text_lines(text) {
            lines.push(Line::raw(fit(&format!("  {l}"), w)));
        }
    };
    block(S::Summary, &k.summary);
    block(S::Resolution, &k.resolution);
    let mut comp = Vec::new();
    if k.compensation_points != 0 {
        comp.push(format!(
            "{} {}",
            k.compensation_points,
            t(lang, S::PointsLabel)
        ));
    }
    if k.compensation_fen != 0 {
        comp.push(Fen(k.compensation_fen).to_string());
    }
    if !k.coupon.trim().is_empty() {
        comp.push(one_line(&k.coupon).into_owned());
    }
    let comp = if comp.is_empty() {
        t(lang, S::None).to_string()
    } else {
        comp.join("  ")
    };
    lines.push(Line::from(vec![
        label(S::Compensation),
        Span::raw(fit(&comp, w.saturating_sub(8))),
    ]));
    lines.push(Line::from(vec![
        label(S::Satisfaction),
        Span::raw(
            k.satisfaction
                .map(|s| format!("{s}/5"))
                .unwrap_or_else(|| "-".into()),
        ),
    ]));
    lines.push(Line::styled(
        format!("{} ({})", t(lang, S::History), c.detail.history.len()),
        theme.heading,
    ));
    for e in &c.detail.history {
        let moved = match &e.from_status {
            Some(from) if *from != e.to_status => format!(
                "{} → {}",
                strings::complaint_status(lang, from),
                strings::complaint_status(lang, &e.to_status)
            ),
            _ => strings::complaint_status(lang, &e.to_status),
        };
        let s = format!(
            "  {}  {}  {}  {}",
            short_time(&e.at),
            strings::complaint_event(lang, &e.kind),
            moved,
            one_line(&e.note)
        );
        lines.push(Line::raw(fit(s.trim_end(), w)));
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    f.render_widget(Paragraph::new(lines).scroll((c.scroll.min(max), 0)), inner);
}
