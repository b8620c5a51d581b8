//! Reading platform exports: decoding, header detection, column presets and
//! cell clean-up. Yields typed records; the store writes them.

pub mod clean;
pub mod decode;
pub(crate) mod fill;
pub mod parse;
#[cfg(test)]
mod platform_tests;
pub mod presets;
pub use crate::model::{reason, record};
pub mod open;
pub mod records;
pub mod refusal;
pub mod source;
pub mod xlsx;
mod xlsx_cells;

pub use parse::ReportReader;
pub use presets::ReportKind;
pub use reason::Reason;
pub use record::{LineRecord, OrderRecord, RejectedRow, Row};
pub use refusal::Refusal;
