//! The quick lookup popup's state and what it opens, the customer card's
//! order list read on as it scrolls, and finding an order by its number on
//! the orders tab.

use super::list::{Keyset, PAGE};
use super::lists::OrderList;
use super::{App, CARD_RECENT, CardState, InputPurpose, InputState, Popup, Tab, step};
use crate::db::{LookupHit, OrderRow, Store};
use crate::i18n::app::S;
use anyhow::Result;

/// Results the quick lookup reads at a time (moving past the last one reads on).
pub const LOOKUP_LIMIT: usize = 20;
/// Orders the card reads at a time (moving past the last one reads on).
pub const CARD_PAGE: usize = CARD_RECENT;

#[derive(Debug, Clone, Default)]
pub struct LookupState {
    pub query: String,
    /// The results read so far, best first.
    pub hits: Vec<LookupHit>,
    /// How many customers match (a floor when `capped`).
    pub total: usize,
    /// More match than are counted ("1000+").
    pub capped: bool,
    /// Every result there is to read has been read.
    pub exhausted: bool,
    pub selected: usize,
    pub error: Option<String>,
}

impl LookupState {
    /// More results to read past the last one.
    pub fn more(&self) -> bool {
        !self.exhausted && (self.hits.len() < self.total || self.capped)
    }

    /// "20 of 30" (or "20 of 1000+").
    pub fn total_label(&self) -> String {
        if self.capped {
            format!("{}+", self.total)
        } else {
            self.total.to_string()
        }
    }
}

impl App {
    /// Run the query typed so far: its first page, the first result selected.
    pub(super) fn run_lookup(&mut self) {
        let Some(Popup::Lookup(l)) = self.popups.last_mut() else {
            return;
        };
        match self.store.lookup_page(&l.query, 0, LOOKUP_LIMIT, false) {
            Ok(page) => {
                l.exhausted = page.hits.len() < LOOKUP_LIMIT;
                l.hits = page.hits;
                l.total = page.total;
                l.capped = page.capped;
                l.error = None;
            }
            Err(e) => {
                l.hits.clear();
                l.total = 0;
                l.capped = false;
                l.exhausted = true;
                l.error = Some(crate::i18n::error_text(&e, self.lang));
            }
        }
        l.selected = 0;
    }

    /// Move the lookup selection; past the last result read, read the next page.
    pub(super) fn lookup_move(&mut self, delta: isize) -> Result<()> {
        let Some(Popup::Lookup(l)) = self.popups.last_mut() else {
            return Ok(());
        };
        let target = l.selected as isize + delta;
        while target >= l.hits.len() as isize && l.more() {
            let page = self
                .store
                .lookup_page(&l.query, l.hits.len(), LOOKUP_LIMIT, false)?;
            l.total = page.total;
            l.capped = page.capped;
            l.exhausted = page.hits.len() < LOOKUP_LIMIT;
            l.hits.extend(page.hits);
        }
        l.selected = step(l.selected, delta, l.hits.len());
        Ok(())
    }

    /// After an edit: the same query re-read, as far as it had been read.
    pub(super) fn reload_lookup(&mut self) {
        let Some(Popup::Lookup(l)) = self.popups.last_mut() else {
            return;
        };
        reread(&self.store, l);
    }

    /// Enter on a result: the buyer's card; a result found by its order
    /// number opens the card with that order shown and selected.
    pub(super) fn open_lookup_hit(&mut self) -> Result<()> {
        let Some(Popup::Lookup(l)) = self.popups.last() else {
            return Ok(());
        };
        let Some(hit) = l.hits.get(l.selected) else {
            return Ok(());
        };
        let (id, order_id) = (hit.id, hit.order_id);
        self.popups.pop();
        self.open_card(id)?;
        if let Some(order_id) = order_id {
            self.card_select_order(order_id)?;
        }
        Ok(())
    }

    /// On the open card: read its orders down to `order_id` and select it.
    fn card_select_order(&mut self, order_id: i64) -> Result<()> {
        let Some(Popup::Card(c)) = self.popups.last_mut() else {
            return Ok(());
        };
        if !c.card.recent_orders.iter().any(|o| o.id == order_id) {
            let Some(order) = self
                .store
                .order_detail(order_id)?
                .map(|d| d.order)
                .filter(|o| o.customer_id == c.card.customer.id)
            else {
                return Ok(());
            };
            let loaded = c.card.recent_orders.len().max(CARD_PAGE);
            c.card.recent_orders = self.store.customer_orders_through(&order, loaded)?;
        }
        if let Some(i) = c.card.recent_orders.iter().position(|o| o.id == order_id) {
            c.selected = i;
        }
        Ok(())
    }

