//! The command line's own words (labels and short sentences), grouped by
//! command, in the style of the app's `S` table: one arm per message, both
//! languages in it. Sentences with values in them are functions below.

use super::{Lang, Refused, Text};
use std::fmt::Display;

/// A fixed message of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum M {
    // Common: the error printer and words several commands use
    Error,
    Points,
    Complaint,
    /// The app was started without a terminal.
    NeedsTerminal,
    // import
    ImportRefused,
    ImportOrderReport,
    ImportItemReport,
    ImportDryRun,
    ImportRows,
    ImportUnknownStatus,
    ImportRejected,
    ImportRejectedRowsKept,
    // lookup
    LookupNone,
    LookupBlacklisted,
    LookupOrders,
    LookupLast,
    LookupMatched,
    // stats
    StatsCustomers,
    StatsOrders,
    StatsLines,
    StatsPaid,
    StatsRefunded,
    StatsPointsOutstanding,
    StatsOpenComplaints,
    StatsRejectedRows,
    // rejects and check
    RejectsNone,
    CheckOk,
    CheckProblem,
    // demo and backup
    DemoGenerated,
    DemoOrders,
    DemoLines,
    DemoBuyers,
    DemoBuilt,
    DemoCustomers,
    BackedUpTo,
    // points
    PointsTier,
    PointsSpend12m,
    PointsNoEntries,
    PointsExpiryOff,
    PointsExpiredCustomers,
    PointsExpired,
    PointsDone,
    // config
    ConfigFile,
    ConfigPerYuan,
    ConfigExpiryMonths,
    ConfigTiers,
    ConfigSilver,
    ConfigGold,
    ConfigDiamond,
    ConfigSegments,
    ConfigRecent,
    ConfigDays,
    ConfigFrequent,
    ConfigHighValue,
    ConfigCategories,
    ConfigFirstResponse,
    ConfigResolution,
    // complaint
    ComplaintRecorded,
    ComplaintNone,
    ComplaintResolution,
    ComplaintCompensation,
    ComplaintSatisfaction,
    ComplaintStatsTotal,
    ComplaintStatsOpen,
    ComplaintStatsOverdue,
    ComplaintMeanToResolve,
    ComplaintOverdueFlag,
    // note, tag, blacklist
    EditNoteSaved,
    EditTagRemoved,
    EditBlacklisted,
    EditUnblacklisted,
    // export
    ExportCustomer,
    ExportOrder,
    ExportLedger,
    ExportStdout,
    ExportYes,
    ExportNo,
}

