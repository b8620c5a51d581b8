//! Why a whole file is refused: the cases the parser tells apart (the
//! parser turns what stopped its reading into one of them, `import/refusal.rs`).
//! The words are in [`crate::i18n::import`].

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
    /// A file named `.xlsx` (or `.xlsm`) that is not a workbook.
    NotAWorkbook {
        ext: String,
    },
    /// A workbook protected by a password.
    Encrypted,
    /// A workbook that cannot be read.
    DamagedWorkbook {
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
            Refusal::NotAWorkbook { ext } => crate::i18n::workbook::not_a_workbook(ext),
            Refusal::Encrypted => crate::i18n::workbook::encrypted(),
            Refusal::DamagedWorkbook { detail } => crate::i18n::workbook::damaged(detail),
            Refusal::Io(e) => say::unreadable(e),
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
