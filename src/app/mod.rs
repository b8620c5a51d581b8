//! The terminal app's state and its one way of changing: `App::update(Action)`.
//! Keys become actions through the keymap; update may ask the Store; the `ui`
//! module draws `&App` and never touches the database.

mod card;
pub mod form;
pub mod import;
pub mod keymap;
pub mod list;
mod lookup;
mod pending;
mod run;
mod watch;

pub use card::{CardSection, ConfirmPurpose, ConfirmState, HistoryView};
pub use form::{Field, FieldKind, Form};
pub use import::ImportJob;
pub use keymap::{Ctx, Key};
pub use list::Paged;
pub use lookup::{CARD_PAGE, LOOKUP_LIMIT, LookupState};
pub use pending::{PendingWrite, waiting_text};
pub use run::run_app;
pub use watch::DbFileChange;

use crate::db::{
    ComplaintDetail, ComplaintMove, ComplaintRow, ComplaintStats, CustomerCard, CustomerQuery,
    CustomerRow, CustomerSort, Direction, LedgerEntry, NewComplaint, OrderDetail, OrderQuery,
    OrderRow, PointsBalance, Refused, Store, flip_read,
};
use crate::domain::complaint::{Category, Channel, ComplaintStatus, Severity, Sla};
use crate::domain::tier::TierThresholds;
use crate::i18n::Lang;
use crate::ui::strings::{S, t};
use anyhow::Result;

/// Rows of the screen that are not list body: header, tab bar, column
/// headings, footer.
pub const LIST_CHROME: u16 = 4;
/// Orders the customer card reads first (then more as it scrolls).
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
/// Entries of one customer's ledger the points view reads (newest kept).
pub const LEDGER_VIEW_MAX: usize = 2000;
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
    /// Customers tab: next RFM segment (or all).
    CycleSegment,
    /// Customers tab: next member tier (or all).
    CycleTier,
    ToggleReveal,
    AddNote,
    AddTag,
    RemoveTag,
    ToggleBlacklist,
    InsertText(String),
    Backspace,
    ClearText,
    Resize(u16, u16),
    /// `i`: import files (asks for a path, or shows the running import).
    OpenImport,
    /// Tab in the path box: complete the path.
    Complete,
    /// Time passed: take in what a background import reported.
    Tick,
    /// Card: log a complaint against this customer.
    NewComplaint,
    /// Complaint list or detail: move it to another status.
    MoveComplaint,
    /// Card: spend points.
    Redeem,
    /// Card: add or remove points by hand.
    Adjust,
    /// Card: this customer's points ledger.
    OpenLedger,
    /// Complaints tab: the analysis view.
    OpenAnalysis,
    /// Orders tab: find an order by its number.
    FindOrder,
    /// Card: ←/→ go from one of its lists to the next (orders, complaints, notes).
    NextSection,
    PrevSection,
    /// Card: change the selected note (its earlier text is kept).
    EditNote,
    /// Card: delete the selected note (asks first; it stays in the history).
    DeleteNote,
    /// Card: the customer's history (blacklist changes, notes' earlier texts).
    OpenHistory,
    /// A complaint (list or detail), or a repeat complainer: the customer's card.
    OpenCustomer,
    /// A question on screen: yes.
    ConfirmYes,
    /// A question on screen: no (any key not bound there).
    ConfirmNo,
    NextField,
    PrevField,
    ChoiceNext,
    ChoicePrev,
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
pub struct CardState {
    pub card: CustomerCard,
    /// Points balance and tier (`None` if the customer vanished meanwhile).
    pub points: Option<PointsBalance>,
    /// Complaints still open or in progress.
    pub open_complaints: usize,
    /// Every complaint the customer ever made.
    pub complaints: usize,
    pub reveal: bool,
    pub selected: usize,
    /// Which of the card's lists ↑/↓ and Enter work on.
    pub section: CardSection,
    /// The customer's complaints, open ones first, then newest first.
    pub complaint_list: Vec<ComplaintRow>,
    pub complaint_selected: usize,
    pub note_selected: usize,
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
    /// Orders tab: the order number to find.
    FindOrder,
    /// The reason for putting customer `id` on the blacklist.
    BlacklistReason(i64),
    /// The new text of note `id`.
    EditNote(i64),
}

#[derive(Debug, Clone)]
pub struct InputState {
    pub purpose: InputPurpose,
    pub text: String,
    /// The text the box opened with (an edited note's): Esc drops without
    /// asking while the text is still this.
    pub initial: String,
    /// Why the last save was refused.
    pub error: Option<String>,
}

impl InputState {
    pub fn new(purpose: InputPurpose, text: String) -> InputState {
        InputState {
            purpose,
            initial: text.clone(),
            text,
            error: None,
        }
    }
}

/// What a form saves into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    NewComplaint { customer_id: i64 },
    MoveComplaint { id: i64 },
    Redeem { customer_id: i64 },
    Adjust { customer_id: i64 },
}

