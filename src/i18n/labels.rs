//! Names of the codes kehu stores (order statuses, ledger kinds, complaint
//! events), one name each for the app, the command line and exports.
//! Complaint statuses, categories, severities and channels are named by
//! their enums in `domain::complaint` (which this layer does not import).

use super::Lang;

/// An order status code in the seller's language.
pub fn status(lang: Lang, code: &str) -> &'static str {
    let (zh, en) = match code {
        "unpaid" => ("待付款", "unpaid"),
        "paid" => ("待发货", "paid"),
        "shipped" => ("已发货", "shipped"),
        "completed" => ("交易成功", "completed"),
        "closed" => ("已关闭", "closed"),
        "refunded" => ("已退款", "refunded"),
        _ => ("未知", "unknown"),
    };
    lang.t(zh, en)
}

/// A points ledger entry's kind. Points are earned when an order completes
/// (not when it is placed), hence 订单积分, and a refund takes them back
/// (退款扣回, in plain words rather than the bookkeeper's 冲回).
pub fn ledger_kind(lang: Lang, code: &str) -> &'static str {
    let (zh, en) = match code {
        "earn" => ("订单积分", "earn"),
        "reverse" => ("退款扣回", "reverse"),
        "redeem" => ("兑换", "redeem"),
        "adjust" => ("调整", "adjust"),
        "expire" => ("过期", "expire"),
        "compensation" => ("投诉补偿", "compensation"),
        _ => ("未知", "unknown"),
    };
    lang.t(zh, en)
}

/// A complaint history entry's kind.
pub fn complaint_event(lang: Lang, code: &str) -> &'static str {
    let (zh, en) = match code {
        "create" => ("登记", "created"),
        "move" => ("流转", "moved"),
        "reopen" => ("重开", "reopened"),
        "note" => ("备注", "note"),
        _ => ("其他", "other"),
    };
    lang.t(zh, en)
}
