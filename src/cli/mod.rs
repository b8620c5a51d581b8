//! The command line: clap definitions and thin commands over the library.

mod analyse;
mod backup;
mod campaign;
mod commands;
mod common;
mod complaint;
mod customer;
mod edit;
mod export;
mod merge;
pub(crate) mod out;
mod points;
mod predict;
mod privacy;
mod serve;
mod suggest;
mod tui;
mod undo;

use crate::i18n::Lang;
use crate::i18n::cli::{M, m};
use clap::{Parser, Subcommand};
use out::errln;
use std::path::PathBuf;

/// Exit statuses scripts rely on.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_REFUSED: i32 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "kehu",
    version,
    about = "kehu (客户): 网店店主的终端客户管理 / a terminal CRM for the solo online seller",
    long_about = None
)]
pub struct Cli {
    /// Database file (default: kehu.db in the user data dir). Also KEHU_DB.
    #[arg(long, global = true, env = "KEHU_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language: zh (default) or en. Else LC_ALL/LC_MESSAGES/LANG.
    #[arg(long, global = true, value_name = "zh|en", value_parser = lang_arg)]
    pub lang: Option<String>,

    /// Writes wait for a running import to finish (however long it takes)
    /// instead of being refused with exit status 3.
    #[arg(long, global = true)]
    pub wait: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import order/item report exports (Taobao/Tmall, Pinduoduo, Douyin, JD, Kuaishou, Youzan).
    Import {
        /// Export files (order reports and item reports, recognised by their headers), or folders holding them.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// An item report (宝贝报表) to link to the orders by order number.
        #[arg(long, value_name = "FILE")]
        items: Vec<PathBuf>,
        /// Platform, when detection by header should be overridden.
        #[arg(long, value_name = "taobao|pdd|douyin|jd|kuaishou|youzan")]
        platform: Option<String>,
        /// Report what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
        /// Import the rows of buyers whose data was erased too (else rejected).
        #[arg(long)]
        allow_erased: bool,
    },
    /// Find a buyer by nickname or name fragment, phone (or last 4 digits), or order number.
    /// Direct matches first (order number, full phone, exact name, phone tail, start of a
    /// nickname, then any fragment); within each, blacklisted buyers, open complaints, then
    /// by orders and spend.
    Lookup {
        query: String,
        /// A JSON array of the results (each with `matched`: `{field, value}`).
        #[arg(long)]
        json: bool,
        /// Results shown at most.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Skip this many results first (the next page: --offset 20).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Show phones unmasked.
        #[arg(long)]
        reveal: bool,
    },
    /// Totals: customers, orders, lines, money, orders per status.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// The shop analysis (数据分析): sales by month with new and returning
    /// buyers, the repurchase rate, customers by segment and by tier, and the
    /// top 20 items. --from/--to restrict the months and the top items (orders
    /// created in those months); the repurchase rate, segments and tiers are
    /// always over every order, as of now. A buyer counts as new in the month
    /// of their first valid order ever.
    Analyse {
        /// First month shown, YYYY-MM (inclusive).
        #[arg(long, value_name = "YYYY-MM", value_parser = analyse::month_arg)]
        from: Option<String>,
        /// Last month shown, YYYY-MM (inclusive).
        #[arg(long, value_name = "YYYY-MM", value_parser = analyse::month_arg)]
        to: Option<String>,
        /// One JSON document: months, repurchase_rate, segments, tiers, top_items (money in fen).
        #[arg(long)]
        json: bool,
    },
    /// Rows that imports could not trust, with file, line, reason and raw text.
    Rejects {
        #[arg(long)]
        json: bool,
        /// Show phone numbers in the rows unmasked.
        #[arg(long)]
        reveal: bool,
    },
    /// Check the database file and kehu's own invariants; non-zero on any problem.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Write a consistent copy of the database to FILE (safe while the app is
    /// open); `backup list` shows the automatic backups in backups/ beside it.
    Backup(backup::BackupArgs),
    /// Replace the database with a backup (checked first; the current
    /// database is kept as one more backup). Needs --confirm.
    Restore(backup::RestoreArgs),
    /// Build a realistic demo shop and open it; or write generated exports.
    Demo {
        /// Only build the database; do not open the app.
        #[arg(long)]
        no_tui: bool,
        /// Instead of a database, write a Taobao order + item report (GBK) into DIR.
        #[arg(long, value_name = "DIR")]
        export_csv: Option<PathBuf>,
        /// Number of orders.
        #[arg(long, default_value_t = 3000)]
        orders: u64,
        /// Random seed (the same seed gives the same shop).
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Replace a demo database even though it holds notes, tags, the
        /// blacklist, complaints or points entries a person made (a real
        /// shop's database is never replaced).
        #[arg(long)]
        force: bool,
    },
    /// Loyalty points: balance, history, redeem, adjust, expire.
    Points {
        #[command(subcommand)]
        cmd: points::PointsCmd,
    },
    /// Complaints: add, set, list, show, stats.
    Complaint {
        #[command(subcommand)]
        cmd: complaint::ComplaintCmd,
    },
    /// Export customers, orders, complaints or the points ledger as CSV (UTF-8
    /// with BOM, for Excel): to FILE with --out, else to stdout.
    Export {
        /// customers (客户), orders (订单), complaints (投诉) or ledger (积分).
        #[arg(value_enum, value_name = "customers|orders|complaints|ledger")]
        what: export::ExportKind,
        /// Only customers in this segment (and their orders, complaints, ledger):
        /// 重要价值客户/top, 重要发展客户/promising, 重要保持客户/at-risk,
        /// 重要挽留客户/win-back, 一般价值客户/loyal, 一般发展客户/new,
        /// 一般保持客户/slipping, 一般挽留客户/dormant.
        #[arg(long, value_name = "S")]
        segment: Option<String>,
        /// Only this customer's data (#id, platform:key, buyer key, or a lookup query finding one customer).
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        /// Write to FILE (refused if it exists, unless --force).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Overwrite FILE if it exists.
        #[arg(long, requires = "out")]
        force: bool,
        /// Phones unmasked.
        #[arg(long)]
        reveal: bool,
        /// Keep blacklisted buyers in a customer list (campaign lists leave
        /// them out by default).
        #[arg(long)]
        include_blacklisted: bool,
    },
    /// Follow-ups (回访): add, list, done, skip, plan.
    Followup {
        #[command(subcommand)]
        cmd: serve::FollowupCmd,
    },
    /// Feedback (满意度): add a score, list them.
    Feedback {
        #[command(subcommand)]
        cmd: serve::FeedbackCmd,
    },
    /// Satisfaction overall and by month, source, category, segment or tier.
    Satisfaction {
        /// month (default), source, category, segment or tier.
        #[arg(long, value_name = "month|source|category|segment|tier")]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Whom to contact today and why: follow-ups due, complaints past target,
    /// valuable buyers who just slipped, reorders due, points expiring.
    Today {
        #[arg(long)]
        json: bool,
    },
    /// Predictions (预测): a customer's next order, churn risk and 12-month
    /// value; or a backtest of the model against naive rules.
    Predict {
        /// #id, platform:key, buyer key, or a lookup query finding one customer.
        #[arg(value_name = "CUSTOMER")]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
        /// Predict from the orders before --cutoff and compare with what followed.
        #[arg(long)]
        backtest: bool,
        /// The backtest's cutoff date (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD", requires = "backtest")]
        cutoff: Option<String>,
        /// Days after the cutoff a buyer has to come back in (churn horizon).
        #[arg(long, default_value_t = 90, value_name = "DAYS")]
        horizon: i64,
    },
    /// Suggestions (个性化推荐): the 5 titles CUSTOMER might want and why; or,
    /// with --backtest, how often they would have held an item of each
    /// buyer's last order, against the shop's 5 most-ordered titles.
    Suggest {
        /// #id, platform:key, buyer key, or a lookup query finding one customer.
        #[arg(required_unless_present = "backtest", conflicts_with = "backtest")]
        customer: Option<String>,
        /// Hide each buyer's last valid order and suggest from what came before it.
        #[arg(long)]
        backtest: bool,
        #[arg(long)]
        json: bool,
    },
    /// Campaigns (精准营销): create with a control group, list, show, report.
    Campaign {
        #[command(subcommand)]
        cmd: campaign::CampaignCmd,
    },
    /// One person across shops: `merge suggest`, `merge A B` (B into A), `merge undo ID`.
    Merge(merge::MergeArgs),
    /// The import batches, newest first: time, file, new, updated, rejected, undone.
    Batches {
        #[arg(long)]
        json: bool,
    },
    /// Undo an import batch exactly (refused, exit 3, when later work depends on it).
    Undo {
        batch: i64,
        #[arg(long)]
        json: bool,
    },
    /// One person's data: export it, erase it, and the log of both.
    Privacy {
        #[command(subcommand)]
        cmd: privacy::PrivacyCmd,
    },
    /// Show the settings file's path and the rules in force.
    Config,
    /// Notes, tags and the blacklist: `kehu note|tag|untag|blacklist|unblacklist CUSTOMER …`.
    #[command(flatten)]
    Edit(edit::EditCmd),
}

/// `--wait` for this run: every store a command opens gets it.
static WAIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn wait() -> bool {
    WAIT.load(std::sync::atomic::Ordering::Relaxed)
}

/// `--lang`: zh or en (any case; a region such as zh_CN or en-US is fine).
/// Anything else is a usage error (exit 2) naming the accepted values.
fn lang_arg(s: &str) -> Result<String, String> {
    let lower = s.to_ascii_lowercase();
    let base = lower.split(['_', '-', '.']).next().unwrap_or_default();
    match base {
        "zh" | "en" => Ok(lower),
        // No `--lang` to go by: the locale's language, both where it is not English.
        _ => Err(crate::i18n::cli::bad_lang(Lang::detect(None)).to_string()),
    }
}

/// Parse arguments and run; returns the process exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let lang = Lang::detect(cli.lang.as_deref());
    WAIT.store(cli.wait, std::sync::atomic::Ordering::Relaxed);
    if let Some(Err(bad)) = crate::domain::time::env_now() {
        errln!("{}", crate::i18n::cli::bad_kehu_now(bad).get(lang));
        return EXIT_USAGE;
    }
    match commands::run(cli, lang) {
        Ok(code) => code,
        // The reader of stdout went away (`kehu … | head`): a quiet end.
        Err(e) if out::is_broken_pipe(&e) => EXIT_OK,
        Err(e) => match e.downcast_ref::<crate::db::Refused>() {
            // Input refused: the reason, and nothing written.
            Some(refused) => {
                errln!("{}", refused.message(lang));
                EXIT_REFUSED
            }
            None => {
                let text = crate::i18n::error_text(&e, lang);
                errln!("{}: {text}", m(lang, M::Error));
                EXIT_FAILURE
            }
        },
    }
}
