//! What the app's forms are for: a new complaint, a complaint's next status,
//! points spent or adjusted; how each is built from the card or list it is
//! opened on, and what saving it writes. `form.rs` holds the editing itself.

use super::{App, Field, Form, FormPurpose, Popup, Tab};
use crate::db::{ComplaintMove, NewComplaint, Refused};
use crate::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
use crate::i18n::Lang;
use crate::i18n::app::{S, t};
use anyhow::Result;

impl App {
    /// The customer a card-level action is about: the open card's.
    pub(super) fn card_customer(&self) -> Option<(i64, String)> {
        match self.popups.last() {
            Some(Popup::Card(c)) => Some((
                c.card.customer.id,
                format!(
                    "{}:{}",
                    c.card.customer.platform,
                    crate::domain::text::one_line(&c.card.customer.buyer)
                ),
            )),
            _ => None,
        }
    }

    /// Card: a form for a complaint against this customer.
    pub(super) fn new_complaint_form(&mut self) {
        let Some(Popup::Card(c)) = self.popups.last() else {
            return;
        };
        let lang = self.lang;
        let opts = |v: Vec<(String, String)>| v;
        let categories = opts(
            self.categories
                .iter()
                .map(|c| (c.code().to_string(), c.label(lang).to_string()))
                .collect(),
        );
        let severities = Severity::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label(lang).to_string()))
            .collect();
        let channels = Channel::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label(lang).to_string()))
            .collect();
        // The order: none, or one of the recent ones; the one selected on the
        // card comes first after "none" and is chosen.
        let mut orders = vec![(String::new(), t(lang, S::NoOrder).to_string())];
        orders.extend(c.card.recent_orders.iter().map(|o| {
            (
                o.order_no.clone(),
                format!(
                    "{} {} {}",
                    crate::domain::text::one_line(&o.order_no),
                    o.created_at.get(..10).unwrap_or(&o.created_at),
                    crate::i18n::labels::status(lang, &o.status)
                ),
            )
        }));
        let selected_order = if c.card.recent_orders.is_empty() {
            0
        } else {
            c.selected + 1
        };
        let subject = format!(
            "{}:{}",
            c.card.customer.platform,
            crate::domain::text::one_line(&c.card.customer.buyer)
        );
        let customer_id = c.card.customer.id;
        self.popups.push(Popup::Form(Form::new(
            FormPurpose::NewComplaint { customer_id },
            subject,
            vec![
                Field::text(S::FieldSummary, true),
                Field::choice(S::FieldCategory, categories, 0),
                Field::choice(S::FieldSeverity, severities, 1),
                Field::choice(S::FieldChannel, channels, 0),
                Field::choice(S::FieldOrder, orders, selected_order),
            ],
        )));
    }

    /// Complaint list or detail: a form moving it to another status.
    pub(super) fn move_complaint_form(&mut self) {
        let row = match self.popups.last() {
            Some(Popup::Complaint(c)) => Some(c.detail.complaint.clone()),
            None if self.tab == Tab::Complaints => self.complaints.selected_row().cloned(),
            _ => None,
        };
        let Some(row) = row else {
            return;
        };
        let lang = self.lang;
        let cur = ComplaintStatus::parse(&row.status).unwrap_or(ComplaintStatus::Open);
        // "Keep status" first (a note, a resolution or a satisfaction score
        // without a move, as `kehu complaint set` with the same status does),
        // then the forward steps, then the reopening ones; the next forward
        // step is chosen, so ← from it keeps the status.
        let keep = match lang {
            Lang::Zh => format!("{}（{}）", t(lang, S::KeepStatus), cur.label(lang)),
            Lang::En => format!("{} ({})", t(lang, S::KeepStatus), cur.label(lang)),
        };
        let mut statuses: Vec<(String, String)> = vec![(cur.code().to_string(), keep)];
        let forward = ComplaintStatus::ALL.iter().filter(|s| **s > cur);
        let back = ComplaintStatus::ALL.iter().filter(|s| **s < cur);
        statuses.extend(
            forward
                .chain(back)
                .map(|s| (s.code().to_string(), s.label(lang).to_string())),
        );
        // Nothing ahead (closed): keep is chosen.
        let next = usize::from(ComplaintStatus::ALL.iter().any(|s| *s > cur));
        let mut satisfaction = vec![(String::new(), "—".to_string())];
        satisfaction.extend((1..=5).map(|n| (n.to_string(), "★".repeat(n))));
        let mut form = Form::new(
            FormPurpose::MoveComplaint { id: row.id },
            format!(
                "#{} {}",
                row.id,
                crate::domain::text::one_line(&row.summary)
            ),
            vec![
                Field::choice(S::FieldStatus, statuses, next),
                Field::text(S::FieldNote, false),
                Field::text(S::FieldResolution, false),
                Field::number(S::FieldCompPoints, false, false),
                Field::money(S::FieldRefund),
                Field::text(S::FieldCoupon, false),
                Field::choice(S::FieldSatisfaction, satisfaction, 0),
            ],
        );
        // The status is what the seller decides first.
        form.focus = 0;
        self.popups.push(Popup::Form(form));
    }

    /// Card: a form spending points (`redeem`) or adding or removing them.
    pub(super) fn points_form(&mut self, redeem: bool) {
        let Some((customer_id, subject)) = self.card_customer() else {
            return;
        };
        let (purpose, amount) = if redeem {
            (
                FormPurpose::Redeem { customer_id },
                Field::number(S::FieldPoints, false, true),
            )
        } else {
            (
                FormPurpose::Adjust { customer_id },
                Field::number(S::FieldPointsSigned, true, true),
            )
        };
        self.popups.push(Popup::Form(Form::new(
            purpose,
            subject,
            vec![amount, Field::text(S::FieldNote, true)],
        )));
    }

    fn form_error(&mut self, text: String) -> Result<()> {
        if let Some(Popup::Form(f)) = self.popups.last_mut() {
            f.error = Some(text);
        }
        Ok(())
    }

    /// Enter on a form: check it, write it, close it. A refusal (a required
    /// field empty, a number out of range, a redemption above the balance)
    /// stays in the form with the reason, and nothing is written.
    pub(super) fn save_form(&mut self) -> Result<()> {
        let Some(Popup::Form(form)) = self.popups.last() else {
            return Ok(());
        };
        let form = form.clone();
        let lang = self.lang;
        if let Some(i) = form.missing() {
            let label = t(lang, form.field(i).label);
            return self.form_error(match lang {
                Lang::Zh => format!("请填写「{label}」"),
                Lang::En => format!("{label} is required"),
            });
        }
        let result: Result<S> = match form.purpose {
            FormPurpose::NewComplaint { customer_id } => {
                let code = |i: usize| form.field(i).code().to_string();
                let order = code(4);
                let c = NewComplaint {
                    customer_id,
                    order_no: (!order.is_empty()).then_some(order),
                    category: Category::parse(&code(1)).unwrap_or(Category::Other),
                    severity: Severity::parse(&code(2)).unwrap_or(Severity::Medium),
                    channel: Channel::parse(&code(3)).unwrap_or(Channel::Other),
                    summary: form.field(0).code().to_string(),
                    at: None,
                };
                self.store.add_complaint(&c).map(|_| S::MsgComplaintSaved)
            }
            FormPurpose::MoveComplaint { id } => {
                let to =
                    ComplaintStatus::parse(form.field(0).code()).unwrap_or(ComplaintStatus::Open);
                let points = form.field(3).code();
                let refund = form.field(4).code();
                let parsed_points = if points.is_empty() {
                    Ok(0)
                } else {
                    points.parse::<i64>()
                };
                let parsed_refund = match crate::domain::money::parse_fen(refund) {
                    Ok(fen) => Ok(fen.unwrap_or(crate::domain::Fen(0))),
                    Err(_) => Err(()),
                };
                match (parsed_points, parsed_refund) {
                    (Ok(p), Ok(fen)) => {
                        let opt = |i: usize| {
                            let v = form.field(i).code();
                            (!v.is_empty()).then(|| v.to_string())
                        };
                        let m = ComplaintMove {
                            to,
                            note: form.field(1).code().to_string(),
                            resolution: opt(2),
                            compensate_points: p,
                            compensate_fen: fen.0,
                            coupon: opt(5),
                            satisfaction: form.field(6).code().parse().ok(),
                            at: None,
                        };
                        self.store
                            .move_complaint(id, &m)
                            .map(|_| S::MsgComplaintMoved)
                    }
                    _ => Err(Refused::new(
                        "积分或金额填写有误",
                        "points or amount is not a number",
                    )
                    .into()),
                }
            }
            FormPurpose::FinishFollowup { id } => self.save_finish(id, &form),
            FormPurpose::AddFollowup { customer_id } => self.save_new_followup(customer_id, &form),
            FormPurpose::AddFeedback { customer_id } => self.save_feedback(customer_id, &form),
            FormPurpose::Erase { customer_id } => self.save_erase(customer_id, &form),
            FormPurpose::Redeem { customer_id } | FormPurpose::Adjust { customer_id } => {
                match form.field(0).code().parse::<i64>() {
                    Ok(n) => {
                        let note = form.field(1).code();
                        if matches!(form.purpose, FormPurpose::Redeem { .. }) {
                            self.store.redeem_points(customer_id, n, note)
                        } else {
                            self.store.adjust_points(customer_id, n, note)
                        }
                        .map(|_| S::MsgPointsSaved)
                    }
                    Err(_) => {
                        Err(Refused::new("积分须为整数", "points must be a whole number").into())
                    }
                }
            }
        };
        match result {
            Ok(msg) => {
                self.popups.pop();
                self.reload_views()?;
                self.info(msg);
                Ok(())
            }
            Err(e) => {
                let text = match e.downcast_ref::<Refused>() {
                    Some(r) => r.message(lang).to_string(),
                    None => self
                        .busy_text(&e)
                        .unwrap_or_else(|| crate::i18n::error_text(&e, self.lang)),
                };
                self.form_error(text)
            }
        }
    }
}
