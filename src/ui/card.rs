//! The customer card: who the buyer is, where they ship, what they bought,
//! and what the seller noted (tags, notes, blacklist).

use super::strings::{self, S, t};
use super::{Theme, fit, pad, popup_block, right, short_time};
use crate::app::{App, CardState};
use crate::domain::text::{lines as text_lines, mask_phone, one_line};
use crate::domain::{Fen, Platform};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, c: &CardState, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let cu = &c.card.customer;
    let title = format!("{} · {}", t(lang, S::CardTitle), one_line(&cu.buyer));
    let inner = popup_block(f, area, theme, &title);
    let w = usize::from(inner.width);
    let phone = |p: &str| {
        if c.reveal {
            one_line(p).into_owned()
        } else {
            mask_phone(&one_line(p))
        }
    };

    // Who: buyer, platform, blacklist, tags.
    let mut head = vec![];
    if cu.blacklisted {
        head.push(Span::styled(
            format!(" {} ", t(lang, S::Blacklisted)),
            theme.danger,
        ));
        head.push(Span::raw(" "));
    }
    head.push(Span::styled(one_line(&cu.nick).into_owned(), theme.heading));
    if cu.buyer != cu.nick {
        // Pinduoduo buyers without a nickname are keyed by a derived key.
        head.push(Span::raw(format!("  ({})", one_line(&cu.buyer))));
    }
    head.push(Span::raw(format!(
        "  {} {}  #{}",
        t(lang, S::Platform),
        Platform::label_of(&cu.platform, lang),
        cu.id
    )));
    let tags = if c.card.tags.is_empty() {
        t(lang, S::None).to_string()
    } else {
        c.card
            .tags
            .iter()
            .map(|s| format!("[{}]", one_line(s)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let avg = crate::domain::money::average_fen(cu.paid_fen, cu.orders).unwrap_or(Fen::ZERO);
    let stats = format!(
        "{} {}  {} {}  {} {}  {} {}",
        t(lang, S::OrderCount),
        cu.orders,
        t(lang, S::TotalPaid),
        Fen(cu.paid_fen),
        t(lang, S::AvgOrder),
        avg,
        t(lang, S::Refunds),
        Fen(cu.refund_fen)
    );
    let times = format!(
        "{} {}  {} {}",
        t(lang, S::FirstOrder),
        cu.first_order_at.as_deref().map(short_time).unwrap_or("-"),
        t(lang, S::LastOrder),
        cu.last_order_at.as_deref().map(short_time).unwrap_or("-"),
    );
    let complaints = format!(
        "{} {}  {} {}",
        t(lang, S::ComplaintsEver),
        c.complaints,
        t(lang, S::OpenComplaints),
        c.open_complaints
    );
    let points = match &c.points {
        Some(p) => format!(
            "{} {}  {} {}  {complaints}",
            t(lang, S::PointsLabel),
            p.balance,
            t(lang, S::TierLabel),
            p.tier.label(lang),
        ),
        None => complaints,
    };
    let mut top: Vec<Line> = vec![
        Line::from(head),
        Line::raw(fit(&stats, w)),
        Line::raw(fit(&points, w)),
        Line::raw(fit(&times, w)),
        Line::from(vec![
            Span::styled(format!("{}: ", t(lang, S::Tags)), theme.heading),
            Span::raw(fit(&tags, w.saturating_sub(6))),
        ]),
    ];
    // Receivers: as many as the height allows (three at most, then a count).
    let max_recv = if inner.height >= 30 { 3 } else { 1 };
    top.push(Line::styled(
        format!("{} ({})", t(lang, S::Receivers), c.card.receivers.len()),
        theme.heading,
    ));
    for r in c.card.receivers.iter().take(max_recv) {
        let s = format!(
            "  {}  {}  {}",
            one_line(&r.name),
            phone(&r.phone),
            one_line(&r.address)
        );
        top.push(Line::raw(fit(&s, w)));
    }

    // Notes: newest first, as many as fit in their share.
    let note_rows = if inner.height >= 30 { 5 } else { 2 };
    let mut notes: Vec<Line> = vec![Line::styled(
        format!("{} ({})", t(lang, S::Notes), c.card.notes.len()),
        theme.heading,
    )];
    if c.card.notes.is_empty() {
        notes.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
    }
    'outer: for n in &c.card.notes {
        for (i, l) in text_lines(&n.body).iter().enumerate() {
            if notes.len() > note_rows {
                break 'outer;
            }
            let prefix = if i == 0 {
                format!("  {}  ", short_time(&n.created_at))
            } else {
                " ".repeat(20)
            };
            notes.push(Line::raw(fit(&format!("{prefix}{l}"), w)));
        }
    }

    let [top_a, orders_a, notes_a] = Layout::vertical([
        Constraint::Length(top.len() as u16),
        Constraint::Min(3),
        Constraint::Length(notes.len() as u16),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(top), top_a);
    f.render_widget(Paragraph::new(notes), notes_a);

    // Recent orders, selectable; Enter opens one.
    let mut lines = vec![Line::styled(
        format!(
            "{} ({}/{})",
            t(lang, S::RecentOrders),
            c.card.recent_orders.len(),
            cu.orders
        ),
        theme.heading,
    )];
    let rows = usize::from(orders_a.height.saturating_sub(1)).max(1);
    let first = c.selected.saturating_sub(rows - 1);
    for (i, o) in c
        .card
        .recent_orders
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
    {
        let paid = Fen(o.paid_fen).to_string();
        let s = format!(
            "  {}  {}  {}  {}",
            short_time(&o.created_at),
            pad(strings::status(lang, &o.status), 9),
            right(&paid, 10),
            one_line(&o.title),
        );
        let style = if i == c.selected {
            theme.selected
        } else {
            Style::default()
        };
        lines.push(Line::styled(fit(&s, w), style));
    }
    f.render_widget(Paragraph::new(lines), orders_a);
}
