//! Why an Excel workbook is refused, in Chinese and English.

use super::Text;

/// A file named like a workbook whose bytes are not one.
pub fn not_a_workbook(ext: &str) -> Text {
    Text::new(
        format!(
            "文件名是 .{ext}，但内容不是 Excel 工作簿（可能改过扩展名或下载不完整）。请重新从后台导出，或在 Excel 中打开确认后另存。"
        ),
        format!(
            "The file is named .{ext} but is not an Excel workbook (renamed, or an incomplete download). Export it again from the back office, or open it in Excel and save it again."
        ),
    )
}

/// A workbook protected by a password.
pub fn encrypted() -> Text {
    Text::new(
        "这个 Excel 工作簿设有密码，kehu 无法读取。请在 Excel 中取消密码后另存，或重新从后台导出。",
        "This Excel workbook is protected by a password, so kehu cannot read it. Remove the password in Excel and save it again, or export it again from the back office.",
    )
}

/// A workbook that cannot be read (damaged, or a part of it missing).
pub fn damaged(detail: &str) -> Text {
    Text::new(
        format!(
            "这个 Excel 工作簿已损坏，无法读取（{detail}）。请重新从后台导出，或在 Excel 中打开修复后另存。"
        ),
        format!(
            "This Excel workbook is damaged and cannot be read ({detail}). Export it again from the back office, or open and repair it in Excel and save it again."
        ),
    )
}
