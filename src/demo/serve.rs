//! The demo shop's service side, so a newcomer sees it at once: eight months
//! of satisfaction feedback, follow-ups planned by the default rules (the
//! older ones done or skipped, some due today), and a campaign sent a month
//! ago with buyers who came back.

use crate::config::Config;
use crate::db::{Actor, Store};
use crate::domain::followup::{FeedbackSource, Rule};
use crate::domain::segment::Segment;
use crate::domain::time::{beijing_now, fmt};
use crate::model::{CampaignFilters, FollowupFilter, NewCampaign, NewFeedback};
use anyhow::Result;
use chrono::Duration;

/// What buyers said, with the score it came with.
const SAID: &[(i64, FeedbackSource, &str)] = &[
    (5, FeedbackSource::Review, "包装很用心，本子质量好"),
    (5, FeedbackSource::Chat, "客服回复快，下次还来"),
    (4, FeedbackSource::Review, "笔很好写，物流稍慢"),
    (4, FeedbackSource::Survey, "总体满意"),
    (5, FeedbackSource::Survey, "孩子很喜欢这个书包"),
    (3, FeedbackSource::Chat, "颜色和图片有点差别"),
    (2, FeedbackSource::Review, "快递太慢了"),
    (1, FeedbackSource::Review, "收到就坏了，很失望"),
    (4, FeedbackSource::Chat, "赠品不错"),
    (5, FeedbackSource::Review, "回购第三次了"),
];

/// Add the service history to a freshly built demo shop.
pub(super) fn add_service(store: &mut Store, seed: u64) -> Result<()> {
    let now = beijing_now();
    let buyers = store.recent_buyers(150)?;
    let mut rng = seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    // Feedback heard over eight months, a few a week.
    for (i, (cid, _)) in buyers.iter().enumerate().take(90) {
        let (score, source, text) = SAID[(i * 3 + next(4) as usize) % SAID.len()];
        let at = now - Duration::hours(2 + next(24 * 240) as i64);
        store.add_feedback(&NewFeedback {
            customer_id: *cid,
            order_no: None,
            score,
            source,
            text: text.to_string(),
            at: Some(fmt(at)),
        })?;
    }
    // The default rules, as a new config has them; the tasks due before
    // today mostly handled, today's left for the seller.
    let config = Config::default();
    let rules: Vec<Rule> = Rule::defaults();
    store.plan_followups(&rules, &config.tiers(), &config.segments(), false)?;
    let today = now.date();
    let open = store.followups(
        FollowupFilter {
            open_only: true,
            due_by: Some(today - Duration::days(1)),
            customer_id: None,
        },
        10_000,
    )?;
    for (i, f) in open.iter().enumerate() {
        match i % 5 {
            0 => {} // still open: overdue
            1 => store.skip_followup(f.id, "买家没回消息", Actor::App)?,
            _ => store.finish_followup(
                f.id,
                "买家说用得不错",
                Some(3 + next(3) as i64),
                Actor::App,
            )?,
        }
    }
    // A campaign a month ago to the shop's regulars, with a coupon.
    store.create_campaign(
        &NewCampaign {
            name: "老客回馈 满100减15".to_string(),
            filters: CampaignFilters {
                segments: vec![Segment::Top, Segment::Loyal, Segment::AtRisk],
                ..CampaignFilters::default()
            },
            template: "{name} 您好，送您一张 {coupon}，本月有效".to_string(),
            coupon: "满100减15券".to_string(),
            control_pct: 10,
            seed,
            at: Some(fmt(now - Duration::days(30))),
        },
        &config.segments(),
        &config.tiers(),
    )?;
    Ok(())
}
