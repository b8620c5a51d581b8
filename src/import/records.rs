//! CSV records from decoded text, with the physical line each starts on and
//! bounds on what one record may hold.
//!
//! Quoting follows the csv crate's defaults (RFC 4180 with `""` for a quote;
//! a quote inside an unquoted cell is literal; text after a closing quote is
//! kept). Line ends are `\n`, `\r\n` or a lone `\r`, each one physical line;
//! blank lines are skipped.

use super::decode::{UndecodableAt, Utf8Reader};
use std::io::Read;

/// The longest record kehu reads (the longest real rows are a few KiB).
pub const MAX_RECORD: usize = 1 << 20;

/// The longest first line: a file whose first 64 KiB hold no line break is not
/// a CSV export.
pub const MAX_FIRST_LINE: usize = 64 * 1024;

/// Why the records cannot be read on.
#[derive(Debug)]
pub enum Stop {
    /// The bytes are not text in the file's encoding.
    Undecodable {
        line: u64,
    },
    /// The file ends inside a quoted cell.
    OpenQuote {
        /// Where the record starts.
        record_line: u64,
        /// Where the quote that never closes opens.
        quote_line: u64,
        /// Delimiters inside the open cell after its first line break (many:
        /// the quote swallowed whole rows, so it is a stray quote).
        delimiters_after_break: u64,
    },
    /// A record longer than [`MAX_RECORD`].
    TooLong {
        line: u64,
    },
    /// No line break in the first [`MAX_FIRST_LINE`] bytes.
    NoLineBreak,
    Io(std::io::Error),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// One record's place in the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Meta {
    /// 1-based physical line where the record starts.
    pub line: u64,
    /// Whether a line break ended it (false: the end of the file did).
    pub terminated: bool,
}

pub struct Records<R> {
    src: Utf8Reader<R>,
    delimiter: u8,
    /// The physical line of the next byte.
    line: u64,
    /// The last byte seen was a `\r` (a `\n` right after it is the same line end).
    after_cr: bool,
    field: Vec<u8>,
}

/// The decoded bytes not read yet (empty at the end), or why there are none.
fn peek<R: Read>(src: &mut Utf8Reader<R>, line: u64) -> Result<&[u8], Stop> {
    match src.peek() {
        Ok(b) => Ok(b),
        Err(e) => {
            if let Some(at) = e.get_ref().and_then(|r| r.downcast_ref::<UndecodableAt>()) {
                return Err(Stop::Undecodable { line: at.line });
            }
            if e.kind() == std::io::ErrorKind::InvalidData {
                return Err(Stop::Undecodable { line });
            }
            Err(Stop::Io(e))
        }
    }
}

impl<R: Read> Records<R> {
    pub fn new(src: Utf8Reader<R>, delimiter: u8) -> Self {
        Records {
            src,
            delimiter,
            line: 1,
            after_cr: false,
            field: Vec::new(),
        }
    }

    pub fn get_ref(&self) -> &Utf8Reader<R> {
        &self.src
    }

