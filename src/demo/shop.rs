//! Building the demo shop database: generated exports imported through the
//! same importer a seller uses, ending near today.

use super::{DouyinOptions, GenOptions, Person, write_douyin_file, write_taobao_files};
use crate::db::{ComplaintMove, NewComplaint};
use crate::db::{ImportOptions, Refused, Store};
use crate::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
use crate::domain::time::beijing_now;
use crate::i18n::{Explain, Text};
use crate::import::ReportReader;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// What a built demo shop holds.
#[derive(Debug, Clone)]
pub struct DemoShop {
    pub path: PathBuf,
    pub orders: u64,
    pub customers: u64,
}

/// The batch label marking rows the demo wrote, so a real shop is never replaced.
const DEMO_PREFIX: &str = "demo:";

/// Why `kehu demo` will not replace the database at `path`, if it will not:
/// a real shop (imports not the demo's) never, whatever `force` says; a demo
/// shop holding anything a person made (notes, tags, the blacklist,
/// complaints, redemptions, adjustments, follow-ups) unless `force`.
fn refusal(path: &Path, force: bool) -> Result<Option<Refused>> {
    let store = Store::open(path)?;
    let shown = path.display();
    if !store.only_batches_prefixed(DEMO_PREFIX)? {
        return Ok(Some(Refused::new(
            format!(
                "{shown} 里有真实导入的订单，kehu demo 不会替换它（--force 也不会）。请用 --db 指定另一个文件。"
            ),
            format!(
                "{shown} holds imported orders of a real shop; kehu demo never replaces it (not even with --force). Choose another file with --db."
            ),
        )));
    }
    let made = store.person_made()?;
    if made.is_empty() || force {
        return Ok(None);
    }
    let parts = |zh: bool| {
        let items = [
            (made.notes, "条备注", "note(s)"),
            (made.tags, "个标签", "tag(s)"),
            (
                made.blacklisted,
                "位买家上过黑名单",
                "buyer(s) on the blacklist, now or before",
            ),
            (
                made.complaints,
                "条投诉（新记录或处理过的）",
                "complaint(s) recorded or moved",
            ),
            (
                made.points,
                "条积分兑换/调整/补偿",
                "points redemption(s), adjustment(s) or compensation(s)",
            ),
            (made.follow_ups, "条回访", "follow-up(s)"),
            (made.feedback, "条满意度反馈", "feedback record(s)"),
            (made.campaigns, "个营销活动", "campaign(s)"),
        ];
        items
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, z, e)| {
                if zh {
                    format!("{n} {z}")
                } else {
                    format!("{n} {e}")
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "、" } else { ", " })
    };
    Ok(Some(Refused::new(
        format!(
            "{shown} 里有人工添加的内容：{}。kehu demo 不会替换它（若 kehu 正开着它，也会一并丢失）。\n要保留它，请用 --db 把演示店铺建到另一个文件；确定丢弃这些内容，加 --force。",
            parts(true)
        ),
        format!(
            "{shown} holds things a person made: {}. kehu demo will not replace it (an app that has it open would lose them too).\nTo keep them, build the demo elsewhere with --db; to discard them, add --force.",
            parts(false)
        ),
    )))
}

