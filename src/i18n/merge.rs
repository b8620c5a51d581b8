//! The words of merging customers (one person across shops): the evidence,
//! the refusals, the command line's lines and the card's.

use super::{Lang, Refused};

/// Why two customers may be one person, by the evidence's code
/// (`domain::merge::Evidence::code`).
pub fn evidence(lang: Lang, code: &str) -> &'static str {
    match code {
        "same_phone" => lang.t("同一个完整手机号", "the same full phone number"),
        _ => lang.t(
            "同一收件人、手机尾号和地址",
            "the same receiver name, phone tail and address",
        ),
    }
}

/// Every piece of evidence, joined.
pub fn why(lang: Lang, codes: &[&str]) -> String {
    let sep = lang.t("；", "; ");
    codes
        .iter()
        .map(|c| evidence(lang, c))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The note of a merge's point transfer in the ledger.
pub fn transfer_note(lang: Lang, merge_id: i64) -> String {
    match lang {
        Lang::Zh => format!("合并 #{merge_id} 转移积分"),
        Lang::En => format!("merge #{merge_id}: points moved"),
    }
}

/// The note of an undo's reversing entry.
pub fn undo_note(lang: Lang, merge_id: i64) -> String {
    match lang {
        Lang::Zh => format!("撤销合并 #{merge_id}"),
        Lang::En => format!("merge #{merge_id} undone"),
    }
}

pub fn into_itself() -> Refused {
    Refused::new(
        "不能把客户合并到自己；未做任何更改",
        "cannot merge a customer into itself; nothing changed",
    )
}

pub fn already_merged(who: &str, into: &str) -> Refused {
    Refused::new(
        format!("{who} 已合并到 {into}；未做任何更改"),
        format!("{who} is already merged into {into}; nothing changed"),
    )
}

pub fn no_merge(id: i64) -> Refused {
    Refused::new(
        format!("没有编号为 #{id} 的合并"),
        format!("no merge #{id}"),
    )
}

pub fn already_undone(id: i64) -> Refused {
    Refused::new(
        format!("合并 #{id} 已撤销；未做任何更改"),
        format!("merge #{id} is already undone; nothing changed"),
    )
}

/// A later merge involving the survivor must be undone first.
pub fn undo_later_first(id: i64, later: i64) -> Refused {
    Refused::new(
        format!("请先撤销之后的合并 #{later}，再撤销 #{id}；未做任何更改"),
        format!("undo the later merge #{later} before #{id}; nothing changed"),
    )
}

/// What came after the merge on the survivor, by kind.
pub fn activity(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "orders" => lang.t("新增或变动的订单", "new or changed orders"),
        "notes" => lang.t("备注", "notes"),
        "tags" => lang.t("标签", "tags"),
        "complaints" => lang.t("投诉", "complaints"),
        "followups" => lang.t("回访", "follow-ups"),
        "feedback" => lang.t("评价", "feedback"),
        "blacklist" => lang.t("黑名单变动", "blacklist changes"),
        "ledger" => lang.t("积分流水", "points entries"),
        "campaigns" => lang.t("活动名单", "campaign lists"),
        _ => lang.t("客户资料", "customer details"),
    }
}

/// The undo is refused: activity on the survivor after the merge.
pub fn activity_after(id: i64, kinds: &[&str]) -> Refused {
    let list = |lang| {
        kinds
            .iter()
            .map(|k| activity(lang, k))
            .collect::<Vec<_>>()
            .join(lang.t("、", ", "))
    };
    Refused::new(
        format!(
            "合并 #{id} 之后该客户有新的{}，无法撤销；未做任何更改",
            list(Lang::Zh)
        ),
        format!(
            "cannot undo merge #{id}: the customer has {} since; nothing changed",
            list(Lang::En)
        ),
    )
}

/// `merge suggest` found nothing.
pub fn no_suggestions(lang: Lang) -> &'static str {
    lang.t(
        "没有可能是同一人的客户",
        "no customers who may be the same person",
    )
}

