//! One function per subcommand: parse nothing, print results.

use super::out::{errln, is_broken_pipe, outln, print_json, progress};
use super::{Cli, Command, EXIT_FAILURE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE};
use crate::db::{FileSummary, ImportOptions, ImportRunning, LookupHit, LookupPage, Store};
use crate::domain::{Fen, Platform, text};
use crate::i18n::cli::{self as say, M, m};
use crate::i18n::{Explain, Lang, Text, labels};
use crate::import::ReportKind;
use crate::ingest::{FileProgress, ImportRun, RefusedFile};
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub fn run(cli: Cli, lang: Lang) -> Result<i32> {
    let db_path = cli.db.clone();
    match dispatch(cli, lang) {
        // A write that could not get the database: an import holds it (or
        // another writer outlasted the busy timeout). Refused, nothing written.
        Err(e) if crate::db::is_busy(&e) => {
            let running = match e.chain().find_map(|c| c.downcast_ref::<ImportRunning>()) {
                Some(r) => r.clone(),
                None => db_path
                    .as_deref()
                    .map(Path::to_path_buf)
                    .or_else(|| crate::db::default_path().ok())
                    .and_then(|p| crate::db::import_running(&p))
                    .unwrap_or(ImportRunning { since: None }),
            };
            errln!("{}", running.message(lang));
            Ok(EXIT_REFUSED)
        }
        // SQLite's own words ("file is not a database", "attempt to write a
        // readonly database"…) become a sentence the seller can act on.
        Err(e) if e.downcast_ref::<crate::db::Refused>().is_none() => {
            let Some(db) = db_path.or_else(|| crate::db::default_path().ok()) else {
                return Err(e);
            };
            match e
                .chain()
                .find_map(|c| c.downcast_ref::<rusqlite::Error>())
                .and_then(|s| crate::db::sqlite_refusal(s, &db))
            {
                Some(r) => Err(r.into()),
                None => Err(e),
            }
        }
        r => r,
    }
}

