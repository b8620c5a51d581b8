//! `kehu export customers|orders|complaints|ledger`: CSV for Excel and for
//! SMS/coupon tools.
//!
//! The file format: UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF
//! line ends, one header row (Chinese, or English with `--lang en`). Text cells
//! are neutralised and made formula-safe (`domain::text::csv_cell`); money is
//! plain yuan with two decimals from integer fen; phones are masked unless
//! `--reveal`. Rows stream from the database to the file; a file is written
//! beside its target and renamed into place, so a failed export never leaves a
//! half-written file under the asked-for name.

use super::common::{customer_id, finish, open_store};
use super::out::{errln, is_broken_pipe};
use super::{EXIT_OK, EXIT_USAGE};
use crate::db::{CustomerExport, ExportScope, Store};
use crate::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
use crate::domain::money::fen_to_plain;
use crate::domain::segment::Segment;
use crate::domain::text::{csv_cell, mask_phone};
use crate::domain::{Platform, time};
use crate::i18n::cli::{self as say, M, m};
use crate::i18n::{Explain, Lang, Text, labels};
use anyhow::Result;
use std::cell::Cell;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    #[value(alias = "客户")]
    Customers,
    #[value(alias = "订单")]
    Orders,
    #[value(alias = "投诉")]
    Complaints,
    #[value(alias = "积分", alias = "points")]
    Ledger,
}

impl ExportKind {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            ExportKind::Customers => m(lang, M::ExportCustomer),
            ExportKind::Orders => m(lang, M::ExportOrder),
            ExportKind::Complaints => m(lang, M::Complaint),
            ExportKind::Ledger => m(lang, M::ExportLedger),
        }
    }
}

/// The parsed `kehu export` arguments.
#[derive(Debug, Clone)]
pub struct ExportArgs {
    pub kind: ExportKind,
    pub segment: Option<String>,
    pub customer: Option<String>,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub reveal: bool,
    /// Keep blacklisted buyers in a customer list (left out by default).
    pub include_blacklisted: bool,
}

pub fn run(args: ExportArgs, db: &Path, lang: Lang) -> Result<i32> {
    let segment = match args.segment.as_deref().map(|s| (s, Segment::parse(s))) {
        Some((_, Some(s))) => Some(s),
        Some((s, None)) => {
            let en = crate::i18n::codes(Segment::ALL, Segment::code);
            errln!(
                "{}",
                say::unknown_segment(s, &Segment::choices(), &en).get(lang)
            );
            return Ok(EXIT_USAGE);
        }
        None => None,
    };
    finish(run_inner(&args, segment, db, lang), lang)
}

fn run_inner(args: &ExportArgs, segment: Option<Segment>, db: &Path, lang: Lang) -> Result<i32> {
    if let Some(out) = &args.out {
        refuse_existing(out, args.force)?;
    }
    let (store, cfg) = open_store(db, crate::db::Access::Read, lang)?;
    let customer = match &args.customer {
        Some(spec) => Some(customer_id(&store, spec)?),
        None => None,
    };
    let scope = ExportScope {
        customer_id: customer,
        segment,
        rules: cfg.segments(),
        now: time::beijing_now(),
    };
    let job = Job {
        store: &store,
        cfg: &cfg,
        scope,
        kind: args.kind,
        reveal: args.reveal,
        // A customer list is a campaign list: blacklisted buyers stay out of
        // it. One customer's own export (--customer) is theirs whole.
        skip_blacklisted: !args.include_blacklisted && customer.is_none(),
        left_out: Cell::new(0),
        lang,
        campaign: None,
    };
    let (n, place) = match &args.out {
        Some(out) => (
            write_file(out, args.force, &job)?,
            out.display().to_string(),
        ),
        None => {
            let stdout = std::io::stdout().lock();
            match job.write(BufWriter::with_capacity(1 << 16, stdout)) {
                Ok(n) => (n, m(lang, M::ExportStdout).to_string()),
                // `kehu export … | head`: the reader had enough.
                Err(e) if is_broken_pipe(&e) => return Ok(EXIT_OK),
                Err(e) => return Err(e),
            }
        }
    };
    errln!("{}", say::exported(lang, n, args.kind.label(lang), &place));
    let left_out = job.left_out.get();
    if left_out > 0 {
        errln!("{}", say::left_out_blacklisted(left_out).get(lang));
    }
    Ok(EXIT_OK)
}

fn refuse_existing(out: &Path, force: bool) -> Result<()> {
    if !force && std::fs::symlink_metadata(out).is_ok() {
        return Err(say::out_exists(&out.display()).into());
    }
    Ok(())
}

