//! Suggestions as the commands and the app show them: a title, its score and
//! why (the reasons come from `domain::suggest`, with titles as text).

use crate::domain::segment::Segment;
use crate::i18n::Lang;
use crate::i18n::suggest as say;

/// Why a title is suggested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuggestWhy {
    /// Bought about every `every_days`, the last `ago_days` ago.
    Due { every_days: i64, ago_days: i64 },
    /// Bought once, `ago_days` ago.
    Again { ago_days: i64 },
    /// Often in the same order as `with`, which they bought.
    Together { with: String },
    /// Popular among buyers in their segment.
    Segment(Segment),
    /// Popular in the shop.
    Popular,
}

impl SuggestWhy {
    /// The reason in a sentence a seller can say, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SuggestWhy::Due {
                every_days,
                ago_days,
            } => say::due(lang, *every_days, *ago_days),
            SuggestWhy::Again { ago_days } => say::again(lang, *ago_days),
            SuggestWhy::Together { with } => say::together(lang, with),
            SuggestWhy::Segment(s) => say::segment(lang, s.label(lang)),
            SuggestWhy::Popular => say::popular(lang).to_string(),
        }
    }

    /// The English code of the reason, for JSON.
    pub fn code(&self) -> &'static str {
        match self {
            SuggestWhy::Due { .. } => "due",
            SuggestWhy::Again { .. } => "bought-before",
            SuggestWhy::Together { .. } => "bought-together",
            SuggestWhy::Segment(_) => "segment",
            SuggestWhy::Popular => "popular",
        }
    }
}

/// One suggested title.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub title: String,
    /// The model's score, rounded to 4 decimals.
    pub score: f64,
    pub why: SuggestWhy,
}

/// The suggestions' backtest figures.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SuggestBacktest {
    pub buyers: u64,
    pub hit_rate_at_5: f64,
    pub baseline_hit_rate_at_5: f64,
}
