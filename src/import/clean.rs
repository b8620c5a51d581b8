//! Every cell and header name is cleaned here, in one place.

/// Header names: trim spaces (ASCII, full-width, zero-width, BOM), `（）` → `()`, `帐` → `账`.
pub fn header_name(raw: &str) -> String {
    raw.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{3000}'
            )
    })
    .chars()
    .filter(|c| !matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}'))
    .map(|c| match c {
        '（' => '(',
        '）' => ')',
        '帐' => '账',
        c => c,
    })
    .collect()
}

/// A data cell: surrounding whitespace and tabs, Excel's `="…"` wrapper and a
/// leading apostrophe removed.
pub fn cell(raw: &str) -> &str {
    let trimmed = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}';
    // Most cells need nothing: no space at either end, no wrapper, no apostrophe.
    match (raw.chars().next(), raw.chars().next_back()) {
        (None, _) => return raw,
        (Some(first), Some(last))
            if !trimmed(first) && !trimmed(last) && first != '=' && first != '\'' =>
        {
            return raw;
        }
        _ => {}
    }
    let mut s = raw.trim_matches(trimmed);
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('\'') {
        s = rest.trim_start();
    }
    s
}

use super::Reason;

/// At most `max` characters of `s` (with `…` when cut), made one safe line,
/// for echoing input in a message.
pub fn clip(s: &str, max: usize) -> String {
    crate::domain::text::clip(&crate::domain::text::one_line(s), max)
}

/// How much of a cell a reason or refusal echoes.
pub(crate) const ECHO_CHARS: usize = 200;

/// Placeholders platforms put in empty cells.
pub fn is_placeholder(s: &str) -> bool {
    crate::domain::text::is_placeholder(s)
}

/// An order number as the platform issued it, or why the cell cannot be one.
/// Digits, letters and `-` only; scientific notation (Excel's damage) is refused.
pub fn order_no(s: &str) -> Result<&str, Reason> {
    if s.is_empty() {
        return Err(Reason::OrderNoEmpty);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(s);
    }
    let looks_scientific = s.contains(['E', 'e'])
        && s.contains('+')
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'E' | 'e' | '+'));
    if looks_scientific {
        return Err(Reason::OrderNoScientific {
            value: s.to_string(),
        });
    }
    if s.contains('.') && s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(Reason::OrderNoDecimal {
            value: s.to_string(),
        });
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Reason::OrderNoInvalid {
            value: clip(s, ECHO_CHARS),
        });
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_cells() {
        assert_eq!(cell("=\"35153131473293579\""), "35153131473293579");
        assert_eq!(cell("=\"\""), "");
        assert_eq!(cell("'13912345678"), "13912345678");
        assert_eq!(cell("168.99\t"), "168.99");
        assert_eq!(cell("\t6917926768823643751"), "6917926768823643751");
        assert_eq!(cell("\u{3000}张三 "), "张三");
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name("收货地址 "), "收货地址");
        assert_eq!(header_name("\u{FEFF}商品总价（元）"), "商品总价(元)");
        assert_eq!(header_name("下单帐号"), "下单账号");
    }

    #[test]
    fn order_numbers() {
        assert!(order_no("3.41835E+17").is_err());
        assert!(order_no("1.23457e+18").is_err());
        assert!(order_no("").is_err());
        assert_eq!(
            order_no("240101-686530479097565"),
            Ok("240101-686530479097565")
        );
        assert_eq!(order_no("2631576957364263876"), Ok("2631576957364263876"));
    }
}
