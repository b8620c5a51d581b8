//! The customer card's follow-ups (回访): the customer's tasks, open ones
//! first, and their satisfaction (the latest score and the mean); `f` adds a
//! follow-up (due date, reason, note), and `d`/`k` mark the selected one
//! done or skip it as on Today (see `today.rs`); `v` records a satisfaction
//! score heard in a chat, review or survey.

use super::{App, CardState, Field, Form, FormPurpose, FormState, Popup};
use crate::db::Store;
use crate::domain::followup::{FeedbackSource, FollowupReason, FollowupStatus};
use crate::i18n::app::S;
use crate::model::{FollowupFilter, FollowupRow, NewFeedback, NewFollowup};
use anyhow::Result;

/// How many of a customer's follow-ups the card reads.
pub const CARD_FOLLOWUPS: usize = 50;
/// A new follow-up is due this many days from today unless changed.
pub const FOLLOWUP_DAYS: i64 = 7;

/// A customer's satisfaction as the card shows it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CardSatisfaction {
    /// Scores heard.
    pub count: usize,
    /// The newest score.
    pub latest: Option<i64>,
    /// The mean of all scores.
    pub mean: Option<f64>,
}

/// The customer's follow-ups, open ones first (soonest due first), then the
/// closed ones newest first; and their satisfaction.
pub(super) fn card_followups(
    store: &Store,
    customer_id: i64,
) -> Result<(Vec<FollowupRow>, CardSatisfaction)> {
    let filter = FollowupFilter {
        customer_id: Some(customer_id),
        ..FollowupFilter::default()
    };
    let mut list = store.followups(filter, CARD_FOLLOWUPS)?;
    let closed = |f: &FollowupRow| f.status != FollowupStatus::Open;
    list.sort_by(|a, b| {
        closed(a)
            .cmp(&closed(b))
            .then_with(|| {
                if closed(a) {
                    b.due.cmp(&a.due)
                } else {
                    a.due.cmp(&b.due)
                }
            })
            .then(a.id.cmp(&b.id))
    });
    let feedback = store.feedback(Some(customer_id))?;
    let count = feedback.len();
    let sat = CardSatisfaction {
        count,
        latest: feedback.first().map(|f| f.score),
        mean: (count > 0)
            .then(|| feedback.iter().map(|f| f.score).sum::<i64>() as f64 / count as f64),
    };
    Ok((list, sat))
}

impl CardState {
    /// The follow-up selected in the card's follow-ups list, when it has the focus.
    pub fn selected_followup(&self) -> Option<&FollowupRow> {
        if self.section != super::CardSection::Followups {
            return None;
        }
        self.followups
            .get(self.followup_selected)
            .filter(|f| f.status == FollowupStatus::Open)
    }
}

impl App {
    /// `f` on the card: a form for a new follow-up.
    pub(super) fn add_followup_form(&mut self) {
        let Some((customer_id, subject)) = self.card_customer() else {
            return;
        };
        let lang = self.lang;
        let due = crate::domain::time::beijing_now().date() + chrono::Duration::days(FOLLOWUP_DAYS);
        let reasons = FollowupReason::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.label(lang).to_string()))
            .collect();
        let mut date = Field::text(S::FieldDue, true);
        date.value = due.format("%Y-%m-%d").to_string();
        self.popups.push(Popup::Form(Form::new(
            FormPurpose::AddFollowup { customer_id },
            subject,
            vec![
                date,
                Field::choice(S::FieldReason, reasons, 0),
                Field::text(S::FieldNote, false),
            ],
        )));
    }

    pub(super) fn save_new_followup(&mut self, customer_id: i64, form: &FormState) -> Result<S> {
        let Ok(due) = chrono::NaiveDate::parse_from_str(form.field(0).code(), "%Y-%m-%d") else {
            return Err(crate::i18n::serve::not_a_date(form.field(0).code()).into());
        };
        let f = NewFollowup {
            customer_id,
            order_no: None,
            due,
            reason: FollowupReason::parse(form.field(1).code()).unwrap_or(FollowupReason::Custom),
            note: form.field(2).code().to_string(),
        };
        self.store.add_followup(&f, crate::db::Actor::App)?;
        Ok(S::MsgFollowupAdded)
    }

    /// `v` on the card: record a satisfaction score the seller heard.
    pub(super) fn add_feedback_form(&mut self) {
        let Some((customer_id, subject)) = self.card_customer() else {
            return;
        };
        let lang = self.lang;
        let scores = (1..=5)
            .rev()
            .map(|n| (n.to_string(), n.to_string()))
            .collect();
        // Follow-ups and complaints record their own scores.
        let sources = [
            FeedbackSource::Chat,
            FeedbackSource::Review,
            FeedbackSource::Survey,
        ]
        .iter()
        .map(|s| (s.code().to_string(), s.label(lang).to_string()))
        .collect();
        let mut form = Form::new(
            FormPurpose::AddFeedback { customer_id },
            subject,
            vec![
                Field::choice(S::FieldScore, scores, 0),
                Field::choice(S::FieldSource, sources, 0),
                Field::text(S::FieldFeedbackText, false),
            ],
        );
        // The score first: it is what the seller came to record.
        form.focus = 0;
        self.popups.push(Popup::Form(form));
    }

    pub(super) fn save_feedback(&mut self, customer_id: i64, form: &FormState) -> Result<S> {
        let score = form.field(0).code().parse::<i64>().unwrap_or(0);
        self.store.add_feedback(&NewFeedback {
            customer_id,
            order_no: None,
            score,
            source: FeedbackSource::parse(form.field(1).code()).unwrap_or(FeedbackSource::Chat),
            text: form.field(2).code().to_string(),
            at: None,
        })?;
        Ok(S::MsgFeedbackAdded)
    }
}
