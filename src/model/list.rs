//! Lists read a page at a time: sort keys, cursors, directions and the list queries.

use super::customer::CustomerRow;
use super::order::OrderRow;
use crate::domain::segment::{Segment, SegmentRules};
use crate::domain::tier::{Tier, TierThresholds};
/// Which way to read from a cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Down the list, toward its bottom (smaller keys in a newest-first
    /// list, bigger ids in the oldest-first ledger). Without a cursor: from
    /// the top.
    Down,
    /// Up the list, toward its top. Without a cursor: from the bottom. Rows
    /// come back in list order (top first) all the same.
    Up,
}

/// A row's position in a sorted list: its sort key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: SortValue,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    Text(String),
    Int(i64),
    Null,
}

/// How the customers list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSort {
    #[default]
    LastOrder,
    Paid,
    /// By predicted net spend over the next 12 months.
    Value,
    /// By receiver name, A to Z in pinyin; buyers without a name last.
    Name,
}

/// The customers list: sort and filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CustomerQuery {
    pub sort: CustomerSort,
    pub blacklisted_only: bool,
    /// Only the valuable customers at risk (see `model::predict`).
    pub at_risk_only: bool,
    /// Only the customers of one RFM segment.
    pub segment: Option<Segment>,
    pub segment_rules: SegmentRules,
    /// Only the customers of one member tier (by 12-month spend).
    pub tier: Option<Tier>,
    pub tiers: TierThresholds,
}

/// The orders list: newest first, optionally one status and a recent window.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderQuery {
    /// A status code (`completed`, …); `None` for all.
    pub status: Option<String>,
    /// Only orders created in the last this many days (Beijing time).
    pub days: Option<u32>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

impl Direction {
    pub fn reverse(self) -> Direction {
        match self {
            Direction::Down => Direction::Up,
            Direction::Up => Direction::Down,
        }
    }
}

impl CustomerQuery {
    /// The cursor of a row under this sort.
    pub fn cursor(&self, c: &CustomerRow) -> Cursor {
        let key = match self.sort {
            CustomerSort::LastOrder => match &c.last_order_at {
                Some(t) => SortValue::Text(t.clone()),
                None => SortValue::Null,
            },
            CustomerSort::Paid => SortValue::Int(c.paid_fen),
            CustomerSort::Value => SortValue::Int(c.value_12m_fen),
            CustomerSort::Name => match crate::domain::pinyin::sort_key(&c.name) {
                Some(k) => SortValue::Text(k),
                None => SortValue::Null,
            },
        };
        Cursor { key, id: c.id }
    }
}

impl OrderQuery {
    pub fn cursor(&self, o: &OrderRow) -> Cursor {
        Cursor {
            key: SortValue::Text(o.created_at.clone()),
            id: o.id,
        }
    }
}
