//! The card's predictions line: the next valid order expected, the churn
//! risk within the horizon as a percentage and the 12-month value in yuan,
//! with the mark of a valuable customer at risk (see docs/prediction.md).

use super::{Theme, fit};
use crate::app::CardState;
use crate::i18n::Lang;
use crate::i18n::predict as say;
use crate::model::CustomerPrediction;
use ratatui::text::{Line, Span};

/// The mark of a valuable customer at risk, for the card's first line.
pub fn badge(lang: Lang, c: &CardState, theme: &Theme) -> Option<Span<'static>> {
    c.prediction
        .as_deref()
        .filter(|p| p.valuable_at_risk)
        .map(|_| Span::styled(format!("  {}", say::valuable_at_risk(lang)), theme.danger))
}

/// One line, `w` cells at most (the at-risk mark is the badge's).
pub fn line(lang: Lang, c: &CardState, theme: &Theme, w: usize) -> Line<'static> {
    let p = c.prediction.as_deref();
    let head = format!("{}: ", say::title(lang));
    let mut spans = vec![Span::styled(head.clone(), theme.heading)];
    let mut used = unicode_width::UnicodeWidthStr::width(head.as_str());
    for (label, value) in CustomerPrediction::lines(p, lang) {
        if label.is_empty() {
            continue;
        }
        let room = w.saturating_sub(used);
        if room == 0 {
            break;
        }
        let text = fit(&format!("{label} {value}  "), room);
        used += unicode_width::UnicodeWidthStr::width(text.as_str());
        spans.push(Span::raw(text));
    }
    Line::from(spans)
}