/// Write beside `out` (same directory, so the rename is atomic), owner-only
/// like the database, then rename into place.
fn write_file(out: &Path, force: bool, job: &Job<'_>) -> Result<u64> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().ok_or_else(|| {
        let o = out.display();
        Text::new(format!("{o} 不是文件名"), format!("{o} is not a file name"))
    })?;
    let tmp = dir.join(format!(
        ".{}.{}.kehu-tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(&tmp).with_said(|| {
        let t = tmp.display();
        Text::new(format!("无法创建文件 {t}"), format!("cannot create {t}"))
    })?;
    let result = (|| -> Result<u64> {
        let n = job.write(BufWriter::with_capacity(1 << 16, &file))?;
        file.sync_all()?;
        // Refuse late too: the file may have appeared while rows were written.
        refuse_existing(out, force)?;
        std::fs::rename(&tmp, out).with_said(|| {
            let o = out.display();
            Text::new(format!("无法写入 {o}"), format!("cannot write {o}"))
        })?;
        Ok(n)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A campaign's recipients, each with the campaign's message filled in.
struct CampaignOut<'a> {
    id: i64,
    template: &'a str,
    coupon: &'a str,
}

/// The message of `template` for one customer: `{name}`, `{buyer}`,
/// `{points}`, `{tier}`, `{coupon}` filled in.
fn fill_template(template: &str, c: &CustomerExport, coupon: &str, lang: Lang) -> String {
    let name = if c.name.is_empty() { &c.nick } else { &c.name };
    let buyer = if c.nick.is_empty() {
        &c.buyer_key
    } else {
        &c.nick
    };
    template
        .replace("{name}", name)
        .replace("{buyer}", buyer)
        .replace("{points}", &c.points.to_string())
        .replace("{tier}", c.tier.label(lang))
        .replace("{coupon}", coupon)
}

/// Write campaign `id`'s recipients (the control group left out) to `out`
/// as the customers export has them, with a `message` column: the template
/// filled for each. Refused if `out` exists. Returns how many rows.
pub(super) fn export_campaign(
    store: &Store,
    cfg: &crate::config::Config,
    (id, template, coupon): (i64, &str, &str),
    out: &Path,
    reveal: bool,
    lang: Lang,
) -> Result<u64> {
    refuse_existing(out, false)?;
    let job = Job {
        store,
        cfg,
        scope: ExportScope::all(),
        kind: ExportKind::Customers,
        reveal,
        skip_blacklisted: false,
        left_out: Cell::new(0),
        lang,
        campaign: Some(CampaignOut {
            id,
            template,
            coupon,
        }),
    };
    write_file(out, false, &job)
}

/// One export: what, from where, how to label it.
struct Job<'a> {
    /// A campaign's recipients instead of the scope's customers.
    campaign: Option<CampaignOut<'a>>,
    store: &'a Store,
    cfg: &'a crate::config::Config,
    scope: ExportScope,
    kind: ExportKind,
    reveal: bool,
    /// Leave blacklisted buyers out of a customer list, counting them.
    skip_blacklisted: bool,
    left_out: Cell<u64>,
    lang: Lang,
}

