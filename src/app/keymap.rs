//! Every key binding, in one table: the app routes keys through it, and the
//! help overlay and the footer hints are generated from it.

use super::Action;
use crate::i18n::app::S;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as the app sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    /// A function key: F1 is help, also while typing.
    F(u8),
}

impl Key {
    /// The app's view of a terminal key event (presses only are passed here).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        Some(match ev.code {
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::F(n) => Key::F(n),
            _ => return None,
        })
    }

    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "S-Tab".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::Backspace => "Bksp".into(),
            Key::F(n) => format!("F{n}"),
        }
    }
}

/// Where a binding applies. The app asks the contexts of the focused thing
/// first (an open popup, then the active tab), then the shared ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    /// Anywhere except while typing.
    Global,
    /// When no popup is open.
    Tabs,
    /// In any list (tabs, card's recent orders, scrollable views).
    Nav,
    Today,
    Customers,
    Orders,
    Complaints,
    Points,
    Lookup,
    Card,
    OrderCard,
    ComplaintCard,
    Input,
    Form,
    ImportPath,
    /// A finished import's summary.
    ImportStatus,
    Help,
    /// The complaint analysis.
    Analysis,
    /// A yes/no question: keys not bound here answer no.
    Confirm,
}

impl Ctx {
    pub fn title(self) -> S {
        match self {
            Ctx::Global => S::CtxGlobal,
            Ctx::Tabs => S::CtxTabs,
            Ctx::Nav => S::CtxNav,
            Ctx::Today => S::TabToday,
            Ctx::Customers => S::TabCustomers,
            Ctx::Orders => S::TabOrders,
            Ctx::Complaints => S::TabComplaints,
            Ctx::Points => S::TabPoints,
            Ctx::ComplaintCard => S::ComplaintTitle,
            Ctx::Form => S::CtxForm,
            Ctx::ImportPath => S::ImportTitle,
            Ctx::ImportStatus => S::ImportSummaryTitle,
            Ctx::Lookup => S::LookupTitle,
            Ctx::Card => S::CardTitle,
            Ctx::OrderCard => S::OrderCardTitle,
            Ctx::Input => S::CtxInput,
            Ctx::Analysis => S::AnalysisTitle,
            Ctx::Confirm => S::ConfirmTitle,
            Ctx::Help => S::HelpOther,
        }
    }
}

pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [Key],
    pub action: Action,
    pub label: S,
    /// Shown in the footer hints.
    pub footer: bool,
}

impl Binding {
    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("/")
    }
}

const fn b(ctx: Ctx, keys: &'static [Key], action: Action, label: S, footer: bool) -> Binding {
    Binding {
        ctx,
        keys,
        action,
        label,
        footer,
    }
}

use Key as K;

