//! Campaigns: pick customers by segment, tier and tag (never the
//! blacklisted), hold a seeded share back as a control group, keep both,
//! and later report who came back to buy within N days, against the control.

use super::export::{CustomerExport, ExportScope, customer_from_row, customers_sql};
use super::{Refused, Store};
use crate::domain::segment::{Segment, SegmentRules};
use crate::domain::tier::{Tier, TierThresholds};
use crate::domain::time;
use crate::model::{Campaign, CampaignFilters, CampaignReport, CampaignSummary, NewCampaign};
use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, TransactionBehavior, params, params_from_iter};

/// A number in 0..2^64 from a seed and a customer id (SplitMix64): the order
/// in which customers are held back, the same for the same seed.
fn draw(seed: u64, id: i64) -> u64 {
    let mut z = seed ^ (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How many of `n` picked customers `pct` per cent holds back (rounded down).
pub fn control_size(n: usize, pct: i64) -> usize {
    let pct = usize::try_from(pct.clamp(0, 100)).unwrap_or(0);
    n * pct / 100
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn filters_json(f: &CampaignFilters) -> String {
    serde_json::to_string(f).unwrap_or_else(|_| "{}".into())
}

fn filters_from_json(s: &str) -> CampaignFilters {
    let v: serde_json::Value = serde_json::from_str(s).unwrap_or_default();
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    CampaignFilters {
        segments: list("segments")
            .iter()
            .filter_map(|s| Segment::parse(s))
            .collect(),
        tiers: list("tiers")
            .iter()
            .filter_map(|s| Tier::parse(s))
            .collect(),
        tags: list("tags"),
    }
}

impl Store {
    /// The customers `filters` pick now, by id: not blacklisted, in one of
    /// the segments, one of the tiers and holding one of the tags (each filter
    /// only when given).
    pub fn campaign_picks(
        &self,
        filters: &CampaignFilters,
        segments: &SegmentRules,
        tiers: &TierThresholds,
    ) -> Result<Vec<(i64, String)>> {
        let now = time::beijing_now();
        // Customers merged into another are reached through the survivor.
        let mut terms = vec![
            "c.blacklisted = 0".to_string(),
            "c.merged_into IS NULL".to_string(),
        ];
        let mut values: Vec<Value> = Vec::new();
        if !filters.segments.is_empty() {
            let mut any = Vec::new();
            for s in &filters.segments {
                let (sql, v) = super::segment_sql::segment_predicate(*s, "c", now, segments);
                any.push(format!("({sql})"));
                values.extend(v);
            }
            terms.push(format!("({})", any.join(" OR ")));
        }
        if !filters.tiers.is_empty() {
            let mut any = Vec::new();
            for t in &filters.tiers {
                let (sql, v) = super::views::tier_predicate(*t, tiers);
                any.push(sql);
                values.extend(v);
            }
            terms.push(format!("({})", any.join(" OR ")));
        }
        if !filters.tags.is_empty() {
            let marks = vec!["?"; filters.tags.len()].join(", ");
            terms.push(format!(
                "EXISTS (SELECT 1 FROM tags t WHERE t.customer_id = c.id AND t.tag IN ({marks}))"
            ));
            values.extend(filters.tags.iter().map(|t| Value::Text(t.clone())));
        }
        let mut st = self.conn.prepare(&format!(
            "SELECT c.id, c.platform || ':' || c.buyer_key FROM customers c WHERE {} ORDER BY c.id",
            terms.join(" AND ")
        ))?;
        let rows = st
            .query_map(params_from_iter(values), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Create a campaign now: pick, hold the control back, record both.
    /// Returns its id.
    pub fn create_campaign(
        &mut self,
        c: &NewCampaign,
        segments: &SegmentRules,
        tiers: &TierThresholds,
    ) -> Result<i64> {
        let name = c.name.trim();
        if name.is_empty() {
            return Err(Refused::new("活动需要一个名字", "a campaign needs a name").into());
        }
        if !(0..=100).contains(&c.control_pct) {
            return Err(Refused::new(
                format!("对照组比例 {} 不在 0–100 之间", c.control_pct),
                format!("control share {} is not between 0 and 100", c.control_pct),
            )
            .into());
        }
        self.before_write()?;
        let picks = self.campaign_picks(&c.filters, segments, tiers)?;
        let mut order: Vec<(u64, i64)> = picks
            .iter()
            .map(|(id, _)| (draw(c.seed, *id), *id))
            .collect();
        order.sort_unstable();
        let held = control_size(order.len(), c.control_pct);
        let control: std::collections::HashSet<i64> =
            order.iter().take(held).map(|(_, id)| *id).collect();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO campaigns (name, created_at, filters, template, coupon, control_pct, seed)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![
                name,
                c.at.clone().unwrap_or_else(time::now_text),
                filters_json(&c.filters),
                c.template,
                c.coupon.trim(),
                c.control_pct,
                // SQLite integers are signed: the seed's bits as i64.
                c.seed as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO campaign_members (campaign_id, customer_id, control) VALUES (?, ?, ?)",
            )?;
            for (cid, _) in &picks {
                ins.execute(params![id, cid, control.contains(cid)])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Every campaign, newest first, with its group sizes.
    pub fn campaigns(&self) -> Result<Vec<CampaignSummary>> {
        let mut st = self.conn.prepare(
            "SELECT k.id, k.name, k.created_at,
                    (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = k.id AND m.control = 0),
                    (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = k.id AND m.control = 1)
             FROM campaigns k ORDER BY k.id DESC",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(CampaignSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                    recipients: r.get(3)?,
                    control: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn no_campaign(id: i64) -> anyhow::Error {
        Refused::new(format!("没有活动 #{id}"), format!("no campaign #{id}")).into()
    }

    /// One campaign with its recipients and control group.
    pub fn campaign(&self, id: i64) -> Result<Campaign> {
        let head = self
            .conn
            .query_row(
                "SELECT name, created_at, filters, template, coupon, control_pct, seed FROM campaigns WHERE id = ?",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((name, created_at, filters, template, coupon, control_pct, seed)) = head else {
            return Err(Store::no_campaign(id));
        };
        let mut recipients = Vec::new();
        let mut control = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT c.platform || ':' || c.buyer_key, m.control FROM campaign_members m
             JOIN customers c ON c.id = m.customer_id WHERE m.campaign_id = ? ORDER BY c.id",
        )?;
        let mut rows = st.query([id])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            if r.get::<_, bool>(1)? {
                control.push(key);
            } else {
                recipients.push(key);
            }
        }
        Ok(Campaign {
            id,
            name,
            created_at,
            filters: filters_from_json(&filters),
            template,
            coupon,
            control_pct,
            seed: seed as u64,
            recipients,
            control,
        })
    }

    /// The recipients (control excluded) as the customers export has them,
    /// each passed to `f`. Returns how many.
    pub fn export_campaign_recipients(
        &self,
        id: i64,
        tiers: &TierThresholds,
        f: &mut dyn FnMut(&CustomerExport) -> Result<()>,
    ) -> Result<u64> {
        let scope = ExportScope::all();
        let (since, now) = crate::domain::tier::spend_window(scope.now);
        let sql = customers_sql(
            "c.id IN (SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND control = 0)",
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params![time::fmt(since), time::fmt(now), id])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            f(&customer_from_row(r, &scope, tiers)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Who came back: customers of the campaign with a valid order created
    /// after its time and no more than `days` days after it.
    pub fn campaign_report(&self, id: i64, days: i64) -> Result<CampaignReport> {
        let Some((name, created_at)) = self
            .conn
            .query_row(
                "SELECT name, created_at FROM campaigns WHERE id = ?",
                [id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
        else {
            return Err(Store::no_campaign(id));
        };
        let start = time::parse_stored(&created_at).unwrap_or_else(time::beijing_now);
        let end = time::fmt(start + chrono::Duration::days(days.max(0)));
        let valid = crate::domain::status::valid_codes_sql();
        // Per group: members, responders, and what responders' orders paid.
        let mut st = self.conn.prepare(&format!(
            "SELECT m.control, count(*),
                    sum(EXISTS (SELECT 1 FROM orders o INDEXED BY orders_customer
                                WHERE o.customer_id = m.customer_id AND o.created_at > ?2
                                  AND o.created_at <= ?3 AND o.status IN ({valid}))),
                    sum((SELECT coalesce(sum(o.paid_fen), 0) FROM orders o INDEXED BY orders_customer
                         WHERE o.customer_id = m.customer_id AND o.created_at > ?2
                           AND o.created_at <= ?3 AND o.status IN ({valid})))
             FROM campaign_members m WHERE m.campaign_id = ?1 GROUP BY m.control"
        ))?;
        let mut groups = [(0i64, 0i64, 0i64); 2];
        let mut rows = st.query(params![id, created_at, end])?;
        while let Some(r) = rows.next()? {
            let control: bool = r.get(0)?;
            groups[usize::from(control)] = (r.get(1)?, r.get(2)?, r.get(3)?);
        }
        let rate = |(n, k, _): (i64, i64, i64)| (n > 0).then(|| round4(k as f64 / n as f64));
        let (response_rate, control_rate) = (rate(groups[0]), rate(groups[1]));
        // No control group (or no recipients): no lift to tell.
        let lift = match (response_rate, control_rate) {
            (Some(a), Some(b)) => Some(round4(a - b)),
            _ => None,
        };
        Ok(CampaignReport {
            id,
            name,
            created_at,
            days,
            recipients: groups[0].0,
            control: groups[1].0,
            responders: groups[0].1,
            control_responders: groups[1].1,
            response_rate,
            control_rate,
            lift,
            revenue_fen: groups[0].2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_share_rounds_down_and_the_draw_is_seeded() {
        assert_eq!(control_size(0, 10), 0);
        assert_eq!(control_size(9, 10), 0);
        assert_eq!(control_size(10, 10), 1);
        assert_eq!(control_size(199, 10), 19);
        assert_eq!(control_size(5, 100), 5);
        assert_eq!(draw(7, 42), draw(7, 42));
        assert_ne!(draw(7, 42), draw(8, 42));
        let f = CampaignFilters {
            segments: vec![Segment::AtRisk],
            tiers: vec![Tier::Gold],
            tags: vec!["老客".into()],
        };
        assert_eq!(filters_from_json(&filters_json(&f)), f);
    }
}
