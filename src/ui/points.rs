//! The points tab: the ledger, newest first (`s` turns it) and keyset-paged, with each
//! customer's running balance. With none yet, the tab says so and points at
//! the command that manages points.

use super::strings::{self, S, t};
use super::{Col, Theme, fit_columns, short_time};
use crate::app::App;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::model::LedgerEntry;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

const COLS: [Col; 7] = [
    Col {
        title: S::ColWhen,
        width: 16,
        right: false,
        drop: 3,
    },
    Col {
        title: S::ColBuyer,
        width: 16,
        right: false,
        drop: 0,
    },
    Col {
        title: S::ColDelta,
        width: 7,
        right: true,
        drop: 0,
    },
    Col {
        title: S::ColKind,
        width: 8,
        right: false,
        drop: 0,
    },
    // Order numbers are 18-19 digits: the note gives room first.
    Col {
        title: S::ColRef,
        width: 19,
        right: false,
        drop: 2,
    },
    Col {
        title: S::ColNote,
        width: 10,
        right: false,
        drop: 4,
    },
    Col {
        title: S::ColBalance,
        width: 7,
        right: true,
        drop: 1,
    },
];

pub fn draw(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let list = &app.ledger;
    if list.rows.is_empty() {
        super::empty_state(
            theme,
            f,
            area,
            t(l, S::EmptyPoints),
            t(l, S::EmptyPointsHint),
        );
        return;
    }
    let mut widths = fit_columns(&COLS, 5, area.width);
    // Most entries (earned on an order) have no note: a wide screen gives
    // some of the note's room to whole buyer names.
    if let (Some(Some(buyer)), Some(Some(note))) = (widths.get(1).copied(), widths.get(5).copied())
    {
        let spare = note.saturating_sub(24).min(12);
        widths[1] = Some(buyer + spare);
        widths[5] = Some(note - spare);
    }
    super::draw_window(f, area, theme, l, &COLS, &widths, list, |e| {
        (entry_cells(l, e, true), entry_style(theme, e))
    });
}

/// A ledger entry as list cells: time, (customer,) delta, kind, reference,
/// note, running balance.
pub fn entry_cells(l: Lang, e: &LedgerEntry, with_customer: bool) -> Vec<String> {
    let reference = match (&e.ref_order_no, e.ref_complaint_id) {
        (Some(no), _) => one_line(no).into_owned(),
        (None, Some(id)) => format!("#{id}"),
        (None, None) => "-".to_string(),
    };
    let mut cells = vec![short_time(&e.created_at).to_string()];
    if with_customer {
        cells.push(one_line(&e.customer).into_owned());
    }
    cells.extend([
        format!("{:+}", e.delta),
        strings::ledger_kind(l, &e.kind).to_string(),
        reference,
        one_line(&e.note).into_owned(),
        e.balance.to_string(),
    ]);
    cells
}

/// Points going out are drawn dim.
pub fn entry_style(theme: &Theme, e: &LedgerEntry) -> Style {
    if e.delta < 0 {
        theme.dim
    } else {
        Style::default()
    }
}
