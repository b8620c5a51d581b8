//! Untrusted text: neutralising it for the terminal and for spreadsheets,
//! masking phones, and the normalisation lookup uses.

use std::borrow::Cow;

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Text for the terminal as a whole (many lines): what [`one_line`] replaces,
/// except the line breaks (`\n`, and `\r` before one) and tabs that lay the
/// text out. Every line kehu writes to stdout or stderr passes here, so no
/// data a file carried can move the cursor, retitle the window or write the
/// clipboard, whichever path it took.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    // `\r` counts as layout only before `\n` (a bare one rewrites the line).
    let bad = |c: char, next: Option<char>| {
        is_unsafe(c) && c != '\n' && c != '\t' && !(c == '\r' && next == Some('\n'))
    };
    let next_of = |i: usize, c: char| s[i + c.len_utf8()..].chars().next();
    if !s.char_indices().any(|(i, c)| bad(c, next_of(i, c))) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.char_indices()
            .map(|(i, c)| if bad(c, next_of(i, c)) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// Text for one terminal line: control characters, escape sequences and bidi
/// overrides become visible placeholders; newlines and tabs become spaces.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// How many characters of a cell or line a message quotes.
pub const QUOTE_CHARS: usize = 200;

/// File data quoted in a message (a reject reason, a refusal): one safe line
/// ([`one_line`]: controls, escape sequences and bidi overrides become `\u{FFFD}`,
/// tabs and newlines spaces), at most [`QUOTE_CHARS`] characters, `…` when cut.
pub fn quote(s: &str) -> String {
    clip(&one_line(s), QUOTE_CHARS)
}

/// At most `max` characters of `s`, with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// Serialised JSON made safe for a terminal: no string in it decodes to a
/// control character, escape sequence or bidi override. Raw ones (C1 controls,
/// bidi marks, which JSON writers pass through) and escaped ones (`\u001b`,
/// `\b`, `\f`, `\r`) become `\ufffd`; only `\n` and `\t` stay (as escapes,
/// never raw inside a string).
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let escaped_unsafe = |hex: &str| {
        u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .is_some_and(|c| c != '\n' && c != '\t' && is_unsafe(c))
    };
    let needs = json.contains("\\u")
        || json.contains("\\b")
        || json.contains("\\f")
        || json.contains("\\r");
    if !needs
        && !json
            .chars()
            .any(|c| c != '\n' && c != '\t' && c != '\r' && is_unsafe(c))
    {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut it = json.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !in_string {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => {
                in_string = false;
                out.push(c);
            }
            '\\' => match it.next() {
                Some((_, 'u')) => {
                    let hex = json.get(i + 2..i + 6).unwrap_or("");
                    for _ in 0..4 {
                        it.next();
                    }
                    if escaped_unsafe(hex) {
                        out.push_str("\\ufffd");
                    } else {
                        out.push_str("\\u");
                        out.push_str(hex);
                    }
                }
                Some((_, 'b' | 'f' | 'r')) => out.push_str("\\ufffd"),
                Some((_, e)) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            c if is_unsafe(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text that may span lines (a buyer message in a detail view): each line made safe.
pub fn lines(s: &str) -> Vec<String> {
    s.split('\n')
        .map(|l| one_line(l.trim_end_matches('\r')).into_owned())
        .collect()
}

/// The characters a spreadsheet may read as the start of a formula: `= + - @`
/// and their full-width twins `＝ ＋ － ＠` (an IME types those, and some
/// spreadsheets fold them to ASCII).
const FORMULA_LEADS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// A cell for an exported CSV: a spreadsheet must not run it as a formula.
pub fn spreadsheet_safe(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if FORMULA_LEADS.contains(&c) || c == '\t' || c == '\r' => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// A text cell for an exported CSV: line breaks kept (as `\n`; a quoted CSV cell
/// holds them), tabs as spaces, every other control character, escape sequence
/// and bidi override replaced by U+FFFD, then made [`spreadsheet_safe`] (also
/// when blanks precede the `=`).
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let clean: Cow<'_, str> = if s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        let s = s.replace("\r\n", "\n");
        Cow::Owned(
            s.chars()
                .map(|c| match c {
                    '\n' | '\r' => '\n',
                    '\t' => ' ',
                    c if is_unsafe(c) => '\u{FFFD}',
                    c => c,
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    };
    // Leading blanks do not stop every spreadsheet from reading a formula.
    let lead = clean.trim_start_matches(char::is_whitespace);
    if lead.len() != clean.len() && lead.starts_with(FORMULA_LEADS) {
        return Cow::Owned(format!("'{clean}"));
    }
    match clean {
        Cow::Borrowed(b) => spreadsheet_safe(b),
        Cow::Owned(o) => Cow::Owned(spreadsheet_safe(&o).into_owned()),
    }
}

/// `13812341234` → `138****1234`. Already-masked or short values keep only their
/// last four characters visible.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.is_empty() || chars.contains(&'*') {
        return phone.to_string();
    }
    if chars.len() == 11 && chars.iter().all(char::is_ascii_digit) {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[7..].iter().collect();
        return format!("{head}****{tail}");
    }
    let keep = chars.len().min(4);
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{}{}", "*".repeat(chars.len() - keep), tail)
}

/// Mask the mobile numbers inside free text (a rejected row's raw text, a
/// reason quoting a cell): `18631871969` → `186****1969`, also after `86`
/// (`8618631871969`) and grouped 3-4-4 by spaces or hyphens. Only a whole
/// run of digits is a phone: order and tracking numbers (longer runs) stay.
pub fn mask_phones_in(s: &str) -> Cow<'_, str> {
    fn is_mobile(d: &[u8]) -> bool {
        d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
    }
    let b = s.as_bytes();
    let run_end = |from: usize| {
        let mut k = from;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        k
    };
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        i = run_end(i);
        let run = &b[start..i];
        let hide = if is_mobile(run) {
            Some(start + 3..start + 7)
        } else if run.len() == 13 && run.starts_with(b"86") && is_mobile(&run[2..]) {
            Some(start + 5..start + 9)
        } else if run.len() == 3 && run[0] == b'1' && (b'3'..=b'9').contains(&run[1]) {
            // 138-1234-5678 or 138 1234 5678, the separator the same twice.
            let sep = b.get(i).copied().filter(|c| *c == b' ' || *c == b'-');
            let mid = i + 1;
            let mid_end = run_end(mid);
            let last = mid_end + 1;
            let last_end = if sep.is_some() && mid_end - mid == 4 && b.get(mid_end).copied() == sep
            {
                run_end(last)
            } else {
                last
            };
            if sep.is_some() && last_end - last == 4 {
                i = last_end;
                Some(mid..mid_end)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(r) = hide {
            out.push_str(&s[copied..r.start]);
            out.push_str("****");
            copied = r.end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Whether a cell hides part of its value (`138****1234`, `张*`): platforms
/// mask personal data in some exports.
pub fn is_masked(s: &str) -> bool {
    s.contains(['*', '＊'])
}

/// Placeholders platforms put in empty cells: such a cell is blank.
pub fn is_placeholder(s: &str) -> bool {
    // Longer than any placeholder, with nothing to trim: not one (most cells).
    if s.len() > 4
        && s.chars().next().is_some_and(|c| !c.is_whitespace())
        && s.chars().next_back().is_some_and(|c| !c.is_whitespace())
    {
        return false;
    }
    matches!(s.trim(), "" | "-" | "--" | "null" | "NULL" | "无")
}

/// What a later export's cell leaves stored: a blank, placeholder or masked
/// cell never replaces a stored value that is not blank (a masked phone never
/// takes the place of the full phone it hides), anything else does.
pub fn later_cell<'a>(new: &'a str, stored: &'a str) -> &'a str {
    if is_placeholder(stored) || !(is_placeholder(new) || is_masked(new)) {
        new
    } else {
        stored
    }
}

/// Digits only, for phone matching (`+86 138-1234-1234` → `8613812341234`).
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The last four digits of a phone, when it has them unmasked.
pub fn phone_tail(phone: &str) -> Option<String> {
    let d: Vec<char> = phone
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    (d.len() >= 4).then(|| d[..4].iter().rev().collect())
}

/// Split text into the alphanumeric runs lookup indexes, lower-cased.
/// Punctuation, spaces and symbols separate runs.
pub fn search_runs(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The bigram tokens of one run (`晴天mm` → `晴天 天m mm`); a one-character
/// run is its own token. Tokens are joined by spaces for the full-text index.
pub fn bigram_tokens(run: &str, out: &mut String) {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() == 1 {
        push_token(out, &chars[..]);
    }
    for w in chars.windows(2) {
        push_token(out, w);
    }
}

/// The unigram tokens of one run, joined by spaces.
pub fn unigram_tokens(run: &str, out: &mut String) {
    for c in run.chars() {
        push_token(out, &[c]);
    }
}

fn push_token(out: &mut String, chars: &[char]) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.extend(chars);
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_safe_keeps_layout_and_nothing_else() {
        use super::terminal_safe;
        use std::borrow::Cow;
        assert_eq!(terminal_safe("a\tb\r\nc\n"), "a\tb\r\nc\n");
        assert!(matches!(terminal_safe("张三 ok"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("x\u{1b}]52;c;ZXZpbA==\u{7}y\rz\u{9b}\u{202e}"),
            "x\u{FFFD}]52;c;ZXZpbA==\u{FFFD}y\u{FFFD}z\u{FFFD}\u{FFFD}"
        );
    }

    #[test]
    fn quote_makes_one_short_safe_line() {
        let q = quote("a\u{1b}]0;t\u{7}\u{9b}\u{202e}\tb\nc");
        assert_eq!(q, "a\u{FFFD}]0;t\u{FFFD}\u{FFFD}\u{FFFD} b c");
        let long = quote(&"长".repeat(300));
        assert_eq!(long.chars().count(), QUOTE_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn json_safe_leaves_no_hostile_character_in_strings() {
        let v = serde_json::json!({"raw": "x\u{1b}[2J\u{9b}\u{202e}\r\u{7}y\nz\t", "n": 1, "q": "\\u001b \""});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = json_safe(&text);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back["raw"],
            "x\u{FFFD}[2J\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}y\nz\t"
        );
        assert_eq!(back["q"], "\\u001b \"");
        assert_eq!(back["n"], 1);
        let plain = serde_json::to_string_pretty(&serde_json::json!({"a": "客户"})).unwrap();
        assert!(matches!(json_safe(&plain), Cow::Borrowed(_)));
    }

    use super::*;

    #[test]
    fn masks_phones_in_free_text() {
        assert_eq!(
            mask_phones_in("魏超,,18631871969,2024-02-05"),
            "魏超,,186****1969,2024-02-05"
        );
        assert_eq!(mask_phones_in("+8613812345678"), "+86138****5678");
        assert_eq!(
            mask_phones_in("138-1234-5678 或 138 1234 5678"),
            "138-****-5678 或 138 **** 5678"
        );
        // Order numbers, tracking numbers, landlines, short runs stay.
        for keep in [
            "3418351234567890123",
            "=\"7637634413882\"",
            "12345678901",
            "021-12345678",
            "138-1234-56789",
            "138-1234 5678",
            "186****1969",
        ] {
            assert_eq!(mask_phones_in(keep), keep);
        }
    }

    #[test]
    fn neutralises_escapes() {
        let s = "好\x1b[31m红\u{202E}反\n行\u{7}";
        let o = one_line(s);
        assert!(!o.contains('\x1b') && !o.contains('\u{202E}') && !o.contains('\n'));
        assert!(o.contains("好") && o.contains("红"));
        assert!(matches!(one_line("普通文本"), Cow::Borrowed(_)));
        assert_eq!(
            lines("a\r\nb\x1b"),
            vec!["a".to_string(), "b\u{FFFD}".to_string()]
        );
    }

    #[test]
    fn spreadsheet_cells() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("-5"), "'-5");
        assert_eq!(spreadsheet_safe("@SUM"), "'@SUM");
        assert_eq!(spreadsheet_safe("张三"), "张三");
        // Full-width twins are escaped like their ASCII ones.
        for f in ["＝1+1", "＋86", "－5", "＠SUM(A1)"] {
            assert_eq!(spreadsheet_safe(f), format!("'{f}"));
        }
        assert_eq!(csv_cell(" ＝HYPERLINK(1)"), "' ＝HYPERLINK(1)");
        assert_eq!(csv_cell("+86 138"), "'+86 138");
        assert_eq!(csv_cell("第一行\r\n第二行\r"), "第一行\n第二行\n");
        assert_eq!(csv_cell("a\tb\x1b[2Jc\u{202E}"), "a b\u{FFFD}[2Jc\u{FFFD}");
        // A control character ahead of a formula does not hide it.
        assert_eq!(csv_cell("\u{7}=1+1"), "\u{FFFD}=1+1");
        assert_eq!(csv_cell("\t=1+1"), "' =1+1");
        assert_eq!(csv_cell("\n@SUM(A1)"), "'\n@SUM(A1)");
        assert!(matches!(csv_cell("张三"), Cow::Borrowed(_)));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("169****9499"), "169****9499");
        assert_eq!(mask_phone("5551234"), "***1234");
        assert_eq!(phone_tail("13812341234").as_deref(), Some("1234"));
        assert_eq!(phone_tail("138****12"), None);
    }

    #[test]
    fn later_cells_never_blank_out_what_is_stored() {
        assert_eq!(later_cell("", "张三"), "张三");
        assert_eq!(later_cell("李四", "张三"), "李四");
        assert_eq!(later_cell("138****1234", "13812341234"), "13812341234");
        assert_eq!(later_cell("138****1234", ""), "138****1234");
        assert_eq!(later_cell("13812341234", "138****1234"), "13812341234");
        assert_eq!(later_cell("张*", "张三"), "张三");
        assert_eq!(later_cell("", ""), "");
        assert_eq!(later_cell("无", "请发顺丰"), "请发顺丰");
        assert_eq!(later_cell("--", "请发顺丰"), "请发顺丰");
    }

    #[test]
    fn tokens() {
        assert_eq!(
            search_runs("happy阳光61452_132"),
            vec!["happy阳光61452", "132"]
        );
        let mut s = String::new();
        bigram_tokens("晴天mm", &mut s);
        assert_eq!(s, "晴天 天m mm");
        let mut s = String::new();
        bigram_tokens("王", &mut s);
        assert_eq!(s, "王");
    }
}
