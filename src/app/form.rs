//! A small form: a column of fields, one focused. Text and number fields take
//! typed characters; choice fields cycle with ←/→. What the form is for, and
//! what saving it does, lives in the app; this file only edits values.

use crate::i18n::app::S;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Whole points; `signed` lets a leading `-` or `+` in.
    Number {
        signed: bool,
    },
    /// Money in yuan as typed (`12.30`); parsed to fen on save.
    Money,
    /// One of `options` (label shown, code kept).
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: S,
    pub kind: FieldKind,
    pub value: String,
    pub required: bool,
}

impl Field {
    pub fn text(label: S, required: bool) -> Field {
        Field {
            label,
            kind: FieldKind::Text,
            value: String::new(),
            required,
        }
    }

    pub fn number(label: S, signed: bool, required: bool) -> Field {
        Field {
            label,
            kind: FieldKind::Number { signed },
            value: String::new(),
            required,
        }
    }

    pub fn money(label: S) -> Field {
        Field {
            label,
            kind: FieldKind::Money,
            value: String::new(),
            required: false,
        }
    }

    /// `options` as (code, label); `index` is the one chosen at first.
    pub fn choice(label: S, options: Vec<(String, String)>, index: usize) -> Field {
        Field {
            label,
            kind: FieldKind::Choice { options, index },
            value: String::new(),
            required: true,
        }
    }

    /// What the field shows: the typed text or the chosen option's label.
    pub fn shown(&self) -> &str {
        match &self.kind {
            FieldKind::Choice { options, index } => {
                options.get(*index).map(|o| o.1.as_str()).unwrap_or("")
            }
            _ => &self.value,
        }
    }

    /// The chosen option's code (choice fields), else the trimmed text.
    pub fn code(&self) -> &str {
        match &self.kind {
            FieldKind::Choice { options, index } => {
                options.get(*index).map(|o| o.0.as_str()).unwrap_or("")
            }
            _ => self.value.trim(),
        }
    }

    pub fn takes_text(&self) -> bool {
        !matches!(self.kind, FieldKind::Choice { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form<P> {
    pub purpose: P,
    /// Who or what the form is about, shown in its title.
    pub subject: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last save was refused, shown under the fields.
    pub error: Option<String>,
}

impl<P> Form<P> {
    pub fn new(purpose: P, subject: String, fields: Vec<Field>) -> Form<P> {
        let focus = fields.iter().position(|f| f.takes_text()).unwrap_or(0);
        Form {
            purpose,
            subject,
            fields,
            focus,
            error: None,
        }
    }

    pub fn field(&self, i: usize) -> &Field {
        &self.fields[i]
    }

    pub fn focus_by(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        if n > 0 {
            self.focus = (self.focus as isize + delta).rem_euclid(n) as usize;
        }
    }

    /// ←/→ on a choice field.
    pub fn cycle(&mut self, delta: isize) {
        if let Some(Field {
            kind: FieldKind::Choice { options, index },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let n = options.len() as isize;
            if n > 0 {
                *index = (*index as isize + delta).rem_euclid(n) as usize;
            }
        }
    }

    /// Typed or pasted text into the focused field, filtered to what it takes.
    pub fn insert(&mut self, s: &str) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        for c in s.chars() {
            let ok = match f.kind {
                FieldKind::Text => !c.is_control(),
                FieldKind::Number { signed } => {
                    c.is_ascii_digit() || (signed && f.value.is_empty() && matches!(c, '-' | '+'))
                }
                FieldKind::Money => c.is_ascii_digit() || (c == '.' && !f.value.contains('.')),
                FieldKind::Choice { .. } => false,
            };
            if ok {
                f.value.push(c);
            }
        }
    }

    pub fn backspace(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.pop();
        }
    }

    pub fn clear(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.value.clear();
        }
    }

    /// The first required field left empty, if any.
    pub fn missing(&self) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.required && f.takes_text() && f.value.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form<()> {
        Form::new(
            (),
            "x".into(),
            vec![
                Field::choice(
                    S::FieldCategory,
                    vec![("a".into(), "甲".into()), ("b".into(), "乙".into())],
                    0,
                ),
                Field::number(S::FieldPoints, true, true),
                Field::money(S::FieldRefund),
                Field::text(S::FieldNote, false),
            ],
        )
    }

    #[test]
    fn fields_take_only_what_they_hold() {
        let mut f = form();
        assert_eq!(f.focus, 1, "the first text field has the focus");
        f.insert("-5x0+");
        assert_eq!(f.field(1).value, "-50");
        f.focus_by(1);
        f.insert("12.3.4元");
        assert_eq!(f.field(2).value, "12.34");
        f.focus_by(1);
        f.insert("好评\u{1b}[31m");
        assert_eq!(f.field(3).value, "好评[31m");
        f.focus_by(1);
        assert_eq!(f.focus, 0);
        f.insert("q");
        f.cycle(1);
        assert_eq!((f.field(0).code(), f.field(0).shown()), ("b", "乙"));
        f.cycle(1);
        assert_eq!(f.field(0).code(), "a");
        f.cycle(-1);
        assert_eq!(f.field(0).code(), "b");
    }

    #[test]
    fn required_fields_are_named_when_empty() {
        let mut f = form();
        assert_eq!(f.missing(), Some(1));
        f.insert("7");
        assert_eq!(f.missing(), None);
        f.backspace();
        assert_eq!(f.missing(), Some(1));
    }
}