    /// Move the card's order selection, reading on past the last order read.
    pub(super) fn card_move(&mut self, delta: isize) -> Result<()> {
        let Some(Popup::Card(c)) = self.popups.last_mut() else {
            return Ok(());
        };
        let target = c.selected as isize + delta;
        while target >= c.card.recent_orders.len() as isize && card_more(c) {
            let more = self.store.customer_orders(
                c.card.customer.id,
                c.card.recent_orders.last(),
                CARD_PAGE,
            )?;
            if more.is_empty() {
                break;
            }
            c.card.recent_orders.extend(more);
        }
        c.selected = step(c.selected, delta, c.card.recent_orders.len());
        Ok(())
    }

    /// `G` on the card: every order read, the oldest selected.
    pub(super) fn card_bottom(&mut self) -> Result<()> {
        let Some(Popup::Card(c)) = self.popups.last_mut() else {
            return Ok(());
        };
        while card_more(c) {
            let more = self.store.customer_orders(
                c.card.customer.id,
                c.card.recent_orders.last(),
                CARD_PAGE.max(200),
            )?;
            if more.is_empty() {
                break;
            }
            c.card.recent_orders.extend(more);
        }
        c.selected = c.card.recent_orders.len().saturating_sub(1);
        Ok(())
    }

    /// `o` on the orders tab: ask for an order number.
    pub(super) fn ask_order_no(&mut self) {
        if self.popups.is_empty() && self.tab == Tab::Orders {
            self.popups.push(Popup::Input(InputState {
                purpose: InputPurpose::FindOrder,
                text: String::new(),
                initial: String::new(),
                error: None,
            }));
        }
    }

    /// The orders list moved to the order with this number and selected
    /// (filters that hide it are cleared); a message when there is none.
    pub(super) fn find_order(&mut self, order_no: &str) -> Result<()> {
        let no = order_no
            .trim()
            .trim_start_matches('=')
            .trim_matches('"')
            .trim();
        if no.is_empty() {
            self.popups.pop();
            return Ok(());
        }
        let Some(order) = self.store.orders_by_no(no)?.into_iter().next() else {
            self.popups.pop();
            self.message = Some(super::Message {
                text: match self.lang {
                    crate::i18n::Lang::Zh => {
                        format!("没有订单号 {}", crate::domain::text::one_line(no))
                    }
                    crate::i18n::Lang::En => {
                        format!("no order number {}", crate::domain::text::one_line(no))
                    }
                },
                error: true,
            });
            return Ok(());
        };
        self.popups.pop();
        if !self.jump_to_order(&order)? {
            // A status or date filter hides it: show every order.
            self.order_query.status = None;
            self.order_query.days = None;
            self.jump_to_order(&order)?;
        }
        self.info(S::MsgOrderFound);
        Ok(())
    }

    /// Read the orders list around `order`; false when the list's filters
    /// leave it out.
    fn jump_to_order(&mut self, order: &OrderRow) -> Result<bool> {
        let h = self.list_height();
        let list = OrderList {
            store: &self.store,
            query: &self.order_query,
        };
        let below = list.starting_at(order, PAGE)?;
        if below.first().map(|o| o.id) != Some(order.id) {
            return Ok(false);
        }
        let above = list.previous_before(order, PAGE / 2)?;
        self.orders.show_around(above, below, h, PAGE);
        Ok(true)
    }
}

/// Orders of the card's customer not read yet.
fn card_more(c: &CardState) -> bool {
    (c.card.recent_orders.len() as i64) < c.card.customer.orders
}

/// The same query re-read, as far as it had been read (after an edit, or a
/// refresh: a buyer's rank may have moved).
pub(super) fn reread(store: &Store, l: &mut LookupState) {
    let n = l.hits.len().max(LOOKUP_LIMIT);
    if let Ok(page) = store.lookup_page(&l.query, 0, n, false) {
        l.selected = l.selected.min(page.hits.len().saturating_sub(1));
        l.exhausted = page.hits.len() < n;
        l.hits = page.hits;
        l.total = page.total;
        l.capped = page.capped;
    }
}
