//! Satisfaction (满意度) from the feedback records: overall and by month,
//! source, complaint category, segment or tier (the last two as of now).

use super::Store;
use crate::domain::segment::{CustomerFacts, Segment, SegmentRules};
use crate::domain::tier::{TierThresholds, tier_for};
use crate::domain::time;
use crate::model::{Satisfaction, SatisfactionBy, ScoreGroup, ScoreSums};
use anyhow::Result;
use std::collections::BTreeMap;

impl Store {
    /// Satisfaction overall and grouped `by`. Low is a score of 2 or less.
    pub fn satisfaction(
        &self,
        by: SatisfactionBy,
        segments: &SegmentRules,
        tiers: &TierThresholds,
    ) -> Result<Satisfaction> {
        let sums = |r: &rusqlite::Row<'_>, at: usize| -> rusqlite::Result<ScoreSums> {
            Ok(ScoreSums {
                count: r.get(at)?,
                total: r.get(at + 1)?,
                low: r.get(at + 2)?,
            })
        };
        const SUMS: &str = "count(*), sum(b.score), sum(b.score <= 2)";
        let mut groups: BTreeMap<String, ScoreSums> = BTreeMap::new();
        match by {
            SatisfactionBy::Month | SatisfactionBy::Source | SatisfactionBy::Category => {
                let key = match by {
                    SatisfactionBy::Month => "substr(b.at, 1, 7)",
                    SatisfactionBy::Source => "b.source",
                    _ => "coalesce(k.category, 'none')",
                };
                let mut st = self.conn.prepare(&format!(
                    "SELECT {key}, {SUMS} FROM feedback b
                     LEFT JOIN complaints k ON k.id = b.complaint_id AND b.source = 'complaint'
                     GROUP BY 1"
                ))?;
                let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, sums(r, 1)?)))?;
                for row in rows {
                    let (k, s) = row?;
                    groups.entry(k).or_default().add(s);
                }
            }
            SatisfactionBy::Segment | SatisfactionBy::Tier => {
                // Per customer first (few), then each customer's segment or
                // tier now.
                let now = time::beijing_now();
                let mut st = self.conn.prepare(&format!(
                    "SELECT c.valid_orders, c.paid_fen, c.refund_fen, c.last_valid_at,
                            (SELECT coalesce(sum(max(o.paid_fen - o.refund_fen, 0)), 0)
                               FROM orders o INDEXED BY orders_customer
                              WHERE o.customer_id = c.id AND o.status = 'completed'
                                AND o.created_at > kehu_spend_since() AND o.created_at <= kehu_now()),
                            {SUMS}
                     FROM feedback b JOIN customers c ON c.id = b.customer_id
                     GROUP BY b.customer_id"
                ))?;
                let rows = st.query_map([], |r| {
                    let facts = CustomerFacts {
                        valid_orders: r.get(0)?,
                        paid_fen: r.get(1)?,
                        refund_fen: r.get(2)?,
                        last_valid_at: r
                            .get::<_, Option<String>>(3)?
                            .as_deref()
                            .and_then(time::parse_stored),
                    };
                    Ok((facts, r.get::<_, i64>(4)?, sums(r, 5)?))
                })?;
                for row in rows {
                    let (facts, spend, s) = row?;
                    let key = if by == SatisfactionBy::Segment {
                        Segment::of(&facts, now, segments).code().to_string()
                    } else {
                        tier_for(spend, tiers).code().to_string()
                    };
                    groups.entry(key).or_default().add(s);
                }
            }
        }
        let mut overall = ScoreSums::default();
        for s in groups.values() {
            overall.add(*s);
        }
        Ok(Satisfaction {
            overall: overall.summary(),
            groups: groups
                .into_iter()
                .map(|(key, s)| ScoreGroup {
                    key,
                    scores: s.summary(),
                })
                .collect(),
        })
    }
}