pub type FormState = Form<FormPurpose>;

/// The import popup: asking for a path, or showing the job.
#[derive(Debug, Clone)]
pub enum ImportView {
    Path {
        text: String,
        /// What the last completion found in the folder.
        candidates: Vec<String>,
    },
    Status {
        scroll: u16,
    },
}

/// One customer's points: balance, tier and every entry that made them.
#[derive(Debug, Clone)]
pub struct LedgerView {
    pub points: PointsBalance,
    /// Oldest first, with running balances.
    pub entries: Vec<LedgerEntry>,
    /// Entries before the first one shown (only the newest are read).
    pub earlier: bool,
    pub scroll: u16,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Lookup(LookupState),
    Card(CardState),
    Order(OrderState),
    Input(InputState),
    Complaint(ComplaintState),
    /// The keys of `screen` (the contexts in force when it opened).
    Help {
        scroll: u16,
        screen: Vec<Ctx>,
    },
    Form(FormState),
    Import(ImportView),
    Ledger(LedgerView),
    /// `selected` is a row of the repeat complainers (Enter opens their card).
    Analysis {
        stats: ComplaintStats,
        scroll: u16,
        selected: usize,
    },
    /// A yes/no question before something that cannot be taken back.
    Confirm(ConfirmState),
    History(HistoryView),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// How long the app's own writes wait for another writer before queuing.
const INTERACTIVE_BUSY: std::time::Duration = std::time::Duration::from_millis(100);

pub struct App {
    store: Store,
    pub lang: Lang,
    /// The database file name, for the header.
    pub db_name: String,
    pub counts: (i64, i64),
    /// Complaints open (or in progress), and of those overdue.
    pub complaint_counts: (i64, i64),
    pub tab: Tab,
    pub customers: Paged<CustomerRow>,
    pub customer_query: CustomerQuery,
    pub orders: Paged<OrderRow>,
    pub order_query: OrderQuery,
    /// Complaints, newest first.
    pub complaints: Paged<ComplaintRow>,
    /// Complaints tab shows only open and processing ones.
    pub complaints_open_only: bool,
    /// Complaints tab lists the oldest first (default: newest first).
    pub complaints_oldest_first: bool,
    /// Points tab lists the newest entry first (the default: what the seller
    /// checks is what just happened; `s` reads it oldest first).
    pub ledger_newest_first: bool,
    /// Points ledger, oldest first, with running balances.
    pub ledger: Paged<LedgerEntry>,
    pub sla: Sla,
    pub tiers: TierThresholds,
    /// Complaint categories in use (config), in its order.
    pub categories: Vec<Category>,
    /// Points per yuan (config): the rule imports started here apply.
    pub per_yuan: i64,
    /// Where the import path box starts.
    pub import_start: String,
    /// The import running in the background, or the last one finished.
    pub import_job: Option<ImportJob>,
    /// Writes made while an import held the database, applied when it ends.
    pub pending: Vec<PendingWrite>,
    /// "Now" for segments in the lists, read when the lists are (re)loaded.
    pub now: chrono::NaiveDateTime,
    /// Open popups, the top one last; it has the focus.
    pub popups: Vec<Popup>,
    pub message: Option<Message>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub quit: bool,
    /// The database file was replaced or deleted under the app (sticky: the
    /// connection still holds the file that was opened).
    pub db_change: Option<DbFileChange>,
    db_watch: watch::DbWatch,
}

impl App {
    /// The app over `store`, with the seller's settings `config` in force (the
    /// caller reads them; the app never reads the user's files itself).
    pub fn new(store: Store, lang: Lang, config: crate::config::Config) -> App {
        let db_name = store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| store.path().display().to_string());
        // The points rule in force is the config's (as for the CLI).
        let db_watch = watch::DbWatch::new(store.path());
        let mut store = store;
        // The event loop never waits on another writer: a write the database
        // cannot take at once is queued (see `pending`).
        let quick = store.set_busy_timeout(INTERACTIVE_BUSY);
        let synced = store.set_points_per_yuan(config.points.per_yuan);
        // A write into a file replaced or deleted meanwhile is rolled back,
        // whatever action makes it (the app also checks before it writes).
        let guarded = store.guard_file();
        let mut app = App {
            store,
            lang,
            db_name,
            counts: (0, 0),
            complaint_counts: (0, 0),
            tab: Tab::Customers,
            customers: Paged::default(),
            customer_query: CustomerQuery {
                segment_rules: config.segments(),
                tiers: config.tiers(),
                ..CustomerQuery::default()
            },
            orders: Paged::default(),
            order_query: OrderQuery::default(),
            complaints: Paged::default(),
            complaints_open_only: false,
            complaints_oldest_first: false,
            ledger_newest_first: true,
            ledger: Paged::default(),
            sla: config.sla(),
            tiers: config.tiers(),
            categories: config.categories(),
            per_yuan: config.points.per_yuan,
            import_start: import_start_dir(),
            import_job: None,
            pending: Vec::new(),
            now: crate::domain::time::beijing_now(),
            popups: Vec::new(),
            message: None,
            size: (80, 24),
            quit: false,
            db_change: None,
            db_watch,
        };
        app.report(quick);
        app.report(synced);
        app.report(guarded);
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
        matches!(
            self.popups.last(),
            Some(
                Popup::Lookup(_)
                    | Popup::Input(_)
                    | Popup::Form(_)
                    | Popup::Import(ImportView::Path { .. })
            )
        )
    }

