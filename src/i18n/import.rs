//! Why a file is refused whole, in both languages: what the parser found
//! (`import::Refusal` puts its cases into these words) and what the file
//! planner found before opening anything.

use super::{Lang, Text};
use std::fmt::Display;

pub fn empty() -> Text {
    Text::new(
        "文件是空的，没有任何内容。请重新从卖家中心导出。",
        "The file is empty. Download the export again from the seller center.",
    )
}

pub fn not_an_export(line: u64, found: &str) -> Text {
    Text::new(
        format!(
            "无法识别的文件：第 {line} 行起的表头不是订单报表或宝贝报表（{found}）。请选择从卖家中心导出的订单 CSV 文件。"
        ),
        format!(
            "Not an order or item report: the header at line {line} ({found}) is not one kehu knows. Choose the order CSV exported from the seller center."
        ),
    )
}

/// The buyer's column in a list of missing columns: the nickname, or the
/// columns of the derived key. Stands for the Taobao buyer; on the platforms
/// whose key falls back to the receiver, their buyer column's name stands
/// for the buyer or the receiver.
pub const BUYER_KEY: &str = "买家会员名";
/// The Kuaishou buyer (the first name of its buyer column): a buyer id or
/// nickname, else the receiver.
pub const KUAISHOU_BUYER_KEY: &str = "买家ID";
/// The Youzan buyer (the name of its buyer column): the nickname, else the receiver.
pub const YOUZAN_BUYER_KEY: &str = "买家昵称";

/// The columns a seller ticks for the buyer, when `c` stands for it.
fn buyer_columns(c: &str, lang: Lang) -> Option<&'static str> {
    Some(match c {
        BUYER_KEY => lang.t(
            "买家会员名（新版模板中叫 买家昵称），以及 收货人姓名、联系手机",
            "买家会员名 (买家昵称 in newer templates), and 收货人姓名, 联系手机",
        ),
        KUAISHOU_BUYER_KEY => lang.t(
            "买家ID 或 买家昵称，或者收货人信息（收货人、收货人电话、收货地址）",
            "买家ID or 买家昵称, or the receiver (收货人, 收货人电话, 收货地址)",
        ),
        YOUZAN_BUYER_KEY => lang.t(
            "买家昵称，或者收货人信息（收货人/提货人、收货人手机号/提货人手机号、详细收货地址/提货地址）",
            "买家昵称, or the receiver (收货人/提货人, 收货人手机号/提货人手机号, 详细收货地址/提货地址)",
        ),
        _ => return None,
    })
}

/// `report` is the report's name in both languages; `missing` the columns as
/// the export names them (what the seller ticks in the export template), with
/// [`BUYER_KEY`] (or a platform's buyer column) standing for the buyer.
pub fn missing_columns(report: (&str, &str), missing: &[&str]) -> Text {
    let list = |lang: Lang| {
        missing
            .iter()
            .map(|&c| buyer_columns(c, lang).unwrap_or(c))
            .collect::<Vec<_>>()
            .join(lang.t("、", ", "))
    };
    Text::new(
        format!(
            "这是{}，但缺少必需的列：{}。请在导出模板中勾选这些列后重新导出。",
            report.0,
            list(Lang::Zh)
        ),
        format!(
            "This is a {}, but required columns are missing: {}. Tick them in the export template and export again.",
            report.1,
            list(Lang::En)
        ),
    )
}

pub fn undecodable(line: u64) -> Text {
    Text::new(
        format!(
            "第 {line} 行有无法识别的字节（不是 UTF-8、UTF-16 或 GBK/GB18030 文本）。文件可能已损坏，请重新导出。"
        ),
        format!(
            "Line {line} has bytes that are not UTF-8, UTF-16 or GBK/GB18030 text. The file may be damaged; export it again."
        ),
    )
}

pub fn truncated(line: u64) -> Text {
    Text::new(
        format!(
            "文件不完整：从第 {line} 行开始的记录被截断（下载可能中断了）。请重新下载导出文件。"
        ),
        format!(
            "The file is incomplete: the record starting at line {line} is cut off (the download was interrupted). Download the export again."
        ),
    )
}

pub fn stray_quote(line: u64) -> Text {
    Text::new(
        format!(
            "第 {line} 行的引号没有闭合：从这里起直到文件末尾都被读成了一个单元格。请检查这一行是否多了一个英文引号（\"），改正后再导入，或重新导出。"
        ),
        format!(
            "The quote opened on line {line} never closes: everything from there to the end of the file reads as one cell. Check that line for a stray double quote (\"), fix it and import again, or export again."
        ),
    )
}

pub fn too_long(line: u64) -> Text {
    Text::new(
        format!("第 {line} 行起的记录超过 1 MiB，不像订单导出的一行。文件可能已损坏，请重新导出。"),
        format!(
            "The record starting at line {line} is longer than 1 MiB, which no export row is. The file may be damaged; export it again."
        ),
    )
}

pub fn no_line_break() -> Text {
    Text::new(
        "第 1 行在前 64 KiB 内没有换行：这不是 CSV 文本（可能是二进制文件或已损坏）。请选择从卖家中心导出的订单 CSV 文件。",
        "Line 1 has no line break in its first 64 KiB: this is not CSV text (perhaps a binary or damaged file). Choose the order CSV exported from the seller center.",
    )
}

/// A zip, xlsx or other container instead of CSV text.
pub fn container(kind: &str) -> Text {
    Text::new(
        format!(
            "这是 {kind} 文件，不是 CSV。请在卖家中心导出 CSV 格式的报表，或在 Excel 中“另存为” CSV 后再导入。"
        ),
        format!(
            "This is {} {kind} file, not CSV. Export the report as CSV from the seller center, or open it in Excel and save it as CSV, then import that.",
            if kind.starts_with('x') { "an" } else { "a" }
        ),
    )
}

