//! Platform times (Beijing time) as sortable text `YYYY-MM-DD HH:MM:SS`.

use chrono::{FixedOffset, NaiveDateTime, Utc};

/// Parse a platform or Excel-mangled time into `YYYY-MM-DD HH:MM:SS`.
///
/// Accepts `2024-01-05 08:03:07`, `2024/1/5 8:03`, `2024-1-5`, `2024-01-05T08:03:07`,
/// `2024.01.05 08:03`. Empty and placeholder cells are `Ok(None)`.
pub fn parse_time(cell: &str) -> Result<Option<String>, String> {
    let mut out = String::new();
    Ok(parse_time_into(cell, &mut out)?.then_some(out))
}

/// [`parse_time`] written into `out` (cleared first): `Ok(false)` for an empty cell.
pub fn parse_time_into(cell: &str, out: &mut String) -> Result<bool, String> {
    out.clear();
    // Most cells are already `YYYY-MM-DD HH:MM:SS`: checked and kept as they are.
    if is_canonical_time(cell.as_bytes()) {
        out.push_str(cell);
        return Ok(true);
    }
    parse_any_into(cell, out)
}

/// Any form [`parse_time`] reads, into `out` (empty).
fn parse_any_into(cell: &str, out: &mut String) -> Result<bool, String> {
    let s = cell.trim();
    if s.is_empty() || s == "-" || s == "--" || s == "0000-00-00 00:00:00" {
        return Ok(false);
    }
    let bad = || format!("不是日期时间: {s:?}");
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim()),
        None => (s, ""),
    };
    let mut dp = date.split(['-', '/', '.']);
    let y = num(dp.next(), 4, 4).ok_or_else(bad)?;
    let mo = num(dp.next(), 1, 2).ok_or_else(bad)?;
    let d = num(dp.next(), 1, 2).ok_or_else(bad)?;
    if dp.next().is_some() {
        return Err(bad());
    }
    let (mut h, mut mi, mut sec) = (0, 0, 0);
    if !time.is_empty() {
        let time = time.split('.').next().unwrap_or(time);
        let mut tp = time.split(':');
        h = num(tp.next(), 1, 2).ok_or_else(bad)?;
        mi = num(tp.next(), 1, 2).ok_or_else(bad)?;
        if let Some(p) = tp.next() {
            sec = num(Some(p), 1, 2).ok_or_else(bad)?;
        }
        if tp.next().is_some() {
            return Err(bad());
        }
    }
    if !(1..=12).contains(&mo)
        || d == 0
        || d > days_in_month(y, mo)
        || h > 23
        || mi > 59
        || sec > 59
    {
        return Err(bad());
    }
    // `{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02}`, without the formatting machinery.
    let mut b = [0u8; 19];
    let digits = |b: &mut [u8], v: u32| {
        let mut v = v;
        for x in b.iter_mut().rev() {
            *x = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    digits(&mut b[0..4], y);
    digits(&mut b[5..7], mo);
    digits(&mut b[8..10], d);
    digits(&mut b[11..13], h);
    digits(&mut b[14..16], mi);
    digits(&mut b[17..19], sec);
    (b[4], b[7], b[10], b[13], b[16]) = (b'-', b'-', b' ', b':', b':');
    out.push_str(std::str::from_utf8(&b).unwrap_or_default());
    Ok(true)
}

/// Whether `b` is a valid time written `YYYY-MM-DD HH:MM:SS` (what the slow
/// path would write for it), checked without splitting it.
fn is_canonical_time(b: &[u8]) -> bool {
    let Ok(b) = <&[u8; 19]>::try_from(b) else {
        return false;
    };
    let shape = b"dddd-dd-dd dd:dd:dd";
    let fits = |(&c, &s): (&u8, &u8)| {
        if s == b'd' {
            c.is_ascii_digit()
        } else {
            c == s
        }
    };
    if !b.iter().zip(shape).all(fits) {
        return false;
    }
    let n =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
    let (y, mo, d) = (n(0..4), n(5..7), n(8..10));
    (1..=12).contains(&mo)
        && d >= 1
        && d <= days_in_month(y, mo)
        && n(11..13) <= 23
        && n(14..16) <= 59
        && n(17..19) <= 59
}

fn num(part: Option<&str>, min_len: usize, max_len: usize) -> Option<u32> {
    let p = part?;
    if p.len() < min_len || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The one clock of the program.
///
/// "Now" is Beijing time (UTC+8), the zone of every stored order time. It can be
/// pinned: by `KEHU_NOW="YYYY-MM-DD HH:MM:SS"` (Beijing time) in the environment,
/// which makes every report reproducible, or in-process by [`pin_now`] (tests and
/// embedders). Nothing else in kehu reads the system time for "now".
pub fn beijing_now() -> NaiveDateTime {
    if let Some(t) = *PINNED.read().unwrap_or_else(|e| e.into_inner()) {
        return t;
    }
    if let Some(Ok(t)) = env_now() {
        return *t;
    }
    let offset = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&offset).naive_local()
}

/// The environment variable that pins the clock.
pub const NOW_VAR: &str = "KEHU_NOW";

static PINNED: std::sync::RwLock<Option<NaiveDateTime>> = std::sync::RwLock::new(None);
static ENV_NOW: std::sync::OnceLock<Option<Result<NaiveDateTime, String>>> =
    std::sync::OnceLock::new();

/// `KEHU_NOW` as read once per process: `None` when unset or empty, `Err` with
/// the offending text when it is not a time.
pub fn env_now() -> Option<&'static Result<NaiveDateTime, String>> {
    ENV_NOW
        .get_or_init(|| {
            let v = std::env::var(NOW_VAR).ok()?;
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            Some(
                parse_time(v)
                    .ok()
                    .flatten()
                    .and_then(|t| parse_stored(&t))
                    .ok_or_else(|| v.to_string()),
            )
        })
        .as_ref()
}

