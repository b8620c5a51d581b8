//! Where a report's records come from: CSV text, or the rows of a workbook's
//! sheet. Either way a record is a `csv::ByteRecord` with its place, so the
//! header search, the column mapping and every cleaning rule read both alike.

use super::presets::ColumnMap;
use super::records::{Meta, Records};
use super::refusal::Refusal;
use super::xlsx::SheetRows;
use std::io::Read;

pub enum Source<R> {
    Csv(Records<R>),
    Sheet(Box<SheetRows>),
}

impl<R: Read> Source<R> {
    /// The next record into `rec`, or `None` at the end; a report `width`
    /// cells wide (for telling a stray quote from a cut download).
    pub fn read(
        &mut self,
        rec: &mut csv::ByteRecord,
        width: usize,
    ) -> Result<Option<Meta>, Refusal> {
        match self {
            Source::Csv(c) => c.read(rec).map_err(|e| Refusal::from_stop(e, width)),
            Source::Sheet(s) => s.read(rec),
        }
    }

    /// The header was found: the columns the rows are read by (a sheet
    /// writes numbers and dates by what their column holds).
    pub fn set_columns(&mut self, map: &ColumnMap) {
        if let Source::Sheet(s) = self {
            s.set_columns(map);
        }
    }

    /// Raw bytes read so far (for a progress bar; a sheet's is estimated
    /// from its rows).
    pub fn bytes_read(&self) -> u64 {
        match self {
            Source::Csv(c) => c.get_ref().consumed,
            Source::Sheet(s) => s.bytes_read(),
        }
    }
}
