//! The terminal loop: init and restore the terminal, read events, keep key
//! presses, route paste and focus, draw after every change. It lives with the
//! commands because it is where app state (`app`) meets drawing (`ui`): the
//! app never imports the views.

use crate::app::{Action, App, Key};
use crate::db::Store;
use crate::i18n::Lang;
use crate::i18n::cli::{M, m};
use anyhow::{Context, Result};
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, EnableBracketedPaste, EnableFocusChange,
    Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use std::path::Path;
use std::time::Duration;

/// Open the database and run the app until the seller quits.
pub fn run_app(db_path: &Path, lang: Lang) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("{}", m(lang, M::NeedsTerminal));
    }
    let mut store = Store::open(db_path)?;
    // Said before the screen switches, so it is there after the app quits.
    if let Some(n) = store.take_notice() {
        eprintln!("{}", crate::domain::text::terminal_safe(n.message(lang)));
    }
    // Settings are read once; a missing or broken file means defaults.
    let config = crate::config::Config::load()
        .map(|(c, _)| c)
        .unwrap_or_default();
    super::backup::daily(db_path, &config);
    let mut app = App::new(store, lang, config);
    let theme = crate::ui::Theme::from_env();
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            return Err(e).context("terminal");
        }
    };
    // Paste and focus reports are niceties: a terminal without them still works.
    let _ = execute!(std::io::stdout(), EnableBracketedPaste, EnableFocusChange);
    let result = event_loop(&mut terminal, &mut app, &theme);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste, DisableFocusChange);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    theme: &crate::ui::Theme,
) -> Result<()> {
    let size = terminal.size().context("terminal size")?;
    app.update(Action::Resize(size.width, size.height));
    while !app.quit {
        terminal
            .draw(|f| crate::ui::draw(app, theme, f))
            .context("draw")?;
        // Wake up on a tick: often while an import runs (its progress), else
        // once a second to notice the database file replaced or deleted.
        let tick = Duration::from_millis(if app.busy() { 100 } else { 1000 });
        if !event::poll(tick).context("poll terminal")? {
            app.update(Action::Tick);
            continue;
        }
        match event::read().context("read terminal event")? {
            Event::Key(k) if k.kind == KeyEventKind::Press => {
                if let Some(key) = Key::from_event(&k) {
                    app.handle_key(key);
                }
            }
            Event::Paste(text) => app.paste(&text),
            Event::Resize(w, h) => app.update(Action::Resize(w, h)),
            // Another process (an import) may have changed the file; a refresh
            // keeps any text being typed.
            Event::FocusGained => app.update(Action::Refresh),
            _ => {}
        }
        // A finished import is taken in with the next event too.
        if app.import_job.is_some() {
            app.update(Action::Tick);
        }
    }
    Ok(())
}