/// The message in `lang`.
pub fn m(lang: Lang, msg: M) -> &'static str {
    let (zh, en) = match msg {
        M::Error => ("错误", "error"),
        M::Points => ("积分", "points"),
        M::Complaint => ("投诉", "complaint"),
        M::NeedsTerminal => (
            "界面需要在终端里运行；命令行用法见 kehu --help",
            "the app needs a terminal; see kehu --help for the commands",
        ),
        M::ImportRefused => ("已拒绝", "refused"),
        M::ImportOrderReport => ("订单报表", "order report"),
        M::ImportItemReport => ("宝贝报表", "item report"),
        M::ImportDryRun => ("（试运行，未写入）", "(dry run, nothing written) "),
        M::ImportRows => ("行", "rows"),
        M::ImportUnknownStatus => (
            "未知订单状态，按 unknown 保存：",
            "unknown order status kept as unknown:",
        ),
        M::ImportRejected => ("被拒", "rejected"),
        M::ImportRejectedRowsKept => (
            "行（未导入，已保存原文，可用 kehu rejects 查看）：",
            "rows (not imported, raw text kept; see kehu rejects):",
        ),
        M::LookupNone => ("没有找到匹配的买家", "no matching buyer"),
        M::LookupBlacklisted => ("⛔ 黑名单 ", "⛔ BLACKLIST "),
        M::LookupOrders => ("单", "orders"),
        M::LookupLast => ("最近", "last"),
        M::LookupMatched => ("匹配", "matched"),
        M::StatsCustomers => ("客户", "customers"),
        M::StatsOrders => ("订单", "orders"),
        M::StatsLines => ("商品行", "lines"),
        M::StatsPaid => ("实付合计", "paid"),
        M::StatsRefunded => ("退款合计", "refunded"),
        M::StatsPointsOutstanding => ("积分余额合计", "points outstanding"),
        M::StatsOpenComplaints => ("未结投诉", "open complaints"),
        M::StatsRejectedRows => ("被拒行", "rejected rows"),
        M::RejectsNone => ("没有被拒的行", "no rejected rows"),
        M::CheckOk => (
            "检查通过：文件完整，数据一致",
            "ok: file intact, data consistent",
        ),
        M::CheckProblem => ("问题：", "problem:"),
        M::DemoGenerated => ("已生成", "generated"),
        M::DemoOrders => ("个订单", "orders"),
        M::DemoLines => ("个商品行", "lines"),
        M::DemoBuyers => ("位买家", "buyers"),
        M::DemoBuilt => ("演示店铺已建好", "demo shop built"),
        M::DemoCustomers => ("位客户", "customers"),
        M::BackedUpTo => ("已备份到", "backed up to"),
        M::PointsTier => ("等级", "tier"),
        M::PointsSpend12m => ("近12个月消费", "12-month spend"),
        M::PointsNoEntries => ("没有积分记录", "no points entries"),
        M::PointsExpiryOff => (
            "积分有效期未开启（配置 points.expiry_months = 0）",
            "expiry is off (points.expiry_months = 0)",
        ),
        M::PointsExpiredCustomers => ("过期客户数", "customers"),
        M::PointsExpired => ("过期积分", "points expired"),
        M::PointsDone => ("完成，当前积分", "done; balance"),
        M::ConfigFile => ("配置文件", "config file"),
        M::ConfigPerYuan => ("每元积分", "points per yuan"),
        M::ConfigExpiryMonths => ("积分有效期（月，0 为不过期）", "expiry months (0 = off)"),
        M::ConfigTiers => ("等级门槛（近12个月消费）", "tiers (12-month spend)"),
        M::ConfigSilver => ("银卡", "silver"),
        M::ConfigGold => ("金卡", "gold"),
        M::ConfigDiamond => ("钻石", "diamond"),
        M::ConfigSegments => ("客户分群（RFM）", "segments (RFM)"),
        M::ConfigRecent => ("近", "recent ≤"),
        M::ConfigDays => ("天", "days"),
        M::ConfigFrequent => ("频 ≥", "frequent ≥"),
        M::ConfigHighValue => ("高 ≥", "high value ≥"),
        M::ConfigCategories => ("投诉类别", "categories"),
        M::ConfigFirstResponse => ("首次响应", "first response"),
        M::ConfigResolution => ("解决", "resolution"),
        M::ComplaintRecorded => ("已记录投诉", "complaint recorded:"),
        M::ComplaintNone => ("没有投诉", "no complaints"),
        M::ComplaintResolution => ("处理结果", "resolution"),
        M::ComplaintCompensation => ("补偿", "compensation"),
        M::ComplaintSatisfaction => ("满意度", "satisfaction"),
        M::ComplaintStatsTotal => ("投诉", "complaints"),
        M::ComplaintStatsOpen => ("未结", "open"),
        M::ComplaintStatsOverdue => ("超时", "overdue"),
        M::ComplaintMeanToResolve => ("平均解决用时", "mean time to resolve"),
        M::ComplaintOverdueFlag => (" ⚠ 超时", " ⚠ OVERDUE"),
        M::EditNoteSaved => ("备注已保存", "note saved"),
        M::EditTagRemoved => ("标签已删除", "tag removed"),
        M::EditBlacklisted => ("已加入黑名单", "blacklisted"),
        M::EditUnblacklisted => ("已移出黑名单", "removed from the blacklist"),
        M::ExportCustomer => ("客户", "customer"),
        M::ExportOrder => ("订单", "order"),
        M::ExportLedger => ("积分流水", "ledger"),
        M::ExportStdout => ("标准输出", "stdout"),
        M::ExportYes => ("是", "yes"),
        M::ExportNo => ("否", "no"),
    };
    lang.t(zh, en)
}

