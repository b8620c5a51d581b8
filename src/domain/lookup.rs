//! What quick lookup matched and how directly: the field codes `--json`
//! uses and their labels, and the ranks results are listed in.

use crate::i18n::Lang;
use serde::{Serialize, Serializer};

/// Which of a customer's texts matched the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchField {
    /// An order number (exact).
    OrderNo,
    /// The current phone (full, or its last four digits).
    Phone,
    /// A phone of an earlier receiver.
    OldPhone,
    /// The nickname (or the buyer key).
    Nick,
    /// The current receiver name.
    Name,
    /// The name of an earlier receiver.
    OldName,
    /// A receiver name (current or earlier), by its pinyin.
    NamePinyin,
    /// The Chinese part of the nickname, by its pinyin.
    NickPinyin,
}

impl MatchField {
    /// What the seller reads.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            MatchField::OrderNo => ("订单号", "order no"),
            MatchField::Phone => ("手机", "phone"),
            MatchField::OldPhone => ("旧手机", "old phone"),
            MatchField::Nick => ("昵称", "nickname"),
            MatchField::Name => ("收货人", "name"),
            MatchField::OldName => ("旧收货人", "old receiver"),
            MatchField::NamePinyin => ("收货人拼音", "name pinyin"),
            MatchField::NickPinyin => ("昵称拼音", "nickname pinyin"),
        };
        lang.t(zh, en)
    }

    /// The English code `--json` uses.
    pub fn code(self) -> &'static str {
        match self {
            MatchField::OrderNo => "order_no",
            MatchField::Phone => "phone",
            MatchField::OldPhone => "old_phone",
            MatchField::Nick => "nick",
            MatchField::Name => "name",
            MatchField::OldName => "old_name",
            MatchField::NamePinyin => "name_pinyin",
            MatchField::NickPinyin => "nick_pinyin",
        }
    }
}

impl Serialize for MatchField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// How direct a match is; lower ranks are listed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchRank {
    OrderNo = 0,
    FullPhone = 1,
    ExactName = 2,
    PhoneTail = 3,
    NickStart = 4,
    Fragment = 5,
    /// A receiver name or the Chinese part of the nickname by its pinyin.
    Pinyin = 6,
}
