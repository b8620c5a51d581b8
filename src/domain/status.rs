//! Order status: the normalised set, its rank, and each platform's wording.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord, Default)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    #[default]
    Unknown,
    Unpaid,
    Paid,
    Shipped,
    Completed,
    Closed,
    Refunded,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::Unpaid,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Completed,
        OrderStatus::Closed,
        OrderStatus::Refunded,
        OrderStatus::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Unknown => "unknown",
            OrderStatus::Unpaid => "unpaid",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Completed => "completed",
            OrderStatus::Closed => "closed",
            OrderStatus::Refunded => "refunded",
        }
    }

    pub fn from_code(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|st| st.code() == s)
    }

    /// A valid order: paid, shipped or completed (RFM, analyses and
    /// predictions count these; an unpaid, closed or refunded order is not a
    /// purchase).
    pub fn is_valid(self) -> bool {
        matches!(
            self,
            OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Completed
        )
    }

    /// unknown < unpaid < paid < shipped < completed < closed = refunded.
    pub fn rank(self) -> u8 {
        match self {
            OrderStatus::Unknown => 0,
            OrderStatus::Unpaid => 1,
            OrderStatus::Paid => 2,
            OrderStatus::Shipped => 3,
            OrderStatus::Completed => 4,
            OrderStatus::Closed | OrderStatus::Refunded => 5,
        }
    }
}

/// The codes of the valid statuses as an SQL list (`'paid','shipped','completed'`),
/// for `status IN (…)`.
pub fn valid_codes_sql() -> String {
    OrderStatus::ALL
        .iter()
        .filter(|s| s.is_valid())
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(",")
}

fn canon(raw: &str) -> String {
    raw.trim().replace([',', '，'], "，")
}

/// Taobao/Tmall 订单状态. 交易关闭 is `refunded` when a refund was paid.
pub fn taobao_status(raw: &str, refund_fen: i64) -> OrderStatus {
    match canon(raw).as_str() {
        "等待买家付款" => OrderStatus::Unpaid,
        "买家已付款，等待卖家发货" | "等待卖家发货" => OrderStatus::Paid,
        "卖家部分发货" | "卖家已发货，等待买家确认" | "等待买家确认收货" | "买家已签收" => {
            OrderStatus::Shipped
        }
        "交易成功" => OrderStatus::Completed,
        "交易关闭" | "交易被淘宝关闭" | "交易被天猫关闭" => {
            if refund_fen > 0 {
                OrderStatus::Refunded
            } else {
                OrderStatus::Closed
            }
        }
        _ => OrderStatus::Unknown,
    }
}

/// Pinduoduo 订单状态.
pub fn pdd_status(raw: &str) -> OrderStatus {
    match canon(raw).as_str() {
        "待支付" | "待付款" => OrderStatus::Unpaid,
        "待发货" | "已付款，待发货" | "待成团" => OrderStatus::Paid,
        "已发货，待签收" | "已发货" | "待收货" => OrderStatus::Shipped,
        "已签收" | "已完成" | "交易成功" => OrderStatus::Completed,
        "已取消" | "交易关闭" => OrderStatus::Closed,
        "未发货，退款成功" | "已发货，退款成功" | "退款成功" => {
            OrderStatus::Refunded
        }
        _ => OrderStatus::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taobao_mapping() {
        assert_eq!(
            taobao_status("买家已付款,等待卖家发货", 0),
            OrderStatus::Paid
        );
        assert_eq!(taobao_status("买家已签收", 0), OrderStatus::Shipped);
        assert_eq!(taobao_status("卖家部分发货", 0), OrderStatus::Shipped);
        assert_eq!(taobao_status("交易成功", 500), OrderStatus::Completed);
        assert_eq!(taobao_status("交易关闭", 500), OrderStatus::Refunded);
        assert_eq!(taobao_status("交易关闭", 0), OrderStatus::Closed);
        assert_eq!(taobao_status("奇怪的状态", 0), OrderStatus::Unknown);
    }

    #[test]
    fn pdd_mapping() {
        assert_eq!(pdd_status("已签收"), OrderStatus::Completed);
        assert_eq!(pdd_status("已发货,待签收"), OrderStatus::Shipped);
        assert_eq!(pdd_status("未发货，退款成功"), OrderStatus::Refunded);
    }

    #[test]
    fn ranks() {
        assert!(OrderStatus::Unknown.rank() < OrderStatus::Unpaid.rank());
        assert_eq!(OrderStatus::Closed.rank(), OrderStatus::Refunded.rank());
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
    }
}
