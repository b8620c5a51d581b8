//! Orders found by what the seller has: an order number (the orders tab's
//! `o`), and one customer's orders page by page (the card reads on as it
//! scrolls, or down to an old order a lookup found).

use super::Store;
use super::query::{ORDER_COLS, OrderRow};
use anyhow::Result;
use rusqlite::params;

impl Store {
    /// The orders with this number (one per platform at most), newest first.
    pub fn orders_by_no(&self, order_no: &str) -> Result<Vec<OrderRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORDER_COLS} FROM orders o JOIN customers c ON c.id = o.customer_id
                 WHERE o.order_no = ? ORDER BY o.created_at DESC, o.id DESC"
            ))?
            .query_map([order_no.trim()], OrderRow::from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// A page of one customer's orders, newest first, after `after` (from the
    /// newest without it): the card reads on as the seller scrolls.
    pub fn customer_orders(
        &self,
        customer_id: i64,
        after: Option<&OrderRow>,
        limit: usize,
    ) -> Result<Vec<OrderRow>> {
        let (at, id) = match after {
            Some(o) => (o.created_at.clone(), o.id),
            None => ("\u{10FFFF}".to_string(), i64::MAX),
        };
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORDER_COLS} FROM orders o JOIN customers c ON c.id = o.customer_id
                 WHERE o.customer_id = ? AND (o.created_at, o.id) < (?, ?)
                 ORDER BY o.created_at DESC, o.id DESC LIMIT ?"
            ))?
            .query_map(
                params![customer_id, at, id, limit as i64],
                OrderRow::from_row,
            )?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// One customer's orders, newest first, down to and including `order`
    /// (its own customer's), and at least `min` of them: the card opened on
    /// an old order shows it.
    pub fn customer_orders_through(&self, order: &OrderRow, min: usize) -> Result<Vec<OrderRow>> {
        let mut rows: Vec<OrderRow> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORDER_COLS} FROM orders o JOIN customers c ON c.id = o.customer_id
                 WHERE o.customer_id = ? AND (o.created_at, o.id) >= (?, ?)
                 ORDER BY o.created_at DESC, o.id DESC"
            ))?
            .query_map(
                params![order.customer_id, order.created_at, order.id],
                OrderRow::from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        if rows.len() < min {
            let last = rows.last().cloned();
            let more = self.customer_orders(order.customer_id, last.as_ref(), min - rows.len())?;
            rows.extend(more);
        }
        Ok(rows)
    }
}