fn dispatch(cli: Cli, lang: Lang) -> Result<i32> {
    let is_demo = matches!(cli.command, Some(Command::Demo { .. }));
    let db_path = match &cli.db {
        Some(p) => p.clone(),
        None if is_demo => crate::db::default_path()?.with_file_name("demo.db"),
        None => crate::db::default_path()?,
    };
    let Some(command) = cli.command else {
        return open_app(&db_path, lang);
    };
    match command {
        Command::Import {
            files,
            items,
            platform,
            dry_run,
            json,
            allow_erased,
        } => {
            let platform = match platform.as_deref().map(|p| (p, Platform::from_code(p))) {
                Some((_, Some(p))) => Some(p),
                Some((p, None)) => {
                    errln!("{}", say::unknown_platform(p).get(lang));
                    return Ok(EXIT_USAGE);
                }
                None => None,
            };
            // The points rule in force is the config's: earn entries follow it.
            let (mut store, _) = super::common::create_store(&db_path, lang)?;
            // A folder stands for the exports in it.
            let all: Vec<PathBuf> = files.into_iter().chain(items).collect();
            import(
                &mut store,
                &all,
                platform,
                (dry_run, allow_erased),
                json,
                lang,
            )
        }
        Command::Lookup {
            query,
            json,
            limit,
            offset,
            reveal,
        } => {
            crate::db::lookup_trace("open");
            let store = super::common::open_existing(&db_path, lang)?;
            let page = store.lookup_page(&query, offset, limit, reveal)?;
            if json {
                print_json(&page.hits)?;
                crate::db::lookup_trace("printed");
            } else if page.total == 0 {
                outln!("{}", m(lang, M::LookupNone))?;
            } else {
                for h in &page.hits {
                    outln!("{}", lookup_line(h, lang))?;
                }
                outln!("{}", lookup_footer(&page, offset, lang))?;
            }
            Ok(EXIT_OK)
        }
        Command::Stats { json } => {
            let (store, _) = super::common::open_store(&db_path, crate::db::Access::Read, lang)?;
            let s = store.stats()?;
            if json {
                print_json(&s)?;
            } else {
                outln!("{} {}", m(lang, M::StatsCustomers), s.customers)?;
                outln!("{} {}", m(lang, M::StatsOrders), s.orders)?;
                outln!("{} {}", m(lang, M::StatsLines), s.lines)?;
                outln!("{} {}", m(lang, M::StatsPaid), Fen(s.paid_fen))?;
                outln!("{} {}", m(lang, M::StatsRefunded), Fen(s.refund_fen))?;
                for (st, n) in &s.status_counts {
                    outln!("  {} {n}", labels::status(lang, st))?;
                }
                outln!(
                    "{} {}",
                    m(lang, M::StatsPointsOutstanding),
                    s.points_outstanding
                )?;
                outln!("{} {}", m(lang, M::StatsOpenComplaints), s.complaints_open)?;
                if s.rejects > 0 {
                    outln!(
                        "{} {} (kehu rejects)",
                        m(lang, M::StatsRejectedRows),
                        s.rejects
                    )?;
                }
            }
            Ok(EXIT_OK)
        }
        Command::Rejects { json, reveal } => {
            let store = super::common::open_existing(&db_path, lang)?;
            let r = store.rejects()?;
            // Each reason in the reader's language, whatever the import's was;
            // buyers' phones masked in it and in the raw row unless --reveal.
            let out: Vec<RejectOut> = r
                .iter()
                .map(|e| {
                    RejectOut::new(&e.file, e.line as u64, e.reason.text(lang), &e.raw, reveal)
                })
                .collect();
            if json {
                print_json(&out)?;
            } else if out.is_empty() {
                outln!("{}", m(lang, M::RejectsNone))?;
            } else {
                for e in &out {
                    outln!("{}:{}: {}", e.file, e.line, e.reason)?;
                    outln!("    {}", text::one_line(&e.raw))?;
                }
            }
            Ok(EXIT_OK)
        }
        Command::Check { json } => {
            let (store, _) = super::common::open_store(&db_path, crate::db::Access::Read, lang)?;
            let report = store.check()?;
            if json {
                let problems: Vec<&str> = report.problems.iter().map(|p| p.get(lang)).collect();
                print_json(&serde_json::json!({
                    "integrity": report.integrity,
                    "problems": problems,
                }))?;
            } else if report.problems.is_empty() {
                outln!("{}", m(lang, M::CheckOk))?;
            } else {
                for p in &report.problems {
                    outln!("{} {}", m(lang, M::CheckProblem), p.get(lang))?;
                }
            }
            Ok(if report.problems.is_empty() {
                EXIT_OK
            } else {
                EXIT_FAILURE
            })
        }
        Command::Demo {
            no_tui,
            export_csv,
            orders,
            seed,
            force,
        } => {
            if let Some(dir) = export_csv {
                std::fs::create_dir_all(&dir).with_said(|| {
                    let d = dir.display();
                    Text::new(
                        format!("无法创建文件夹 {d}"),
                        format!("cannot create the folder {d}"),
                    )
                })?;
                let opts = crate::demo::GenOptions {
                    orders,
                    seed,
                    end: crate::domain::time::beijing_now(),
                    span_days: 730,
                    shop_name: "小美文具铺".to_string(),
                };
                let (o, i, s) = crate::demo::write_taobao_files(&opts, &dir)?;
                outln!("{}\n{}", o.display(), i.display())?;
                errln!(
                    "{} {} {}, {} {}, {} {}",
                    m(lang, M::DemoGenerated),
                    s.orders,
                    m(lang, M::DemoOrders),
                    s.lines,
                    m(lang, M::DemoLines),
                    s.customers,
                    m(lang, M::DemoBuyers)
                );
                return Ok(EXIT_OK);
            }
            let shop = crate::demo::build_demo_with(&db_path, orders, seed, force)?;
            errln!(
                "{} {}: {} {}, {} {}",
                m(lang, M::DemoBuilt),
                shop.path.display(),
                shop.orders,
                m(lang, M::DemoOrders),
                shop.customers,
                m(lang, M::DemoCustomers)
            );
            if no_tui {
                return Ok(EXIT_OK);
            }
            open_app(&db_path, lang)
        }
        Command::Backup(args) => super::backup::backup(args, &db_path, lang),
        Command::Restore(args) => super::backup::restore(args, &db_path, lang),
        Command::Points { cmd } => super::points::run(cmd, &db_path, lang),
        Command::Complaint { cmd } => super::complaint::run(cmd, &db_path, lang),
        Command::Followup { cmd } => super::serve::followup(cmd, &db_path, lang),
        Command::Feedback { cmd } => super::serve::feedback(cmd, &db_path, lang),
        Command::Satisfaction { by, json } => super::serve::satisfaction(by, json, &db_path, lang),
        Command::Analyse { from, to, json } => {
            if let (Some(f), Some(t)) = (&from, &to)
                && f > t
            {
                errln!("{}", crate::i18n::analyse::range_backwards(f, t).get(lang));
                return Ok(EXIT_USAGE);
            }
            let range = crate::model::MonthRange { from, to };
            super::analyse::analyse(range, json, &db_path, lang)
        }
        Command::Today { json } => super::serve::today(json, &db_path, lang),
        Command::Suggest {
            customer,
            backtest,
            json,
        } => super::suggest::run(customer, backtest, json, &db_path, lang),
        Command::Campaign { cmd } => super::campaign::run(cmd, &db_path, lang),
        Command::Merge(args) => super::merge::run(args, &db_path, lang),
        Command::Batches { json } => super::undo::batches(json, &db_path, lang),
        Command::Undo { batch, json } => super::undo::undo(batch, json, &db_path, lang),
        Command::Privacy { cmd } => super::privacy::run(cmd, &db_path, lang),
        Command::Predict {
            customer,
            json,
            backtest,
            cutoff,
            horizon,
        } => super::predict::run(
            super::predict::PredictArgs {
                customer,
                json,
                backtest,
                cutoff,
                horizon,
            },
            &db_path,
            lang,
        ),
        Command::Export {
            what,
            segment,
            customer,
            out,
            force,
            reveal,
            include_blacklisted,
        } => super::export::run(
            super::export::ExportArgs {
                kind: what,
                segment,
                customer,
                out,
                force,
                reveal,
                include_blacklisted,
            },
            &db_path,
            lang,
        ),
        Command::Config => super::points::config(lang),
        Command::Edit(cmd) => super::edit::run(cmd, &db_path, lang),
    }
}

