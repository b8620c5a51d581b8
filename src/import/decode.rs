//! Bytes to UTF-8, streaming: BOM (UTF-8, UTF-16) → valid UTF-8 → GB18030.
//!
//! The reader never holds the whole file. It stops with an error at the first
//! byte sequence the chosen encoding cannot decode, so a file is never imported
//! with silently replaced characters.

use encoding_rs::{Decoder, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use std::io::{self, Read};

/// How many bytes are examined to choose the encoding.
const SNIFF_LEN: usize = 64 * 1024;

/// Size of the buffer decoded into when the caller's is too small.
const OUT_LEN: usize = 64 * 1024;

/// Choose the encoding of a file from its first bytes.
pub fn sniff(prefix: &[u8]) -> (&'static Encoding, usize) {
    if let Some((enc, bom_len)) = Encoding::for_bom(prefix) {
        return (enc, bom_len);
    }
    // A prefix cut mid-character is still UTF-8 if only the tail is incomplete.
    match std::str::from_utf8(prefix) {
        Ok(_) => (UTF_8, 0),
        Err(e) if e.error_len().is_none() && prefix.len() >= SNIFF_LEN - 4 => (UTF_8, 0),
        Err(_) => (GB18030, 0),
    }
}

pub fn encoding_label(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else {
        "GB18030"
    }
}

/// A `Read` of UTF-8 bytes decoded from `inner`.
pub struct Utf8Reader<R> {
    inner: R,
    decoder: Decoder,
    raw: Vec<u8>,
    raw_start: usize,
    raw_end: usize,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    /// Raw bytes consumed so far (for progress).
    pub consumed: u64,
    /// Line ends produced (`\n`, `\r\n` or a lone `\r`), for the line of an
    /// undecodable sequence.
    newlines: u64,
    /// The last byte produced was a `\r`.
    after_cr: bool,
    /// The file starts like a zip archive (`"zip"`, or `"xlsx"` for an Excel
    /// workbook) or an old Excel file (`"xls"`).
    pub container: Option<&'static str>,
}

impl<R: Read> Utf8Reader<R> {
    /// Sniffs the encoding from the start of `inner` and skips any BOM.
    pub fn new(mut inner: R) -> io::Result<(Self, &'static Encoding)> {
        let mut raw = vec![0u8; SNIFF_LEN.max(256 * 1024)];
        let mut filled = 0;
        while filled < SNIFF_LEN {
            let n = inner.read(&mut raw[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        let (enc, bom) = sniff(&raw[..filled.min(SNIFF_LEN)]);
        let container = container(&raw[..filled.min(SNIFF_LEN)]);
        let reader = Utf8Reader {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            raw,
            raw_start: bom,
            raw_end: filled,
            out: Vec::new(),
            out_pos: 0,
            eof: false,
            consumed: bom as u64,
            newlines: 0,
            after_cr: false,
            container,
        };
        Ok((reader, enc))
    }

    /// Decode into `dst` (at least 16 bytes long): how many bytes were written,
    /// 0 only at the end of the input.
    fn decode_into(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.raw_start == self.raw_end && !self.eof {
                self.raw_start = 0;
                self.raw_end = self.inner.read(&mut self.raw)?;
                if self.raw_end == 0 {
                    self.eof = true;
                }
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_start..self.raw_end],
                dst,
                self.eof,
            );
            self.raw_start += read;
            self.consumed += read as u64;
            let out = &dst[..written];
            if let encoding_rs::DecoderResult::Malformed(_, _) = result {
                self.count(out);
                let line = self.newlines + 1;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    UndecodableAt { line },
                ));
            }
            if written > 0 || (self.eof && self.raw_start == self.raw_end) {
                self.count(out);
                return Ok(written);
            }
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        let mut out = std::mem::take(&mut self.out);
        out.resize(OUT_LEN, 0);
        let n = self.decode_into(&mut out);
        out.truncate(*n.as_ref().unwrap_or(&0));
        self.out = out;
        self.out_pos = 0;
        n.map(|_| ())
    }

    /// The decoded bytes not read yet, decoding more when there are none
    /// (empty only at the end of the input).
    pub fn peek(&mut self) -> io::Result<&[u8]> {
        if self.out_pos == self.out.len() && !(self.eof && self.raw_start == self.raw_end) {
            self.fill()?;
        }
        Ok(&self.out[self.out_pos..])
    }

    /// `n` bytes of [`peek`](Self::peek) are read.
    pub fn consume(&mut self, n: usize) {
        self.out_pos = (self.out_pos + n).min(self.out.len());
    }

    fn count(&mut self, out: &[u8]) {
        // Byte-wide counters over short chunks, which the compiler vectorises:
        // every `\n` and `\r` is a line end, but a `\r\n` is one.
        let mut prev_cr = self.after_cr;
        for chunk in out.chunks(255) {
            let (mut n, mut crlf) = (0u8, 0u8);
            for &b in chunk {
                n += u8::from(b == b'\n' || b == b'\r');
                crlf += u8::from(prev_cr && b == b'\n');
                prev_cr = b == b'\r';
            }
            self.newlines += u64::from(n) - u64::from(crlf);
        }
        self.after_cr = prev_cr;
    }
}

/// What container format a file's first bytes say it is, if any.
fn container(prefix: &[u8]) -> Option<&'static str> {
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06") {
        let head = &prefix[..prefix.len().min(4096)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        return Some(if has(b"[Content_Types].xml") || has(b"xl/") {
            "xlsx"
        } else {
            "zip"
        });
    }
    if prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some("xls");
    }
    None
}

