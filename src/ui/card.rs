//! The customer card: who the buyer is, where they ship, what they bought,
//! what they complained about, and what the seller noted (tags, notes, the
//! blacklist with its reason). ←/→ pick the list ↑/↓ and Enter work on.

use super::strings::{self, S, t};
use super::{Theme, fit, pad, popup_block, right, short_time};
use crate::app::{App, CardSection, CardState};
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
    head.extend(super::card_predict::badge(lang, c, theme));
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
    let mut top: Vec<Line> = vec![Line::from(head)];
    if cu.blacklisted {
        // Why and since when (unknown for a listing older than the history).
        let (reason, at) = match &c.card.blacklist {
            Some(e) => (
                if e.reason.is_empty() {
                    "-".to_string()
                } else {
                    one_line(&e.reason).into_owned()
                },
                e.at.as_deref()
                    .map(short_time)
                    .unwrap_or(t(lang, S::TimeUnknown))
                    .to_string(),
            ),
            None => ("-".to_string(), t(lang, S::TimeUnknown).to_string()),
        };
        let s = format!("{}: {reason}  {at}", t(lang, S::Reason));
        top.push(Line::styled(fit(&s, w), theme.error));
    }
    top.extend([
        Line::raw(fit(&stats, w)),
        Line::raw(fit(&points, w)),
        Line::raw(fit(&times, w)),
        super::card_predict::line(lang, c, theme, w),
        Line::from(vec![
            Span::styled(format!("{}: ", t(lang, S::Tags)), theme.heading),
            Span::raw(fit(&tags, w.saturating_sub(6))),
        ]),
    ]);
    top.extend(super::card_merge::lines(lang, c, theme, w));
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

    // Notes: newest first, one line each, as many as fit in their share.
    let note_rows = if inner.height >= 30 { 5 } else { 2 };
    let notes_focus = c.section == CardSection::Notes;
    let mut notes: Vec<Line> = vec![heading(
        format!("{} ({})", t(lang, S::Notes), c.card.notes.len()),
        notes_focus,
        theme,
    )];
    if c.card.notes.is_empty() {
        notes.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
    }
    let first = c.note_selected.saturating_sub(note_rows - 1);
    for (i, n) in c.card.notes.iter().enumerate().skip(first).take(note_rows) {
        let edited = if n.updated_at != n.created_at {
            "✎ "
        } else {
            ""
        };
        let s = format!(
            "  {}  {edited}{}",
            short_time(&n.created_at),
            text_lines(&n.body).join(" ")
        );
        notes.push(Line::styled(
            fit(&s, w),
            row_style(notes_focus && i == c.note_selected, theme),
        ));
    }

    // Complaints: newest first, with the overdue mark; Enter opens one.
    let complaint_rows = if inner.height >= 30 { 4 } else { 2 };
    let complaints_focus = c.section == CardSection::Complaints;
    let mut complaints: Vec<Line> = vec![heading(
        format!(
            "{} ({})",
            t(lang, S::ComplaintsEver),
            c.complaint_list.len()
        ),
        complaints_focus,
        theme,
    )];
    if c.complaint_list.is_empty() {
        complaints.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
    }
    let first = c.complaint_selected.saturating_sub(complaint_rows - 1);
    for (i, k) in c
        .complaint_list
        .iter()
        .enumerate()
        .skip(first)
        .take(complaint_rows)
    {
        let s = format!(
            "{} #{:<4} {}  {}  {}  {}",
            if k.overdue { "⚠" } else { " " },
            k.id,
            k.created_at.get(..10).unwrap_or(&k.created_at),
            pad(&strings::complaint_category(lang, &k.category), 8),
            pad(&strings::complaint_status(lang, &k.status), 6),
            one_line(&k.summary),
        );
        let style = if complaints_focus && i == c.complaint_selected {
            theme.selected
        } else if k.overdue {
            theme.error
        } else {
            Style::default()
        };
        complaints.push(Line::styled(fit(&s, w), style));
    }

    let follow = followup_lines(app, c, theme, w, if inner.height >= 30 { 4 } else { 2 });
    // Suggestions: 5 on a tall card, else 2, and more when the orders leave
    // room (a buyer with few orders).
    let fixed = top.len() + follow.len() + complaints.len() + notes.len();
    let spare = usize::from(inner.height).saturating_sub(fixed);
    let orders_want = (c.card.recent_orders.len() + 1).max(3);
    let rows = (if inner.height >= 30 { 5 } else { 2 })
        .max(spare.saturating_sub(orders_want + 1))
        .min(5);
    let suggest = super::card_suggest::lines(lang, c, theme, w, rows);
    let [top_a, orders_a, suggest_a, follow_a, complaints_a, notes_a] = Layout::vertical([
        Constraint::Length(top.len() as u16),
        Constraint::Min(3),
        Constraint::Length(suggest.len() as u16),
        Constraint::Length(follow.len() as u16),
        Constraint::Length(complaints.len() as u16),
        Constraint::Length(notes.len() as u16),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(top), top_a);
    f.render_widget(Paragraph::new(suggest), suggest_a);
    f.render_widget(Paragraph::new(follow), follow_a);
    f.render_widget(Paragraph::new(complaints), complaints_a);
    f.render_widget(Paragraph::new(notes), notes_a);

    // Recent orders, selectable; Enter opens one.
    let orders_focus = c.section == CardSection::Orders;
    let mut lines = vec![heading(
        format!(
            "{} ({}/{})",
            t(lang, S::RecentOrders),
            c.card.recent_orders.len(),
            cu.orders
        ),
        orders_focus,
        theme,
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
        lines.push(Line::styled(
            fit(&s, w),
            row_style(orders_focus && i == c.selected, theme),
        ));
    }
    f.render_widget(Paragraph::new(lines), orders_a);
}

/// The follow-ups with the satisfaction heard, open ones first; drawn only
/// for a customer with follow-ups or scores (or when the list has the focus).
fn followup_lines(
    app: &App,
    c: &CardState,
    theme: &Theme,
    w: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    let lang = app.lang;
    let focus = c.section == CardSection::Followups;
    if c.followups.is_empty() && c.satisfaction.count == 0 && !focus {
        return Vec::new();
    }
    let mut title = format!("{} ({})", t(lang, S::Followups), c.followups.len());
    if let (Some(latest), Some(mean)) = (c.satisfaction.latest, c.satisfaction.mean) {
        title.push_str(&format!(
            "  {} {latest}/5 · {} {mean:.1} ({})",
            t(lang, S::SatisfactionLatest),
            t(lang, S::SatisfactionMean),
            c.satisfaction.count
        ));
    }
    let mut lines = vec![heading(fit(&title, w), focus, theme)];
    if c.followups.is_empty() {
        lines.push(Line::styled(format!("  {}", t(lang, S::None)), theme.dim));
    }
    let first = c.followup_selected.saturating_sub(rows - 1);
    for (i, fu) in c.followups.iter().enumerate().skip(first).take(rows) {
        let open = fu.status == crate::domain::followup::FollowupStatus::Open;
        let score = fu
            .satisfaction
            .map(|n| format!(" {n}/5"))
            .unwrap_or_default();
        let said = if open { &fu.note } else { &fu.outcome };
        let s = format!(
            "  {}  {}  {}{score}  {}",
            fu.due,
            pad(fu.status.label(lang), 6),
            pad(fu.reason.label(lang), 10),
            one_line(said),
        );
        let style = if focus && i == c.followup_selected {
            theme.selected
        } else if open {
            Style::default()
        } else {
            theme.dim
        };
        lines.push(Line::styled(fit(&s, w), style));
    }
    lines
}

/// A list's heading; the list ↑/↓ and Enter work on is marked.
fn heading(text: String, focus: bool, theme: &Theme) -> Line<'static> {
    if focus {
        Line::styled(format!("▶ {text}"), theme.key)
    } else {
        Line::styled(text, theme.heading)
    }
}

fn row_style(selected: bool, theme: &Theme) -> Style {
    if selected {
        theme.selected
    } else {
        Style::default()
    }
}