impl Job<'_> {
    /// BOM, header, rows; returns the number of rows (header not counted).
    fn write<W: Write>(&self, mut w: W) -> Result<u64> {
        w.write_all("\u{FEFF}".as_bytes())?;
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(w);
        let lang = self.lang;
        let mut header: Vec<&str> = self
            .columns()
            .iter()
            .map(|(zh, en)| lang.t(zh, en))
            .collect();
        if self.campaign.is_some() {
            header.push(lang.t("消息", "message"));
        }
        csv.write_record(&header)?;
        let store = self.store;
        let scope = &self.scope;
        let mut put = |cells: Vec<String>| -> Result<()> { Ok(csv.write_record(&cells)?) };
        let n = match self.kind {
            ExportKind::Customers => {
                let cells = |c: &CustomerExport| {
                    vec![
                        platform_label(&c.platform, lang),
                        text(&c.buyer_key),
                        text(&c.nick),
                        text(&c.name),
                        self.phone(&c.phone),
                        c.tier.label(lang).to_string(),
                        c.segment.label(lang).to_string(),
                        c.orders.to_string(),
                        fen_to_plain(c.paid_fen),
                        fen_to_plain(c.refund_fen),
                        opt(&c.first_order_at),
                        opt(&c.last_order_at),
                        c.points.to_string(),
                        yes_no(c.blacklisted, lang),
                        text(&c.tags.join("; ")),
                    ]
                };
                if let Some(k) = &self.campaign {
                    store.export_campaign_recipients(k.id, &self.cfg.tiers(), &mut |c| {
                        let mut row = cells(c);
                        row.push(text(&fill_template(k.template, c, k.coupon, lang)));
                        put(row)
                    })?
                } else {
                    let seen = store.export_customers(scope, &self.cfg.tiers(), &mut |c| {
                        if self.skip_blacklisted && c.blacklisted {
                            self.left_out.set(self.left_out.get() + 1);
                            return Ok(());
                        }
                        put(cells(c))
                    })?;
                    seen - self.left_out.get()
                }
            }
            ExportKind::Orders => store.export_orders(scope, &mut |o| {
                put(vec![
                    text(&o.order_no),
                    platform_label(&o.platform, lang),
                    text(&o.buyer_key),
                    text(&o.created_at),
                    opt(&o.paid_at),
                    labels::status(lang, &o.status).to_string(),
                    text(&o.status_raw),
                    text(&o.items),
                    fen_to_plain(o.paid_fen),
                    fen_to_plain(o.refund_fen),
                    text(&o.receiver_name),
                    self.phone(&o.receiver_phone),
                    text(&o.address),
                    text(&o.message),
                    text(&o.remark),
                ])
            })?,
            ExportKind::Complaints => {
                store.export_complaints(scope, &self.cfg.sla(), &mut |k| {
                    put(vec![
                        k.id.to_string(),
                        text(&k.created_at),
                        text(&k.customer),
                        opt(&k.order_no),
                        label(&k.category, Category::parse, Category::label, lang),
                        label(&k.severity, Severity::parse, Severity::label, lang),
                        label(&k.channel, Channel::parse, Channel::label, lang),
                        label(
                            &k.status,
                            ComplaintStatus::parse,
                            ComplaintStatus::label,
                            lang,
                        ),
                        text(&k.summary),
                        text(&k.resolution),
                        fen_to_plain(k.compensation_fen),
                        k.compensation_points.to_string(),
                        k.satisfaction.map(|s| s.to_string()).unwrap_or_default(),
                        yes_no(k.overdue, lang),
                    ])
                })?
            }
            ExportKind::Ledger => store.export_ledger(scope, &mut |e| {
                let reference = match (&e.ref_order_no, e.ref_complaint_id) {
                    (Some(no), _) => text(no),
                    (None, Some(c)) => format!("{} #{c}", m(lang, M::Complaint)),
                    _ => String::new(),
                };
                put(vec![
                    e.id.to_string(),
                    text(&e.created_at),
                    text(&e.customer),
                    e.delta.to_string(),
                    labels::ledger_kind(lang, &e.kind).to_string(),
                    reference,
                    text(&e.note),
                    e.balance.to_string(),
                ])
            })?,
        };
        csv.flush()?;
        Ok(n)
    }

    fn phone(&self, phone: &str) -> String {
        if self.reveal {
            text(phone)
        } else {
            text(&mask_phone(phone))
        }
    }

    /// (Chinese, English) header of each column.
    fn columns(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            ExportKind::Customers => &[
                ("平台", "platform"),
                ("买家", "buyer"),
                ("昵称", "nickname"),
                ("收货人", "receiver"),
                ("手机", "phone"),
                ("等级", "tier"),
                ("分群", "segment"),
                ("订单数", "orders"),
                ("实付合计", "paid"),
                ("退款合计", "refunded"),
                ("首单时间", "first order"),
                ("最近下单", "last order"),
                ("积分", "points"),
                ("黑名单", "blacklisted"),
                ("标签", "tags"),
            ],
            ExportKind::Orders => &[
                ("订单编号", "order no"),
                ("平台", "platform"),
                ("买家", "buyer"),
                ("下单时间", "created"),
                ("付款时间", "paid at"),
                ("状态", "status"),
                ("平台状态", "platform status"),
                ("商品", "items"),
                ("实付", "paid"),
                ("退款", "refund"),
                ("收货人", "receiver"),
                ("手机", "phone"),
                ("收货地址", "address"),
                ("买家留言", "buyer message"),
                ("卖家备注", "seller remark"),
            ],
            ExportKind::Complaints => &[
                ("编号", "id"),
                ("创建时间", "created"),
                ("客户", "customer"),
                ("订单编号", "order no"),
                ("类别", "category"),
                ("严重程度", "severity"),
                ("渠道", "channel"),
                ("状态", "status"),
                ("摘要", "summary"),
                ("处理结果", "resolution"),
                ("补偿金额", "compensation"),
                ("补偿积分", "compensation points"),
                ("满意度", "satisfaction"),
                ("超时", "overdue"),
            ],
            ExportKind::Ledger => &[
                ("编号", "id"),
                ("时间", "time"),
                ("客户", "customer"),
                ("积分变动", "delta"),
                ("类型", "kind"),
                ("关联", "reference"),
                ("备注", "note"),
                ("余额", "balance"),
            ],
        }
    }
}

/// A text cell: neutralised and formula-safe.
fn text(s: &str) -> String {
    csv_cell(s).into_owned()
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(text).unwrap_or_default()
}

fn yes_no(b: bool, lang: Lang) -> String {
    match b {
        true => m(lang, M::ExportYes),
        false => m(lang, M::ExportNo),
    }
    .to_string()
}

fn platform_label(code: &str, lang: Lang) -> String {
    match Platform::from_code(code) {
        Some(p) => p.label(lang).to_string(),
        None => text(code),
    }
}

/// The label of a stored code, or the code itself when it is not known.
fn label<T>(
    code: &str,
    parse: fn(&str) -> Option<T>,
    name: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> String {
    match parse(code) {
        Some(v) => name(v, lang).to_string(),
        None => text(code),
    }
}
