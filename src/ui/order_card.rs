//! The order card: lines, amounts, times, the buyer's message, the seller's
//! remark, logistics and the receiver.

use super::strings::{self, S, t};
use super::{Theme, fit, popup_block};
use crate::app::{App, OrderState};
use crate::domain::text::{lines as text_lines, mask_phone, one_line};
use crate::domain::{Fen, Platform};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, o: &OrderState, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let d = &o.detail;
    let title = format!(
        "{} · {}",
        t(lang, S::OrderCardTitle),
        one_line(&d.order.order_no)
    );
    let inner = popup_block(f, area, theme, &title);
    let w = usize::from(inner.width);
    let label = |s: S| Span::styled(format!("{}: ", t(lang, s)), theme.heading);
    let mut lines: Vec<Line> = vec![Line::from(vec![
        label(S::ColBuyer),
        Span::raw(format!(
            "{}  [{}]  {}",
            one_line(&d.order.buyer),
            Platform::label_of(&d.order.platform, lang),
            strings::status(lang, &d.order.status)
        )),
    ])];
    lines.push(Line::raw(fit(
        &format!(
            "{} {}  {} {}  {} {}  {} {}  {} {}",
            t(lang, S::Goods),
            Fen(d.goods_fen),
            t(lang, S::Postage),
            Fen(d.postage_fen),
            t(lang, S::Total),
            Fen(d.total_fen),
            t(lang, S::TotalPaid),
            Fen(d.order.paid_fen),
            t(lang, S::Refunds),
            Fen(d.order.refund_fen)
        ),
        w,
    )));
    let time = |s: &Option<String>| s.as_deref().unwrap_or("-").to_string();
    for (a, at, b, bt) in [
        (
            S::Created,
            Some(d.order.created_at.clone()),
            S::PaidAt,
            d.paid_at.clone(),
        ),
        (
            S::ShippedAt,
            d.shipped_at.clone(),
            S::CompletedAt,
            d.completed_at.clone(),
        ),
    ] {
        lines.push(Line::raw(fit(
            &format!("{} {}  {} {}", t(lang, a), time(&at), t(lang, b), time(&bt)),
            w,
        )));
    }
    lines.push(Line::styled(
        format!("{} ({})", t(lang, S::Lines), d.lines.len()),
        theme.heading,
    ));
    for l in &d.lines {
        let props = if l.props.is_empty() {
            String::new()
        } else {
            format!(" ({})", one_line(&l.props))
        };
        let refund = if l.refund_fen > 0 {
            format!("  {} {}", t(lang, S::Refunds), Fen(l.refund_fen))
        } else {
            String::new()
        };
        lines.push(Line::raw(fit(
            &format!(
                "  {} × {}  {}{props}{refund}",
                Fen(l.price_fen),
                l.qty,
                one_line(&l.title)
            ),
            w,
        )));
    }
    if d.lines.is_empty() && !d.order.title.is_empty() {
        lines.push(Line::raw(fit(
            &format!("  {}", one_line(&d.order.title)),
            w,
        )));
    }
    let mut block = |s: S, text: &str| {
        if text.trim().is_empty() {
            return;
        }
        lines.push(Line::from(label(s)));
        for l in text_lines(text) {
            lines.push(Line::raw(fit(&format!("  {l}"), w)));
        }
    };
    block(S::BuyerMessage, &d.message);
    block(S::Remark, &d.remark);
    if matches!(d.order.status.as_str(), "closed" | "refunded") {
        block(S::CloseReason, &d.close_reason);
    }
    if !d.carrier.is_empty() || !d.tracking_no.is_empty() {
        lines.push(Line::from(vec![
            label(S::Logistics),
            Span::raw(fit(
                &format!("{} {}", one_line(&d.carrier), one_line(&d.tracking_no)),
                w,
            )),
        ]));
    }
    if let Some(r) = &d.receiver {
        let phone = if o.reveal {
            one_line(&r.phone).into_owned()
        } else {
            mask_phone(&one_line(&r.phone))
        };
        lines.push(Line::from(vec![
            label(S::Receiver),
            Span::raw(fit(&format!("{}  {phone}", one_line(&r.name)), w)),
        ]));
        lines.push(Line::raw(fit(&format!("  {}", one_line(&r.address)), w)));
    }
    let max = (lines.len() as u16).saturating_sub(inner.height);
    f.render_widget(Paragraph::new(lines).scroll((o.scroll.min(max), 0)), inner);
}
