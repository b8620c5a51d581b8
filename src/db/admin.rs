//! Upkeep: rejected rows, integrity checks, backups.

use super::Store;
use crate::i18n::Text;
use crate::model::Reason;
use anyhow::Result;
use std::path::Path;

/// A rejected row as `kehu rejects` lists it. The reader puts the reason into
/// words ([`Reason::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectEntry {
    pub file: String,
    pub line: i64,
    pub reason: Reason,
    pub raw: String,
}

/// What `kehu check` found. Empty `problems` means healthy.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub integrity: String,
    pub problems: Vec<Text>,
}

impl Store {
    /// Whether every import batch's file label starts with `prefix` (true when empty).
    pub fn only_batches_prefixed(&self, prefix: &str) -> Result<bool> {
        let others: i64 = self.conn.query_row(
            "SELECT count(*) FROM import_batches WHERE substr(file, 1, length(?1)) != ?1",
            [prefix],
            |r| r.get(0),
        )?;
        Ok(others == 0)
    }

    /// Fold the write-ahead log into the database file.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    pub fn rejects(&self) -> Result<Vec<RejectEntry>> {
        let mut st = self.conn.prepare(
            "SELECT file, line, reason, raw, reason_code, reason_params FROM rejects ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let code: Option<String> = r.get(4)?;
            let params: Option<String> = r.get(5)?;
            let text: String = r.get(2)?;
            Ok(RejectEntry {
                file: r.get(0)?,
                line: r.get(1)?,
                reason: Reason::stored(code.as_deref(), params.as_deref(), &text),
                raw: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// SQLite's own integrity check plus kehu's invariants.
    pub fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let results: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        report.integrity = results.join("; ");
        if report.integrity != "ok" {
            let found = &report.integrity;
            report.problems.push(Text::new(
                format!("SQLite 完整性检查失败：{found}"),
                format!("SQLite's integrity check failed: {found}"),
            ));
        }
        let fk: i64 = self
            .conn
            .query_row(super::undo::FK_PROBLEMS_SQL, [], |r| r.get(0))?;
        if fk > 0 {
            report.problems.push(Text::new(
                format!("{fk} 行引用了不存在的记录（外键）"),
                format!("{fk} row(s) refer to records that do not exist (foreign keys)"),
            ));
        }
        let valid_sql = format!(
            "SELECT count(*) FROM customers c WHERE valid_orders !=
               (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.status IN ({v}))
             OR last_valid_at IS NOT (SELECT max(created_at) FROM orders o WHERE o.customer_id = c.id AND o.status IN ({v}))",
            v = crate::domain::status::valid_codes_sql()
        );
        // The amounts import accepts (0 ..= ¥10,000,000.00 per order): the
        // same bound, so check agrees with import.
        let cap = crate::domain::money::MAX_ORDER_FEN;
        let out = |c: &str| format!("({c} < 0 OR {c} > {cap})");
        let amounts_sql = format!(
            "SELECT count(*) FROM orders o WHERE {} OR {} OR {} OR {}
               OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND ({} OR {}))",
            out("o.paid_fen"),
            out("o.refund_fen"),
            out("o.goods_fen"),
            out("o.postage_fen"),
            out("l.price_fen"),
            out("l.refund_fen"),
        );
        let invariants: &[(&str, (&str, &str))] = &[
            (
                "SELECT count(*) FROM customers c WHERE orders_count != (SELECT count(*) FROM orders o WHERE o.customer_id = c.id)
                 OR paid_fen != (SELECT kehu_sum(paid_fen) FROM orders o WHERE o.customer_id = c.id)",
                ("位客户的订单数或金额与订单不一致", "customer(s) whose order count or amount disagrees with their orders"),
            ),
            (
                &valid_sql,
                (
                    "位客户的有效订单数或最近有效订单与订单不一致",
                    "customer(s) whose valid-order count or last valid order disagrees with their orders",
                ),
            ),
            (
                "SELECT count(*) FROM orders WHERE status NOT IN ('unknown','unpaid','paid','shipped','completed','closed','refunded')",
                ("个订单的状态不是规范值", "order(s) with a status that is not one of kehu's"),
            ),
            (
                &amounts_sql,
                (
                    "个订单的金额为负或超过每单上限 ¥10,000,000.00（导入会拒绝这样的行）",
                    "order(s) with an amount below zero or above the ¥10,000,000.00 an order may have (import rejects such rows)",
                ),
            ),
            (
                "SELECT count(*) FROM orders WHERE status = 'closed' AND refund_fen > 0",
                ("个已关闭订单带有退款却未标为已退款", "closed order(s) with a refund not marked refunded"),
            ),
            (
                // A buyer whose orders a later export gave to another buyer
                // stays (with the receivers seen on them); one never seen on
                // any order is a problem.
                "SELECT count(*) FROM customers c WHERE c.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)
                 AND NOT EXISTS (SELECT 1 FROM receivers r WHERE r.customer_id = c.id)
                 AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.customer_id = c.id)",
                ("位客户没有任何订单", "customer(s) without any order"),
            ),
            (
                "SELECT count(*) FROM customers c WHERE blacklisted != coalesce((SELECT listed FROM blacklist_events e
                 WHERE e.customer_id = c.id ORDER BY e.id DESC LIMIT 1), 0)",
                ("位客户的黑名单标记与黑名单记录不符", "customer(s) whose blacklist mark disagrees with the blacklist record"),
            ),
        ];
        for (sql, (zh, en)) in invariants {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if n > 0 {
                report
                    .problems
                    .push(Text::new(format!("{n} {zh}"), format!("{n} {en}")));
            }
        }
        report
            .problems
            .extend(super::ledger::check_problems(&self.conn)?);
        Ok(report)
    }

    /// A consistent copy of the database, safe while the app or an import
    /// runs. An existing file is never overwritten and a missing folder is
    /// not made: both are refused (exit 3), as is a folder kehu cannot write.
    /// The copy is readable by its owner only from the start.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        use super::Refused;
        let d = dest.display();
        if dest.exists() {
            return Err(Refused::new(
                format!("{d} 已存在；请换一个文件名，kehu 不会覆盖它"),
                format!("{d} already exists; choose another name, kehu does not overwrite it"),
            )
            .into());
        }
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            let f = dir.display();
            return Err(Refused::new(
                format!("备份的文件夹 {f} 不存在；请先建好它，或换一个路径"),
                format!(
                    "the backup folder {f} does not exist; make it first or choose another path"
                ),
            )
            .into());
        }
        let Some(dest_str) = dest.to_str() else {
            return Err(Refused::new(
                "备份路径必须是有效的 UTF-8 文本",
                "the backup path must be valid UTF-8 text",
            )
            .into());
        };
        let refused = |zh: String, en: String| -> anyhow::Error { Refused::new(zh, en).into() };
        let cannot_write = || {
            refused(
                format!("无法写入备份 {d}：文件夹不可写，或没有空间"),
                format!("cannot write the backup {d}: the folder is not writable, or full"),
            )
        };
        // An empty file, owner-only, that VACUUM INTO fills.
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        if opts.open(dest).is_err() {
            return Err(cannot_write());
        }
        // A read-only store writes nothing of its own, but VACUUM INTO
        // counts as writing under query_only: lift it for the copy alone.
        if self.read_only {
            self.conn.execute_batch("PRAGMA query_only = OFF")?;
        }
        let copied = self.conn.execute("VACUUM INTO ?", [dest_str]);
        if self.read_only {
            self.conn.execute_batch("PRAGMA query_only = ON")?;
        }
        if let Err(e) = copied {
            let _ = std::fs::remove_file(dest);
            return Err(match &e {
                rusqlite::Error::SqliteFailure(f, _)
                    if matches!(
                        f.code,
                        rusqlite::ErrorCode::CannotOpen
                            | rusqlite::ErrorCode::ReadOnly
                            | rusqlite::ErrorCode::PermissionDenied
                            | rusqlite::ErrorCode::DiskFull
                    ) =>
                {
                    cannot_write()
                }
                _ => crate::i18n::Failed::wrap(
                    crate::i18n::Text::new(
                        format!("无法写入备份 {d}"),
                        format!("cannot write the backup {d}"),
                    ),
                    e,
                ),
            });
        }
        Ok(())
    }
}
