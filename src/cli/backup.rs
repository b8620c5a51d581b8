//! `kehu backup FILE`, `kehu backup list` and `kehu restore FILE --confirm`.

use super::EXIT_OK;
use super::out::{errln, outln, print_json};
use crate::i18n::Lang;
use crate::i18n::backup as say;
use crate::i18n::cli::{M, m};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    cmd: Option<BackupCmd>,
    /// Where to write the copy (refused if it exists).
    #[arg(required = true, value_name = "FILE")]
    file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BackupCmd {
    /// The automatic backups in backups/ beside the database, newest first:
    /// file, time, size, reason and schema version.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (any kehu database file).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Go ahead: without it nothing is changed.
    #[arg(long)]
    confirm: bool,
    #[arg(long)]
    json: bool,
}

pub fn backup(args: BackupArgs, db: &Path, lang: Lang) -> Result<i32> {
    match (args.cmd, args.file) {
        (Some(BackupCmd::List { json }), _) => list(db, json, lang),
        (None, Some(file)) => {
            let store = super::common::open_existing(db, lang)?;
            store.backup(&file)?;
            outln!("{} {}", m(lang, M::BackedUpTo), file.display())?;
            Ok(EXIT_OK)
        }
        // clap requires FILE without a subcommand.
        (None, None) => Ok(super::EXIT_USAGE),
    }
}

fn list(db: &Path, json: bool, lang: Lang) -> Result<i32> {
    let found = crate::db::list_backups(db)?;
    if json {
        print_json(&found)?;
        return Ok(EXIT_OK);
    }
    if found.is_empty() {
        let dir = crate::db::backups_dir(db);
        outln!("{}", say::none_yet(&dir.display()).get(lang))?;
        return Ok(EXIT_OK);
    }
    outln!("{}", say::list_header(lang).join("\t"))?;
    for b in &found {
        let version = b
            .schema_version
            .map(|v| v.to_string())
            .unwrap_or("?".into());
        outln!(
            "{}\t{}\t{}\t{}\t{}",
            b.file,
            b.time,
            b.size,
            say::reason(&b.reason, lang),
            version
        )?;
    }
    Ok(EXIT_OK)
}

pub fn restore(args: RestoreArgs, db: &Path, lang: Lang) -> Result<i32> {
    if !args.confirm {
        return Err(say::restore_needs_confirm(&args.file.display()).into());
    }
    let keep = crate::config::Config::load()
        .map(|(c, _)| c.backups.keep)
        .unwrap_or(crate::db::DEFAULT_BACKUPS_KEEP);
    let done = crate::db::restore(db, &args.file, keep)?;
    if args.json {
        print_json(&done)?;
        return Ok(EXIT_OK);
    }
    if let Some(k) = &done.kept {
        errln!("{}", say::kept_as(k).get(lang));
    }
    outln!("{}", say::restored(&done.file, &done.db).get(lang))?;
    if done.reerased > 0 {
        outln!("{}", say::reerased(done.reerased).get(lang))?;
    }
    Ok(EXIT_OK)
}

/// An import's backup, said on stderr.
pub fn said_backup(file: Option<&Path>, lang: Lang) {
    if let Some(f) = file {
        errln!("{}", say::backed_up(&f.display()).get(lang));
    }
}

/// The app's daily backup, on opening: written by a thread of its own on a
/// connection of its own, so a large shop's app opens at once. A backup the
/// app's quitting cuts short leaves only a temporary file (never listed,
/// removed by a later backup); a failure is silent here (the next import's
/// backup refuses loudly).
pub fn daily(db: &Path, config: &crate::config::Config) {
    let db = db.to_path_buf();
    let keep = config.backups.keep;
    std::thread::spawn(move || {
        if let Ok(store) = crate::db::Store::open_as(&db, crate::db::Access::Read) {
            let _ = store.daily_backup(keep);
        }
    });
}
