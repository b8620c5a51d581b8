//! `kehu suggest CUSTOMER [--json]`: the 5 titles a buyer might want and why;
//! `kehu suggest --backtest [--json]`: the suggestions against the shop's 5
//! most-ordered titles, each buyer's last order hidden.

use super::EXIT_OK;
use super::common::{customer_id, finish, open_store};
use super::out::{outln, print_json};
use crate::db::Access;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::suggest as say;
use crate::model::SuggestWhy;
use anyhow::Result;
use serde_json::json;
use std::path::Path;

pub fn run(
    customer: Option<String>,
    backtest: bool,
    json: bool,
    db: &Path,
    lang: Lang,
) -> Result<i32> {
    finish(
        (|| {
            let (mut store, _) = open_store(db, Access::Read, lang)?;
            if backtest {
                let b = store.suggest_backtest()?;
                if json {
                    print_json(&b)?;
                } else {
                    for line in say::backtest_lines(
                        lang,
                        b.buyers,
                        b.hit_rate_at_5,
                        b.baseline_hit_rate_at_5,
                    ) {
                        outln!("{line}")?;
                    }
                }
                return Ok(EXIT_OK);
            }
            let Some(spec) = customer else {
                return Err(say::customer_or_backtest().into());
            };
            let id = customer_id(&store, &spec)?;
            store.refresh_suggest_counts()?;
            let list = store.suggest(id)?;
            if json {
                let rows: Vec<_> = list
                    .iter()
                    .map(|s| {
                        json!({
                            "title": s.title,
                            "score": s.score,
                            "why": s.why.text(lang),
                            "reason": reason_json(&s.why),
                        })
                    })
                    .collect();
                print_json(&rows)?;
                return Ok(EXIT_OK);
            }
            if list.is_empty() {
                outln!("{}", say::nothing(lang))?;
            }
            for (i, s) in list.iter().enumerate() {
                outln!(
                    "{}. {}  ({:.4})  {}",
                    i + 1,
                    one_line(&s.title),
                    s.score,
                    one_line(&s.why.text(lang))
                )?;
            }
            Ok(EXIT_OK)
        })(),
        lang,
    )
}

/// The reason as English codes and numbers.
fn reason_json(w: &SuggestWhy) -> serde_json::Value {
    let mut v = json!({ "kind": w.code() });
    let extra = match w {
        SuggestWhy::Due {
            every_days,
            ago_days,
        } => json!({ "every_days": every_days, "ago_days": ago_days }),
        SuggestWhy::Again { ago_days } => json!({ "ago_days": ago_days }),
        SuggestWhy::Together { with } => json!({ "with": with }),
        SuggestWhy::Segment(s) => json!({ "segment": s.code() }),
        SuggestWhy::Popular => json!({}),
    };
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    v
}
