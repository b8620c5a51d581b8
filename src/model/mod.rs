//! Plain data that passes between layers: the rows, list queries and
//! summaries the store gives and the app and the views show. No rusqlite and
//! no I/O here; the store reads and writes these (`db`), the app holds them
//! (`app`), the views draw them (`ui`), the CLI prints them (`cli`).

pub mod analyse;
pub mod campaign;
pub mod complaint;
pub mod customer;
pub mod followup;
pub mod history;
pub mod list;
pub mod lookup;
pub mod merge;
pub mod order;
pub mod points;
pub mod predict;
pub mod reason;
pub mod record;
pub mod refusal;
pub mod suggest;
pub mod summary;
pub mod today;
pub mod undo;

pub use analyse::{Analysis, GroupRow, ItemRow, MonthRange, MonthRow};
pub use campaign::*;
pub use complaint::*;
pub use customer::*;
pub use followup::*;
pub use history::*;
pub use list::*;
pub use lookup::*;
pub use merge::*;
pub use order::*;
pub use points::*;
pub use predict::*;
pub use reason::Reason;
pub use record::{
    Fingerprint, LineRecord, OrderRecord, Records, RejectedRow, ReportKind, Row, RowRef,
};
pub use refusal::Refusal;
pub use suggest::*;
pub use summary::FileSummary;
pub use today::*;
pub use undo::*;
