//! The card's "可能想要 / might want": the titles the buyer might want next,
//! best first, each with why (as many as the card's height allows).

use super::{Theme, fit, pad};
use crate::app::CardState;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::suggest as say;
use ratatui::text::Line;

/// The section's lines: a heading, then one line per suggestion (at most
/// `rows`), or a dim line when there is nothing to suggest.
pub fn lines(
    lang: Lang,
    c: &CardState,
    theme: &Theme,
    w: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        fit(
            &format!("{} ({})", say::card_title(lang), c.suggestions.len()),
            w,
        ),
        theme.heading,
    )];
    if c.suggestions.is_empty() {
        out.push(Line::styled(
            fit(&format!("  {}", say::nothing(lang)), w),
            theme.dim,
        ));
    }
    let title_w = (w / 3).clamp(10, 28);
    for s in c.suggestions.iter().take(rows) {
        let row = format!(
            "  {}  {}",
            pad(&one_line(&s.title), title_w),
            one_line(&s.why.text(lang))
        );
        out.push(Line::raw(fit(&row, w)));
    }
    out
}