/// Open the terminal app on `db`.
fn open_app(db: &Path, lang: Lang) -> Result<i32> {
    super::tui::run_app(db, lang)?;
    Ok(EXIT_OK)
}

#[derive(Debug, Serialize)]
struct RejectOut<'a> {
    file: &'a str,
    line: u64,
    reason: String,
    raw: Cow<'a, str>,
}

impl<'a> RejectOut<'a> {
    /// A rejected row for output: phones in the reason and the raw text
    /// masked unless `reveal`.
    fn new(file: &'a str, line: u64, reason: String, raw: &'a str, reveal: bool) -> Self {
        if reveal {
            return RejectOut {
                file,
                line,
                reason,
                raw: Cow::Borrowed(raw),
            };
        }
        RejectOut {
            file,
            line,
            reason: text::mask_phones_in(&reason).into_owned(),
            raw: text::mask_phones_in(raw),
        }
    }
}

/// The rejected rows of one file, each reason in `lang`, phones masked
/// (`kehu rejects --reveal` shows them).
fn rejects_out(s: &FileSummary, lang: Lang) -> Vec<RejectOut<'_>> {
    s.rejected
        .iter()
        .map(|r| RejectOut::new(&s.file, r.line, r.reason.text(lang), &r.raw, false))
        .collect()
}

