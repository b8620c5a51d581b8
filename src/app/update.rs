//! How the app changes: a key or pasted text becomes an `Action`, and
//! `App::update` hands it to what it is about. The database file is checked
//! before anything that may write; an error becomes the message line.

use super::nav::{analysis_scroll_max, help_scroll_max};
use super::{Action, App, Ctx, ImportView, Key, Message, Popup, Tab, db_change_text, keymap};
use crate::i18n::app::{S, t};
use anyhow::Result;

impl App {
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

    pub(super) fn report(&mut self, r: Result<()>) {
        if let Err(e) = r {
            let text = self.busy_text(&e).unwrap_or_else(|| {
                format!(
                    "{}: {}",
                    t(self.lang, S::Error),
                    crate::i18n::error_text(&e, self.lang)
                )
            });
            self.message = Some(Message { text, error: true });
        }
    }

    pub(super) fn info(&mut self, s: S) {
        self.message = Some(Message {
            text: t(self.lang, s).to_string(),
            error: false,
        });
    }

    /// One action: checked against the database file first when it may
    /// write, then handed to what it is about (a list, a popup, a text box).
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
            Action::Resize(w, hh) => self.resize(w, hh),
            Action::NextTab => self.go_tab((self.tab.index() + 1) % Tab::ALL.len()),
            Action::PrevTab => {
                self.go_tab((self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len())
            }
            Action::GoTab(i) => {
                if usize::from(i) < Tab::ALL.len() {
                    self.go_tab(usize::from(i));
                }
            }
            Action::OpenLookup => self.open_lookup(),
            Action::OpenHelp => self.open_help(),
            Action::Back => self.back(),
            Action::Refresh => self.reload_views()?,
            Action::Up => self.move_by(-1)?,
            Action::Down => self.move_by(1)?,
            Action::PageUp => self.move_by(-(h as isize))?,
            Action::PageDown => self.move_by(h as isize)?,
            Action::Top => self.jump(false)?,
            Action::Bottom => self.jump(true)?,
            Action::Open => self.open()?,
            Action::CycleSort => self.cycle_sort()?,
            Action::CycleFilter => self.cycle_filter()?,
            Action::CycleSegment => self.cycle_segment()?,
            Action::CycleTier => self.cycle_tier()?,
            Action::CycleDays => self.cycle_days()?,
            Action::ToggleReveal => match self.popups.last_mut() {
                Some(Popup::Card(c)) => c.reveal = !c.reveal,
                Some(Popup::Order(o)) => o.reveal = !o.reveal,
                _ => {}
            },
            Action::AddNote | Action::AddTag | Action::RemoveTag => self.ask_card_text(&action),
            Action::ToggleBlacklist => self.toggle_blacklist(),
            Action::InsertText(s) => self.insert_text(&s),
            Action::Backspace => self.erase(false),
            Action::ClearText => self.erase(true),
            Action::OpenImport => self.open_import(),
            Action::Complete => self.complete_path(),
            Action::Tick => {
                self.tick()?;
                self.poll_shop_analysis();
                self.retry_pending()?;
            }
            Action::NewComplaint => self.new_complaint_form(),
            Action::MoveComplaint => self.move_complaint_form(),
            Action::Redeem | Action::Adjust => self.points_form(action == Action::Redeem),
            Action::OpenLedger => self.open_ledger()?,
            Action::FindOrder => self.ask_order_no(),
            Action::OpenAnalysis => self.open_analysis()?,
            Action::NextSection => self.card_section(1),
            Action::PrevSection => self.card_section(-1),
            Action::EditNote => self.edit_note(),
            Action::DeleteNote => self.delete_note(),
            Action::OpenHistory => self.open_history()?,
            Action::MergeSuggested => self.merge_suggested(),
            Action::DeclineMerge => self.decline_suggested()?,
            Action::UndoMerge => self.undo_merge_asked(),
            Action::UndoImport => self.undo_import_asked(),
            Action::OpenCustomer => self.open_customer()?,
            Action::ConfirmYes => self.confirm_yes()?,
            Action::FinishFollowup => self.finish_followup_form(),
            Action::SkipFollowup => self.ask_skip_reason(),
            Action::AddFollowup => self.add_followup_form(),
            Action::AddFeedback => self.add_feedback_form(),
            Action::ErasePerson => self.erase_form(),
            Action::OpenCampaigns => self.open_campaigns()?,
            Action::OpenShopAnalysis => self.open_shop_analysis()?,
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

    /// The terminal's new size: lists and views keep their selection in sight.
    fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
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
                Popup::Analysis {
                    stats,
                    scroll,
                    satisfaction,
                    ..
                } => {
                    *scroll = (*scroll).min(analysis_scroll_max(stats, satisfaction, size));
                }
                _ => {}
            }
        }
    }

    /// Tabs switch from anywhere: open cards and views close first.
    fn go_tab(&mut self, i: usize) {
        self.popups.clear();
        self.tab = Tab::ALL[i];
    }

    /// Text from keys or paste into the focused box: one line, no control
    /// characters.
    fn insert_text(&mut self, s: &str) {
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

    /// Backspace (`clear`: the whole text) in the focused box.
    fn erase(&mut self, clear: bool) {
        let cut = |s: &mut String| {
            if clear {
                s.clear();
            } else {
                s.pop();
            }
        };
        match self.popups.last_mut() {
            Some(Popup::Lookup(l)) => {
                cut(&mut l.query);
                self.run_lookup();
            }
            Some(Popup::Input(i)) => cut(&mut i.text),
            Some(Popup::Form(f)) => {
                if clear {
                    f.clear();
                } else {
                    f.backspace();
                }
            }
            Some(Popup::Import(ImportView::Path { text, candidates })) => {
                cut(text);
                candidates.clear();
            }
            _ => {}
        }
    }

    /// Whether `action` may write to the database (it is checked first).
    /// An action that writes must be listed here.
    fn writes(&self, action: &Action) -> bool {
        match action {
            // A yes to a question: taking a buyer off the blacklist, deleting a note.
            Action::ToggleBlacklist | Action::ConfirmYes | Action::DeclineMerge => true,
            Action::Open => matches!(
                self.popups.last(),
                Some(Popup::Input(_) | Popup::Form(_) | Popup::Import(ImportView::Path { .. }))
            ),
            _ => false,
        }
    }

    /// True while the database file is still the one opened; the first time
    /// it is not, say so loudly.
    pub(super) fn watch_db_file(&mut self) -> bool {
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
}
