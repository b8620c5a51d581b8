//! What stopped the reading of a report (I/O, undecodable bytes, an open
//! quote, a record too long) as the [`Refusal`] a seller reads.

use super::decode::UndecodableAt;
use super::records::Stop;
pub use crate::model::refusal::Refusal;

impl Refusal {
    pub(crate) fn from_io(e: std::io::Error, line: u64) -> Refusal {
        if let Some(at) = e.get_ref().and_then(|r| r.downcast_ref::<UndecodableAt>()) {
            return Refusal::Undecodable { line: at.line };
        }
        if e.kind() == std::io::ErrorKind::InvalidData {
            return Refusal::Undecodable { line };
        }
        Refusal::Io(e)
    }

    /// Why the records stopped, for a report `width` cells wide.
    pub(crate) fn from_stop(stop: Stop, width: usize) -> Refusal {
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
