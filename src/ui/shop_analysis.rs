//! The shop analysis view (数据分析), drawn with ratatui's bar charts: sales
//! by month (yuan) and new against returning buyers on top; customers by
//! segment, by count and by net spend, and the top items below. The charts
//! take as many months and items as the width and height hold, the latest
//! months first kept.

use super::strings::{S, t};
use super::{Theme, fit, popup_block};
use crate::app::App;
use crate::domain::segment::Segment;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::analyse as say;
use crate::model::{Analysis, MonthRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};
use unicode_width::UnicodeWidthStr;

/// A count or an amount in at most four ASCII cells: `812`, `2.6k`, `26k`,
/// `1.2M` (values drawn on the bars, which count bytes).
fn compact(n: i64) -> String {
    let n = n.max(0);
    match n {
        0..=9_999 => n.to_string(),
        10_000..=99_999 => format!("{}k", n / 1_000),
        100_000..=999_999 => format!("{}k", n / 1_000),
        1_000_000..=9_999_999 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{}M", n / 1_000_000),
    }
}

/// A chart's value: never negative (a month refunded more than it took in
/// draws no bar).
fn bar_value(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `11月` / `Nov`: a month under its bar.
fn month_label(lang: Lang, month: &str) -> String {
    let m: usize = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .get(m.wrapping_sub(1))
        .map_or_else(|| month.to_string(), |s| (*s).to_string()),
    }
}

/// The last `n` months.
fn last(months: &[MonthRow], n: usize) -> &[MonthRow] {
    &months[months.len().saturating_sub(n)..]
}

/// `2025-03 — 2025-11`: the months a chart shows.
fn span(months: &[MonthRow]) -> String {
    match (months.first(), months.last()) {
        (Some(a), Some(b)) if a.month != b.month => format!("{} — {}", a.month, b.month),
        (Some(a), _) => a.month.clone(),
        _ => String::new(),
    }
}

fn titled<'a>(title: Line<'a>) -> Block<'a> {
    Block::default().title(title)
}

/// The view while the analysis is being read.
pub fn draw_reading(app: &App, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let inner = popup_block(f, area, theme, t(lang, S::ShopAnalysisTitle));
    f.render_widget(
        Paragraph::new(Line::styled(format!(" {}", t(lang, S::Reading)), theme.dim)),
        inner,
    );
}

pub fn draw(app: &App, a: &Analysis, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let inner = popup_block(f, area, theme, t(lang, S::ShopAnalysisTitle));
    if a.months.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(
                format!(" {}", say::no_orders(lang)),
                theme.dim,
            )),
            inner,
        );
        return;
    }
    let body = inner.height.saturating_sub(1);
    let top = (body * 2 / 5).max(6);
    let [head, upper, lower] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(top),
        Constraint::Min(0),
    ])
    .areas(inner);
    draw_headline(a, lang, theme, f, head);
    let [sales, buyers] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(upper);
    draw_sales(a, lang, theme, f, sales);
    draw_buyers(
        a,
        lang,
        theme,
        f,
        buyers.inner(ratatui::layout::Margin::new(1, 0)),
    );
    let [segments, items] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lower);
    draw_segments(a, lang, theme, f, segments);
    draw_items(
        a,
        lang,
        theme,
        f,
        items.inner(ratatui::layout::Margin::new(1, 0)),
    );
}

/// One line: the repurchase rate and the buyers it is over.
fn draw_headline(a: &Analysis, lang: Lang, theme: &Theme, f: &mut Frame, area: Rect) {
    let text = say::repurchase_line(lang, a.repurchase_rate, a.repeat_buyers, a.buyers);
    let line = Line::from(vec![
        Span::raw(" "),
        Span::styled(
            fit(&text, usize::from(area.width.saturating_sub(1))),
            theme.heading,
        ),
    ]);
    f.render_widget(Paragraph::new(line), area);
}

/// Paid per month in yuan, one bar a month, as many of the latest as fit.
fn draw_sales(a: &Analysis, lang: Lang, theme: &Theme, f: &mut Frame, area: Rect) {
    const BAR: u16 = 4;
    let n = usize::from(area.width.saturating_sub(1) / (BAR + 1)).max(1);
    let shown = last(&a.months, n);
    let bars: Vec<Bar> = shown
        .iter()
        .map(|m| {
            let yuan = m.paid_fen / 100;
            Bar::default()
                .value(bar_value(yuan))
                .text_value(compact(yuan))
                .label(Line::from(month_label(lang, &m.month)))
        })
        .collect();
    let title = format!("{} {}", say::sales_unit(lang), span(shown));
    let chart = BarChart::default()
        .block(titled(Line::styled(
            fit(&title, usize::from(area.width)),
            theme.heading,
        )))
        .data(BarGroup::default().bars(&bars))
        .bar_width(BAR)
        .bar_gap(1)
        .bar_style(Style::default().fg(Color::Cyan))
        .value_style(Style::default().fg(Color::Black).bg(Color::Cyan));
    f.render_widget(chart, area);
}

