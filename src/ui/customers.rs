//! The customers tab: the keyset-paged list of buyers.

use super::strings::{S, t};
use super::{Col, Theme, fit_columns, short_time};
use crate::app::App;
use crate::domain::Fen;
use crate::domain::segment::Segment;
use crate::domain::text::{mask_phone, one_line};
use crate::domain::tier::tier_for;
use crate::model::CustomerRow;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Paragraph;

/// At 80 columns the segment, points and receiver name give way; the
/// masked phone and the last order stay.
const COLS: [Col; 10] = [
    Col {
        title: S::ColFlags,
        width: 4,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColNick,
        width: 14,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColName,
        width: 8,
        right: false,
        drop: 6,
    },
    Col {
        title: S::ColPhone,
        width: 11,
        right: false,
        drop: 3,
    },
    Col {
        title: S::ColOrders,
        width: 6,
        right: true,
        drop: 2,
    },
    Col {
        title: S::ColPaid,
        width: 10,
        right: true,
        drop: 1,
    },
    Col {
        title: S::ColLast,
        width: 16,
        right: false,
        drop: 4,
    },
    Col {
        title: S::ColTier,
        width: 8,
        right: false,
        drop: 5,
    },
    Col {
        title: S::ColSegment,
        width: 8,
        right: false,
        drop: 8,
    },
    Col {
        title: S::ColPoints,
        width: 7,
        right: true,
        drop: 7,
    },
];

pub fn draw(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let list = &app.customers;
    if list.rows.is_empty() {
        let l = app.lang;
        let q = &app.customer_query;
        let mut filters = Vec::new();
        if q.blacklisted_only {
            filters.push(t(l, S::FilterBlacklisted).to_string());
        }
        if q.at_risk_only {
            filters.push(t(l, S::FilterAtRisk).to_string());
        }
        if let Some(seg) = q.segment {
            filters.push(seg.label(l).to_string());
        }
        if let Some(tier) = q.tier {
            filters.push(tier.label(l).to_string());
        }
        let s = super::none_under(l, &filters, S::EmptyCustomers);
        f.render_widget(Paragraph::new(format!("\n  {s}")).style(theme.dim), area);
        return;
    }
    let widths = fit_columns(&COLS, 1, area.width);
    super::draw_window(f, area, theme, app.lang, &COLS, &widths, list, |c| {
        let style = if c.blacklisted {
            theme.danger
        } else {
            Style::default()
        };
        (
            vec![
                if c.blacklisted {
                    "⛔".to_string()
                } else {
                    String::new()
                },
                one_line(&c.nick).into_owned(),
                one_line(&c.name).into_owned(),
                mask_phone(&one_line(&c.phone)),
                c.orders.to_string(),
                Fen(c.paid_fen).to_string(),
                c.last_order_at
                    .as_deref()
                    .map(short_time)
                    .unwrap_or("-")
                    .to_string(),
                tier_for(c.spend_12m_fen, &app.tiers)
                    .label(app.lang)
                    .to_string(),
                segment_label(app, c),
                c.points.to_string(),
            ],
            style,
        )
    });
}

/// The customer's RFM segment, short (the Chinese names without 客户).
fn segment_label(app: &App, c: &CustomerRow) -> String {
    let label = Segment::of(
        &c.segment_facts(),
        app.now,
        &app.customer_query.segment_rules,
    )
    .label(app.lang);
    label.strip_suffix("客户").unwrap_or(label).to_string()
}
