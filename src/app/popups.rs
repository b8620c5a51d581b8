//! Opening and re-reading what sits over the tabs: Enter on a list or a box,
//! the customer and order cards, the help, lookup, analysis and ledger views,
//! and the reads they are built from.

use super::card_followups::card_followups;
use super::list::{Keyset, PAGE};
use super::lists::{ComplaintList, LedgerList};
use super::{
    Action, App, CARD_RECENT, CardSection, CardState, ComplaintState, HistoryView, ImportView,
    InputPurpose, InputState, LEDGER_VIEW_MAX, LedgerView, LookupState, OrderState, Popup,
    SatisfactionView, Tab, lookup,
};
use crate::db::{ComplaintFilter, ComplaintRow, Store};
use crate::domain::complaint::Sla;
use crate::domain::tier::TierThresholds;
use crate::i18n::app::S;
use anyhow::Result;

impl App {
    /// `/`: the lookup box (once).
    pub(super) fn open_lookup(&mut self) {
        if !matches!(self.popups.last(), Some(Popup::Lookup(_))) {
            self.popups.push(Popup::Lookup(LookupState::default()));
        }
    }

    /// `?`: the keys of the screen in force (once).
    pub(super) fn open_help(&mut self) {
        if !matches!(self.popups.last(), Some(Popup::Help { .. })) {
            let screen = self.contexts();
            self.popups.push(Popup::Help { scroll: 0, screen });
        }
    }

    /// Complaints tab: the analysis view.
    pub(super) fn open_analysis(&mut self) -> Result<()> {
        let stats = self.store.complaint_stats(&self.sla)?;
        let satisfaction = SatisfactionView::read(self)?;
        self.popups.push(Popup::Analysis {
            stats,
            scroll: 0,
            selected: 0,
            satisfaction,
        });
        Ok(())
    }

    /// Card: a box for a note, a tag to add or a tag to remove.
    pub(super) fn ask_card_text(&mut self, action: &Action) {
        if let Some(Popup::Card(c)) = self.popups.last() {
            let id = c.card.customer.id;
            let purpose = match action {
                Action::AddNote => InputPurpose::Note(id),
                Action::AddTag => InputPurpose::Tag(id),
                _ => InputPurpose::Untag(id),
            };
            self.popups
                .push(Popup::Input(InputState::new(purpose, String::new())));
        }
    }

    /// Enter: open what is selected, or save the box or form on top.
    pub(super) fn open(&mut self) -> Result<()> {
        match self.popups.last() {
            Some(Popup::Lookup(_)) => self.open_lookup_hit()?,
            Some(Popup::Card(_)) => self.open_from_card()?,
            Some(Popup::Analysis { .. }) => self.open_customer()?,
            Some(Popup::Input(i)) => {
                let (purpose, text) = (i.purpose, i.text.clone());
                if purpose == InputPurpose::FindOrder {
                    return self.find_order(&text);
                }
                let msg = match self.save_input(purpose, text) {
                    Ok(msg) => msg,
                    Err(e) => return self.input_refused(e),
                };
                self.popups.pop();
                // None: queued; the box closes and the message says it waits.
                if let Some(msg) = msg {
                    self.reload_views()?;
                    self.info(msg);
                }
            }
            Some(Popup::Form(_)) => self.save_form()?,
            Some(Popup::Import(ImportView::Path { text, .. })) => {
                let text = text.trim().to_string();
                self.start_import(text);
            }
            Some(
                Popup::Order(_)
                | Popup::Help { .. }
                | Popup::Complaint(_)
                | Popup::Ledger(_)
                | Popup::Confirm(_)
                | Popup::History(_)
                | Popup::Campaigns(_)
                | Popup::ShopAnalysis(_)
                | Popup::Import(ImportView::Status { .. }),
            ) => {}
            None => match self.tab {
                Tab::Today => self.open_today_item()?,
                Tab::Customers => {
                    if let Some(c) = self.customers.selected_row() {
                        let id = c.id;
                        self.open_card(id)?;
                    }
                }
                Tab::Orders => {
                    if let Some(o) = self.orders.selected_row() {
                        let id = o.id;
                        self.open_order(id)?;
                    }
                }
                Tab::Complaints => {
                    if let Some(c) = self.complaints.selected_row() {
                        let id = c.id;
                        match self.store.complaint_detail(id, &self.sla)? {
                            Some(detail) => self
                                .popups
                                .push(Popup::Complaint(ComplaintState { detail, scroll: 0 })),
                            None => self.info(S::MsgGone),
                        }
                    }
                }
                Tab::Points => {
                    if let Some(e) = self.ledger.selected_row() {
                        let id = e.customer_id;
                        self.open_card(id)?;
                    }
                }
            },
        }
        Ok(())
    }

