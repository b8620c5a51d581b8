//! `kehu analyse`: the shop analysis (数据分析) as tables or one JSON document.

use super::EXIT_OK;
use super::common::open_store;
use super::out::{outln, print_json};
use crate::db::Access;
use crate::domain::Fen;
use crate::domain::segment::Segment;
use crate::domain::text::one_line;
use crate::domain::tier::Tier;
use crate::i18n::Lang;
use crate::i18n::analyse as say;
use crate::model::{Analysis, MonthRange};
use anyhow::Result;
use serde_json::json;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

/// `--from`/`--to`: `YYYY-MM` (or `YYYY-M`), read as `YYYY-MM`. Anything
/// else is a usage error (exit 2) saying how to write a month.
pub(super) fn month_arg(s: &str) -> Result<String, String> {
    let bad = || say::bad_month(s).get(Lang::detect(None)).to_string();
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    if !digits_only(m) || m.len() > 2 {
        return Err(bad());
    }
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    match m.parse::<u32>() {
        Ok(m) if digits(y, 4..=4) && (1..=12).contains(&m) => Ok(format!("{y}-{m:02}")),
        _ => Err(bad()),
    }
}

fn digits_only(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// The analysis as JSON: integer fen, English codes.
fn to_json(a: &Analysis) -> serde_json::Value {
    json!({
        "months": a.months,
        "repurchase_rate": a.repurchase_rate,
        "segments": a.segments.iter().map(|g| json!({
            "segment": g.code, "customers": g.customers, "net_fen": g.net_fen,
        })).collect::<Vec<_>>(),
        "tiers": a.tiers.iter().map(|g| json!({
            "tier": g.code, "customers": g.customers, "net_fen": g.net_fen,
        })).collect::<Vec<_>>(),
        "top_items": a.top_items,
    })
}

/// `s` padded with spaces to `w` display cells (CJK counts two), on the
/// right when `right`.
fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// A table: the header and rows, each column as wide as its widest cell;
/// the first `left` columns are aligned left, the rest right.
fn table(header: &[&str], rows: &[Vec<String>], left: usize) -> Vec<String> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i], i >= left))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(
        rows.iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out
}

/// The analysis as the seller reads it: titled tables, money in yuan.
fn print_text(a: &Analysis, range: &MonthRange, lang: Lang) -> Result<()> {
    outln!("{}", say::months_title(lang))?;
    if let Some(note) = say::range_note(lang, range.from.as_deref(), range.to.as_deref()) {
        outln!("{note}")?;
    }
    if a.months.is_empty() {
        outln!("  {}", say::no_orders(lang))?;
    } else {
        let rows: Vec<Vec<String>> = a
            .months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.orders.to_string(),
                    m.valid_orders.to_string(),
                    m.buyers.to_string(),
                    m.new_buyers.to_string(),
                    m.returning_buyers.to_string(),
                    Fen(m.paid_fen).to_string(),
                    Fen(m.refund_fen).to_string(),
                ]
            })
            .collect();
        for l in table(&say::months_header(lang), &rows, 1) {
            outln!("{l}")?;
        }
    }
    outln!()?;
    outln!(
        "{}",
        say::repurchase_line(lang, a.repurchase_rate, a.repeat_buyers, a.buyers)
    )?;
    for (tier, groups) in [(false, &a.segments), (true, &a.tiers)] {
        outln!()?;
        let title = if tier {
            say::tiers_title(lang)
        } else {
            say::segments_title(lang)
        };
        outln!("{title}")?;
        let rows: Vec<Vec<String>> = groups
            .iter()
            .map(|g| {
                let name = if tier {
                    Tier::parse(&g.code).map_or(g.code.clone(), |t| t.label(lang).to_string())
                } else {
                    Segment::parse(&g.code).map_or(g.code.clone(), |s| s.label(lang).to_string())
                };
                vec![name, g.customers.to_string(), Fen(g.net_fen).to_string()]
            })
            .collect();
        for l in table(&say::group_header(lang, tier), &rows, 1) {
            outln!("{l}")?;
        }
    }
    outln!()?;
    outln!("{}", say::items_title(lang))?;
    if a.top_items.is_empty() {
        outln!("  {}", say::no_items(lang))?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = a
        .top_items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            vec![
                (i + 1).to_string(),
                crate::domain::text::clip(&one_line(&it.title), 40),
                it.orders.to_string(),
                it.quantity.to_string(),
                Fen(it.paid_fen).to_string(),
                it.complaints.to_string(),
            ]
        })
        .collect();
    for l in table(&say::items_header(lang), &rows, 2) {
        outln!("{l}")?;
    }
    Ok(())
}

pub fn analyse(range: MonthRange, json: bool, db: &Path, lang: Lang) -> Result<i32> {
    let (store, cfg) = open_store(db, Access::Read, lang)?;
    let a = store.analyse(&range, &cfg.segments(), &cfg.tiers())?;
    if json {
        print_json(&to_json(&a))?;
    } else {
        print_text(&a, &range, lang)?;
    }
    Ok(EXIT_OK)
}
