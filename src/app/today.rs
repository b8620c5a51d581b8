//! Today (今天), the tab the app opens on: whom to contact this morning and
//! why, read from the store's Today list and put into the seller's words one
//! item a line; ↑/↓ move across the items of every section, Enter opens the
//! buyer's card, and a follow-up is marked done (a form asks what came of it
//! and a satisfaction score) or skipped (a box asks why) from here.

use super::{App, Field, Form, FormPurpose, InputPurpose, InputState, Popup, Tab, step};
use crate::domain::text::one_line;
use crate::i18n::app::{S, t};
use crate::i18n::serve as say;
use crate::model::{Today, TodayItem, TodayKind};
use anyhow::Result;

/// Today as the tab shows it.
#[derive(Debug, Clone, Default)]
pub struct TodayView {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The sections shown (points expiring only when points expire).
    pub sections: Vec<TodayKind>,
    /// Every item, section by section.
    pub items: Vec<TodayItem>,
    pub selected: usize,
}

impl TodayView {
    pub fn selected_item(&self) -> Option<&TodayItem> {
        self.items.get(self.selected)
    }

    /// The items of one section.
    pub fn of(&self, kind: TodayKind) -> impl Iterator<Item = (usize, &TodayItem)> {
        self.items
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.kind == kind)
    }

    /// The line (from the top of the list) the item `index` is drawn on:
    /// each section takes its title, its items or a line saying there is
    /// none, and a blank line before the next.
    pub fn line_of(&self, index: usize) -> usize {
        let mut line = 0;
        for kind in &self.sections {
            line += 1;
            let mut n = 0;
            for (i, _) in self.of(*kind) {
                if i == index {
                    return line + n;
                }
                n += 1;
            }
            line += n.max(1) + 1;
        }
        line
    }

    /// Lines of the whole list.
    pub fn lines(&self) -> usize {
        self.sections
            .iter()
            .map(|k| 2 + self.of(*k).count().max(1))
            .sum::<usize>()
            .saturating_sub(1)
    }
}

/// Today's items in `lang`, with the sections shown.
fn view_of(t: &Today, lang: crate::i18n::Lang, expiry_on: bool) -> TodayView {
    let items = t.items(lang);
    let sections = TodayKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != TodayKind::Points || expiry_on)
        .collect();
    TodayView {
        date: t.date.clone(),
        sections,
        items,
        selected: 0,
    }
}

impl App {
    /// Read Today again; the selection stays where it was (within the list).
    pub(super) fn load_today(&mut self) -> Result<()> {
        let t = self.store.today(
            &self.sla,
            &self.customer_query.segment_rules,
            self.expiry_months,
        )?;
        let mut v = view_of(&t, self.lang, self.expiry_months > 0);
        v.selected = self.today.selected.min(v.items.len().saturating_sub(1));
        self.today = v;
        Ok(())
    }

    /// ↑/↓ and the page keys on Today.
    pub(super) fn today_move(&mut self, delta: isize) {
        let v = &mut self.today;
        v.selected = step(v.selected, delta, v.items.len());
    }

    /// The follow-up `d` or `k` (`K` on the card) works on: the one selected
    /// on the card when a card is open, else the selected item of Today.
    fn followup_in_focus(&mut self) -> Option<(i64, String)> {
        // On the card, from another of its lists: the first open follow-up,
        // which gets the focus so the seller sees which one.
        if let Some(Popup::Card(c)) = self.popups.last_mut()
            && c.section != super::CardSection::Followups
            && let Some(at) = c
                .followups
                .iter()
                .position(|f| f.status == crate::domain::followup::FollowupStatus::Open)
        {
            c.section = super::CardSection::Followups;
            c.followup_selected = at;
        }
        match self.popups.last() {
            Some(Popup::Card(c)) => c.selected_followup().map(|f| {
                (
                    f.id,
                    format!("{} {}", one_line(&f.buyer), f.reason.label(self.lang)),
                )
            }),
            None if self.tab == Tab::Today => {
                let i = self.today.selected_item()?;
                Some((
                    i.followup_id?,
                    format!("{} {}", one_line(&i.buyer), one_line(&i.why)),
                ))
            }
            _ => None,
        }
    }

    /// `d`: a form marking the follow-up in focus done.
    pub(super) fn finish_followup_form(&mut self) {
        let Some((id, subject)) = self.followup_in_focus() else {
            self.info(S::MsgNoFollowup);
            return;
        };
        let mut satisfaction = vec![(String::new(), "—".to_string())];
        satisfaction.extend((1..=5).map(|n| (n.to_string(), format!("{n} {}", "★".repeat(n)))));
        self.popups.push(Popup::Form(Form::new(
            FormPurpose::FinishFollowup { id },
            subject,
            vec![
                Field::text(S::FieldOutcome, false),
                Field::choice(S::FieldSatisfaction, satisfaction, 0),
            ],
        )));
    }

    /// `k`: a box asking why the follow-up in focus is skipped.
    pub(super) fn ask_skip_reason(&mut self) {
        let Some((id, _)) = self.followup_in_focus() else {
            self.info(S::MsgNoFollowup);
            return;
        };
        self.popups.push(Popup::Input(InputState::new(
            InputPurpose::SkipFollowup(id),
            String::new(),
        )));
    }

    /// Saving the done form: the outcome and the score (or none).
    pub(super) fn save_finish(&mut self, id: i64, form: &super::FormState) -> Result<S> {
        let outcome = form.field(0).code().to_string();
        let score = form.field(1).code().parse::<i64>().ok();
        self.store
            .finish_followup(id, &outcome, score, crate::db::Actor::App)?;
        Ok(S::MsgFollowupDone)
    }

    /// Enter on Today: the selected buyer's card; from a follow-up, with
    /// that follow-up picked in the card's follow-ups (so `d` finishes it).
    pub(super) fn open_today_item(&mut self) -> Result<()> {
        let Some(i) = self.today.selected_item() else {
            return Ok(());
        };
        let (id, followup) = (i.customer_id, i.followup_id);
        self.open_card(id)?;
        if let (Some(Popup::Card(c)), Some(fid)) = (self.popups.last_mut(), followup)
            && let Some(at) = c.followups.iter().position(|f| f.id == fid)
        {
            c.section = super::CardSection::Followups;
            c.followup_selected = at;
        }
        Ok(())
    }

    /// The title of Today's section `kind`, with its count.
    pub fn today_title(&self, kind: TodayKind) -> String {
        format!(
            "{} ({})",
            say::today_section(self.lang, kind.index()),
            self.today.of(kind).count()
        )
    }

    /// What an empty section says.
    pub fn today_empty(&self) -> &'static str {
        say::today_empty(self.lang)
    }

    /// The header of Today: its date.
    pub fn today_label(&self) -> String {
        format!("{} {}", t(self.lang, S::TabToday), self.today.date)
    }
}