    pub(super) fn open_card(&mut self, id: i64) -> Result<()> {
        match self.store.customer_card(id, CARD_RECENT)? {
            Some(card) => {
                let complaint_list = customer_complaints(&self.store, &self.sla, id)?;
                let (followups, satisfaction) = card_followups(&self.store, id)?;
                self.popups.push(Popup::Card(CardState {
                    card,
                    points: self.store.points_balance(id, &self.tiers)?,
                    open_complaints: open_count(&complaint_list),
                    complaints: complaint_list.len(),
                    reveal: false,
                    selected: 0,
                    section: CardSection::Orders,
                    complaint_list,
                    complaint_selected: 0,
                    note_selected: 0,
                    followups,
                    followup_selected: 0,
                    satisfaction,
                    prediction: self.store.prediction(id)?.map(Box::new),
                    suggestions: self.store.suggest(id)?,
                    merge: Box::new(super::CardMerge::read(&self.store, id)?),
                }))
            }
            None => self.info(S::MsgGone),
        }
        Ok(())
    }

    pub(super) fn open_order(&mut self, id: i64) -> Result<()> {
        match self.store.order_detail(id)? {
            Some(detail) => self.popups.push(Popup::Order(OrderState {
                detail,
                reveal: false,
                scroll: 0,
            })),
            None => self.info(S::MsgGone),
        }
        Ok(())
    }

    /// Card: this customer's points ledger.
    pub(super) fn open_ledger(&mut self) -> Result<()> {
        let Some((customer_id, _)) = self.card_customer() else {
            return Ok(());
        };
        if let Some(v) = self.ledger_view(customer_id)? {
            self.popups.push(Popup::Ledger(v));
        }
        Ok(())
    }

    fn ledger_view(&self, customer_id: i64) -> Result<Option<LedgerView>> {
        ledger_view(&self.store, &self.tiers, customer_id)
    }