/// One entry of `files[]`: an imported file's summary (which names the file)
/// or a refused file's name and reason. `file` appears once either way.
#[derive(Debug, Serialize)]
struct FileOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    summary: Option<&'a FileSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejected: Option<Vec<RejectOut<'a>>>,
}

#[derive(Debug, Serialize)]
struct ImportOut<'a> {
    platform: Option<Platform>,
    dry_run: bool,
    rows: u64,
    orders_new: u64,
    orders_updated: u64,
    orders_unchanged: u64,
    orders_stale: u64,
    customers_new: u64,
    lines: u64,
    rejected: Vec<RejectOut<'a>>,
    refused: &'a [RefusedFile],
    files: Vec<FileOut<'a>>,
}

fn import(
    store: &mut Store,
    paths: &[PathBuf],
    platform: Option<Platform>,
    (dry_run, allow_erased): (bool, bool),
    json: bool,
    lang: Lang,
) -> Result<i32> {
    let show_progress = !json && std::io::stderr().is_terminal();
    let mut last_file = usize::MAX;
    let mut progress = |p: &FileProgress| {
        if !show_progress || p.total <= 4 << 20 {
            return;
        }
        if p.index != last_file && last_file != usize::MAX {
            errln!();
        }
        last_file = p.index;
        let pct = p.done as f64 * 100.0 / p.total as f64;
        let width = 30usize;
        let filled = (((pct / 100.0) * width as f64) as usize).min(width);
        progress!(
            "{} [{}{}] {:5.1}%",
            short_name(&p.file),
            "#".repeat(filled),
            " ".repeat(width - filled),
            pct.min(100.0)
        );
    };
    let run = crate::ingest::import_files(
        store,
        paths,
        platform,
        ImportOptions {
            dry_run,
            allow_erased,
            ..ImportOptions::default()
        },
        lang,
        &mut progress,
    )?;
    if last_file != usize::MAX {
        errln!();
    }
    let ImportRun {
        summaries,
        refused,
        planned,
        backup,
    } = run;
    super::backup::said_backup(backup.as_deref(), lang);
    let code = if refused.is_empty() {
        EXIT_OK
    } else {
        EXIT_REFUSED
    };
    for r in &refused {
        errln!("{} {}: {}", m(lang, M::ImportRefused), r.file, r.reason);
    }
    // The work is committed: a reader that went away changes nothing about
    // the exit status (3 still says a file was refused).
    let printed = print_import(&summaries, &refused, dry_run, json, lang).and_then(|()| {
        if !json && planned.created > 0 {
            outln!(
                "{}",
                crate::i18n::serve::planned_after_import(lang, planned.created)
            )?;
        }
        Ok(())
    });
    match printed {
        Err(e) if is_broken_pipe(&e) => Ok(code),
        Err(e) => Err(e),
        Ok(()) => Ok(code),
    }
}

