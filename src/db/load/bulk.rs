//! Bulk mode, for a big file: the stored order numbers read once into an
//! [`OrderMap`], a larger page cache, and — on a nearly empty database — the
//! secondary indexes dropped here and rebuilt once by the end-of-file pass.

use super::order_map::{OrderMap, Stored};
use super::{Loader, trace};
use crate::model::ReportKind;

/// Bulk mode drops and rebuilds secondary indexes only when the database held
/// at most this many orders before the file: rebuilding is then cheaper than
/// maintaining the indexes row by row.
const REBUILD_INDEXES_MAX_ORDERS: i64 = 32_768;

/// A secondary index taken down for a bulk load, with the SQL that made it.
pub(super) struct DroppedIndex {
    table: String,
    sql: String,
}

/// Page cache in bulk mode, in KiB (the connection's default is 32 MiB): at
/// 1M orders, 64 MiB takes a fresh import from about 60 s to 50 s for a peak
/// of about 185 MB instead of 150 MB.
const BULK_CACHE_KIB: u32 = 65_536;

/// The tables whose secondary indexes a bulk load of orders rebuilds.
const BULK_TABLES: [&str; 4] = ["orders", "receivers", "customers", "ledger"];

impl Loader<'_> {
    /// Switch to bulk mode: read the stored order numbers once; on a nearly
    /// empty database, also take the secondary indexes down (rebuilt in `finish`,
    /// inside this transaction, so a refused file still leaves nothing behind).
    pub(super) fn go_bulk(&mut self) -> rusqlite::Result<()> {
        let column = match self.kind {
            ReportKind::Orders => Stored::Fp,
            ReportKind::Items => Stored::LinesFp,
        };
        self.map = Some(match (self.carried.take(), column) {
            (Some(map), Stored::LinesFp) => map.into_lines_fp(self.tx)?,
            _ => OrderMap::load(self.tx, self.platform, column)?,
        });
        trace("order map read");
        // A big file: a larger page cache keeps the pages it revisits (foreign
        // key checks, unique indexes, the end-of-file passes) out of the WAL.
        // A first import has no log (and no foreign-key checks): at 1M orders
        // it ran no faster with the larger cache, for 32 MB more memory.
        let mode: String = self.tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("wal") {
            self.tx
                .pragma_update(None, "cache_size", -(BULK_CACHE_KIB as i64))?;
        }
        if self.kind == ReportKind::Orders && self.orders_before <= REBUILD_INDEXES_MAX_ORDERS {
            let mut stmt = self.tx.prepare(
                "SELECT name, tbl_name, sql FROM sqlite_master
                 WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?, ?, ?, ?) ORDER BY rowid",
            )?;
            let found: Vec<(String, String, String)> = stmt
                .query_map(BULK_TABLES, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, table, sql) in found {
                self.tx
                    .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
                self.dropped.push(DroppedIndex { table, sql });
            }
        }
        Ok(())
    }

    /// Rebuild the dropped indexes of `table`.
    pub(super) fn rebuild_indexes(&mut self, table: &str) -> rusqlite::Result<()> {
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.dropped)
            .into_iter()
            .partition(|d| d.table == table);
        self.dropped = later;
        for d in now {
            self.tx.execute_batch(&d.sql)?;
        }
        Ok(())
    }
}
