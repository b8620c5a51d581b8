//! What the customer card does beyond showing: its three lists (orders,
//! complaints, notes) and what Enter opens in each, the blacklist with its
//! reason, notes edited and deleted with their history kept, the questions
//! asked before something cannot be taken back (or typed text is dropped),
//! and the way from a complaint or a repeat complainer to the card.

use super::{
    App, CardState, ComplaintState, FormState, InputPurpose, InputState, Popup, Tab, step,
};
use crate::db::{Actor, BlacklistEvent, NoteHistory, Refused, Store};
use crate::domain::text::one_line;
use crate::i18n::Lang;
use crate::i18n::app::{S, t};
use anyhow::Result;

/// The card's lists; ↑/↓ and Enter work on the one in focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSection {
    Orders,
    Complaints,
    Notes,
    Followups,
}

impl CardSection {
    pub const ALL: [CardSection; 4] = [
        CardSection::Orders,
        CardSection::Complaints,
        CardSection::Notes,
        CardSection::Followups,
    ];

    fn by(self, delta: isize) -> CardSection {
        let i = CardSection::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(0) as isize;
        CardSection::ALL[(i + delta).rem_euclid(CardSection::ALL.len() as isize) as usize]
    }
}

impl CardState {
    /// ↑/↓ (and g/G as the largest steps) in the list in focus.
    pub(super) fn move_by(&mut self, delta: isize) {
        match self.section {
            CardSection::Orders => {
                self.selected = step(self.selected, delta, self.card.recent_orders.len())
            }
            CardSection::Complaints => {
                self.complaint_selected =
                    step(self.complaint_selected, delta, self.complaint_list.len())
            }
            CardSection::Notes => {
                self.note_selected = step(self.note_selected, delta, self.card.notes.len())
            }
            CardSection::Followups => {
                self.followup_selected = step(self.followup_selected, delta, self.followups.len())
            }
        }
    }

    /// Keep the selections inside their lists after a re-read.
    pub(super) fn clamp(&mut self) {
        self.complaint_selected = self
            .complaint_selected
            .min(self.complaint_list.len().saturating_sub(1));
        self.note_selected = self
            .note_selected
            .min(self.card.notes.len().saturating_sub(1));
        self.followup_selected = self
            .followup_selected
            .min(self.followups.len().saturating_sub(1));
    }
}

/// What a yes answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmPurpose {
    Unblacklist {
        customer_id: i64,
    },
    DeleteNote {
        note_id: i64,
    },
    /// Close the form or text box under the question, dropping what was typed.
    Discard,
    /// Merge one customer into another (app/card_merge.rs).
    MergeCustomers {
        survivor: i64,
        merged: i64,
    },
    UndoMerge {
        merge_id: i64,
    },
    /// Undo the batches of the import whose summary is open (app/import_popup.rs).
    UndoImport,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmState {
    pub purpose: ConfirmPurpose,
    /// The question, in the app's language, naming what it is about.
    pub question: String,
}

impl ConfirmState {
    /// Esc answers yes only when dropping typed text (a second Esc); for the
    /// rest it backs out.
    pub fn esc_confirms(&self) -> bool {
        self.purpose == ConfirmPurpose::Discard
    }
}

/// A customer's history: blacklist changes, and every note with its
/// earlier texts and deletion.
#[derive(Debug, Clone)]
pub struct HistoryView {
    pub customer_id: i64,
    /// Who, for the title.
    pub subject: String,
    /// Oldest first.
    pub blacklist: Vec<BlacklistEvent>,
    /// Newest first, deleted ones too.
    pub notes: Vec<NoteHistory>,
    /// The merges the customer took part in, newest first.
    pub merges: Vec<crate::model::MergeRecord>,
    pub scroll: u16,
}

impl HistoryView {
    pub(super) fn read(store: &Store, customer_id: i64, subject: String) -> Result<HistoryView> {
        Ok(HistoryView {
            customer_id,
            subject,
            blacklist: store.blacklist_history(customer_id)?,
            notes: store.note_history(customer_id)?,
            merges: store.merges_of(customer_id)?,
            scroll: 0,
        })
    }

