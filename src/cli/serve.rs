//! `kehu followup …`, `kehu feedback …`, `kehu satisfaction`, `kehu today`
//! and `kehu campaign …`: serving the buyers from the command line.

use super::EXIT_OK;
use super::common::{customer_id, finish, open_store};
use super::out::{outln, print_json};
use crate::db::{Access, Actor, Store};
use crate::domain::followup::{FeedbackSource, FollowupReason};
use crate::domain::segment::Segment;
use crate::domain::text::one_line;
use crate::domain::tier::Tier;
use crate::i18n::Lang;
use crate::i18n::cli::unknown_choice;
use crate::i18n::serve as say;
use crate::model::{
    FollowupFilter, FollowupRow, NewFeedback, NewFollowup, SatisfactionBy, ScoreSummary, TodayKind,
};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use serde_json::json;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum FollowupCmd {
    /// Add a follow-up by hand.
    Add {
        customer: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        due: String,
        /// 售后回访/after-sale, 投诉回访/complaint, VIP关怀/vip, 挽回/win-back, 其他/custom
        #[arg(long)]
        reason: String,
        /// Order number; must be the customer's.
        #[arg(long)]
        order: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Follow-ups by due date, then id.
    List {
        /// Only open ones.
        #[arg(long)]
        open: bool,
        /// Only those due on or before this day (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        due_by: Option<String>,
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        #[arg(long, default_value_t = 500)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Mark a follow-up done, with what came of it (and a satisfaction 1–5).
    Done {
        id: i64,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        satisfaction: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Skip a follow-up, saying why.
    Skip {
        id: i64,
        #[arg(long)]
        note: String,
    },
    /// Apply the config's rules now (they also run after every import).
    Plan {
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedbackCmd {
    /// Record a satisfaction score (1–5).
    Add {
        customer: String,
        #[arg(long)]
        score: i64,
        /// 回访/followup, 投诉/complaint, 问卷/survey, 评价/review, 聊天/chat
        #[arg(long)]
        source: String,
        #[arg(long)]
        order: Option<String>,
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Feedback, newest first.
    List {
        #[arg(long, value_name = "CUSTOMER")]
        customer: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn date_arg(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| say::not_a_date(s).into())
}

fn reason_arg(s: &str) -> Result<FollowupReason> {
    let en = crate::i18n::codes(FollowupReason::ALL, FollowupReason::code);
    FollowupReason::parse(s).ok_or_else(|| {
        unknown_choice(s, ("回访原因", "reason"), (&FollowupReason::choices(), &en)).into()
    })
}

fn source_arg(s: &str) -> Result<FeedbackSource> {
    let en = crate::i18n::codes(FeedbackSource::ALL, FeedbackSource::code);
    FeedbackSource::parse(s).ok_or_else(|| {
        unknown_choice(s, ("来源", "source"), (&FeedbackSource::choices(), &en)).into()
    })
}

/// One follow-up on one line.
fn followup_line(f: &FollowupRow, lang: Lang) -> String {
    let order = f.order_no.as_deref().unwrap_or("-");
    let mut line = format!(
        "#{:<5} {} {:<8} {:<6} {} ({}) {}",
        f.id,
        f.due,
        f.reason.label(lang),
        f.status.label(lang),
        one_line(&f.buyer),
        f.customer,
        order
    );
    for part in [&f.note, &f.outcome] {
        if !part.is_empty() {
            line.push_str(" · ");
            line.push_str(&one_line(part));
        }
    }
    if let Some(s) = f.satisfaction {
        line.push_str(&format!(" · {s}/5"));
    }
    line
}

pub fn followup(cmd: FollowupCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(followup_inner(cmd, db, lang), lang)
}

fn followup_inner(cmd: FollowupCmd, db: &Path, lang: Lang) -> Result<i32> {
    let access = match cmd {
        FollowupCmd::List { .. } | FollowupCmd::Plan { dry_run: true, .. } => Access::Read,
        _ => Access::Write,
    };
    let (mut store, cfg) = open_store(db, access, lang)?;
    match cmd {
        FollowupCmd::Add {
            customer,
            due,
            reason,
            order,
            note,
            json,
        } => {
            let due = date_arg(&due)?;
            let reason = reason_arg(&reason)?;
            let cid = customer_id(&store, &customer)?;
            let id = store.add_followup(
                &NewFollowup {
                    customer_id: cid,
                    order_no: order,
                    due,
                    reason,
                    note,
                },
                Actor::Cli,
            )?;
            show_followup(&store, id, json, || {
                say::followup_added(lang, id, &due.format("%Y-%m-%d").to_string())
            })
        }
        FollowupCmd::List {
            open,
            due_by,
            customer,
            limit,
            json,
        } => {
            let due_by = due_by.as_deref().map(date_arg).transpose()?;
            let customer_id = customer
                .as_deref()
                .map(|c| customer_id(&store, c))
                .transpose()?;
            let rows = store.followups(
                FollowupFilter {
                    open_only: open,
                    due_by,
                    customer_id,
                },
                limit,
            )?;
            if json {
                print_json(&rows)?;
            } else if rows.is_empty() {
                outln!("{}", say::no_followups(lang))?;
            } else {
                for f in &rows {
                    outln!("{}", followup_line(f, lang))?;
                }
            }
            Ok(EXIT_OK)
        }
        FollowupCmd::Done {
            id,
            outcome,
            satisfaction,
            json,
        } => {
            store.finish_followup(id, &outcome, satisfaction, Actor::Cli)?;
            show_followup(&store, id, json, || say::followup_done(lang, id))
        }
        FollowupCmd::Skip { id, note } => {
            store.skip_followup(id, &note, Actor::Cli)?;
            outln!("{}", say::followup_skipped(lang, id))?;
            Ok(EXIT_OK)
        }
        FollowupCmd::Plan { dry_run, json } => {
            let rules = cfg.followup_rules()?;
            let r = store.plan_followups(&rules, &cfg.tiers(), &cfg.segments(), dry_run)?;
            if json {
                print_json(&r)?;
            } else {
                outln!("{}", say::plan_result(lang, dry_run, r.created))?;
                for (rule, n) in &r.by_rule {
                    outln!("  {rule}: {n}")?;
                }
            }
            Ok(EXIT_OK)
        }
    }
}

fn show_followup(
    store: &Store,
    id: i64,
    json: bool,
    plain: impl FnOnce() -> String,
) -> Result<i32> {
    if json {
        print_json(&store.followup(id)?)?;
    } else {
        outln!("{}", plain())?;
    }
    Ok(EXIT_OK)
}

pub fn feedback(cmd: FeedbackCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(feedback_inner(cmd, db, lang), lang)
}

fn feedback_inner(cmd: FeedbackCmd, db: &Path, lang: Lang) -> Result<i32> {
    let access = match cmd {
        FeedbackCmd::List { .. } => Access::Read,
        FeedbackCmd::Add { .. } => Access::Write,
    };
    let (mut store, _) = open_store(db, access, lang)?;
    match cmd {
        FeedbackCmd::Add {
            customer,
            score,
            source,
            order,
            text,
            json,
        } => {
            let source = source_arg(&source)?;
            let cid = customer_id(&store, &customer)?;
            let id = store.add_feedback(&NewFeedback {
                customer_id: cid,
                order_no: order,
                score,
                source,
                text,
                at: None,
            })?;
            if json {
                let row = store.feedback(Some(cid))?.into_iter().find(|f| f.id == id);
                print_json(&row)?;
            } else {
                outln!("{}", say::feedback_added(lang, id))?;
            }
            Ok(EXIT_OK)
        }
        FeedbackCmd::List { customer, json } => {
            let cid = customer
                .as_deref()
                .map(|c| customer_id(&store, c))
                .transpose()?;
            let rows = store.feedback(cid)?;
            if json {
                print_json(&rows)?;
            } else if rows.is_empty() {
                outln!("{}", say::no_feedback(lang))?;
            } else {
                for f in &rows {
                    outln!(
                        "#{:<5} {} {}/5 {:<4} {} {}",
                        f.id,
                        &f.at[..f.at.len().min(16)],
                        f.score,
                        f.source.label(lang),
                        f.customer,
                        one_line(&f.text)
                    )?;
                }
            }
            Ok(EXIT_OK)
        }
    }
}

fn summary_cells(s: &ScoreSummary) -> (String, String) {
    (
        s.mean.map_or("-".into(), |m| format!("{m:.2}")),
        s.low_share
            .map_or("-".into(), |l| format!("{:.1}%", l * 100.0)),
    )
}

pub fn satisfaction(by: Option<String>, json: bool, db: &Path, lang: Lang) -> Result<i32> {
    finish(
        (|| {
            let by = match by.as_deref() {
                None => SatisfactionBy::Month,
                Some(b) => SatisfactionBy::parse(b).ok_or_else(|| say::bad_satisfaction_by(b))?,
            };
            let (store, cfg) = open_store(db, Access::Read, lang)?;
            let s = store.satisfaction(by, &cfg.segments(), &cfg.tiers())?;
            if json {
                print_json(&s)?;
                return Ok(EXIT_OK);
            }
            let h = say::satisfaction_header(lang);
            outln!("{:<12} {:>6} {:>7} {:>8}", h[0], h[1], h[2], h[3])?;
            let (mean, low) = summary_cells(&s.overall);
            outln!(
                "{:<12} {:>6} {:>7} {:>8}",
                say::overall(lang),
                s.overall.count,
                mean,
                low
            )?;
            for g in &s.groups {
                let (mean, low) = summary_cells(&g.scores);
                let key = match by {
                    SatisfactionBy::Source => FeedbackSource::parse(&g.key)
                        .map_or(g.key.clone(), |x| x.label(lang).to_string()),
                    SatisfactionBy::Segment => {
                        Segment::parse(&g.key).map_or(g.key.clone(), |x| x.label(lang).to_string())
                    }
                    SatisfactionBy::Tier => {
                        Tier::parse(&g.key).map_or(g.key.clone(), |x| x.label(lang).to_string())
                    }
                    SatisfactionBy::Category => crate::domain::complaint::Category::parse(&g.key)
                        .map_or(g.key.clone(), |x| x.label(lang).to_string()),
                    SatisfactionBy::Month => g.key.clone(),
                };
                outln!(
                    "{:<12} {:>6} {:>7} {:>8}",
                    one_line(&key),
                    g.scores.count,
                    mean,
                    low
                )?;
            }
            Ok(EXIT_OK)
        })(),
        lang,
    )
}

pub fn today(json: bool, db: &Path, lang: Lang) -> Result<i32> {
    finish(
        (|| {
            let (store, cfg) = open_store(db, Access::Read, lang)?;
            let t = store.today(&cfg.sla(), &cfg.segments(), cfg.points.expiry_months)?;
            let items = t.items(lang);
            if json {
                // Each section's items, with what identifies their subject.
                let section = |kind: TodayKind, extra: Vec<serde_json::Value>| {
                    let of_kind = items.iter().filter(|i| i.kind == kind);
                    of_kind
                        .zip(extra.into_iter().chain(std::iter::repeat(json!({}))))
                        .map(|(i, extra)| {
                            let mut v = json!({
                                "customer": i.customer,
                                "customer_id": i.customer_id,
                                "buyer": i.buyer,
                                "why": i.why,
                            });
                            if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
                                o.extend(e.clone());
                            }
                            v
                        })
                        .collect::<Vec<_>>()
                };
                let followups = t
                    .followups
                    .iter()
                    .map(|f| json!({ "id": f.id, "due": f.due, "reason": f.reason }))
                    .collect();
                let complaints = t
                    .complaints_overdue
                    .iter()
                    .map(|c| json!({ "complaint_id": c.complaint_id }))
                    .collect();
                let points = t
                    .points_expiring
                    .iter()
                    .map(|p| json!({ "points": p.points }))
                    .collect();
                print_json(&json!({
                    "date": t.date,
                    "followups": section(TodayKind::Followup, followups),
                    "complaints_overdue": section(TodayKind::Complaint, complaints),
                    "slipping": section(TodayKind::Slipping, Vec::new()),
                    "reorders": section(TodayKind::Reorder, Vec::new()),
                    "points_expiring": section(TodayKind::Points, points),
                }))?;
                return Ok(EXIT_OK);
            }
            outln!("{}", t.date)?;
            for kind in TodayKind::ALL {
                if kind == TodayKind::Points && cfg.points.expiry_months == 0 {
                    continue;
                }
                let of_kind: Vec<_> = items.iter().filter(|i| i.kind == kind).collect();
                outln!(
                    "\n{} ({})",
                    say::today_section(lang, kind.index()),
                    of_kind.len()
                )?;
                if of_kind.is_empty() {
                    outln!("  {}", say::today_empty(lang))?;
                }
                for i in of_kind {
                    outln!(
                        "  #{} {} ({}) — {}",
                        i.customer_id,
                        one_line(&i.buyer),
                        i.customer,
                        i.why
                    )?;
                }
            }
            Ok(EXIT_OK)
        })(),
        lang,
    )
}
