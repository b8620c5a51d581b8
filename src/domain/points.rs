//! The loyalty-points rule applied to one order.

use super::status::OrderStatus;

/// Default rule: 1 point per whole yuan of (paid − refunded) while the order is
/// completed; 0 otherwise, and never below zero.
pub fn points_for_order(status: OrderStatus, paid_fen: i64, refund_fen: i64, per_yuan: i64) -> i64 {
    if status != OrderStatus::Completed {
        return 0;
    }
    (paid_fen.saturating_sub(refund_fen).max(0) / 100).saturating_mul(per_yuan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule() {
        assert_eq!(points_for_order(OrderStatus::Completed, 23880, 0, 1), 238);
        assert_eq!(points_for_order(OrderStatus::Completed, 23880, 30000, 1), 0);
        assert_eq!(points_for_order(OrderStatus::Completed, 1099, 100, 1), 9);
        assert_eq!(points_for_order(OrderStatus::Shipped, 23880, 0, 1), 0);
    }
}
