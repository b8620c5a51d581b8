//! Complaints: categories, severities, statuses and channels (Chinese or
//! English on input, English codes in JSON), the move rules and the SLA.

use chrono::NaiveDateTime;

/// An enum with an English code (JSON, database, CLI) and a Chinese label; parsing
/// accepts either, plus aliases. Shared with `domain::segment`.
macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal, $zh:literal $(| $alias:literal)*;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The English code used in JSON and in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }

            pub fn label(self, lang: $crate::i18n::Lang) -> &'static str {
                match self { $($name::$var => lang.t($zh, $code)),+ }
            }

            /// Accepts the Chinese label, the English code, or a known alias.
            pub fn parse(s: &str) -> Option<$name> {
                let t = s.trim();
                let l = t.to_ascii_lowercase();
                $(
                    if l == $code || t == $zh $(|| t == $alias)* {
                        return Some($name::$var);
                    }
                )+
                None
            }

            /// Every accepted spelling, for error messages.
            pub fn choices() -> String {
                [$(concat!($zh, "/", $code)),+].join(", ")
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// What the complaint is about.
    Category {
        Quality = "quality", "质量问题" | "质量";
        Logistics = "logistics", "物流问题" | "物流";
        WrongItem = "wrong-item", "发错/漏发" | "发错" | "漏发" | "wrong_item";
        Service = "service", "服务态度" | "服务";
        Price = "price", "价格/优惠" | "价格" | "优惠";
        Other = "other", "其他";
    }
);

code_enum!(
    Severity {
        Low = "low", "低";
        Medium = "medium", "中";
        High = "high", "高";
        Urgent = "urgent", "紧急";
    }
);

code_enum!(
    /// Declaration order is the forward order of the workflow.
    ComplaintStatus {
        Open = "open", "待处理";
        Processing = "processing", "处理中";
        Resolved = "resolved", "已解决";
        Closed = "closed", "已关闭";
    }
);

code_enum!(
    /// Where the complaint came in.
    Channel {
        Wangwang = "wangwang", "旺旺" | "千牛" | "旺旺/千牛";
        Phone = "phone", "电话";
        Sms = "sms", "短信";
        Review = "review", "评价";
        Other = "other", "其他";
    }
);

impl ComplaintStatus {
    pub fn is_done(self) -> bool {
        matches!(self, ComplaintStatus::Resolved | ComplaintStatus::Closed)
    }
}

/// How a status change is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    Forward,
    Reopen,
}

impl MoveKind {
    pub fn code(self) -> &'static str {
        match self {
            MoveKind::Forward => "move",
            MoveKind::Reopen => "reopen",
        }
    }
}

/// Any forward move is allowed; resolved/closed back to open/processing is a
/// reopen; anything else (processing → open, closed → resolved, no change) is not a move.
pub fn classify_move(from: ComplaintStatus, to: ComplaintStatus) -> Option<MoveKind> {
    if to > from {
        Some(MoveKind::Forward)
    } else if from.is_done() && !to.is_done() {
        Some(MoveKind::Reopen)
    } else {
        None
    }
}

/// Service-level deadlines, in hours from creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    pub first_response_hours: i64,
    pub resolution_hours: i64,
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            first_response_hours: 24,
            resolution_hours: 72,
        }
    }
}

/// Overdue: still unresolved, and either never answered (still open) past the
/// first-response deadline, or past the resolution deadline.
pub fn is_overdue(
    status: ComplaintStatus,
    created_at: NaiveDateTime,
    first_response_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    sla: &Sla,
) -> bool {
    if status.is_done() {
        return false;
    }
    let age_h = (now - created_at).num_minutes() as f64 / 60.0;
    (first_response_at.is_none() && age_h > sla.first_response_hours as f64)
        || age_h > sla.resolution_hours as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_stored;

    #[test]
    fn parses_both_languages() {
        assert_eq!(Category::parse("发错/漏发"), Some(Category::WrongItem));
        assert_eq!(Category::parse("wrong-item"), Some(Category::WrongItem));
        assert_eq!(Category::parse("价格/优惠"), Some(Category::Price));
        assert_eq!(Category::parse("Quality"), Some(Category::Quality));
        assert_eq!(Severity::parse("紧急"), Some(Severity::Urgent));
        assert_eq!(
            ComplaintStatus::parse("处理中"),
            Some(ComplaintStatus::Processing)
        );
        assert_eq!(Channel::parse("千牛"), Some(Channel::Wangwang));
        assert_eq!(Channel::parse("wangwang"), Some(Channel::Wangwang));
        assert_eq!(Category::parse("nonsense"), None);
        assert_eq!(
            serde_json::to_string(&Category::WrongItem).unwrap(),
            "\"wrong-item\""
        );
    }

    #[test]
    fn moves() {
        use ComplaintStatus::*;
        assert_eq!(classify_move(Open, Resolved), Some(MoveKind::Forward));
        assert_eq!(classify_move(Closed, Open), Some(MoveKind::Reopen));
        assert_eq!(classify_move(Resolved, Processing), Some(MoveKind::Reopen));
        assert_eq!(classify_move(Processing, Open), None);
        assert_eq!(classify_move(Closed, Resolved), None);
        assert_eq!(classify_move(Open, Open), None);
    }

    #[test]
    fn sla() {
        let t = |s| parse_stored(s).unwrap();
        let sla = Sla::default();
        let c = t("2024-05-01 10:00:00");
        let open = ComplaintStatus::Open;
        assert!(!is_overdue(open, c, None, t("2024-05-02 09:59:00"), &sla));
        assert!(is_overdue(open, c, None, t("2024-05-02 10:01:00"), &sla));
        let answered = Some(t("2024-05-01 12:00:00"));
        let p = ComplaintStatus::Processing;
        assert!(!is_overdue(p, c, answered, t("2024-05-03 10:00:00"), &sla));
        assert!(is_overdue(p, c, answered, t("2024-05-04 10:01:00"), &sla));
        assert!(!is_overdue(
            ComplaintStatus::Resolved,
            c,
            answered,
            t("2025-01-01 00:00:00"),
            &sla
        ));
    }
}