// Sentences with values, by command.

/// Any command: `KEHU_NOW` is set but is not a time.
pub fn bad_kehu_now(bad: &str) -> Text {
    Text::new(
        format!("KEHU_NOW「{bad}」不是时间；请写成 YYYY-MM-DD HH:MM:SS（北京时间）"),
        format!("KEHU_NOW \"{bad}\" is not a time; write it as YYYY-MM-DD HH:MM:SS (Beijing time)"),
    )
}

/// Any command: `--lang` is neither zh nor en. There is no language to go
/// by but the locale's; where that is not English, both.
pub fn bad_lang(locale: Lang) -> &'static str {
    locale.t(
        "可用 zh（中文）或 en（English） / accepted values: zh, en",
        "accepted values: zh, en",
    )
}

/// import: `--platform` names none kehu knows.
pub fn unknown_platform(p: &str) -> Text {
    Text::new(
        format!("未知平台 {p:?}：可用 taobao、pdd、douyin、jd、kuaishou 或 youzan"),
        format!("unknown platform {p:?}: use taobao, pdd, douyin, jd, kuaishou or youzan"),
    )
}

/// lookup: the flag before a buyer with open complaints.
pub fn lookup_open_complaints(lang: Lang, n: i64) -> String {
    match lang {
        Lang::Zh => format!("⚠ 未结投诉 {n} "),
        Lang::En => format!("⚠ OPEN COMPLAINTS {n} "),
    }
}

/// lookup: "1–20 of 30", and how to see the rest. `from`/`to` are 1-based
/// positions of the results shown (none shown when `to < from`), `more`
/// whether results follow them.
pub fn lookup_footer(lang: Lang, total: &str, offset: usize, to: usize, more: bool) -> String {
    let from = offset + 1;
    let none = to < from;
    match (lang, none, more) {
        (Lang::Zh, true, _) if offset == 0 => format!("共 {total} 位"),
        (Lang::En, true, _) if offset == 0 => format!("{total} in all"),
        (Lang::Zh, true, _) => format!("共 {total} 位，--offset {offset} 之后没有了"),
        (Lang::En, true, _) => format!("{total} in all, none after --offset {offset}"),
        (Lang::Zh, false, true) => {
            format!("第 {from}–{to} 位，共 {total} 位（下一页：--offset {to}）")
        }
        (Lang::En, false, true) => format!("{from}–{to} of {total} (next page: --offset {to})"),
        (Lang::Zh, false, false) => format!("第 {from}–{to} 位，共 {total} 位"),
        (Lang::En, false, false) => format!("{from}–{to} of {total}"),
    }
}

/// tag: whether the tag was new.
pub fn tagged(lang: Lang, added: bool, tag: &str) -> String {
    match (added, lang) {
        (true, Lang::Zh) => format!("已加标签 {tag}"),
        (true, Lang::En) => format!("tagged {tag}"),
        (false, Lang::Zh) => format!("已有标签 {tag}"),
        (false, Lang::En) => format!("already tagged {tag}"),
    }
}

/// export: `--segment` names none kehu knows.
pub fn unknown_segment(s: &str, zh_choices: &str, en_choices: &str) -> Text {
    Text::new(
        format!("未知客户分群 {s:?}；可用：{zh_choices}"),
        format!("unknown segment {s:?}; use one of {en_choices}"),
    )
}

