//! Every user-facing sentence, in Chinese and English, and the language
//! choice: Chinese unless `--lang en` or an English locale.
//!
//! - [`app`]: the terminal app's labels (the `S` table).
//! - [`labels`]: names of stored codes (order status, ledger kind, complaint
//!   fields), one name each for the app, the CLI and exports.
//! - [`cli`]: the command line's own words, by command.
//! - [`import`]: why a file is refused; [`workbook`]: why an Excel workbook is.
//! - [`Refused`], [`Text`], [`Failed`]: errors in both languages, and
//!   [`error_text`] to read a whole error chain in one.

pub mod analyse;
pub mod app;
pub mod backup;
pub mod cli;
pub mod import;
pub mod labels;
pub mod merge;
pub mod predict;
pub mod privacy;
mod refused;
mod said;
pub mod serve;
pub mod suggest;
pub mod undo;
pub mod workbook;

pub use refused::Refused;
pub use said::{Explain, Failed, Text, error_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `--lang` wins; else the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// decides (`en…` is English; `C`, `POSIX` and everything else stay Chinese).
    pub fn detect(flag: Option<&str>) -> Lang {
        if let Some(f) = flag {
            return Lang::parse(f);
        }
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty());
        Lang::from_locale(var.as_deref())
    }

    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(v) if v.to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub fn parse(s: &str) -> Lang {
        if s.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Pick the text for this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The English codes of `all`, for an English sentence naming the accepted
/// values (the Chinese one names both spellings).
pub fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|&v| code(v)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_rules() {
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("POSIX")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(None), Lang::Zh);
        assert_eq!(Lang::parse("en"), Lang::En);
    }
}
