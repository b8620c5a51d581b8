//! Why a whole file is refused: the cases the parser tells apart, and what
//! stopped the reading (I/O, undecodable bytes, an open quote) as one of them.
//! The words are in [`crate::i18n::import`].

use super::decode::UndecodableAt;
use super::records::Stop;
use crate::i18n::{Lang, Text, import as say};
use std::fmt;

/// Why a whole file is refused. Nothing of it is written.
#[derive(Debug)]
pub enum Refusal {
    Empty,
    NotAnExport {
        line: u64,
        found: String,
    },
    MissingColumns {
        /// The report's name, in Chinese and English.
        report: (&'static str, &'static str),
        /// The columns, as the export names them;
        /// [`say::BUYER_KEY`] for the buyer.
        missing: Vec<&'static str>,
    },
    Undecodable {
        line: u64,
    },
    Truncated {
        line: u64,
    },
    StrayQuote {
        line: u64,
    },
    TooLong {
        line: u64,
    },
    NoLineBreak,
    Container {
        kind: String,
    },
    DuplicateColumn {
        column: String,
    },
    Malformed {
        line: u64,
        detail: String,
    },
    Io(std::io::Error),
}

impl Refusal {
    /// The refusal in words, one safe line whatever the file held.
    pub fn message(&self, lang: Lang) -> String {
        crate::domain::text::one_line(self.text().get(lang)).into_owned()
    }

    /// The refusal in both languages.
    pub fn text(&self) -> Text {
        match self {
            Refusal::Empty => say::empty(),
            Refusal::NotAnExport { line, found } => say::not_an_export(*line, found),
            Refusal::MissingColumns { report, missing } => say::missing_columns(*report, missing),
            Refusal::Undecodable { line } => say::undecodable(*line),
            Refusal::Truncated { line } => say::truncated(*line),
            Refusal::StrayQuote { line } => say::stray_quote(*line),
            Refusal::TooLong { line } => say::too_long(*line),
            Refusal::NoLineBreak => say::no_line_break(),
            Refusal::Container { kind } => say::container(kind),
            Refusal::DuplicateColumn { column } => say::duplicate_column(column),
            Refusal::Malformed { line, detail } => say::malformed(*line, detail),
            Refusal::Io(e) => say::unreadable(e),
        }
    }

    pub(super) fn from_io(e: std::io::Error, line: u64) -> Refusal {
        if let Some(at) = e.get_ref().and_then(|r| r.downcast_ref::<UndecodableAt>()) {
            return Refusal::Undecodable { line: at.line };
        }
        if e.kind() == std::io::ErrorKind::InvalidData {
            return Refusal::Undecodable { line };
        }
        Refusal::Io(e)
    }

    /// Why the records stopped, for a report `width` cells wide.
    pub(super) fn from_stop(stop: Stop, width: usize) -> Refusal {
        match stop {
            Stop::Undecodable { line } => Refusal::Undecodable { line },
            Stop::OpenQuote {
                record_line,
                quote_line,
                delimiters_after_break,
            } => {
                // The open cell holds whole rows after a line break: a quote
                // opened by mistake, not a download cut inside a message.
                if delimiters_after_break >= (width as u64 / 2).max(3) {
                    Refusal::StrayQuote { line: quote_line }
                } else {
                    Refusal::Truncated { line: record_line }
                }
            }
            Stop::TooLong { line } => Refusal::TooLong { line },
            Stop::NoLineBreak => Refusal::NoLineBreak,
            Stop::Io(e) => Refusal::from_io(e, 0),
        }
    }
}

/// The Chinese, as `{e}` has always read.
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().zh)
    }
}

impl std::error::Error for Refusal {}