    /// Read the next record into `rec`: its place, or `None` at the end.
    pub fn read(&mut self, rec: &mut csv::ByteRecord) -> Result<Option<Meta>, Stop> {
        rec.clear();
        self.field.clear();
        // Skip line ends before the record (blank lines).
        loop {
            let buf = peek(&mut self.src, self.line)?;
            if buf.is_empty() {
                return Ok(None);
            }
            let mut n = 0;
            let mut line = self.line;
            let mut after_cr = self.after_cr;
            for &b in buf {
                match b {
                    b'\r' => {
                        line += 1;
                        after_cr = true;
                    }
                    b'\n' => {
                        if !after_cr {
                            line += 1;
                        }
                        after_cr = false;
                    }
                    _ => break,
                }
                n += 1;
            }
            let more = n < buf.len();
            self.src.consume(n);
            self.line = line;
            self.after_cr = after_cr;
            if more {
                break;
            }
        }
        self.after_cr = false;
        let start = self.line;
        let delim = self.delimiter;
        let mut state = State::StartField;
        let mut size = 0usize;
        let mut quote_line = 0;
        let mut delims_after_break = 0u64;
        loop {
            let buf = peek(&mut self.src, self.line)?;
            if buf.is_empty() {
                if state == State::InQuoted {
                    return Err(Stop::OpenQuote {
                        record_line: start,
                        quote_line,
                        delimiters_after_break: delims_after_break,
                    });
                }
                rec.push_field(&self.field);
                return Ok(Some(Meta {
                    line: start,
                    terminated: false,
                }));
            }
            let mut i = 0;
            let mut end = false;
            while i < buf.len() {
                let b = buf[i];
                match state {
                    State::StartField if b == b'"' => {
                        state = State::InQuoted;
                        quote_line = self.line;
                        delims_after_break = 0;
                        i += 1;
                    }
                    State::StartField | State::InField => {
                        // The cell up to the next delimiter or line end.
                        let rest = &buf[i..];
                        let len = memchr::memchr3(delim, b'\r', b'\n', rest).unwrap_or(rest.len());
                        if len == rest.len() {
                            // The cell goes on in the next decoded block.
                            self.field.extend_from_slice(rest);
                            i = buf.len();
                            state = State::InField;
                            continue;
                        }
                        if self.field.is_empty() {
                            rec.push_field(&rest[..len]);
                        } else {
                            self.field.extend_from_slice(&rest[..len]);
                            rec.push_field(&self.field);
                            self.field.clear();
                        }
                        let c = rest[len];
                        i += len + 1;
                        state = State::StartField;
                        if record_ends(c, delim, &mut self.line, &mut self.after_cr) {
                            end = true;
                            break;
                        }
                    }
                    State::InQuoted => {
                        let rest = &buf[i..];
                        let len = memchr::memchr3(b'"', b'\r', b'\n', rest).unwrap_or(rest.len());
                        // The common case: `"…"` closed within this block and followed by a
                        // delimiter or a line end, its text taken as it stands.
                        if self.field.is_empty()
                            && rest.get(len) == Some(&b'"')
                            && let Some(&c) = rest.get(len + 1)
                            && (c == delim || c == b'\r' || c == b'\n')
                        {
                            self.after_cr = false;
                            rec.push_field(&rest[..len]);
                            i += len + 2;
                            state = State::StartField;
                            if record_ends(c, delim, &mut self.line, &mut self.after_cr) {
                                end = true;
                                break;
                            }
                            continue;
                        }
                        if self.line > quote_line {
                            delims_after_break +=
                                memchr::memchr_iter(delim, &rest[..len]).count() as u64;
                        }
                        self.field.extend_from_slice(&rest[..len]);
                        i += len;
                        if len > 0 {
                            self.after_cr = false;
                        }
                        if i < buf.len() {
                            let c = buf[i];
                            i += 1;
                            match c {
                                b'"' => state = State::QuoteInQuoted,
                                b'\r' => {
                                    self.line += 1;
                                    self.after_cr = true;
                                    self.field.push(c);
                                }
                                _ => {
                                    if !self.after_cr {
                                        self.line += 1;
                                    }
                                    self.after_cr = false;
                                    self.field.push(c);
                                }
                            }
                            if c == b'"' {
                                self.after_cr = false;
                            }
                        }
                    }
                    State::QuoteInQuoted => {
                        i += 1;
                        if b == b'"' {
                            self.field.push(b'"');
                            state = State::InQuoted;
                        } else if b == delim {
                            rec.push_field(&self.field);
                            self.field.clear();
                            state = State::StartField;
                        } else if b == b'\r' || b == b'\n' {
                            rec.push_field(&self.field);
                            self.field.clear();
                            self.line += 1;
                            self.after_cr = b == b'\r';
                            end = true;
                            break;
                        } else {
                            self.field.push(b);
                            state = State::InField;
                        }
                    }
                }
            }
            self.src.consume(i);
            size += i;
            if end {
                return Ok(Some(Meta {
                    line: start,
                    terminated: true,
                }));
            }
            if start == 1 && self.line == 1 && size > MAX_FIRST_LINE {
                return Err(Stop::NoLineBreak);
            }
            if size > MAX_RECORD {
                return Err(Stop::TooLong { line: start });
            }
        }
    }
}

