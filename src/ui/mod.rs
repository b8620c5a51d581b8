//! Drawing: pure functions of `&App` into a ratatui Frame. One file per tab
//! and popup; this one lays out the header, tab bar and footer and holds the
//! theme and the width-aware text helpers. Nothing here queries the database.

mod analysis;
mod campaigns;
mod card;
mod card_merge;
mod card_predict;
mod card_suggest;
mod complaints;
mod confirm;
mod customers;
mod form;
mod help;
mod history;
mod import;
mod input;
mod ledger;
mod lookup;
mod order_card;
mod orders;
mod points;
mod shop_analysis;
pub mod strings;
mod today;

use crate::app::{App, Popup, Tab, keymap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table};
use strings::{S, t};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Colours in one place; `NO_COLOR` keeps only bold and reverse.
#[derive(Debug, Clone)]
pub struct Theme {
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub heading: Style,
    pub selected: Style,
    pub danger: Style,
    pub error: Style,
    pub info: Style,
    pub dim: Style,
    pub key: Style,
    pub border: Style,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
    }

    pub fn new(no_color: bool) -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let rev = Style::default().add_modifier(Modifier::REVERSED);
        if no_color {
            return Theme {
                header: bold,
                tab: Style::default(),
                tab_active: rev,
                heading: bold,
                selected: rev,
                danger: bold,
                error: bold,
                info: Style::default(),
                dim: Style::default(),
                key: bold,
                border: Style::default(),
            };
        }
        Theme {
            header: bold.fg(Color::Cyan),
            tab: Style::default().fg(Color::Gray),
            tab_active: bold.fg(Color::Black).bg(Color::Cyan),
            heading: bold.fg(Color::Yellow),
            selected: Style::default()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
            danger: bold.fg(Color::White).bg(Color::Red),
            error: bold.fg(Color::Red),
            info: Style::default().fg(Color::Green),
            dim: Style::default().fg(Color::DarkGray),
            key: bold.fg(Color::Cyan),
            border: Style::default().fg(Color::Cyan),
        }
    }
}

/// Draw the whole screen.
pub fn draw(app: &App, theme: &Theme, f: &mut Frame) {
    let area = f.area();
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(app, theme, f, header);
    draw_tabs(app, theme, f, tabs);
    match app.tab {
        Tab::Today => today::draw(app, theme, f, body),
        Tab::Customers => customers::draw(app, theme, f, body),
        Tab::Orders => orders::draw(app, theme, f, body),
        Tab::Complaints => complaints::draw(app, theme, f, body),
        Tab::Points => points::draw(app, theme, f, body),
    }
    let popup_area = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    for p in &app.popups {
        match p {
            Popup::Lookup(l) => lookup::draw(app, l, theme, f, popup_area),
            Popup::Card(c) => card::draw(app, c, theme, f, popup_area),
            Popup::Order(o) => order_card::draw(app, o, theme, f, popup_area),
            Popup::Input(i) => input::draw(app, i, theme, f, popup_area),
            Popup::Complaint(c) => complaints::draw_detail(app, c, theme, f, popup_area),
            Popup::Help { scroll, screen } => {
                help::draw(app, *scroll, screen, theme, f, popup_area)
            }
            Popup::Form(form) => form::draw(app, form, theme, f, popup_area),
            Popup::Import(v) => import::draw(app, v, theme, f, popup_area),
            Popup::Ledger(v) => ledger::draw(app, v, theme, f, popup_area),
            Popup::Analysis {
                stats,
                scroll,
                selected,
                satisfaction,
            } => analysis::draw(
                app,
                (stats, satisfaction),
                *scroll,
                *selected,
                theme,
                f,
                popup_area,
            ),
            Popup::Confirm(c) => confirm::draw(app, c, theme, f, popup_area),
            Popup::History(v) => history::draw(app, v, theme, f, popup_area),
            Popup::Campaigns(v) => campaigns::draw(app, v, theme, f, popup_area),
            Popup::ShopAnalysis(v) => match &v.analysis {
                Some(a) => shop_analysis::draw(app, a, theme, f, popup_area),
                None => shop_analysis::draw_reading(app, theme, f, popup_area),
            },
        }
    }
    draw_footer(app, theme, f, footer);
}

