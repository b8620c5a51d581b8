//! A workbook cell as the text a CSV export would hold in its place, by what
//! its column holds: numbers that were order numbers, money and dates.
//!
//! Excel keeps 15 significant digits of a number. An order number typed as a
//! number with more digits than that, or with a fraction, has lost digits: it
//! is written the way Excel shows it (`1.23457E+17`, `1234.5`) so the row is
//! refused like a CSV that went through Excel. Money becomes fen-exact text
//! (the shortest decimal of the float, rounded half away from zero on the
//! cent); serial dates become `YYYY-MM-DD HH:MM:SS`.

use calamine::{ExcelDateTime, ExcelDateTimeType};
use std::fmt::Write;

/// A cell's value, owned (sent from the thread reading the sheet).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Float(f64),
    Int(i64),
    /// An Excel date (a serial day number, and whether the workbook counts from 1904).
    Date(f64, bool),
    Bool(bool),
    /// An error cell (`#N/A`).
    Error(String),
}

/// What a column holds, for writing its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Text,
    OrderNo,
    Money,
    Time,
}

/// The largest magnitude a number cell holds every digit of (15 significant digits).
const EXACT_LIMIT: f64 = 1e15;

/// `v` as the text its column would hold in a CSV export, appended to `out`.
pub fn write(v: &Value, kind: Kind, out: &mut String) {
    match v {
        Value::Text(s) => out.push_str(s),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => match kind {
            Kind::Money => money(*f, out),
            Kind::Time if (1.0..2_958_466.0).contains(f) => datetime(*f, false, out),
            _ => general(*f, out),
        },
        Value::Date(serial, is_1904) => datetime(*serial, *is_1904, out),
        Value::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Value::Error(e) => out.push_str(e),
    }
}

/// A number as Excel's General format shows it: whole numbers of up to 15
/// digits in full, larger ones in scientific notation with 6 significant
/// digits, fractions in their shortest decimal.
pub fn general(f: f64, out: &mut String) {
    if !f.is_finite() {
        out.push_str("#NUM!");
    } else if f.fract() == 0.0 && f.abs() < EXACT_LIMIT {
        let _ = write!(out, "{}", f as i64);
    } else if f.abs() >= EXACT_LIMIT {
        // `1.23457E17` → `1.23457E+17`.
        let s = format!("{f:.5E}");
        let (mantissa, exp) = s.split_once('E').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        let exp = exp
            .strip_prefix('-')
            .map_or_else(|| format!("+{exp}"), |e| format!("-{e}"));
        let _ = write!(out, "{mantissa}E{exp}");
    } else {
        let _ = write!(out, "{f}");
    }
}

/// An amount as yuan with two decimals, exact: the float's shortest decimal
/// form rounded half away from zero on the cent (never a float's binary
/// rounding: 0.125 is 0.13, 1.005 is 1.01).
pub fn money(f: f64, out: &mut String) {
    if !f.is_finite() || f.abs() >= EXACT_LIMIT {
        return general(f, out);
    }
    let s = format!("{}", f.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digit = |i: usize| {
        frac.as_bytes()
            .get(i)
            .map_or(0, |b| i128::from(b.saturating_sub(b'0')))
    };
    let whole: i128 = int.parse().unwrap_or(0);
    let mut cents = whole * 100 + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        cents += 1;
    }
    if f < 0.0 && cents > 0 {
        out.push('-');
    }
    let _ = write!(out, "{}.{:02}", cents / 100, cents % 100);
}

/// A serial date as `YYYY-MM-DD HH:MM:SS`, to the nearest second.
pub fn datetime(serial: f64, is_1904: bool, out: &mut String) {
    let seconds = (serial * 86_400.0).round() / 86_400.0;
    let (y, mo, d, h, mi, s, _) =
        ExcelDateTime::new(seconds, ExcelDateTimeType::DateTime, is_1904).to_ymd_hms_milli();
    let _ = write!(out, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: Value, kind: Kind) -> String {
        let mut s = String::new();
        write(&v, kind, &mut s);
        s
    }

    #[test]
    fn order_numbers_that_lost_digits_read_as_excel_shows_them() {
        use crate::import::clean::order_no;
        let ok = text(Value::Float(351531314732935.0), Kind::OrderNo);
        assert_eq!(ok, "351531314732935");
        assert_eq!(order_no(&ok), Ok("351531314732935"));
        // 18 digits: the float is not the number the platform issued.
        let lost = text(Value::Float(351531314732935790.0), Kind::OrderNo);
        assert_eq!(lost, "3.51531E+17");
        assert!(order_no(&lost).is_err());
        let sixteen = text(Value::Float(1_000_000_000_000_000.0), Kind::OrderNo);
        assert!(order_no(&sixteen).is_err(), "{sixteen}");
        let fraction = text(Value::Float(1234.5), Kind::OrderNo);
        assert_eq!(fraction, "1234.5");
        assert!(order_no(&fraction).is_err());
        assert_eq!(text(Value::Int(42), Kind::OrderNo), "42");
    }

    #[test]
    fn money_is_exact_to_the_cent() {
        for (f, want) in [
            (84.4, "84.40"),
            (12.0, "12.00"),
            (0.125, "0.13"),
            (1.005, "1.01"),
            (2.675, "2.68"),
            (0.1 + 0.2, "0.30"),
            (-0.125, "-0.13"),
            (-0.001, "0.00"),
            (9_999_999.99, "9999999.99"),
        ] {
            assert_eq!(text(Value::Float(f), Kind::Money), want, "{f}");
        }
        assert_eq!(
            crate::domain::parse_fen(&text(Value::Float(201.12), Kind::Money))
                .map(|f| f.map(|f| f.0)),
            Ok(Some(20112))
        );
    }

    #[test]
    fn serial_dates_become_times() {
        // 2016-05-23 22:02, as Excel stores it (not exact in binary).
        let serial = 42513.0 + (22.0 * 60.0 + 2.0) / 1440.0;
        assert_eq!(
            text(Value::Date(serial, false), Kind::Text),
            "2016-05-23 22:02:00"
        );
        assert_eq!(
            text(Value::Float(serial), Kind::Time),
            "2016-05-23 22:02:00"
        );
        assert_eq!(
            text(Value::Float(45292.0), Kind::Time),
            "2024-01-01 00:00:00"
        );
        assert_eq!(
            text(Value::Date(0.5, true), Kind::Time),
            "1904-01-01 12:00:00"
        );
        // A number in a text column is not a date.
        assert_eq!(text(Value::Float(45292.0), Kind::Text), "45292");
        // Out of range: left as a number, which the row's time check refuses.
        assert_eq!(text(Value::Float(-3.0), Kind::Time), "-3");
    }
}
