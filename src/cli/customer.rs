//! CUSTOMER on the command line, for every command that takes one (points,
//! complaints, export): `#id`, `platform:key`, a buyer key, or any lookup
//! query that matches exactly one customer. Anything else is refused (exit 3)
//! with what to write instead; several matches are listed to choose from.

use crate::db::{CustomerMatch, LookupHit, Refused, Store};
use crate::domain::Platform;
use crate::domain::text::one_line;
use crate::i18n::Lang;

/// The one customer `spec` names, or a refusal saying why not.
pub(crate) fn customer_id(store: &Store, spec: &str) -> anyhow::Result<i64> {
    match store.find_customer(spec)? {
        CustomerMatch::One(id) => Ok(id),
        CustomerMatch::None => Err(Refused::new(
            format!(
                "没有找到客户 {}（可写 #编号、平台:买家、买家会员名，或昵称、收货人、手机号、订单号等只匹配一位客户的查找词；kehu lookup 可先查一下）",
                one_line(spec)
            ),
            format!(
                "no customer {} (write #id, platform:key, the buyer key, or a nickname, name, phone or order number that finds exactly one customer; kehu lookup helps)",
                one_line(spec)
            ),
        )
        .into()),
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
            let list = |lang| -> String { candidates.iter().map(|h| candidate_line(h, lang)).collect() };
            let (list_zh, list_en) = (list(Lang::Zh), list(Lang::En));
            let more = total.saturating_sub(candidates.len());
            let (more_zh, more_en) = if more > 0 || capped {
                (
                    format!("\n  …还有 {}{} 位", more, if capped { "+" } else { "" }),
                    format!("\n  … and {}{} more", more, if capped { "+" } else { "" }),
                )
            } else {
                (String::new(), String::new())
            };
            Err(Refused::new(
                format!(
                    "{} 匹配 {all} 位客户，请用 #编号 指明是哪一位：{list_zh}{more_zh}",
                    one_line(spec)
                ),
                format!(
                    "{} matches {all} customers; name one by its #id:{list_en}{more_en}",
                    one_line(spec)
                ),
            )
            .into())
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