#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    // Typing contexts bind no printable characters: those are text.
    b(Ctx::Lookup, &[K::Up, K::Ctrl('p')], Action::Up, S::KeyUp, false),
    b(Ctx::Lookup, &[K::Down, K::Ctrl('n')], Action::Down, S::KeyDown, false),
    b(Ctx::Lookup, &[K::PageDown], Action::PageDown, S::KeyPageDown, false),
    b(Ctx::Lookup, &[K::PageUp], Action::PageUp, S::KeyPageUp, false),
    b(Ctx::Lookup, &[K::Enter], Action::Open, S::KeyOpenCard, true),
    b(Ctx::Lookup, &[K::Backspace], Action::Backspace, S::KeyBackspace, false),
    b(Ctx::Lookup, &[K::Ctrl('u')], Action::ClearText, S::KeyClear, true),
    b(Ctx::Lookup, &[K::Esc], Action::Back, S::KeyClose, true),
    b(Ctx::Lookup, &[K::F(1)], Action::OpenHelp, S::KeyHelp, true),
    b(Ctx::Lookup, &[K::Ctrl('c')], Action::Quit, S::KeyQuit, false),
    b(Ctx::Input, &[K::Enter], Action::Open, S::KeySave, true),
    b(Ctx::Input, &[K::Backspace], Action::Backspace, S::KeyBackspace, false),
    b(Ctx::Input, &[K::Ctrl('u')], Action::ClearText, S::KeyClear, true),
    b(Ctx::Input, &[K::Esc], Action::Back, S::KeyCancel, true),
    b(Ctx::Input, &[K::F(1)], Action::OpenHelp, S::KeyHelp, true),
    b(Ctx::Input, &[K::Ctrl('c')], Action::Quit, S::KeyQuit, false),
    b(Ctx::Form, &[K::Enter], Action::Open, S::KeySave, true),
    b(Ctx::Form, &[K::Tab, K::Down], Action::NextField, S::KeyNextField, true),
    b(Ctx::Form, &[K::BackTab, K::Up], Action::PrevField, S::KeyPrevField, false),
    b(Ctx::Form, &[K::Right], Action::ChoiceNext, S::KeyChoice, true),
    b(Ctx::Form, &[K::Left], Action::ChoicePrev, S::KeyChoicePrev, false),
    b(Ctx::Form, &[K::Backspace], Action::Backspace, S::KeyBackspace, false),
    b(Ctx::Form, &[K::Ctrl('u')], Action::ClearText, S::KeyClear, false),
    b(Ctx::Form, &[K::Esc], Action::Back, S::KeyCancel, true),
    b(Ctx::Form, &[K::F(1)], Action::OpenHelp, S::KeyHelp, true),
    b(Ctx::Form, &[K::Ctrl('c')], Action::Quit, S::KeyQuit, false),
    b(Ctx::ImportPath, &[K::Enter], Action::Open, S::KeyStartImport, true),
    b(Ctx::ImportPath, &[K::Tab], Action::Complete, S::KeyComplete, true),
    b(Ctx::ImportPath, &[K::Backspace], Action::Backspace, S::KeyBackspace, false),
    b(Ctx::ImportPath, &[K::Ctrl('u')], Action::ClearText, S::KeyClear, true),
    b(Ctx::ImportPath, &[K::Esc], Action::Back, S::KeyCancel, true),
    b(Ctx::ImportPath, &[K::F(1)], Action::OpenHelp, S::KeyHelp, true),
    b(Ctx::ImportPath, &[K::Ctrl('c')], Action::Quit, S::KeyQuit, false),
    b(Ctx::ImportStatus, &[K::Char('i'), K::Enter], Action::OpenImport, S::KeyImportNext, true),
    b(Ctx::ImportStatus, &[K::Char('u')], Action::UndoImport, S::KeyUndoImport, true),
    b(Ctx::ImportStatus, &[K::Esc], Action::Back, S::KeyClose, true),
    // The help takes only its own keys: it scrolls and closes.
    b(Ctx::Help, &[K::Esc, K::Char('?'), K::F(1)], Action::Back, S::KeyClose, true),
    b(Ctx::Help, &[K::Char('j'), K::Down], Action::Down, S::KeyDown, false),
    b(Ctx::Help, &[K::Char('k'), K::Up], Action::Up, S::KeyUp, false),
    b(Ctx::Help, &[K::PageDown, K::Ctrl('d')], Action::PageDown, S::KeyPageDown, true),
    b(Ctx::Help, &[K::PageUp, K::Ctrl('b')], Action::PageUp, S::KeyPageUp, false),
    b(Ctx::Help, &[K::Char('g'), K::Home], Action::Top, S::KeyTop, false),
    b(Ctx::Help, &[K::Char('G'), K::End], Action::Bottom, S::KeyBottom, false),
    b(Ctx::Help, &[K::Char('q'), K::Ctrl('c')], Action::Quit, S::KeyQuit, false),
    b(Ctx::Card, &[K::Char('n')], Action::AddNote, S::KeyAddNote, true),
    b(Ctx::Card, &[K::Char('t')], Action::AddTag, S::KeyAddTag, true),
    b(Ctx::Card, &[K::Char('T')], Action::RemoveTag, S::KeyRemoveTag, false),
    b(Ctx::Card, &[K::Char('b')], Action::ToggleBlacklist, S::KeyBlacklist, true),
    b(Ctx::Card, &[K::Char('r')], Action::ToggleReveal, S::KeyReveal, true),
    b(Ctx::Card, &[K::Enter], Action::Open, S::KeyOpenSelected, true),
    b(Ctx::Card, &[K::Right], Action::NextSection, S::KeySection, true),
    b(Ctx::Card, &[K::Left], Action::PrevSection, S::KeySectionPrev, false),
    b(Ctx::Card, &[K::Char('c')], Action::NewComplaint, S::KeyNewComplaint, true),
    b(Ctx::Card, &[K::Char('p')], Action::Redeem, S::KeyRedeem, true),
    b(Ctx::Card, &[K::Char('a')], Action::Adjust, S::KeyAdjust, false),
    b(Ctx::Card, &[K::Char('l')], Action::OpenLedger, S::KeyLedger, true),
    b(Ctx::Card, &[K::Char('e')], Action::EditNote, S::KeyEditNote, false),
    b(Ctx::Card, &[K::Char('x')], Action::DeleteNote, S::KeyDeleteNote, false),
    b(Ctx::Card, &[K::Char('h')], Action::OpenHistory, S::KeyHistory, false),
    b(Ctx::Card, &[K::Char('m')], Action::MergeSuggested, S::KeyMerge, false),
    b(Ctx::Card, &[K::Char('N')], Action::DeclineMerge, S::KeyDeclineMerge, false),
    b(Ctx::Card, &[K::Char('U')], Action::UndoMerge, S::KeyUndoMerge, false),
    b(Ctx::Card, &[K::Char('f')], Action::AddFollowup, S::KeyAddFollowup, false),
    b(Ctx::Card, &[K::Char('v')], Action::AddFeedback, S::KeyAddFeedback, false),
    b(Ctx::Card, &[K::Char('E')], Action::ErasePerson, S::KeyErase, false),
    b(Ctx::Card, &[K::Char('d')], Action::FinishFollowup, S::KeyFollowupDone, false),
    b(Ctx::Card, &[K::Char('K')], Action::SkipFollowup, S::KeyFollowupSkip, false),
    b(Ctx::ComplaintCard, &[K::Char('m')], Action::MoveComplaint, S::KeyMoveComplaint, true),
    b(Ctx::ComplaintCard, &[K::Char('o')], Action::OpenCustomer, S::KeyOpenCustomer, true),
    b(Ctx::Analysis, &[K::Enter], Action::OpenCustomer, S::KeyOpenCustomer, true),
    b(Ctx::Confirm, &[K::Char('y')], Action::ConfirmYes, S::KeyConfirm, true),
    b(Ctx::Confirm, &[K::Char('n')], Action::ConfirmNo, S::KeyCancel, true),
    b(Ctx::Confirm, &[K::Esc], Action::Back, S::KeyBack, false),
    b(Ctx::Confirm, &[K::F(1)], Action::OpenHelp, S::KeyHelp, false),
    b(Ctx::Confirm, &[K::Ctrl('c')], Action::Quit, S::KeyQuit, false),
    b(Ctx::OrderCard, &[K::Char('r')], Action::ToggleReveal, S::KeyReveal, true),
    b(Ctx::Today, &[K::Enter], Action::Open, S::KeyOpenCard, true),
    b(Ctx::Today, &[K::Char('d')], Action::FinishFollowup, S::KeyFollowupDone, true),
    b(Ctx::Today, &[K::Char('k')], Action::SkipFollowup, S::KeyFollowupSkip, true),
    b(Ctx::Today, &[K::Char('c')], Action::OpenCampaigns, S::KeyCampaigns, true),
    b(Ctx::Customers, &[K::Enter], Action::Open, S::KeyOpenCard, true),
    b(Ctx::Customers, &[K::Char('s')], Action::CycleSort, S::KeySort, true),
    b(Ctx::Customers, &[K::Char('f')], Action::CycleFilter, S::KeyFilterBlacklist, true),
    b(Ctx::Customers, &[K::Char('e')], Action::CycleSegment, S::KeySegment, true),
    b(Ctx::Customers, &[K::Char('v')], Action::CycleTier, S::KeyTier, false),
    b(Ctx::Orders, &[K::Enter], Action::Open, S::KeyOpenOrder, true),
    b(Ctx::Orders, &[K::Char('s')], Action::CycleSort, S::KeySort, true),
    b(Ctx::Orders, &[K::Char('f')], Action::CycleFilter, S::KeyFilterStatus, true),
    b(Ctx::Orders, &[K::Char('d')], Action::CycleDays, S::KeyFilterDays, true),
    b(Ctx::Orders, &[K::Char('o')], Action::FindOrder, S::KeyFindOrder, false),
    b(Ctx::Complaints, &[K::Enter], Action::Open, S::KeyOpenComplaint, true),
    b(Ctx::Complaints, &[K::Char('m')], Action::MoveComplaint, S::KeyMoveComplaint, true),
    b(Ctx::Complaints, &[K::Char('f')], Action::CycleFilter, S::KeyFilterOpen, true),
    b(Ctx::Complaints, &[K::Char('a')], Action::OpenAnalysis, S::KeyAnalysis, true),
    b(Ctx::Complaints, &[K::Char('o')], Action::OpenCustomer, S::KeyOpenCustomer, false),
    b(Ctx::Complaints, &[K::Char('s')], Action::CycleSort, S::KeySort, false),
    b(Ctx::Points, &[K::Enter], Action::Open, S::KeyOpenCard, true),
    b(Ctx::Points, &[K::Char('s')], Action::CycleSort, S::KeySort, true),
    b(Ctx::Points, &[K::Char('c')], Action::OpenCampaigns, S::KeyCampaigns, false),
    b(Ctx::Nav, &[K::Char('j'), K::Down], Action::Down, S::KeyDown, false),
    b(Ctx::Nav, &[K::Char('k'), K::Up], Action::Up, S::KeyUp, false),
    b(Ctx::Nav, &[K::PageDown, K::Ctrl('d')], Action::PageDown, S::KeyPageDown, false),
    b(Ctx::Nav, &[K::PageUp, K::Ctrl('b')], Action::PageUp, S::KeyPageUp, false),
    b(Ctx::Nav, &[K::Char('g'), K::Home], Action::Top, S::KeyTop, false),
    b(Ctx::Nav, &[K::Char('G'), K::End], Action::Bottom, S::KeyBottom, false),
    b(Ctx::Global, &[K::Tab], Action::NextTab, S::KeyNextTab, false),
    b(Ctx::Global, &[K::BackTab], Action::PrevTab, S::KeyPrevTab, false),
    b(Ctx::Global, &[K::Char('0')], Action::GoTab(0), S::TabToday, false),
    b(Ctx::Global, &[K::Char('1')], Action::GoTab(1), S::TabCustomers, false),
    b(Ctx::Global, &[K::Char('2')], Action::GoTab(2), S::TabOrders, false),
    b(Ctx::Global, &[K::Char('3')], Action::GoTab(3), S::TabComplaints, false),
    b(Ctx::Global, &[K::Char('4')], Action::GoTab(4), S::TabPoints, false),
    b(Ctx::Tabs, &[K::Char('i')], Action::OpenImport, S::KeyImport, false),
    b(Ctx::Tabs, &[K::Char('a'), K::Char('A')], Action::OpenShopAnalysis, S::KeyShopAnalysis, true),
    b(Ctx::Global, &[K::Char('/')], Action::OpenLookup, S::KeyLookup, true),
    b(Ctx::Global, &[K::Char('?')], Action::OpenHelp, S::KeyHelp, true),
    b(Ctx::Global, &[K::F(1)], Action::OpenHelp, S::KeyHelp, false),
    b(Ctx::Global, &[K::Esc], Action::Back, S::KeyBack, false),
    b(Ctx::Global, &[K::Ctrl('r')], Action::Refresh, S::KeyRefresh, false),
    b(Ctx::Global, &[K::Char('q'), K::Ctrl('c')], Action::Quit, S::KeyQuit, true),
];

