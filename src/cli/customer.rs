//! CUSTOMER on the command line, for every command that takes one (points,
//! complaints, export): `#id`, `platform:key`, a buyer key, or any lookup
//! query that matches exactly one customer. Anything else is refused (exit 3)
//! with what to write instead; several matches are listed to choose from.

use crate::db::{CustomerMatch, LookupHit, Store};
use crate::domain::Platform;
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::cli as say;

/// The one customer `spec` names, or a refusal saying why not.
pub(crate) fn customer_id(store: &Store, spec: &str) -> anyhow::Result<i64> {
    match store.find_customer(spec)? {
        CustomerMatch::One(id) => Ok(id),
        CustomerMatch::None => Err(say::no_such_customer(&one_line(spec)).into()),
        CustomerMatch::Several {
            candidates,
            total,
            capped,
        } => {
            let all = if capped {
                format!("{total}+")
            } else {
                total.to_string()
            };
            let list =
                |lang| -> String { candidates.iter().map(|h| candidate_line(h, lang)).collect() };
            let more = total.saturating_sub(candidates.len());
            let more =
                (more > 0 || capped).then(|| format!("{more}{}", if capped { "+" } else { "" }));
            let list = (list(Lang::Zh), list(Lang::En));
            Err(say::several_customers(&one_line(spec), &all, (&list.0, &list.1), more).into())
        }
    }
}

/// A candidate: `#id`, nickname, name and masked phone (and platform).
fn candidate_line(h: &LookupHit, lang: Lang) -> String {
    format!(
        "\n  #{}  {}  {}  {}  [{}]",
        h.id,
        one_line(&h.nick),
        one_line(&h.name),
        h.phone,
        Platform::label_of(&h.platform, lang)
    )
}
