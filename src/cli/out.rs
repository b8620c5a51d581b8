//! Command output on stdout. A reader that goes away early (`kehu … | head`,
//! `kehu import … | true`) is not an error: the write fails with a broken
//! pipe, the error travels up with `?`, and `cli::main` ends the command
//! quietly with status 0, as `git log | head` does. Work already committed
//! stays committed; nothing is printed about it. Messages on stderr never
//! panic either (`kehu … 2>&1 | head`): a closed stderr just drops them.

use crate::domain::text::terminal_safe;
use std::io::{self, Write};

/// `println!` for command output, returning `io::Result<()>` so callers
/// write `outln!(…)?` and a closed pipe ends the command instead of panicking.
macro_rules! outln {
    () => {
        $crate::cli::out::write_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write_line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// `eprintln!` for messages: a stderr nobody reads drops the line (no panic).
macro_rules! errln {
    () => {
        $crate::cli::out::write_err(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use errln;

/// A progress line on stderr: back to the start of the line (`\r`), then
/// the text, no newline.
macro_rules! progress {
    ($($arg:tt)*) => {
        $crate::cli::out::write_progress(format_args!($($arg)*))
    };
}
pub(crate) use progress;

/// Text on stderr, best effort. Made terminal-safe, as every line is.
pub fn write_err(args: std::fmt::Arguments<'_>) {
    let text = args.to_string();
    let _ = io::stderr()
        .lock()
        .write_all(terminal_safe(&text).as_bytes());
}

/// A progress line: `\r` and the (terminal-safe) text.
pub fn write_progress(args: std::fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut e = io::stderr().lock();
    let _ = e.write_all(b"\r");
    let _ = e.write_all(terminal_safe(&text).as_bytes());
}

/// One line on stdout. Whatever a message quotes from a file (a name, a
/// cell, a header), no control character, escape sequence or bidi override
/// reaches the terminal: [`terminal_safe`] is the last step of every line.
pub fn write_line(args: std::fmt::Arguments<'_>) -> io::Result<()> {
    let text = args.to_string();
    let mut out = io::stdout().lock();
    out.write_all(terminal_safe(&text).as_bytes())?;
    out.write_all(b"\n")
}

/// Whether `e` is, or was caused by, a write into a pipe nobody reads.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let broken = |k: io::ErrorKind| k == io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| broken(io.kind()))
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                .is_some_and(broken)
            || c.downcast_ref::<csv::Error>()
                .is_some_and(|ce| matches!(ce.kind(), csv::ErrorKind::Io(io) if broken(io.kind())))
    })
}

/// One JSON document on stdout.
pub(super) fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    // File data reaches JSON too (reject reasons, raw rows, refusals): no
    // string decodes to a control character or bidi override.
    let text = serde_json::to_string_pretty(v)?;
    outln!("{}", crate::domain::text::json_safe(&text))?;
    Ok(())
}