/// A cell ended at byte `c`, a delimiter or a line end: whether the record
/// ends too (a line end: the next line, remembering a `\r`).
fn record_ends(c: u8, delim: u8, line: &mut u64, after_cr: &mut bool) -> bool {
    if c == delim {
        return false;
    }
    *line += 1;
    *after_cr = c == b'\r';
    true
}

/// A field of a record read from a [`Utf8Reader`], as text. The reader
/// yields valid UTF-8 and the CSV parser splits only at ASCII bytes, so this
/// never fails; it is checked anyway (fast, and no `unsafe` in the parser).
pub(crate) fn field_str(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(u64, Vec<String>)> {
        parse_with(text.as_bytes(), 1 << 20)
            .unwrap()
            .into_iter()
            .map(|(line, _, cells)| {
                let cells = cells.into_iter().map(|c| String::from_utf8(c).unwrap());
                (line, cells.collect())
            })
            .collect()
    }

    #[test]
    fn quoting_like_the_csv_crate() {
        let got = all("a,\"b,\"\"c\"\"\",=\"1\"\r\n\r\n\"x\ny\"z,,\rq\"r\n");
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into(), "b,\"c\"".into(), "=\"1\"".into()]),
                (3, vec!["x\nyz".into(), "".into(), "".into()]),
                (5, vec!["q\"r".into()]),
            ]
        );
    }

    /// A reader that hands out at most `step` bytes a call, so decoded blocks
    /// end anywhere (inside a cell, between `\r` and `\n`, after a quote).
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    type Parsed = Result<Vec<(u64, bool, Vec<Vec<u8>>)>, String>;

    fn parse_with(bytes: &[u8], step: usize) -> Parsed {
        let (src, _) = Utf8Reader::new(Trickle { bytes, step }).unwrap();
        let mut r = Records::new(src, b',');
        let mut rec = csv::ByteRecord::new();
        let mut out = vec![];
        loop {
            match r.read(&mut rec) {
                Ok(Some(m)) => out.push((
                    m.line,
                    m.terminated,
                    rec.iter().map(<[u8]>::to_vec).collect(),
                )),
                Ok(None) => return Ok(out),
                Err(e) => return Err(format!("{e:?} after {} records", out.len())),
            }
        }
    }

    proptest::proptest! {
        /// Cells are those the csv crate reads, and records, lines and errors
        /// are the same however the text arrives (whole, or a few bytes at a
        /// time, so every block boundary is crossed).
        #[test]
        fn cells_like_the_csv_crate_in_any_block_size(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "bc", "中文", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "=\"1\""]),
                0..60,
            ),
            step in 1usize..9,
        ) {
            let text: String = parts.concat();
            let whole = parse_with(text.as_bytes(), 1 << 20);
            proptest::prop_assert_eq!(&whole, &parse_with(text.as_bytes(), step));
            if let Ok(records) = &whole {
                let mut reference = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text.as_bytes());
                // A record's line: one more than the line ends (`\r\n`, `\n`, a
                // lone `\r`) before the byte it starts at.
                // (The csv crate places a record after blank lines at the first of them.)
                let line_at = |mut at: usize| {
                    while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                        at += 1;
                    }
                    let b = &text.as_bytes()[..at];
                    let ends = b.iter().filter(|&&c| c == b'\n' || c == b'\r').count()
                        - b.windows(2).filter(|w| w == b"\r\n").count();
                    ends as u64 + 1
                };
                let expected: Vec<(u64, Vec<Vec<u8>>)> = reference
                    .byte_records()
                    .map(|r| {
                        let r = r.unwrap();
                        let at = r.position().map_or(0, |p| p.byte() as usize);
                        (line_at(at), r.iter().map(<[u8]>::to_vec).collect())
                    })
                    .collect();
                let got: Vec<(u64, Vec<Vec<u8>>)> =
                    records.iter().map(|r| (r.0, r.2.clone())).collect();
                proptest::prop_assert_eq!(got, expected);
            }
        }
    }

    #[test]
    fn same_lines_for_every_line_end() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["h,h", "1,\"a", "b\"", "", "2,c"].join(end);
            let lines: Vec<u64> = all(&text).iter().map(|r| r.0).collect();
            assert_eq!(lines, vec![1, 2, 5], "{end:?}");
        }
    }
}
