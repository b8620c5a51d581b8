//! The app's labels. They live in [`crate::i18n`] with the command line's,
//! so both say the same thing; this path is kept for the views. The
//! complaint fields are named by their `domain::complaint` enums (i18n sits
//! below domain and does not import it), read here for the views.

pub use crate::i18n::app::{S, shown_of, t};
pub use crate::i18n::labels::{complaint_event, ledger_kind, status};

use crate::i18n::Lang;

/// A complaint status, category or severity code, localised; unknown codes
/// are shown as they are (made one line).
pub fn complaint_status(lang: Lang, code: &str) -> String {
    use crate::domain::complaint::ComplaintStatus;
    ComplaintStatus::parse(code)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| crate::domain::text::one_line(code).into_owned())
}

pub fn complaint_category(lang: Lang, code: &str) -> String {
    use crate::domain::complaint::Category;
    Category::parse(code)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| crate::domain::text::one_line(code).into_owned())
}

pub fn complaint_severity(lang: Lang, code: &str) -> String {
    use crate::domain::complaint::Severity;
    Severity::parse(code)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| crate::domain::text::one_line(code).into_owned())
}

pub fn complaint_channel(lang: Lang, code: &str) -> String {
    use crate::domain::complaint::Channel;
    Channel::parse(code)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| crate::domain::text::one_line(code).into_owned())
}
