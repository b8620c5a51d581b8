//! Money in integer fen (分). Parsing never goes through a float.

use std::fmt;

/// An amount of money in fen. Negative values are allowed (refunds, adjustments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Fen(pub i64);

/// Why a money cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("不是金额: {0:?}")]
    NotMoney(String),
    #[error("金额超过两位小数: {0:?}")]
    TooPrecise(String),
    #[error("金额过大: {0:?}")]
    TooLarge(String),
}

/// Parse a platform money cell into fen.
///
/// Accepts `12.3`, `12.30`, `1,234.50`, `¥12.00`, `￥12`, `0元`, `-5.00`, whitespace.
/// An empty cell, `--` or `-` is `Ok(None)` (no value). Anything else is an error;
/// the caller decides whether a missing value is acceptable.
pub fn parse_fen(cell: &str) -> Result<Option<Fen>, MoneyError> {
    // Most cells are plain `123.45`: read without the general path's trimming.
    if let Some(fen) = plain_fen(cell.as_bytes()) {
        return Ok(Some(Fen(fen)));
    }
    parse_any_fen(cell)
}

/// `b` as fen when it is digits with one or two decimals or none
/// (`35`, `35.7`, `35.70`), at most 15 digits before the point; else `None`.
fn plain_fen(b: &[u8]) -> Option<i64> {
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], &b[p + 1..]),
        None => (b, &b""[..]),
    };
    if int.is_empty()
        || int.len() > 15
        || frac.len() > 2
        || !int.iter().chain(frac).all(u8::is_ascii_digit)
        || (frac.is_empty() && int.len() < b.len())
    {
        return None;
    }
    let digits = |d: &[u8]| d.iter().fold(0i64, |v, &c| v * 10 + i64::from(c - b'0'));
    let fen = match frac.len() {
        0 => 0,
        1 => digits(frac) * 10,
        _ => digits(frac),
    };
    Some(digits(int) * 100 + fen)
}

/// Every form [`parse_fen`] reads.
fn parse_any_fen(cell: &str) -> Result<Option<Fen>, MoneyError> {
    let s = cell.trim();
    let s = s
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元')
        .trim();
    if s.is_empty() || s == "-" || s == "--" {
        return Ok(None);
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return Err(MoneyError::NotMoney(cell.to_string()));
    }
    let mut yuan: i64 = 0;
    let mut seen_digit = false;
    for (i, c) in int_part.chars().enumerate() {
        match c {
            '0'..='9' => {
                seen_digit = true;
                yuan = yuan
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(i64::from(c as u8 - b'0')))
                    .ok_or_else(|| MoneyError::TooLarge(cell.to_string()))?;
            }
            // Thousands separators only between digits.
            ',' if i > 0 => {}
            _ => return Err(MoneyError::NotMoney(cell.to_string())),
        }
    }
    let mut fen: i64 = 0;
    if let Some(f) = frac_part {
        let f = f.trim_end_matches('0');
        if f.len() > 2 {
            return Err(MoneyError::TooPrecise(cell.to_string()));
        }
        for (i, c) in f.chars().enumerate() {
            let d = c
                .to_digit(10)
                .ok_or_else(|| MoneyError::NotMoney(cell.to_string()))?;
            seen_digit = true;
            fen += i64::from(d) * if i == 0 { 10 } else { 1 };
        }
        if frac_part.is_some_and(|f| !f.is_empty()) {
            seen_digit = true;
        }
    }
    if !seen_digit {
        return Err(MoneyError::NotMoney(cell.to_string()));
    }
    let total = yuan
        .checked_mul(100)
        .and_then(|v| v.checked_add(fen))
        .ok_or_else(|| MoneyError::TooLarge(cell.to_string()))?;
    Ok(Some(Fen(if neg { -total } else { total })))
}

/// The most one order (or any of its amounts) may be: ¥10,000,000.00. A
/// larger amount in an export is a rejected row; bounded amounts keep every
/// sum kehu makes (per customer, per status, the whole shop) far inside i64.
pub const MAX_ORDER_FEN: i64 = 1_000_000_000;

/// Why an amount cannot be stored on an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Negative,
    TooLarge,
}

/// An order amount kehu can store: 0 ..= [`MAX_ORDER_FEN`].
pub fn check_order_amount(fen: i64) -> Result<i64, AmountError> {
    if fen < 0 {
        Err(AmountError::Negative)
    } else if fen > MAX_ORDER_FEN {
        Err(AmountError::TooLarge)
    } else {
        Ok(fen)
    }
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan, rounded toward zero.
    pub fn whole_yuan(self) -> i64 {
        self.0 / 100
    }
}

