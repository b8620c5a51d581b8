//! The order columns a report row sets, listed once: each column's name with
//! the value a row gives it. The loader's INSERT and UPDATE of `orders` are
//! built from this list (once, then prepared and cached like any other
//! statement) and bound from it, so a new column is one line here.

use crate::model::OrderRecord;
use rusqlite::ToSql;
use std::sync::LazyLock;

/// What a row's order columns are read from: the record, with the buyer and
/// receiver it was matched to and its status code.
pub(super) struct Facts<'a> {
    customer_id: i64,
    receiver_id: Option<i64>,
    status: &'static str,
    o: &'a OrderRecord,
}

impl<'a> Facts<'a> {
    pub(super) fn new(customer_id: i64, receiver_id: Option<i64>, o: &'a OrderRecord) -> Self {
        Facts {
            customer_id,
            receiver_id,
            status: o.status.code(),
            o,
        }
    }

    /// The values of [`ORDER_FACTS`], in its order.
    pub(super) fn values(&self) -> impl Iterator<Item = &dyn ToSql> {
        ORDER_FACTS.iter().map(move |(_, get)| get(self))
    }
}

type Get = for<'r> fn(&'r Facts<'_>) -> &'r dyn ToSql;

/// The columns of `orders` a report row gives (besides the keys `platform` and
/// `order_no`, the fingerprint `fp` and the batch ids), each with its value.
/// An updated order takes all of them; one whose values all equal the stored
/// ones is left as it is.
pub(super) const ORDER_FACTS: [(&str, Get); 22] = [
    ("customer_id", |f| &f.customer_id),
    ("receiver_id", |f| &f.receiver_id),
    ("status", |f| &f.status),
    ("status_raw", |f| &f.o.status_raw),
    ("goods_fen", |f| &f.o.goods_fen),
    ("postage_fen", |f| &f.o.postage_fen),
    ("total_fen", |f| &f.o.total_fen),
    ("paid_fen", |f| &f.o.paid_fen),
    ("refund_fen", |f| &f.o.refund_fen),
    ("created_at", |f| &f.o.created_at),
    ("paid_at", |f| &f.o.paid_at),
    ("shipped_at", |f| &f.o.shipped_at),
    ("completed_at", |f| &f.o.completed_at),
    ("title", |f| &f.o.title),
    ("item_kinds", |f| &f.o.item_kinds),
    ("item_qty", |f| &f.o.item_qty),
    ("message", |f| &f.o.message),
    ("remark", |f| &f.o.remark),
    ("carrier", |f| &f.o.carrier),
    ("tracking_no", |f| &f.o.tracking_no),
    ("close_reason", |f| &f.o.close_reason),
    ("shop", |f| &f.o.shop),
];

fn names() -> impl Iterator<Item = &'static str> {
    ORDER_FACTS.iter().map(|(name, _)| *name)
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// A new order. Parameters: platform, order number, [`ORDER_FACTS`], fp, batch id.
pub(super) static INSERT_ORDER: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO orders (platform, order_no, {}, fp, batch_id) VALUES ({})",
        join(names().map(str::to_string)),
        join((0..ORDER_FACTS.len() + 4).map(|_| "?".to_string())),
    )
});

/// A stored order given other facts; changes nothing (0 rows) when they are
/// all the stored ones. Parameters: [`ORDER_FACTS`], the batch id (as
/// `updated_batch_id`), the order id.
pub(super) static UPDATE_ORDER: LazyLock<String> = LazyLock::new(|| {
    let n = ORDER_FACTS.len();
    format!(
        "UPDATE orders SET {}, updated_batch_id = ?{} WHERE id = ?{} AND ({}) IS NOT ({})",
        join(
            names()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
        ),
        n + 1,
        n + 2,
        join(names().map(str::to_string)),
        join((1..=n).map(|i| format!("?{i}"))),
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The list is the schema's `orders` table but for the columns the loader
    /// writes itself: a column added by a migration and not here fails.
    #[test]
    fn list_is_the_schema_columns_but_keys_and_batches() {
        let store = crate::db::Store::open_in_memory().unwrap();
        let schema: Vec<String> = store
            .conn
            .prepare("SELECT name FROM pragma_table_info('orders') ORDER BY cid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let own = [
            "id",
            "platform",
            "order_no",
            "fp",
            "batch_id",
            "updated_batch_id",
        ];
        let given: Vec<&str> = schema
            .iter()
            .map(String::as_str)
            .filter(|c| !own.contains(c))
            .collect();
        assert_eq!(given, names().collect::<Vec<_>>());
    }

    #[test]
    fn statements_bind_every_column() {
        let placeholders = |s: &str| s.matches('?').count();
        assert_eq!(placeholders(&INSERT_ORDER), ORDER_FACTS.len() + 4);
        assert!(
            UPDATE_ORDER
                .contains("shop = ?22, updated_batch_id = ?23 WHERE id = ?24 AND (customer_id, ")
        );
        assert!(UPDATE_ORDER.ends_with(", shop) IS NOT (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"));
    }
}
