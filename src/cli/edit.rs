//! `kehu note`, `tag`, `untag`, `blacklist`, `unblacklist`: what the card does
//! in the app, from the command line. CUSTOMER is resolved as for `points`
//! and `complaint` (one helper); a refusal exits 3 with its reason on stderr.

use super::EXIT_OK;
use super::common::{customer_id, finish, open_store};
use super::out::outln;
use crate::db::Actor;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::cli::{M, m};
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum EditCmd {
    /// Add a note to a customer's card (CUSTOMER: buyer key, platform:key or #id).
    Note {
        customer: String,
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Tag a customer (a tag already there is left as it is).
    Tag {
        customer: String,
        tag: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a tag from a customer (refused when they do not have it).
    Untag {
        customer: String,
        tag: String,
        #[arg(long)]
        json: bool,
    },
    /// Put a customer on the blacklist; the reason is required and kept with the date.
    Blacklist {
        customer: String,
        #[arg(long, default_value = "", value_name = "TEXT")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Take a customer off the blacklist (the listing stays in the history).
    Unblacklist {
        customer: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: EditCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(run_inner(cmd, db, lang), lang)
}

fn run_inner(cmd: EditCmd, db: &Path, lang: Lang) -> Result<i32> {
    // A database that does not exist is refused (exit 3) and none is created.
    let (mut store, _) = open_store(db, crate::db::Access::Write, lang)?;
    let (json, out, text) = match cmd {
        EditCmd::Note {
            customer,
            text,
            json,
        } => {
            let id = customer_id(&store, &customer)?;
            let note_id = store.add_note(id, &text)?;
            (
                json,
                json!({ "customer_id": id, "note_id": note_id }),
                m(lang, M::EditNoteSaved).to_string(),
            )
        }
        EditCmd::Tag {
            customer,
            tag,
            json,
        } => {
            let id = customer_id(&store, &customer)?;
            let added = store.add_tag(id, &tag)?;
            let tag = tag.trim();
            let text = crate::i18n::cli::tagged(lang, added, &one_line(tag));
            (
                json,
                json!({ "customer_id": id, "tag": tag, "added": added }),
                text,
            )
        }
        EditCmd::Untag {
            customer,
            tag,
            json,
        } => {
            let id = customer_id(&store, &customer)?;
            let tag = tag.trim();
            if !store.remove_tag(id, tag)? {
                return Err(crate::i18n::cli::no_such_tag(&one_line(tag)).into());
            }
            (
                json,
                json!({ "customer_id": id, "tag": tag, "removed": true }),
                m(lang, M::EditTagRemoved).to_string(),
            )
        }
        EditCmd::Blacklist {
            customer,
            reason,
            json,
        } => {
            let id = customer_id(&store, &customer)?;
            store.blacklist(id, &reason, Actor::Cli)?;
            let at = store.blacklist_latest(id)?.and_then(|e| e.at);
            (
                json,
                json!({ "customer_id": id, "blacklisted": true, "reason": reason.trim(), "at": at }),
                m(lang, M::EditBlacklisted).to_string(),
            )
        }
        EditCmd::Unblacklist { customer, json } => {
            let id = customer_id(&store, &customer)?;
            store.unblacklist(id, Actor::Cli)?;
            (
                json,
                json!({ "customer_id": id, "blacklisted": false }),
                m(lang, M::EditUnblacklisted).to_string(),
            )
        }
    };
    if json {
        super::out::print_json(&out)?;
    } else {
        outln!("{text}")?;
    }
    Ok(EXIT_OK)
}