fn draw_header(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let mut text = format!(
        " {} · {} · {} {} · {} {}",
        t(l, S::AppName),
        crate::domain::text::one_line(&app.db_name),
        t(l, S::CountCustomers),
        app.counts.0,
        t(l, S::CountOrders),
        app.counts.1
    );
    let (open, overdue) = app.complaint_counts;
    if open > 0 {
        text.push_str(&format!(" · {} {open}", t(l, S::HeaderOpen)));
    }
    let mut spans = Vec::new();
    // Loud and first, so a narrow screen never cuts it.
    if let Some(c) = app.db_change {
        spans.push(Span::styled(
            format!(" ⚠ {} ", t(l, crate::app::db_change_text(c))),
            theme.danger,
        ));
    }
    spans.push(Span::styled(text, theme.header));
    if overdue > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            format!(" ⚠ {} {overdue} ", t(l, S::OverdueCount)),
            theme.danger,
        ));
    }
    if let Some(job) = app.import_job.as_ref().filter(|j| j.running()) {
        spans.push(Span::styled(
            format!("  {} {:.0}%", t(l, S::ImportRunning), job.ratio() * 100.0),
            theme.info,
        ));
    }
    if !app.pending.is_empty() {
        spans.push(Span::styled(
            format!("  {}", crate::app::waiting_text(l, app.pending.len())),
            theme.info,
        ));
    }
    // Cut to the width as one line (CJK counted as two cells).
    let width = usize::from(area.width);
    let mut used = 0;
    let mut fitted = Vec::new();
    for sp in spans {
        let w = sp.content.width();
        if used + w <= width {
            used += w;
            fitted.push(sp);
        } else {
            fitted.push(Span::styled(fit(&sp.content, width - used), sp.style));
            break;
        }
    }
    f.render_widget(Paragraph::new(Line::from(fitted)), area);
}

