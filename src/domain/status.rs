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

/// A platform's 订单状态 wording into the six statuses. `refund_fen` is the
/// money that went back: a closed order is `refunded` only when it is above 0.
pub fn map(platform: crate::domain::Platform, raw: &str, refund_fen: i64) -> OrderStatus {
    use crate::domain::Platform;
    let st = match platform {
        Platform::Taobao => return taobao_status(raw, refund_fen),
        Platform::Pdd => pdd_status(raw),
        Platform::Douyin => douyin_status(raw),
        Platform::Jd => jd_status(raw),
        Platform::Kuaishou => kuaishou_status(raw),
        Platform::Youzan => youzan_status(raw),
    };
    closed_or_refunded(st, refund_fen)
}

/// A closed order whose money went back is refunded.
fn closed_or_refunded(st: OrderStatus, refund_fen: i64) -> OrderStatus {
    if st == OrderStatus::Closed && refund_fen > 0 {
        OrderStatus::Refunded
    } else {
        st
    }
}

/// Douyin 抖店 订单状态 (of each 子订单 row). A refund is not in this
/// column: 售后状态 says when the money went back, and a closed row whose
/// money went back is refunded (see [`map`]).
pub fn douyin_status(raw: &str) -> OrderStatus {
    match canon(raw).as_str() {
        "待支付" | "待付款" | "未支付" => OrderStatus::Unpaid,
        "待发货" | "备货中" | "已支付" | "待确认" | "已付款" | "待成团" => {
            OrderStatus::Paid
        }
        "已发货" | "部分发货" | "待收货" | "已签收" | "待确认收货" => {
            OrderStatus::Shipped
        }
        "已完成" | "交易成功" | "交易完成" => OrderStatus::Completed,
        "已关闭" | "已取消" | "交易关闭" | "订单关闭" | "订单取消" => {
            OrderStatus::Closed
        }
        _ => OrderStatus::Unknown,
    }
}

/// JD POP 订单状态; `(锁定)` and `(删除)` prefixes (one or both, either
/// bracket width) keep the base status: `(锁定)等待出库` is paid.
pub fn jd_status(raw: &str) -> OrderStatus {
    let mut s = canon(raw);
    while let Some(rest) = ["(锁定)", "（锁定）", "(删除)", "（删除）"]
        .iter()
        .find_map(|p| s.strip_prefix(p))
    {
        s = rest.trim().to_string();
    }
    match s.as_str() {
        "等待付款" | "等待付款确认" => OrderStatus::Unpaid,
        "等待出库" | "等待发货" | "等待打印" | "等待拣货" | "正在出库" | "暂停" => {
            OrderStatus::Paid
        }
        "等待确认收货" | "配送退货" | "已出库" | "上门提货" => {
            OrderStatus::Shipped
        }
        "完成" | "已完成" => OrderStatus::Completed,
        "已取消" | "取消" | "取消订单" => OrderStatus::Closed,
        _ => OrderStatus::Unknown,
    }
}

/// Kuaishou 快手小店 订单状态. 已收货 is the buyer's confirmation (what
/// completes an order, like Taobao's 交易成功); 订单成功 follows it once the
/// after-sale window ends. 交易关闭 is `refunded` when the 退货退款 column says
/// the money went back (the import settles that, [`map`] with a refund).
pub fn kuaishou_status(raw: &str) -> OrderStatus {
    match canon(raw).as_str() {
        "待付款" | "待支付" | "未付款" => OrderStatus::Unpaid,
        "待发货" | "已付款" | "已支付" | "待成团" => OrderStatus::Paid,
        "已发货" | "待收货" | "部分发货" => OrderStatus::Shipped,
        "已收货" | "交易成功" | "已完成" | "订单成功" => OrderStatus::Completed,
        "交易关闭" | "已关闭" | "已取消" | "订单关闭" | "订单失败" => {
            OrderStatus::Closed
        }
        _ => OrderStatus::Unknown,
    }
}

/// Youzan 有赞 订单状态. The refund lives in its own column (退款状态): a
/// closed order is `refunded` when it says the money went back.
pub fn youzan_status(raw: &str) -> OrderStatus {
    match canon(raw).as_str() {
        "待付款" | "等待买家付款" | "未付款" => OrderStatus::Unpaid,
        "待发货" | "等待商家发货" | "已付款" | "待成团" | "待接单" | "已接单" => {
            OrderStatus::Paid
        }
        "已发货" | "商家已发货" | "等待买家确认收货" | "部分发货" | "待收货" => {
            OrderStatus::Shipped
        }
        "交易完成" | "已完成" | "交易成功" => OrderStatus::Completed,
        "交易关闭" | "已关闭" | "已取消" | "订单关闭" => OrderStatus::Closed,
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
    fn douyin_mapping() {
        use crate::domain::Platform::Douyin;
        assert_eq!(douyin_status("待发货"), OrderStatus::Paid);
        assert_eq!(douyin_status("部分发货"), OrderStatus::Shipped);
        assert_eq!(douyin_status("已完成"), OrderStatus::Completed);
        assert_eq!(map(Douyin, "已关闭", 0), OrderStatus::Closed);
        assert_eq!(map(Douyin, "已关闭", 990), OrderStatus::Refunded);
        assert_eq!(map(Douyin, "已完成", 990), OrderStatus::Completed);
        assert_eq!(douyin_status("奇怪"), OrderStatus::Unknown);
    }

    #[test]
    fn jd_mapping_keeps_the_base_of_prefixed_forms() {
        for (raw, want) in [
            ("等待付款", OrderStatus::Unpaid),
            ("等待出库", OrderStatus::Paid),
            ("(锁定)等待出库", OrderStatus::Paid),
            ("（锁定）等待确认收货", OrderStatus::Shipped),
            ("(删除)完成", OrderStatus::Completed),
            ("(删除)(锁定)已取消", OrderStatus::Closed),
            ("等待确认收货", OrderStatus::Shipped),
            ("完成", OrderStatus::Completed),
            ("已取消", OrderStatus::Closed),
        ] {
            assert_eq!(jd_status(raw), want, "{raw}");
        }
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