/// The error payload when bytes cannot be decoded: the 1-based line where they sit.
#[derive(Debug)]
pub struct UndecodableAt {
    pub line: u64,
}

impl std::fmt::Display for UndecodableAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "undecodable bytes at line {}", self.line)
    }
}

impl std::error::Error for UndecodableAt {}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos == self.out.len() {
            if self.eof && self.raw_start == self.raw_end {
                return Ok(0);
            }
            // A large enough buffer is decoded into directly, without a copy.
            if buf.len() >= 16 {
                return self.decode_into(buf);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> io::Result<(String, &'static str)> {
        let (mut r, enc) = Utf8Reader::new(bytes)?;
        let mut s = String::new();
        r.read_to_string(&mut s)?;
        Ok((s, encoding_label(enc)))
    }

    #[test]
    fn detects_encodings() {
        let (gbk, _, _) = GB18030.encode("订单编号,买家会员名\n");
        assert_eq!(
            decode(&gbk).unwrap(),
            ("订单编号,买家会员名\n".into(), "GB18030")
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("订单编号".as_bytes());
        assert_eq!(decode(&bom).unwrap(), ("订单编号".into(), "UTF-8"));
        let mut u16 = vec![0xFF, 0xFE];
        for u in "订单\t编号".encode_utf16() {
            u16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&u16).unwrap(), ("订单\t编号".into(), "UTF-16LE"));
        assert_eq!(decode("䶮".as_bytes()).unwrap().1, "UTF-8");
    }

    #[test]
    fn rare_gb18030_characters_decode() {
        let (bytes, _, _) = GB18030.encode("姓名\n王䶮\n");
        assert_eq!(decode(&bytes).unwrap().0, "姓名\n王䶮\n");
    }

    #[test]
    fn malformed_bytes_are_an_error_with_line() {
        let mut bytes = GB18030.encode("一\n二\n").0.into_owned();
        bytes.extend_from_slice(&[0x81, 0x20]);
        let err = decode(&bytes).unwrap_err();
        let at = err
            .get_ref()
            .unwrap()
            .downcast_ref::<UndecodableAt>()
            .unwrap();
        assert_eq!(at.line, 3);
    }
}