fn draw_tabs(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let l = app.lang;
    let mut spans = Vec::new();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let style = if *tab == app.tab {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(format!(" {i} {} ", t(l, tab.label())), style));
        spans.push(Span::raw(" "));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let info = match app.tab {
        Tab::Today => app.today.date.clone(),
        Tab::Customers => {
            let sort = match app.customer_query.sort {
                crate::model::CustomerSort::LastOrder => S::SortLast,
                crate::model::CustomerSort::Paid => S::SortPaid,
                crate::model::CustomerSort::Value => S::SortValue12m,
                crate::model::CustomerSort::Name => S::SortName,
            };
            let filter = if app.customer_query.blacklisted_only {
                S::FilterBlacklisted
            } else if app.customer_query.at_risk_only {
                S::FilterAtRisk
            } else {
                S::FilterAll
            };
            let mut info = format!("{} · {}", t(l, sort), t(l, filter));
            if let Some(seg) = app.customer_query.segment {
                info.push_str(&format!(" · {}", seg.label(l)));
            }
            if let Some(tier) = app.customer_query.tier {
                info.push_str(&format!(" · {}", tier.label(l)));
            }
            info
        }
        Tab::Orders => {
            let status = match &app.order_query.status {
                Some(s) => strings::status(l, s),
                None => t(l, S::FilterAll),
            };
            let days = match app.order_query.days {
                Some(d) => format!("{} {d}", t(l, S::LastDays)),
                None => t(l, S::AllTime).to_string(),
            };
            let sort = if app.order_query.oldest_first {
                S::SortOldest
            } else {
                S::SortNewest
            };
            format!("{} · {status} · {days}", t(l, sort))
        }
        Tab::Complaints => {
            let filter = if app.complaints_open_only {
                S::FilterOpen
            } else {
                S::FilterAll
            };
            let sort = if app.complaints_oldest_first {
                S::SortOldest
            } else {
                S::SortNewest
            };
            format!("{} · {}", t(l, sort), t(l, filter))
        }
        Tab::Points => {
            let sort = if app.ledger_newest_first {
                S::SortNewest
            } else {
                S::SortOldest
            };
            t(l, sort).to_string()
        }
    };
    let room = usize::from(area.width).saturating_sub(used + 1);
    if room >= 8 {
        let info = fit(&info, room);
        let pad = room.saturating_sub(info.width());
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(info, theme.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    if let Some(m) = &app.message {
        let style = if m.error { theme.error } else { theme.info };
        f.render_widget(
            Paragraph::new(fit(&crate::domain::text::one_line(&m.text), width)).style(style),
            area,
        );
        return;
    }
    let hints = keymap::hints(&app.contexts());
    let cost = |b: &keymap::Binding| b.keys_label().width() + t(app.lang, b.label).width() + 3;
    // When not every hint fits, the way to help is kept: it lists the rest.
    let help = hints
        .iter()
        .position(|b| b.action == crate::app::Action::OpenHelp);
    let all: usize = hints.iter().map(|b| cost(b)).sum();
    let reserve = match help {
        Some(i) if all > width => cost(hints[i]),
        _ => 0,
    };
    let mut shown: Vec<&keymap::Binding> = Vec::new();
    let mut used = 0;
    for (i, b) in hints.iter().enumerate() {
        if reserve > 0 && Some(i) == help {
            continue;
        }
        let w = cost(b);
        if used + w + reserve > width {
            break;
        }
        used += w;
        shown.push(b);
    }
    if reserve > 0
        && let Some(i) = help
    {
        shown.push(hints[i]);
    }
    let mut spans = Vec::new();
    for b in shown {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(b.keys_label(), theme.key));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(t(app.lang, b.label), theme.dim));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `s` cut to `width` display cells (CJK is two), with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` broken into lines of at most `width` cells (CJK counted as two),
/// at spaces where a line has one, else anywhere; never an empty result.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            // Break at the last space when there is one in the line's second half.
            let cut = line.rfind(' ').filter(|i| line[..*i].width() > width / 2);
            match cut {
                Some(i) => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    out.push(std::mem::take(&mut line));
                    line = rest;
                }
                None => out.push(std::mem::take(&mut line)),
            }
            used = line.width();
        }
        line.push(c);
        used += w;
    }
    out.push(line);
    out
}

/// `s` fitted and left-aligned in `width` cells.
pub fn pad(s: &str, width: usize) -> String {
    let s = fit(s, width);
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

/// `s` fitted and right-aligned in `width` cells.
pub fn right(s: &str, width: usize) -> String {
    let s = fit(s, width);
    format!("{}{s}", " ".repeat(width.saturating_sub(s.width())))
}

/// A list column: heading, width, whether it is right-aligned, and how soon
/// it is dropped when the screen is narrow (higher drops first; 0 never).
pub struct Col {
    pub title: S,
    pub width: u16,
    pub right: bool,
    pub drop: u8,
}

/// Which columns fit in `avail` cells and how wide each is drawn: the
/// `flex` column takes what is left (at least its own width).
/// What an empty list says: every filter in force and that nothing
/// matches them, or `unfiltered` when none is.
pub fn none_under(lang: crate::i18n::Lang, filters: &[String], unfiltered: S) -> String {
    if filters.is_empty() {
        t(lang, unfiltered).to_string()
    } else {
        format!("{}: {}", filters.join(" · "), t(lang, S::None))
    }
}

/// A tab with nothing to list yet: what is missing, and how to add it.
pub fn empty_state(theme: &Theme, f: &mut Frame, area: Rect, title: &str, hint: &str) {
    let text = vec![
        Line::raw(""),
        Line::from(Span::styled(format!("  {title}"), theme.heading)),
        Line::raw(""),
        Line::from(Span::styled(format!("  {hint}"), theme.dim)),
    ];
    f.render_widget(Paragraph::new(text), area);
}

pub fn fit_columns(cols: &[Col], flex: usize, avail: u16) -> Vec<Option<u16>> {
    let mut shown: Vec<bool> = vec![true; cols.len()];
    loop {
        let n = shown.iter().filter(|s| **s).count() as u16;
        let total: u16 = cols
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.width)
            .sum::<u16>()
            + n.saturating_sub(1);
        if total <= avail {
            let extra = avail - total;
            return cols
                .iter()
                .enumerate()
                .map(|(i, c)| shown[i].then_some(if i == flex { c.width + extra } else { c.width }))
                .collect();
        }
        let worst = cols
            .iter()
            .enumerate()
            .filter(|(i, c)| shown[*i] && c.drop > 0)
            .max_by_key(|(i, c)| (c.drop, *i))
            .map(|(i, _)| i);
        match worst {
            Some(i) => shown[i] = false,
            None => {
                // Nothing left to drop: squeeze the flex column.
                let w = cols[flex].width.saturating_sub(total - avail);
                return cols
                    .iter()
                    .enumerate()
                    .map(|(i, c)| shown[i].then_some(if i == flex { w } else { c.width }))
                    .collect();
            }
        }
    }
}

/// A table of pre-fitted cells from columns and rows of text; `selected` is
/// the index within `rows` to highlight; `styles` per row.
#[allow(clippy::too_many_arguments)] // one call shape for every list
pub fn draw_table(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    lang: crate::i18n::Lang,
    cols: &[Col],
    widths: &[Option<u16>],
    rows: Vec<(Vec<String>, Style)>,
    selected: Option<usize>,
) {
    let heads: Vec<Cell> = cols
        .iter()
        .zip(widths)
        .filter_map(|(c, w)| {
            w.map(|w| {
                let s = t(lang, c.title);
                Cell::from(if c.right {
                    right(s, usize::from(w))
                } else {
                    fit(s, usize::from(w))
                })
            })
        })
        .collect();
    let body: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (cells, style))| {
            let cells: Vec<Cell> = cells
                .iter()
                .zip(cols.iter().zip(widths))
                .filter_map(|(s, (c, w))| {
                    w.map(|w| {
                        Cell::from(if c.right {
                            right(s, usize::from(w))
                        } else {
                            fit(s, usize::from(w))
                        })
                    })
                })
                .collect();
            let style = if Some(i) == selected {
                style.patch(theme.selected)
            } else {
                style
            };
            Row::new(cells).style(style)
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let table = Table::new(body, constraints)
        .header(Row::new(heads).style(theme.heading))
        .column_spacing(1);
    f.render_widget(table, area);
}

/// The rows of a paged list that fit `area` below its headings, from the
/// list's first shown row, the selection highlighted; `row` makes each row's
/// cells and style.
#[allow(clippy::too_many_arguments)] // draw_table's shape plus the list
pub fn draw_window<T>(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    lang: crate::i18n::Lang,
    cols: &[Col],
    widths: &[Option<u16>],
    list: &crate::app::Paged<T>,
    row: impl Fn(&T) -> (Vec<String>, Style),
) {
    let height = usize::from(area.height.saturating_sub(1));
    let rows = list
        .rows
        .iter()
        .skip(list.offset)
        .take(height)
        .map(row)
        .collect();
    let selected = list.selected.checked_sub(list.offset);
    draw_table(f, area, theme, lang, cols, widths, rows, selected);
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clear `area` and draw a bordered block titled `title`; returns the inside.
pub fn popup_block(f: &mut Frame, area: Rect, theme: &Theme, title: &str) -> Rect {
    use ratatui::widgets::{Block, BorderType};
    clip_wide_at_left(f, area);
    f.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(format!(
            " {} ",
            fit(title, usize::from(area.width.saturating_sub(4)))
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}

/// A wide (CJK) character just left of `area` would draw its second half
/// over the area's first column, where a popup's border goes, and the
/// terminal would show it instead of the border: blank it.
fn clip_wide_at_left(f: &mut Frame, area: Rect) {
    let buf = f.buffer_mut();
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    if x < buf.area.x {
        return;
    }
    for y in area.top()..area.bottom().min(buf.area.bottom()) {
        let cell = &mut buf[(x, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// A stored time without seconds: `2024-05-20 10:30`.
pub fn short_time(s: &str) -> &str {
    s.get(..16).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_by_cells_and_at_spaces() {
        assert_eq!(wrap("订单编号已被改写", 6), ["订单编", "号已被", "改写"]);
        assert_eq!(wrap("cut short by Excel", 10), ["cut short", "by Excel"]);
        assert_eq!(wrap("", 10), [""]);
        for l in wrap(
            "The file is incomplete: the record starting at line 45 is cut off",
            20,
        ) {
            assert!(l.width() <= 20, "{l}");
        }
    }

    #[test]
    fn fit_counts_cjk_as_two_cells() {
        assert_eq!(fit("风吹lucky", 6), "风吹l…");
        assert_eq!(fit("风吹", 4), "风吹");
        assert_eq!(fit("风吹雨", 4), "风…");
        assert_eq!(right("12", 4), "  12");
    }

    #[test]
    fn columns_drop_by_priority() {
        let cols = [
            Col {
                title: S::ColNick,
                width: 10,
                right: false,
                drop: 0,
            },
            Col {
                title: S::ColName,
                width: 10,
                right: false,
                drop: 2,
            },
            Col {
                title: S::ColPhone,
                width: 10,
                right: false,
                drop: 1,
            },
        ];
        assert_eq!(
            fit_columns(&cols, 0, 40),
            vec![Some(18), Some(10), Some(10)]
        );
        assert_eq!(fit_columns(&cols, 0, 25), vec![Some(14), None, Some(10)]);
        assert_eq!(fit_columns(&cols, 0, 5), vec![Some(5), None, None]);
    }
}
