//! Read side: quick lookup, the customer card, stats.

use super::Store;
use crate::domain::text::search_runs;
pub use crate::model::{
    CustomerCard, CustomerRow, Note, OrderDetail, OrderLine, OrderRow, Receiver, Stats,
};
use anyhow::Result;
use rusqlite::{OptionalExtension, Row, params};

/// A customer's columns, with two figures read per row shown (indexed by
/// customer): the points balance, and the spend over the 12 months ending now
/// (kehu's clock, read through `kehu_now()`/`kehu_spend_since()`) that decides
/// the tier (as `points balance` computes it).
pub(crate) const CUSTOMER_COLS: &str = "c.id, c.platform, c.buyer_key, c.nick, c.name, c.phone, c.orders_count, c.paid_fen, c.refund_fen, c.first_order_at, c.last_order_at, c.last_order_no, c.last_order_status, c.blacklisted,
    (SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.customer_id = c.id),
    (SELECT coalesce(sum(max(o.paid_fen - o.refund_fen, 0)), 0) FROM orders o INDEXED BY orders_customer
      WHERE o.customer_id = c.id AND o.status = 'completed'
        AND o.created_at > kehu_spend_since()
        AND o.created_at <= kehu_now()),
    c.valid_orders, c.last_valid_at,
    coalesce((SELECT pv.value_12m_fen FROM predictions pv WHERE pv.customer_id = c.id), 0)";

impl CustomerRow {
    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<CustomerRow> {
        Ok(CustomerRow {
            id: r.get(0)?,
            platform: r.get(1)?,
            buyer: r.get(2)?,
            nick: r.get(3)?,
            name: r.get(4)?,
            phone: r.get(5)?,
            orders: r.get(6)?,
            paid_fen: r.get(7)?,
            refund_fen: r.get(8)?,
            first_order_at: r.get(9)?,
            last_order_at: r.get(10)?,
            last_order_no: r.get(11)?,
            last_order_status: r.get(12)?,
            blacklisted: r.get::<_, i64>(13)? != 0,
            points: r.get(14)?,
            spend_12m_fen: r.get(15)?,
            valid_orders: r.get(16)?,
            last_valid_at: r.get(17)?,
            value_12m_fen: r.get(18)?,
        })
    }
}

pub(crate) const ORDER_COLS: &str = "o.id, o.platform, o.order_no, o.created_at, o.customer_id, c.nick, o.status, o.status_raw, o.title, o.item_qty, o.paid_fen, o.refund_fen";

impl OrderRow {
    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
        Ok(OrderRow {
            id: r.get(0)?,
            platform: r.get(1)?,
            order_no: r.get(2)?,
            created_at: r.get(3)?,
            customer_id: r.get(4)?,
            buyer: r.get(5)?,
            status: r.get(6)?,
            status_raw: r.get(7)?,
            title: r.get(8)?,
            item_qty: r.get(9)?,
            paid_fen: r.get(10)?,
            refund_fen: r.get(11)?,
        })
    }
}

impl Receiver {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Receiver> {
        Ok(Receiver {
            id: r.get(0)?,
            name: r.get(1)?,
            phone: r.get(2)?,
            address: r.get(3)?,
            first_seen: r.get(4)?,
        })
    }
}

