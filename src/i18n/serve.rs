//! The words of serving the buyers on the command line and in the app:
//! follow-ups, feedback, satisfaction, Today and campaigns.

use super::{Lang, Refused};

/// Follow-ups the rules planned after an import.
pub fn planned_after_import(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Zh => format!("回访计划：新增 {n} 条（kehu followup list --open）"),
        Lang::En => format!("follow-ups planned: {n} new (kehu followup list --open)"),
    }
}

pub fn followup_added(lang: Lang, id: i64, due: &str) -> String {
    match lang {
        Lang::Zh => format!("已添加回访 #{id}，{due} 到期"),
        Lang::En => format!("follow-up #{id} added, due {due}"),
    }
}

pub fn followup_done(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("回访 #{id} 已完成"),
        Lang::En => format!("follow-up #{id} done"),
    }
}

pub fn followup_skipped(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("回访 #{id} 已跳过"),
        Lang::En => format!("follow-up #{id} skipped"),
    }
}

pub fn no_followups(lang: Lang) -> &'static str {
    lang.t("没有回访", "no follow-ups")
}

pub fn plan_result(lang: Lang, dry_run: bool, created: i64) -> String {
    match (lang, dry_run) {
        (Lang::Zh, false) => format!("新增回访 {created} 条"),
        (Lang::Zh, true) => format!("（试运行）将新增回访 {created} 条"),
        (Lang::En, false) => format!("{created} follow-up(s) planned"),
        (Lang::En, true) => format!("(dry run) {created} follow-up(s) would be planned"),
    }
}

pub fn feedback_added(lang: Lang, id: i64) -> String {
    match lang {
        Lang::Zh => format!("已记录反馈 #{id}"),
        Lang::En => format!("feedback #{id} recorded"),
    }
}

pub fn no_feedback(lang: Lang) -> &'static str {
    lang.t("没有反馈", "no feedback")
}

/// A date typed on the command line that is not `YYYY-MM-DD`.
pub fn not_a_date(value: &str) -> Refused {
    Refused::new(
        format!("「{value}」不是日期；请写成 YYYY-MM-DD，例如 2025-12-08"),
        format!("\"{value}\" is not a date; write YYYY-MM-DD, e.g. 2025-12-08"),
    )
}

pub fn bad_satisfaction_by(value: &str) -> Refused {
    Refused::new(
        format!("--by「{value}」须为 month、source、category、segment 或 tier"),
        format!("--by \"{value}\" must be month, source, category, segment or tier"),
    )
}

pub fn bad_tier(value: &str) -> Refused {
    Refused::new(
        format!(
            "「{value}」不是会员等级（普通会员/regular、银卡/silver、金卡/gold、钻石/diamond）"
        ),
        format!("\"{value}\" is not a tier (regular, silver, gold, diamond)"),
    )
}

pub fn satisfaction_header(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::Zh => ["分组", "条数", "平均分", "低分占比"],
        Lang::En => ["group", "count", "mean", "low share"],
    }
}

pub fn overall(lang: Lang) -> &'static str {
    lang.t("全部", "overall")
}

/// Today's section titles.
pub fn today_section(lang: Lang, which: usize) -> &'static str {
    const T: [(&str, &str); 5] = [
        ("今天该回访", "follow-ups due"),
        ("超时未解决的投诉", "complaints past target"),
        ("刚流失的高价值客户", "valuable buyers just slipped"),
        ("该回购了", "due to reorder"),
        ("30 天内过期的积分", "points expiring within 30 days"),
    ];
    let (zh, en) = T[which.min(T.len() - 1)];
    lang.t(zh, en)
}

pub fn today_empty(lang: Lang) -> &'static str {
    lang.t("（无）", "(none)")
}

pub fn why_followup(lang: Lang, reason: &str, due: &str, today: &str) -> String {
    let late = due < today;
    match (lang, late) {
        (Lang::Zh, false) => format!("{reason}，今天到期"),
        (Lang::Zh, true) => format!("{reason}，{due} 到期，已逾期"),
        (Lang::En, false) => format!("{reason}, due today"),
        (Lang::En, true) => format!("{reason}, due {due}, overdue"),
    }
}

pub fn why_complaint(lang: Lang, summary: &str, hours_over: i64) -> String {
    match lang {
        Lang::Zh => format!("投诉「{summary}」超过解决时限 {hours_over} 小时"),
        Lang::En => format!("complaint \"{summary}\" {hours_over} h past its resolution target"),
    }
}

/// `value`: the buyer's spend, formatted (`¥1,234.00`).
pub fn why_slipping(lang: Lang, value: &str, days: i64) -> String {
    let v = value;
    match lang {
        Lang::Zh => format!("累计消费 {v}，已 {days} 天没有有效订单"),
        Lang::En => format!("spent {v} in all, no valid order for {days} days"),
    }
}

pub fn why_reorder(lang: Lang, orders: i64, gap: i64, days: i64) -> String {
    match lang {
        Lang::Zh => format!("{orders} 单，通常每 {gap} 天回购一次，距上次 {days} 天"),
        Lang::En => format!("{orders} orders, reorders every {gap} days, last {days} days ago"),
    }
}

pub fn why_points(lang: Lang, points: i64, by: &str) -> String {
    match lang {
        Lang::Zh => format!("{points} 积分将于 {by} 前过期"),
        Lang::En => format!("{points} points expire by {by}"),
    }
}

pub fn campaign_created(
    lang: Lang,
    id: i64,
    recipients: usize,
    control: usize,
    out: &str,
) -> String {
    match lang {
        Lang::Zh => format!(
            "活动 #{id} 已创建：{recipients} 位收件人写入 {out}，{control} 位留作对照组（不发送）"
        ),
        Lang::En => format!(
            "campaign #{id} created: {recipients} recipient(s) written to {out}, {control} held back as the control group"
        ),
    }
}

pub fn no_campaigns(lang: Lang) -> &'static str {
    lang.t("还没有营销活动", "no campaigns yet")
}

pub fn campaign_report_lines(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => [
            "收件人",
            "对照组",
            "回购人数",
            "对照组回购",
            "回购率",
            "对照组回购率",
            "提升",
        ],
        Lang::En => [
            "recipients",
            "control",
            "responders",
            "control responders",
            "response rate",
            "control rate",
            "lift",
        ],
    }
}

pub fn revenue(lang: Lang) -> &'static str {
    lang.t("回购金额", "revenue")
}

pub fn within_days(lang: Lang, days: i64) -> String {
    match lang {
        Lang::Zh => format!("（活动后 {days} 天内）"),
        Lang::En => format!("(within {days} days of it)"),
    }
}