/// The first binding for `key` among `contexts`, in their order.
pub fn lookup(contexts: &[Ctx], key: Key) -> Option<&'static Binding> {
    contexts.iter().find_map(|ctx| {
        KEYMAP
            .iter()
            .find(|b| b.ctx == *ctx && b.keys.contains(&key))
    })
}

/// Footer hints for the given contexts: each action once, first context wins.
pub fn hints(contexts: &[Ctx]) -> Vec<&'static Binding> {
    let mut out: Vec<&'static Binding> = Vec::new();
    for ctx in contexts {
        for b in KEYMAP.iter().filter(|b| b.ctx == *ctx && b.footer) {
            // A key claimed by a more specific context does something else here.
            let shadowed = out
                .iter()
                .any(|o| o.keys.iter().any(|k| b.keys.contains(k)));
            if !shadowed && !out.iter().any(|o| o.action == b.action) {
                out.push(b);
            }
        }
    }
    out
}

/// A section of the help: a context, and its bindings with the keys they
/// take there.
pub type HelpSection = (Ctx, Vec<(&'static Binding, Vec<Key>)>);

/// What the help shows for a screen whose contexts are `contexts`: each
/// context in turn with the keys it takes there (a key an earlier context
/// claims is left out of the later ones), then the help's own keys.
pub fn help_sections(contexts: &[Ctx]) -> Vec<HelpSection> {
    let mut claimed: Vec<Key> = Vec::new();
    let mut out = Vec::new();
    for ctx in contexts.iter().filter(|c| **c != Ctx::Help) {
        let mut rows = Vec::new();
        let mut new_claims = Vec::new();
        for b in KEYMAP.iter().filter(|b| b.ctx == *ctx) {
            let keys: Vec<Key> = b
                .keys
                .iter()
                .copied()
                .filter(|k| !claimed.contains(k))
                .collect();
            new_claims.extend(keys.iter().copied());
            if !keys.is_empty() {
                rows.push((b, keys));
            }
        }
        claimed.extend(new_claims);
        if !rows.is_empty() {
            out.push((*ctx, rows));
        }
    }
    let own = KEYMAP
        .iter()
        .filter(|b| b.ctx == Ctx::Help)
        .map(|b| (b, b.keys.to_vec()))
        .collect();
    out.push((Ctx::Help, own));
    out
}

/// The help's columns in `width` cells: two when there is room, else one;
/// each lists the indices of the sections it holds (a section is its title
/// and a line per binding; a blank line goes between two).
pub fn help_columns(sections: &[HelpSection], width: usize) -> Vec<Vec<usize>> {
    let cols = if width >= 90 { 2 } else { 1 };
    let len = |i: usize| sections[i].1.len() + 2;
    let total: usize = (0..sections.len()).map(len).sum();
    let mut out = vec![Vec::new(); cols];
    let mut c = 0;
    let mut first_len = 0;
    for i in 0..sections.len() {
        if cols > 1 && c == 0 && !out[0].is_empty() && first_len + len(i) / 2 > total / 2 {
            c = 1;
        }
        if c == 0 {
            first_len += len(i);
        }
        out[c].push(i);
    }
    out
}

/// Lines of the help's tallest column in `width` cells.
pub fn help_height(contexts: &[Ctx], width: usize) -> usize {
    let sections = help_sections(contexts);
    help_columns(&sections, width)
        .iter()
        .map(|col| column_height(&sections, col))
        .max()
        .unwrap_or(0)
}

/// Lines of one help column holding `col` of `sections`.
pub fn column_height(sections: &[HelpSection], col: &[usize]) -> usize {
    let lines: usize = col.iter().map(|i| sections[*i].1.len() + 2).sum();
    lines.saturating_sub(1)
}

/// Keys as the help and footer write them: `j/↓`.
pub fn keys_label(keys: &[Key]) -> String {
    keys.iter().map(|k| k.label()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_contexts_bind_no_printable_characters() {
        for b in KEYMAP.iter().filter(|b| {
            matches!(
                b.ctx,
                Ctx::Lookup | Ctx::Input | Ctx::Form | Ctx::ImportPath
            )
        }) {
            assert!(
                !b.keys.iter().any(|k| matches!(k, Key::Char(_))),
                "{:?} binds a character",
                b.action
            );
        }
    }

    #[test]
    fn help_lists_the_screens_keys_first_and_each_key_once() {
        let card = [Ctx::Card, Ctx::Nav, Ctx::Global];
        let sections = help_sections(&card);
        let order: Vec<Ctx> = sections.iter().map(|s| s.0).collect();
        assert_eq!(order, [Ctx::Card, Ctx::Nav, Ctx::Global, Ctx::Help]);
        // Every key the card screen takes is listed once, under the context
        // that takes it.
        let mut seen = Vec::new();
        for (ctx, rows) in &sections[..3] {
            for (b, keys) in rows {
                for k in keys {
                    assert!(!seen.contains(k), "{k:?} twice");
                    seen.push(*k);
                    assert_eq!(lookup(&card, *k).map(|x| x.ctx), Some(*ctx));
                    assert_eq!(lookup(&card, *k).map(|x| &x.action), Some(&b.action));
                }
            }
        }
        // A typing screen lists its own keys and the help's, nothing global.
        let lookup_screen = help_sections(&[Ctx::Lookup]);
        assert_eq!(lookup_screen.len(), 2);
        assert!(
            lookup_screen[0]
                .1
                .iter()
                .any(|(b, _)| b.action == Action::OpenHelp)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                if a.ctx == b.ctx {
                    assert!(!a.keys.iter().any(|k| b.keys.contains(k)), "{:?}", a.action);
                }
            }
        }
    }
}
