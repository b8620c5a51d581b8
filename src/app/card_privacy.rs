//! The card's erasure of a person (`kehu privacy erase`, db/privacy.rs):
//! behind a typed confirmation — the seller types the fixed word (删除 /
//! ERASE) or the buyer's receiver name, and nothing else erases.

use super::form::Field;
use super::{App, FormPurpose, Popup};
use crate::i18n::app::S;
use crate::i18n::privacy as say;
use crate::i18n::{Lang, Refused};
use anyhow::Result;

/// Whether `typed` confirms erasing a buyer named `name`: the word in
/// either language, or the name itself.
pub(super) fn confirms(typed: &str, name: &str) -> bool {
    let typed = typed.trim();
    !typed.is_empty()
        && (typed == say::confirm_word(Lang::Zh)
            || typed.eq_ignore_ascii_case(say::confirm_word(Lang::En))
            || (!name.trim().is_empty() && typed == name.trim()))
}

impl App {
    /// `E` on the card: the typed confirmation of an erasure.
    pub(super) fn erase_form(&mut self) {
        let Some((customer_id, subject)) = self.card_customer() else {
            return;
        };
        self.popups.push(Popup::Form(super::form::Form::new(
            FormPurpose::Erase { customer_id },
            subject,
            vec![Field::text(S::FieldEraseWord, true)],
        )));
    }

    /// Enter on the confirmation: erased when the word is right, else the
    /// form stays with the reason and nothing is written.
    pub(super) fn save_erase(&mut self, customer_id: i64, form: &super::FormState) -> Result<S> {
        let name = self
            .popups
            .iter()
            .rev()
            .find_map(|p| match p {
                Popup::Card(c) if c.card.customer.id == customer_id => {
                    Some(c.card.customer.name.clone())
                }
                _ => None,
            })
            .unwrap_or_default();
        if !confirms(form.field(0).code(), &name) {
            return Err(Refused::new(
                format!("请输入「{}」或买家姓名", say::confirm_word(Lang::Zh)),
                format!("type {} or the buyer's name", say::confirm_word(Lang::En)),
            )
            .into());
        }
        self.store.privacy_erase(customer_id)?;
        Ok(S::MsgErased)
    }
}

#[cfg(test)]
mod tests {
    use super::confirms;

    #[test]
    fn only_the_word_or_the_name_confirms() {
        assert!(confirms("删除", "张三"));
        assert!(confirms("erase", "张三"));
        assert!(confirms(" 张三 ", "张三"));
        assert!(!confirms("", ""));
        assert!(!confirms("y", "张三"));
        assert!(!confirms("张", "张三"));
    }
}