/// Pin "now" for this process (tests, embedders); `None` returns to
/// `KEHU_NOW` or the system clock.
pub fn pin_now(t: Option<NaiveDateTime>) {
    *PINNED.write().unwrap_or_else(|e| e.into_inner()) = t;
}

/// `now` formatted like stored times.
pub fn now_text() -> String {
    fmt(beijing_now())
}

pub fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn parse_stored(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_platform_and_excel_forms() {
        let t = |s| parse_time(s).unwrap().unwrap();
        assert_eq!(t("2024-01-05 08:03:07"), "2024-01-05 08:03:07");
        assert_eq!(t("2024/1/5 8:03"), "2024-01-05 08:03:00");
        assert_eq!(t("2017/7/8 0:42"), "2017-07-08 00:42:00");
        assert_eq!(t("2024-1-5"), "2024-01-05 00:00:00");
        assert_eq!(t("2024-01-05T08:03:07"), "2024-01-05 08:03:07");
        assert_eq!(t(" 2024-02-29 23:59:59 "), "2024-02-29 23:59:59");
        assert_eq!(parse_time("").unwrap(), None);
    }

    proptest::proptest! {
        /// A cell shaped `YYYY-MM-DD HH:MM:SS` reads the same through the
        /// shortcut as through the general parser: kept, or refused, alike
        /// (months, days in the month, leap years, hours, minutes, seconds).
        #[test]
        fn canonical_cells_read_as_the_general_parser_reads_them(
            y in 0u32..2400, mo in 0u32..14, d in 0u32..33,
            h in 0u32..26, mi in 0u32..62, sec in 0u32..62,
        ) {
            let cell = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02}");
            let (mut fast, mut general) = (String::new(), String::new());
            let a = parse_time_into(&cell, &mut fast).map_err(|_| ());
            let b = parse_any_into(&cell, &mut general).map_err(|_| ());
            proptest::prop_assert_eq!((a, fast), (b, general));
        }
    }

    #[test]
    fn refuses_non_dates() {
        for s in [
            "2023-02-29",
            "2024-13-01",
            "abc",
            "45321.5",
            "2024-01-01 25:00",
            "24-1-1",
        ] {
            assert!(parse_time(s).is_err(), "{s}");
        }
    }
}
