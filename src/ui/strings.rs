//! The app's labels. They live in [`crate::i18n`] with the command line's,
//! so both say the same thing; this path is kept for the views.

pub use crate::i18n::app::{S, shown_of, t};
pub use crate::i18n::labels::{
    complaint_category, complaint_channel, complaint_event, complaint_severity, complaint_status,
    ledger_kind, status,
};
