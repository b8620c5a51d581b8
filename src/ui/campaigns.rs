//! The campaigns: per campaign its name and date, then recipients against
//! the control group, who came back in each, the rates and the lift, and
//! what the recipients' orders paid.

use super::{Theme, fit, popup_block};
use crate::app::{App, CampaignsView};
use crate::domain::text::one_line;
use crate::i18n::app::{S, t};
use crate::i18n::serve as say;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, v: &CampaignsView, theme: &Theme, f: &mut Frame, area: Rect) {
    let lang = app.lang;
    let inner = popup_block(f, area, theme, t(lang, S::CampaignsTitle));
    let w = usize::from(inner.width);
    let h = say::campaign_report_lines(lang);
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{:.2}%", v * 100.0));
    let mut lines: Vec<Line> = Vec::new();
    if v.reports.is_empty() {
        lines.push(Line::styled(say::no_campaigns(lang), theme.dim));
    }
    for (i, r) in v.reports.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        let title = format!(
            "#{} {} · {} {}",
            r.id,
            one_line(&r.name),
            r.created_at.get(..10).unwrap_or(&r.created_at),
            say::within_days(lang, r.days)
        );
        lines.push(Line::styled(fit(&title, w), theme.heading));
        let counts = format!(
            "  {}: {}   {}: {}   {}: {}   {}: {}",
            h[0], r.recipients, h[1], r.control, h[2], r.responders, h[3], r.control_responders
        );
        lines.push(Line::raw(fit(&counts, w)));
        let lift = r
            .lift
            .map_or("-".to_string(), |v| format!("{:+.2}pp", v * 100.0));
        let rates = format!(
            "  {}: {}   {}: {}   {}: {lift}",
            h[4],
            pct(r.response_rate),
            h[5],
            pct(r.control_rate),
            h[6],
        );
        let style = if r.lift.is_some_and(|l| l > 0.0) {
            theme.info
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(fit(&rates, w), style));
        let revenue = format!(
            "  {}: {}",
            say::revenue(lang),
            crate::domain::Fen(r.revenue_fen)
        );
        lines.push(Line::raw(fit(&revenue, w)));
    }
    let rows = usize::from(inner.height);
    let scroll = v.scroll.min(v.scroll_max(rows));
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