/// Up to `n` buyers of the generated Taobao export, spread over it, as
/// receivers with a full phone: they buy in the Douyin shop too.
fn shared_buyers(order_file: &Path, n: usize) -> Result<Vec<Person>> {
    use crate::import::Row;
    let mut reader = ReportReader::open(std::fs::File::open(order_file)?, None)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut k = 0u64;
    while out.len() < n {
        let Some(row) = reader.next_row()? else { break };
        let Row::Order(o) = row else { continue };
        let full = o.phone.len() == 11 && o.phone.bytes().all(|b| b.is_ascii_digit());
        if !full || !seen.insert(o.buyer_key.clone()) {
            continue;
        }
        k += 1;
        if !k.is_multiple_of(37) {
            continue;
        }
        // `省 市 区 街道门牌(邮编)`: 抖店 gives the parts in their own columns, no postcode.
        let address = o.address.split('(').next().unwrap_or_default();
        let mut parts = address.split_whitespace();
        let (Some(province), Some(city), Some(district)) =
            (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        out.push(Person {
            name: o.name.clone(),
            phone: o.phone.clone(),
            province: province.to_string(),
            city: city.to_string(),
            district: district.to_string(),
            detail: parts.collect::<Vec<_>>().join(""),
        });
    }
    Ok(out)
}

/// Build a demo shop of `orders` orders at `path`, replacing an earlier demo
/// there when nothing a person made is in it (never a seller's real database).
pub fn build_demo(path: &Path, orders: u64, seed: u64) -> Result<DemoShop> {
    build_demo_with(path, orders, seed, false)
}

/// [`build_demo`], with `force` replacing a demo shop that holds what a
/// person made. A refusal is a [`Refused`] (exit 3); the file is untouched.
pub fn build_demo_with(path: &Path, orders: u64, seed: u64, force: bool) -> Result<DemoShop> {
    if path.exists()
        && let Some(why) = refusal(path, force)?
    {
        return Err(why.into());
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_said(|| {
        let d = dir.display();
        Text::new(
            format!("无法创建目录 {d}"),
            format!("cannot create the folder {d}"),
        )
    })?;
    let work = dir.join(format!(".kehu-demo-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let result = build_into(path, &work, orders, seed);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn build_into(path: &Path, work: &Path, orders: u64, seed: u64) -> Result<DemoShop> {
    let opts = GenOptions {
        orders,
        seed,
        end: beijing_now() - chrono::Duration::hours(2),
        span_days: 730,
        shop_name: "小美文具铺".to_string(),
    };
    let (order_file, item_file, _) = write_taobao_files(&opts, work)
        .said("无法生成演示导出文件", "cannot write the demo's exports")?;
    // The Douyin shop beside it: a few % of the orders, opened eight months
    // ago, with some of the Taobao shop's buyers (same receiver, full phone
    // and address), so a newcomer sees a merge suggestion.
    let douyin = DouyinOptions {
        orders: (orders * 3 / 100).max(12),
        seed,
        end: opts.end,
        span_days: 240,
        shared: shared_buyers(&order_file, 6)?,
    };
    let douyin_file = write_douyin_file(&douyin, work)
        .said("无法生成演示导出文件", "cannot write the demo's exports")?;
    let tmp_db = work.join("demo.db");
    let mut store = Store::open(&tmp_db)?;
    let mut customers = 0;
    for file in [&order_file, &item_file, &douyin_file] {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("export.csv");
        let mut reader = ReportReader::open(std::fs::File::open(file)?, None)?;
        if reader.gathers() {
            reader.scan_apart(std::fs::File::open(file)?)?;
        }
        let s = store.import_report(
            &format!("{DEMO_PREFIX}{name}"),
            reader,
            ImportOptions::default(),
            &mut |_| {},
        )?;
        customers += s.customers_new;
    }
    store.refresh_suggest_counts()?;
    add_service_history(&mut store, seed)?;
    super::serve::add_service(&mut store, seed)?;
    // All of it is the demo's: a person's work starts after this.
    store.mark_demo_baseline()?;
    store.checkpoint()?;
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let old = PathBuf::from(format!("{}{suffix}", path.display()));
        if old.exists() {
            std::fs::remove_file(&old)?;
        }
    }
    std::fs::rename(&tmp_db, path).with_said(|| {
        let p = path.display();
        Text::new(format!("无法写入 {p}"), format!("cannot write {p}"))
    })?;
    Ok(DemoShop {
        path: path.to_path_buf(),
        orders,
        customers,
    })
}

/// How many complaints the demo shop has had.
const COMPLAINT_COUNT: usize = 48;

/// What buyers complained about, by category.
const COMPLAINTS: &[(Category, Severity, Channel, &str)] = &[
    (
        Category::Logistics,
        Severity::Medium,
        Channel::Wangwang,
        "快递三天没更新，催一下物流",
    ),
    (
        Category::Quality,
        Severity::High,
        Channel::Wangwang,
        "钢笔漏墨，弄脏了本子",
    ),
    (
        Category::WrongItem,
        Severity::High,
        Channel::Wangwang,
        "买的蓝色收到黑色",
    ),
    (
        Category::WrongItem,
        Severity::Medium,
        Channel::Review,
        "少发了一包便利贴",
    ),
    (
        Category::Service,
        Severity::Low,
        Channel::Review,
        "客服回复太慢",
    ),
    (
        Category::Price,
        Severity::Low,
        Channel::Wangwang,
        "下单第二天就降价了，要求补差价",
    ),
    (
        Category::Quality,
        Severity::Urgent,
        Channel::Phone,
        "书包拉链坏了，孩子明天开学",
    ),
    (
        Category::Logistics,
        Severity::High,
        Channel::Sms,
        "包裹显示签收但没收到",
    ),
    (
        Category::Other,
        Severity::Low,
        Channel::Wangwang,
        "想开发票",
    ),
];

/// Complaints in every state over the last eight months (a few buyers more
/// than once) and a few redemptions, so the 投诉 and 积分 tabs and the
/// complaint analysis show a shop that has been running for a while.
fn add_service_history(store: &mut Store, seed: u64) -> Result<()> {
    let now = beijing_now();
    let buyers = store.recent_buyers(60)?;
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    let complainers = buyers.len().min(36);
    for i in 0..COMPLAINT_COUNT.min(complainers * 2) {
        // The first 36 complaints, one buyer each; the rest go to every
        // fourth of them again: the repeat complainers.
        let who = if i < complainers {
            i
        } else {
            ((i - complainers) * 4) % complainers
        };
        let cid = buyers[who].0;
        let (category, severity, channel, summary) = COMPLAINTS[(i * 7 + who) % COMPLAINTS.len()];
        // A third in the last three weeks, the rest spread over eight months.
        let age_hours = match i {
            // Today's: one new, one being handled.
            0 => 3,
            3 => 30,
            _ if i % 3 == 0 => 2 + next(24 * 20) as i64,
            _ => 24 * 21 + next(24 * 220) as i64,
        };
        let at = now - chrono::Duration::hours(age_hours);
        let at_text = crate::domain::time::fmt(at);
        // The buyer's latest order from before the complaint, if any.
        let order_no = store
            .customer_card(cid, 200)?
            .and_then(|c| {
                c.recent_orders
                    .into_iter()
                    .find(|o| o.created_at.as_str() < at_text.as_str())
            })
            .map(|o| o.order_no);
        let id = store.add_complaint(&NewComplaint {
            customer_id: cid,
            order_no,
            category,
            severity,
            channel,
            summary: summary.to_string(),
            at: Some(at_text),
        })?;
        // Older complaints have moved further along; a few stay open past the SLA.
        let stage = match age_hours {
            h if h < 12 => 0,
            h if h < 48 => 1,
            h if h < 24 * 7 => 2 + next(3),
            _ => match next(20) {
                0 => 1,
                1..=4 => 2,
                _ => 4,
            },
        };
        let mut t = at;
        let mut step = |to: ComplaintStatus, note: &str, hours: i64| {
            t += chrono::Duration::hours(hours);
            let mut m = ComplaintMove::to(to);
            m.note = note.to_string();
            m.at = Some(crate::domain::time::fmt(t.min(now)));
            m
        };
        if stage >= 1 {
            let hours = 1 + next(30) as i64;
            store.move_complaint(
                id,
                &step(ComplaintStatus::Processing, "已联系买家，了解情况", hours),
            )?;
        }
        if stage >= 2 && stage != 3 {
            let hours = 4 + next(90) as i64;
            let mut m = step(ComplaintStatus::Resolved, "补发/补偿后买家接受", hours);
            m.resolution = Some("补发一件并致歉".to_string());
            m.compensate_points = if i % 2 == 0 { 50 } else { 0 };
            store.move_complaint(id, &m)?;
        }
        if stage == 4 {
            let mut m = step(ComplaintStatus::Closed, "买家确认满意", 24);
            m.satisfaction = Some(3 + (next(3) as u8));
            store.move_complaint(id, &m)?;
        }
    }
    for (cid, _) in buyers.iter().skip(36).take(8) {
        let balance = store.balance(*cid)?;
        if balance >= 100 {
            store.redeem_points(*cid, 100, "兑换 5 元无门槛券")?;
        }
    }
    Ok(())
}