/// export: what was written where (`what` is the kind of rows, in `lang`).
pub fn exported(lang: Lang, n: u64, what: &str, place: &str) -> String {
    match lang {
        Lang::Zh => format!("已导出 {n} 行{what}到 {place}"),
        Lang::En => format!("wrote {n} {what} rows to {place}"),
    }
}

/// export: blacklisted buyers a campaign list leaves out.
pub fn left_out_blacklisted(n: u64) -> Text {
    Text::new(
        format!("已排除 {n} 位黑名单买家（营销名单默认不含黑名单；加 --include-blacklisted 保留）"),
        format!(
            "left out {n} blacklisted buyer(s) (campaign lists exclude the blacklist; add --include-blacklisted to keep them)"
        ),
    )
}

/// export --out: the file is there and `--force` was not given.
pub fn out_exists(path: &dyn Display) -> Refused {
    Refused::new(
        format!("文件 {path} 已存在，未做任何更改；加 --force 覆盖"),
        format!("{path} already exists; nothing written (add --force to overwrite)"),
    )
}

/// Read commands: the database path does not exist, and how to make one.
pub fn no_database(path: &dyn Display) -> Refused {
    Refused::new(
        format!(
            "数据库 {path} 不存在，未创建任何文件。\n先导入订单：kehu import 导出文件.csv --db {path}\n或建一个演示店铺：kehu demo --db {path}\n（路径写错了？用 --db 或 KEHU_DB 指定已有的数据库。）"
        ),
        format!(
            "database {path} does not exist; nothing was created.\nImport orders first: kehu import EXPORT.csv --db {path}\nor build a demo shop: kehu demo --db {path}\n(A typo? Point --db or KEHU_DB at an existing database.)"
        ),
    )
}

/// CUSTOMER finds nobody.
pub fn no_such_customer(spec: &str) -> Refused {
    Refused::new(
        format!(
            "没有找到客户 {spec}（可写 #编号、平台:买家、买家会员名，或昵称、收货人、手机号、订单号等只匹配一位客户的查找词；kehu lookup 可先查一下）"
        ),
        format!(
            "no customer {spec} (write #id, platform:key, the buyer key, or a nickname, name, phone or order number that finds exactly one customer; kehu lookup helps)"
        ),
    )
}

/// CUSTOMER finds several: `all` of them (`30+` when capped), `list` the
/// candidates' lines in each language, `more` how many are not listed.
pub fn several_customers(
    spec: &str,
    all: &str,
    list: (&str, &str),
    more: Option<String>,
) -> Refused {
    let (more_zh, more_en) = match more {
        Some(n) => (format!("\n  …还有 {n} 位"), format!("\n  … and {n} more")),
        None => (String::new(), String::new()),
    };
    Refused::new(
        format!(
            "{spec} 匹配 {all} 位客户，请用 #编号 指明是哪一位：{}{more_zh}",
            list.0
        ),
        format!(
            "{spec} matches {all} customers; name one by its #id:{}{more_en}",
            list.1
        ),
    )
}

/// untag: the customer has no such tag.
pub fn no_such_tag(tag: &str) -> Refused {
    Refused::new(
        format!("客户没有标签 {tag}"),
        format!("the customer has no tag {tag}"),
    )
}

/// complaint add/set: a category, severity, channel or status none of the
/// accepted ones. `what` and `choices` in Chinese and English.
pub fn unknown_choice(value: &str, what: (&str, &str), choices: (&str, &str)) -> Refused {
    Refused::new(
        format!("未知{} {value:?}；可用：{}", what.0, choices.0),
        format!("unknown {} {value:?}; use one of: {}", what.1, choices.1),
    )
}

/// complaint add: the category is not among the config's.
pub fn category_not_enabled(zh: &str, code: &str) -> Refused {
    Refused::new(
        format!("类别 {zh} 未在配置中启用"),
        format!("category {code} is not enabled in the config"),
    )
}
