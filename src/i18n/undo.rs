//! The words of `kehu batches` and `kehu undo`: listings, results and refusals.

use super::{Lang, Refused};

pub fn no_batch(id: i64) -> Refused {
    Refused::new(
        format!("没有导入批次 #{id}"),
        format!("no import batch #{id}"),
    )
}

pub fn already_undone(id: i64) -> Refused {
    Refused::new(
        format!("导入批次 #{id} 已经撤销过了"),
        format!("import batch #{id} is already undone"),
    )
}

pub fn not_kept(id: i64) -> Refused {
    Refused::new(
        format!("导入批次 #{id} 由旧版 kehu 导入，没有保存撤销所需的信息"),
        format!(
            "import batch #{id} was imported by an older kehu and kept nothing to undo it with"
        ),
    )
}

pub fn later_batch(id: i64, later: i64) -> Refused {
    Refused::new(
        format!(
            "不能撤销导入批次 #{id}：之后的批次 #{later} 改动了同样的订单或客户，请先撤销 #{later}"
        ),
        format!(
            "cannot undo import batch #{id}: the later batch #{later} changed the same orders or customers; undo #{later} first"
        ),
    )
}

pub fn complaint(id: i64, order_no: &str) -> Refused {
    Refused::new(
        format!("不能撤销导入批次 #{id}：订单 {order_no} 上有投诉"),
        format!("cannot undo import batch #{id}: order {order_no} has a complaint"),
    )
}

pub fn merged(id: i64, customer: &str) -> Refused {
    Refused::new(
        format!("不能撤销导入批次 #{id}：它带来的客户 {customer} 参与过合并"),
        format!("cannot undo import batch #{id}: its customer {customer} was in a merge"),
    )
}

/// What the seller did to a customer the batch brought in.
pub fn action(id: i64, customer: &str, what: &str) -> Refused {
    let (zh, en) = match what {
        "note" => ("备注", "a note"),
        "tag" => ("标签", "a tag"),
        "followup" => ("跟进", "a follow-up"),
        "feedback" => ("回访记录", "feedback"),
        "campaign" => ("活动名单", "a campaign"),
        "blacklist" => ("黑名单", "the blacklist"),
        _ => ("积分操作", "a points entry"),
    };
    Refused::new(
        format!("不能撤销导入批次 #{id}：它带来的客户 {customer} 有{zh}"),
        format!("cannot undo import batch #{id}: its customer {customer} has {en}"),
    )
}

pub fn redemption(id: i64, customer: &str, balance: i64) -> Refused {
    Refused::new(
        format!("不能撤销导入批次 #{id}：客户 {customer} 已兑换积分，撤销后余额将为 {balance}"),
        format!(
            "cannot undo import batch #{id}: customer {customer} redeemed points; the balance would be {balance}"
        ),
    )
}

pub fn no_batches(lang: Lang) -> &'static str {
    lang.t("还没有导入过文件", "nothing imported yet")
}

pub fn header(lang: Lang) -> &'static str {
    lang.t(
        "批次  时间                 新增  更新  拒绝  文件",
        "batch time                 new   upd   rej   file",
    )
}

pub fn undone_mark(lang: Lang, at: &str) -> String {
    match lang {
        Lang::Zh => format!("（已撤销 {at}）"),
        Lang::En => format!("(undone {at})"),
    }
}

/// What an undo did: the batch, then orders removed, customers removed,
/// rejected rows removed, orders restored and ledger reversals.
pub fn undone(lang: Lang, batch: i64, n: [i64; 5]) -> String {
    let [orders, customers, rejects, restored, ledger] = n;
    match lang {
        Lang::Zh => format!(
            "已撤销导入批次 #{}：删除 {} 个订单、{} 个客户、{} 行拒绝记录，恢复 {} 个订单，积分流水冲正 {} 条",
            batch, orders, customers, rejects, restored, ledger
        ),
        Lang::En => format!(
            "undid import batch #{}: {} order(s), {} customer(s) and {} rejected row(s) removed, {} order(s) restored, {} ledger reversal(s)",
            batch, orders, customers, rejects, restored, ledger
        ),
    }
}

/// The import summary's line naming the batch a file became.
pub fn batch_line(lang: Lang, batch: i64) -> String {
    match lang {
        Lang::Zh => format!("导入批次 #{batch}（kehu undo {batch} 可撤销）"),
        Lang::En => format!("import batch #{batch} (kehu undo {batch} undoes it)"),
    }
}

/// The summary's name for a file's batch.
pub fn batch_tag(lang: Lang, batch: i64) -> String {
    match lang {
        Lang::Zh => format!("批次 #{batch}"),
        Lang::En => format!("batch #{batch}"),
    }
}

/// Batch ids as `#3, #2`.
pub fn batch_ids(batches: &[i64]) -> String {
    batches
        .iter()
        .map(|b| format!("#{b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The app's question before undoing the import just shown.
pub fn ask_undo_import(lang: Lang, batches: &[i64]) -> String {
    let ids = batch_ids(batches);
    match lang {
        Lang::Zh => {
            format!("撤销这次导入（批次 {ids}）？它新增的订单和客户将删除，更新过的订单恢复原样")
        }
        Lang::En => format!(
            "Undo this import (batch {ids})? Its new orders and customers are removed, the orders it updated go back"
        ),
    }
}

/// `u` on a summary with nothing left to undo.
pub fn nothing_to_undo(lang: Lang) -> &'static str {
    lang.t(
        "这次导入没有可撤销的批次",
        "this import has no batch left to undo",
    )
}

/// The summary's mark once its batches are undone.
pub fn import_undone(lang: Lang) -> &'static str {
    lang.t(
        "已撤销：数据库回到这次导入之前",
        "Undone: the database is as before this import",
    )
}

/// The app's word after undoing the import's batches, newest first.
pub fn import_undone_message(lang: Lang, batches: &[i64], n: [i64; 3]) -> String {
    let [orders, customers, restored] = n;
    let ids = batch_ids(batches);
    match lang {
        Lang::Zh => format!(
            "已撤销导入（批次 {ids}）：删除 {orders} 个订单、{customers} 个客户，恢复 {restored} 个订单"
        ),
        Lang::En => format!(
            "import undone (batch {ids}): {orders} order(s) and {customers} customer(s) removed, {restored} order(s) restored"
        ),
    }
}
