//! `kehu complaint …`: record, move, list, show and summarise complaints.

use super::EXIT_OK;
use super::common::{customer_id, finish, open_store, yuan_arg};
use super::out::outln;
use crate::db::{ComplaintMove, ComplaintRow, NewComplaint, Refused};
use crate::domain::Fen;
use crate::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::cli::{M, m};
use crate::i18n::codes;
use anyhow::Result;
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum ComplaintCmd {
    /// Record a complaint (status open).
    Add {
        customer: String,
        /// Order number; must be the customer's.
        #[arg(long)]
        order: Option<String>,
        /// 质量问题/quality, 物流问题/logistics, 发错/漏发/wrong-item, 服务态度/service, 价格/优惠/price, 其他/other
        #[arg(long)]
        category: String,
        /// 低/low, 中/medium, 高/high, 紧急/urgent
        #[arg(long)]
        severity: String,
        /// 旺旺/wangwang, 电话/phone, 短信/sms, 评价/review, 其他/other
        #[arg(long, default_value = "wangwang")]
        channel: String,
        #[arg(long)]
        summary: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a complaint: 待处理/open, 处理中/processing, 已解决/resolved, 已关闭/closed.
    Set {
        id: i64,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        resolution: Option<String>,
        /// Points given to the customer (with a move to resolved or closed).
        #[arg(long, default_value_t = 0)]
        compensate_points: i64,
        /// Money refunded or paid as compensation, in yuan: 12.50 (with a move
        /// to resolved or closed).
        #[arg(long, value_name = "YUAN")]
        compensate: Option<String>,
        #[arg(long)]
        coupon: Option<String>,
        /// 1–5, after resolution.
        #[arg(long)]
        satisfaction: Option<u8>,
        #[arg(long)]
        json: bool,
    },
    /// Complaints, newest first, with the overdue mark.
    List {
        /// Only open and processing.
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// One complaint and its history, oldest first.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Counts by category and month, mean hours to resolve, repeat complainers.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

fn parse<T>(
    v: &str,
    what: (&str, &str),
    f: fn(&str) -> Option<T>,
    choices: (String, String),
) -> Result<T> {
    f(v).ok_or_else(|| crate::i18n::cli::unknown_choice(v, what, (&choices.0, &choices.1)).into())
}

pub fn run(cmd: ComplaintCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(run_inner(cmd, db, lang), lang)
}

fn run_inner(cmd: ComplaintCmd, db: &Path, lang: Lang) -> Result<i32> {
    let access = match cmd {
        ComplaintCmd::Add { .. } | ComplaintCmd::Set { .. } => crate::db::Access::Write,
        _ => crate::db::Access::Read,
    };
    let (mut store, cfg) = open_store(db, access, lang)?;
    let sla = cfg.sla();
    match cmd {
        ComplaintCmd::Add {
            customer,
            order,
            category,
            severity,
            channel,
            summary,
            json,
        } => {
            let category = parse(
                &category,
                ("类别", "category"),
                Category::parse,
                (Category::choices(), codes(Category::ALL, Category::code)),
            )?;
            if !cfg.categories().contains(&category) {
                let zh = category.label(Lang::Zh);
                return Err(crate::i18n::cli::category_not_enabled(zh, category.code()).into());
            }
            let severity = parse(
                &severity,
                ("严重程度", "severity"),
                Severity::parse,
                (Severity::choices(), codes(Severity::ALL, Severity::code)),
            )?;
            let channel = parse(
                &channel,
                ("渠道", "channel"),
                Channel::parse,
                (Channel::choices(), codes(Channel::ALL, Channel::code)),
            )?;
            let cid = customer_id(&store, &customer)?;
            let id = store.add_complaint(&NewComplaint {
                customer_id: cid,
                order_no: order,
                category,
                severity,
                channel,
                summary,
                at: None,
            })?;
            if json {
                super::out::print_json(&serde_json::json!({ "id": id, "status": "open" }))?;
            } else {
                outln!("{} {id}", m(lang, M::ComplaintRecorded))?;
            }
        }
        ComplaintCmd::Set {
            id,
            status,
            note,
            resolution,
            compensate_points,
            compensate,
            coupon,
            satisfaction,
            json,
        } => {
            let compensate_fen = match compensate.as_deref() {
                Some(text) => yuan_arg(text, ("补偿金额", "compensation"))?,
                None => 0,
            };
            let to = parse(
                &status,
                ("状态", "status"),
                ComplaintStatus::parse,
                (
                    ComplaintStatus::choices(),
                    codes(ComplaintStatus::ALL, ComplaintStatus::code),
                ),
            )?;
            store.move_complaint(
                id,
                &ComplaintMove {
                    to,
                    note,
                    resolution,
                    compensate_points,
                    compensate_fen,
                    coupon,
                    satisfaction,
                    at: None,
                },
            )?;
            if json {
                let d = store.complaint_detail(id, &sla)?;
                super::out::print_json(&d)?;
            } else {
                outln!("{} {id} → {}", m(lang, M::Complaint), to.label(lang))?;
            }
        }
        ComplaintCmd::List { open, json, limit } => {
            let rows = store.complaints_page(open, None, i64::MAX, limit, &sla)?;
            if json {
                super::out::print_json(&rows)?;
            } else if rows.is_empty() {
                outln!("{}", m(lang, M::ComplaintNone))?;
            } else {
                for r in &rows {
                    print_row(r, lang)?;
                }
            }
        }
        ComplaintCmd::Show { id, json } => {
            let Some(d) = store.complaint_detail(id, &sla)? else {
                return Err(Refused::no_complaint(id).into());
            };
            if json {
                super::out::print_json(&d)?;
            } else {
                let c = &d.complaint;
                print_row(c, lang)?;
                outln!("  {}", one_line(&c.summary))?;
                if !c.resolution.is_empty() {
                    outln!(
                        "  {}: {}",
                        m(lang, M::ComplaintResolution),
                        one_line(&c.resolution)
                    )?;
                }
                if c.compensation_points > 0 || c.compensation_fen > 0 {
                    outln!(
                        "  {}: {} {} {}",
                        m(lang, M::ComplaintCompensation),
                        Fen(c.compensation_fen),
                        c.compensation_points,
                        m(lang, M::Points)
                    )?;
                }
                if let Some(s) = c.satisfaction {
                    outln!("  {}: {s}/5", m(lang, M::ComplaintSatisfaction))?;
                }
                for e in &d.history {
                    outln!(
                        "  {}  {} → {}  {}",
                        e.at,
                        e.from_status
                            .as_deref()
                            .map(|s| status_label(s, lang))
                            .unwrap_or("-"),
                        status_label(&e.to_status, lang),
                        one_line(&e.note)
                    )?;
                }
            }
        }
        ComplaintCmd::Stats { json } => {
            let s = store.complaint_stats(&sla)?;
            if json {
                super::out::print_json(&s)?;
            } else {
                outln!(
                    "{} {}  {} {}  {} {}",
                    m(lang, M::ComplaintStatsTotal),
                    s.total,
                    m(lang, M::ComplaintStatsOpen),
                    s.open,
                    m(lang, M::ComplaintStatsOverdue),
                    s.overdue
                )?;
                for c in &s.by_category {
                    let label = Category::parse(&c.key)
                        .map(|k| k.label(lang))
                        .unwrap_or("?");
                    outln!("  {label} {}", c.count)?;
                }
                for m in &s.by_month {
                    outln!("  {} {}", m.key, m.count)?;
                }
                // Nothing resolved yet: no mean to give (not 0.0h).
                let mean = s
                    .mean_hours_to_resolve
                    .map_or_else(|| "—".to_string(), |h| format!("{h:.1}h"));
                outln!("{} {mean}", m(lang, M::ComplaintMeanToResolve))?;
                for r in &s.repeat_complainers {
                    outln!("  {} ×{}", one_line(&r.key), r.count)?;
                }
            }
        }
    }
    Ok(EXIT_OK)
}

fn status_label(code: &str, lang: Lang) -> &'static str {
    ComplaintStatus::parse(code)
        .map(|s| s.label(lang))
        .unwrap_or("?")
}

fn print_row(r: &ComplaintRow, lang: Lang) -> Result<()> {
    outln!(
        "#{} {} {} {} {} {} {} {}{}",
        r.id,
        r.created_at,
        one_line(&r.customer),
        r.order_no.as_deref().unwrap_or("-"),
        Category::parse(&r.category)
            .map(|c| c.label(lang))
            .unwrap_or("?"),
        Severity::parse(&r.severity)
            .map(|c| c.label(lang))
            .unwrap_or("?"),
        status_label(&r.status, lang),
        one_line(&r.summary),
        if r.overdue {
            m(lang, M::ComplaintOverdueFlag)
        } else {
            ""
        }
    )?;
    Ok(())
}
