//! The card's lines about merging: every platform identity of a merged
//! customer, "可能是同一人 / Possibly the same person" with the suggested
//! customer and why (m merges, N declines), and the latest merge in force
//! (U undoes it). None when there is nothing to say.

use super::{Theme, fit};
use crate::app::CardState;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::merge as say;
use ratatui::text::Line;

pub fn lines(lang: Lang, c: &CardState, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let id = c.card.customer.id;
    let m = &c.merge;
    let mut out = Vec::new();
    if m.identities.len() > 1 {
        let ids = m
            .identities
            .iter()
            .map(|s| one_line(s).into_owned())
            .collect::<Vec<_>>()
            .join(" · ");
        out.push(Line::raw(fit(&say::card_identities(lang, &ids), w)));
    }
    if let (Some(p), Some((_, other))) = (&m.suggestion, m.other(id)) {
        let why = say::why(lang, &p.why_codes());
        let s = say::card_suggest(lang, &one_line(other), p.score, &why);
        out.push(Line::styled(fit(&s, w), theme.info));
    }
    if let Some(r) = m.undoable(id) {
        let s = say::card_merged(lang, r.merge_id, &one_line(&r.merged));
        out.push(Line::styled(fit(&s, w), theme.dim));
    }
    out
}
