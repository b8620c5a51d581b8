//! `kehu batches` lists the import batches; `kehu undo BATCH` undoes one
//! exactly, or says why not (exit 3, nothing written). See db/undo.rs.

use super::EXIT_OK;
use super::common::{finish, open_store};
use super::out::{outln, print_json};
use crate::db::Access;
use crate::i18n::Lang;
use crate::i18n::undo as say;
use anyhow::Result;
use std::path::Path;

pub fn batches(json: bool, db: &Path, lang: Lang) -> Result<i32> {
    finish(batches_inner(json, db, lang), lang)
}

fn batches_inner(json: bool, db: &Path, lang: Lang) -> Result<i32> {
    let (store, _) = open_store(db, Access::Read, lang)?;
    let rows = store.batches()?;
    if json {
        print_json(&rows)?;
    } else if rows.is_empty() {
        outln!("{}", say::no_batches(lang))?;
    } else {
        outln!("{}", say::header(lang))?;
        for b in &rows {
            let undone = b
                .undone_at
                .as_deref()
                .map(|at| format!(" {}", say::undone_mark(lang, at)))
                .unwrap_or_default();
            outln!(
                "#{:<4} {}  {:>5} {:>5} {:>5}  {}{}",
                b.id,
                b.at,
                b.new,
                b.updated,
                b.rejected,
                crate::domain::text::one_line(&b.file),
                undone
            )?;
        }
    }
    Ok(EXIT_OK)
}

pub fn undo(batch: i64, json: bool, db: &Path, lang: Lang) -> Result<i32> {
    finish(undo_inner(batch, json, db, lang), lang)
}

fn undo_inner(batch: i64, json: bool, db: &Path, lang: Lang) -> Result<i32> {
    let (mut store, _) = open_store(db, Access::Write, lang)?;
    let done = store.undo_batch(batch)?;
    if json {
        print_json(&done)?;
    } else {
        let n = [
            done.orders_removed,
            done.customers_removed,
            done.rejects_removed,
            done.orders_restored,
            done.ledger_entries,
        ];
        outln!("{}", say::undone(lang, done.batch, n))?;
    }
    Ok(EXIT_OK)
}
