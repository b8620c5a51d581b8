//! The orders tab: every order, newest first, keyset-paged, with status and
//! date-window filters.

use super::strings::{self, S, t};
use super::{Col, Theme, fit_columns, short_time};
use crate::app::App;
use crate::domain::Fen;
use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Paragraph;

const COLS: [Col; 7] = [
    // Order numbers are 18-19 digits: the title gives room first.
    Col {
        title: S::ColOrderNo,
        width: 19,
        right: false,
        drop: 2,
    },
    Col {
        title: S::ColTime,
        width: 16,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColBuyer,
        width: 12,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColStatus,
        width: 8,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColItems,
        width: 8,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColPaid,
        width: 10,
        right: true,
        drop: 0,
    },
    Col {
        title: S::ColRefund,
        width: 9,
        right: true,
        drop: 3,
    },
];

pub fn draw(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let list = &app.orders;
    if list.rows.is_empty() {
        let l = app.lang;
        let mut filters = Vec::new();
        if let Some(st) = &app.order_query.status {
            filters.push(strings::status(l, st).to_string());
        }
        if let Some(d) = app.order_query.days {
            filters.push(format!("{} {d}", t(l, S::LastDays)));
        }
        let s = super::none_under(l, &filters, S::EmptyOrders);
        f.render_widget(Paragraph::new(format!("\n  {s}")).style(theme.dim), area);
        return;
    }
    let mut widths = fit_columns(&COLS, 4, area.width);
    // On a wide screen the items column can spare room for whole nicknames.
    if let (Some(Some(buyer)), Some(Some(items))) = (widths.get(2).copied(), widths.get(4).copied())
        && items >= 40
    {
        widths[2] = Some(buyer + 6);
        widths[4] = Some(items - 6);
    }
    super::draw_window(f, area, theme, app.lang, &COLS, &widths, list, |o| {
        let items = if o.item_qty > 1 {
            format!("{} ×{}", one_line(&o.title), o.item_qty)
        } else {
            one_line(&o.title).into_owned()
        };
        (
            vec![
                one_line(&o.order_no).into_owned(),
                short_time(&o.created_at).to_string(),
                one_line(&o.buyer).into_owned(),
                strings::status(app.lang, &o.status).to_string(),
                items,
                Fen(o.paid_fen).to_string(),
                if o.refund_fen > 0 {
                    Fen(o.refund_fen).to_string()
                } else {
                    String::new()
                },
            ],
            Style::default(),
        )
    });
}