fn print_import(
    summaries: &[FileSummary],
    refused: &[RefusedFile],
    dry_run: bool,
    json: bool,
    lang: Lang,
) -> Result<()> {
    if json {
        let mut files: Vec<FileOut> = summaries
            .iter()
            .map(|s| FileOut {
                file: None,
                status: "imported",
                reason: None,
                summary: Some(s),
                rejected: Some(rejects_out(s, lang)),
            })
            .collect();
        files.extend(refused.iter().map(|r| FileOut {
            file: Some(&r.file),
            status: "refused",
            reason: Some(&r.reason),
            summary: None,
            rejected: None,
        }));
        let sum = |f: fn(&FileSummary) -> u64| summaries.iter().map(f).sum::<u64>();
        let out = ImportOut {
            platform: summaries.iter().find_map(|s| s.platform),
            dry_run,
            rows: sum(|s| s.rows),
            orders_new: sum(|s| s.orders_new),
            orders_updated: sum(|s| s.orders_updated),
            orders_unchanged: sum(|s| s.orders_unchanged),
            orders_stale: sum(|s| s.orders_stale),
            customers_new: sum(|s| s.customers_new),
            lines: sum(|s| s.lines),
            rejected: summaries
                .iter()
                .flat_map(|s| rejects_out(s, lang))
                .collect(),
            refused,
            files,
        };
        print_json(&out)
    } else {
        for s in summaries {
            print_summary(s, dry_run, lang)?;
        }
        Ok(())
    }
}

fn print_summary(s: &FileSummary, dry_run: bool, lang: Lang) -> Result<()> {
    let kind = match s.kind {
        Some(ReportKind::Items) => m(lang, M::ImportItemReport),
        _ => m(lang, M::ImportOrderReport),
    };
    let prefix = if dry_run {
        m(lang, M::ImportDryRun)
    } else {
        ""
    };
    outln!(
        "{prefix}{} — {} {kind}, {}, {} {}",
        s.file,
        s.platform.map_or("?", |p| p.label(lang)),
        s.encoding,
        s.rows,
        m(lang, M::ImportRows)
    )?;
    // The same counts, under the same names, as the app's import summary.
    outln!("  {}", s.counts_text(lang))?;
    if let Some(b) = s.batch {
        outln!("  {}", crate::i18n::undo::batch_line(lang, b))?;
    }
    for (raw, n) in &s.unknown_statuses {
        outln!(
            "  {} 「{}」 × {n}",
            m(lang, M::ImportUnknownStatus),
            text::quote(raw)
        )?;
    }
    if !s.rejected.is_empty() {
        outln!(
            "  {} {} {}",
            m(lang, M::ImportRejected),
            s.rejected.len(),
            m(lang, M::ImportRejectedRowsKept)
        )?;
        for r in &s.rejected {
            let reason = r.reason.text(lang);
            outln!(
                "    {}:{}: {}",
                s.file,
                r.line,
                text::mask_phones_in(&reason)
            )?;
        }
    }
    Ok(())
}

fn short_name(label: &str) -> &str {
    Path::new(label)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(label)
}

/// One lookup result on one line: flags, `#id`, who, orders, and what matched.
pub(crate) fn lookup_line(h: &LookupHit, lang: Lang) -> String {
    let open = if h.open_complaints > 0 {
        say::lookup_open_complaints(lang, h.open_complaints)
    } else {
        String::new()
    };
    format!(
        "{}{open}#{} {} [{}] {} {}  {} {} {}  {} {} {}  {} {}  {} {}: {}",
        if h.blacklisted {
            m(lang, M::LookupBlacklisted)
        } else {
            ""
        },
        h.id,
        text::one_line(&h.buyer),
        Platform::label_of(&h.platform, lang),
        text::one_line(&h.name),
        h.phone,
        h.orders,
        m(lang, M::LookupOrders),
        Fen(h.paid_fen),
        m(lang, M::LookupLast),
        h.last_order_at.as_deref().unwrap_or("-"),
        h.last_order_status
            .as_deref()
            .map(|s| labels::status(lang, s))
            .unwrap_or("-"),
        m(lang, M::Points),
        h.points,
        m(lang, M::LookupMatched),
        h.matched.field.label(lang),
        text::one_line(&h.matched.value),
    )
}

/// "1–20 of 30", and how to see the rest.
fn lookup_footer(page: &LookupPage, offset: usize, lang: Lang) -> String {
    let more = page.capped || offset + page.hits.len() < page.total;
    say::lookup_footer(
        lang,
        &page.total_label(),
        offset,
        offset + page.hits.len(),
        more,
    )
}
