//! `kehu campaign …`: create a campaign with a control group (and write
//! its recipients' CSV), list, show and report what it brought back.

use super::EXIT_OK;
use super::common::{finish, open_store};
use super::out::{outln, print_json};
use crate::db::Access;
use crate::domain::segment::Segment;
use crate::domain::text::one_line;
use crate::domain::tier::Tier;
use crate::i18n::Lang;
use crate::i18n::serve as say;
use crate::model::{CampaignFilters, NewCampaign};
use anyhow::Result;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum CampaignCmd {
    /// Pick customers, hold a control group back, write the recipients' CSV.
    Create {
        name: String,
        /// A segment (repeat for alternatives): top, promising, at-risk, win-back, loyal, new, slipping, dormant.
        #[arg(long = "segment", value_name = "S")]
        segments: Vec<String>,
        /// A member tier (repeat for alternatives): 普通会员/regular, 银卡/silver, 金卡/gold, 钻石/diamond.
        #[arg(long = "tier", value_name = "T")]
        tiers: Vec<String>,
        /// A tag (repeat for alternatives).
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        /// The message: {name}, {buyer}, {points}, {tier}, {coupon} are filled in.
        #[arg(long, default_value = "")]
        template: String,
        #[arg(long, default_value = "")]
        coupon: String,
        /// Per cent held back as a control group that gets nothing.
        #[arg(long, value_name = "PCT", default_value_t = 10)]
        control: i64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The recipients' CSV (refused if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Phones unmasked in the CSV.
        #[arg(long)]
        reveal: bool,
        #[arg(long)]
        json: bool,
    },
    /// Every campaign, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One campaign with its recipients and control group.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Who came back within N days, against the control group.
    Report {
        id: i64,
        #[arg(long, default_value_t = 14)]
        days: i64,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: CampaignCmd, db: &Path, lang: Lang) -> Result<i32> {
    finish(campaign_inner(cmd, db, lang), lang)
}

fn campaign_inner(cmd: CampaignCmd, db: &Path, lang: Lang) -> Result<i32> {
    let access = match cmd {
        CampaignCmd::Create { .. } => Access::Write,
        _ => Access::Read,
    };
    let (mut store, cfg) = open_store(db, access, lang)?;
    match cmd {
        CampaignCmd::Create {
            name,
            segments,
            tiers,
            tags,
            template,
            coupon,
            control,
            seed,
            out,
            reveal,
            json,
        } => {
            let segments = segments
                .iter()
                .map(|s| {
                    Segment::parse(s).ok_or_else(|| {
                        anyhow::Error::from(crate::i18n::cli::unknown_segment(
                            s,
                            &Segment::choices(),
                            &crate::i18n::codes(Segment::ALL, Segment::code),
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let tiers = tiers
                .iter()
                .map(|t| Tier::parse(t).ok_or_else(|| anyhow::Error::from(say::bad_tier(t))))
                .collect::<Result<Vec<_>>>()?;
            if out.exists() {
                return Err(crate::i18n::cli::out_exists(&out.display()).into());
            }
            let id = store.create_campaign(
                &NewCampaign {
                    name,
                    filters: CampaignFilters {
                        segments,
                        tiers,
                        tags,
                    },
                    template: template.clone(),
                    coupon: coupon.clone(),
                    control_pct: control,
                    seed,
                    at: None,
                },
                &cfg.segments(),
                &cfg.tiers(),
            )?;
            super::export::export_campaign(
                &store,
                &cfg,
                (id, &template, &coupon),
                &out,
                reveal,
                lang,
            )?;
            let c = store.campaign(id)?;
            if json {
                print_json(&c)?;
            } else {
                outln!(
                    "{}",
                    say::campaign_created(
                        lang,
                        id,
                        c.recipients.len(),
                        c.control.len(),
                        &out.display().to_string()
                    )
                )?;
            }
            Ok(EXIT_OK)
        }
        CampaignCmd::List { json } => {
            let all = store.campaigns()?;
            if json {
                print_json(&all)?;
            } else if all.is_empty() {
                outln!("{}", say::no_campaigns(lang))?;
            } else {
                for c in &all {
                    outln!(
                        "#{:<4} {} {}  {} + {}",
                        c.id,
                        &c.created_at[..c.created_at.len().min(16)],
                        one_line(&c.name),
                        c.recipients,
                        c.control
                    )?;
                }
            }
            Ok(EXIT_OK)
        }
        CampaignCmd::Show { id, json } => {
            let c = store.campaign(id)?;
            if json {
                print_json(&c)?;
            } else {
                outln!("#{} {} · {}", c.id, one_line(&c.name), c.created_at)?;
                let h = say::campaign_report_lines(lang);
                outln!("{}: {}", h[0], c.recipients.len())?;
                for r in &c.recipients {
                    outln!("  {r}")?;
                }
                outln!("{}: {}", h[1], c.control.len())?;
                for r in &c.control {
                    outln!("  {r}")?;
                }
            }
            Ok(EXIT_OK)
        }
        CampaignCmd::Report { id, days, json } => {
            let r = store.campaign_report(id, days)?;
            if json {
                print_json(&r)?;
                return Ok(EXIT_OK);
            }
            let pct = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{:.2}%", v * 100.0));
            let h = say::campaign_report_lines(lang);
            outln!(
                "#{} {} · {} {}",
                r.id,
                one_line(&r.name),
                r.created_at,
                say::within_days(lang, r.days)
            )?;
            outln!("  {}: {}   {}: {}", h[0], r.recipients, h[1], r.control)?;
            outln!(
                "  {}: {}   {}: {}",
                h[2],
                r.responders,
                h[3],
                r.control_responders
            )?;
            outln!(
                "  {}: {}   {}: {}   {}: {}",
                h[4],
                pct(r.response_rate),
                h[5],
                pct(r.control_rate),
                h[6],
                r.lift
                    .map_or("-".to_string(), |v| format!("{:+.2}pp", v * 100.0))
            )?;
            outln!(
                "  {}: {}",
                say::revenue(lang),
                crate::domain::Fen(r.revenue_fen)
            )?;
            Ok(EXIT_OK)
        }
    }
}