    /// True while an import runs in the background: the loop then wakes
    /// up on its own to show progress.
    pub fn busy(&self) -> bool {
        self.import_job.as_ref().is_some_and(ImportJob::running) || !self.pending.is_empty()
    }

    /// The keymap contexts in force, most specific first.
    pub fn contexts(&self) -> Vec<Ctx> {
        match self.popups.last() {
            Some(Popup::Lookup(_)) => vec![Ctx::Lookup],
            Some(Popup::Input(_)) => vec![Ctx::Input],
            Some(Popup::Help { .. }) => vec![Ctx::Help],
            Some(Popup::Card(_)) => vec![Ctx::Card, Ctx::Nav, Ctx::Global],
            Some(Popup::Order(_)) => vec![Ctx::OrderCard, Ctx::Nav, Ctx::Global],
            Some(Popup::Complaint(_)) => vec![Ctx::ComplaintCard, Ctx::Nav, Ctx::Global],
            Some(Popup::Form(_)) => vec![Ctx::Form],
            Some(Popup::Import(ImportView::Path { .. })) => vec![Ctx::ImportPath],
            Some(Popup::Import(ImportView::Status { .. })) => {
                vec![Ctx::ImportStatus, Ctx::Nav, Ctx::Global]
            }
            Some(Popup::Analysis { .. }) => vec![Ctx::Analysis, Ctx::Nav, Ctx::Global],
            Some(Popup::Ledger(_) | Popup::History(_)) => vec![Ctx::Nav, Ctx::Global],
            Some(Popup::Confirm(_)) => vec![Ctx::Confirm],
            None => {
                let tab = match self.tab {
                    Tab::Customers => Ctx::Customers,
                    Tab::Orders => Ctx::Orders,
                    Tab::Complaints => Ctx::Complaints,
                    Tab::Points => Ctx::Points,
                };
                vec![tab, Ctx::Nav, Ctx::Tabs, Ctx::Global]
            }
        }
    }