impl fmt::Display for Fen {
    /// `¥1,234.50`; negative as `-¥12.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let yuan = abs / 100;
        let cents = abs % 100;
        let digits = yuan.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{}¥{}.{:02}", if neg { "-" } else { "" }, grouped, cents)
    }
}

/// The average of `total` over `count` (an average order value), rounded to
/// the nearest fen, halves away from zero (¥2,845.30 over 43 orders is
/// ¥66.17). `None` when there is nothing to average over. Every average kehu
/// shows goes through here.
pub fn average_fen(total: i64, count: i64) -> Option<Fen> {
    if count <= 0 {
        return None;
    }
    let (t, c) = (i128::from(total), i128::from(count));
    let half_up = (t.abs() * 2 + c) / (c * 2);
    let v = if t < 0 { -half_up } else { half_up };
    Some(Fen(v as i64))
}

/// Plain decimal yuan (`1234.50`) for CSV export, no symbol or grouping.
pub fn fen_to_plain(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Option<i64> {
        parse_fen(s).unwrap().map(|f| f.0)
    }

    #[test]
    fn parses_platform_forms() {
        assert_eq!(p("12.3"), Some(1230));
        assert_eq!(p("12.30"), Some(1230));
        assert_eq!(p("201.12"), Some(20112));
        assert_eq!(p("0元"), Some(0));
        assert_eq!(p("¥12.00"), Some(1200));
        assert_eq!(p("￥12"), Some(1200));
        assert_eq!(p("1,234.50"), Some(123450));
        assert_eq!(p(" 168.99 "), Some(16899));
        assert_eq!(p("-5.5"), Some(-550));
        assert_eq!(p(".5"), Some(50));
        assert_eq!(p("7."), Some(700));
        assert_eq!(p("0.10"), Some(10));
        assert_eq!(p("--"), None);
        assert_eq!(p(""), None);
    }

    #[test]
    fn refuses_non_money() {
        assert!(parse_fen("abc").is_err());
        assert!(parse_fen("1.2.3").is_err());
        assert!(parse_fen("1.234").is_err());
        assert!(parse_fen("3.41835E+17").is_err());
        assert!(parse_fen(",12").is_err());
        assert!(parse_fen(".").is_err());
        assert!(parse_fen("99999999999999999999").is_err());
    }

    #[test]
    fn order_amounts_are_bounded() {
        assert_eq!(check_order_amount(0), Ok(0));
        assert_eq!(check_order_amount(MAX_ORDER_FEN), Ok(MAX_ORDER_FEN));
        assert_eq!(
            check_order_amount(MAX_ORDER_FEN + 1),
            Err(AmountError::TooLarge)
        );
        assert_eq!(check_order_amount(-1), Err(AmountError::Negative));
        assert_eq!(Fen(MAX_ORDER_FEN).to_string(), "¥10,000,000.00");
    }

    #[test]
    fn displays_grouped() {
        assert_eq!(Fen(123450).to_string(), "¥1,234.50");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-1200).to_string(), "-¥12.00");
        assert_eq!(Fen(100_000_000).to_string(), "¥1,000,000.00");
        assert_eq!(fen_to_plain(-5), "-0.05");
    }

    #[test]
    fn averages_round_half_up() {
        assert_eq!(average_fen(284_530, 43), Some(Fen(6617)));
        assert_eq!(average_fen(5, 2), Some(Fen(3)));
        assert_eq!(average_fen(7, 3), Some(Fen(2)));
        assert_eq!(average_fen(8, 3), Some(Fen(3)));
        assert_eq!(average_fen(-5, 2), Some(Fen(-3)));
        assert_eq!(average_fen(1000, 4), Some(Fen(250)));
        assert_eq!(average_fen(i64::MAX, 1), Some(Fen(i64::MAX)));
        assert_eq!(average_fen(100, 0), None);
    }

    proptest! {
        /// Cells of digits and points read the same through the shortcut as
        /// through the general parser: the same amount, or refused alike.
        #[test]
        fn plain_cells_read_as_the_general_parser_reads_them(
            cell in "[0-9.]{0,20}"
        ) {
            prop_assert_eq!(parse_fen(&cell), parse_any_fen(&cell));
        }

        #[test]
        fn round_trips_plain(v in -10_000_000_000i64..10_000_000_000) {
            prop_assert_eq!(parse_fen(&fen_to_plain(v)).unwrap(), Some(Fen(v)));
        }

        #[test]
        fn round_trips_display(v in 0i64..10_000_000_000) {
            prop_assert_eq!(parse_fen(&Fen(v).to_string()).unwrap(), Some(Fen(v)));
        }
    }
}