    /// Open cards and views re-read (the lookup as far as it had read).
    pub(super) fn reload_popups(&mut self) -> Result<()> {
        self.reload_lookup();
        self.reread_shop_analysis()?;
        let sat = if self
            .popups
            .iter()
            .any(|p| matches!(p, Popup::Analysis { .. }))
        {
            Some(SatisfactionView::read(self)?)
        } else {
            None
        };
        for p in &mut self.popups {
            match p {
                Popup::Card(c) => {
                    // As many orders as were read (the card may have scrolled on).
                    let read = c.card.recent_orders.len().max(CARD_RECENT);
                    if let Some(card) = self.store.customer_card(c.card.customer.id, read)? {
                        c.selected = c.selected.min(card.recent_orders.len().saturating_sub(1));
                        c.points = self.store.points_balance(card.customer.id, &self.tiers)?;
                        c.complaint_list =
                            customer_complaints(&self.store, &self.sla, card.customer.id)?;
                        (c.open_complaints, c.complaints) =
                            (open_count(&c.complaint_list), c.complaint_list.len());
                        // The selected follow-up stays selected where the
                        // re-read puts it (done ones move below the open).
                        let kept = c.followups.get(c.followup_selected).map(|f| f.id);
                        (c.followups, c.satisfaction) =
                            card_followups(&self.store, card.customer.id)?;
                        c.prediction = self.store.prediction(card.customer.id)?.map(Box::new);
                        if let Some(at) =
                            kept.and_then(|id| c.followups.iter().position(|f| f.id == id))
                        {
                            c.followup_selected = at;
                        }
                        c.suggestions = self.store.suggest(card.customer.id)?;
                        *c.merge = super::CardMerge::read(&self.store, card.customer.id)?;
                        c.card = card;
                        c.clamp();
                    }
                }
                Popup::Order(o) => {
                    if let Some(d) = self.store.order_detail(o.detail.order.id)? {
                        o.detail = d;
                    }
                }
                Popup::Complaint(c) => {
                    if let Some(d) = self
                        .store
                        .complaint_detail(c.detail.complaint.id, &self.sla)?
                    {
                        c.detail = d;
                    }
                }
                Popup::Ledger(v) => {
                    let scroll = v.scroll;
                    if let Some(mut fresh) =
                        ledger_view(&self.store, &self.tiers, v.points.customer_id)?
                    {
                        fresh.scroll = scroll;
                        *v = fresh;
                    }
                }
                Popup::Analysis {
                    stats,
                    selected,
                    satisfaction,
                    ..
                } => {
                    if let Some(s) = &sat {
                        *satisfaction = s.clone();
                    }
                    *stats = self.store.complaint_stats(&self.sla)?;
                    *selected = (*selected).min(stats.repeat_complainers.len().saturating_sub(1));
                }
                Popup::History(v) => {
                    let scroll = v.scroll;
                    *v = HistoryView::read(&self.store, v.customer_id, v.subject.clone())?;
                    v.scroll = scroll;
                }
                Popup::Lookup(l) => lookup::reread(&self.store, l),
                _ => {}
            }
        }
        Ok(())
    }
}

/// A customer's complaints for the card: those still open or in progress
/// first (what the seller must act on), each part newest first.
pub(super) fn customer_complaints(
    store: &Store,
    sla: &Sla,
    customer_id: i64,
) -> Result<Vec<ComplaintRow>> {
    let list = ComplaintList {
        store,
        sla,
        filter: ComplaintFilter {
            open_only: false,
            customer_id: Some(customer_id),
        },
        oldest_first: false,
    };
    // Page by page: a customer's complaints are few, but the card counts them all.
    let mut all = list.first_page(PAGE)?;
    let mut more = all.len() == PAGE;
    while more && let Some(last) = all.last() {
        let page = list.next_after(last, PAGE)?;
        more = page.len() == PAGE;
        all.extend(page);
    }
    let done = |c: &ComplaintRow| !matches!(c.status.as_str(), "open" | "processing");
    all.sort_by(|a, b| (done(a), &b.created_at, b.id).cmp(&(done(b), &a.created_at, a.id)));
    Ok(all)
}

/// Complaints still open or in progress.
pub(super) fn open_count(all: &[ComplaintRow]) -> usize {
    all.iter()
        .filter(|c| matches!(c.status.as_str(), "open" | "processing"))
        .count()
}

/// One customer's points view: balance, tier and the newest entries.
pub(super) fn ledger_view(
    store: &Store,
    tiers: &TierThresholds,
    customer_id: i64,
) -> Result<Option<LedgerView>> {
    let Some(points) = store.points_balance(customer_id, tiers)? else {
        return Ok(None);
    };
    let list = LedgerList {
        store,
        customer_id: Some(customer_id),
        newest_first: false,
    };
    // One more than is kept: whether there are earlier entries.
    let mut entries = list.last_page(LEDGER_VIEW_MAX + 1)?;
    let earlier = entries.len() > LEDGER_VIEW_MAX;
    if earlier {
        entries.drain(..entries.len() - LEDGER_VIEW_MAX);
    }
    Ok(Some(LedgerView {
        points,
        entries,
        earlier,
        scroll: 0,
    }))
}
