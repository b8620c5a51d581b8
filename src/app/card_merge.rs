//! The card's "可能是同一人 / Possibly the same person": the customer most
//! likely to be this one (db/merge_suggest.rs), merged with `m` after a
//! question, declined with `N` (remembered: never suggested again), and the
//! customer's merges, the latest undone with `U` after a question. Every
//! platform identity of a merged customer shows on the card.

use super::{App, ConfirmPurpose, Popup};
use crate::db::Store;
use crate::i18n::merge as say;
use crate::model::{MergePair, MergeRecord};
use anyhow::Result;

/// What the card shows of merging.
#[derive(Debug, Clone, Default)]
pub struct CardMerge {
    /// The strongest suggestion with this customer, if any.
    pub suggestion: Option<MergePair>,
    /// `platform:key` of this customer, then of those merged into it.
    pub identities: Vec<String>,
    /// The merges this customer took part in, newest first.
    pub merges: Vec<MergeRecord>,
}

impl CardMerge {
    pub(super) fn read(store: &Store, id: i64) -> Result<CardMerge> {
        Ok(CardMerge {
            suggestion: store.merge_suggestions_for(id)?.into_iter().next(),
            identities: store.identities(id)?,
            merges: store.merges_of(id)?,
        })
    }

    /// The merge into this customer that `U` undoes: the latest in force.
    pub fn undoable(&self, id: i64) -> Option<&MergeRecord> {
        self.merges
            .iter()
            .find(|m| m.survivor_id == id && m.undone_at.is_none())
    }

    /// The other customer of the suggestion, seen from customer `id`.
    pub fn other(&self, id: i64) -> Option<(i64, &str)> {
        let p = self.suggestion.as_ref()?;
        Some(if p.a_id == id {
            (p.b_id, p.b.as_str())
        } else {
            (p.a_id, p.a.as_str())
        })
    }
}

impl App {
    fn card_merge(&self) -> Option<(i64, &CardMerge)> {
        match self.popups.last() {
            Some(Popup::Card(c)) => Some((c.card.customer.id, &c.merge)),
            _ => None,
        }
    }

    /// `m` on the card: merge the suggested customer (the one with fewer
    /// orders into the other), after a question.
    pub(super) fn merge_suggested(&mut self) {
        let Some((_, m)) = self.card_merge() else {
            return;
        };
        match &m.suggestion {
            Some(p) => {
                let purpose = ConfirmPurpose::MergeCustomers {
                    survivor: p.a_id,
                    merged: p.b_id,
                };
                let q = say::ask_merge(self.lang, &p.b, &p.a);
                self.ask_with(purpose, q);
            }
            None => self.say(say::nothing_to_merge(self.lang).to_string(), false),
        }
    }

    /// `N` on the card: not the same person; never suggested again.
    pub(super) fn decline_suggested(&mut self) -> Result<()> {
        let Some((id, m)) = self.card_merge() else {
            return Ok(());
        };
        let Some((other, _)) = m.other(id) else {
            self.say(say::nothing_to_merge(self.lang).to_string(), false);
            return Ok(());
        };
        self.store.decline_merge(id, other)?;
        self.reload_views()?;
        self.say(say::declined(self.lang).to_string(), false);
        Ok(())
    }

    /// `U` on the card: undo the latest merge into this customer, after a question.
    pub(super) fn undo_merge_asked(&mut self) {
        let Some((id, m)) = self.card_merge() else {
            return;
        };
        match m.undoable(id) {
            Some(r) => {
                let q = say::ask_undo(self.lang, r.merge_id, &r.merged, &r.survivor);
                let purpose = ConfirmPurpose::UndoMerge {
                    merge_id: r.merge_id,
                };
                self.ask_with(purpose, q);
            }
            None => self.say(say::nothing_to_undo(self.lang).to_string(), false),
        }
    }

    /// A yes to merging: the survivor's card shows (in place of the merged one's).
    pub(super) fn merge_confirmed(&mut self, survivor: i64, merged: i64) -> Result<()> {
        let done = match self.store.merge_customers(survivor, merged, self.lang) {
            Ok(d) => d,
            Err(e) => return self.refused(e),
        };
        if let Some(Popup::Card(c)) = self.popups.last()
            && c.card.customer.id == merged
        {
            self.popups.pop();
            self.open_card(survivor)?;
        }
        self.reload_views()?;
        let text = say::merged(self.lang, &done.merged, &done.survivor, done.merge_id);
        self.say(text, false);
        Ok(())
    }

    /// A yes to undoing a merge.
    pub(super) fn undo_confirmed(&mut self, merge_id: i64) -> Result<()> {
        let done = match self.store.undo_merge(merge_id, self.lang) {
            Ok(d) => d,
            Err(e) => return self.refused(e),
        };
        self.reload_views()?;
        let text = say::undone(self.lang, done.merge_id, &done.restored, &done.survivor);
        self.say(text, false);
        Ok(())
    }

    /// A refusal shows as an error line; anything else is an error.
    fn refused(&mut self, e: anyhow::Error) -> Result<()> {
        match e.downcast_ref::<crate::db::Refused>() {
            Some(r) => {
                let text = r.message(self.lang).to_string();
                self.say(text, true);
                Ok(())
            }
            None => Err(e),
        }
    }

    fn say(&mut self, text: String, error: bool) {
        self.message = Some(super::state::Message {
            text: crate::domain::text::one_line(&text).into_owned(),
            error,
        });
    }
}
