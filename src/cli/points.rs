//! `kehu points …` and `kehu config`: balances, history, redemptions and
//! adjustments, expiry, and the settings in force. Also what every command
//! shares: opening the database (only import creates one), CUSTOMER, money
//! typed in yuan, and refusals as exit status 3.

use super::EXIT_OK;
use super::common::{customer_id, finish, open_store};
use super::out::outln;
use crate::config::Config;
use crate::db::{Access, Refused};
use crate::domain::Fen;
use crate::i18n::Lang;
use crate::i18n::cli::{M, m};
use anyhow::Result;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum PointsCmd {
    /// A customer's balance and tier (CUSTOMER: #id, platform:key, buyer key, or a lookup query
    /// that finds exactly one customer: name, phone, order number, part of a nickname).
    Balance {
        customer: String,
        #[arg(long)]
        json: bool,
    },
    /// A customer's ledger entries with the running balance, oldest first.
    History {
        customer: String,
        #[arg(long)]
        json: bool,
    },
    /// Spend points (refused when the balance is short).
    Redeem {
        customer: String,
        points: i64,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Add or remove points by hand: `kehu points adjust CUSTOMER -50 --note …`.
    Adjust {
        customer: String,
        #[arg(allow_negative_numbers = true)]
        delta: i64,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Expire points older than `points.expiry_months` (config); nothing when 0.
    Expire {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: PointsCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(run_inner(cmd, db, lang), lang)
}

fn run_inner(cmd: PointsCmd, db: &Path, lang: Lang) -> Result<i32> {
    let access = match cmd {
        PointsCmd::Balance { .. } | PointsCmd::History { .. } => Access::Read,
        _ => Access::Write,
    };
    let (mut store, cfg) = open_store(db, access, lang)?;
    match cmd {
        PointsCmd::Balance { customer, json } => {
            let id = customer_id(&store, &customer)?;
            let b = store
                .points_balance(id, &cfg.tiers())?
                .ok_or_else(|| Refused::no_customer(id))?;
            if json {
                super::out::print_json(&b)?;
            } else {
                outln!(
                    "{}  {} {}  {} {}  {} {}",
                    crate::domain::text::one_line(&b.customer),
                    m(lang, M::Points),
                    b.balance,
                    m(lang, M::PointsTier),
                    b.tier.label(lang),
                    m(lang, M::PointsSpend12m),
                    Fen(b.spend_12m_fen)
                )?;
            }
        }
        PointsCmd::History { customer, json } => {
            let id = customer_id(&store, &customer)?;
            let mut all = Vec::new();
            let mut after = 0;
            loop {
                let page = store.ledger_page(Some(id), after, 1000)?;
                let Some(last) = page.last() else { break };
                after = last.id;
                all.extend(page);
            }
            if json {
                super::out::print_json(&all)?;
            } else if all.is_empty() {
                outln!("{}", m(lang, M::PointsNoEntries))?;
            } else {
                for e in &all {
                    let reference = match (&e.ref_order_no, e.ref_complaint_id) {
                        (Some(no), _) => no.clone(),
                        (None, Some(c)) => format!("{} {c}", m(lang, M::Complaint)),
                        _ => String::new(),
                    };
                    outln!(
                        "{}  {:>+7}  {:<12} {:<20} {:>7}  {}",
                        e.created_at,
                        e.delta,
                        crate::i18n::labels::ledger_kind(lang, &e.kind),
                        reference,
                        e.balance,
                        crate::domain::text::one_line(&e.note)
                    )?;
                }
            }
        }
        PointsCmd::Redeem {
            customer,
            points,
            note,
            json,
        } => {
            let id = customer_id(&store, &customer)?;
            let balance = store.redeem_points(id, points, &note)?;
            report(json, id, balance, lang)?;
        }
        PointsCmd::Adjust {
            customer,
            delta,
            note,
            json,
        } => {
            let id = customer_id(&store, &customer)?;
            let balance = store.adjust_points(id, delta, &note)?;
            report(json, id, balance, lang)?;
        }
        PointsCmd::Expire { json } => {
            let months = cfg.points.expiry_months;
            let (customers, points) = store.expire_points(months)?;
            if json {
                super::out::print_json(&serde_json::json!({
                    "expiry_months": months, "customers": customers, "points": points
                }))?;
            } else if months == 0 {
                outln!("{}", m(lang, M::PointsExpiryOff))?;
            } else {
                outln!(
                    "{} {customers}, {} {points}",
                    m(lang, M::PointsExpiredCustomers),
                    m(lang, M::PointsExpired)
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn report(json: bool, id: i64, balance: i64, lang: Lang) -> Result<()> {
    if json {
        super::out::print_json(&serde_json::json!({"customer_id": id, "balance": balance}))
    } else {
        outln!("{} {balance}", m(lang, M::PointsDone))?;
        Ok(())
    }
}

/// `kehu config`: where the file is and the rules in force.
pub fn config(lang: Lang) -> Result<i32> {
    let (cfg, path): (Config, PathBuf) = Config::load()?;
    outln!("{} {}", m(lang, M::ConfigFile), path.display())?;
    outln!("{} {}", m(lang, M::ConfigPerYuan), cfg.points.per_yuan)?;
    outln!(
        "{} {}",
        m(lang, M::ConfigExpiryMonths),
        cfg.points.expiry_months
    )?;
    outln!(
        "{}: {} ¥{} / {} ¥{} / {} ¥{}",
        m(lang, M::ConfigTiers),
        m(lang, M::ConfigSilver),
        cfg.tiers.silver_yuan,
        m(lang, M::ConfigGold),
        cfg.tiers.gold_yuan,
        m(lang, M::ConfigDiamond),
        cfg.tiers.diamond_yuan
    )?;
    outln!(
        "{}: {} {} {}, {} {}, {} ¥{}",
        m(lang, M::ConfigSegments),
        m(lang, M::ConfigRecent),
        cfg.segments.recent_days,
        m(lang, M::ConfigDays),
        m(lang, M::ConfigFrequent),
        cfg.segments.frequent_orders,
        m(lang, M::ConfigHighValue),
        cfg.segments.high_value_yuan
    )?;
    let cats: Vec<&str> = cfg.categories().iter().map(|c| c.label(lang)).collect();
    outln!("{}: {}", m(lang, M::ConfigCategories), cats.join(", "))?;
    outln!(
        "SLA: {} {}h, {} {}h",
        m(lang, M::ConfigFirstResponse),
        cfg.complaints.first_response_hours,
        m(lang, M::ConfigResolution),
        cfg.complaints.resolution_hours
    )?;
    Ok(EXIT_OK)
}