    /// A key press: through the keymap, or as text into the focused box.
    pub fn handle_key(&mut self, key: Key) {
        let contexts = self.contexts();
        if let Some(b) = keymap::lookup(&contexts, key) {
            self.update(b.action.clone());
        } else if contexts == [Ctx::Confirm] {
            self.update(Action::ConfirmNo);
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
        if !matches!(action, Action::Resize(..) | Action::Tick) {
            self.message = None;
        }
        let r = self.apply(action);
        self.report(r);
    }

    fn report(&mut self, r: Result<()>) {
        if let Err(e) = r {
            let text = self
                .busy_text(&e)
                .unwrap_or_else(|| format!("{}: {e:#}", t(self.lang, S::Error)));
            self.message = Some(Message { text, error: true });
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
        if matches!(action, Action::Tick | Action::Refresh) {
            self.watch_db_file();
        }
        if self.writes(&action) && !self.watch_db_file() {
            self.message = Some(Message {
                text: t(self.lang, S::DbWriteRefused).to_string(),
                error: true,
            });
            return Ok(());
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Resize(w, hh) => {
                self.size = (w, hh);
                let h = self.list_height();
                self.customers.scroll_into_view(h);
                self.orders.scroll_into_view(h);
                self.complaints.scroll_into_view(h);
                self.ledger.scroll_into_view(h);
                let size = self.size;
                for p in &mut self.popups {
                    match p {
                        Popup::Help { scroll, screen } => {
                            *scroll = (*scroll).min(help_scroll_max(screen, size));
                        }
                        Popup::Analysis { stats, scroll, .. } => {
                            *scroll = (*scroll).min(analysis_scroll_max(stats, size));
                        }
                        _ => {}
                    }
                }
            }
            // Tabs switch from anywhere: open cards and views close first.
            Action::NextTab => {
                self.popups.clear();
                self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()];
            }
            Action::PrevTab => {
                self.popups.clear();
                self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % 4];
            }
            Action::GoTab(i) => {
                if let Some(tab) = Tab::ALL.get(usize::from(i)) {
                    self.popups.clear();
                    self.tab = *tab;
                }
            }
            Action::OpenLookup => {
                if !matches!(self.popups.last(), Some(Popup::Lookup(_))) {
                    self.popups.push(Popup::Lookup(LookupState::default()));
                }
            }
            Action::OpenHelp => {
                if !matches!(self.popups.last(), Some(Popup::Help { .. })) {
                    let screen = self.contexts();
                    self.popups.push(Popup::Help { scroll: 0, screen });
                }
            }
            Action::Back => self.back(),
            Action::Refresh => self.reload_views()?,
            Action::Up => self.move_by(-1)?,
            Action::Down => self.move_by(1)?,
            Action::PageUp => self.move_by(-(h as isize))?,
            Action::PageDown => self.move_by(h as isize)?,
            Action::Top => self.jump(false)?,
            Action::Bottom => self.jump(true)?,
            Action::Open => self.open()?,
            Action::CycleSort => match self.tab {
                Tab::Customers => {
                    self.customer_query.sort = match self.customer_query.sort {
                        CustomerSort::LastOrder => CustomerSort::Paid,
                        CustomerSort::Paid => CustomerSort::LastOrder,
                    };
                    self.load_customers()?;
                }
                // The other lists have one order, read either way round.
                Tab::Orders => {
                    self.order_query.oldest_first = !self.order_query.oldest_first;
                    self.load_orders()?;
                }
                Tab::Complaints => {
                    self.complaints_oldest_first = !self.complaints_oldest_first;
                    self.load_complaints()?;
                }
                Tab::Points => {
                    self.ledger_newest_first = !self.ledger_newest_first;
                    self.load_side()?;
                }
            },
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
                Tab::Complaints => {
                    self.complaints_open_only = !self.complaints_open_only;
                    self.load_complaints()?;
                }
                Tab::Points => {}
            },
            Action::CycleSegment => {
                let q = &mut self.customer_query;
                q.segment = next_in(crate::domain::segment::Segment::ALL, q.segment);
                self.load_customers()?;
            }
            Action::CycleTier => {
                use crate::domain::tier::Tier;
                const ALL: [Tier; 4] = [Tier::Regular, Tier::Silver, Tier::Gold, Tier::Diamond];
                self.customer_query.tier = next_in(&ALL, self.customer_query.tier);
                self.load_customers()?;
            }
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
                    self.popups
                        .push(Popup::Input(InputState::new(purpose, String::new())));
                }
            }
            Action::ToggleBlacklist => self.toggle_blacklist(),
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
                    Some(Popup::Input(i)) => {
                        i.text.push_str(&clean);
                        i.error = None;
                    }
                    Some(Popup::Form(f)) => f.insert(&clean),
                    Some(Popup::Import(ImportView::Path { text, .. })) => text.push_str(&clean),
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
                    Some(Popup::Form(f)) => {
                        if clear {
                            f.clear();
                        } else {
                            f.backspace();
                        }
                    }
                    Some(Popup::Import(ImportView::Path { text, candidates })) => {
                        if clear {
                            text.clear();
                        } else {
                            text.pop();
                        }
                        candidates.clear();
                    }
                    _ => {}
                }
            }
            Action::OpenImport => self.open_import(),
            Action::Complete => {
                if let Some(Popup::Import(ImportView::Path { text, candidates })) =
                    self.popups.last_mut()
                {
                    let (t, c) = import::complete(text);
                    *text = t;
                    *candidates = c;
                }
            }
            Action::Tick => {
                self.tick()?;
                self.retry_pending()?;
            }
            Action::NewComplaint => self.new_complaint_form(),
            Action::MoveComplaint => self.move_complaint_form(),
            Action::Redeem | Action::Adjust => self.points_form(action == Action::Redeem),
            Action::OpenLedger => self.open_ledger()?,
            Action::FindOrder => self.ask_order_no(),
            Action::OpenAnalysis => {
                let stats = self.store.complaint_stats(&self.sla)?;
                self.popups.push(Popup::Analysis {
                    stats,
                    scroll: 0,
                    selected: 0,
                });
            }
            Action::NextSection => self.card_section(1),
            Action::PrevSection => self.card_section(-1),
            Action::EditNote => self.edit_note(),
            Action::DeleteNote => self.delete_note(),
            Action::OpenHistory => self.open_history()?,
            Action::OpenCustomer => self.open_customer()?,
            Action::ConfirmYes => self.confirm_yes()?,
            Action::ConfirmNo => {
                self.popups.pop();
            }
            Action::NextField | Action::PrevField => {
                if let Some(Popup::Form(f)) = self.popups.last_mut() {
                    f.focus_by(if action == Action::NextField { 1 } else { -1 });
                }
            }
            Action::ChoiceNext | Action::ChoicePrev => {
                if let Some(Popup::Form(f)) = self.popups.last_mut() {
                    f.cycle(if action == Action::ChoiceNext { 1 } else { -1 });
                }
            }
        }
        Ok(())
    }

    /// Whether `action` may write to the database (it is checked first).
    /// An action that writes must be listed here.
    fn writes(&self, action: &Action) -> bool {
        match action {
            // A yes to a question: taking a buyer off the blacklist, deleting a note.
            Action::ToggleBlacklist | Action::ConfirmYes => true,
            Action::Open => matches!(
                self.popups.last(),
                Some(Popup::Input(_) | Popup::Form(_) | Popup::Import(ImportView::Path { .. }))
            ),
            _ => false,
        }
    }

    /// True while the database file is still the one opened; the first time
    /// it is not, say so loudly.
    fn watch_db_file(&mut self) -> bool {
        if self.db_change.is_none() {
            self.db_change = self.db_watch.check();
            if let Some(c) = self.db_change {
                self.message = Some(Message {
                    text: t(self.lang, db_change_text(c)).to_string(),
                    error: true,
                });
            }
        }
        self.db_change.is_none()
    }

    fn move_by(&mut self, delta: isize) -> Result<()> {
        let h = self.list_height();
        match self.popups.last_mut() {
            Some(Popup::Lookup(_)) => self.lookup_move(delta)?,
            Some(Popup::Card(c)) if c.section == CardSection::Orders => self.card_move(delta)?,
            Some(Popup::Card(c)) => c.move_by(delta),
            Some(Popup::Order(o)) => {
                o.scroll =
                    (i64::from(o.scroll) + delta as i64).clamp(0, order_scroll_max(o)) as u16;
            }
            Some(Popup::Help { scroll, screen }) => {
                let max = help_scroll_max(screen, self.size);
                *scroll = scrolled(*scroll, delta, max);
            }
            Some(Popup::Complaint(c)) => {
                let max = (c.detail.history.len() + 12) as i64;
                c.scroll = (i64::from(c.scroll) + delta as i64).clamp(0, max) as u16;
            }
            Some(Popup::Ledger(v)) => {
                v.scroll = scrolled(v.scroll, delta, ledger_scroll_max(v, self.size));
            }
            // ↑/↓ pick a repeat complainer; a page scrolls the view.
            Some(Popup::Analysis {
                stats,
                scroll,
                selected,
            }) => {
                if delta.abs() == 1 && !stats.repeat_complainers.is_empty() {
                    *selected = step(*selected, delta, stats.repeat_complainers.len());
                } else {
                    // A page moves the selection along: the drawing keeps the
                    // selection in sight, so the view could not move without it.
                    *scroll = scrolled(*scroll, delta, analysis_scroll_max(stats, self.size));
                    *selected = step(*selected, delta, stats.repeat_complainers.len());
                }
            }
            Some(Popup::Import(ImportView::Status { scroll })) => {
                let size = self.size;
                let max = self
                    .import_job
                    .as_ref()
                    .map_or(0, |j| import_scroll_max(j, size));
                *scroll = scrolled(*scroll, delta, max);
            }
            Some(Popup::History(v)) => {
                v.scroll = (i64::from(v.scroll) + delta as i64).clamp(0, v.scroll_max()) as u16;
            }
            Some(
                Popup::Input(_)
                | Popup::Form(_)
                | Popup::Confirm(_)
                | Popup::Import(ImportView::Path { .. }),
            ) => {}
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
                    let (store, sla, open, flip) = (
                        &self.store,
                        &self.sla,
                        self.complaints_open_only,
                        self.complaints_oldest_first,
                    );
                    self.complaints.move_by(delta, h, &mut |c, d, i, n| {
                        complaints_fetch(store, sla, open, flip, c, d, i, n)
                    })?;
                }
                Tab::Points => {
                    let (store, flip) = (&self.store, self.ledger_newest_first);
                    self.ledger.move_by(delta, h, &mut |c, d, i, n| {
                        ledger_fetch(store, flip, c, d, i, n)
                    })?;
                }
            },
        }
        Ok(())
    }

    fn jump(&mut self, bottom: bool) -> Result<()> {
        let h = self.list_height();
        match self.popups.last_mut() {
            Some(Popup::Card(c)) if c.section == CardSection::Orders && bottom => {
                self.card_bottom()?
            }
            Some(Popup::Card(c)) => c.move_by(if bottom { isize::MAX } else { isize::MIN }),
            Some(Popup::Order(o)) => {
                o.scroll = if bottom {
                    order_scroll_max(o) as u16
                } else {
                    0
                }
            }
            Some(Popup::Help { scroll, screen }) => {
                *scroll = if bottom {
                    help_scroll_max(screen, self.size)
                } else {
                    0
                }
            }
            Some(Popup::Ledger(v)) => {
                v.scroll = if bottom {
                    ledger_scroll_max(v, self.size)
                } else {
                    0
                }
            }
            Some(Popup::History(v)) => v.scroll = if bottom { v.scroll_max() as u16 } else { 0 },
            // g/G: the first or last repeat complainer picked, at the top or
            // the end of the view.
            Some(Popup::Analysis {
                stats,
                scroll,
                selected,
            }) => {
                *scroll = if bottom {
                    analysis_scroll_max(stats, self.size)
                } else {
                    0
                };
                *selected = if bottom {
                    stats.repeat_complainers.len().saturating_sub(1)
                } else {
                    0
                };
            }
            Some(Popup::Import(ImportView::Status { scroll })) => {
                *scroll = if bottom {
                    let size = self.size;
                    self.import_job
                        .as_ref()
                        .map_or(0, |j| import_scroll_max(j, size))
                } else {
                    0
                }
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
                    let (store, sla, open, flip) = (
                        &self.store,
                        &self.sla,
                        self.complaints_open_only,
                        self.complaints_oldest_first,
                    );
                    let mut f = |c: Option<&ComplaintRow>, d, i, n| {
                        complaints_fetch(store, sla, open, flip, c, d, i, n)
                    };
                    if bottom {
                        self.complaints.bottom(&mut f, h)?
                    } else {
                        self.complaints.top(&mut f)?
                    }
                }
                Tab::Points => {
                    let (store, flip) = (&self.store, self.ledger_newest_first);
                    let mut f =
                        |c: Option<&LedgerEntry>, d, i, n| ledger_fetch(store, flip, c, d, i, n);
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
                | Popup::Import(ImportView::Status { .. }),
            ) => {}
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

    /// `i`: the running or last import's status when there is one to see,
    /// else the path box.
    /// A finished import's summary, until the seller has seen it; in the
    /// summary, `i` asks for the next file.
    fn open_import(&mut self) {
        let path = ImportView::Path {
            text: self.import_start.clone(),
            candidates: Vec::new(),
        };
        match self.popups.last_mut() {
            Some(p @ Popup::Import(ImportView::Status { .. })) => {
                if !self.import_job.as_ref().is_some_and(ImportJob::running) {
                    *p = Popup::Import(path);
                }
                return;
            }
            Some(Popup::Import(_)) => return,
            _ => {}
        }
        let view = match &mut self.import_job {
            Some(job) if job.running() => ImportView::Status { scroll: 0 },
            Some(job) if !job.seen => {
                job.seen = true;
                ImportView::Status { scroll: 0 }
            }
            _ => path,
        };
        self.popups.push(Popup::Import(view));
    }

    fn start_import(&mut self, text: String) {
        if text.is_empty() || self.busy() {
            return;
        }
        let path = import::expand_home(&text);
        if !path.exists() {
            self.message = Some(Message {
                text: match self.lang {
                    Lang::Zh => format!("找不到 {text}：请检查路径（Tab 可补全）"),
                    Lang::En => format!("{text} does not exist: check the path (Tab completes)"),
                },
                error: true,
            });
            return;
        }
        self.import_job = Some(ImportJob::spawn(
            self.store.path().to_path_buf(),
            text,
            vec![path],
            self.per_yuan,
            self.lang,
        ));
        if let Some(p @ Popup::Import(_)) = self.popups.last_mut() {
            *p = Popup::Import(ImportView::Status { scroll: 0 });
        }
    }

    /// Take in the background import's reports; when it is done, show the
    /// new data and say so.
    fn tick(&mut self) -> Result<()> {
        let Some(job) = self.import_job.as_mut() else {
            return Ok(());
        };
        job.poll();
        if job.running() || job.announced {
            return Ok(());
        }
        job.announced = true;
        // The summary is on screen already when its popup is open.
        job.seen = matches!(
            self.popups.last(),
            Some(Popup::Import(ImportView::Status { .. }))
        );
        let text = match &job.result {
            Some(Ok(run)) => {
                // The totals under the names the summary (and `kehu import`) uses.
                use crate::db::Count;
                let lang = self.lang;
                let total = |c: Count| -> String {
                    let n: u64 = run
                        .summaries
                        .iter()
                        .flat_map(|s| s.counts())
                        .filter(|(k, _)| *k == c)
                        .map(|(_, n)| n)
                        .sum();
                    format!("{} {n}", c.label(lang))
                };
                let counts = [
                    Count::OrdersNew,
                    Count::OrdersUpdated,
                    Count::OrdersUnchanged,
                    Count::Rejected,
                ]
                .map(total)
                .join(" · ");
                match lang {
                    Lang::Zh => format!(
                        "导入完成：{counts}，拒收文件 {}（i 查看）",
                        run.refused.len()
                    ),
                    Lang::En => format!(
                        "import done: {counts}, {} files refused (i shows)",
                        run.refused.len()
                    ),
                }
            }
            Some(Err(e)) => format!("{}: {e}", t(self.lang, S::Error)),
            None => return Ok(()),
        };
        let error = matches!(job.result, Some(Err(_)));
        self.reload_views()?;
        self.message = Some(Message { text, error });
        Ok(())
    }

    /// The customer a card-level action is about: the open card's.
    fn card_customer(&self) -> Option<(i64, String)> {
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

    fn new_complaint_form(&mut self) {
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
                    crate::ui::strings::status(lang, &o.status)
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

    fn move_complaint_form(&mut self) {
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

    fn points_form(&mut self, redeem: bool) {
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

    fn open_ledger(&mut self) -> Result<()> {
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

    fn form_error(&mut self, text: String) -> Result<()> {
        if let Some(Popup::Form(f)) = self.popups.last_mut() {
            f.error = Some(text);
        }
        Ok(())
    }

    /// Enter on a form: check it, write it, close it. A refusal (a required
    /// field empty, a number out of range, a redemption above the balance)
    /// stays in the form with the reason, and nothing is written.
    fn save_form(&mut self) -> Result<()> {
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
                    None => self.busy_text(&e).unwrap_or_else(|| format!("{e:#}")),
                };
                self.form_error(text)
            }
        }
    }

    fn open_card(&mut self, id: i64) -> Result<()> {
        match self.store.customer_card(id, CARD_RECENT)? {
            Some(card) => {
                let complaint_list = customer_complaints(&self.store, &self.sla, id)?;
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
                }))
            }
            None => self.info(S::MsgGone),
        }
        Ok(())
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

    fn load_complaints(&mut self) -> Result<()> {
        let (store, sla, open, flip) = (
            &self.store,
            &self.sla,
            self.complaints_open_only,
            self.complaints_oldest_first,
        );
        self.complaints
            .top(&mut |c, d, i, n| complaints_fetch(store, sla, open, flip, c, d, i, n))
    }

    fn load_side(&mut self) -> Result<()> {
        self.load_complaints()?;
        let (store, flip) = (&self.store, self.ledger_newest_first);
        self.ledger
            .top(&mut |c, d, i, n| ledger_fetch(store, flip, c, d, i, n))
    }

    fn load_counts(&mut self) -> Result<()> {
        self.now = crate::domain::time::beijing_now();
        self.counts = self.store.counts()?;
        let s = self.store.complaint_stats(&self.sla)?;
        self.complaint_counts = (s.open, s.overdue);
        Ok(())
    }

    fn load_all(&mut self) -> Result<()> {
        self.load_counts()?;
        self.load_customers()?;
        self.load_orders()?;
        self.load_side()?;
        self.reload_popups()
    }

    /// After an edit or a refresh: lists keep their place, open cards re-read.
    fn reload_views(&mut self) -> Result<()> {
        let h = self.list_height();
        self.load_counts()?;
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
            let (store, sla, open, flip) = (
                &self.store,
                &self.sla,
                self.complaints_open_only,
                self.complaints_oldest_first,
            );
            self.complaints.reload(
                &mut |c, d, i, n| complaints_fetch(store, sla, open, flip, c, d, i, n),
                h,
            )?;
            let newest = self.ledger_newest_first;
            self.ledger
                .reload(&mut |c, d, i, n| ledger_fetch(store, newest, c, d, i, n), h)?;
        }
        self.reload_popups()
    }

    fn reload_popups(&mut self) -> Result<()> {
        self.reload_lookup();
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
                    stats, selected, ..
                } => {
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

/// How far the order card may scroll: roughly its line count (the drawing
/// clamps exactly; this only keeps `k` from having to unwind a long overshoot).
fn order_scroll_max(o: &OrderState) -> i64 {
    let d = &o.detail;
    let text =
        d.message.lines().count() + d.remark.lines().count() + d.close_reason.lines().count();
    (d.lines.len() + text + 12) as i64
}

/// A customer's complaints for the card: those still open or in progress
/// first (what the seller must act on), each part newest first.
fn customer_complaints(store: &Store, sla: &Sla, customer_id: i64) -> Result<Vec<ComplaintRow>> {
    let mut all = store.complaints_page(false, Some(customer_id), i64::MAX, usize::MAX, sla)?;
    let done = |c: &ComplaintRow| !matches!(c.status.as_str(), "open" | "processing");
    all.sort_by(|a, b| (done(a), &b.created_at, b.id).cmp(&(done(b), &a.created_at, a.id)));
    Ok(all)
}

/// Complaints still open or in progress.
fn open_count(all: &[ComplaintRow]) -> usize {
    all.iter()
        .filter(|c| matches!(c.status.as_str(), "open" | "processing"))
        .count()
}

/// One customer's points view: balance, tier and the newest entries.
fn ledger_view(
    store: &Store,
    tiers: &TierThresholds,
    customer_id: i64,
) -> Result<Option<LedgerView>> {
    let Some(points) = store.points_balance(customer_id, tiers)? else {
        return Ok(None);
    };
    let mut entries = store.ledger_page(Some(customer_id), i64::MIN, usize::MAX)?;
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

/// What the header says about a replaced or deleted database file.
pub fn db_change_text(c: DbFileChange) -> S {
    match c {
        DbFileChange::Replaced => S::DbReplaced,
        DbFileChange::Deleted => S::DbDeleted,
    }
}

/// How far a customer's ledger scrolls: until its oldest entry is on the
/// last row (the balance line, a note on earlier entries, a blank line and
/// the column headings sit above the rows).
fn ledger_scroll_max(v: &LedgerView, size: (u16, u16)) -> u16 {
    let top = 2 + usize::from(v.earlier) + 1;
    clamp_u16(
        v.entries
            .len()
            .saturating_sub(popup_rows(size).saturating_sub(top)),
    )
}

/// Rows inside a popup that takes the whole screen between header and
/// footer, less its border.
fn popup_rows(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(4))
}

/// Lines of the analysis view: the totals, then per section a blank line,
/// its title and a line per row (or one saying there is none).
pub fn analysis_lines(s: &ComplaintStats) -> usize {
    1 + [
        s.by_category.len(),
        s.by_month.len(),
        s.repeat_complainers.len(),
    ]
    .iter()
    .map(|n| 2 + n.max(&1))
    .sum::<usize>()
}

/// How far the analysis view scrolls: until its last line is at the bottom.
fn analysis_scroll_max(s: &ComplaintStats, size: (u16, u16)) -> u16 {
    clamp_u16(analysis_lines(s).saturating_sub(popup_rows(size)))
}

/// `cur` moved by `delta`, within `0..=max`.
fn scrolled(cur: u16, delta: isize, max: u16) -> u16 {
    (i64::from(cur) + delta as i64).clamp(0, i64::from(max)) as u16
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// How far the import summary may scroll: about until its last line is at
/// the bottom (a few lines per file, two or three per rejected row; the
/// drawing clamps exactly).
fn import_scroll_max(job: &ImportJob, size: (u16, u16)) -> u16 {
    let lines = match &job.result {
        Some(Ok(run)) => {
            let rejected: usize = run.summaries.iter().map(|s| s.rejected.len()).sum();
            // A rejected row takes its line and a wrapped reason; a refused
            // file its name and a wrapped reason.
            3 * rejected + 6 * (run.summaries.len() + run.refused.len()) + 4
        }
        _ => 0,
    };
    clamp_u16(lines.saturating_sub(popup_rows(size)))
}

/// Where the seller's exports most likely are: the downloads folder when
/// there is one, else the folder kehu was started in.
fn import_start_dir() -> String {
    let dir = directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(|d| d.to_path_buf()))
        .filter(|d| d.is_dir())
        .or_else(|| std::env::current_dir().ok());
    match dir {
        Some(d) => {
            let s = d.display().to_string();
            if s.ends_with('/') { s } else { format!("{s}/") }
        }
        None => String::new(),
    }
}

/// How far the help scrolls: until its tallest column's last line is at the bottom.
fn help_scroll_max(screen: &[Ctx], size: (u16, u16)) -> u16 {
    let width = usize::from(size.0.saturating_sub(2));
    clamp_u16(keymap::help_height(screen, width).saturating_sub(popup_rows(size)))
}

/// A filter's next value: from none to the first of `all`, then each in turn,
/// and after the last back to none.
fn next_in<T: Copy + PartialEq>(all: &[T], cur: Option<T>) -> Option<T> {
    match cur {
        None => all.first().copied(),
        Some(c) => all
            .iter()
            .position(|x| *x == c)
            .and_then(|i| all.get(i + 1))
            .copied(),
    }
}

fn step(cur: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as isize + delta).clamp(0, len as isize - 1) as usize
}

/// Complaints for the paged list, newest first. The Store reads downwards by
/// id; upwards reads a widening id window above the cursor.
#[allow(clippy::too_many_arguments)] // the list's options, then the Fetch shape
fn complaints_fetch(
    store: &Store,
    sla: &Sla,
    open_only: bool,
    oldest_first: bool,
    cur: Option<&ComplaintRow>,
    dir: Direction,
    incl: bool,
    n: usize,
) -> Result<Vec<ComplaintRow>> {
    flip_read(oldest_first, dir, |d| {
        complaints_read(store, sla, open_only, cur, d, incl, n)
    })
}

fn complaints_read(
    store: &Store,
    sla: &Sla,
    open_only: bool,
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
            store.complaints_page(open_only, None, before, n, sla)
        }
        Direction::Up => {
            // Rows above `low` (exclusive), the `n` nearest to it, in list
            // order. From the list's far end (no cursor) that is the oldest.
            let low = match cur {
                Some(r) if incl => r.id - 1,
                Some(r) => r.id,
                None => i64::MIN,
            };
            let mut rows = store.complaints_page_after(open_only, None, low, n, sla)?;
            rows.reverse();
            Ok(rows)
        }
    }
}

/// Ledger entries for the paged list, oldest first. The Store reads upwards
/// by id; reading back reads a widening id window below the cursor.
fn ledger_fetch(
    store: &Store,
    newest_first: bool,
    cur: Option<&LedgerEntry>,
    dir: Direction,
    incl: bool,
    n: usize,
) -> Result<Vec<LedgerEntry>> {
    flip_read(newest_first, dir, |d| ledger_read(store, cur, d, incl, n))
}

fn ledger_read(
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