/// New and returning buyers per month: two bars a month, new first (no
/// numbers on bars two cells wide; `kehu analyse` prints them).
fn draw_buyers(a: &Analysis, lang: Lang, theme: &Theme, f: &mut Frame, area: Rect) {
    // Two bars of 2 and a gap of 1: five cells a month (its label fits).
    let n = usize::from((area.width + 1) / 5).max(1);
    let shown = last(&a.months, n);
    let new_style = Style::default().fg(Color::Green);
    let ret_style = Style::default().fg(Color::Yellow);
    let groups: Vec<BarGroup> = shown
        .iter()
        .map(|m| {
            BarGroup::default()
                .label(Line::from(month_label(lang, &m.month)))
                .bars(&[
                    Bar::default()
                        .value(bar_value(m.new_buyers))
                        .text_value(String::new())
                        .style(new_style),
                    Bar::default()
                        .value(bar_value(m.returning_buyers))
                        .text_value(String::new())
                        .style(ret_style),
                ])
        })
        .collect();
    let title = Line::from(vec![
        Span::styled(say::legend_new(lang), new_style),
        Span::styled("▇ ", new_style),
        Span::styled(say::legend_returning(lang), ret_style),
        Span::styled("▇", ret_style),
        Span::styled(format!(" {}", say::buyers_unit(lang)), theme.heading),
    ]);
    let mut chart = BarChart::default()
        .block(titled(title))
        .bar_width(2)
        .bar_gap(0)
        .group_gap(1);
    for g in groups {
        chart = chart.data(g);
    }
    f.render_widget(chart, area);
}

/// A segment's name as short as it is clear: `重要价值`, `top`.
fn segment_short(lang: Lang, s: Segment) -> String {
    let l = s.label(lang);
    l.strip_suffix("客户").unwrap_or(l).to_string()
}

/// Customers by segment: how many (left) and their net spend in yuan
/// (right), one row a segment, most valuable first.
fn draw_segments(a: &Analysis, lang: Lang, theme: &Theme, f: &mut Frame, area: Rect) {
    let [title, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(say::segments_title(lang), theme.heading),
            Span::styled(
                format!(" {} | {}", say::by_count(lang), say::by_money_yuan(lang)),
                theme.dim,
            ),
        ])),
        title,
    );
    let labels: Vec<String> = a
        .segments
        .iter()
        .map(|g| Segment::parse(&g.code).map_or(g.code.clone(), |s| segment_short(lang, s)))
        .collect();
    let label_w = labels.iter().map(|l| l.width()).max().unwrap_or(0) as u16;
    let [count, money] = Layout::horizontal([
        Constraint::Length(label_w + 1 + rest.width.saturating_sub(label_w + 1) / 2),
        Constraint::Min(0),
    ])
    .areas(rest);
    let style = Style::default().fg(Color::Magenta);
    let count_bars: Vec<Bar> = a
        .segments
        .iter()
        .zip(&labels)
        .map(|(g, l)| {
            Bar::default()
                .value(bar_value(g.customers))
                .text_value(compact(g.customers))
                .label(Line::from(l.clone()))
        })
        .collect();
    let money_bars: Vec<Bar> = a
        .segments
        .iter()
        .map(|g| {
            Bar::default()
                .value(bar_value(g.net_fen / 100))
                .text_value(compact(g.net_fen / 100))
        })
        .collect();
    for (bars, area) in [
        (count_bars, count),
        (money_bars, money.inner(ratatui::layout::Margin::new(1, 0))),
    ] {
        let chart = BarChart::default()
            .direction(Direction::Horizontal)
            .data(BarGroup::default().bars(&bars))
            .bar_width(1)
            .bar_gap(0)
            .bar_style(style)
            .value_style(style.reversed());
        f.render_widget(chart, area);
    }
}

/// The top items by sales in yuan, as many as the height holds.
fn draw_items(a: &Analysis, lang: Lang, theme: &Theme, f: &mut Frame, area: Rect) {
    let [title, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    f.render_widget(
        Paragraph::new(Line::styled(
            fit(&say::items_unit(lang), usize::from(area.width)),
            theme.heading,
        )),
        title,
    );
    if a.top_items.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(
                fit(say::no_items(lang), usize::from(area.width)),
                theme.dim,
            )),
            rest,
        );
        return;
    }
    // The title takes up to half the width.
    let label_w = usize::from(rest.width / 2).max(4);
    let style = Style::default().fg(Color::Blue);
    let bars: Vec<Bar> = a
        .top_items
        .iter()
        .take(usize::from(rest.height))
        .map(|i| {
            let yuan = i.paid_fen / 100;
            Bar::default()
                .value(bar_value(yuan))
                .text_value(compact(yuan))
                .label(Line::from(fit(&one_line(&i.title), label_w)))
        })
        .collect();
    let chart = BarChart::default()
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
        .bar_style(style)
        .value_style(style.reversed());
    f.render_widget(chart, rest);
}