    /// Roughly its line count (the drawing clamps exactly).
    pub(super) fn scroll_max(&self) -> i64 {
        let notes: usize = self
            .notes
            .iter()
            .map(|n| 2 + n.changes.len() + n.body.lines().count())
            .sum();
        (self.blacklist.len() + notes + self.merges.len() + 8) as i64
    }
}

impl App {
    /// Esc: close the top popup; a form or text box holding typed text asks
    /// first, and a question backs out (or, over typed text, drops it).
    pub(super) fn back(&mut self) {
        match self.popups.last() {
            Some(Popup::Form(f)) if form_has_text(f) => self.ask(ConfirmPurpose::Discard),
            Some(Popup::Input(i)) if i.text.trim() != i.initial.trim() => {
                self.ask(ConfirmPurpose::Discard)
            }
            Some(Popup::Confirm(c)) if c.esc_confirms() => {
                // The question, then the form under it.
                self.popups.truncate(self.popups.len().saturating_sub(2));
            }
            _ => {
                self.popups.pop();
            }
        }
    }

    /// Ask a question worded by the caller.
    pub(super) fn ask_with(&mut self, purpose: ConfirmPurpose, question: String) {
        self.popups
            .push(Popup::Confirm(ConfirmState { purpose, question }));
    }

    fn ask(&mut self, purpose: ConfirmPurpose) {
        let lang = self.lang;
        let question = match purpose {
            // Worded where they are asked (app/card_merge.rs).
            ConfirmPurpose::MergeCustomers { .. }
            | ConfirmPurpose::UndoMerge { .. }
            | ConfirmPurpose::UndoImport => String::new(),
            ConfirmPurpose::Discard => t(lang, S::DiscardTyped).to_string(),
            ConfirmPurpose::Unblacklist { .. } => {
                let who = self.card_customer().map(|c| c.1).unwrap_or_default();
                match lang {
                    Lang::Zh => format!("将 {who} 移出黑名单？"),
                    Lang::En => format!("Take {who} off the blacklist?"),
                }
            }
            ConfirmPurpose::DeleteNote { note_id } => {
                let body = match self.popups.last() {
                    Some(Popup::Card(c)) => c
                        .card
                        .notes
                        .iter()
                        .find(|n| n.id == note_id)
                        .map(|n| one_line(&n.body).into_owned())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                match lang {
                    Lang::Zh => format!("删除备注「{body}」？（修改记录里仍可查看）"),
                    Lang::En => format!("Delete the note \"{body}\"? (the history keeps it)"),
                }
            }
        };
        self.popups
            .push(Popup::Confirm(ConfirmState { purpose, question }));
    }

    /// y on a question.
    pub(super) fn confirm_yes(&mut self) -> Result<()> {
        let Some(Popup::Confirm(c)) = self.popups.pop() else {
            return Ok(());
        };
        let msg = match c.purpose {
            ConfirmPurpose::Discard => {
                self.popups.pop();
                return Ok(());
            }
            ConfirmPurpose::Unblacklist { customer_id } => {
                self.store.unblacklist(customer_id, Actor::App)?;
                S::MsgUnblacklisted
            }
            ConfirmPurpose::DeleteNote { note_id } => {
                self.store.delete_note(note_id, Actor::App)?;
                S::MsgNoteDeleted
            }
            ConfirmPurpose::MergeCustomers { survivor, merged } => {
                return self.merge_confirmed(survivor, merged);
            }
            ConfirmPurpose::UndoMerge { merge_id } => return self.undo_confirmed(merge_id),
            ConfirmPurpose::UndoImport => return self.undo_import_confirmed(),
        };
        self.reload_views()?;
        self.info(msg);
        Ok(())
    }

    /// `b` on the card: listing asks for the reason; taking off asks first.
    pub(super) fn toggle_blacklist(&mut self) {
        let Some(Popup::Card(c)) = self.popups.last() else {
            return;
        };
        let customer_id = c.card.customer.id;
        if c.card.customer.blacklisted {
            self.ask(ConfirmPurpose::Unblacklist { customer_id });
        } else {
            self.popups.push(Popup::Input(InputState::new(
                InputPurpose::BlacklistReason(customer_id),
                String::new(),
            )));
        }
    }

    /// ←/→ on the card.
    pub(super) fn card_section(&mut self, delta: isize) {
        if let Some(Popup::Card(c)) = self.popups.last_mut() {
            c.section = c.section.by(delta);
        }
    }

    /// The note `e`/`x` act on: the one selected in the notes list (the
    /// newest until another is picked), which gets the focus so it shows.
    fn selected_note(&mut self) -> Option<(i64, String)> {
        let Some(Popup::Card(c)) = self.popups.last_mut() else {
            return None;
        };
        let note = c.card.notes.get(c.note_selected)?;
        let picked = (note.id, note.body.clone());
        c.section = CardSection::Notes;
        Some(picked)
    }

    pub(super) fn edit_note(&mut self) {
        if !matches!(self.popups.last(), Some(Popup::Card(_))) {
            return;
        }
        match self.selected_note() {
            Some((id, body)) => self.popups.push(Popup::Input(InputState::new(
                InputPurpose::EditNote(id),
                one_line(&body).into_owned(),
            ))),
            None => self.info(S::MsgNoNote),
        }
    }

    pub(super) fn delete_note(&mut self) {
        if !matches!(self.popups.last(), Some(Popup::Card(_))) {
            return;
        }
        match self.selected_note() {
            Some((note_id, _)) => self.ask(ConfirmPurpose::DeleteNote { note_id }),
            None => self.info(S::MsgNoNote),
        }
    }

    pub(super) fn open_history(&mut self) -> Result<()> {
        let Some((customer_id, subject)) = self.card_customer() else {
            return Ok(());
        };
        let v = HistoryView::read(&self.store, customer_id, subject)?;
        self.popups.push(Popup::History(v));
        Ok(())
    }

    /// Enter on the card: the selected order, or complaint; on a note, its history.
    pub(super) fn open_from_card(&mut self) -> Result<()> {
        let Some(Popup::Card(c)) = self.popups.last() else {
            return Ok(());
        };
        match c.section {
            CardSection::Orders => {
                if let Some(o) = c.card.recent_orders.get(c.selected) {
                    let id = o.id;
                    self.open_order(id)?;
                }
            }
            CardSection::Complaints => {
                if let Some(k) = c.complaint_list.get(c.complaint_selected) {
                    let id = k.id;
                    self.open_complaint(id)?;
                }
            }
            CardSection::Notes => {
                if !c.card.notes.is_empty() {
                    self.open_history()?;
                }
            }
            CardSection::Followups => {}
        }
        Ok(())
    }

    pub(super) fn open_complaint(&mut self, id: i64) -> Result<()> {
        match self.store.complaint_detail(id, &self.sla)? {
            Some(detail) => self
                .popups
                .push(Popup::Complaint(ComplaintState { detail, scroll: 0 })),
            None => self.info(S::MsgGone),
        }
        Ok(())
    }

    /// `o` on a complaint (detail or list row), Enter on a repeat
    /// complainer: that customer's card. When the card is already open
    /// under it (the complaint was opened from the card), go back to it.
    pub(super) fn open_customer(&mut self) -> Result<()> {
        let id = match self.popups.last() {
            Some(Popup::Complaint(c)) => Some(c.detail.complaint.customer_id),
            Some(Popup::Analysis {
                stats, selected, ..
            }) => stats
                .repeat_complainers
                .get(*selected)
                .and_then(|r| r.customer_id),
            None if self.tab == Tab::Complaints => {
                self.complaints.selected_row().map(|r| r.customer_id)
            }
            _ => None,
        };
        let Some(id) = id else {
            return Ok(());
        };
        let under = self
            .popups
            .iter()
            .rposition(|p| matches!(p, Popup::Card(c) if c.card.customer.id == id));
        match under {
            Some(i) => self.popups.truncate(i + 1),
            None => self.open_card(id)?,
        }
        Ok(())
    }

    /// A refused save in a text box: the reason shows in it, nothing closes.
    pub(super) fn input_refused(&mut self, e: anyhow::Error) -> Result<()> {
        let text = match e.downcast_ref::<Refused>() {
            Some(r) => r.message(self.lang).to_string(),
            None => return Err(e),
        };
        if let Some(Popup::Input(i)) = self.popups.last_mut() {
            i.error = Some(text);
        }
        Ok(())
    }
}

/// True when a text field of the form holds typed text.
fn form_has_text(f: &FormState) -> bool {
    f.fields
        .iter()
        .any(|fl| fl.takes_text() && !fl.value.trim().is_empty())
}
