//! The app's state: the tabs, the popups that can sit over them (cards,
//! boxes, forms, views) and what each holds, and the `App` itself with how it
//! is built and what it says about its focus.

use super::card::{ConfirmState, HistoryView};
use super::form::Form;
use super::import::ImportJob;
use super::keymap::Ctx;
use super::list::Paged;
use super::lookup::LookupState;
use super::pending::PendingWrite;
use super::watch::{self, DbFileChange};
use super::{CardSection, LIST_CHROME};
use crate::db::{
    ComplaintDetail, ComplaintRow, ComplaintStats, CustomerCard, CustomerQuery, CustomerRow,
    LedgerEntry, OrderDetail, OrderQuery, OrderRow, PointsBalance, Store,
};
use crate::domain::complaint::{Category, Sla};
use crate::domain::tier::TierThresholds;
use crate::i18n::Lang;
use crate::i18n::app::S;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Whom to contact today and why (the app opens here).
    Today,
    Customers,
    Orders,
    Complaints,
    Points,
}

impl Tab {
    /// In the tab bar's order; key `0` is the first, `1`–`4` the rest.
    pub const ALL: [Tab; 5] = [
        Tab::Today,
        Tab::Customers,
        Tab::Orders,
        Tab::Complaints,
        Tab::Points,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn label(self) -> S {
        match self {
            Tab::Today => S::TabToday,
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
    /// The customer's follow-ups, open ones first.
    pub followups: Vec<crate::model::FollowupRow>,
    pub followup_selected: usize,
    pub satisfaction: super::CardSatisfaction,
    /// The customer's predictions (`None` before any refresh).
    pub prediction: Option<Box<crate::model::CustomerPrediction>>,
    /// What the buyer might want next, and why (个性化推荐).
    pub suggestions: Vec<crate::model::Suggestion>,
    /// Who may be the same person, every identity, the merges (可能是同一人).
    pub merge: Box<super::CardMerge>,
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
    /// Why follow-up `id` is skipped.
    SkipFollowup(i64),
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
    NewComplaint {
        customer_id: i64,
    },
    MoveComplaint {
        id: i64,
    },
    Redeem {
        customer_id: i64,
    },
    Adjust {
        customer_id: i64,
    },
    /// Follow-up `id` done: what came of it and a satisfaction score.
    FinishFollowup {
        id: i64,
    },
    /// A follow-up for customer `customer_id`: due date, reason, note.
    AddFollowup {
        customer_id: i64,
    },
    /// A satisfaction score heard from customer `customer_id`: score, source, text.
    AddFeedback {
        customer_id: i64,
    },
    /// Erase customer `customer_id`: the seller types the confirmation word.
    Erase {
        customer_id: i64,
    },
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
        /// Satisfaction by category and by month.
        satisfaction: SatisfactionView,
    },
    /// A yes/no question before something that cannot be taken back.
    Confirm(ConfirmState),
    History(HistoryView),
    /// The campaigns with their reports.
    Campaigns(super::CampaignsView),
    /// The shop analysis: sales, buyers, segments, top items.
    ShopAnalysis(super::ShopAnalysisView),
}

/// Satisfaction as the complaint analysis shows it.
#[derive(Debug, Clone, Default)]
pub struct SatisfactionView {
    /// By complaint category (`none`: feedback not about a complaint).
    pub by_category: crate::model::Satisfaction,
    /// By month, oldest first.
    pub by_month: crate::model::Satisfaction,
}

impl SatisfactionView {
    pub(super) fn read(app: &App) -> anyhow::Result<SatisfactionView> {
        use crate::model::SatisfactionBy;
        let q = &app.customer_query;
        Ok(SatisfactionView {
            by_category: app.store.satisfaction(
                SatisfactionBy::Category,
                &q.segment_rules,
                &app.tiers,
            )?,
            by_month: app.store.satisfaction(
                SatisfactionBy::Month,
                &q.segment_rules,
                &app.tiers,
            )?,
        })
    }

    /// Lines it takes: per section a blank line, its title, and a line per
    /// group (or one saying there is none).
    pub fn lines(&self) -> usize {
        [&self.by_category, &self.by_month]
            .iter()
            .map(|s| 2 + s.groups.len().max(1))
            .sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// How long the app's own writes wait for another writer before queuing.
const INTERACTIVE_BUSY: std::time::Duration = std::time::Duration::from_millis(100);

pub struct App {
    pub(super) store: Store,
    pub lang: Lang,
    /// The database file name, for the header.
    pub db_name: String,
    pub counts: (i64, i64),
    /// Complaints open (or in progress), and of those overdue.
    pub complaint_counts: (i64, i64),
    pub tab: Tab,
    /// Today: the list as read, and its items one per line.
    pub today: super::today::TodayView,
    /// Months after which points expire (0: never), for Today.
    pub expiry_months: u32,
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
    /// The config's database settings (the points rule): what imports
    /// started here open their store with.
    pub settings: crate::db::Settings,
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
    pub(super) db_watch: watch::DbWatch,
    /// The shop analysis as last read: opening it again shows it at once;
    /// every re-read of the views (an edit, an import, `Ctrl-R`) drops it.
    pub(super) shop_analysis: Option<crate::model::Analysis>,
    /// The shop analysis being read in the background.
    pub(super) analysis_job: Option<super::shop_analysis::AnalysisJob>,
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
        let synced = store.apply_settings(&config.store_settings());
        // A write into a file replaced or deleted meanwhile is rolled back,
        // whatever action makes it (the app also checks before it writes).
        let guarded = store.guard_file();
        // Predictions for today (once a day; an import refreshes them too).
        let predicted = store.ensure_predictions().map(|_| ());
        let mut app = App {
            store,
            lang,
            db_name,
            counts: (0, 0),
            complaint_counts: (0, 0),
            tab: Tab::Today,
            today: super::today::TodayView::default(),
            expiry_months: config.points.expiry_months,
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
            settings: config.store_settings(),
            import_start: super::import_popup::import_start_dir(),
            import_job: None,
            pending: Vec::new(),
            now: crate::domain::time::beijing_now(),
            popups: Vec::new(),
            message: None,
            size: (80, 24),
            quit: false,
            db_change: None,
            db_watch,
            shop_analysis: None,
            analysis_job: None,
        };
        app.report(quick);
        app.report(synced);
        app.report(guarded);
        app.report(predicted);
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
            Some(Popup::Ledger(_) | Popup::History(_) | Popup::Campaigns(_)) => {
                vec![Ctx::Nav, Ctx::Global]
            }
            Some(Popup::ShopAnalysis(_)) => vec![Ctx::Global],
            Some(Popup::Confirm(_)) => vec![Ctx::Confirm],
            None => {
                let tab = match self.tab {
                    Tab::Today => Ctx::Today,
                    Tab::Customers => Ctx::Customers,
                    Tab::Orders => Ctx::Orders,
                    Tab::Complaints => Ctx::Complaints,
                    Tab::Points => Ctx::Points,
                };
                // The tabs' own keys (import, the shop analysis) after the global ones:
                // the footer keeps lookup, help and quit first when it is narrow.
                vec![tab, Ctx::Nav, Ctx::Global, Ctx::Tabs]
            }
        }
    }
}

/// What the header says about a replaced or deleted database file.
pub fn db_change_text(c: DbFileChange) -> S {
    match c {
        DbFileChange::Replaced => S::DbReplaced,
        DbFileChange::Deleted => S::DbDeleted,
    }
}
