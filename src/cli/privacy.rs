//! `kehu privacy`: one person's data given out (`export`), erased (`erase`),
//! and the log of both (`log`). See db/privacy.rs.

use super::common::{finish, open_store};
use super::customer::customer_id;
use super::out::{errln, outln, print_json};
use super::{EXIT_OK, EXIT_USAGE};
use crate::db::Access;
use crate::i18n::Lang;
use crate::i18n::privacy as say;
use anyhow::Result;
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum PrivacyCmd {
    /// Everything kehu holds about one person, as one JSON document.
    Export {
        /// CUSTOMER: #id, platform:key, buyer key, or a lookup query.
        customer: String,
        /// Write to FILE (owner-only, written atomically) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Erase one person: their names, phones, addresses, nicknames, messages,
    /// notes and complaint texts; orders, amounts and points are kept.
    Erase {
        customer: String,
        /// Required: erasing cannot be undone.
        #[arg(long)]
        confirm: bool,
        #[arg(long)]
        json: bool,
    },
    /// The exports and erasures done.
    Log {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: PrivacyCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(run_inner(cmd, db, lang), lang)
}

fn run_inner(cmd: PrivacyCmd, db: &Path, lang: Lang) -> Result<i32> {
    match cmd {
        PrivacyCmd::Export { customer, out } => {
            let (mut store, _) = open_store(db, Access::Write, lang)?;
            let id = customer_id(&store, &customer)?;
            let doc = store.privacy_export(id)?;
            match out {
                None => print_json(&doc)?,
                Some(path) => {
                    let mut text = serde_json::to_vec_pretty(&doc)?;
                    text.push(b'\n');
                    write_atomic(&path, &text)?;
                    let rows: usize = doc
                        .as_object()
                        .map(|o| o.values().filter_map(|v| v.as_array()).map(Vec::len).sum())
                        .unwrap_or_default();
                    errln!("{}", say::exported(lang, &path.display().to_string(), rows));
                }
            }
        }
        PrivacyCmd::Erase {
            customer,
            confirm,
            json,
        } => {
            // A usage matter (exit 2, as a missing argument): checked before
            // the database is opened, so nothing is written.
            if !confirm {
                errln!("{}", say::needs_confirm(lang));
                return Ok(EXIT_USAGE);
            }
            let (mut store, _) = open_store(db, Access::Write, lang)?;
            let id = customer_id(&store, &customer)?;
            let done = store.privacy_erase(id)?;
            if json {
                print_json(&done)?;
            } else {
                outln!("{}", say::erased(lang, id, done.identities, done.rows))?;
            }
        }
        PrivacyCmd::Log { json } => {
            let (store, _) = open_store(db, Access::Read, lang)?;
            let log = store.privacy_log()?;
            if json {
                print_json(&log)?;
            } else if log.is_empty() {
                outln!("{}", say::log_empty(lang))?;
            } else {
                for e in &log {
                    outln!(
                        "{}  {}  {}  {}",
                        e.at,
                        say::action(lang, &e.action),
                        e.key_hash,
                        say::rows(lang, e.rows)
                    )?;
                }
            }
        }
    }
    Ok(EXIT_OK)
}

/// Write `bytes` to `out` atomically: a temp file in the same folder,
/// owner-only (0600), synced, then renamed over `out`.
fn write_atomic(out: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.kehu-tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let result = (|| -> Result<()> {
        let mut file = opts.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, out)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
