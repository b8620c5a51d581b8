//! The terminal app's state and its one way of changing: `App::update(Action)`.
//! Keys become actions through the keymap; update may ask the Store; the `ui`
//! module draws `&App` and never touches the database.
//!
//! `state` holds the app and its screens, `update` turns actions into
//! changes, `lists` pages the tabs' lists through the generic keyset window of
//! `list`, `nav` moves and scrolls, `popups` opens and re-reads what sits over
//! the tabs, `forms` and `import_popup` what those popups save or start.

mod action;
mod campaigns;
mod card;
mod card_followups;
mod card_merge;
mod card_privacy;
pub mod form;
mod forms;
pub mod import;
mod import_popup;
pub mod keymap;
pub mod list;
mod lists;
mod lookup;
mod nav;
mod pending;
mod popups;
mod shop_analysis;
mod state;
mod today;
mod update;
mod watch;

pub use crate::model::{TodayItem, TodayKind};
pub use action::Action;
pub use campaigns::{CAMPAIGN_DAYS, CAMPAIGN_LINES, CampaignsView};
pub use card::{CardSection, ConfirmPurpose, ConfirmState, HistoryView};
pub use card_followups::{CARD_FOLLOWUPS, CardSatisfaction, FOLLOWUP_DAYS};
pub use card_merge::CardMerge;
pub use form::{Field, FieldKind, Form};
pub use import::ImportJob;
pub use keymap::{Ctx, Key};
pub use list::{Keyset, ListOp, Paged};
pub use lists::{ComplaintList, CustomerList, LedgerList, OrderList};
pub use lookup::{CARD_PAGE, LOOKUP_LIMIT, LookupState};
pub use nav::analysis_lines;
pub use pending::{PendingWrite, waiting_text};
pub use shop_analysis::ShopAnalysisView;
pub use state::{
    App, CardState, ComplaintState, FormPurpose, FormState, ImportView, InputPurpose, InputState,
    LedgerView, Message, OrderState, Popup, SatisfactionView, Tab, db_change_text,
};
pub use today::TodayView;
pub use watch::DbFileChange;

use nav::step;

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
