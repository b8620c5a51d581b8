//! Errors in both languages: a sentence ([`Text`]), an error said over the
//! error that caused it ([`Failed`], [`Explain`]), and the one way the reader
//! gets a whole error chain in their language ([`error_text`]).

use super::Lang;
use std::fmt;

/// A sentence in Chinese and English. As an error it is one that is not a
/// refusal (the CLI exits 1); its `Display` is the Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{zh}")]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.t(&self.zh, &self.en)
    }

    /// Whether either language's sentence holds `part`.
    pub fn contains(&self, part: &str) -> bool {
        self.zh.contains(part) || self.en.contains(part)
    }
}

/// What went wrong, in both languages, over the error that caused it (an
/// I/O or database error, in its own words). Like `anyhow`'s context, but
/// the reader gets it in their language.
#[derive(Debug)]
pub struct Failed {
    pub text: Text,
    cause: anyhow::Error,
}

impl Failed {
    /// `cause`, explained by `text`.
    pub fn wrap(text: Text, cause: impl Into<anyhow::Error>) -> anyhow::Error {
        anyhow::Error::new(Failed {
            text,
            cause: cause.into(),
        })
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text.fmt(f)
    }
}

impl std::error::Error for Failed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.cause.as_ref())
    }
}

/// `.said(zh, en)` on a `Result`: its error explained in both languages.
pub trait Explain<T> {
    fn said(self, zh: impl Into<String>, en: impl Into<String>) -> anyhow::Result<T>;
    /// [`Explain::said`], with the sentence made only on an error.
    fn with_said(self, text: impl FnOnce() -> Text) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> Explain<T> for Result<T, E> {
    fn said(self, zh: impl Into<String>, en: impl Into<String>) -> anyhow::Result<T> {
        self.with_said(|| Text::new(zh, en))
    }

    fn with_said(self, text: impl FnOnce() -> Text) -> anyhow::Result<T> {
        self.map_err(|e| Failed::wrap(text(), e))
    }
}

/// An error and its causes on one line, `what: why: why`, each part that
/// kehu said in `lang` (the rest in the words of whoever said it).
pub fn error_text(e: &anyhow::Error, lang: Lang) -> String {
    e.chain()
        .map(|c| {
            if let Some(f) = c.downcast_ref::<Failed>() {
                f.text.get(lang).to_string()
            } else if let Some(t) = c.downcast_ref::<Text>() {
                t.get(lang).to_string()
            } else if let Some(r) = c.downcast_ref::<super::Refused>() {
                r.message(lang).to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_reads_in_the_readers_language() {
        let io = std::io::Error::other("disk on fire");
        let e: anyhow::Error = Err::<(), _>(io)
            .said("无法写入", "cannot write")
            .unwrap_err();
        assert_eq!(error_text(&e, Lang::En), "cannot write: disk on fire");
        assert_eq!(error_text(&e, Lang::Zh), "无法写入: disk on fire");
        assert_eq!(format!("{e:#}"), "无法写入: disk on fire");
        let e = anyhow::Error::new(Text::new("坏了", "broken"));
        let e = Err::<(), _>(e).said("配置有误", "bad config").unwrap_err();
        assert_eq!(error_text(&e, Lang::En), "bad config: broken");
    }
}