/// The full-text query for a lookup string: bigram phrases for runs of two or
/// more characters, a single-character token otherwise, all required.
pub fn fts_query(q: &str) -> Option<String> {
    let mut parts = Vec::new();
    for run in search_runs(q) {
        let n = run.chars().count();
        if n == 1 {
            parts.push(format!("uni : \"{run}\""));
        } else {
            let mut toks = String::new();
            crate::domain::text::bigram_tokens(&run, &mut toks);
            parts.push(format!("bi : \"{toks}\""));
        }
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

impl Store {
    pub fn stats(&self) -> Result<Stats> {
        let one = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let mut s = Stats {
            customers: one("SELECT count(*) FROM customers WHERE merged_into IS NULL")?,
            orders: one("SELECT count(*) FROM orders")?,
            lines: one("SELECT count(*) FROM order_lines")?,
            rejects: one("SELECT count(*) FROM rejects")?,
            blacklisted: one("SELECT count(*) FROM customers WHERE blacklisted")?,
            points_outstanding: one("SELECT kehu_sum(delta) FROM ledger")?,
            complaints_open: one(
                "SELECT count(*) FROM complaints WHERE status IN ('open', 'processing')",
            )?,
            ..Stats::default()
        };
        let mut st = self.conn.prepare(
            "SELECT status, count(*), kehu_sum(paid_fen), kehu_sum(refund_fen) FROM orders GROUP BY status",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (status, n, paid, refund) = row?;
            s.status_counts.insert(status, n);
            s.paid_fen = s.paid_fen.saturating_add(paid);
            s.refund_fen = s.refund_fen.saturating_add(refund);
        }
        Ok(s)
    }

    /// The customer `spec` names ([`Store::find_customer`]); an error when
    /// several match.
    pub fn resolve_customer(&self, spec: &str) -> Result<Option<i64>> {
        match self.find_customer(spec)? {
            super::CustomerMatch::One(id) => Ok(Some(id)),
            super::CustomerMatch::None => Ok(None),
            super::CustomerMatch::Several { total, .. } => Err(crate::i18n::Text::new(
                format!("{spec} 匹配 {total} 位客户"),
                format!("{spec} matches {total} customers"),
            )
            .into()),
        }
    }

    /// Customers with the most recent orders, each with that order's number.
    pub fn recent_buyers(&self, n: usize) -> Result<Vec<(i64, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, last_order_no FROM customers WHERE last_order_no IS NOT NULL
                 ORDER BY last_order_at DESC, id DESC LIMIT ?",
            )?
            .query_map([n as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub fn customer(&self, id: i64) -> Result<Option<CustomerRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {CUSTOMER_COLS} FROM customers c WHERE c.id = ?"
            ))?
            .query_row([id], CustomerRow::from_row)
            .optional()?)
    }

    /// The customer card: who, where, what they bought, what the seller noted.
    pub fn customer_card(&self, id: i64, recent: usize) -> Result<Option<CustomerCard>> {
        let Some(customer) = self.customer(id)? else {
            return Ok(None);
        };
        let receivers = self
            .conn
            .prepare_cached(
                "SELECT id, name, phone, address, first_seen FROM receivers WHERE customer_id = ? ORDER BY first_seen DESC, id DESC",
            )?
            .query_map([id], Receiver::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let recent_orders = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORDER_COLS} FROM orders o JOIN customers c ON c.id = o.customer_id
                 WHERE o.customer_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?"
            ))?
            .query_map(params![id, recent as i64], OrderRow::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let notes = self
            .conn
            .prepare_cached(
                "SELECT id, created_at, updated_at, body FROM notes
                 WHERE customer_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC",
            )?
            .query_map([id], |r| {
                Ok(Note {
                    id: r.get(0)?,
                    created_at: r.get(1)?,
                    updated_at: r.get(2)?,
                    body: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let tags = self
            .conn
            .prepare_cached("SELECT tag FROM tags WHERE customer_id = ? ORDER BY tag")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let blacklist = match customer.blacklisted {
            true => self.blacklist_latest(id)?.filter(|e| e.listed),
            false => None,
        };
        Ok(Some(CustomerCard {
            customer,
            receivers,
            recent_orders,
            notes,
            tags,
            blacklist,
        }))
    }

    /// The order card.
    pub fn order_detail(&self, id: i64) -> Result<Option<OrderDetail>> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORDER_COLS}, o.goods_fen, o.postage_fen, o.total_fen, o.paid_at, o.shipped_at,
                 o.completed_at, o.message, o.remark, o.carrier, o.tracking_no, o.close_reason, o.receiver_id
                 FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?"
            ))?
            .query_row([id], |r| {
                Ok((
                    OrderRow::from_row(r)?,
                    (r.get(12)?, r.get(13)?, r.get(14)?),
                    (r.get(15)?, r.get(16)?, r.get(17)?),
                    (r.get(18)?, r.get(19)?, r.get(20)?, r.get(21)?, r.get(22)?),
                    r.get::<_, Option<i64>>(23)?,
                ))
            })
            .optional()?;
        let Some((order, money, times, text, receiver_id)) = row else {
            return Ok(None);
        };
        let receiver = match receiver_id {
            Some(rid) => self
                .conn
                .prepare_cached(
                    "SELECT id, name, phone, address, first_seen FROM receivers WHERE id = ?",
                )?
                .query_row([rid], Receiver::from_row)
                .optional()?,
            None => None,
        };
        let lines = self
            .conn
            .prepare_cached(
                "SELECT line_no, title, props, price_fen, qty, refund_fen, merchant_code FROM order_lines WHERE order_id = ? ORDER BY line_no",
            )?
            .query_map([id], |r| {
                Ok(OrderLine {
                    line_no: r.get(0)?,
                    title: r.get(1)?,
                    props: r.get(2)?,
                    price_fen: r.get(3)?,
                    qty: r.get(4)?,
                    refund_fen: r.get(5)?,
                    merchant_code: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let (goods_fen, postage_fen, total_fen) = money;
        let (paid_at, shipped_at, completed_at) = times;
        let (message, remark, carrier, tracking_no, close_reason) = text;
        Ok(Some(OrderDetail {
            order,
            goods_fen,
            postage_fen,
            total_fen,
            paid_at,
            shipped_at,
            completed_at,
            message,
            remark,
            carrier,
            tracking_no,
            close_reason,
            receiver,
            lines,
        }))
    }
}