/// `merge A B` done.
pub fn merged(lang: Lang, merged: &str, survivor: &str, id: i64) -> String {
    match lang {
        Lang::Zh => {
            format!("已将 {merged} 合并到 {survivor}（合并 #{id}，可用 kehu merge undo {id} 撤销）")
        }
        Lang::En => {
            format!("merged {merged} into {survivor} (merge #{id}; kehu merge undo {id} undoes it)")
        }
    }
}

/// `merge undo` done.
pub fn undone(lang: Lang, id: i64, restored: &str, survivor: &str) -> String {
    match lang {
        Lang::Zh => format!("已撤销合并 #{id}：{restored} 与 {survivor} 恢复为两个客户"),
        Lang::En => {
            format!("merge #{id} undone: {restored} and {survivor} are two customers again")
        }
    }
}

/// A suggestion line's score label.
pub fn score(lang: Lang) -> &'static str {
    lang.t("可信度", "score")
}

/// The card's line: who may be the same person.
pub fn card_suggest(lang: Lang, other: &str, score: u32, why: &str) -> String {
    match lang {
        Lang::Zh => format!("可能是同一人（m 合并 · N 不是）：{other}  {score}分 {why}"),
        Lang::En => {
            format!("Possibly the same person (m merge · N not): {other}  score {score}, {why}")
        }
    }
}

/// The card's line: every platform identity of a merged customer.
pub fn card_identities(lang: Lang, ids: &str) -> String {
    match lang {
        Lang::Zh => format!("平台身份：{ids}"),
        Lang::En => format!("Identities: {ids}"),
    }
}

/// The card's line: the latest merge into this customer, undone with `U`.
pub fn card_merged(lang: Lang, id: i64, merged: &str) -> String {
    match lang {
        Lang::Zh => format!("已合并 #{id}（U 撤销）：{merged}"),
        Lang::En => format!("Merged #{id} (U undoes): {merged}"),
    }
}

pub fn ask_merge(lang: Lang, merged: &str, survivor: &str) -> String {
    match lang {
        Lang::Zh => format!("将 {merged} 合并到 {survivor}？（可在卡片上按 U 撤销）"),
        Lang::En => format!("Merge {merged} into {survivor}? (U on the card undoes it)"),
    }
}

pub fn ask_undo(lang: Lang, id: i64, merged: &str, survivor: &str) -> String {
    match lang {
        Lang::Zh => format!("撤销合并 #{id}，把 {merged} 从 {survivor} 分开？"),
        Lang::En => format!("Undo merge #{id}, taking {merged} apart from {survivor}?"),
    }
}

pub fn nothing_to_merge(lang: Lang) -> &'static str {
    lang.t(
        "没有可能是同一人的客户",
        "No one who may be the same person",
    )
}

pub fn nothing_to_undo(lang: Lang) -> &'static str {
    lang.t("没有可撤销的合并", "No merge to undo")
}

pub fn declined(lang: Lang) -> &'static str {
    lang.t(
        "已记下：不是同一人，不再提示",
        "Noted: not the same person; not suggested again",
    )
}

/// The history's section of merges.
pub fn history_title(lang: Lang) -> &'static str {
    lang.t("合并记录", "Merges")
}

/// One merge in the history.
pub fn history_line(
    lang: Lang,
    id: i64,
    at: &str,
    merged: &str,
    survivor: &str,
    undone: Option<&str>,
) -> String {
    let tail = match (lang, undone) {
        (_, None) => String::new(),
        (Lang::Zh, Some(u)) => format!("  （{u} 已撤销）"),
        (Lang::En, Some(u)) => format!("  (undone {u})"),
    };
    match lang {
        Lang::Zh => format!("#{id}  {at}  {merged} → {survivor}{tail}"),
        Lang::En => format!("#{id}  {at}  {merged} → {survivor}{tail}"),
    }
}
