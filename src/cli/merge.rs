//! `kehu merge`: one person across shops. `merge suggest` lists pairs who may
//! be one person, `merge A B` merges B into A, `merge undo ID` undoes a merge.
//! Never automatic; every merge can be undone (db/merge.rs, docs/merge.md).

use super::EXIT_OK;
use super::common::{finish, open_store};
use super::out::{outln, print_json};
use crate::db::{Access, CustomerMatch, Store};
use crate::i18n::Lang;
use crate::i18n::merge as say;
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::Path;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MergeArgs {
    #[command(subcommand)]
    pub cmd: Option<MergeCmd>,
    /// The customer that stays (CUSTOMER: #id, platform:key, buyer key, or a lookup query).
    #[arg(required = true)]
    pub survivor: Option<String>,
    /// The customer merged into it.
    #[arg(required = true)]
    pub merged: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum MergeCmd {
    /// Pairs of customers who may be one person, strongest evidence first.
    Suggest {
        #[arg(long)]
        json: bool,
    },
    /// Undo a merge: both customers exactly as before it.
    Undo {
        merge_id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: MergeArgs, db: &Path, lang: Lang) -> Result<i32> {
    finish(run_inner(args, db, lang), lang)
}

/// CUSTOMER as named: a customer merged away is itself, not its survivor.
fn named(store: &Store, spec: &str) -> Result<i64> {
    match store.find_customer_as_named(spec)? {
        CustomerMatch::One(id) => Ok(id),
        _ => super::common::customer_id(store, spec),
    }
}

fn run_inner(args: MergeArgs, db: &Path, lang: Lang) -> Result<i32> {
    match args.cmd {
        Some(MergeCmd::Suggest { json }) => {
            let (store, _) = open_store(db, Access::Read, lang)?;
            let pairs = store.merge_suggestions()?;
            if json {
                let out: Vec<_> = pairs
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "a": p.a, "b": p.b, "score": p.score,
                            "why": say::why(lang, &p.why_codes()),
                        })
                    })
                    .collect();
                print_json(&out)?;
            } else if pairs.is_empty() {
                outln!("{}", say::no_suggestions(lang))?;
            } else {
                for p in &pairs {
                    outln!(
                        "{}  ←  {}   {} {}   {}",
                        crate::domain::text::one_line(&p.a),
                        crate::domain::text::one_line(&p.b),
                        say::score(lang),
                        p.score,
                        say::why(lang, &p.why_codes())
                    )?;
                }
            }
        }
        Some(MergeCmd::Undo { merge_id, json }) => {
            let (mut store, _) = open_store(db, Access::Write, lang)?;
            let done = store.undo_merge(merge_id, lang)?;
            if json {
                print_json(&done)?;
            } else {
                outln!(
                    "{}",
                    crate::domain::text::one_line(&say::undone(
                        lang,
                        done.merge_id,
                        &done.restored,
                        &done.survivor
                    ))
                )?;
            }
        }
        None => {
            let (mut store, _) = open_store(db, Access::Write, lang)?;
            let a = named(&store, args.survivor.as_deref().unwrap_or_default())?;
            let b = named(&store, args.merged.as_deref().unwrap_or_default())?;
            let done = store.merge_customers(a, b, lang)?;
            if args.json {
                print_json(&done)?;
            } else {
                outln!(
                    "{}",
                    crate::domain::text::one_line(&say::merged(
                        lang,
                        &done.merged,
                        &done.survivor,
                        done.merge_id
                    ))
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}
