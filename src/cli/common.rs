//! What the commands share: opening the database (one way, with the config
//! in force), resolving CUSTOMER, reading money typed in yuan, and turning a
//! refusal into exit status 3. Every command module imports this; it imports
//! none of them.

use super::EXIT_REFUSED;
use super::out::errln;
use crate::config::Config;
use crate::db::{Access, Refused, Store};
use crate::domain::Fen;
use crate::i18n::Lang;
use anyhow::Result;
use std::path::Path;

/// Open an existing database with the settings in force (the points rule
/// synced into it, unless the database is read-only). A path that does not
/// exist is refused and nothing is created: only import, demo and the app
/// create a database.
pub(super) fn open_store(db: &Path, access: Access, lang: Lang) -> Result<(Store, Config)> {
    require_existing(db)?;
    let (cfg, _) = Config::load()?;
    let mut store = open_as(db, access, lang)?;
    store.apply_settings(&cfg.store_settings())?;
    Ok((store, cfg))
}

/// Open the database at `db`, creating it (and its folder) when missing:
/// for import, which is one of the commands that make a database.
pub(super) fn create_store(db: &Path, lang: Lang) -> Result<(Store, Config)> {
    let (cfg, _) = Config::load()?;
    let mut store = open_as(db, Access::Write, lang)?;
    store.apply_settings(&cfg.store_settings())?;
    Ok((store, cfg))
}

/// Open an existing database as it is (no settings) for reading, refusing a
/// missing one.
pub(super) fn open_existing(db: &Path, lang: Lang) -> Result<Store> {
    require_existing(db)?;
    open_as(db, Access::Read, lang)
}

/// Open, and say once what opening changed (a database made private).
fn open_as(db: &Path, access: Access, lang: Lang) -> Result<Store> {
    let mut store = Store::open_as(db, access)?;
    store.set_wait(super::wait())?;
    if let Some(n) = store.take_notice() {
        errln!("{}", n.message(lang));
    }
    Ok(store)
}

/// Refuse (exit 3) a database path that does not exist, with the way to make one.
fn require_existing(db: &Path) -> Result<()> {
    if db.exists() {
        return Ok(());
    }
    Err(crate::i18n::cli::no_database(&db.display()).into())
}

/// CUSTOMER, resolved the one way every command does.
pub(super) use super::customer::customer_id;

/// Money typed on the command line: yuan text (`12.50`, `¥12.5`, `1,200`)
/// to fen, exactly (never through a float). Negative, blank and anything that
/// is not an amount of at most two decimals is refused (exit 3).
pub(super) fn yuan_arg(text: &str, what: (&str, &str)) -> Result<i64> {
    use crate::domain::money::{MoneyError, parse_fen};
    let (zh, en) = what;
    match parse_fen(text) {
        Ok(Some(Fen(fen))) if fen >= 0 => Ok(fen),
        Ok(Some(_)) => Err(Refused::new(
            format!("{zh}「{text}」不能为负"),
            format!("{en} \"{text}\" cannot be negative"),
        )
        .into()),
        Ok(None) => Err(Refused::new(
            format!("{zh}「{text}」不是金额；请写元，例如 12.50"),
            format!("{en} \"{text}\" is not an amount; write yuan, e.g. 12.50"),
        )
        .into()),
        Err(MoneyError::TooPrecise(_)) => Err(Refused::new(
            format!("{zh}「{text}」超过两位小数；金额以元计，精确到分，例如 12.50"),
            format!(
                "{en} \"{text}\" has more than two decimals; write yuan to the fen, e.g. 12.50"
            ),
        )
        .into()),
        Err(MoneyError::TooLarge(_)) => Err(Refused::new(
            format!("{zh}「{text}」过大"),
            format!("{en} \"{text}\" is too large"),
        )
        .into()),
        Err(MoneyError::NotMoney(_)) => Err(Refused::new(
            format!("{zh}「{text}」不是金额；请写元，例如 12.50"),
            format!("{en} \"{text}\" is not an amount; write yuan, e.g. 12.50"),
        )
        .into()),
    }
}

/// Turn a refusal into exit status 3 with its message on stderr.
pub(super) fn finish(r: Result<i32>, lang: Lang) -> Result<i32> {
    match r {
        Err(e) => match e.downcast_ref::<Refused>() {
            Some(refused) => {
                errln!("{}", refused.message(lang));
                Ok(EXIT_REFUSED)
            }
            None => Err(e),
        },
        ok => ok,
    }
}