pub fn duplicate_column(column: &str) -> Text {
    Text::new(
        format!("表头中“{column}”列出现了两次，无法确定该用哪一列。请删去多余的一列，或重新导出。"),
        format!(
            "The header has the column \"{column}\" twice, so kehu cannot tell which to read. Delete the extra column or export again."
        ),
    )
}

pub fn malformed(line: u64, detail: &str) -> Text {
    Text::new(
        format!("第 {line} 行无法解析为 CSV：{detail}"),
        format!("Line {line} is not valid CSV: {detail}"),
    )
}

pub fn unreadable(e: &dyn Display) -> Text {
    Text::new(
        format!("读取文件失败：{e}"),
        format!("Cannot read the file: {e}"),
    )
}

/// A folder named for import holds no file that could be an export.
pub fn no_exports_in(folder: &dyn Display) -> Text {
    Text::new(
        format!(
            "文件夹 {folder} 里没有导出文件（.csv/.tsv/.txt/.xlsx/.xls）；请把平台导出的订单报表放进去，或直接给出文件"
        ),
        format!(
            "no export files in {folder} (.csv/.tsv/.txt/.xlsx/.xls); put the platform's order reports there, or name the files"
        ),
    )
}

pub fn not_a_regular_file() -> Text {
    Text::new(
        "不是普通文件（管道、设备或套接字）；请给出下载好的导出文件",
        "not a regular file (a pipe, device or socket); name a downloaded export file",
    )
}

pub fn cannot_open(e: &dyn Display) -> Text {
    Text::new(
        format!("无法打开文件：{e}"),
        format!("cannot open the file: {e}"),
    )
}

// Why a row is rejected (the file imports without it). `column` is the
// export's own header name, `value` the cell, both already quoted safe.

pub fn short_row(columns: u64, header: u64) -> Text {
    Text::new(
        format!("该行只有 {columns} 个单元格，表头有 {header} 列"),
        format!("the row has {columns} cells, the header {header}"),
    )
}

pub fn empty_cell(column: &str) -> Text {
    Text::new(
        format!("{column}为空"),
        format!("column \"{column}\" is empty"),
    )
}

pub fn not_money(column: &str, value: &str) -> Text {
    Text::new(
        format!("{column}「{value}」不是金额"),
        format!("column \"{column}\": {value:?} is not an amount of money"),
    )
}

pub fn negative_amount(column: &str, value: &str) -> Text {
    Text::new(
        format!("{column}「{value}」是负数；金额不能为负"),
        format!("column \"{column}\": {value:?} is negative; an amount cannot be"),
    )
}

/// `limit` is the per-order limit, as money.
pub fn amount_too_large(column: &str, value: &str, limit: &dyn Display) -> Text {
    Text::new(
        format!("{column}「{value}」超过每单上限 {limit}，不像真实金额"),
        format!(
            "column \"{column}\": {value:?} is above the limit of {limit} per order; not a real amount"
        ),
    )
}

pub fn not_whole_number(column: &str, value: &str) -> Text {
    Text::new(
        format!("{column}「{value}」不是整数"),
        format!("column \"{column}\": {value:?} is not a whole number"),
    )
}

pub fn not_date_time(column: &str, value: &str) -> Text {
    Text::new(
        format!("{column}「{value}」不是日期时间"),
        format!("column \"{column}\": {value:?} is not a date and time"),
    )
}

pub fn order_no_empty() -> Text {
    Text::new("订单编号为空", "the order number is empty")
}

pub fn order_no_scientific(value: &str) -> Text {
    Text::new(
        format!(
            "订单编号 {value} 已被 Excel 改写为科学计数法，位数已丢失，无法还原；请用平台原始导出文件重新导入"
        ),
        format!(
            "order number {value} was turned into scientific notation by Excel and its digits are lost; import the platform's original export instead"
        ),
    )
}

pub fn order_no_decimal(value: &str) -> Text {
    Text::new(
        format!("订单编号 {value} 带小数点，像被表格软件改写过；请用原始导出文件"),
        format!(
            "order number {value} has a decimal point, as if a spreadsheet rewrote it; use the original export"
        ),
    )
}

pub fn order_no_invalid(value: &str) -> Text {
    Text::new(
        format!("订单编号 {value:?} 含有无效字符"),
        format!("order number {value:?} has characters an order number cannot have"),
    )
}

pub fn no_buyer(column: &str) -> Text {
    Text::new(
        format!("{column}为空，无法识别买家"),
        format!("the buyer column \"{column}\" is empty: the buyer cannot be told"),
    )
}

pub fn no_receiver(column: &str) -> Text {
    Text::new(
        format!("{column}为空，无法识别买家"),
        format!("the receiver column \"{column}\" is empty: the buyer cannot be told"),
    )
}

pub fn sibling_rejected(order_no: &str, line: u64) -> Text {
    Text::new(
        format!("订单 {order_no} 的第 {line} 行有误：该订单的各行一起导入，请修正后一并重新导入"),
        format!(
            "line {line} of order {order_no} is rejected: an order's rows are imported together; fix it and import them again together"
        ),
    )
}

pub fn order_not_stored(order_no: &str) -> Text {
    Text::new(
        format!("订单 {order_no} 不在数据库中：请先导入（或同时导入）对应的订单报表"),
        format!(
            "order {order_no} is not in the database: import its order report first (or with it)"
        ),
    )
}
