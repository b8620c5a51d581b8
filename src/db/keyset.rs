//! Which way a paged list is read, and the keyset reads by id alone
//! (complaints, the points ledger) that the store's lists share. The lists
//! sorted by a key and an id (customers, orders) build theirs in `views.rs`.

pub use crate::model::Direction;
use anyhow::Result;

/// Read a list turned upside down through the reader of its usual order:
/// down the turned list is up the usual one, rows reversed.
pub fn flip_read<T>(
    flip: bool,
    dir: Direction,
    read: impl FnOnce(Direction) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    if !flip {
        return read(dir);
    }
    let mut rows = read(dir.reverse())?;
    rows.reverse();
    Ok(rows)
}

/// A keyset read by id alone, over a list sorted by id: the comparison with
/// the bound, the order to read in and the bound itself. Rows come back in
/// reading order; a read `Up` the list reverses them into list order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct IdKeyset {
    pub cmp: &'static str,
    pub order: &'static str,
    pub bound: i64,
}

impl IdKeyset {
    /// Read from the row with id `cursor` (from an end of the list when
    /// `None`) in `dir`, over a list sorted by id `descending` or ascending;
    /// `inclusive` also reads the cursor's row.
    pub fn new(descending: bool, cursor: Option<i64>, dir: Direction, inclusive: bool) -> IdKeyset {
        let to_smaller = descending == (dir == Direction::Down);
        let inclusive = inclusive || cursor.is_none();
        match (to_smaller, inclusive) {
            (true, false) => IdKeyset {
                cmp: "<",
                order: "DESC",
                bound: cursor.unwrap_or(i64::MAX),
            },
            (true, true) => IdKeyset {
                cmp: "<=",
                order: "DESC",
                bound: cursor.unwrap_or(i64::MAX),
            },
            (false, false) => IdKeyset {
                cmp: ">",
                order: "ASC",
                bound: cursor.unwrap_or(i64::MIN),
            },
            (false, true) => IdKeyset {
                cmp: ">=",
                order: "ASC",
                bound: cursor.unwrap_or(i64::MIN),
            },
        }
    }
}
