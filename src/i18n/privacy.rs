//! The words of one person's data given out and erased (`kehu privacy`).

use super::{Lang, Refused, Text};

/// Erasing a customer already erased.
pub fn already_erased(id: i64) -> Refused {
    Refused::new(
        format!("客户 #{id} 的个人信息已经删除过了"),
        format!("customer #{id} was already erased"),
    )
}

/// `privacy erase` without `--confirm`: nothing is written.
pub fn needs_confirm(lang: Lang) -> &'static str {
    lang.t(
        "删除个人信息无法撤销：确认请加 --confirm（未做任何修改）",
        "erasing a person cannot be undone: add --confirm to go ahead (nothing was changed)",
    )
}

/// The export written to a file.
pub fn exported(lang: Lang, path: &str, rows: usize) -> String {
    match lang {
        Lang::Zh => format!("已导出 {rows} 条记录到 {path}（仅本人可读）"),
        Lang::En => format!("exported {rows} records to {path} (readable by you only)"),
    }
}

/// An erasure done.
pub fn erased(lang: Lang, id: i64, identities: usize, rows: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "已删除客户 #{id} 的个人信息（{identities} 个身份，{rows} 行）；订单、金额和积分保留"
        ),
        Lang::En => format!(
            "erased customer #{id} ({identities} identities, {rows} rows); orders, amounts and points are kept"
        ),
    }
}

/// The log is empty.
pub fn log_empty(lang: Lang) -> &'static str {
    lang.t("还没有导出或删除记录", "no exports or erasures yet")
}

/// An action of the log, in words.
pub fn action(lang: Lang, code: &str) -> &'static str {
    match code {
        "export" => lang.t("导出", "export"),
        _ => lang.t("删除", "erase"),
    }
}

/// The rows column of the log.
pub fn rows(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Zh => format!("{n} 行"),
        Lang::En => format!("{n} rows"),
    }
}

/// The reject reason of a row of an erased buyer.
pub fn erased_customer() -> Text {
    Text::new(
        "已删除个人信息的客户：不再导入（确需导入请加 --allow-erased）",
        "erased customer: not imported again (--allow-erased re-admits them)",
    )
}

/// The word the seller types to confirm.
pub fn confirm_word(lang: Lang) -> &'static str {
    lang.t("删除", "ERASE")
}
