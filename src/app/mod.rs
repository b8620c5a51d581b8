//! The terminal app's state and its one way of changing: `App::update(Action)`.
//! Keys become actions through the keymap; update may ask the Store; the `ui`
//! module draws `&App` and never touches the database.

pub mod keymap;
pub mod list;
mod run;

pub use keymap::{Ctx, Key};
pub use list::Paged;
pub use run::run_app;

use crate::db::{
    ComplaintDetail, ComplaintRow, CustomerCard, CustomerQuery, CustomerRow, CustomerSort,
    Direction, LedgerEntry, LookupHit, OrderDetail, OrderQuery, OrderRow, PointsBalance, Store,
};
use crate::domain::complaint::Sla;
use crate::domain::tier::TierThresholds;
use crate::i18n::Lang;
use crate::ui::strings::{S, t};
use anyhow::Result;

/// Rows of the screen that are not list body: header, tab bar, column
/// headings, footer.
pub const LIST_CHROME: u16 = 4;
/// Results the quick lookup shows.
pub const LOOKUP_LIMIT: usize = 20;
/// Recent orders on the customer card.
pub const CARD_RECENT: usize = 30;
/// Status filter cycle for the orders tab (`None` = all).
pub const STATUS_CYCLE: [Option<&str>; 7] = [
    None,
    Some("paid"),
    Some("shipped"),
    Some("completed"),
    Some("refunded"),
    Some("closed"),
    Some("unpaid"),
];
/// Date window cycle for the orders tab, in days (`None` = all time).
pub const DAYS_CYCLE: [Option<u32>; 4] = [None, Some(7), Some(30), Some(90)];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    GoTab(u8),
    OpenLookup,
    OpenHelp,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open what is selected, or save the text box.
    Open,
    /// Esc: close the top popup.
    Back,
    Refresh,
    CycleSort,
    CycleFilter,
    CycleDays,
    ToggleReveal,
    AddNote,
    AddTag,
    RemoveTag,
    ToggleBlacklist,
    InsertText(String),
    Backspace,
    ClearText,
    Resize(u16, u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Customers,
    Orders,
    Complaints,
    Points,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Customers, Tab::Orders, Tab::Complaints, Tab::Points];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn label(self) -> S {
        match self {
            Tab::Customers => S::TabCustomers,
            Tab::Orders => S::TabOrders,
            Tab::Complaints => S::TabComplaints,
            Tab::Points => S::TabPoints,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LookupState {
    pub query: String,
    pub hits: Vec<LookupHit>,
    pub selected: usize,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CardState {
    pub card: CustomerCard,
    /// Points balance and tier (`None` if the customer vanished meanwhile).
    pub points: Option<PointsBalance>,
    /// Complaints still open or in progress.
    pub open_complaints: usize,
    pub reveal: bool,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub struct OrderState {
    pub detail: OrderDetail,
    pub reveal: bool,
    pub scroll: u16,
}

#[derive(Debug, Clone)]
pub struct ComplaintState {
    pub detail: ComplaintDetail,
    pub scroll: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    Note(i64),
    Tag(i64),
    Untag(i64),
}

#[derive(Debug, Clone)]
pub struct InputState {
    pub purpose: InputPurpose,
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Lookup(LookupState),
    Card(CardState),
    Order(OrderState),
    Input(InputState),
    Complaint(ComplaintState),
    Help { scroll: u16 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct App {
    store: Store,
    pub lang: Lang,
    /// The database file name, for the header.
    pub db_name: String,
    pub counts: (i64, i64),
    pub tab: Tab,
    pub customers: Paged<CustomerRow>,
    pub customer_query: CustomerQuery,
    pub orders: Paged<OrderRow>,
    pub order_query: OrderQuery,
    /// Complaints, newest first.
    pub complaints: Paged<ComplaintRow>,
    /// Points ledger, oldest first, with running balances.
    pub ledger: Paged<LedgerEntry>,
    pub sla: Sla,
    pub tiers: TierThresholds,
    /// Open popups, the top one last; it has the focus.
    pub popups: Vec<Popup>,
    pub message: Option<Message>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub quit: bool,
}

impl App {
    pub fn new(store: Store, lang: Lang) -> App {
        let db_name = store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| store.path().display().to_string());
        // Settings are read once; a missing or broken file means defaults.
        let config = crate::config::Config::load()
            .map(|(c, _)| c)
            .unwrap_or_default();
        let mut app = App {
            store,
            lang,
            db_name,
            counts: (0, 0),
            tab: Tab::Customers,
            customers: Paged::default(),
            customer_query: CustomerQuery::default(),
            orders: Paged::default(),
            order_query: OrderQuery::default(),
            complaints: Paged::default(),
            ledger: Paged::default(),
            sla: config.sla(),
            tiers: config.tiers(),
            popups: Vec::new(),
            message: None,
            size: (80, 24),
            quit: false,
        };
        let r = app.load_all();
        app.report(r);
        app
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Rows of list body on screen.
    pub fn list_height(&self) -> usize {
        usize::from(self.size.1.saturating_sub(LIST_CHROME)).max(1)
    }

    /// True while a text box has the focus: characters are text, not keys.
    pub fn typing(&self) -> bool {
        matches!(self.popups.last(), Some(Popup::Lookup(_) | Popup::Input(_)))
    }

    /// The keymap contexts in force, most specific first.
    pub fn contexts(&self) -> Vec<Ctx> {
        match self.popups.last() {
            Some(Popup::Lookup(_)) => vec![Ctx::Lookup],
            Some(Popup::Input(_)) => vec![Ctx::Input],
            Some(Popup::Help { .. }) => vec![Ctx::Help, Ctx::Nav, Ctx::Global],
            Some(Popup::Card(_)) => vec![Ctx::Card, Ctx::Nav, Ctx::Global],
            Some(Popup::Order(_)) => vec![Ctx::OrderCard, Ctx::Nav, Ctx::Global],
            Some(Popup::Complaint(_)) => vec![Ctx::Nav, Ctx::Global],
            None => match self.tab {
                Tab::Customers => vec![Ctx::Customers, Ctx::Nav, Ctx::Tabs, Ctx::Global],
                Tab::Orders => vec![Ctx::Orders, Ctx::Nav, Ctx::Tabs, Ctx::Global],
                Tab::Complaints | Tab::Points => vec![Ctx::Nav, Ctx::Tabs, Ctx::Global],
            },
        }
    }

    /// A key press: through the keymap, or as text into the focused box.
    pub fn handle_key(&mut self, key: Key) {
        if let Some(b) = keymap::lookup(&self.contexts(), key) {
            self.update(b.action.clone());
        } else if key == Key::Enter && self.popups.is_empty() && self.tab == Tab::Complaints {
            self.update(Action::Open);
        } else if self.typing()
            && let Key::Char(c) = key
        {
            self.update(Action::InsertText(c.to_string()));
        }
    }

    /// Pasted text goes whole into the focused text box, and nowhere else.
    pub fn paste(&mut self, text: &str) {
        if self.typing() {
            self.update(Action::InsertText(text.to_string()));
        }
    }

    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..)) {
            self.message = None;
        }
        let r = self.apply(action);
        self.report(r);
    }

    fn report(&mut self, r: Result<()>) {
        if let Err(e) = r {
            self.message = Some(Message {
                text: format!("{}: {e:#}", t(self.lang, S::Error)),
                error: true,
            });
        }
    }

    fn info(&mut self, s: S) {
        self.message = Some(Message {
            text: t(self.lang, s).to_string(),
            error: false,
        });
    }

    fn apply(&mut self, action: Action) -> Result<()> {
        let h = self.list_height();
        match action {
            Action::Quit => self.quit = true,
            Action::Resize(w, hh) => {
                self.size = (w, hh);
                let h = self.list_height();
                self.customers.scroll_into_view(h);
                self.orders.scroll_into_view(h);
                self.complaints.scroll_into_view(h);
                self.ledger.scroll_into_view(h);
            }
            Action::NextTab => self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()],
            Action::PrevTab => self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % 4],
            Action::GoTab(i) => {
                if let Some(tab) = Tab::ALL.get(usize::from(i)) {
                    self.tab = *tab;
                }
            }
            Action::OpenLookup => {
                if !matches!(self.popups.last(), Some(Popup::Lookup(_))) {
                    self.popups.push(Popup::Lookup(LookupState {
                        query: String::new(),
                        hits: Vec::new(),
                        selected: 0,
                        error: None,
                    }));
                }
            }
            Action::OpenHelp => {
                if !matches!(self.popups.last(), Some(Popup::Help { .. })) {
                    self.popups.push(Popup::Help { scroll: 0 });
                }
            }
            Action::Back => {
                self.popups.pop();
            }
            Action::Refresh => self.reload_views()?,
            Action::Up => self.move_by(-1)?,
            Action::Down => self.move_by(1)?,
            Action::PageUp => self.move_by(-(h as isize))?,
            Action::PageDown => self.move_by(h as isize)?,
            Action::Top => self.jump(false)?,
            Action::Bottom => self.jump(true)?,
            Action::Open => self.open()?,
            Action::CycleSort => {
                if self.tab == Tab::Customers {
                    self.customer_query.sort = match self.customer_query.sort {
                        CustomerSort::LastOrder => CustomerSort::Paid,
                        CustomerSort::Paid => CustomerSort::LastOrder,
                    };
                    self.load_customers()?;
                }
                // Orders have one sort (newest first): nothing to cycle.
            }
            Action::CycleFilter => match self.tab {
                Tab::Customers => {
                    self.customer_query.blacklisted_only = !self.customer_query.blacklisted_only;
                    self.load_customers()?;
                }
                Tab::Orders => {
                    let cur = self.order_query.status.as_deref();
                    let i = STATUS_CYCLE.iter().position(|s| *s == cur).unwrap_or(0);
                    let next = STATUS_CYCLE[(i + 1) % STATUS_CYCLE.len()];
                    self.order_query.status = next.map(str::to_string);
                    self.load_orders()?;
                }
                _ => {}
            },
            Action::CycleDays => {
                let i = DAYS_CYCLE
                    .iter()
                    .position(|d| *d == self.order_query.days)
                    .unwrap_or(0);
                self.order_query.days = DAYS_CYCLE[(i + 1) % DAYS_CYCLE.len()];
                self.load_orders()?;
            }
            Action::ToggleReveal => match self.popups.last_mut() {
                Some(Popup::Card(c)) => c.reveal = !c.reveal,
                Some(Popup::Order(o)) => o.reveal = !o.reveal,
                _ => {}
            },
            Action::AddNote | Action::AddTag | Action::RemoveTag => {
                if let Some(Popup::Card(c)) = self.popups.last() {
                    let id = c.card.customer.id;
                    let purpose = match action {
                        Action::AddNote => InputPurpose::Note(id),
                        Action::AddTag => InputPurpose::Tag(id),
                        _ => InputPurpose::Untag(id),
                    };
                    self.popups.push(Popup::Input(InputState {
                        purpose,
                        text: String::new(),
                    }));
                }
            }
            Action::ToggleBlacklist => {
                if let Some(Popup::Card(c)) = self.popups.last() {
                    let id = c.card.customer.id;
                    let on = !c.card.customer.blacklisted;
                    self.store.set_blacklisted(id, on)?;
                    self.reload_views()?;
                    self.info(if on {
                        S::MsgBlacklisted
                    } else {
                        S::MsgUnblacklisted
                    });
                }
            }
            Action::InsertText(s) => {
                // Text from keys or paste: one line, no control characters.
                let clean: String = s
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                match self.popups.last_mut() {
                    Some(Popup::Lookup(l)) => {
                        l.query.push_str(&clean);
                        self.run_lookup();
                    }
                    Some(Popup::Input(i)) => i.text.push_str(&clean),
                    _ => {}
                }
            }
            Action::Backspace | Action::ClearText => {
                let clear = action == Action::ClearText;
                match self.popups.last_mut() {
                    Some(Popup::Lookup(l)) => {
                        if clear {
                            l.query.clear();
                        } else {
                            l.query.pop();
                        }
                        self.run_lookup();
                    }
                    Some(Popup::Input(i)) => {
                        if clear {
                            i.text.clear();
                        } else {
                            i.text.pop();
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn run_lookup(&mut self) {
        let Some(Popup::Lookup(l)) = self.popups.last_mut() else {
            return;
        };
        match self.store.lookup(&l.query, LOOKUP_LIMIT, false) {
            Ok(hits) => {
                l.hits = hits;
                l.error = None;
            }
            Err(e) => {
                l.hits.clear();
                l.error = Some(format!("{e:#}"));
            }
        }
        l.selected = 0;
    }

    fn move_by(&mut self, delta: isize) -> Result<()> {
        let h = self.list_height();
        match self.popups.last_mut() {
            Some(Popup::Lookup(l)) => {
                l.selected = step(l.selected, delta, l.hits.len());
            }
            Some(Popup::Card(c)) => {
                c.selected = step(c.selected, delta, c.card.recent_orders.len());
            }
            Some(Popup::Order(o)) => {
                o.scroll =
                    (i64::from(o.scroll) + delta as i64).clamp(0, order_scroll_max(o)) as u16;
            }
            Some(Popup::Help { scroll }) => {
                *scroll = (i64::from(*scroll) + delta as i64).clamp(0, help_scroll_max()) as u16;
            }
            Some(Popup::Complaint(c)) => {
                let max = (c.detail.history.len() + 12) as i64;
                c.scroll = (i64::from(c.scroll) + delta as i64).clamp(0, max) as u16;
            }
            Some(Popup::Input(_)) => {}
            None => match self.tab {
                Tab::Customers => {
                    let (store, q) = (&self.store, self.customer_query);
                    self.customers.move_by(delta, h, &mut |c, d, i, n| {
                        store.customers_page(&q, c.map(|r| q.cursor(r)).as_ref(), d, i, n)
                    })?;
                }
                Tab::Orders => {
                    let (store, q) = (&self.store, &self.order_query);
                    self.orders.move_by(delta, h, &mut |c, d, i, n| {
                        store.orders_page(q, c.map(|r| q.cursor(r)).as_ref(), d, i, n)
                    })?;
                }
                Tab::Complaints => {
                    let (store, sla) = (&self.store, &self.sla);
                    self.complaints.move_by(delta, h, &mut |c, d, i, n| {
                        complaints_fetch(store, sla, c, d, i, n)
                    })?;
                }
                Tab::Points => {
                    let store = &self.store;
                    self.ledger
                        .move_by(delta, h, &mut |c, d, i, n| ledger_fetch(store, c, d, i, n))?;
                }
            },
        }
        Ok(())
    }

    fn jump(&mut self, bottom: bool) -> Result<()> {
        let h = self.list_height();
        match self.popups.last_mut() {
            Some(Popup::Card(c)) => {
                c.selected = if bottom {
                    c.card.recent_orders.len().saturating_sub(1)
                } else {
                    0
                }
            }
            Some(Popup::Order(o)) => {
                o.scroll = if bottom {
                    order_scroll_max(o) as u16
                } else {
                    0
                }
            }
            Some(Popup::Help { scroll }) => {
                *scroll = if bottom { help_scroll_max() as u16 } else { 0 }
            }
            Some(_) => {}
            None => match self.tab {
                Tab::Customers => {
                    let (store, q) = (&self.store, self.customer_query);
                    let mut f = |c: Option<&CustomerRow>, d, i, n| {
                        store.customers_page(&q, c.map(|r| q.cursor(r)).as_ref(), d, i, n)
                    };
                    if bottom {
                        self.customers.bottom(&mut f, h)?
                    } else {
                        self.customers.top(&mut f)?
                    }
                }
                Tab::Orders => {
                    let (store, q) = (&self.store, &self.order_query);
                    let mut f = |c: Option<&OrderRow>, d, i, n| {
                        store.orders_page(q, c.map(|r| q.cursor(r)).as_ref(), d, i, n)
                    };
                    if bottom {
                        self.orders.bottom(&mut f, h)?
                    } else {
                        self.orders.top(&mut f)?
                    }
                }
                Tab::Complaints => {
                    let (store, sla) = (&self.store, &self.sla);
                    let mut f = |c: Option<&ComplaintRow>, d, i, n| {
                        complaints_fetch(store, sla, c, d, i, n)
                    };
                    if bottom {
                        self.complaints.bottom(&mut f, h)?
                    } else {
                        self.complaints.top(&mut f)?
                    }
                }
                Tab::Points => {
                    let store = &self.store;
                    let mut f = |c: Option<&LedgerEntry>, d, i, n| ledger_fetch(store, c, d, i, n);
                    if bottom {
                        self.ledger.bottom(&mut f, h)?
                    } else {
                        self.ledger.top(&mut f)?
                    }
                }
            },
        }
        Ok(())
    }

    fn open(&mut self) -> Result<()> {
        match self.popups.last() {
            Some(Popup::Lookup(l)) => {
                if let Some(hit) = l.hits.get(l.selected) {
                    let id = hit.id;
                    self.popups.pop();
                    self.open_card(id)?;
                }
            }
            Some(Popup::Card(c)) => {
                if let Some(o) = c.card.recent_orders.get(c.selected) {
                    let id = o.id;
                    self.open_order(id)?;
                }
            }
            Some(Popup::Input(i)) => {
                let (purpose, text) = (i.purpose, i.text.clone());
                let msg = match purpose {
                    InputPurpose::Note(id) => {
                        self.store.add_note(id, &text)?;
                        S::MsgNoteSaved
                    }
                    InputPurpose::Tag(id) => {
                        self.store.add_tag(id, &text)?;
                        S::MsgTagSaved
                    }
                    InputPurpose::Untag(id) => {
                        if self.store.remove_tag(id, &text)? {
                            S::MsgTagRemoved
                        } else {
                            S::MsgNoSuchTag
                        }
                    }
                };
                self.popups.pop();
                self.reload_views()?;
                self.info(msg);
            }
            Some(Popup::Order(_) | Popup::Help { .. } | Popup::Complaint(_)) => {}
            None => match self.tab {
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
                Tab::Points => {}
            },
        }
        Ok(())
    }

    fn open_card(&mut self, id: i64) -> Result<()> {
        match self.store.customer_card(id, CARD_RECENT)? {
            Some(card) => self.popups.push(Popup::Card(CardState {
                card,
                points: self.store.points_balance(id, &self.tiers)?,
                open_complaints: self.open_complaints(id)?,
                reveal: false,
                selected: 0,
            })),
            None => self.info(S::MsgGone),
        }
        Ok(())
    }

    fn open_complaints(&self, customer_id: i64) -> Result<usize> {
        Ok(self
            .store
            .complaints_page(true, Some(customer_id), i64::MAX, usize::MAX, &self.sla)?
            .len())
    }

    fn open_order(&mut self, id: i64) -> Result<()> {
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

    fn load_customers(&mut self) -> Result<()> {
        let (store, q) = (&self.store, self.customer_query);
        self.customers.top(&mut |c, d, i, n| {
            store.customers_page(&q, c.map(|r| q.cursor(r)).as_ref(), d, i, n)
        })
    }

    fn load_orders(&mut self) -> Result<()> {
        let (store, q) = (&self.store, &self.order_query);
        self.orders
            .top(&mut |c, d, i, n| store.orders_page(q, c.map(|r| q.cursor(r)).as_ref(), d, i, n))
    }

    fn load_side(&mut self) -> Result<()> {
        let (store, sla) = (&self.store, &self.sla);
        self.complaints
            .top(&mut |c, d, i, n| complaints_fetch(store, sla, c, d, i, n))?;
        self.ledger
            .top(&mut |c, d, i, n| ledger_fetch(store, c, d, i, n))
    }

    fn load_all(&mut self) -> Result<()> {
        self.counts = self.store.counts()?;
        self.load_customers()?;
        self.load_orders()?;
        self.load_side()?;
        self.reload_popups()
    }

    /// After an edit or a refresh: lists keep their place, open cards re-read.
    fn reload_views(&mut self) -> Result<()> {
        let h = self.list_height();
        self.counts = self.store.counts()?;
        {
            let (store, q) = (&self.store, self.customer_query);
            self.customers.reload(
                &mut |c, d, i, n| {
                    store.customers_page(&q, c.map(|r| q.cursor(r)).as_ref(), d, i, n)
                },
                h,
            )?;
        }
        {
            let (store, q) = (&self.store, &self.order_query);
            self.orders.reload(
                &mut |c, d, i, n| store.orders_page(q, c.map(|r| q.cursor(r)).as_ref(), d, i, n),
                h,
            )?;
        }
        {
            let (store, sla) = (&self.store, &self.sla);
            self.complaints.reload(
                &mut |c, d, i, n| complaints_fetch(store, sla, c, d, i, n),
                h,
            )?;
            self.ledger
                .reload(&mut |c, d, i, n| ledger_fetch(store, c, d, i, n), h)?;
        }
        self.reload_popups()
    }

    fn reload_popups(&mut self) -> Result<()> {
        for p in &mut self.popups {
            match p {
                Popup::Card(c) => {
                    if let Some(card) = self.store.customer_card(c.card.customer.id, CARD_RECENT)? {
                        c.selected = c.selected.min(card.recent_orders.len().saturating_sub(1));
                        c.points = self.store.points_balance(card.customer.id, &self.tiers)?;
                        c.open_complaints = self
                            .store
                            .complaints_page(
                                true,
                                Some(card.customer.id),
                                i64::MAX,
                                usize::MAX,
                                &self.sla,
                            )?
                            .len();
                        c.card = card;
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
                Popup::Lookup(l) => {
                    if let Ok(hits) = self.store.lookup(&l.query, LOOKUP_LIMIT, false) {
                        l.selected = l.selected.min(hits.len().saturating_sub(1));
                        l.hits = hits;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// How far the order card may scroll: roughly its line count (the drawing
/// clamps exactly; this only keeps `k` from having to unwind a long overshoot).
fn order_scroll_max(o: &OrderState) -> i64 {
    let d = &o.detail;
    let text =
        d.message.lines().count() + d.remark.lines().count() + d.close_reason.lines().count();
    (d.lines.len() + text + 12) as i64
}

/// How far the help overlay may scroll: one line per binding and two per context.
fn help_scroll_max() -> i64 {
    (keymap::KEYMAP.len() + 20) as i64
}

fn step(cur: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as isize + delta).clamp(0, len as isize - 1) as usize
}

/// Complaints for the paged list, newest first. The Store reads downwards by
/// id; upwards reads a widening id window above the cursor.
fn complaints_fetch(
    store: &Store,
    sla: &Sla,
    cur: Option<&ComplaintRow>,
    dir: Direction,
    incl: bool,
    n: usize,
) -> Result<Vec<ComplaintRow>> {
    match dir {
        Direction::Down => {
            let before = match cur {
                Some(r) if incl => r.id.saturating_add(1),
                Some(r) => r.id,
                None => i64::MAX,
            };
            store.complaints_page(false, None, before, n, sla)
        }
        Direction::Up => {
            // Rows above `low` (exclusive), the `n` nearest to it.
            let low = match cur {
                Some(r) if incl => r.id - 1,
                Some(r) => r.id,
                None => i64::MIN,
            };
            let mut w: i64 = (n as i64).max(1);
            loop {
                let before = low.saturating_add(1).saturating_add(w);
                let mut rows = store.complaints_page(false, None, before, w as usize, sla)?;
                rows.retain(|r| r.id > low);
                if rows.len() >= n || before == i64::MAX || w == i64::MAX {
                    let skip = rows.len().saturating_sub(n);
                    return Ok(rows.split_off(skip));
                }
                w = w.saturating_mul(2);
            }
        }
    }
}

/// Ledger entries for the paged list, oldest first. The Store reads upwards
/// by id; reading back reads a widening id window below the cursor.
fn ledger_fetch(
    store: &Store,
    cur: Option<&LedgerEntry>,
    dir: Direction,
    incl: bool,
    n: usize,
) -> Result<Vec<LedgerEntry>> {
    match dir {
        Direction::Down => {
            let after = match cur {
                Some(r) if incl => r.id - 1,
                Some(r) => r.id,
                None => i64::MIN,
            };
            store.ledger_page(None, after, n)
        }
        Direction::Up => {
            // Entries below `high` (exclusive), the `n` nearest to it.
            let high = match cur {
                Some(r) if incl => r.id + 1,
                Some(r) => r.id,
                None => i64::MAX,
            };
            let mut w: i64 = (n as i64).max(1);
            loop {
                let after = high.saturating_sub(1).saturating_sub(w);
                let mut rows = store.ledger_page(None, after, w as usize)?;
                rows.retain(|r| r.id < high);
                if rows.len() >= n || after <= 0 || w == i64::MAX {
                    let skip = rows.len().saturating_sub(n);
                    return Ok(rows.split_off(skip));
                }
                w = w.saturating_mul(2);
            }
        }
    }
}
