//! When two customers may be one person: the evidence a merge suggestion
//! rests on, as rules a seller could state. A full, unmasked phone number
//! shared by both; or the same receiver name, phone tail and address once
//! spaces, full-width characters and the 省/市 suffixes are set aside. A
//! masked (`138****1234`) or encrypted (`##…`, `$$…`) phone is never evidence.

/// Why two customers may be the same person, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// The same full phone number.
    SamePhone,
    /// The same receiver name, phone tail and address.
    SameReceiver,
}

impl Evidence {
    /// The English code (JSON).
    pub fn code(self) -> &'static str {
        match self {
            Evidence::SamePhone => "same_phone",
            Evidence::SameReceiver => "same_receiver",
        }
    }

    fn weight(self) -> u32 {
        match self {
            Evidence::SamePhone => 90,
            Evidence::SameReceiver => 70,
        }
    }
}

/// A pair's score out of 100: its strongest evidence, and 100 with both.
pub fn score(evidence: &[Evidence]) -> u32 {
    let best = evidence.iter().map(|e| e.weight()).max().unwrap_or(0);
    let kinds = evidence
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if kinds > 1 { 100 } else { best }
}

/// A phone some platforms hide: with `*` in it, or encrypted (`##…`, `$$…`).
pub fn is_masked_phone(phone: &str) -> bool {
    let p = phone.trim();
    p.contains('*') || p.starts_with("##") || p.starts_with("$$")
}

/// The digits of a full, unmasked phone number (`+86`/`86` before a mobile
/// number, spaces and hyphens dropped), or `None` for a masked, encrypted or
/// malformed one.
pub fn full_phone(phone: &str) -> Option<String> {
    if is_masked_phone(phone) {
        return None;
    }
    let p = phone.trim().trim_start_matches('+');
    let digits: String = p
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_string(),
        _ => digits,
    };
    // A mobile number, or a landline with its area code.
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = (7..=12).contains(&digits.len()) && digits.starts_with('0');
    (mobile || landline).then_some(digits)
}

/// The last four digits of a full phone number (never of a masked one).
pub fn phone_tail(phone: &str) -> Option<String> {
    full_phone(phone).map(|d| d[d.len() - 4..].to_string())
}

/// A character as its half-width form (full-width ASCII and the ideographic space).
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A receiver name for comparison: half-width, no spaces, ASCII lower-cased.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An address for comparison: half-width, without spaces, punctuation or the
/// 省/市 suffixes (so `浙江省杭州市西湖区` and `浙江 杭州 西湖区` agree), ASCII
/// lower-cased.
pub fn normalise_address(address: &str) -> String {
    without_postcode(address)
        .chars()
        .map(half_width)
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '省' | '市' | ',' | '，' | '、' | '-' | '.' | '。' | '(' | ')' | '（' | '）'
                )
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An address without the postcode Taobao puts after it: `…(310012)`.
fn without_postcode(address: &str) -> &str {
    let a = address.trim_end();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = a.strip_suffix(close)
            && let Some(at) = inner.rfind(open)
        {
            let code = &inner[at + open.len_utf8()..];
            if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
                return &a[..at];
            }
        }
    }
    a
}

/// The receiver key of the second rule: normalised name, phone tail and
/// normalised address; `None` when any is missing (or the phone is masked).
pub fn receiver_key(name: &str, phone: &str, address: &str) -> Option<String> {
    receiver_key_of(name, &full_phone(phone)?, address)
}

/// [`receiver_key`] with the phone already read by [`full_phone`].
pub fn receiver_key_of(name: &str, full_phone: &str, address: &str) -> Option<String> {
    let tail = full_phone.get(full_phone.len().checked_sub(4)?..)?;
    let name = normalise_name(name);
    if name.is_empty() {
        return None;
    }
    let address = normalise_address(address);
    if address.is_empty() {
        return None;
    }
    Some(format!("{name}\u{1}{tail}\u{1}{address}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_and_encrypted_phones_are_never_full() {
        for p in [
            "138****1234",
            "##A1B2C3",
            "$$x9y8",
            "",
            "  ",
            "1381234",
            "abc",
        ] {
            assert_eq!(full_phone(p), None, "{p}");
            assert_eq!(phone_tail(p), None, "{p}");
        }
        assert!(is_masked_phone("138****1234"));
        assert!(is_masked_phone("##abc"));
        assert!(is_masked_phone("$$abc"));
        assert!(!is_masked_phone("13812341234"));
    }

    #[test]
    fn a_full_phone_reads_alike_however_written() {
        let want = Some("13812341234".to_string());
        for p in [
            "13812341234",
            "138 1234 1234",
            "138-1234-1234",
            "+8613812341234",
            "8613812341234",
        ] {
            assert_eq!(full_phone(p), want, "{p}");
        }
        assert_eq!(full_phone("0571-88886666"), Some("057188886666".into()));
        assert_eq!(phone_tail("138 1234 5678"), Some("5678".into()));
    }

    #[test]
    fn addresses_agree_without_spaces_suffixes_or_full_width() {
        let a = normalise_address("浙江省杭州市西湖区文三路１２号");
        assert_eq!(a, normalise_address("浙江 杭州 西湖区 文三路12号"));
        assert_eq!(a, normalise_address("浙江杭州西湖区文三路 12 号"));
        assert_ne!(a, normalise_address("浙江杭州西湖区文三路13号"));
        assert_eq!(normalise_address("Room ＡＢ"), "roomab");
        assert_eq!(
            a,
            normalise_address("浙江省 杭州市 西湖区 文三路12号(310012)")
        );
        assert_eq!(
            a,
            normalise_address("浙江省杭州市西湖区文三路12号（310012）")
        );
    }

    #[test]
    fn the_receiver_key_needs_name_tail_and_address() {
        let k = receiver_key("张 三", "13812341234", "浙江省杭州市西湖区1号");
        assert_eq!(k, receiver_key("张三", "15900001234", "浙江杭州西湖区1号"));
        assert_eq!(
            receiver_key("张三", "138****1234", "浙江杭州西湖区1号"),
            None
        );
        assert_eq!(receiver_key("", "13812341234", "浙江杭州西湖区1号"), None);
        assert_eq!(receiver_key("张三", "13812341234", "  "), None);
    }

    #[test]
    fn a_phone_outweighs_a_receiver_and_both_score_most() {
        assert_eq!(score(&[Evidence::SamePhone]), 90);
        assert_eq!(score(&[Evidence::SameReceiver]), 70);
        assert_eq!(score(&[Evidence::SameReceiver, Evidence::SamePhone]), 100);
        assert_eq!(score(&[Evidence::SamePhone, Evidence::SamePhone]), 90);
        assert_eq!(score(&[]), 0);
    }
}
