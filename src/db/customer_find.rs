//! CUSTOMER on the command line: `#id`, `platform:key`, a buyer key, or any
//! lookup query that finds exactly one customer; several found are the
//! candidates to choose from.

use super::Store;
use super::lookup::{LookupHit, MatchField, Matched};
use anyhow::Result;
use rusqlite::{OptionalExtension, params};

/// Candidates a refused CUSTOMER lists at most.
pub const CANDIDATES_SHOWN: usize = 10;

/// What a CUSTOMER on the command line names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerMatch {
    One(i64),
    None,
    /// More than one: the best [`CANDIDATES_SHOWN`], and how many in all.
    Several {
        candidates: Vec<LookupHit>,
        total: usize,
        capped: bool,
    },
}

impl Store {
    /// The customer a seller names on the command line: `#id`,
    /// `platform:key`, a buyer key, or any lookup query that matches exactly
    /// one customer. Several matching: the best few, for the seller to choose.
    pub fn find_customer(&self, spec: &str) -> Result<CustomerMatch> {
        // A customer merged into another is found as the survivor.
        Ok(match self.find_customer_as_named(spec)? {
            CustomerMatch::One(id) => CustomerMatch::One(self.merged_survivor(id)?),
            other => other,
        })
    }

    /// As [`Store::find_customer`], but a customer merged away is itself
    /// (merging refuses it).
    pub fn find_customer_as_named(&self, spec: &str) -> Result<CustomerMatch> {
        let spec = spec.trim();
        if let Some(id) = spec.strip_prefix('#').and_then(|s| s.parse::<i64>().ok()) {
            return Ok(match self.facts(id)? {
                Some(_) => CustomerMatch::One(id),
                None => CustomerMatch::None,
            });
        }
        if let Some((p, key)) = spec.split_once(':')
            && let Some(pl) = crate::domain::Platform::from_code(p)
        {
            let id: Option<i64> = self
                .conn
                .prepare_cached("SELECT id FROM customers WHERE platform = ? AND buyer_key = ?")?
                .query_row(params![pl.code(), key], |r| r.get(0))
                .optional()?;
            return Ok(id.map_or(CustomerMatch::None, CustomerMatch::One));
        }
        // A buyer key, on any platform (the unique index leads with it).
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT id FROM customers
                 WHERE platform IN ({}) AND buyer_key = ?
                 ORDER BY id",
                crate::domain::Platform::codes_sql()
            ))?
            .query_map([spec], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [id] => return Ok(CustomerMatch::One(*id)),
            [] => {}
            several => {
                let mut candidates = Vec::new();
                for id in several {
                    if let Some(mut h) = self.hit(*id, false)? {
                        h.matched = Matched {
                            field: MatchField::Nick,
                            value: h.nick.clone(),
                        };
                        candidates.push(h);
                    }
                }
                return Ok(CustomerMatch::Several {
                    total: candidates.len(),
                    capped: false,
                    candidates,
                });
            }
        }
        let page = self.lookup_page(spec, 0, CANDIDATES_SHOWN, false)?;
        Ok(match (page.total, page.capped) {
            (0, false) => CustomerMatch::None,
            (1, false) => match page.hits.into_iter().next() {
                Some(h) => CustomerMatch::One(h.id),
                None => CustomerMatch::None,
            },
            _ => CustomerMatch::Several {
                candidates: page.hits,
                total: page.total,
                capped: page.capped,
            },
        })
    }
}
