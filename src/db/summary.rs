//! What importing a file did, as the seller reads it: one list of counts, each
//! under one name in each language. `kehu import` and the app's import summary
//! both print this list, so they never disagree on a number or its name.

use super::FileSummary;
use crate::i18n::Lang;
use crate::model::ReportKind;

/// One count of an import summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Records read from the file.
    Rows,
    OrdersNew,
    OrdersUpdated,
    OrdersUnchanged,
    /// Order rows older than what is stored (a lower status): ignored.
    OrdersStale,
    CustomersNew,
    /// Item rows of orders kehu holds.
    Lines,
    /// Item rows written (the others were stored as they are already).
    LinesWritten,
    /// Item rows of an older report than the stored lines: ignored.
    LinesStale,
    /// Rows not imported (kept with their raw text, `kehu rejects`).
    Rejected,
}

impl Count {
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Count::Rows => ("行", "rows"),
            Count::OrdersNew => ("新订单", "new orders"),
            Count::OrdersUpdated => ("已更新", "updated"),
            Count::OrdersUnchanged => ("未变", "unchanged"),
            Count::OrdersStale => ("较旧忽略", "older, ignored"),
            Count::CustomersNew => ("新客户", "new customers"),
            Count::Lines => ("商品行", "item rows"),
            Count::LinesWritten => ("写入商品行", "item rows written"),
            Count::LinesStale => ("较旧商品行忽略", "older item rows, ignored"),
            Count::Rejected => ("被拒", "rejected"),
        };
        lang.t(zh, en)
    }
}

impl FileSummary {
    /// The counts of this file, in the order they are shown.
    pub fn counts(&self) -> Vec<(Count, u64)> {
        let mut v = vec![(Count::Rows, self.rows)];
        match self.kind {
            Some(ReportKind::Items) => v.extend([
                (Count::Lines, self.lines),
                (Count::LinesWritten, self.lines_written),
                (Count::LinesStale, self.lines_stale),
            ]),
            _ => v.extend([
                (Count::OrdersNew, self.orders_new),
                (Count::OrdersUpdated, self.orders_updated),
                (Count::OrdersUnchanged, self.orders_unchanged),
                (Count::OrdersStale, self.orders_stale),
                (Count::CustomersNew, self.customers_new),
            ]),
        }
        v.push((Count::Rejected, self.rejected.len() as u64));
        v
    }

    /// The parts of the summary line: each count under its name, then the
    /// order rows that repeat an order met earlier in the file (the last row
    /// of an order wins), when there are any.
    pub fn parts(&self, lang: Lang) -> Vec<String> {
        let mut v: Vec<String> = self
            .counts()
            .iter()
            .map(|(c, n)| format!("{} {n}", c.label(lang)))
            .collect();
        if let Some(d) = self.duplicates_text(lang) {
            v.push(d);
        }
        v
    }

    /// `重复的订单行 3（第 57, 212, 480 行，以后一行为准）`, or `None` without repeats.
    pub fn duplicates_text(&self, lang: Lang) -> Option<String> {
        const SHOWN: usize = 10;
        let d = &self.duplicate_rows;
        if d.is_empty() {
            return None;
        }
        let mut lines: Vec<String> = d.iter().take(SHOWN).map(u64::to_string).collect();
        if d.len() > SHOWN {
            lines.push("…".into());
        }
        let lines = lines.join(", ");
        Some(match lang {
            Lang::Zh => format!("重复的订单行 {}（第 {lines} 行，以后一行为准）", d.len()),
            Lang::En => format!(
                "repeated order rows {} (lines {lines}; the later row counts)",
                d.len()
            ),
        })
    }

    /// The counts as one line: `行 640 · 商品行 640 · 写入商品行 109 · …`.
    pub fn counts_text(&self, lang: Lang) -> String {
        self.parts(lang).join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_reports_count_lines_and_what_was_written() {
        let s = FileSummary {
            kind: Some(ReportKind::Items),
            rows: 640,
            lines: 640,
            lines_written: 109,
            ..FileSummary::default()
        };
        assert_eq!(
            s.counts_text(Lang::Zh),
            "行 640 · 商品行 640 · 写入商品行 109 · 较旧商品行忽略 0 · 被拒 0"
        );
        assert_eq!(
            s.counts_text(Lang::En),
            "rows 640 · item rows 640 · item rows written 109 · older item rows, ignored 0 · rejected 0"
        );
    }
}
