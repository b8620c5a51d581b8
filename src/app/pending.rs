//! Writes made while an import holds the database (the app's own, or one
//! from another process): the event loop never waits on the database, so a
//! note, tag or blacklist reason saved then is queued with its text and
//! applied on the first tick after the import finishes. The header counts
//! what is waiting.

use super::{App, InputPurpose, Message};
use crate::db::{Actor, Refused, is_busy};
use crate::i18n::Lang;
use crate::i18n::app::S;
use anyhow::Result;

/// A write the database could not take yet, with what the seller typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingWrite {
    pub purpose: InputPurpose,
    pub text: String,
}

/// The header's word for the queue.
pub fn waiting_text(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("导入完成后保存：{n} 项等待中"),
        Lang::En => format!("saved after the import finishes: {n} waiting"),
    }
}

impl App {
    /// Save what an input box holds. A database held by an import queues it
    /// (the box closes, the text is kept in the queue); `Ok(None)` then.
    pub(super) fn save_input(&mut self, purpose: InputPurpose, text: String) -> Result<Option<S>> {
        if !self.pending.is_empty() {
            // Behind the writes already waiting, in the order they were made.
            self.queue_write(purpose, text);
            return Ok(None);
        }
        match self.write_input(purpose, &text) {
            Ok(s) => Ok(Some(s)),
            Err(e) if is_busy(&e) => {
                self.queue_write(purpose, text);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn queue_write(&mut self, purpose: InputPurpose, text: String) {
        self.pending.push(PendingWrite { purpose, text });
        self.message = Some(Message {
            text: waiting_text(self.lang, self.pending.len()),
            error: false,
        });
    }

    fn write_input(&mut self, purpose: InputPurpose, text: &str) -> Result<S> {
        Ok(match purpose {
            InputPurpose::BlacklistReason(id) => {
                self.store.blacklist(id, text, Actor::App)?;
                S::MsgBlacklisted
            }
            InputPurpose::EditNote(id) => {
                self.store.edit_note(id, text, Actor::App)?;
                S::MsgNoteEdited
            }
            InputPurpose::Note(id) => {
                self.store.add_note(id, text)?;
                S::MsgNoteSaved
            }
            InputPurpose::Tag(id) => {
                self.store.add_tag(id, text)?;
                S::MsgTagSaved
            }
            InputPurpose::Untag(id) => {
                if self.store.remove_tag(id, text)? {
                    S::MsgTagRemoved
                } else {
                    S::MsgNoSuchTag
                }
            }
            InputPurpose::SkipFollowup(id) => {
                self.store.skip_followup(id, text, Actor::App)?;
                S::MsgFollowupSkipped
            }
            InputPurpose::FindOrder => {
                return Err(Refused::new("查找不是写入", "a search is not a write").into());
            }
        })
    }

    /// What the app says for a write refused because the database is busy
    /// (forms keep their text and stay open; try again after the import).
    pub(super) fn busy_text(&self, e: &anyhow::Error) -> Option<String> {
        if !is_busy(e) {
            return None;
        }
        let running = e
            .chain()
            .find_map(|c| c.downcast_ref::<crate::db::ImportRunning>())
            .cloned()
            .or_else(|| self.store.import_running())
            .unwrap_or(crate::db::ImportRunning { since: None });
        Some(match (&running.since, self.lang) {
            (Some(t), Lang::Zh) => format!("正在导入（{t} 开始），未保存；导入完成后再保存"),
            (Some(t), Lang::En) => {
                format!(
                    "an import is running (started {t}): not saved; save again when it finishes"
                )
            }
            (None, Lang::Zh) => "数据库正忙，未保存；请稍后再保存".to_string(),
            (None, Lang::En) => "the database is busy: not saved; save again shortly".to_string(),
        })
    }

    /// On each tick: apply the waiting writes once no import holds the
    /// database, oldest first; say how it went.
    pub(super) fn retry_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() || self.store.import_running().is_some() {
            return Ok(());
        }
        let (mut saved, mut refused) = (0usize, Vec::new());
        while let Some(p) = self.pending.first().cloned() {
            match self.write_input(p.purpose, &p.text) {
                Ok(_) => saved += 1,
                Err(e) if is_busy(&e) => break,
                Err(e) => refused.push(match e.downcast_ref::<Refused>() {
                    Some(r) => r.message(self.lang).to_string(),
                    None => crate::i18n::error_text(&e, self.lang),
                }),
            }
            self.pending.remove(0);
        }
        if saved == 0 && refused.is_empty() {
            return Ok(());
        }
        self.reload_views()?;
        let text = match (refused.is_empty(), self.lang) {
            (true, Lang::Zh) => format!("导入已完成，等待的 {saved} 项已保存"),
            (true, Lang::En) => format!("the import finished: {saved} waiting saved"),
            (false, Lang::Zh) => format!(
                "导入已完成，已保存 {saved} 项；未能保存：{}",
                refused.join("；")
            ),
            (false, Lang::En) => format!(
                "the import finished: {saved} saved; not saved: {}",
                refused.join("; ")
            ),
        };
        self.message = Some(Message {
            text,
            error: !refused.is_empty(),
        });
        Ok(())
    }
}
